/**
 * `npm run train`: fits the intent and complexity models on data/train/ and
 * writes services/{intent,complexity}/model.json. Deterministic: same data,
 * same bytes.
 */
import { writeFileSync } from "fs";
import { join, resolve } from "path";
import { trainComplexityModel } from "../services/complexity/model";
import { trainIntentModel } from "../services/intent/model";
import { loadAllLabeled, loadLabeledRequests } from "./dataset";
import { MissingData } from "./eval/benchmarks";
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
		const logo = Object.entries(c.leaveOneSetOut).map(([g, a]) => `${g} ${a.toFixed(3)}`).join(", ");
		console.log(`  ${c.sources.padEnd(24)} L2 ${String(c.l2).padEnd(5)} prior ${c.priorWeight}  pooled ${c.pooledApgr.toFixed(3)}  leave-one-out ${logo}  criterion ${c.criterion.toFixed(3)}${c === chosen ? "  <- chosen" : ""}`);
	}
	console.log(`strong_need: ${model.trainedOn}`);
}

function main(): void {
	const rows = loadLabeledRequests();
	const root = join(__dirname, "..", "services");
	const intent = trainIntentModel(rows);
	writeFileSync(join(root, "intent", "model.json"), JSON.stringify(intent) + "\n");
	// Complexity learns from every labeled source (dev, CodeChat, NL2Bash).
	const labeled = loadAllLabeled();
	const complexity = trainComplexityModel(labeled);
	writeFileSync(join(root, "complexity", "model.json"), JSON.stringify(complexity) + "\n");
	console.log(`trained on ${rows.length} requests`);
	console.log(`intent: ${Object.keys(intent.logreg.weights).length} features`);
	console.log(`complexity: trained on ${labeled.length} requests, ${complexity.boundaries[0].weights.length} dense features x 2 boundaries, raw thresholds ${JSON.stringify(complexity.rawThresholds)} calibrated to ${JSON.stringify(complexity.thresholds)}`);
	trainStrongNeed(root);
}

main();
