/**
 * `npm run eval:intent-assist`: what the optional LLM intent assist (config.yaml
 * intent.llm_assist) would be asked and what one call costs, without calling any model.
 *  - tokens of the prompt per call (lib/tokens, o200k) and its price on the cheapest catalog models;
 *  - out-of-fold (5-fold stratified CV on data/train/) confidences of the local intent model:
 *    per threshold, how many requests would be asked, how often the local label is right on them,
 *    and how many of the local model's errors are among them (the most the assist could fix).
 * The model's own accuracy on those requests needs a live vendor and is not measured here.
 */
import { loadConfig } from "../lib/config";
import { scriptArgs } from "./cli-args";
import { stratifiedFolds } from "../lib/nlp/evaluation";
import { countMessageTokens } from "../lib/tokens";
import { priceUsd } from "../services/models/pricing";
import { ASSIST_SYSTEM, assistMessage } from "../services/intent/assist";
import { predictIntent, trainIntentModel } from "../services/intent/model";
import { CV_FOLDS, CV_SEED } from "./crossval";
import { loadLabeledRequests } from "./dataset";

const THRESHOLDS = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

function main() {
	const config = loadConfig();
	const assist = config.intent.llm_assist;
	const rows = loadLabeledRequests();
	const promptTokens = rows.map(r =>
		countMessageTokens([
			{ role: "system", content: ASSIST_SYSTEM },
			{ role: "user", content: assistMessage(r.request, r.context) },
		]),
	);
	const systemTokens = countMessageTokens([{ role: "system", content: ASSIST_SYSTEM }]);
	const mean = promptTokens.reduce((a, b) => a + b, 0) / promptTokens.length;
	const sorted = [...promptTokens].sort((a, b) => a - b);
	console.log(`prompt tokens per call (o200k, chat framing included), over the ${rows.length} dev requests:`);
	console.log(
		`  instruction alone ${systemTokens}; whole prompt mean ${round(mean, 1)}, median ${sorted[sorted.length >> 1]}, max ${sorted.at(-1)}; output at most max_tokens = ${assist.max_tokens}`,
	);
	const cheapest = Object.entries(config.models)
		.filter(([, m]) => m.input_per_mtok + m.output_per_mtok > 0)
		.sort(([, a], [, b]) => a.input_per_mtok + a.output_per_mtok - (b.input_per_mtok + b.output_per_mtok))
		.slice(0, 3);
	for (const [id, m] of cheapest) {
		console.log(`  ${id}: at most ${priceUsd(m, Math.round(mean), assist.max_tokens)} USD per call (mean prompt + ${assist.max_tokens} output tokens)`);
	}

	// Out-of-fold predictions: each request scored by a model that never saw it.
	const folds = stratifiedFolds(
		rows.map(r => `${r.intent}/${r.complexity}`),
		CV_FOLDS,
		CV_SEED,
	);
	const oof: { confidence: number; right: boolean }[] = [];
	for (let f = 0; f < CV_FOLDS; f++) {
		const model = trainIntentModel(rows.filter((_, i) => folds[i] !== f));
		rows.forEach((r, i) => {
			if (folds[i] !== f) return;
			const p = predictIntent(model, r.request, r.context);
			oof.push({ confidence: p.confidence, right: p.intent === r.intent });
		});
	}
	const errors = oof.filter(o => !o.right).length;
	console.log(
		`\nout-of-fold local intent accuracy ${round(1 - errors / oof.length)} (${errors} errors of ${oof.length}); shipped below_confidence ${assist.below_confidence}`,
	);
	console.log("below_confidence | asked | share asked | local accuracy on asked | errors among asked | local accuracy on the rest");
	for (const t of THRESHOLDS) {
		const asked = oof.filter(o => o.confidence < t);
		const rest = oof.filter(o => o.confidence >= t);
		const acc = (xs: typeof oof) => (xs.length ? String(round(xs.filter(o => o.right).length / xs.length)) : "n/a");
		console.log(
			`${t} | ${asked.length} | ${round(asked.length / oof.length)} | ${acc(asked)} | ${asked.filter(o => !o.right).length} of ${errors} | ${acc(rest)}`,
		);
	}
}

scriptArgs("npm run eval:intent-assist\n  What the optional LLM intent assist would be asked and what one call costs, without calling any model.", {});
main();
