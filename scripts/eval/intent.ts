/**
 * Intent evaluation: cross-validation grouped by source (train on the other sources, test on
 * one: the figure that predicts text nobody here wrote) beside pooled stratified k-fold (every
 * source in every fold), with accuracy, macro-F1, confusion and calibration error of the
 * out-of-fold confidences. Every prediction is for a request its model never saw.
 */
import { accuracy, confusionMatrix, macroF1, stratifiedFolds } from "../../lib/nlp/evaluation";
import { INTENTS, type FeatureVector } from "../../lib/nlp/features";
import { predictProba, temper } from "../../lib/nlp/logreg";
import {
	fitIntentModel,
	intentFeatures,
	intentTrainingSet,
	INTENT_DENSE,
	INTENT_FEATURES,
	type IntentTrainingOptions,
	type LabeledRequest,
} from "../../services/intent/model";
import { expectedCalibrationError, fitTemperature } from "./calibration";

export interface ClassFigures {
	n: number;
	accuracy: number;
	macroF1: number;
	/** Rows = truth, columns = predicted, in INTENTS order. */
	confusion: number[][];
	/** ECE of the top probability after temperature scaling (fitted on the training folds only). */
	ece: number;
	/** ECE of the raw softmax, before temperature scaling. */
	eceRaw: number;
}

export interface OutOfFold {
	/** Temperature-scaled probabilities in INTENTS order, per row. */
	probs: number[][];
	/** The same before temperature scaling. */
	raw: number[][];
	/** Which fold (or held-out source) predicted each row. */
	fold: (string | number)[];
}

export interface IntentCv {
	grouped: { bySource: Record<string, ClassFigures>; all: ClassFigures };
	pooled: { folds: number; seed: number; all: ClassFigures; bySource: Record<string, ClassFigures>; oof: OutOfFold };
	/** Out-of-fold predictions of the grouped CV, for the route evaluation. */
	groupedOof: OutOfFold;
}

const argmax = (p: number[]) => p.reduce((b, x, k) => (x > p[b] ? k : b), 0);

export function figures(rows: LabeledRequest[], probs: number[][], rawProbs: number[][]): ClassFigures {
	const truth = rows.map(r => r.intent as string);
	const pred = probs.map(p => INTENTS[argmax(p)] as string);
	const correct = truth.map((t, i) => t === pred[i]);
	return {
		n: rows.length,
		accuracy: accuracy(truth, pred),
		macroF1: macroF1(truth, pred, INTENTS),
		confusion: confusionMatrix(truth, pred, INTENTS),
		ece: expectedCalibrationError(
			probs.map(p => Math.max(...p)),
			correct,
		).ece,
		eceRaw: expectedCalibrationError(
			rawProbs.map(p => Math.max(...p)),
			correct,
		).ece,
	};
}

/** The intent model fitted on rows `idx` (their training entries by intentTrainingSet), from features already extracted. */
export function fitOn(xs: FeatureVector[], rows: LabeledRequest[], idx: number[], opts: IntentTrainingOptions) {
	const set = intentTrainingSet(rows, idx, opts.consensus, opts.sourceWeights);
	return fitIntentModel(
		set.idx.map(i => xs[i]),
		set.intents,
		opts,
		set.weights,
	);
}

/**
 * The temperature that scripts/train.ts would fit on these rows: out-of-fold over an inner k-fold
 * split of `subset`; `trainOnly` rows join every inner training set and are never scored.
 */
export function innerTemperature(
	xs: FeatureVector[],
	rows: LabeledRequest[],
	subset: number[],
	opts: IntentTrainingOptions,
	seed: number,
	k = 3,
	trainOnly: number[] = [],
): number {
	const folds = stratifiedFolds(
		subset.map(i => `${rows[i].intent}`),
		k,
		seed,
	);
	const probs: number[][] = [];
	const truth: number[] = [];
	for (let f = 0; f < k; f++) {
		const model = fitOn(xs, rows, [...subset.filter((_, j) => folds[j] !== f), ...trainOnly], opts);
		const te = subset.filter((_, j) => folds[j] === f);
		for (const i of te) {
			probs.push(predictProba(model.logreg, xs[i]));
			truth.push(INTENTS.indexOf(rows[i].intent));
		}
	}
	return fitTemperature(probs, truth);
}

export function extractAll(rows: LabeledRequest[], opts: IntentTrainingOptions = {}): FeatureVector[] {
	const dense = opts.dense === null ? undefined : (opts.dense ?? INTENT_DENSE);
	return rows.map(r => intentFeatures(r.request, r.context, opts.features ?? INTENT_FEATURES, dense));
}

const sourceOf = (r: LabeledRequest) => r.source ?? "dev";

/** The pooled cross-validation's folds: stratified on source x intent (what `npm run eval` reports, per seed). */
export function pooledFolds(rows: LabeledRequest[], k: number, seed: number): number[] {
	return stratifiedFolds(
		rows.map(r => `${sourceOf(r)}/${r.intent}`),
		k,
		seed,
	);
}

function bySource(rows: LabeledRequest[], probs: number[][], raw: number[][]): Record<string, ClassFigures> {
	const out: Record<string, ClassFigures> = {};
	for (const s of [...new Set(rows.map(sourceOf))]) {
		const idx = rows.map((r, i) => (sourceOf(r) === s ? i : -1)).filter(i => i >= 0);
		out[s] = figures(
			idx.map(i => rows[i]),
			idx.map(i => probs[i]),
			idx.map(i => raw[i]),
		);
	}
	return out;
}

/** Rows labeled twice (`intent2`) whose two labels agree: what the hidden check keeps. */
export const agreed = (r: LabeledRequest) => r.intent2 !== undefined && r.intent2 === r.intent;

/** Out-of-fold figures on the rows both annotators agree on, per source and all (sources with none are left out). */
export function agreedFigures(rows: LabeledRequest[], oof: OutOfFold): { bySource: Record<string, ClassFigures>; all: ClassFigures } | undefined {
	const idx = rows.map((r, i) => (agreed(r) ? i : -1)).filter(i => i >= 0);
	if (!idx.length) return undefined;
	const pick = (ix: number[]) =>
		figures(
			ix.map(i => rows[i]),
			ix.map(i => oof.probs[i]),
			ix.map(i => oof.raw[i]),
		);
	const sources = [...new Set(idx.map(i => sourceOf(rows[i])))];
	return {
		bySource: Object.fromEntries(sources.map(s => [s, pick(idx.filter(i => sourceOf(rows[i]) === s))])),
		all: pick(idx),
	};
}

/**
 * Both cross-validations of the intent model trained with `opts`. Calibration is cross-fitted: the
 * temperature applied to a test fold is fitted on the out-of-fold predictions of the other folds,
 * so no request's own label sets the temperature that scores it. `trainOnly` rows (scripts/dataset.ts,
 * TRAIN_ONLY_SOURCES) join every training set and are never scored: the folds of `rows`, and so
 * every figure, are the same with them or without.
 */
export function intentCrossValidation(rows: LabeledRequest[], opts: IntentTrainingOptions = {}, k = 5, seed = 42, trainOnly: LabeledRequest[] = []): IntentCv {
	const both = [...rows, ...trainOnly];
	const xs = extractAll(both, opts);
	const all = rows.map((_, i) => i);
	const extra = trainOnly.map((_, j) => rows.length + j);
	const truth = rows.map(r => INTENTS.indexOf(r.intent));
	const run = (testSets: { name: string | number; test: number[] }[]) => {
		const raw = new Array<number[]>(rows.length);
		const fold = new Array<string | number>(rows.length);
		for (const { name, test } of testSets) {
			const inTest = new Set(test);
			const model = fitOn(xs, both, [...all.filter(i => !inTest.has(i)), ...extra], opts);
			for (const i of test) {
				raw[i] = predictProba(model.logreg, xs[i]);
				fold[i] = name;
			}
		}
		const probs = new Array<number[]>(rows.length);
		for (const { name, test } of testSets) {
			const others = all.filter(i => fold[i] !== name);
			const t = fitTemperature(
				others.map(i => raw[i]),
				others.map(i => truth[i]),
			);
			for (const i of test) probs[i] = temper(raw[i], t);
		}
		return { probs, raw, fold };
	};
	const sources = [...new Set(rows.map(sourceOf))];
	const grouped = run(sources.map(s => ({ name: s, test: all.filter(i => sourceOf(rows[i]) === s) })));
	const folds = pooledFolds(rows, k, seed);
	const pooled = run(Array.from({ length: k }, (_, f) => ({ name: f, test: all.filter(i => folds[i] === f) })));
	return {
		grouped: { bySource: bySource(rows, grouped.probs, grouped.raw), all: figures(rows, grouped.probs, grouped.raw) },
		pooled: {
			folds: k,
			seed,
			all: figures(rows, pooled.probs, pooled.raw),
			bySource: bySource(rows, pooled.probs, pooled.raw),
			oof: { probs: pooled.probs, raw: pooled.raw, fold: pooled.fold },
		},
		groupedOof: { probs: grouped.probs, raw: grouped.raw, fold: grouped.fold },
	};
}
