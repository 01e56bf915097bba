import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { ServiceBroker } from "moleculer";
import { parse, stringify } from "yaml";
import { parseConfig, PROJECT_ROOT } from "../../lib/config";
import { standaloneEnv, testBroker } from "../helpers";
import { callError, untilConnected } from "./mcp-support";

const BIN = resolve(__dirname, "../../bin/orchestrator.js");
const FAULTY = resolve(__dirname, "../fixtures/faulty-mcp-server.mjs");
const STUCK = resolve(__dirname, "../fixtures/stuck-mcp-server.mjs");
const TIMEOUT_MS = 1_500;

/** config.yaml's text with its mcp_services replaced by the one faulty server (calls logged to `log`), re-exported; its timeout_ms. */
function faultyConfigText(dir: string, log: string, timeoutMs = TIMEOUT_MS, server = FAULTY): string {
	const doc = parse(readFileSync(`${PROJECT_ROOT}/config.yaml`, "utf8")) as Record<string, any>;
	doc.mcp_services = {
		faulty: {
			type: "stdio",
			command: process.execPath,
			args: [server, log],
			roots: [dir],
			capabilities: ["read"],
			timeout_ms: timeoutMs,
			ping_interval_ms: 0,
			// Restarted at once: a retry of the crashing call would reach the new process.
			reconnect: { initial_ms: 50, max_ms: 200 },
		},
	};
	doc.gateway = { ...(doc.gateway ?? {}), reexport_tools: true };
	return stringify(doc);
}

/**
 * A broker hosting mcp.faulty (its calls logged to `log` in a directory of its own) with that timeout_ms, built as
 * production builds it: moleculer.config.ts's retry policy applies.
 */
async function startFaulty(timeoutMs: number): Promise<{ dir: string; log: string; broker: ServiceBroker }> {
	const dir = mkdtempSync(join(tmpdir(), "mcp-faults-"));
	const log = join(dir, "calls.log");
	writeFileSync(log, "");
	const config = parseConfig(faultyConfigText(dir, log, timeoutMs), "config.yaml + faulty mcp", process.env);
	const broker = testBroker({ services: ["mcp.faulty"], config, env: { WORKSPACE_DIR: dir } });
	await broker.start();
	await untilConnected(broker, "mcp.faulty");
	return { dir, log, broker };
}

/** Whether a process of that id runs (signal 0 tests for it). */
function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * A broker stopping while a stdio server is still connecting (`orchestrator start` or `mcp` told to stop during their
 * start, a server restarting) ends that server too: the stop closed only a connected client, and the connection under way
 * went on to its timeout_ms; the process then exited, leaving a server that does not read its stdin running for good.
 */
describe("a downstream stdio MCP server stuck in its start when the broker stops", function () {
	this.timeout(30_000);

	it("is ended by the stop, not left running until its timeout_ms (or for good once the process exits)", async () => {
		const dir = mkdtempSync(join(tmpdir(), "mcp-stuck-"));
		const log = join(dir, "calls.log");
		writeFileSync(log, "");
		const config = parseConfig(faultyConfigText(dir, log, 20_000, STUCK), "config.yaml + stuck mcp", process.env);
		const broker = testBroker({ services: ["mcp.faulty"], config, env: { WORKSPACE_DIR: dir } });
		let pid = 0;
		try {
			await broker.start();
			while (!(pid = Number(/^start (\d+)/m.exec(readFileSync(log, "utf8"))?.[1] ?? 0))) await new Promise(r => setTimeout(r, 50));
			await broker.stop();
			// The SDK's transport ends a child that outlives the end of its stdin with SIGTERM after 2 s.
			const stopped = Date.now();
			while (alive(pid) && Date.now() - stopped < 5_000) await new Promise(r => setTimeout(r, 100));
			assert.ok(!alive(pid), `the stuck server (pid ${pid}) still runs ${Date.now() - stopped} ms after the broker stopped`);
		} finally {
			if (pid && alive(pid)) process.kill(pid, "SIGKILL");
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

/**
 * A downstream tool call may act (write a file, call a vendor), so like a vendor call it is sent at most once: one that
 * timed out, or whose server died while it ran, fails with a clear error and is not sent again, through the broker's
 * own retry policy (moleculer.config.ts). Three 30 s tries of a hung tool took ~90 s, past the MCP client's 60 s.
 */
describe("a downstream MCP tool that hangs or crashes is called once", function () {
	this.timeout(60_000);
	let dir: string;
	let log: string;
	let broker: ServiceBroker;

	const lines = () => readFileSync(log, "utf8").trim().split("\n").filter(Boolean);
	const count = (prefix: string) => lines().filter(l => l.startsWith(`${prefix} `)).length;

	before(async () => {
		({ dir, log, broker } = await startFaulty(TIMEOUT_MS));
	});
	after(async () => {
		await broker?.stop();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it("a hung tool fails at its timeout_ms with MCP_TIMEOUT naming the setting, sent once", async () => {
		const before = count("hang");
		const started = Date.now();
		const err = await callError(broker.call("mcp.faulty.callTool", { tool: "hang", arguments: {} }));
		const took = Date.now() - started;
		assert.equal(err.type, "MCP_TIMEOUT", err.message);
		assert.equal(err.retryable, false);
		assert.match(err.message, /mcp\.faulty\.hang did not answer within mcp_services\.faulty\.timeout_ms \(1500 ms\) in config\.yaml; not sent again/);
		assert.equal(count("hang") - before, 1, "the hung call was sent again");
		assert.ok(took < TIMEOUT_MS + 1_000, `failed after ${took} ms`);
	});

	it("a caller with less time left than timeout_ms hears the tool's timeout before its own, sent once", async () => {
		const before = count("hang");
		const started = Date.now();
		const err = await callError(broker.call("mcp.faulty.callTool", { tool: "hang", arguments: {} }, { timeout: 800 }));
		assert.equal(err.type, "MCP_TIMEOUT", err.message);
		assert.match(err.message, /did not answer within what was left of the request's time/);
		assert.ok(Date.now() - started < 1_500, `failed after ${Date.now() - started} ms`);
		// Moleculer's retry would send it again after 200 ms, 400 ms: waited past both.
		await new Promise(r => setTimeout(r, 1_000));
		assert.equal(count("hang") - before, 1, "the call was sent again after its caller's timeout");
	});

	it("a call that crashes its server fails with MCP_SERVER_LOST and is not sent to the restarted server", async () => {
		const before = { crash: count("crash"), start: count("start") };
		const err = await callError(broker.call("mcp.faulty.callTool", { tool: "crash", arguments: {} }));
		assert.equal(err.type, "MCP_SERVER_LOST", err.message);
		assert.equal(err.retryable, false);
		assert.match(err.message, /mcp\.faulty lost its MCP server during crash .*not sent again/);
		// The server is restarted, and the next call is answered by the new process.
		await untilConnected(broker, "mcp.faulty");
		const echo = await broker.call<{ text: string }, unknown>("mcp.faulty.callTool", { tool: "echo", arguments: { text: "back" } });
		assert.equal(echo.text, "back");
		assert.equal(count("crash") - before.crash, 1, "the crashing call was sent again");
		assert.equal(count("start") - before.start, 1, "the server was started more than once after the crash");
	});
});

/**
 * A server that answers a tool call with something that is no CallToolResult is buggy, not gone: taken for a lost
 * connection, the healthy server was restarted and the call (which may act) sent again by the retry policy, three times,
 * after which the circuit breaker turned every caller away.
 */
describe("a downstream MCP tool that answers a malformed result", function () {
	this.timeout(60_000);
	let dir: string;
	let log: string;
	let broker: ServiceBroker;
	const count = (prefix: string) =>
		readFileSync(log, "utf8")
			.split("\n")
			.filter(l => l.startsWith(`${prefix} `)).length;

	before(async () => {
		({ dir, log, broker } = await startFaulty(TIMEOUT_MS));
	});
	after(async () => {
		await broker?.stop();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it("a malformed result fails that call once with MCP_BAD_RESULT; the server, which answered, is neither restarted nor retried", async () => {
		const before = { malformed: count("malformed"), start: count("start") };
		const err = await callError(broker.call("mcp.faulty.callTool", { tool: "malformed", arguments: {} }));
		assert.equal(err.type, "MCP_BAD_RESULT", err.message);
		assert.equal(err.code, 502);
		assert.equal(err.retryable, false);
		assert.match(err.message, /mcp\.faulty\.malformed answered with a result that is not a valid MCP tool result: .*content/);
		const echo = await broker.call<{ text: string }, unknown>("mcp.faulty.callTool", { tool: "echo", arguments: { text: "same process" } });
		assert.equal(echo.text, "same process");
		assert.equal(count("malformed") - before.malformed, 1, "the malformed call was sent again");
		assert.equal(count("start") - before.start, 0, "the server was restarted");
	});
});

/** The same hung tool, re-exported by `orchestrator mcp` over stdio: the client hears the tool error at timeout_ms. */
/**
 * A server's answer too big to read (over 64 MiB) used to close the connection (the SDK's ReadBuffer threw), restarting
 * the server and failing every call in flight on it; a big one below that was read in quadratic time. Now only the call
 * it answers fails, at once, and the server goes on (lib/mcp-read-buffer.ts).
 */
describe("a downstream MCP server's answers, big and too big", function () {
	this.timeout(60_000);
	let dir: string;
	let log: string;
	let broker: ServiceBroker;
	const starts = () =>
		readFileSync(log, "utf8")
			.split("\n")
			.filter(l => l.startsWith("start ")).length;

	before(async () => {
		({ dir, log, broker } = await startFaulty(30_000));
	});
	after(async () => {
		await broker?.stop();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it("reads a 20 MB answer whole (cut to limits.max_context_bytes after)", async () => {
		const big = await broker.call<{ text: string }, unknown>("mcp.faulty.callTool", { tool: "big", arguments: { bytes: 20_000_000 } });
		assert.match(big.text, /^x{1000}/);
		assert.match(big.text, /truncated/);
	});

	it("fails only the call whose answer is over 64 MiB, naming the limit; the server is not restarted and answers the next", async () => {
		const before = starts();
		const err = await callError(broker.call("mcp.faulty.callTool", { tool: "big", arguments: { bytes: 70_000_000 } }));
		assert.match(err.message, /over the 67108864 bytes read from a tool server/);
		const echo = await broker.call<{ text: string }, unknown>("mcp.faulty.callTool", { tool: "echo", arguments: { text: "still here" } });
		assert.equal(echo.text, "still here");
		assert.equal(starts(), before, "the server was restarted");
	});
});

describe("orchestrator mcp: a re-exported downstream tool that hangs", function () {
	this.timeout(60_000);
	let dir: string;
	let log: string;
	let client: Client;

	before(async () => {
		dir = mkdtempSync(join(tmpdir(), "mcp-faults-stdio-"));
		log = join(dir, "calls.log");
		writeFileSync(log, "");
		const configFile = join(dir, "config.yaml");
		writeFileSync(configFile, faultyConfigText(dir, log));
		const env = standaloneEnv({ CONFIG: configFile, WORKSPACE_DIR: dir }) as Record<string, string>;
		client = new Client({ name: "faults", version: "1.0.0" });
		await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, "mcp"], env, stderr: "ignore" }));
	});
	after(async () => {
		await client?.close();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it("is an isError result naming the tool and timeout_ms, at about timeout_ms, and reached the server once", async () => {
		const started = Date.now();
		const r = await client.callTool({ name: "faulty__hang", arguments: {} });
		const took = Date.now() - started;
		assert.equal(r.isError, true);
		assert.match(JSON.stringify(r.content), /mcp\.faulty\.hang did not answer within mcp_services\.faulty\.timeout_ms \(1500 ms\)/);
		assert.ok(took < TIMEOUT_MS + 1_000, `answered after ${took} ms`);
		await new Promise(r => setTimeout(r, 1_000));
		assert.equal(
			readFileSync(log, "utf8")
				.split("\n")
				.filter(l => l.startsWith("hang ")).length,
			1,
			"the hung call was sent again",
		);
	});
});
