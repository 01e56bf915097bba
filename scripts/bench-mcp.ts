/**
 * Latency of requests answered by a downstream MCP tool, through the whole pipeline, and what the
 * LLM path would have cost for them.
 *   npm run bench:mcp [-- --n 200]
 * In-process broker (no transporter), the real file-system server over stdio in a temporary workspace.
 */
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseConfig } from "../lib/config";
import { createBroker } from "../lib/runner";
import type { OrchestrateResult } from "../lib/contracts";

const REQUESTS = [
	"Show me the contents of README.md",
	"cat package.json pls",
	"What's in the src folder?",
	"all *.ts files",
	"size and last modified date of src/server.ts",
];

function pct(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
	const { values } = parseArgs({ options: { n: { type: "string", default: "200" } } });
	const n = Number(values.n);
	const ws = await realpath(await mkdtemp(join(tmpdir(), "bench-mcp-")));
	await mkdir(join(ws, "src"));
	await writeFile(join(ws, "README.md"), "# Demo\n\n" + "Some documentation line.\n".repeat(40));
	await writeFile(join(ws, "package.json"), JSON.stringify({ name: "demo", version: "1.0.0", scripts: { start: "node ." } }, null, 2));
	await writeFile(join(ws, "src/server.ts"), "export const port = 3000;\n".repeat(20));
	const env = { ...process.env, WORKSPACE_DIR: ws, METRICS_PORT: "off", LOGLEVEL: "warn", TRANSPORTER: "", CACHER: "", SERVICES: "" };
	const config = parseConfig(readFileSync("./config.yaml", "utf8"), "config.yaml", env);
	const broker = createBroker({ env, config, exclude: ["gateway"], broker: { logger: false } });
	await broker.start();
	await broker.waitForServices(["orchestrator", "mcp.filesystem"]);
	while (!(await broker.call<{ connected: boolean }, unknown>("mcp.filesystem.status", {})).connected) {
		await new Promise(r => broker.localBus.once("$services.changed", r));
	}
	try {
		for (const r of REQUESTS) await broker.call("orchestrator.orchestrate", { request: r }); // warm-up
		const pipeline: number[] = [];
		const direct: number[] = [];
		let baselineTokens = 0;
		let baselineCost = 0;
		let tokens = 0;
		for (let i = 0; i < n; i++) {
			const request = REQUESTS[i % REQUESTS.length];
			let t = process.hrtime.bigint();
			const res = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request, options: { cache: false } });
			pipeline.push(Number(process.hrtime.bigint() - t) / 1e6);
			if (res.route.kind !== "mcp" || res.route.then_llm) throw new Error(`'${request}' did not take a tool route: ${JSON.stringify(res.route)}`);
			tokens += res.usage.input_tokens + res.usage.output_tokens;
			baselineTokens += res.baseline_input_tokens;
			baselineCost += res.baseline_cost_usd;
			t = process.hrtime.bigint();
			await broker.call("mcp.filesystem.callTool", { tool: res.route.tool, arguments: res.route.arguments });
			direct.push(Number(process.hrtime.bigint() - t) / 1e6);
		}
		pipeline.sort((a, b) => a - b);
		direct.sort((a, b) => a - b);
		const f = (x: number) => x.toFixed(2);
		console.log(`${n} tool-answered requests (${REQUESTS.length} kinds: read, read, list, search, file info), node ${process.version}`);
		console.log(
			`  orchestrate, whole pipeline: p50 ${f(pct(pipeline, 50))} ms, p95 ${f(pct(pipeline, 95))} ms, max ${f(pipeline[pipeline.length - 1])} ms`,
		);
		console.log(`  mcp.filesystem.callTool alone: p50 ${f(pct(direct, 50))} ms, p95 ${f(pct(direct, 95))} ms`);
		console.log(
			`  LLM tokens spent: ${tokens}; the baseline (${config.tiers.complex.preferred}, whole request) would have sent ${baselineTokens} input tokens, $${baselineCost.toFixed(4)} in all`,
		);
	} finally {
		await broker.stop();
		await rm(ws, { recursive: true, force: true });
	}
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
