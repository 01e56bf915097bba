/**
 * The route rules' misses and false routes on the rows they may be tuned on: the training labels
 * (data/train/*.jsonl) and the older held-out sets (blind2, blind3 and blind4 since their first runs: no longer blind).
 * Never the blind set that is scored once (data/holdout/nl2bash-routes-blind5.jsonl): it stays out of this loop on purpose.
 *   npx tsx scripts/route-misses.ts [--misses] [--false] [--source nl2bash]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Route } from "../lib/contracts";
import { classifyIntent } from "../services/intent/classifier";
import type { LabeledRequest } from "../services/intent/model";
import { gatedRoute } from "../services/router/gate";
import { fileOp } from "../services/router/route";
import { defaultServices, routeScore } from "./eval/tools";

const ROOT = join(__dirname, "..");
const SETS: [string, string][] = [
	["dev", "data/train/requests-dev.jsonl"],
	["codechat", "data/train/codechat.jsonl"],
	["nl2bash", "data/train/nl2bash.jsonl"],
	["holdout-blind4", "data/holdout/nl2bash-routes-blind4.jsonl"],
	["holdout-blind3", "data/holdout/nl2bash-routes-blind3.jsonl"],
	["holdout-blind2", "data/holdout/nl2bash-routes-blind2.jsonl"],
	["holdout-blind", "data/holdout/nl2bash-routes-blind.jsonl"],
	["holdout", "data/holdout/nl2bash-routes.jsonl"],
];

async function main() {
	const arg = (k: string) => process.argv.includes(k);
	const only = process.argv.includes("--source") ? process.argv[process.argv.indexOf("--source") + 1] : undefined;
	const services = await defaultServices();
	for (const [source, file] of SETS) {
		if (only && source !== only) continue;
		const rows = readFileSync(join(ROOT, file), "utf8")
			.split("\n")
			.filter(l => l.trim())
			.map(l => JSON.parse(l) as LabeledRequest)
			.filter(r => typeof r.tool_answerable === "boolean");
		const out = rows.map(r => {
			const intent = classifyIntent(r.request, r.context);
			const route: Route = gatedRoute({ request: r.request, context: r.context, intent: intent.intent, intent_confidence: intent.confidence }, services);
			const rule = fileOp(r.request, intent.intent);
			return { r, intent: intent.intent, route, rule, zero: route.kind === "mcp" && !route.then_llm };
		});
		const s = routeScore(out.map(x => ({ label: x.r.tool_answerable === true, predicted: x.zero })));
		console.log(`${source}: ${rows.length} rows, precision ${s.precision.toFixed(3)} recall ${s.recall.toFixed(3)} (tp ${s.tp} fp ${s.fp} fn ${s.fn})`);
		for (const x of out) {
			const label = x.r.tool_answerable === true;
			if (label && !x.zero && arg("--misses")) {
				const why = x.rule ? (x.rule.chain ? "chain" : "gate/tool") : "rules";
				console.log(`  - [${why} ${x.intent}] ${x.r.id} ${x.r.request.slice(0, 200)}`);
			}
			if (!label && x.zero && arg("--false"))
				console.log(`  + ${x.r.id} ${x.r.request.slice(0, 200)}\n      -> ${x.route.tool} ${JSON.stringify(x.route.arguments)}`);
		}
	}
	process.exit(0);
}

void main();
