import { strict as assert } from "node:assert";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { loadConfig } from "../../lib/config";
import { standaloneEnv } from "../helpers";

const BIN = resolve(__dirname, "../../bin/orchestrator.js");
const env = () => standaloneEnv({ WORKSPACE_DIR: "" }) as Record<string, string>;

/**
 * A desktop client's session over stdio must outlive one message too big to read: the SDK's own stdio transport closed
 * on a line over 10 MiB, and the process exited 0 with nothing on stderr, ending the session for every later call.
 */
describe("orchestrator mcp over stdio: a message over limits.max_body_bytes", function () {
	this.timeout(60_000);
	let client: Client;
	let stderr = "";
	let exited = false;

	before(async () => {
		const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, "mcp"], env: env(), stderr: "pipe" });
		transport.stderr?.on("data", (c: Buffer) => (stderr += c));
		client = new Client({ name: "big-message", version: "1.0.0" });
		await client.connect(transport);
		(transport as unknown as { _process?: { once(e: string, f: () => void): void } })._process?.once("exit", () => (exited = true));
	});
	after(() => client?.close());

	it("is answered with -32600 under its request's id naming the limit, said on stderr, and the next calls are served", async () => {
		const limit = loadConfig().limits.max_body_bytes;
		const big = "c".repeat(limit + 4 * 1024 * 1024);
		const started = Date.now();
		const err = await client.callTool({ name: "orchestrate", arguments: { request: "hi", context: { logs: big } } }).then(
			() => assert.fail("a message over the limit was taken"),
			(e: unknown) => e as McpError,
		);
		assert.ok(err instanceof McpError, String(err));
		assert.equal(err.code, -32600, err.message);
		assert.match(err.message, new RegExp(`over limits\\.max_body_bytes in config\\.yaml \\(${limit} bytes\\)`));
		assert.ok(Date.now() - started < 20_000, `answered after ${Date.now() - started} ms: not matched to its request`);
		const tools = await client.listTools();
		assert.ok(tools.tools.some(t => t.name === "orchestrate"));
		const small = await client.callTool({ name: "orchestrate", arguments: { request: "hi", context: { logs: "c".repeat(5_000_000) } } });
		assert.equal(small.isError, true);
		assert.match(JSON.stringify(small.content), /over the limit of \d+ bytes|max_context_bytes/);
		assert.equal(exited, false, "the server process ended");
		assert.match(stderr, /refused a stdio message \(id \d+\): -32600 message of \d+ bytes is over limits\.max_body_bytes/);
	});
});

/** Raw lines to `orchestrator mcp`, each answer read as the line it is (stdout must stay JSON-RPC). */
class RawSession {
	private lines: string[] = [];
	private waiting: ((line: string) => void) | undefined;
	stderr = "";

	constructor(readonly child: ChildProcessWithoutNullStreams) {
		createInterface({ input: child.stdout }).on("line", line => {
			if (this.waiting) {
				const w = this.waiting;
				this.waiting = undefined;
				w(line);
			} else this.lines.push(line);
		});
		child.stderr.on("data", (c: Buffer) => (this.stderr += c));
	}

	static async open(version: string): Promise<RawSession> {
		const session = new RawSession(spawn(process.execPath, [BIN, "mcp"], { env: env(), stdio: ["pipe", "pipe", "pipe"] }));
		const init = await session.ask(
			{
				jsonrpc: "2.0",
				id: 1,
				method: "initialize",
				params: { protocolVersion: version, capabilities: {}, clientInfo: { name: "raw", version: "0" } },
			},
			40_000,
		);
		assert.equal((init as { result: { protocolVersion: string } }).result.protocolVersion, version);
		session.send({ jsonrpc: "2.0", method: "notifications/initialized" });
		return session;
	}

	send(message: unknown) {
		this.child.stdin.write((typeof message === "string" ? message : JSON.stringify(message)) + "\n");
	}

	/**
	 * The next line of stdout, parsed (failing the test when it is not JSON or does not come within `waitMs`). The
	 * first answer (initialize) waits for the child's start too: tsx compiles the whole system, seconds on a busy host.
	 */
	async ask(message: unknown, waitMs = 10_000): Promise<unknown> {
		this.send(message);
		const line =
			this.lines.shift() ??
			(await new Promise<string>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`no answer to ${JSON.stringify(message).slice(0, 80)}`)), waitMs);
				this.waiting = l => (clearTimeout(timer), resolve(l));
			}));
		return JSON.parse(line);
	}

	async close() {
		const exited = once(this.child, "exit");
		this.child.stdin.end();
		await exited;
	}
}

/** What /mcp answers (services/gateway/mcp-http.ts, lib/json-body.ts), stdio answers too, instead of leaving the client waiting. */
describe("orchestrator mcp over stdio: malformed messages and batches", function () {
	this.timeout(60_000);

	/** The error answer's code and id, and its message matching `message`. */
	function assertError(answer: unknown, code: number, id: string | number | null, message: RegExp) {
		const a = answer as { jsonrpc: string; id: unknown; error?: { code: number; message: string } };
		assert.equal(a.jsonrpc, "2.0");
		assert.deepEqual({ id: a.id, code: a.error?.code }, { id, code }, JSON.stringify(answer));
		assert.match(a.error!.message, message);
	}

	it("answers -32700 (id null) for a line that is not JSON, -32600 for [], id null and a missing jsonrpc, and keeps serving", async () => {
		const s = await RawSession.open("2025-11-25");
		try {
			assertError(await s.ask("this is not json"), -32700, null, /Parse error/);
			assertError(await s.ask("{not json"), -32700, null, /Parse error/);
			assertError(await s.ask([]), -32600, null, /empty batch/);
			assertError(await s.ask({ jsonrpc: "2.0", id: null, method: "ping" }), -32600, null, /'id' must be a string or an integer/);
			assertError(await s.ask({ id: 22, method: "ping" }), -32600, 22, /'jsonrpc' must be "2.0"/);
			// The same session answers the next request as usual.
			assert.deepEqual(await s.ask({ jsonrpc: "2.0", id: 23, method: "ping" }), { jsonrpc: "2.0", id: 23, result: {} });
			assert.match(s.stderr, /refused a stdio message: -32700 Parse error/);
			assert.match(s.stderr, /refused a stdio message \(id 22\): -32600/);
		} finally {
			await s.close();
		}
	});

	it("answers a batch as one array in a 2025-03-26 session, and refuses it (-32600) under a version without batches", async () => {
		const old = await RawSession.open("2025-03-26");
		try {
			const answer = (await old.ask([
				{ jsonrpc: "2.0", id: 2, method: "ping" },
				{ jsonrpc: "2.0", id: 3, method: "tools/list" },
			])) as { id: number; result?: { tools?: unknown[] } }[];
			assert.ok(Array.isArray(answer), JSON.stringify(answer).slice(0, 200));
			assert.deepEqual(
				answer.map(a => a.id),
				[2, 3],
			);
			assert.deepEqual(answer[0].result, {});
			assert.ok(answer[1].result?.tools?.length);
		} finally {
			await old.close();
		}
		const current = await RawSession.open("2025-11-25");
		try {
			const refused = await current.ask([{ jsonrpc: "2.0", id: 2, method: "ping" }]);
			assertError(refused, -32600, null, /MCP 2025-11-25 takes one JSON-RPC message per line, not a batch/);
		} finally {
			await current.close();
		}
	});
});

/**
 * A client that stops reading the server's stdout (it crashed, or a pipeline's reader like `head` ended) while the server
 * still writes: the write fails with EPIPE. That was an unhandled 'error' event: the process died at once with a stack
 * trace and exit code 1, without closing its server, its calls in flight or its broker (tool servers, the cluster).
 */
describe("orchestrator mcp over stdio: the client stops reading stdout", function () {
	this.timeout(60_000);

	it("ends the session as a client closing stdin does: exit 0, the failed write said in one line, no crash", async () => {
		const s = await RawSession.open("2025-06-18");
		const exited = once(s.child, "exit");
		s.child.stdout.destroy();
		s.send({ jsonrpc: "2.0", id: 2, method: "ping" });
		const [code, signal] = await exited;
		assert.deepEqual({ code, signal }, { code: 0, signal: null }, s.stderr);
		assert.doesNotMatch(s.stderr, /Unhandled 'error' event/);
		assert.match(s.stderr, /orchestrator mcp: .*EPIPE/);
	});
});
