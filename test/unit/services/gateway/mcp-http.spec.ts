import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { ServiceBroker } from "moleculer";
import { loadConfig } from "../../../../lib/config";
import { NodeJsonTransport } from "../../../../services/gateway/mcp-http";
import { createMcpServer, jsonTransportServer, noListChanged } from "../../../../services/gateway/tools";

const RESULT = JSON.parse(readFileSync(join(__dirname, "../../../fixtures/orchestrate-result.json"), "utf8"));
const config = loadConfig();
/** Answers every call with the recorded orchestrate result, except the requests that ask it to fail or to answer wrong. */
const broker = {
	call: async (_action: string, params: { request?: string }) => {
		if (params?.request === "throw") throw new Error("every provider failed");
		if (params?.request === "bad output") return { ...RESULT, intent: 42 };
		if (params?.request === "no output") return null;
		return RESULT;
	},
	localBus: { on() {}, off() {} },
} as unknown as ServiceBroker;

type Handler = (req: IncomingMessage, res: ServerResponse, body: unknown) => unknown;

async function listen(handle: Handler): Promise<{ server: Server; url: string }> {
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on("data", c => chunks.push(c));
		req.on("end", () => void handle(req, res, JSON.parse(Buffer.concat(chunks).toString())));
	});
	await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
	return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp` };
}

const ACCEPT = "application/json, text/event-stream";
const call = (id: number, name: string, args: unknown) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } });
const ORCHESTRATE = { request: "Explain the difference between TCP and UDP in two sentences.", options: { preferred_models: ["gpt-4.1-mini"] } };
const INIT = {
	jsonrpc: "2.0",
	id: 0,
	method: "initialize",
	params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
};

/** POST bodies and headers, each answered by both transports. */
const CASES: { name: string; body: unknown; headers?: Record<string, string> }[] = [
	{ name: "tools/call orchestrate", body: call(1, "orchestrate", ORCHESTRATE) },
	{ name: "tools/call with a string id", body: { ...call(1, "orchestrate", ORCHESTRATE), id: "a-b" } },
	{ name: "tools/list", body: { jsonrpc: "2.0", id: 2, method: "tools/list" } },
	{ name: "ping", body: { jsonrpc: "2.0", id: 3, method: "ping" } },
	{ name: "initialize", body: INIT },
	{
		name: "a batch of two requests and a notification",
		body: [call(4, "orchestrate", ORCHESTRATE), { jsonrpc: "2.0", method: "notifications/initialized" }, { jsonrpc: "2.0", id: 5, method: "ping" }],
	},
	{ name: "a notification alone (202)", body: { jsonrpc: "2.0", method: "notifications/initialized" } },
	{ name: "a client's response alone (202)", body: { jsonrpc: "2.0", id: 9, result: {} } },
	{ name: "an unknown method", body: { jsonrpc: "2.0", id: 6, method: "nope/nothing" } },
	{ name: "an unknown tool", body: call(7, "nope", {}) },
	{ name: "arguments the tool's schema refuses", body: call(8, "orchestrate", { request: 42 }) },
	{ name: "arguments with a key the tool's schema strips", body: call(8, "orchestrate", { ...ORCHESTRATE, extra: 1 }) },
	{ name: "no arguments", body: { jsonrpc: "2.0", id: 8, method: "tools/call", params: { name: "orchestrate" } } },
	{ name: "a tool whose action throws (a tool error)", body: call(10, "orchestrate", { request: "throw" }) },
	{ name: "a result the output schema refuses", body: call(11, "orchestrate", { request: "bad output" }) },
	{ name: "a result with no structured content", body: call(12, "orchestrate", { request: "no output" }) },
	{ name: "analyze_request (extra result keys pass its output schema)", body: call(13, "analyze_request", { request: "Explain TCP." }) },
	{ name: "get_metrics with a result its output schema refuses", body: call(14, "get_metrics", { period: "1m" }) },
	{
		name: "tools/call with a _meta progress token",
		body: { ...call(15, "orchestrate", ORCHESTRATE), params: { ...call(15, "orchestrate", ORCHESTRATE).params, _meta: { progressToken: 1 } } },
	},
	{ name: "tools/call with a fractional id (-32700)", body: { ...call(1, "orchestrate", ORCHESTRATE), id: 1.5 } },
	{ name: "tools/call with a null id (-32700)", body: { ...call(1, "orchestrate", ORCHESTRATE), id: null } },
	{ name: "tools/call whose params are not an object (-32700)", body: { jsonrpc: "2.0", id: 16, method: "tools/call", params: [1] } },
	{
		name: "tools/call whose arguments are not an object",
		body: { jsonrpc: "2.0", id: 17, method: "tools/call", params: { name: "orchestrate", arguments: [1] } },
	},
	{ name: "tools/call without a name", body: { jsonrpc: "2.0", id: 18, method: "tools/call", params: { arguments: {} } } },
	{
		name: "tools/call with a task",
		body: { ...call(19, "orchestrate", ORCHESTRATE), params: { ...call(19, "orchestrate", ORCHESTRATE).params, task: { ttl: 1000 } } },
	},
	{ name: "a batch of one tools/call", body: [call(20, "orchestrate", ORCHESTRATE)] },
	{ name: "no Accept (406)", body: { jsonrpc: "2.0", id: 3, method: "ping" }, headers: { accept: "" } },
	{ name: "Accept without text/event-stream (406)", body: { jsonrpc: "2.0", id: 3, method: "ping" }, headers: { accept: "application/json" } },
	{
		name: "a content type that is not application/json (415)",
		body: { jsonrpc: "2.0", id: 3, method: "ping" },
		headers: { "content-type": "application/vnd.api+json" },
	},
	{ name: "a message with an unknown envelope key (-32700)", body: { jsonrpc: "2.0", id: 3, method: "ping", extra: 1 } },
	{ name: "a batch over 100 messages (-32600)", body: Array.from({ length: 101 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "ping" })) },
	{ name: "initialize in a batch (-32600)", body: [INIT, { jsonrpc: "2.0", id: 3, method: "ping" }] },
	{ name: "an unsupported MCP-Protocol-Version (400)", body: { jsonrpc: "2.0", id: 3, method: "ping" }, headers: { "mcp-protocol-version": "1999-01-01" } },
	{ name: "a supported MCP-Protocol-Version", body: { jsonrpc: "2.0", id: 3, method: "ping" }, headers: { "mcp-protocol-version": "2025-03-26" } },
	{ name: "initialize with an unsupported MCP-Protocol-Version header", body: INIT, headers: { "mcp-protocol-version": "1999-01-01" } },
];

/**
 * NodeJsonTransport stands in for the SDK's StreamableHTTPServerTransport in JSON mode at /mcp: every case
 * answered by both, on servers with the orchestrator's tools, must match in status, content type and body.
 */
describe("NodeJsonTransport answers as the SDK's stateless JSON transport does", function () {
	this.timeout(20_000);
	let sdk: { server: Server; url: string };
	let ours: { server: Server; url: string };
	// One server and transport for every case, in turn, answering tools/call directly: what a pooled lease does.
	const { server, transport } = jsonTransportServer(broker, config);

	before(async () => {
		sdk = await listen(async (req, res, body) => {
			// Stateless as ours: no stream for notifications/tools/list_changed, so none advertised (noListChanged).
			const s = noListChanged(createMcpServer(broker, config));
			const t = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
			res.on("close", () => void t.close().then(() => s.close()));
			await s.connect(t);
			await t.handleRequest(req, res, body);
		});
		ours = await listen((req, res, body) => transport.handle(req, res, body));
	});

	after(async () => {
		await server.close();
		for (const s of [sdk?.server, ours?.server]) {
			s?.closeAllConnections();
			await new Promise(resolve => s?.close(resolve));
		}
	});

	const send = async (url: string, c: (typeof CASES)[number], raw = false) => {
		const res = await fetch(url, {
			method: "POST",
			headers: { "content-type": "application/json", accept: ACCEPT, ...c.headers },
			body: JSON.stringify(c.body),
		});
		const text = await res.text();
		if (raw) return text;
		// An empty 202 has no type of ours; the SDK's (through @hono/node-server) says text/plain.
		return { status: res.status, type: text ? res.headers.get("content-type") : null, body: text ? JSON.parse(text) : null };
	};

	for (const c of CASES)
		it(c.name, async () => {
			const [theirs, mine] = [await send(sdk.url, c), await send(ours.url, c)];
			assert.deepEqual(mine, theirs);
			assert.equal(transport.busy, false);
		});

	// A tools/call answered without the SDK's Protocol (services/gateway/tool-call.ts) writes the same bytes, key order included.
	for (const c of CASES.filter(c => !Array.isArray(c.body) && (c.body as { method?: string }).method === "tools/call"))
		it(`${c.name}: the same body, byte for byte`, async () => assert.equal(await send(ours.url, c, true), await send(sdk.url, c, true)));

	// One write with its length, as /api answers (moleculer-web): headers sent before the body was known framed every answer as chunked.
	it("frames every answer with a Content-Length, not chunked", async () => {
		for (const c of CASES) {
			const res = await fetch(ours.url, {
				method: "POST",
				headers: { "content-type": "application/json", accept: ACCEPT, ...c.headers },
				body: JSON.stringify(c.body),
			});
			const body = Buffer.from(await res.arrayBuffer());
			assert.equal(res.headers.get("transfer-encoding"), null, c.name);
			assert.equal(res.headers.get("content-length"), String(body.length), c.name);
		}
	});

	it("answers a plain tools/call of its own tools itself, anything else through the server's Protocol", async () => {
		const seen: string[] = [];
		const onmessage = transport.onmessage!;
		transport.onmessage = (m, extra) => {
			seen.push((m as { method: string }).method);
			onmessage(m, extra);
		};
		try {
			const direct = [
				"tools/call orchestrate",
				"arguments the tool's schema refuses",
				"no arguments",
				"a tool whose action throws (a tool error)",
				"a result the output schema refuses",
				"get_metrics with a result its output schema refuses",
				"a batch of one tools/call",
			];
			for (const name of direct)
				await send(
					ours.url,
					CASES.find(c => c.name === name)!,
				);
			assert.deepEqual(seen, []);
			for (const name of ["an unknown tool", "tools/call with a _meta progress token", "tools/call with a task", "ping"])
				await send(
					ours.url,
					CASES.find(c => c.name === name)!,
				);
			assert.deepEqual(seen, ["tools/call", "tools/call", "tools/call", "ping"]);
		} finally {
			transport.onmessage = onmessage;
		}
	});

	it("takes one HTTP request at a time", async () => {
		const slow = new NodeJsonTransport();
		const s = createMcpServer({ ...broker, call: () => new Promise(() => {}) } as unknown as ServiceBroker, config);
		await s.connect(slow);
		const res = { writeHead: () => res, end: () => res } as unknown as ServerResponse;
		const req = { headers: { accept: ACCEPT, "content-type": "application/json" } } as IncomingMessage;
		slow.handle(req, res, call(1, "orchestrate", ORCHESTRATE));
		assert.equal(slow.busy, true);
		assert.throws(() => slow.handle(req, res, call(2, "orchestrate", ORCHESTRATE)), /one HTTP request at a time/);
		await s.close();
		assert.throws(() => slow.handle(req, res, call(3, "orchestrate", ORCHESTRATE)), /closed/);
	});
});
