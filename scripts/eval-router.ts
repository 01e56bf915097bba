/**
 * Router precision/recall against the labeled dev set's `tool_answerable` field.
 *   npm run eval:router [-- --verbose]      (DATA_DIR, default ../shared/data beside the project)
 * The tool lists come from the real servers of the default config.yaml (the file-system server and the
 * workspace-search server, started over stdio, listed, stopped), so the figure reflects the tools it offers.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { PROJECT_ROOT } from "../lib/config";
import type { Intent, RequestContext, Route } from "../lib/contracts";
import { classifyIntent } from "../services/intent/classifier";
import { toolKind } from "../services/mcp/guard";
import { chooseRoute, type LiveMcpService } from "../services/router/route";

interface Labeled {
	id: string;
	request: string;
	context?: RequestContext;
	intent: Intent;
	tool_answerable: boolean;
}

/** A live-looking service from a real server's tool list (started over stdio, listed, stopped). */
async function serviceFrom(name: string, serverFile: string, capabilities: string[]): Promise<LiveMcpService> {
	const client = new Client({ name: "eval-router", version: "0" });
	await client.connect(new StdioClientTransport({ command: process.execPath, args: [join(PROJECT_ROOT, serverFile), PROJECT_ROOT], stderr: "ignore" }));
	const { tools } = await client.listTools();
	await client.close();
	return {
		service: `mcp.${name}`,
		meta: {
			server: name,
			capabilities,
			connected: true,
			tools: tools.map(t => ({ name: t.name, description: t.description, inputSchema: t.inputSchema as Record<string, unknown>, kind: toolKind(t) })),
		},
	};
}

function score(rows: { label: boolean; predicted: boolean }[]) {
	const tp = rows.filter(r => r.label && r.predicted).length;
	const fp = rows.filter(r => !r.label && r.predicted).length;
	const fn = rows.filter(r => r.label && !r.predicted).length;
	const precision = tp + fp ? tp / (tp + fp) : 1;
	const recall = tp + fn ? tp / (tp + fn) : 1;
	return { tp, fp, fn, precision: +precision.toFixed(3), recall: +recall.toFixed(3) };
}

async function main() {
	const verbose = process.argv.includes("--verbose");
	// Beside the project, as the other evaluation scripts read it.
	const dataDir = resolve(process.env.DATA_DIR || join(PROJECT_ROOT, "..", "shared", "data"));
	let text: string;
	try {
		text = readFileSync(join(dataDir, "requests-dev.jsonl"), "utf8");
	} catch {
		throw new Error(`no requests-dev.jsonl in ${dataDir}; set DATA_DIR to the shared data folder`);
	}
	const rows: Labeled[] = text
		.split("\n")
		.filter(l => l.trim())
		.map(l => JSON.parse(l));
	// The default config.yaml's services: the reference file-system server and our content-search server.
	const services = [
		await serviceFrom("filesystem", "node_modules/@modelcontextprotocol/server-filesystem/dist/index.js", ["read", "search"]),
		await serviceFrom("search", "mcp-servers/workspace-search.js", ["read", "search"]),
	];
	for (const source of ["labeled intent", "classifier intent"] as const) {
		const results = rows.map(r => {
			const intent = source === "labeled intent" ? r.intent : classifyIntent(r.request, r.context).intent;
			const route: Route = chooseRoute({ request: r.request, context: r.context, intent }, services);
			return { r, route, toolOnly: route.kind === "mcp" && !route.then_llm, anyTool: route.kind === "mcp" };
		});
		const toolOnly = score(results.map(x => ({ label: x.r.tool_answerable, predicted: x.toolOnly })));
		const anyTool = score(results.map(x => ({ label: x.r.tool_answerable, predicted: x.anyTool })));
		const chains = results.filter(x => x.anyTool && !x.toolOnly).length;
		console.log(`${source}: ${rows.length} requests, ${rows.filter(r => r.tool_answerable).length} labeled tool_answerable`);
		console.log(`  tool only (zero LLM tokens): ${results.filter(x => x.toolOnly).length} routed, precision ${toolOnly.precision}, recall ${toolOnly.recall} (tp ${toolOnly.tp}, fp ${toolOnly.fp}, fn ${toolOnly.fn})`);
		console.log(`  tool only or tool+LLM chain: ${results.filter(x => x.anyTool).length} routed (${chains} chains), precision ${anyTool.precision}, recall ${anyTool.recall}`);
		if (verbose && source === "labeled intent") {
			for (const x of results) {
				const mark = x.anyTool === x.r.tool_answerable ? " " : x.anyTool ? "+" : "-";
				if (mark !== " " || x.anyTool) {
					console.log(`  ${mark} ${x.r.id} [${x.r.intent}] ${x.r.request.slice(0, 90)}\n      -> ${x.route.kind === "mcp" ? `${x.route.tool} ${JSON.stringify(x.route.arguments)}${x.route.then_llm ? " + LLM" : ""}` : "llm"}`);
				}
			}
		}
	}
}

main().catch(err => {
	console.error(err instanceof Error ? err.message : err);
	process.exit(1);
});
