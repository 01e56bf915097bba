/**
 * Training and inference of the complexity score. The score blends a learned
 * tier probability (P(complex) + 0.5 P(moderate), logistic regression on the
 * labeled developer requests) with the domain-general difficulty prior; the
 * blend weight and the tier thresholds are chosen inside the training data by
 * an inner cross-validation, never on evaluation benchmarks.
 */
import { extractFeatures, type FeatureOptions, type RequestContext } from "../../lib/nlp/features";
import { difficultyPrior } from "../../lib/nlp/difficulty";
import { accuracy, spearman, stratifiedFolds } from "../../lib/nlp/evaluation";
import { predictProba, trainLogReg, type LogRegModel, type LogRegOptions } from "../../lib/nlp/logreg";
import type { LabeledRequest } from "../intent/model";

export const TIERS = ["simple", "moderate", "complex"] as const;
export type Tier = (typeof TIERS)[number];

export interface ComplexityThresholds {
	moderate: number;
	complex: number;
}

export interface ComplexityModel {
	kind: "complexity-ordinal-blend";
	features: FeatureOptions;
	/** A multinomial model, or the ordinal pair [>= moderate, complex]. */
	logreg: LogRegModel | LogRegModel[];
	/** Weight of the difficulty prior in the blended score. */
	priorWeight: number;
	/** Tier boundaries found on the raw blend (inner CV). */
	rawThresholds: ComplexityThresholds;
	/** Where those boundaries land after calibration: the public defaults. */
	thresholds: ComplexityThresholds;
}

/**
 * The raw blend crowds below 0.5 (the prior is a mean of saturating signals).
 * A monotone piecewise-linear map sends the learned tier boundaries to these
 * round values, so config.yaml thresholds read naturally; ranking, APGR and
 * tier accuracy are unchanged by it.
 */
export const CALIBRATED_THRESHOLDS: Readonly<ComplexityThresholds> = Object.freeze({ moderate: 0.35, complex: 0.65 });

/** Maps raw in [0, 1] through (raw.moderate -> cal.moderate, raw.complex -> cal.complex). */
export function calibrate(raw: number, from: ComplexityThresholds, to: ComplexityThresholds = CALIBRATED_THRESHOLDS): number {
	const knots: [number, number][] = [[0, 0], [from.moderate, to.moderate], [from.complex, to.complex], [1, 1]];
	for (let i = 1; i < knots.length; i++) {
		const [x0, y0] = knots[i - 1];
		const [x1, y1] = knots[i];
		if (raw <= x1) return x1 === x0 ? y1 : y0 + ((raw - x0) / (x1 - x0)) * (y1 - y0);
	}
	return 1;
}

/**
 * Shape features (length, clauses, "and"s, scope and design words) weigh double
 * the first version's 1.5: the label guide ties tiers to how many steps and
 * components an ask spans, which those count, more than to its vocabulary.
 */
export const COMPLEXITY_FEATURES: FeatureOptions = { charWeight: 0.5, shapeWeight: 3, cueWeight: 0.5 };
export const COMPLEXITY_TRAINING: LogRegOptions = { l2: 1e-2, iterations: 300, learningRate: 0.05, minDocFreq: 1 };
const INNER_FOLDS = 5;
const INNER_SEED = 7;
/**
 * Candidate prior weights. Larger ones transfer better beyond developer
 * requests, so the largest weight within one standard error of the best
 * inner-CV accuracy is kept (Breiman's one-standard-error rule).
 */
const PRIOR_WEIGHTS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/**
 * Learned score in [0, 1]. A multinomial model gives P(complex) + 0.5 P(moderate);
 * an ordinal pair [P(tier >= moderate), P(tier = complex)] gives their mean,
 * which is the same expected tier / 2 when the pair is consistent.
 */
export function learnedScore(logreg: LogRegModel | LogRegModel[], request: string, context: RequestContext, features: FeatureOptions): number {
	const x = extractFeatures(request, context, features);
	if (Array.isArray(logreg)) return logreg.reduce((sum, m) => sum + predictProba(m, x)[1], 0) / logreg.length;
	const p = predictProba(logreg, x);
	const at = (tier: Tier) => p[logreg.classes.indexOf(tier)] ?? 0;
	return at("complex") + 0.5 * at("moderate");
}

export function blend(learned: number, prior: number, priorWeight: number): number {
	return Math.max(0, Math.min(1, (1 - priorWeight) * learned + priorWeight * prior));
}

export function tierOf(score: number, t: ComplexityThresholds): Tier {
	return score >= t.complex ? "complex" : score >= t.moderate ? "moderate" : "simple";
}

/** Knobs of training; the defaults are the shipped method (experiments vary them). */
export interface ComplexitySettings {
	features: FeatureOptions;
	training: LogRegOptions;
	priorWeights: number[];
	/**
	 * "ordinal": one binary model per tier boundary, P(tier >= moderate) and
	 * P(tier = complex), which uses the order of the tiers; "multinomial": one
	 * softmax over the three tiers (the first method, kept to compare).
	 */
	learner: "multinomial" | "ordinal";
}

export const COMPLEXITY_SETTINGS: ComplexitySettings = { features: COMPLEXITY_FEATURES, training: COMPLEXITY_TRAINING, priorWeights: PRIOR_WEIGHTS, learner: "ordinal" };

function fitLogReg(rows: LabeledRequest[], s: ComplexitySettings): LogRegModel | LogRegModel[] {
	const xs = rows.map((r) => extractFeatures(r.request, r.context, s.features));
	const ys = rows.map((r) => TIERS.indexOf(r.complexity));
	if (s.learner === "multinomial") return trainLogReg(xs, ys, [...TIERS], s.training);
	// One binary model per tier boundary: "at least moderate", "complex".
	return [1, 2].map((k) => trainLogReg(xs, ys.map((y) => (y >= k ? 1 : 0)), [`below:${TIERS[k]}`, `atleast:${TIERS[k]}`], s.training));
}

/** Thresholds maximising tier accuracy of `scores` (grid of 0.01). */
export function bestThresholds(scores: number[], truth: Tier[]): { thresholds: ComplexityThresholds; accuracy: number } {
	let best = { thresholds: { moderate: 0.33, complex: 0.66 }, accuracy: -1 };
	for (let a = 1; a < 100; a++) {
		for (let b = a + 1; b < 100; b++) {
			const t = { moderate: a / 100, complex: b / 100 };
			const acc = accuracy(truth, scores.map((s) => tierOf(s, t)));
			if (acc > best.accuracy) best = { thresholds: t, accuracy: acc };
		}
	}
	return best;
}

export function trainComplexityModel(rows: LabeledRequest[], settings: ComplexitySettings = COMPLEXITY_SETTINGS): ComplexityModel {
	// Out-of-fold learned scores, so the blend and thresholds are chosen on
	// predictions for requests the model did not see.
	const folds = stratifiedFolds(rows.map((r) => r.complexity), INNER_FOLDS, INNER_SEED);
	const oof = new Array<number>(rows.length).fill(0);
	for (let f = 0; f < INNER_FOLDS; f++) {
		const model = fitLogReg(rows.filter((_, i) => folds[i] !== f), settings);
		rows.forEach((r, i) => {
			if (folds[i] === f) oof[i] = learnedScore(model, r.request, r.context, settings.features);
		});
	}
	const priors = rows.map((r) => difficultyPrior(r.request, r.context));
	const truth = rows.map((r) => r.complexity);
	const ordinal = truth.map((t) => TIERS.indexOf(t));
	const candidates = settings.priorWeights.map((w) => {
		const scores = oof.map((l, i) => blend(l, priors[i], w));
		return { priorWeight: w, rho: spearman(scores, ordinal), ...bestThresholds(scores, truth) };
	});
	const top = Math.max(...candidates.map((c) => c.accuracy));
	const standardError = Math.sqrt((top * (1 - top)) / rows.length);
	const chosen = candidates.filter((c) => c.accuracy >= top - standardError).sort((a, b) => b.priorWeight - a.priorWeight)[0];
	return {
		kind: "complexity-ordinal-blend",
		features: settings.features,
		logreg: fitLogReg(rows, settings),
		priorWeight: chosen.priorWeight,
		rawThresholds: chosen.thresholds,
		thresholds: { ...CALIBRATED_THRESHOLDS },
	};
}

export interface ComplexityResult {
	complexity: Tier;
	score: number;
}

export function scoreWithModel(model: ComplexityModel, request: string, context?: RequestContext, thresholds?: ComplexityThresholds): ComplexityResult {
	const learned = learnedScore(model.logreg, request, context, model.features);
	const raw = blend(learned, difficultyPrior(request, context), model.priorWeight);
	const score = Math.round(calibrate(raw, model.rawThresholds, model.thresholds) * 1e4) / 1e4;
	return { complexity: tierOf(score, thresholds ?? model.thresholds), score };
}
