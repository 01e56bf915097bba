/**
 * `npm run train`: fits the intent and complexity models on data/train/ and
 * writes services/{intent,complexity}/model.json. Deterministic: same data,
 * same bytes.
 */
import { writeFileSync } from "fs";
import { join } from "path";
import { trainComplexityModel } from "../services/complexity/model";
import { trainIntentModel } from "../services/intent/model";
import { loadLabeledRequests } from "./dataset";

function main(): void {
	const rows = loadLabeledRequests();
	const root = join(__dirname, "..", "services");
	const intent = trainIntentModel(rows);
	writeFileSync(join(root, "intent", "model.json"), JSON.stringify(intent) + "\n");
	const complexity = trainComplexityModel(rows);
	writeFileSync(join(root, "complexity", "model.json"), JSON.stringify(complexity) + "\n");
	console.log(`trained on ${rows.length} requests`);
	console.log(`intent: ${Object.keys(intent.logreg.weights).length} features`);
	const learners = Array.isArray(complexity.logreg) ? complexity.logreg : [complexity.logreg];
	console.log(`complexity: ${learners.map((m) => Object.keys(m.weights).length).join(" + ")} features, prior weight ${complexity.priorWeight}, raw thresholds ${JSON.stringify(complexity.rawThresholds)} calibrated to ${JSON.stringify(complexity.thresholds)}`);
}

main();
