/**
 * npx tsx scripts/bench/mcp-server.ts [iterations] [rounds]
 *
 * What the /mcp endpoint spends on MCP server objects per request, without HTTP or the pipeline: a fresh
 * McpServer with the orchestrator's tools, a transport, connect and close (what each request did before
 * McpServerPool), against a pooled server's share (a transport, connect and close). Alternating rounds
 * (default 5 of 5,000 each, after a warm-up), microseconds per request, GC included; a broker stand-in
 * (no tool is called).
 */
import type { ServiceBroker } from "moleculer";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { loadConfig } from "../../lib/config";
import { createMcpServer, McpServerPool } from "../../services/gateway/tools";

const N = Number(process.argv[2] ?? 5_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const config = loadConfig();
const broker = { call: async () => ({}), localBus: { on() {}, off() {} } } as unknown as ServiceBroker;
const pool = new McpServerPool(broker, config);

const variants: Record<string, () => Promise<void>> = {
	"fresh server": async () => {
		const server = createMcpServer(broker, config, {});
		const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
		await server.connect(transport);
		await transport.close();
		await server.close();
	},
	"pooled server": async () => {
		const lease = pool.acquire({ key: { name: "bench" } });
		const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
		await lease.server.connect(transport);
		await transport.close();
		pool.release(lease, true);
	},
};

async function main() {
	for (const run of Object.values(variants)) for (let i = 0; i < 2_000; i++) await run();
	const out: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map(k => [k, []]));
	for (let r = 0; r < ROUNDS; r++) {
		for (const [name, run] of Object.entries(variants)) {
			const s = process.hrtime.bigint();
			for (let i = 0; i < N; i++) await run();
			out[name].push(Number(process.hrtime.bigint() - s) / 1e3 / N);
		}
	}
	for (const [name, us] of Object.entries(out))
		console.log(
			`${name}: ${us.map(u => u.toFixed(1)).join(", ")} µs per request (median ${[...us].sort((a, b) => a - b)[Math.floor(us.length / 2)].toFixed(1)})`,
		);
	console.log(`servers built by the pool: ${pool.built}`);
}

void main();
