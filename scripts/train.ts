/**
 * `npm run train`: fits the models on data/train/ and writes services/intent/model.json (intent:
 * every labeled source, with its softmax temperature fitted on inner out-of-fold predictions),
 * services/router/answerable.json (the zero-token gate's P(tool answerable), from the labels'
 * `tool_answerable`), services/complexity/model.json (complexity, every labeled source) and
 * services/complexity/strong-need.json (strong_need, from DATA_DIR/routing_train).
 * Deterministic: same data, same bytes. `npm run build:embeddings` first when the text grows.
 */
import { writeFileSync } from "fs";
import { join, resolve } from "path";
import { trainComplexityModel } from "../services/complexity/model";
import { fitIntentModel, weightedRows } from "../services/intent/model";
import { answerableFeatures, ANSWERABLE_FILE, fitAnswerableModel } from "../services/router/answerable";
import { loadAllLabeled } from "./dataset";
import { MissingData } from "./eval/benchmarks";
import { extractAll, innerTemperature } from "./eval/intent";
import { loadRoutingTrain } from "./routing-train";
import { selectStrongNeed } from "./strong-need-cv";

const DATA_DIR = resolve(process.env.DATA_DIR ?? resolve(__dirname, "..", "..", "shared", "data"));

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
	const { candidates, chosen, model } = selectStrongNeed(examples);
	writeFileSync(join(root, "complexity", "strong-need.json"), JSON.stringify(model) + "\n");
	console.log(`strong_need: cross-validation on routing_train (APGR; criterion = mean of pooled RouterBench and leave-one-set-out mean)`);
	for (const c of candidates) {
		const logo = Object.entries(c.leaveOneSetOut)
			.map(([g, a]) => `${g} ${a.toFixed(3)}`)
			.join(", ");
		console.log(
			`  ${c.sources.padEnd(24)} L2 ${String(c.l2).padEnd(5)} prior ${c.priorWeight}  pooled ${c.pooledApgr.toFixed(3)}  leave-one-out ${logo}  criterion ${c.criterion.toFixed(3)}${c === chosen ? "  <- chosen" : ""}`,
		);
	}
	console.log(`strong_need: ${model.trainedOn}`);
}

function main(): void {
	const rows = loadAllLabeled();
	const root = join(__dirname, "..", "services");
	const xs = extractAll(rows);
	const idx = weightedRows(
		rows,
		rows.map((_, i) => i),
	);
	const intent = fitIntentModel(
		idx.map(i => xs[i]),
		idx.map(i => rows[i].intent),
	);
	intent.temperature = innerTemperature(
		xs,
		rows,
		rows.map((_, i) => i),
		{},
		42,
	);
	writeFileSync(join(root, "intent", "model.json"), JSON.stringify(intent) + "\n");
	const counts = Object.entries(rows.reduce<Record<string, number>>((c, r) => ({ ...c, [r.source ?? "dev"]: (c[r.source ?? "dev"] ?? 0) + 1 }), {}));
	console.log(
		`intent: trained on ${rows.length} requests (${counts.map(([s, n]) => `${s} ${n}`).join(", ")}), ${Object.keys(intent.logreg.weights).length} features, temperature ${intent.temperature}`,
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
	trainStrongNeed(root);
}

main();
