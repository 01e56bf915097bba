import { strict as assert } from "assert";
import { COMPLEXITY_SETTINGS, complexityFeatures, probabilitiesOf, trainComplexityModel, type ComplexityRow } from "../../../services/complexity/model";
import { complexityCrossValidation } from "../../../scripts/eval/complexity";
import { intentCrossValidation } from "../../../scripts/eval/intent";

const WRITE_ASKS = ["write a python function that parses dates", "create a react component for a login form", "implement a rust parser for json"];
const ANALYZE_ASKS = ["explain why the sky looks blue at noon", "what is the difference between tcp and udp", "why do cats purr when they sleep"];

/** Two scored sources, each with both intents and tiers; texts repeat with a suffix so every fold has both classes. */
function scored(): ComplexityRow[] {
	const out: ComplexityRow[] = [];
	for (const source of ["codechat", "nl2bash"])
		for (let k = 0; k < 4; k++) {
			WRITE_ASKS.forEach((t, j) => out.push({ id: `${source}-w${k}${j}`, request: `${t} ${k}`, intent: "WRITE", complexity: "moderate", source }));
			ANALYZE_ASKS.forEach((t, j) => out.push({ id: `${source}-a${k}${j}`, request: `${t} ${k}`, intent: "ANALYZE", complexity: "simple", source }));
		}
	return out;
}

describe("train-only rows in the cross-validations (scripts/dataset.ts, TRAIN_ONLY_SOURCES)", () => {
	const rows = scored();
	// The scored ANALYZE questions again, labeled MANAGE many times over: if they are trained on, those rows flip.
	const trainOnly: ComplexityRow[] = Array.from({ length: 6 }, (_, k) =>
		rows
			.filter(r => r.intent === "ANALYZE")
			.map(r => ({ ...r, id: `alpaca-${k}-${r.id}`, intent: "MANAGE" as const, complexity: "complex" as const, source: "alpacaeval" })),
	).flat();

	it("intent: scores the same rows with the same folds, and trains on the extra rows", () => {
		const without = intentCrossValidation(rows, {}, 3, 42);
		const withExtra = intentCrossValidation(rows, {}, 3, 42, trainOnly);
		for (const cv of [without, withExtra]) {
			assert.equal(cv.pooled.all.n, rows.length);
			assert.deepEqual(Object.keys(cv.pooled.bySource).sort(), ["codechat", "nl2bash"]);
			assert.deepEqual(Object.keys(cv.grouped.bySource).sort(), ["codechat", "nl2bash"]);
			assert.equal(cv.pooled.oof.probs.length, rows.length);
		}
		assert.deepEqual(withExtra.pooled.oof.fold, without.pooled.oof.fold);
		const manage = (cv: typeof without) => cv.pooled.all.confusion.reduce((s, row) => s + row[4], 0);
		assert.equal(manage(without), 0);
		assert.ok(manage(withExtra) > 0, "the train-only MANAGE rows moved no prediction: they were not trained on");
		const faint = intentCrossValidation(rows, { sourceWeights: { alpacaeval: 1e-4 } }, 3, 42, trainOnly);
		assert.equal(manage(faint), 0, "rows at weight 1e-4 outweighed the scored rows: sourceWeights was not applied");
	});

	it("complexity: scores only the given rows, and trains on the extra rows", () => {
		const without = complexityCrossValidation(rows, undefined, 3, 42);
		const withExtra = complexityCrossValidation(rows, undefined, 3, 42, trainOnly);
		for (const cv of [without, withExtra]) {
			assert.equal(cv.pooled.n, rows.length);
			assert.deepEqual(Object.keys(cv.pooledBySource).sort(), ["codechat", "nl2bash"]);
			assert.deepEqual(Object.keys(cv.bySource).sort(), ["codechat", "nl2bash"]);
		}
		const complexPredicted = (cv: typeof without) => cv.pooled.confusion.reduce((s, row) => s + row[2], 0);
		assert.equal(complexPredicted(without), 0);
		assert.ok(complexPredicted(withExtra) > 0, "the train-only complex rows moved no prediction: they were not trained on");
	});

	it("complexity: without the grouped folds, the same pooled figures and no held-out source", () => {
		const full = complexityCrossValidation(rows, undefined, 3, 42);
		const pooledOnly = complexityCrossValidation(rows, undefined, 3, 42, [], false);
		assert.deepEqual(pooledOnly.bySource, {});
		assert.deepEqual(pooledOnly.pooled, full.pooled);
		assert.deepEqual(pooledOnly.pooledBySource, full.pooledBySource);
	});

	it("complexity: sourceWeights scales a source's share of the fit after the source balance", () => {
		// Mean P(complex) of the scored ANALYZE rows, which the train-only rows label complex; one class weighting, no inner choice.
		const settings = { ...COMPLEXITY_SETTINGS, classBalance: [0] };
		const analyze = rows.filter(r => r.intent === "ANALYZE");
		const pComplex = (train: ComplexityRow[], sourceWeights?: Record<string, number>) => {
			const model = trainComplexityModel(train, { ...settings, ...(sourceWeights ? { sourceWeights } : {}) });
			return analyze.reduce((s, r) => s + probabilitiesOf(model.boundaries, complexityFeatures(r.request))[2], 0) / analyze.length;
		};
		const none = pComplex(rows);
		const full = pComplex([...rows, ...trainOnly]);
		const quarter = pComplex([...rows, ...trainOnly], { alpacaeval: 0.25 });
		const faint = pComplex([...rows, ...trainOnly], { alpacaeval: 1e-4 });
		assert.ok(none < 0.05 && full > 0.3, `without ${none}, with ${full}`);
		assert.ok(faint < quarter && quarter < full, `1e-4 ${faint}, 0.25 ${quarter}, 1 ${full}`);
		assert.ok(faint < 0.05, `rows at weight 1e-4 of a source still move P(complex) to ${faint}`);
	});
});
