import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { ServiceBroker } from "moleculer";
import { loadConfig } from "../../../../lib/config";
import { NodeJsonTransport } from "../../../../services/gateway/mcp-http";
import { createMcpServer } from "../../../../services/gateway/tools";

const RESULT = JSON.parse(readFileSync(join(__dirname, "../../../fixtures/orchestrate-result.json"), "utf8"));
const config = loadConfig();
const broker = { call: async () => RESULT, localBus: { on() {}, off() {} } } as unknown as ServiceBroker;

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
	const server = createMcpServer(broker, config);
	const transport = new NodeJsonTransport();

	before(async () => {
		sdk = await listen(async (req, res, body) => {
			const s = createMcpServer(broker, config);
			const t = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
			res.on("close", () => void t.close().then(() => s.close()));
			await s.connect(t);
			await t.handleRequest(req, res, body);
		});
		await server.connect(transport);
		// One server and transport for every case, in turn: what a pooled lease does.
		ours = await listen((req, res, body) => transport.handle(req, res, body));
	});

	after(async () => {
		await server.close();
		for (const s of [sdk?.server, ours?.server]) {
			s?.closeAllConnections();
			await new Promise(resolve => s?.close(resolve));
		}
	});

	const send = async (url: string, c: (typeof CASES)[number]) => {
		const res = await fetch(url, {
			method: "POST",
			headers: { "content-type": "application/json", accept: ACCEPT, ...c.headers },
			body: JSON.stringify(c.body),
		});
		const text = await res.text();
		// An empty 202 has no type of ours; the SDK's (through @hono/node-server) says text/plain.
		return { status: res.status, type: text ? res.headers.get("content-type") : null, body: text ? JSON.parse(text) : null };
	};

	for (const c of CASES)
		it(c.name, async () => {
			const [theirs, mine] = [await send(sdk.url, c), await send(ours.url, c)];
			assert.deepEqual(mine, theirs);
			assert.equal(transport.busy, false);
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
