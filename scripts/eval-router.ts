/**
 * Router precision/recall against the labeled dev set's `tool_answerable` field.
 *   npm run eval:router [-- --verbose]      (DATA_DIR, default ../shared/data beside the project)
 * The tool lists come from the real servers of the default config.yaml (the file-system server and the
 * workspace-search server, started over stdio, listed, stopped), so the figure reflects the tools it offers.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PROJECT_ROOT } from "../lib/config";
import type { Intent, RequestContext, Route } from "../lib/contracts";
import { classifyIntent } from "../services/intent/classifier";
import { chooseRoute } from "../services/router/route";
import { defaultServices, routeScore as score } from "./eval/tools";
import { scriptArgs } from "./cli-args";

const ARGS = scriptArgs("npm run eval:router [-- --verbose]\n  Zero-token route precision and recall on the labeled dev set (DATA_DIR).", {
	verbose: { type: "boolean" },
}).values;

interface Labeled {
	id: string;
	request: string;
	context?: RequestContext;
	intent: Intent;
	tool_answerable: boolean;
}

async function main() {
	const verbose = !!ARGS.verbose;
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
	const services = await defaultServices();
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
		console.log(
			`  tool only (zero LLM tokens): ${results.filter(x => x.toolOnly).length} routed, precision ${toolOnly.precision.toFixed(3)}, recall ${toolOnly.recall.toFixed(3)} (tp ${toolOnly.tp}, fp ${toolOnly.fp}, fn ${toolOnly.fn})`,
		);
		console.log(
			`  tool only or tool+LLM chain: ${results.filter(x => x.anyTool).length} routed (${chains} chains), precision ${anyTool.precision.toFixed(3)}, recall ${anyTool.recall.toFixed(3)}`,
		);
		if (verbose && source === "labeled intent") {
			for (const x of results) {
				const mark = x.anyTool === x.r.tool_answerable ? " " : x.anyTool ? "+" : "-";
				if (mark !== " " || x.anyTool) {
					console.log(
						`  ${mark} ${x.r.id} [${x.r.intent}] ${x.r.request.slice(0, 90)}\n      -> ${x.route.kind === "mcp" ? `${x.route.tool} ${JSON.stringify(x.route.arguments)}${x.route.then_llm ? " + LLM" : ""}` : "llm"}`,
					);
				}
			}
		}
	}
}

main().catch(err => {
	console.error(err instanceof Error ? err.message : err);
	process.exit(1);
});
