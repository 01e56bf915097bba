/**
 * `npm run train`: fits the models on data/train/ and writes services/intent/model.json (intent:
 * every labeled source, with its softmax temperature fitted on inner out-of-fold predictions),
 * services/router/answerable.json (the zero-token gate's P(tool answerable), from the labels'
 * `tool_answerable`) and services/complexity/model.json (complexity, on the dev requests).
 * Deterministic: same data, same bytes. `npm run build:embeddings` first when the text grows.
 */
import { writeFileSync } from "fs";
import { join } from "path";
import { trainComplexityModel } from "../services/complexity/model";
import { fitIntentModel, weightedRows } from "../services/intent/model";
import { answerableFeatures, ANSWERABLE_FILE, fitAnswerableModel } from "../services/router/answerable";
import { loadAllLabeled, loadLabeledRequests } from "./dataset";
import { extractAll, innerTemperature } from "./eval/intent";

function main(): void {
	const rows = loadAllLabeled();
	const root = join(__dirname, "..", "services");
	const xs = extractAll(rows);
	const idx = weightedRows(rows, rows.map((_, i) => i));
	const intent = fitIntentModel(idx.map((i) => xs[i]), idx.map((i) => rows[i].intent));
	intent.temperature = innerTemperature(xs, rows, rows.map((_, i) => i), {}, 42);
	writeFileSync(join(root, "intent", "model.json"), JSON.stringify(intent) + "\n");
	const counts = Object.entries(rows.reduce<Record<string, number>>((c, r) => ({ ...c, [r.source ?? "dev"]: (c[r.source ?? "dev"] ?? 0) + 1 }), {}));
	console.log(`intent: trained on ${rows.length} requests (${counts.map(([s, n]) => `${s} ${n}`).join(", ")}), ${Object.keys(intent.logreg.weights).length} features, temperature ${intent.temperature}`);

	const labeled = rows.filter((r) => typeof r.tool_answerable === "boolean");
	const ax = labeled.map((r) => answerableFeatures(r.request, r.context));
	const aidx = weightedRows(labeled, labeled.map((_, i) => i));
	const answerable = fitAnswerableModel(aidx.map((i) => ax[i]), aidx.map((i) => labeled[i].tool_answerable === true));
	writeFileSync(ANSWERABLE_FILE, JSON.stringify(answerable) + "\n");
	console.log(`tool answerable: trained on ${labeled.length} requests (${labeled.filter((r) => r.tool_answerable).length} true), ${Object.keys(answerable.logreg.weights).length} features`);

	// Complexity is fitted on the dev requests as before (its owner moves it to the real labels).
	const dev = loadLabeledRequests();
	const complexity = trainComplexityModel(dev);
	writeFileSync(join(root, "complexity", "model.json"), JSON.stringify(complexity) + "\n");
	const learners = Array.isArray(complexity.logreg) ? complexity.logreg : [complexity.logreg];
	console.log(`complexity: ${learners.map((m) => Object.keys(m.weights).length).join(" + ")} features, prior weight ${complexity.priorWeight}, raw thresholds ${JSON.stringify(complexity.rawThresholds)} calibrated to ${JSON.stringify(complexity.thresholds)}`);
}

main();
