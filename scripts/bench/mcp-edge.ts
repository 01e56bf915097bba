/**
 * npx tsx scripts/bench/mcp-edge.ts [requests] [rounds] [servers, comma-separated: all by default]
 *
 * CPU per request of the /mcp edge alone: HTTP in one process, the pipeline replaced by a broker stand-in
 * answering every `orchestrator.orchestrate` with the same recorded result (test/fixtures/orchestrate-result.json), so
 * what is measured is the transport, JSON-RPC handling, tool validation and the answer's encoding. Four
 * servers on loopback in this process, each asked `tools/call orchestrate` as bench:overhead asks it (32
 * clients, keep-alive), in alternating rounds (default 5 of 3,000 each, after a warm-up); CPU of the whole
 * process (the load clients too, the same for every server) per request, from process.cpuUsage():
 * - "plain JSON": a bare handler answering the result as a JSON-RPC body (what any edge pays: HTTP, JSON);
 * - "fresh server": a McpServer with the orchestrator's tools built per request, on the SDK's
 *   StreamableHTTPServerTransport (the SDK's stateless example; /mcp before McpServerPool);
 * - "SDK transport": a pooled server with the SDK's transport built, connected and closed per request
 *   (/mcp before NodeJsonTransport);
 * - "NodeJsonTransport": McpServerPool's leases as the gateway uses them (a tools/call of the server's own
 *   tools answered by directToolCall, services/gateway/tool-call.ts, without the SDK's Protocol).
 */
import { readFileSync } from "node:fs";
import { Agent, createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ServiceBroker } from "moleculer";
import { loadConfig } from "../../lib/config";
import { createMcpServer, leavesNoState, McpServerPool } from "../../services/gateway/tools";
import { post } from "./post";

const N = Number(process.argv[2] ?? 3_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const ONLY = process.argv[4]?.split(",");
const RESULT = JSON.parse(readFileSync(join(__dirname, "../../test/fixtures/orchestrate-result.json"), "utf8"));
const config = loadConfig();
const broker = { call: async () => RESULT, localBus: { on() {}, off() {} } } as unknown as ServiceBroker;

function readJson(req: IncomingMessage): Promise<unknown> {
	return new Promise(resolve => {
		const chunks: Buffer[] = [];
		req.on("data", c => chunks.push(c));
		req.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
	});
}

const pool = new McpServerPool(broker, config);
const sdkServers: McpServer[] = [];
const handlers: Record<string, (req: IncomingMessage, res: ServerResponse, body: unknown) => unknown> = {
	"plain JSON": async (_req, res, body) => {
		const result = await broker.call("orchestrator.orchestrate", (body as any).params.arguments);
		res.writeHead(200, { "Content-Type": "application/json" });
		res.end(
			JSON.stringify({
				result: { structuredContent: result, content: [{ type: "text", text: String(RESULT.output) }] },
				jsonrpc: "2.0",
				id: (body as any).id,
			}),
		);
	},
	"fresh server": async (req, res, body) => {
		const server = createMcpServer(broker, config);
		const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
		res.on("close", () => void transport.close().then(() => server.close()));
		await server.connect(transport);
		await transport.handleRequest(req, res, body);
	},
	"SDK transport": async (req, res, body) => {
		const server = sdkServers.pop() ?? createMcpServer(broker, config);
		const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
		res.on("close", () => void transport.close().then(() => sdkServers.push(server)));
		await server.connect(transport);
		await transport.handleRequest(req, res, body);
	},
	NodeJsonTransport: (req, res, body) => {
		const lease = pool.acquire({});
		res.on("close", () => pool.release(lease, res.writableFinished && leavesNoState(body)));
		lease.transport.handle(req, res, body);
	},
};

async function main() {
	const agent = new Agent({ keepAlive: true, maxSockets: 64 });
	const urls: Record<string, string> = {};
	for (const [name, handle] of Object.entries(handlers)) {
		if (ONLY && !ONLY.includes(name)) continue;
		const server = createServer((req, res) => void readJson(req).then(body => handle(req, res, body)));
		await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
		server.unref();
		urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
	}
	const body = JSON.stringify({
		jsonrpc: "2.0",
		id: 1,
		method: "tools/call",
		params: {
			name: "orchestrate",
			arguments: {
				request: "Explain the difference between TCP and UDP in two sentences.",
				options: { preferred_models: ["gpt-4.1-mini"], cache: false },
			},
		},
	});
	const run = async (url: string, n: number) => {
		let left = n;
		await Promise.all(
			Array.from({ length: 32 }, async () => {
				while (left-- > 0) await post(agent, url, { accept: "application/json, text/event-stream" }, body);
			}),
		);
	};
	for (const url of Object.values(urls)) await run(url, 2_000);
	const out: Record<string, number[]> = Object.fromEntries(Object.keys(urls).map(k => [k, []]));
	for (let r = 0; r < ROUNDS; r++)
		for (const [name, url] of Object.entries(urls)) {
			const before = process.cpuUsage();
			await run(url, N);
			const used = process.cpuUsage(before);
			out[name].push((used.user + used.system) / N);
		}
	console.log(`servers built by the pool: ${pool.built}`);
	for (const [name, us] of Object.entries(out))
		console.log(
			`${name}: ${us.map(u => u.toFixed(0)).join(", ")} µs CPU per request (median ${[...us].sort((a, b) => a - b)[Math.floor(us.length / 2)].toFixed(0)})`,
		);
	agent.destroy();
}

void main();
