/**
 * The route rules' misses and false routes on the rows they may be tuned on: the training labels
 * (data/train/*.jsonl) and the older held-out sets (blind2 to blind63 since their first runs: no longer blind).
 * Never a blind set that is still to be scored once: a new one stays out of this loop until its first run (blind47's
 * was at the end of round 33, 2026-11-30; blind48's before round 34 changed any rule, blind49's at its end; blind50's before round 35 changed any rule, blind51's at its end; blind52's before round 36 changed any rule, blind53's at its end; blind54's before round 37 changed any rule, blind55's at its end; blind56's before round 38 changed any rule, blind57's at its end; blind58's before round 39 changed any rule, blind59's at its end; blind60's at the end of round 40, blind61's at the end of round 41, blind62's at the end of round 42, blind63's before round 46 changed any rule). `--file` scores one labeled file alone (how a blind set's first run is taken):
 * `--covers` audits the find/grep cover (services/router/find.ts): rows it explains whole that are labeled true and not
 * routed (why: an act word, the intent label, the gate), and rows labeled false it explains whole (false routes if it routed).
 * `--args` prints every zero-token route labeled true beside its tool and exact arguments, for an argument-fidelity audit
 * (does the call answer exactly what was asked: every condition captured, nothing invented or widened?).
 *   npx tsx scripts/route-misses.ts [--misses] [--false] [--covers] [--args] [--source nl2bash] [--file data/holdout/x.jsonl]
 */
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { Route } from "../lib/contracts";
import { classifyIntent } from "../services/intent/classifier";
import type { LabeledRequest } from "../services/intent/model";
import { asksToAct } from "../services/router/acts";
import { findRequest } from "../services/router/find";
import { gatedRoute } from "../services/router/gate";
import { pathTokens, withoutPaths } from "../services/router/paths";
import { fileOp } from "../services/router/route";
import { defaultServices, routeScore } from "./eval/tools";

const ROOT = join(__dirname, "..");
const SETS: [string, string][] = [
	["holdout-blind63", "data/holdout/nl2bash-routes-blind63.jsonl"],
	["holdout-blind62", "data/holdout/nl2bash-routes-blind62.jsonl"],
	["holdout-blind61", "data/holdout/nl2bash-routes-blind61.jsonl"],
	["holdout-blind60", "data/holdout/nl2bash-routes-blind60.jsonl"],
	["holdout-blind59", "data/holdout/nl2bash-routes-blind59.jsonl"],
	["holdout-blind58", "data/holdout/nl2bash-routes-blind58.jsonl"],
	["holdout-blind57", "data/holdout/nl2bash-routes-blind57.jsonl"],
	["holdout-blind56", "data/holdout/nl2bash-routes-blind56.jsonl"],
	["holdout-blind55", "data/holdout/nl2bash-routes-blind55.jsonl"],
	["holdout-blind54", "data/holdout/nl2bash-routes-blind54.jsonl"],
	["holdout-blind53", "data/holdout/nl2bash-routes-blind53.jsonl"],
	["holdout-blind52", "data/holdout/nl2bash-routes-blind52.jsonl"],
	["holdout-blind51", "data/holdout/nl2bash-routes-blind51.jsonl"],
	["holdout-blind50", "data/holdout/nl2bash-routes-blind50.jsonl"],
	["holdout-blind49", "data/holdout/nl2bash-routes-blind49.jsonl"],
	["holdout-blind48", "data/holdout/nl2bash-routes-blind48.jsonl"],
	["holdout-blind47", "data/holdout/nl2bash-routes-blind47.jsonl"],
	["holdout-blind46", "data/holdout/nl2bash-routes-blind46.jsonl"],
	["holdout-blind45", "data/holdout/nl2bash-routes-blind45.jsonl"],
	["holdout-blind44", "data/holdout/nl2bash-routes-blind44.jsonl"],
	["holdout-blind43", "data/holdout/nl2bash-routes-blind43.jsonl"],
	["holdout-blind42", "data/holdout/nl2bash-routes-blind42.jsonl"],
	["holdout-blind41", "data/holdout/nl2bash-routes-blind41.jsonl"],
	["holdout-blind40", "data/holdout/nl2bash-routes-blind40.jsonl"],
	["holdout-blind39", "data/holdout/nl2bash-routes-blind39.jsonl"],
	["holdout-blind38", "data/holdout/nl2bash-routes-blind38.jsonl"],
	["holdout-blind37", "data/holdout/nl2bash-routes-blind37.jsonl"],
	["holdout-blind36", "data/holdout/nl2bash-routes-blind36.jsonl"],
	["holdout-blind35", "data/holdout/nl2bash-routes-blind35.jsonl"],
	["holdout-blind34", "data/holdout/nl2bash-routes-blind34.jsonl"],
	["holdout-blind33", "data/holdout/nl2bash-routes-blind33.jsonl"],
	["holdout-blind32", "data/holdout/nl2bash-routes-blind32.jsonl"],
	["holdout-blind31", "data/holdout/nl2bash-routes-blind31.jsonl"],
	["holdout-blind30", "data/holdout/nl2bash-routes-blind30.jsonl"],
	["holdout-blind29", "data/holdout/nl2bash-routes-blind29.jsonl"],
	["holdout-blind28", "data/holdout/nl2bash-routes-blind28.jsonl"],
	["holdout-blind27", "data/holdout/nl2bash-routes-blind27.jsonl"],
	["holdout-blind26", "data/holdout/nl2bash-routes-blind26.jsonl"],
	["holdout-blind25", "data/holdout/nl2bash-routes-blind25.jsonl"],
	["holdout-blind24", "data/holdout/nl2bash-routes-blind24.jsonl"],
	["holdout-blind23", "data/holdout/nl2bash-routes-blind23.jsonl"],
	["holdout-blind22", "data/holdout/nl2bash-routes-blind22.jsonl"],
	["holdout-blind21", "data/holdout/nl2bash-routes-blind21.jsonl"],
	["holdout-blind20", "data/holdout/nl2bash-routes-blind20.jsonl"],
	["holdout-blind19", "data/holdout/nl2bash-routes-blind19.jsonl"],
	["holdout-blind18", "data/holdout/nl2bash-routes-blind18.jsonl"],
	["holdout-blind17", "data/holdout/nl2bash-routes-blind17.jsonl"],
	["holdout-blind16", "data/holdout/nl2bash-routes-blind16.jsonl"],
	["holdout-blind15", "data/holdout/nl2bash-routes-blind15.jsonl"],
	["holdout-blind14", "data/holdout/nl2bash-routes-blind14.jsonl"],
	["holdout-blind13", "data/holdout/nl2bash-routes-blind13.jsonl"],
	["holdout-blind12", "data/holdout/nl2bash-routes-blind12.jsonl"],
	["holdout-blind11", "data/holdout/nl2bash-routes-blind11.jsonl"],
	["holdout-blind10", "data/holdout/nl2bash-routes-blind10.jsonl"],
	["holdout-blind9", "data/holdout/nl2bash-routes-blind9.jsonl"],
	["holdout-blind8", "data/holdout/nl2bash-routes-blind8.jsonl"],
	["holdout-blind7", "data/holdout/nl2bash-routes-blind7.jsonl"],
	["holdout-blind6", "data/holdout/nl2bash-routes-blind6.jsonl"],
	["holdout-blind5", "data/holdout/nl2bash-routes-blind5.jsonl"],
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
	const one = process.argv.includes("--file") ? process.argv[process.argv.indexOf("--file") + 1] : undefined;
	const sets: [string, string][] = one ? [[one, one]] : SETS;
	const services = await defaultServices();
	for (const [source, file] of sets) {
		if (only && source !== only) continue;
		const rows = readFileSync(isAbsolute(file) ? file : join(ROOT, file), "utf8")
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
			const cover = arg("--covers") && findRequest(x.r.request);
			if (cover) {
				const text = x.r.request.slice(0, 2000);
				const act = asksToAct(withoutPaths(text, pathTokens(text)));
				const why = act ? "act" : x.intent !== "SEARCH" && x.intent !== "READ" ? `intent ${x.intent}` : "gate";
				if (label && !x.zero) console.log(`  covered, not routed [${why}] ${x.r.id} ${x.r.request.slice(0, 200)}`);
				if (!label) console.log(`  covered, labeled false [${x.zero ? "routed" : why}] ${x.r.id} ${x.r.request.slice(0, 200)}`);
			}
			if (label && x.zero && arg("--args"))
				console.log(`  = ${x.r.id} ${x.r.request.slice(0, 300)}\n      -> ${x.route.tool} ${JSON.stringify(x.route.arguments)}`);
			if (!label && x.zero && arg("--false"))
				console.log(`  + ${x.r.id} ${x.r.request.slice(0, 200)}\n      -> ${x.route.tool} ${JSON.stringify(x.route.arguments)}`);
		}
	}
	process.exit(0);
}

void main();
