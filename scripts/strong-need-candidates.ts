/**
 * `npm run eval:strong-need-candidates`: for reporting only, never for choosing. Trains the best
 * blend of each strong-need model setting that `npm run train` compares (features x target x
 * sources, scripts/strong-need-cv.ts) and prints its APGR on the three RouteLLM evaluation sets
 * beside its routing_train criterion, so one can see how well that criterion predicts them. The
 * shipped model stays the one the criterion chose; every candidate scored here is reported in
 * docs/decisions.md.
 */
import { priorOfSignals } from "../lib/nlp/difficulty";
import { spearman } from "../lib/nlp/evaluation";
import { featuresOf, strongNeedInputs, strongNeedLogit } from "../services/complexity/strong-need";
import { questionLength } from "../services/complexity/task-shape";
import { loadGsm8k, loadMmlu, loadMtBench, type BenchmarkPrompt } from "./eval/benchmarks";
import { routingMetrics } from "./eval/routing";
import { runScript, scriptArgs } from "./cli-args";
import { loadRoutingTrain } from "./routing-train";
import { selectStrongNeed, trainCandidate, type StrongNeedCandidate } from "./strong-need-cv";
import { DATA_DIR } from "./data-dir";

scriptArgs("npm run eval:strong-need-candidates\n  Each strong_need setting's best blend scored on MT-Bench, GSM8K and MMLU (reporting only; DATA_DIR).", {});

function main(): void {
	const { candidates, chosen } = selectStrongNeed(loadRoutingTrain(DATA_DIR));
	const settings = [...new Set(candidates.map(c => `${c.features}|${c.target}|${c.sources}`))];
	const best = settings.map(key =>
		candidates.filter(c => `${c.features}|${c.target}|${c.sources}` === key).reduce((b, c) => (c.criterion > b.criterion ? c : b)),
	);
	const all = loadRoutingTrain(DATA_DIR);
	const sets: [string, BenchmarkPrompt[]][] = [
		["MT-Bench", loadMtBench(DATA_DIR)],
		["GSM8K", loadGsm8k(DATA_DIR)],
		["MMLU", loadMmlu(DATA_DIR)],
	];
	const inputs = sets.map(([, prompts]) => prompts.map(p => strongNeedInputs(p.prompt)));
	const rows = best.map((c: StrongNeedCandidate) => {
		const model = trainCandidate(all, c);
		const apgr = sets.map(
			([, prompts], s) =>
				routingMetrics(
					prompts.map((p, k) => {
						const x = inputs[s][k];
						return {
							score: strongNeedLogit(model, featuresOf(c.features, x), priorOfSignals(x.signals), questionLength(x.task)),
							strong: p.strong,
							weak: p.weak,
						};
					}),
				).apgr,
		);
		return { c, apgr };
	});
	console.log(`setting (best blend of each)                                        prior length  criterion  ${sets.map(([n]) => n.padStart(8)).join("  ")}`);
	for (const { c, apgr } of rows)
		console.log(
			`${`${c.features} ${c.target} ${c.sources}`.padEnd(68)} ${String(c.priorWeight).padEnd(5)} ${String(c.lengthWeight).padEnd(6)} ${c.criterion.toFixed(3).padStart(9)}  ${apgr.map(a => a.toFixed(3).padStart(8)).join("  ")}${c === chosen ? "  <- chosen (shipped)" : ""}`,
		);
	const crit = rows.map(r => r.c.criterion);
	console.log(
		`Spearman(criterion, APGR) over the ${rows.length} settings: ${sets
			.map(
				([n], s) =>
					`${n} ${spearman(
						crit,
						rows.map(r => r.apgr[s]),
					).toFixed(2)}`,
			)
			.join(", ")}`,
	);
}

runScript("eval:strong-need-candidates", main);
