import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CallToolResultSchema, ErrorCode, McpError, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { freePort } from "../helpers";

const BIN = resolve(__dirname, "../../bin/orchestrator.js");
const baseEnv = () => ({ ...(process.env as Record<string, string>), TRANSPORTER: "", CACHER: "", SERVICES: "", NODE_ID: "", LOGLEVEL: "warn" });

/**
 * The same contract over both MCP transports, as a desktop client and an HTTP client connect. `listChanged`: whether the
 * transport can send notifications/tools/list_changed (stdio), and so advertises it (spec: server/tools, capabilities).
 */
function toolContract(connect: () => Promise<Client>, listChanged: boolean) {
	let client: Client;
	before(async () => {
		client = await connect();
	});
	after(() => client?.close());

	it(`the tools capability ${listChanged ? "advertises" : "does not advertise"} listChanged`, () => {
		const tools = client.getServerCapabilities()?.tools;
		assert.ok(tools, "no tools capability");
		assert.equal(tools.listChanged, listChanged ? true : undefined, JSON.stringify(tools));
	});

	it("lists exactly the three tools with output schemas", async () => {
		const { tools } = await client.listTools();
		const names = tools.map(t => t.name).filter(n => !n.includes("__"));
		assert.deepEqual(names.sort(), ["analyze_request", "get_metrics", "orchestrate"]);
		for (const t of tools) assert.ok(t.outputSchema, `${t.name} declares an outputSchema`);
	});

	it("analyze_request returns structuredContent and a readable text block", async () => {
		const res: any = await client.callTool({
			name: "analyze_request",
			arguments: { request: "deploy the billing service to staging", context: { framework: "k8s" } },
		});
		assert.equal(res.isError, undefined);
		assert.equal(res.structuredContent.intent, "MANAGE");
		assert.ok(res.content[0].text.includes("MANAGE"));
	});

	it("orchestrate with dry_run returns the plan", async () => {
		const res: any = await client.callTool({ name: "orchestrate", arguments: { request: "write a unit test for parseDate", options: { dry_run: true } } });
		assert.equal(res.isError, undefined);
		assert.equal(res.structuredContent.output, null);
		assert.ok(res.structuredContent.model);
		assert.deepEqual(res.structuredContent.attempts, []);
	});

	it("get_metrics answers for a period", async () => {
		const res: any = await client.callTool({ name: "get_metrics", arguments: { period: "5m" } });
		assert.equal(res.isError, undefined);
		assert.equal(res.structuredContent.period, "5m");
	});

	it("a missing request is an error naming the field, and the server keeps serving", async () => {
		const res: any = await client.callTool({ name: "analyze_request", arguments: { context: {} } });
		assert.equal(res.isError, true);
		assert.match(res.content[0].text, /request/);
		const ok: any = await client.callTool({ name: "analyze_request", arguments: { request: "show README.md" } });
		assert.equal(ok.isError, undefined);
	});

	it("a blank request is an error naming the field, not a call to a model", async () => {
		for (const name of ["analyze_request", "orchestrate"]) {
			const res: any = await client.callTool({ name, arguments: { request: " \n\t " } });
			assert.equal(res.isError, true, name);
			assert.match(res.content[0].text, /request/);
			assert.match(res.content[0].text, /blank/);
		}
	});

	it("an unknown tool is the JSON-RPC error -32602, not a tool result (spec: server/tools, error handling)", async () => {
		const err: any = await client.callTool({ name: "no_such_tool", arguments: {} }).then(
			r => assert.fail(`expected a protocol error, got a result: ${JSON.stringify(r)}`),
			e => e,
		);
		assert.ok(err instanceof McpError, String(err));
		assert.equal(err.code, ErrorCode.InvalidParams);
		assert.match(err.message, /Unknown tool: no_such_tool/);
		const ok: any = await client.callTool({ name: "get_metrics", arguments: { period: "1m" } });
		assert.equal(ok.isError, undefined);
	});

	it("tools/call params without a name or with non-object arguments are the request's JSON-RPC error -32602", async () => {
		for (const params of [{ arguments: {} }, { name: "get_metrics", arguments: [1] }]) {
			const err: any = await client.request({ method: "tools/call", params: params as any }, CallToolResultSchema).then(
				r => assert.fail(`expected a protocol error, got a result: ${JSON.stringify(r)}`),
				e => e,
			);
			assert.ok(err instanceof McpError, `${JSON.stringify(params)}: ${String(err)}`);
			assert.equal(err.code, ErrorCode.InvalidParams);
		}
	});

	it("a task-augmented tools/call is run as a normal call, its task ignored: the server declares no tasks capability (spec 2025-11-25: basic/utilities/tasks)", async () => {
		assert.equal(client.getServerCapabilities()?.tasks, undefined);
		// The SDK Client refuses to augment a call the server has no capability for; a client that does anyway sends this.
		const params = { name: "get_metrics", arguments: { period: "1m" }, task: { ttl: 60_000 } };
		const res: any = await client.request({ method: "tools/call", params }, CallToolResultSchema);
		assert.equal(res.isError, undefined, JSON.stringify(res));
		assert.equal(res.structuredContent.period, "1m");
		assert.equal(res.task, undefined);
	});

	it("logging/setLevel (the logging capability is advertised) takes a level; an unknown one is -32602 naming the field", async () => {
		assert.ok(client.getServerCapabilities()?.logging);
		assert.deepEqual(await client.setLoggingLevel("warning"), {});
		const err: any = await client.setLoggingLevel("loud" as any).then(
			() => assert.fail("an unknown level was taken"),
			e => e,
		);
		assert.ok(err instanceof McpError, String(err));
		assert.equal(err.code, ErrorCode.InvalidParams);
		assert.match(err.message, /logging\/setLevel: .*level/s);
	});

	it("wrong types are errors naming the field", async () => {
		const res: any = await client.callTool({ name: "orchestrate", arguments: { request: "x", options: { max_cost: "cheap" } } });
		assert.equal(res.isError, true);
		assert.match(res.content[0].text, /max_cost/);
		const period: any = await client.callTool({ name: "get_metrics", arguments: { period: "2w" } });
		assert.equal(period.isError, true);
		assert.match(period.content[0].text, /period/);
	});

	it("an option beside request, not inside options, is a tool error saying where it belongs, not a call without it", async () => {
		// The SDK would strip the unknown key: a cost cap read as no cap, a dry run run for real.
		for (const [key, value] of [
			["max_cost", 0.01],
			["dry_run", true],
		] as const) {
			const res: any = await client.callTool({ name: "orchestrate", arguments: { request: "explain closures", [key]: value } });
			assert.equal(res.isError, true, JSON.stringify(res));
			assert.match(res.content[0].text, new RegExp(`belongs inside options \\(\\{"options": \\{"${key}": \\.\\.\\.\\}\\}\\)`));
		}
		// The tool's schema names only the contract's fields, and an unrelated extra key is still ignored.
		const { tools } = await client.listTools();
		const schema: any = tools.find(t => t.name === "orchestrate")?.inputSchema;
		assert.deepEqual(Object.keys(schema.properties).sort(), ["context", "options", "request"]);
		const plan: any = await client.callTool({
			name: "orchestrate",
			arguments: { request: "write a unit test for parseDate", note: "x", options: { dry_run: true } },
		});
		assert.notEqual(plan.isError, true, JSON.stringify(plan));
		assert.equal(plan.structuredContent.dry_run, true);
	});

	it("a request over the size limit is refused naming the limit", async () => {
		const res: any = await client.callTool({ name: "analyze_request", arguments: { request: "x".repeat(100_001) } });
		assert.equal(res.isError, true);
		assert.match(res.content[0].text, /request/);
		assert.match(res.content[0].text, /100000/);
	});

	it("orchestrate with no provider configured is a tool error naming the model and the variable", async () => {
		const res: any = await client.callTool({
			name: "orchestrate",
			arguments: { request: "explain closures", options: { preferred_models: ["claude-haiku-4-5"] } },
		});
		assert.equal(res.isError, true);
		assert.match(res.content[0].text, /claude-haiku-4-5.*ANTHROPIC_API_KEY/);
	});
}

describe("MCP over stdio: orchestrator mcp", function () {
	this.timeout(30_000);
	toolContract(async () => {
		const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, "mcp"], env: baseEnv(), stderr: "ignore" });
		const client = new Client({ name: "test-stdio", version: "1.0.0" });
		await client.connect(transport);
		return client;
	}, true);
});

describe("MCP over Streamable HTTP and REST: orchestrator start", function () {
	this.timeout(30_000);
	let child: ChildProcess;
	let base: string;
	let metricsPort: number;

	before(async () => {
		const port = await freePort();
		metricsPort = await freePort();
		base = `http://127.0.0.1:${port}`;
		child = spawn(process.execPath, [BIN, "start"], {
			env: { ...baseEnv(), PORT: String(port), METRICS_PORT: String(metricsPort) },
			stdio: ["ignore", "ignore", "inherit"],
		});
		// Ready when /health says so: the broker is up and the pipeline reachable.
		for (let i = 0; i < 150; i++) {
			const ok = await fetch(`${base}/health`)
				.then(r => r.ok)
				.catch(() => false);
			if (ok) return;
			await new Promise(r => setTimeout(r, 100));
		}
		throw new Error("orchestrator start did not become healthy");
	});
	after(() => {
		child?.kill("SIGTERM");
	});

	toolContract(async () => {
		const client = new Client({ name: "test-http", version: "1.0.0" });
		await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`)));
		return client;
	}, false);

	/** The SDK's client transport alone (no Client), for what a Client never sends; answers collected by id. */
	async function rawTransport(version: string) {
		const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`));
		const answers: JSONRPCMessage[] = [];
		transport.onmessage = m => answers.push(m);
		await transport.start();
		transport.setProtocolVersion(version);
		return { transport, answers };
	}
	const ping = (id: number): JSONRPCMessage => ({ jsonrpc: "2.0", id, method: "ping" });

	it("a JSON-RPC batch under 2025-06-18 or later is 400 -32600 (batches left the transport then); under 2025-03-26 it is answered", async () => {
		for (const version of ["2025-11-25", "2025-06-18"]) {
			const { transport, answers } = await rawTransport(version);
			const err: any = await transport.send([ping(1), ping(2)]).then(
				() => assert.fail(`${version}: a batch was answered`),
				e => e,
			);
			assert.ok(err instanceof StreamableHTTPError, String(err));
			assert.equal(err.code, 400);
			assert.match(err.message, /-32600/);
			assert.match(err.message, new RegExp(`MCP ${version} takes one JSON-RPC message per POST`));
			assert.deepEqual(answers, []);
			await transport.send(ping(3));
			assert.deepEqual(answers, [{ jsonrpc: "2.0", id: 3, result: {} }], `${version}: one message per POST is still served`);
			await transport.close();
		}
		const { transport, answers } = await rawTransport("2025-03-26");
		await transport.send([ping(1), ping(2)]);
		assert.deepEqual(
			answers.map(a => (a as { id: number }).id),
			[1, 2],
		);
		await transport.close();
	});

	const post = (path: string, body: string) => fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });

	it("POST /api/analyze answers the same object as the tool's structuredContent", async () => {
		const res = await post("/api/analyze", JSON.stringify({ request: "deploy the billing service to staging" }));
		assert.equal(res.status, 200);
		const body = await res.json();
		assert.equal(body.intent, "MANAGE");
		assert.ok("baseline_cost_usd" in body);
	});

	it("POST /api/orchestrate with dry_run returns the plan", async () => {
		const res = await post("/api/orchestrate", JSON.stringify({ request: "explain closures", options: { dry_run: true } }));
		assert.equal(res.status, 200);
		assert.equal((await res.json()).dry_run, true);
	});

	it("GET /api/metrics?period=5m returns the window", async () => {
		const res = await fetch(`${base}/api/metrics?period=5m`);
		assert.equal(res.status, 200);
		assert.equal((await res.json()).period, "5m");
	});

	it("REST errors are 4xx with {error: {type, message}} naming the problem", async () => {
		const missing = await post("/api/analyze", JSON.stringify({ context: {} }));
		assert.equal(missing.status, 422);
		const body = await missing.json();
		assert.equal(body.error.type, "VALIDATION_ERROR");
		assert.match(body.error.message, /'request'/);

		const wrongType = await post("/api/orchestrate", JSON.stringify({ request: 42 }));
		assert.equal(wrongType.status, 422);
		assert.match((await wrongType.json()).error.message, /'request'/);

		const blank = await post("/api/orchestrate", JSON.stringify({ request: "   " }));
		assert.equal(blank.status, 422);
		assert.match((await blank.json()).error.message, /'request' field must not be blank/);

		const badJson = await post("/api/analyze", "{not json");
		assert.equal(badJson.status, 400);
		assert.ok((await badJson.json()).error.message);

		const period = await fetch(`${base}/api/metrics?period=2w`);
		assert.equal(period.status, 422);
		assert.match((await period.json()).error.message, /'period' field must be one of 1m, 5m, 1h, 1d, not '2w'/);

		const strategy = await post("/api/analyze", JSON.stringify({ request: "x", options: { prompt_strategy: "fancy" } }));
		assert.equal(strategy.status, 422);
		assert.match((await strategy.json()).error.message, /'options.prompt_strategy' field must be one of default, llm, not 'fancy'/);

		// An option beside request, not inside options, would otherwise be dropped: a cost cap read as no cap.
		const misplaced = await post("/api/orchestrate", JSON.stringify({ request: "explain closures", max_cost: 0.01 }));
		assert.equal(misplaced.status, 422);
		assert.match((await misplaced.json()).error.message, /'max_cost' field belongs inside options \(\{"options": \{"max_cost": \.\.\.\}\}\)/);
		const misplacedDry = await post("/api/analyze", JSON.stringify({ request: "explain generators", dry_run: true }));
		assert.equal(misplacedDry.status, 422);
		assert.match((await misplacedDry.json()).error.message, /'dry_run' field belongs inside options/);
		// Moleculer's cacher answers before its validator: a valid analysis cached under the same key must not answer
		// params the contract refuses (dry_run is not part of the analysis key).
		assert.equal((await post("/api/analyze", JSON.stringify({ request: "explain recursion" }))).status, 200);
		const badAfterHit = await post("/api/analyze", JSON.stringify({ request: "explain recursion", options: { dry_run: "maybe" } }));
		assert.equal(badAfterHit.status, 422);
		assert.match((await badAfterHit.json()).error.message, /'options.dry_run' field/);
		assert.equal((await post("/api/analyze", JSON.stringify({ request: "explain recursion", dry_run: true }))).status, 422);
		assert.equal((await post("/api/analyze", JSON.stringify({ request: "explain recursion", options: { dry_run: true } }))).status, 200);

		const files = await post("/api/analyze", JSON.stringify({ request: "review this", context: { files: [{ path: 1 }] } }));
		assert.equal(files.status, 422);
		assert.match((await files.json()).error.message, /'context.files' field must be an array of \{path: string, content: string\}/);

		const big = await post("/api/analyze", JSON.stringify({ request: "summarize", context: { logs: "x".repeat(4 * 1024 * 1024 + 1) } }));
		assert.equal(big.status, 413);
		assert.match((await big.json()).error.message, /max_context_bytes/);

		const huge = await post("/api/analyze", JSON.stringify({ request: "summarize", context: { logs: "x".repeat(9 * 1024 * 1024) } }));
		assert.equal(huge.status, 413);
		assert.match((await huge.json()).error.message, /max_body_bytes/);
	});

	it("GET /health reports ready", async () => {
		const res = await fetch(`${base}/health`);
		assert.equal(res.status, 200);
		assert.equal((await res.json()).status, "ok");
	});

	it("exports Prometheus metrics on METRICS_PORT", async () => {
		const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
		assert.match(text, /moleculer_/);
		assert.match(text, /orchestrator_requests_total/);
	});
});
