/**
 * `npm run train`: fits the models on data/train/ and writes services/intent/model.json (intent:
 * every labeled source plus the train-only rows of INTENT_TRAIN_ONLY at their weight, with its
 * softmax temperature fitted on inner out-of-fold predictions of the labeled sources),
 * services/router/answerable.json (the zero-token gate's P(tool answerable), from the labels'
 * `tool_answerable`), services/complexity/model.json (complexity, every labeled source) and
 * with `--strong-need`, services/complexity/strong-need.json (strong_need, from DATA_DIR/routing_train;
 * without it the cross-validation is printed and the shipped version-8 file stays: docs/decisions.md,
 * "strong_need version 2", says why the CV's choice is not shipped).
 * Deterministic: same data, same bytes. `npm run build:embeddings` first when the text grows.
 */
import { writeFileSync } from "fs";
import { join } from "path";
import { trainComplexityModel } from "../services/complexity/model";
import { fitIntentModel, intentTrainingSet, weightedRows } from "../services/intent/model";
import { answerableFeatures, ANSWERABLE_FILE, fitAnswerableModel } from "../services/router/answerable";
import { INTENT_TRAIN_ONLY, loadAllLabeled, loadTrainOnly, type TrainOnlySource } from "./dataset";
import { MissingData } from "./eval/benchmarks";
import { extractAll, innerTemperature } from "./eval/intent";
import { loadRoutingTrain } from "./routing-train";
import { selectStrongNeed, type StrongNeedBaseline, type StrongNeedCandidate } from "./strong-need-cv";
import { DATA_DIR } from "./data-dir";
import { scriptArgs } from "./cli-args";

const USAGE = `npm run train [-- --strong-need]
  Trains the intent, complexity and tool-answerable models on data/train/ and writes them under services/.
  --strong-need  also write services/complexity/strong-need.json from DATA_DIR/routing_train (else the shipped one stays)`;
const ARGS = scriptArgs(USAGE, { "strong-need": { type: "boolean" } }).values;

/** strong_need from DATA_DIR/routing_train; without that folder the shipped strong-need.json stays. */
function trainStrongNeed(root: string): void {
	let examples;
	try {
		examples = loadRoutingTrain(DATA_DIR);
	} catch (err) {
		if (!(err instanceof MissingData)) throw err;
		console.log(`strong_need: ${err.folder} not found, kept services/complexity/strong-need.json`);
		return;
	}
	const { candidates, baselines, chosen, model } = selectStrongNeed(examples);
	if (ARGS["strong-need"]) writeFileSync(join(root, "complexity", "strong-need.json"), JSON.stringify(model) + "\n");
	else console.log("strong_need: kept the shipped services/complexity/strong-need.json (version 8); --strong-need writes the choice below");
	console.log(
		"strong_need: cross-validation on routing_train (APGR; criterion = mean of pooled RouterBench 5-fold and leave-one-set-out within-set APGR averaged over model pairs)",
	);
	console.log(
		"  for each model setting: the learned model alone (prior 0, length 0) and its best blend; within-set = leave-one-set-out, all pairs [GPT-4 vs Mixtral]",
	);
	const f3 = (x: number) => x.toFixed(3);
	const figures = (c: StrongNeedCandidate | StrongNeedBaseline) => {
		const within = Object.keys(c.withinSet)
			.map(g => `${g} ${f3(c.withinSet[g])} [${f3(c.withinSetPair[g])}]`)
			.join(", ");
		return `pooled ${f3(c.pooledApgr)}  within-set ${within}  AlpacaEval ${f3(c.alpacaEval)}  criterion ${f3(c.criterion)}`;
	};
	const line = (c: StrongNeedCandidate) =>
		`  ${c.features.padEnd(5)} ${c.target.padEnd(17)} ${c.sources.padEnd(22)} prior ${String(c.priorWeight).padEnd(4)} length ${String(c.lengthWeight).padEnd(4)}  ${figures(c)}${c === chosen ? "  <- chosen" : ""}`;
	const settings = [...new Set(candidates.map(c => `${c.features}|${c.target}|${c.sources}`))];
	for (const key of settings) {
		const same = candidates.filter(c => `${c.features}|${c.target}|${c.sources}` === key);
		const alone = same.find(c => c.priorWeight === 0 && c.lengthWeight === 0);
		const best = same.reduce((b, c) => (c.criterion > b.criterion ? c : b));
		if (alone && alone !== best) console.log(line(alone));
		console.log(line(best));
	}
	for (const b of baselines) console.log(`  ${`baseline: ${b.name}`.padEnd(80)}  ${figures(b)}`);
	console.log(`strong_need: ${model.trainedOn}`);
}

function main(): void {
	const rows = loadAllLabeled();
	const root = join(__dirname, "..", "services");
	// Intent also learns from the train-only rows at their weight (INTENT_TRAIN_ONLY); the
	// temperature is fitted on the labeled sources' inner out-of-fold predictions alone.
	const sourceWeights = { ...INTENT_TRAIN_ONLY };
	const extra = loadTrainOnly(Object.keys(sourceWeights) as TrainOnlySource[]);
	const both = [...rows, ...extra];
	const xs = extractAll(both);
	const set = intentTrainingSet(
		both,
		both.map((_, i) => i),
		undefined,
		sourceWeights,
	);
	const intent = fitIntentModel(
		set.idx.map(i => xs[i]),
		set.intents,
		{},
		set.weights,
	);
	intent.temperature = innerTemperature(
		xs,
		both,
		rows.map((_, i) => i),
		{ sourceWeights },
		42,
		3,
		extra.map((_, j) => rows.length + j),
	);
	const counts = both.reduce<Record<string, number>>((c, r) => ({ ...c, [r.source ?? "dev"]: (c[r.source ?? "dev"] ?? 0) + 1 }), {});
	intent.trainedOn = { rows: counts, ...(extra.length ? { sourceWeights } : {}) };
	writeFileSync(join(root, "intent", "model.json"), JSON.stringify(intent) + "\n");
	console.log(
		`intent: trained on ${both.length} requests (${Object.entries(counts)
			.map(([s, n]) => `${s} ${n}${sourceWeights[s as TrainOnlySource] ? ` at weight ${sourceWeights[s as TrainOnlySource]}` : ""}`)
			.join(", ")}), ${Object.keys(intent.logreg.weights).length} features, temperature ${intent.temperature}`,
	);

	const labeled = rows.filter(r => typeof r.tool_answerable === "boolean");
	const ax = labeled.map(r => answerableFeatures(r.request, r.context));
	const aidx = weightedRows(
		labeled,
		labeled.map((_, i) => i),
	);
	const answerable = fitAnswerableModel(
		aidx.map(i => ax[i]),
		aidx.map(i => labeled[i].tool_answerable === true),
	);
	writeFileSync(ANSWERABLE_FILE, JSON.stringify(answerable) + "\n");
	console.log(
		`tool answerable: trained on ${labeled.length} requests (${labeled.filter(r => r.tool_answerable).length} true), ${Object.keys(answerable.logreg.weights).length} features`,
	);

	// Complexity learns from every labeled source (dev, CodeChat, NL2Bash).
	const complexity = trainComplexityModel(rows);
	writeFileSync(join(root, "complexity", "model.json"), JSON.stringify(complexity) + "\n");
	console.log(
		`complexity: trained on ${rows.length} requests, ${complexity.boundaries[0].weights.length} dense features x 2 boundaries, raw thresholds ${JSON.stringify(complexity.rawThresholds)} calibrated to ${JSON.stringify(complexity.thresholds)}`,
	);
	const sel = complexity.selection;
	const rule = (x: NonNullable<typeof sel>) =>
		x.sourceObjective
			? `best accuracy weighted ${JSON.stringify(x.sourceObjective.weights)} at macro-F1 >= ${x.sourceObjective.minMacroF1}, complex recall >= ${x.sourceObjective.minComplexRecall ?? 0}`
			: `best macro-F1 at accuracy >= ${x.minAccuracy}`;
	if (sel)
		console.log(
			`complexity: class-weight exponent ${sel.classBalance} chosen by inner 5-fold CV (${rule(sel)}): ${sel.candidates.map(c => `${c.classBalance} -> accuracy ${c.accuracy.toFixed(3)} macro-F1 ${c.macroF1.toFixed(3)}`).join("; ")}`,
		);
	trainStrongNeed(root);
}

main();
