/**
 * Training and inference of the complexity tiers (version 8). Two logistic regressions over a
 * dense representation, one per tier boundary: P(tier >= moderate) and P(tier = complex).
 * The representation (representation.ts plus the difficulty signals and the client context's
 * shape) is the mean GloVe vector of the request, its shape (length, code share, question
 * form, number of asks) and domain-general difficulty signals: it carries to wording the
 * labeled sets never used, where version 7's n-grams from 200 dev requests did not (0.38 on
 * real requests; docs/decisions.md). The score is the expected tier / 2; the tier boundaries
 * on it are chosen by an inner cross-validation inside the training data.
 */
import { difficultySignals } from "../../lib/nlp/difficulty";
import { denseLogit, sigmoid, trainDenseLogReg, type DenseLogReg, type DenseLogRegOptions } from "../../lib/nlp/dense-logreg";
import { accuracy, stratifiedFolds } from "../../lib/nlp/evaluation";
import { contextShape, type RequestContext } from "../../lib/nlp/features";
import type { LabeledRequest } from "../intent/model";
import { represent, type Representation } from "./representation";

export const TIERS = ["simple", "moderate", "complex"] as const;
export type Tier = (typeof TIERS)[number];

export interface ComplexityThresholds {
	moderate: number;
	complex: number;
}

export interface ComplexityModel {
	kind: "complexity-dense-ordinal";
	/** [P(tier >= moderate), P(tier = complex)]. */
	boundaries: [DenseLogReg, DenseLogReg];
	/** Tier boundaries found on the raw score (inner CV). */
	rawThresholds: ComplexityThresholds;
	/** Where those boundaries land after calibration: the public defaults. */
	thresholds: ComplexityThresholds;
}

/**
 * A monotone piecewise-linear map sends the learned tier boundaries to these round values,
 * so config.yaml thresholds read naturally; ranking and tier accuracy are unchanged by it.
 */
export const CALIBRATED_THRESHOLDS: Readonly<ComplexityThresholds> = Object.freeze({ moderate: 0.35, complex: 0.65 });

/** Maps raw in [0, 1] through (raw.moderate -> cal.moderate, raw.complex -> cal.complex). */
export function calibrate(raw: number, from: ComplexityThresholds, to: ComplexityThresholds = CALIBRATED_THRESHOLDS): number {
	const knots: [number, number][] = [
		[0, 0],
		[from.moderate, to.moderate],
		[from.complex, to.complex],
		[1, 1],
	];
	for (let i = 1; i < knots.length; i++) {
		const [x0, y0] = knots[i - 1];
		const [x1, y1] = knots[i];
		if (raw <= x1) return x1 === x0 ? y1 : y0 + ((raw - x0) / (x1 - x0)) * (y1 - y0);
	}
	return 1;
}

export function tierOf(score: number, t: ComplexityThresholds): Tier {
	return score >= t.complex ? "complex" : score >= t.moderate ? "moderate" : "simple";
}

/** Dense features of one request: mean word vector, prompt shape, difficulty signals, context shape. */
export function complexityFeatures(request: string, context?: RequestContext): number[] {
	const text = request ?? "";
	return featuresFrom(represent(text), difficultySignals(text, context), context);
}

/** The same features from parts already computed (scorer.ts shares them with strong_need). */
export function featuresFrom(rep: Representation, signals: Record<string, number>, context?: RequestContext): number[] {
	const { embedding, shape } = rep;
	const ctx = contextShape(context);
	return [
		...embedding,
		...shape,
		...Object.values(signals),
		Math.min(1, Math.log1p(ctx.attachedChars) / Math.log1p(20000)),
		ctx.hasStackTrace ? 1 : 0,
		Math.min(1, ctx.fileCount / 3),
		ctx.errorLines > 0 ? 1 : 0,
	];
}

/** Knobs of training; the defaults are the shipped method (experiments vary them). */
export interface ComplexitySettings {
	training: DenseLogRegOptions;
	/**
	 * Rows of a source weigh (mean source size / its size) ^ sourceBalance: 0 lets the 900
	 * NL2Bash lines (90% simple) set the class priors, 1 gives every source equal say.
	 */
	sourceBalance: number;
}

export const COMPLEXITY_SETTINGS: ComplexitySettings = { training: { l2: 0.01, iterations: 300, learningRate: 0.05 }, sourceBalance: 1 };
const INNER_FOLDS = 5;
const INNER_SEED = 7;

function rowWeights(rows: LabeledRequest[], balance: number): number[] {
	const counts = new Map<string, number>();
	for (const r of rows) counts.set(r.source ?? "dev", (counts.get(r.source ?? "dev") ?? 0) + 1);
	const meanSize = rows.length / counts.size;
	return rows.map(r => (meanSize / (counts.get(r.source ?? "dev") ?? 1)) ** balance);
}

function fitBoundaries(xs: number[][], rows: LabeledRequest[], s: ComplexitySettings): [DenseLogReg, DenseLogReg] {
	const ys = rows.map(r => TIERS.indexOf(r.complexity));
	const w = rowWeights(rows, s.sourceBalance);
	return [
		trainDenseLogReg(
			xs,
			ys.map(y => (y >= 1 ? 1 : 0)),
			s.training,
			w,
		),
		trainDenseLogReg(
			xs,
			ys.map(y => (y >= 2 ? 1 : 0)),
			s.training,
			w,
		),
	];
}

/** [P(simple), P(moderate), P(complex)] from the ordinal pair (P(complex) capped by P(>= moderate)). */
export function probabilitiesOf(boundaries: [DenseLogReg, DenseLogReg], x: number[]): number[] {
	const atLeastModerate = sigmoid(denseLogit(boundaries[0], x));
	const complex = Math.min(atLeastModerate, sigmoid(denseLogit(boundaries[1], x)));
	return [1 - atLeastModerate, atLeastModerate - complex, complex];
}

/** Raw score in [0, 1]: expected tier / 2. */
const rawScore = (p: number[]) => (p[1] + 2 * p[2]) / 2;

/** Thresholds maximising tier accuracy of `scores` (grid of 0.01). */
export function bestThresholds(scores: number[], truth: Tier[]): { thresholds: ComplexityThresholds; accuracy: number } {
	let best = { thresholds: { moderate: 0.33, complex: 0.66 }, accuracy: -1 };
	for (let a = 1; a < 100; a++) {
		for (let b = a + 1; b < 100; b++) {
			const t = { moderate: a / 100, complex: b / 100 };
			const acc = accuracy(
				truth,
				scores.map(s => tierOf(s, t)),
			);
			if (acc > best.accuracy) best = { thresholds: t, accuracy: acc };
		}
	}
	return best;
}

export function trainComplexityModel(rows: LabeledRequest[], settings: ComplexitySettings = COMPLEXITY_SETTINGS): ComplexityModel {
	const xs = rows.map(r => complexityFeatures(r.request, r.context));
	// Out-of-fold scores, so the tier boundaries are chosen on requests the model did not see.
	const folds = stratifiedFolds(
		rows.map(r => `${r.source ?? "dev"}/${r.complexity}`),
		INNER_FOLDS,
		INNER_SEED,
	);
	const oof = new Array<number>(rows.length).fill(0);
	for (let f = 0; f < INNER_FOLDS; f++) {
		const train = rows.map((_, i) => i).filter(i => folds[i] !== f);
		const b = fitBoundaries(
			train.map(i => xs[i]),
			train.map(i => rows[i]),
			settings,
		);
		rows.forEach((_, i) => folds[i] === f && (oof[i] = rawScore(probabilitiesOf(b, xs[i]))));
	}
	const { thresholds } = bestThresholds(
		oof,
		rows.map(r => r.complexity),
	);
	return {
		kind: "complexity-dense-ordinal",
		boundaries: fitBoundaries(xs, rows, settings),
		rawThresholds: thresholds,
		thresholds: { ...CALIBRATED_THRESHOLDS },
	};
}

export interface ComplexityResult {
	complexity: Tier;
	score: number;
	/** P(predicted tier) from the ordinal pair: what the calibration error is measured on. */
	confidence: number;
}

export function scoreWithModel(model: ComplexityModel, request: string, context?: RequestContext, thresholds?: ComplexityThresholds): ComplexityResult {
	return scoreFeatures(model, complexityFeatures(request, context), thresholds);
}

export function scoreFeatures(model: ComplexityModel, features: number[], thresholds?: ComplexityThresholds): ComplexityResult {
	const p = probabilitiesOf(model.boundaries, features);
	const score = Math.round(calibrate(rawScore(p), model.rawThresholds, model.thresholds) * 1e4) / 1e4;
	const complexity = tierOf(score, thresholds ?? model.thresholds);
	return { complexity, score, confidence: Math.round(p[TIERS.indexOf(complexity)] * 1e4) / 1e4 };
}
