import { strict as assert } from "node:assert";
import { appendFile, mkdir, mkdtemp, readFile, realpath, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ToolListChangedNotificationSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ServiceBroker } from "moleculer";
import { PROJECT_ROOT } from "../../lib/config";
import { liveServices, type McpMetadata } from "../../lib/registry";
import type { OrchestrateResult } from "../../lib/contracts";
import { fakeOpenAI } from "../fakes/openai";
import type { FakeVendor } from "../fakes/vendor";
import { freePort, testBroker } from "../helpers";
import { callError, mcpStatus, untilConnected, workspaceConfig } from "./mcp-support";
import { within } from "../../lib/deadline";

/** A refusal or a read that should come at once: five seconds, far under the tool's 30 s timeout a hang would run into. */
const inTime = <T>(p: Promise<T>): Promise<T> => within(p, 5_000, () => new Error("no answer within 5 s"));

describe("mcp.filesystem: the reference file-system server over stdio", function () {
	this.timeout(30_000);
	let workspace: string;
	let outside: string;
	let broker: ServiceBroker;
	let port: number;

	before(async () => {
		workspace = await realpath(await mkdtemp(join(tmpdir(), "orch-ws-")));
		outside = await realpath(await mkdtemp(join(tmpdir(), "orch-outside-")));
		await writeFile(join(workspace, "README.md"), "# Demo workspace\nHello from the README.\n");
		await mkdir(join(workspace, "src/payments"), { recursive: true });
		await writeFile(join(workspace, "src/server.ts"), "export const port = 3000;\n");
		await writeFile(join(workspace, "src/payments/refund.ts"), "export function refund() {}\n");
		await writeFile(join(outside, "secret.txt"), "TOP-SECRET\n");
		await symlink(join(outside, "secret.txt"), join(workspace, "leak.txt"));
		await symlink(outside, join(workspace, "elsewhere"));
		port = await freePort();
		broker = testBroker({
			config: workspaceConfig(workspace, y => y.replace("reexport_tools: false", "reexport_tools: true")),
			env: { PORT: String(port), HOST: "127.0.0.1" },
		});
		await broker.start();
		await untilConnected(broker, "mcp.filesystem");
	});

	after(async () => {
		await broker?.stop();
		await rm(workspace, { recursive: true, force: true });
		await rm(outside, { recursive: true, force: true });
	});

	it("publishes its read tools, roots and capabilities in the service metadata, and no write tool", () => {
		const svc = liveServices<McpMetadata>(broker, "mcp").find(s => s.service === "mcp.filesystem");
		assert.ok(svc, "mcp.filesystem is live");
		const names = svc.meta.tools.map(t => t.name);
		for (const t of ["read_text_file", "list_directory", "search_files", "get_file_info"]) assert.ok(names.includes(t), t);
		for (const t of ["write_file", "edit_file", "move_file", "create_directory"]) assert.ok(!names.includes(t), `${t} is hidden`);
		assert.deepEqual(svc.meta.capabilities, ["read", "search"]);
		assert.deepEqual(svc.meta.roots, [workspace]);
		assert.equal(svc.meta.connected, true);
	});

	it("reads a file by its path relative to the workspace", async () => {
		const res = await broker.call<{ text: string; isError?: boolean }, unknown>("mcp.filesystem.callTool", {
			tool: "read_text_file",
			arguments: { path: "README.md" },
		});
		assert.equal(res.text, "# Demo workspace\nHello from the README.\n");
		assert.ok(!res.isError);
	});

	it("lists a folder and searches file names", async () => {
		const list = await broker.call<{ text: string }, unknown>("mcp.filesystem.callTool", { tool: "list_directory", arguments: { path: "src" } });
		assert.match(list.text, /\[DIR\] payments/);
		assert.match(list.text, /\[FILE\] server\.ts/);
		const found = await broker.call<{ text: string }, unknown>("mcp.filesystem.callTool", {
			tool: "search_files",
			arguments: { path: ".", pattern: "**/*.ts" },
		});
		assert.ok(found.text.includes(join(workspace, "src/payments/refund.ts")), found.text);
		assert.ok(found.text.includes(join(workspace, "src/server.ts")), found.text);
	});

	for (const [what, path] of [
		["a relative path climbing out", "../../etc/passwd"],
		["an absolute path elsewhere", "/etc/passwd"],
		["a symlink to a file outside", "leak.txt"],
		["a path through a symlinked folder outside", "elsewhere/secret.txt"],
	]) {
		it(`refuses ${what} (${path}) before calling the server`, async () => {
			const err = await callError(broker.call("mcp.filesystem.callTool", { tool: "read_text_file", arguments: { path } }));
			assert.equal(err.code, 403);
			assert.equal(err.type, "PATH_OUTSIDE_ROOT");
			assert.match(err.message, new RegExp(`arguments\\.path '${path.replace(/\./g, "\\.")}'`));
			assert.ok(!err.message.includes("TOP-SECRET"));
			// Where the server keeps the workspace is not the caller's to learn (hideRoots), nor a symlink's target.
			for (const hidden of [workspace, outside]) assert.ok(!JSON.stringify({ message: err.message, data: err.data }).includes(hidden), err.message);
		});
	}

	it("refuses write tools the entry does not allow, naming the config key", async () => {
		const err = await callError(broker.call("mcp.filesystem.callTool", { tool: "write_file", arguments: { path: "x.txt", content: "x" } }));
		assert.equal(err.type, "TOOL_NOT_ALLOWED");
		assert.match(err.message, /mcp_services\.filesystem\.allow_write is false/);
	});

	it("checks the arguments against the tool's input schema, naming what is wrong", async () => {
		const err = await callError(broker.call("mcp.filesystem.callTool", { tool: "read_text_file", arguments: { file: "README.md" } }));
		assert.equal(err.code, 422);
		assert.match(err.message, /required property 'path'/);
	});

	it('answers "Show me the contents of README.md" with the tool: route mcp, zero tokens, zero cost', async () => {
		const res = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request: "Show me the contents of README.md" });
		assert.equal(res.route.kind, "mcp");
		assert.equal(res.route.service, "mcp.filesystem");
		assert.equal(res.route.tool, "read_text_file");
		assert.deepEqual(res.route.arguments, { path: "README.md" });
		assert.equal(res.output, "# Demo workspace\nHello from the README.\n");
		assert.equal(res.input_tokens, 0);
		assert.deepEqual(res.usage, { input_tokens: 0, output_tokens: 0 });
		assert.equal(res.cost_usd, 0);
		assert.equal(res.model, null);
	});

	it("a file over 10 MB as the server answers it (5 MB of text, sent twice) comes back cut at limits.max_context_bytes, and the server stays up", async () => {
		const line = "2026-12-02T06:00:00Z INFO request served in 12 ms by worker 7 of the pool\n";
		await writeFile(join(workspace, "big.log"), line.repeat(Math.ceil((5 * 1024 * 1024) / line.length)));
		const big = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request: "show me big.log" });
		assert.equal(big.route.kind, "mcp");
		assert.match(big.output!, /\[… truncated: the tool returned \d+ bytes, more than limits\.max_context_bytes \(4194304\)\]$/);
		assert.ok(Buffer.byteLength(big.output!) < 4194304 + 200);
		const next = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request: "Show me the contents of README.md" });
		assert.equal(next.output, "# Demo workspace\nHello from the README.\n", "the file server is still connected");
	});

	it("refuses to open a named pipe (an open waits for a writer, holding one of the server's four file threads for good), and the server keeps reading", async () => {
		execFileSync("mkfifo", [join(workspace, "live.log")]);
		// Four, as many as the server's libuv pool has threads: before, each timed out at 30 s and every later read hung.
		const refusals = await Promise.all(
			[1, 2, 3, 4].map(() => inTime(callError(broker.call("orchestrator.orchestrate", { request: "show me the contents of live.log" })))),
		);
		for (const err of refusals) {
			assert.equal(err.type, "NOT_A_REGULAR_FILE");
			assert.match(err.message, /arguments\.path 'live\.log' is a named pipe/);
			assert.ok(!err.message.includes(workspace), err.message);
		}
		const next = await inTime(broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request: "Show me the contents of README.md" }));
		assert.equal(next.output, "# Demo workspace\nHello from the README.\n");
	});

	it("refuses a whole read of a file no answer can carry (over 32 MiB) before the server reads it, and still answers its last lines", async () => {
		// Sparse: 40 MiB on paper, nothing on disk. Before, the server read it all and its answer was dropped as too big (a
		// 500 MB file held the one-threaded server past the 30 s timeout, every other read waiting behind it).
		const path = join(workspace, "dump.log");
		await writeFile(path, "");
		await truncate(path, 40 * 1024 * 1024);
		await appendFile(path, "\nfirst\nlast line\n");
		const err = await inTime(callError(broker.call("orchestrator.orchestrate", { request: "show me the contents of dump.log" })));
		assert.equal(err.type, "FILE_TOO_LARGE");
		assert.equal(err.code, 413);
		assert.match(err.message, /arguments\.path 'dump\.log' is \d+ bytes, more than a whole read can answer \(33554432\); ask for its first or last lines/);
		const tail = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request: "last 2 lines of dump.log" });
		assert.deepEqual(tail.route.arguments, { path: "dump.log", tail: 2 });
		assert.match(tail.output!, /last line/);
	});

	it('plans "summarize src/server.ts" as the file then the LLM', async () => {
		const res = await broker.call<OrchestrateResult, unknown>("orchestrator.analyze", { request: "summarize src/server.ts" });
		assert.equal(res.route.kind, "mcp");
		assert.equal(res.route.tool, "read_text_file");
		assert.deepEqual(res.route.arguments, { path: "src/server.ts" });
		assert.equal(res.route.then_llm, true);
		assert.ok(res.input_tokens > 0, "the chain spends LLM tokens");
		assert.equal(res.prompt_notes.at(-1), "input_tokens excludes the read_text_file result added to the prompt at execution");
	});

	for (const request of ["show me ../../etc/passwd", "show me /etc/passwd", "cat leak.txt"]) {
		it(`answers "${request}" with a clear refusal, not with the file and not with an LLM`, async () => {
			const err = await callError(broker.call("orchestrator.orchestrate", { request }));
			assert.equal(err.type, "PATH_OUTSIDE_ROOT");
			assert.match(err.message, /outside the allowed roots|through a symlink/);
		});
	}

	it("reports a missing file as a tool error, not as an answer", async () => {
		const err = await callError(broker.call("orchestrator.orchestrate", { request: "show me docs/missing.md" }));
		assert.equal(err.type, "TOOL_ERROR");
		assert.match(err.message, /mcp\.filesystem\.read_text_file could not answer: .*ENOENT/);
		// Named as the caller named it, relative to the workspace: where the server keeps the workspace stays with it.
		assert.match(err.message, /'docs\/missing\.md'/);
		assert.ok(!err.message.includes(workspace), err.message);
	});

	it("re-exports the downstream tools through the gateway's MCP server as <service>__<tool>", async () => {
		const client = new Client({ name: "test-client", version: "0" });
		await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
		try {
			const names = (await client.listTools()).tools.map(t => t.name);
			for (const t of ["analyze_request", "orchestrate", "get_metrics", "filesystem__read_text_file", "filesystem__search_files"])
				assert.ok(names.includes(t), t);
			assert.ok(!names.includes("filesystem__write_file"));
			const ok = (await client.callTool({ name: "filesystem__read_text_file", arguments: { path: "README.md" } })) as CallToolResult;
			assert.equal((ok.content[0] as { text: string }).text, "# Demo workspace\nHello from the README.\n");
			const refused = (await client.callTool({ name: "filesystem__read_text_file", arguments: { path: "../../etc/passwd" } })) as CallToolResult;
			assert.equal(refused.isError, true);
			assert.match((refused.content[0] as { text: string }).text, /outside the allowed roots/);
			// An image comes through as the downstream server's image block, not its "[image image/png]" line.
			const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
			await writeFile(join(workspace, "dot.png"), png);
			const media = (await client.callTool({ name: "filesystem__read_media_file", arguments: { path: "dot.png" } })) as CallToolResult;
			assert.deepEqual(media.content[0], { type: "image", data: png.toString("base64"), mimeType: "image/png" });
		} finally {
			await client.close();
		}
	});

	it("reconnects after the server process is killed, with a new process, and reads again", async () => {
		const before = await mcpStatus(broker, "mcp.filesystem");
		assert.ok(before.pid);
		process.kill(before.pid, "SIGKILL");
		const after = await untilConnected(broker, "mcp.filesystem", s => s.connected && s.pid !== before.pid);
		assert.notEqual(after.pid, before.pid);
		const res = await broker.call<{ text: string }, unknown>("mcp.filesystem.callTool", { tool: "read_text_file", arguments: { path: "README.md" } });
		assert.match(res.text, /Hello from the README/);
	});
});

describe("mcp.filesystem with allow_write", function () {
	this.timeout(30_000);
	let workspace: string;
	let broker: ServiceBroker;

	before(async () => {
		workspace = await realpath(await mkdtemp(join(tmpdir(), "orch-ws-")));
		broker = testBroker({
			services: ["mcp.filesystem"],
			config: workspaceConfig(workspace, y => y.replace("allow_write: false\n    allow_manage: false", "allow_write: true\n    allow_manage: false")),
		});
		await broker.start();
		await untilConnected(broker, "mcp.filesystem");
	});

	after(async () => {
		await broker?.stop();
		await rm(workspace, { recursive: true, force: true });
	});

	it("writes inside the workspace, still refuses outside it and still refuses manage tools", async () => {
		await broker.call("mcp.filesystem.callTool", { tool: "write_file", arguments: { path: "notes/../out.txt", content: "written" } });
		assert.equal(await readFile(join(workspace, "out.txt"), "utf8"), "written");
		const escape = await callError(broker.call("mcp.filesystem.callTool", { tool: "write_file", arguments: { path: "../escaped.txt", content: "x" } }));
		assert.equal(escape.type, "PATH_OUTSIDE_ROOT");
		const move = await callError(broker.call("mcp.filesystem.callTool", { tool: "move_file", arguments: { source: "out.txt", destination: "moved.txt" } }));
		assert.equal(move.type, "TOOL_NOT_ALLOWED");
		assert.match(move.message, /allow_manage is false/);
	});
});

describe("mcp.filesystem chained with an LLM", function () {
	this.timeout(30_000);
	let workspace: string;
	let openai: FakeVendor;
	let broker: ServiceBroker;

	before(async () => {
		workspace = await realpath(await mkdtemp(join(tmpdir(), "orch-ws-")));
		await mkdir(join(workspace, "src"));
		await writeFile(join(workspace, "src/server.ts"), "export const port = 3000; // listens here\n");
		openai = await fakeOpenAI();
		openai.always({ kind: "ok", text: "It exports the port, 3000." });
		// The real OpenAI SDK against a fake speaking its wire format; no other vendor configured.
		const env = {
			OPENAI_API_KEY: openai.apiKey,
			OPENAI_BASE_URL: `${openai.baseUrl}/v1`,
			ANTHROPIC_API_KEY: "",
			GOOGLE_API_KEY: "",
			GEMINI_API_KEY: "",
			OPENAI_COMPATIBLE_BASE_URL: "",
		};
		broker = testBroker({
			services: ["orchestrator", "intent", "complexity", "router", "prompt", "models", "metrics", "llm-*", "mcp.filesystem"],
			config: workspaceConfig(workspace),
			env,
		});
		await broker.start();
		await untilConnected(broker, "mcp.filesystem");
	});

	after(async () => {
		await broker?.stop();
		await openai?.stop();
		await rm(workspace, { recursive: true, force: true });
	});

	it('"summarize src/server.ts": the tool fetches the file, the model gets it in its prompt', async () => {
		const res = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request: "summarize src/server.ts" });
		assert.equal(res.route.kind, "mcp");
		assert.equal(res.route.tool, "read_text_file");
		assert.equal(res.route.then_llm, true);
		assert.equal(res.output, "It exports the port, 3000.");
		assert.ok(res.usage.input_tokens > 0);
		const sent = JSON.stringify(openai.completions.map(r => r.body.messages));
		assert.ok(sent.includes("export const port = 3000; // listens here"), sent);
	});

	it('"fix the port in src/server.ts so it reads PORT": the model that writes the fix is shown the file', async () => {
		openai.reset();
		openai.always({ kind: "ok", text: "export const port = Number(process.env.PORT ?? 3000);" });
		const request = "fix the port in src/server.ts so it reads PORT from the environment";
		const res = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request });
		// Labelled WRITE or MANAGE (this one reads as MANAGE for its "environment"): either way the file is read first.
		assert.ok(res.intent === "WRITE" || res.intent === "MANAGE", res.intent);
		assert.deepEqual([res.route.kind, res.route.tool, res.route.then_llm], ["mcp", "read_text_file", true]);
		const sent = JSON.stringify(openai.completions.map(r => r.body.messages));
		assert.ok(sent.includes("export const port = 3000; // listens here"), sent);
		assert.equal(res.output, "export const port = Number(process.env.PORT ?? 3000);");
	});
});

describe("orchestrator mcp (stdio) re-exporting the file-system tools", function () {
	this.timeout(30_000);
	let workspace: string;
	let client: Client;

	before(async () => {
		workspace = await realpath(await mkdtemp(join(tmpdir(), "orch-ws-")));
		await writeFile(join(workspace, "README.md"), "stdio readme\n");
		const configFile = join(workspace, "config.yaml");
		await writeFile(configFile, readFileSync("./config.yaml", "utf8").replace("reexport_tools: false", "reexport_tools: true"));
		const env = {
			...(process.env as Record<string, string>),
			TRANSPORTER: "",
			CACHER: "",
			SERVICES: "",
			NODE_ID: "",
			LOGLEVEL: "warn",
			CONFIG: configFile,
			WORKSPACE_DIR: workspace,
		};
		client = new Client({ name: "test-stdio", version: "0" });
		await client.connect(
			new StdioClientTransport({ command: process.execPath, args: [join(PROJECT_ROOT, "bin/orchestrator.js"), "mcp"], env, stderr: "ignore" }),
		);
	});

	after(async () => {
		await client?.close();
		await rm(workspace, { recursive: true, force: true });
	});

	it("offers filesystem__read_text_file next to its own tools (announced by tools/list_changed if it came late) and reads through it", async () => {
		const names = async () => (await client.listTools()).tools.map(t => t.name);
		// The file-system service connects in the background; the server tells the client when its tools arrive.
		const arrived = new Promise<void>(resolve => {
			client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
				if ((await names()).includes("filesystem__read_text_file")) resolve();
			});
		});
		if (!(await names()).includes("filesystem__read_text_file")) await arrived;
		const all = await names();
		for (const t of ["analyze_request", "orchestrate", "get_metrics", "filesystem__read_text_file"]) assert.ok(all.includes(t), t);
		const res = (await client.callTool({ name: "filesystem__read_text_file", arguments: { path: "README.md" } })) as CallToolResult;
		assert.equal((res.content[0] as { text: string }).text, "stdio readme\n");
	});
});
