/**
 * Training and inference of the complexity tiers (version 8). Two logistic regressions over a
 * dense representation, one per tier boundary: P(tier >= moderate) and P(tier = complex).
 * The representation (representation.ts plus the difficulty signals and the client context's
 * shape) is the mean GloVe vector of the request, its shape (length, code share, question
 * form, number of asks) and domain-general difficulty signals: it carries to wording the
 * labeled sets never used, where version 7's n-grams from 200 dev requests did not (0.38 on
 * real requests; docs/decisions.md). The score is the expected tier / 2; the tier boundaries
 * on it, and the class weights, are chosen by an inner cross-validation inside the training data
 * (best macro-F1 at inner accuracy >= 0.78: COMPLEXITY_SETTINGS).
 */
import { difficultySignals } from "../../lib/nlp/difficulty";
import { concatValues, denseLogitOfParts, sigmoid, trainDenseLogReg, type DenseLogReg, type DenseLogRegOptions } from "../../lib/nlp/dense-logreg";
import { stratifiedFolds } from "../../lib/nlp/evaluation";
import { contextShape, type RequestContext } from "../../lib/nlp/features";
import type { ConsensusOptions, LabeledRequest } from "../intent/model";
import { represent, requestStyle, type Representation, type RequestStyle } from "./representation";
import { askShape, askVector, splitAsk } from "./ask";

export const TIERS = ["simple", "moderate", "complex"] as const;
export type Tier = (typeof TIERS)[number];

/** A labeled row with, where it was labeled twice, the second annotator's tier (data/train/complexity-second-annotator.jsonl). */
export type ComplexityRow = LabeledRequest & { complexity2?: Tier };

/** Labeled twice and the two tiers differ: what a check "labeled by two annotators who agreed" leaves out. */
export const complexityDisputed = (r: ComplexityRow) => r.complexity2 !== undefined && r.complexity2 !== r.complexity;

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
	/**
	 * Boundaries on the raw score per request style (requestStyle), when trained with
	 * styleThresholds; each style's pair is calibrated to the same public thresholds.
	 */
	rawThresholdsByStyle?: Record<RequestStyle, ComplexityThresholds>;
	/** Features carry style interactions (featuresFrom with a style): set when trained with them. */
	styleInteractions?: boolean;
	/** Features carry the ask's values (askFeatureValues): set when trained with them. */
	askFeatures?: AskFeatures;
	/** The class weighting and boundaries the inner cross-validation chose (absent in older files). */
	selection?: ComplexitySelection;
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
export function complexityFeatures(request: string, context?: RequestContext, styleInteractions = false, ask?: AskFeatures): number[] {
	const text = request ?? "";
	return featuresFrom(
		represent(text),
		difficultySignals(text, context),
		context,
		styleInteractions ? requestStyle(text) : undefined,
		ask ? askFeatureValues(text, ask) : undefined,
	);
}

/**
 * Which features of the ask apart from pasted code and logs (ask.ts) a model reads: `shape`, the
 * ask's length, form and number of deliverables; `vector`, those and the ask's mean GloVe vector.
 */
export type AskFeatures = "shape" | "vector";

/** The ask values featuresFrom appends for `ask`. */
export function askFeatureValues(text: string, ask: AskFeatures): number[] {
	const split = splitAsk(text);
	return ask === "vector" ? [...askShape(split), ...askVector(split)] : askShape(split);
}

/** The same features from parts already computed (scorer.ts shares them with strong_need). */
export function featuresFrom(...args: Parameters<typeof featurePartsFrom>): number[] {
	return concatValues(...featurePartsFrom(...args));
}

/** featuresFrom's vector as the parts it joins, in order (scoreParts reads them without the joined copy). */
export function featurePartsFrom(
	rep: Representation,
	signals: Record<string, number>,
	context?: RequestContext,
	style?: RequestStyle,
	ask: number[] = [],
): ArrayLike<number>[] {
	const { embedding, shape } = rep;
	const ctx = contextShape(context);
	const counts = [
		Math.min(1, Math.log1p(ctx.attachedChars) / Math.log1p(20000)),
		ctx.hasStackTrace ? 1 : 0,
		Math.min(1, ctx.fileCount / 3),
		ctx.errorLines > 0 ? 1 : 0,
	];
	if (!style) return [embedding, shape, Object.values(signals), counts, ask];
	// Style interactions: a one-line indicator and the shape/signal values again on one-line
	// tasks only, so length or question form can mean something else there than in chat.
	const dense = concatValues(shape, Object.values(signals), counts);
	const oneLine = style === "one-line" ? 1 : 0;
	return [embedding, dense, [oneLine], dense.map(x => x * oneLine), ask];
}

/** Knobs of training; the defaults are the shipped method (experiments vary them). */
export interface ComplexitySettings {
	training: DenseLogRegOptions;
	/**
	 * Rows of a source weigh (mean source size / its size) ^ sourceBalance: 0 lets the 1,837
	 * NL2Bash lines (93% simple) set the class priors, 1 gives every source equal say.
	 */
	sourceBalance: number;
	/**
	 * Source -> multiplier of its rows' weight after sourceBalance (absent = 1): with sourceBalance 1,
	 * a source at 0.25 weighs a quarter of any other source in total (e.g. a train-only source).
	 */
	sourceWeights?: Readonly<Record<string, number>>;
	/**
	 * Candidate class-weight exponents: a tier's rows also weigh (total / (3 x the tier's
	 * source-weighted count)) ^ exponent (0 none, 0.5 sqrt-balanced, 1 balanced). Training picks
	 * one by the inner cross-validation below; one candidate fixes it.
	 */
	classBalance: number[];
	/**
	 * The selection objective, fixed before looking at any figure: on inner out-of-fold scores,
	 * the tier boundaries (and the class weights) maximise macro-F1 among those whose accuracy
	 * is at least this floor; where none reaches it, the most accurate win. Without it (accuracy
	 * alone) the boundaries sit where the 78% simple rows want them and the complex tier is
	 * almost never predicted.
	 */
	minAccuracy: number;
	/**
	 * When set, replaces the minAccuracy rule: the boundaries (and class weights) maximise the
	 * source-weighted inner accuracy (each named source counts its weight, split evenly over its
	 * rows; sources not named count 0) among those with inner macro-F1 >= minMacroF1; the best
	 * macro-F1 where none reaches it. Mirrors a criterion weighting the sources a deployment sees.
	 */
	sourceObjective?: SourceObjective;
	/** Style interaction features (featuresFrom with a style). */
	styleInteractions?: boolean;
	/** Features of the ask apart from pasted code and logs (absent: none, version 8). */
	askFeatures?: AskFeatures;
	/** Separate tier boundaries for one-line tasks and chat-style requests (needs sourceObjective). */
	styleThresholds?: boolean;
	/**
	 * How a disputed row (complexityDisputed) enters training, fit and inner selection alike, as
	 * intent's ConsensusOptions: absent or `first` = the first label at full weight (version 8).
	 */
	consensus?: ConsensusOptions;
}

/** One training entry: a row with the tier it is trained on and its weight (consensus). */
interface Entry {
	row: ComplexityRow;
	/** Index of the row in the rows given to training (features, folds). */
	i: number;
	tier: Tier;
	weight: number;
}

/** The training entries of `rows` under `consensus` (every row once at weight 1 without disputes or consensus). */
export function complexityEntries(rows: ComplexityRow[], consensus?: ConsensusOptions): Entry[] {
	const out: Entry[] = [];
	rows.forEach((row, i) => {
		const disputed = consensus !== undefined && consensus.mode !== "first" && complexityDisputed(row);
		if (!disputed) return void out.push({ row, i, tier: row.complexity, weight: 1 });
		if (consensus.mode === "drop") return;
		out.push({ row, i, tier: row.complexity, weight: consensus.weight });
		if (consensus.mode === "split") out.push({ row, i, tier: row.complexity2 as Tier, weight: consensus.weight });
	});
	return out;
}

/**
 * The mix of request kinds the issue-11 check holds (CodeChat : NL2Bash about 2 : 1, inferred
 * from its always-simple 0.61 and always-WRITE 0.47); the selection objective weights sources so.
 */
export const HIDDEN_CHECK_MIX: Readonly<Record<string, number>> = Object.freeze({ codechat: 2, nl2bash: 1 });

export const COMPLEXITY_SETTINGS: ComplexitySettings = {
	training: { l2: 0.01, iterations: 300, learningRate: 0.05 },
	sourceBalance: 1,
	classBalance: [0, 0.5, 1],
	// Used only where sourceObjective is unset (the variants that reproduce earlier protocols).
	minAccuracy: 0.78,
	// Shipped 2026-11-30 (variant 8 of eval:complexity-variants; docs/decisions.md).
	sourceObjective: { weights: { ...HIDDEN_CHECK_MIX }, minMacroF1: 0.55, minComplexRecall: 0.4 },
};
const INNER_FOLDS = 5;
const INNER_SEED = 7;

/**
 * Source balance and class weights of the entries, times each entry's own weight and its source's
 * `sourceWeights` entry (applied after the balance); sizes are weight sums.
 */
function rowWeights(entries: Entry[], balance: number, classBalance: number, sourceWeights: Readonly<Record<string, number>> = {}): number[] {
	const src = (e: Entry) => e.row.source ?? "dev";
	const sizes = new Map<string, number>();
	for (const e of entries) sizes.set(src(e), (sizes.get(src(e)) ?? 0) + e.weight);
	const meanSize = entries.reduce((a, e) => a + e.weight, 0) / sizes.size;
	const w = entries.map(e => e.weight * (meanSize / (sizes.get(src(e)) ?? 1)) ** balance * (sourceWeights[src(e)] ?? 1));
	if (classBalance === 0) return w;
	const total = w.reduce((a, b) => a + b, 0);
	const byTier = TIERS.map(t => entries.reduce((s, e, i) => s + (e.tier === t ? w[i] : 0), 0));
	const tierWeight = byTier.map(c => (c > 0 ? (total / (TIERS.length * c)) ** classBalance : 1));
	return w.map((x, i) => x * tierWeight[TIERS.indexOf(entries[i].tier)]);
}

function fitBoundaries(xs: number[][], entries: Entry[], s: ComplexitySettings, classBalance: number): [DenseLogReg, DenseLogReg] {
	const ys = entries.map(e => TIERS.indexOf(e.tier));
	const w = rowWeights(entries, s.sourceBalance, classBalance, s.sourceWeights);
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
	return probabilitiesOfParts(boundaries, [x]);
}

/** probabilitiesOf of the parts' concatenation, read part by part (denseLogitOfParts: the same sums). */
function probabilitiesOfParts(boundaries: [DenseLogReg, DenseLogReg], parts: readonly ArrayLike<number>[]): number[] {
	const atLeastModerate = sigmoid(denseLogitOfParts(boundaries[0], parts));
	const complex = Math.min(atLeastModerate, sigmoid(denseLogitOfParts(boundaries[1], parts)));
	return [1 - atLeastModerate, atLeastModerate - complex, complex];
}

/** Raw score in [0, 1]: expected tier / 2. */
const rawScore = (p: number[]) => (p[1] + 2 * p[2]) / 2;

export interface ThresholdChoice {
	thresholds: ComplexityThresholds;
	accuracy: number;
	macroF1: number;
}

/** Accuracy and macro-F1 (as lib/nlp/evaluation computes it) from a tier confusion matrix. */
function tierFigures(m: number[][], n: number): { accuracy: number; macroF1: number } {
	let correct = 0;
	let f1 = 0;
	for (let k = 0; k < m.length; k++) {
		const tp = m[k][k];
		correct += tp;
		let fp = 0;
		let fn = 0;
		for (let j = 0; j < m.length; j++) {
			if (j === k) continue;
			fp += m[j][k];
			fn += m[k][j];
		}
		f1 += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
	}
	return { accuracy: n ? correct / n : 0, macroF1: f1 / m.length };
}

/**
 * Thresholds (grid of 0.01) maximising macro-F1 among those with accuracy >= minAccuracy;
 * the most accurate pair when none qualifies. minAccuracy = 1 chooses by accuracy alone
 * (version 8 as first shipped).
 */
export function bestThresholds(scores: number[], truth: Tier[], minAccuracy = 1): ThresholdChoice {
	const t = truth.map(x => TIERS.indexOf(x));
	let mostAccurate: ThresholdChoice = { thresholds: { moderate: 0.33, complex: 0.66 }, accuracy: -1, macroF1: 0 };
	let best: ThresholdChoice | undefined;
	for (let a = 1; a < 100; a++) {
		for (let b = a + 1; b < 100; b++) {
			const th = { moderate: a / 100, complex: b / 100 };
			const m = TIERS.map(() => TIERS.map(() => 0));
			for (let i = 0; i < scores.length; i++) m[t[i]][TIERS.indexOf(tierOf(scores[i], th))]++;
			const f = tierFigures(m, scores.length);
			if (f.accuracy > mostAccurate.accuracy) mostAccurate = { thresholds: th, ...f };
			if (f.accuracy >= minAccuracy && (!best || f.macroF1 > best.macroF1)) best = { thresholds: th, ...f };
		}
	}
	return best ?? mostAccurate;
}

/** See ComplexitySettings.sourceObjective; minComplexRecall (default 0) is a second floor. */
export interface SourceObjective {
	weights: Record<string, number>;
	minMacroF1: number;
	minComplexRecall?: number;
}

export interface WeightedThresholdChoice {
	/** One pair per group (a single pair when there are no groups). */
	thresholds: ComplexityThresholds[];
	/** Weighted accuracy (the weights sum to 1) and unweighted macro-F1 over all rows. */
	accuracy: number;
	macroF1: number;
	/** Unweighted recall of the complex tier over all rows (1 when there is none). */
	complexRecall: number;
}

/**
 * Row weights of sourceObjective: each named source's weight split over its rows, summing to 1;
 * evenly, or in proportion to `own` (a row's own weight, e.g. a disputed row's consensus weight).
 */
export function sourceRowWeights(sources: string[], weights: Record<string, number>, own?: number[]): number[] {
	const n = new Map<string, number>();
	sources.forEach((s, i) => n.set(s, (n.get(s) ?? 0) + (own ? own[i] : 1)));
	const total = [...n.keys()].reduce((a, s) => a + (weights[s] ?? 0), 0) || 1;
	return sources.map((s, i) => ((weights[s] ?? 0) / (n.get(s) ?? 1) / total) * (own ? own[i] : 1));
}

/**
 * Thresholds (grid of 0.01) per group maximising weighted accuracy among those with macro-F1 >=
 * minMacroF1 (the best macro-F1 when none qualifies). One shared pair first, then each group's
 * pair in turn with the others fixed (two rounds of coordinate ascent): 2 groups cost a few
 * grid passes, not the square of the grid.
 */
export function bestWeightedThresholds(
	scores: number[],
	truth: Tier[],
	rowWeight: number[],
	minMacroF1: number,
	groups: number[] = scores.map(() => 0),
	minComplexRecall = 0,
): WeightedThresholdChoice {
	const t = truth.map(x => TIERS.indexOf(x));
	const nGroups = Math.max(0, ...groups) + 1;
	type Figures = { accuracy: number; macroF1: number; complexRecall: number };
	const ok = (x: Figures) => x.macroF1 >= minMacroF1 && x.complexRecall >= minComplexRecall;
	const better = (a: Figures, b: Figures) => {
		const fa = ok(a);
		const fb = ok(b);
		if (fa !== fb) return fa;
		return fa ? a.accuracy > b.accuracy : a.macroF1 > b.macroF1;
	};
	/** Best pair for the rows in `active` with every other row's tier fixed by `current`. */
	const search = (active: (g: number) => boolean, current: ComplexityThresholds[]) => {
		const base = TIERS.map(() => TIERS.map(() => 0));
		let baseAcc = 0;
		const idx: number[] = [];
		for (let i = 0; i < scores.length; i++) {
			if (active(groups[i])) {
				idx.push(i);
				continue;
			}
			const p = TIERS.indexOf(tierOf(scores[i], current[groups[i]]));
			base[t[i]][p]++;
			if (p === t[i]) baseAcc += rowWeight[i];
		}
		let best: (Figures & { th: ComplexityThresholds }) | undefined;
		for (let a = 1; a < 100; a++) {
			for (let b = a + 1; b < 100; b++) {
				const th = { moderate: a / 100, complex: b / 100 };
				const m = base.map(r => r.slice());
				let acc = baseAcc;
				for (const i of idx) {
					const p = scores[i] >= th.complex ? 2 : scores[i] >= th.moderate ? 1 : 0;
					m[t[i]][p]++;
					if (p === t[i]) acc += rowWeight[i];
				}
				const complexRows = m[2][0] + m[2][1] + m[2][2];
				const cand = { th, accuracy: acc, macroF1: tierFigures(m, scores.length).macroF1, complexRecall: complexRows ? m[2][2] / complexRows : 1 };
				if (!best || better(cand, best)) best = cand;
			}
		}
		return best!;
	};
	const shared = search(() => true, []);
	const current = Array.from({ length: nGroups }, () => shared.th);
	let result = shared;
	if (nGroups > 1) {
		for (let round = 0; round < 2; round++) {
			for (let g = 0; g < nGroups; g++) {
				const r = search(x => x === g, current);
				if (better(r, result)) {
					current[g] = r.th;
					result = r;
				}
			}
		}
	}
	return { thresholds: current, accuracy: result.accuracy, macroF1: result.macroF1, complexRecall: result.complexRecall };
}

/** What the inner cross-validation chose, kept in model.json so the choice can be read back. */
export interface ComplexitySelection {
	classBalance: number;
	minAccuracy: number;
	/** Inner out-of-fold figures of every candidate at its chosen thresholds. */
	candidates: {
		classBalance: number;
		accuracy: number;
		macroF1: number;
		thresholds: ComplexityThresholds;
		thresholdsByStyle?: Record<RequestStyle, ComplexityThresholds>;
	}[];
	/** The sourceObjective, when it (not minAccuracy) chose; accuracy is then source-weighted. */
	sourceObjective?: SourceObjective;
	/** How disputed rows were trained on, when not by their first label at full weight. */
	consensus?: ConsensusOptions;
}

const STYLES: RequestStyle[] = ["chat", "one-line"];

export function trainComplexityModel(rows: ComplexityRow[], settings: ComplexitySettings = COMPLEXITY_SETTINGS): ComplexityModel {
	const xs = rows.map(r => complexityFeatures(r.request, r.context, settings.styleInteractions, settings.askFeatures));
	// What is trained on: every row once, or disputed rows per settings.consensus (dropped,
	// down-weighted, or once per label); fit and inner selection see the same entries.
	const entries = complexityEntries(rows, settings.consensus);
	const ex = entries.map(e => xs[e.i]);
	const truth = entries.map(e => e.tier);
	const own = entries.some(e => e.weight !== 1) ? entries.map(e => e.weight) : undefined;
	// Out-of-fold scores, so the tier boundaries and the class weights are chosen on requests the
	// model did not see; the folds are those of the rows (an entry's is its row's), the same for
	// every candidate and every consensus.
	const rowFolds = stratifiedFolds(
		rows.map(r => `${r.source ?? "dev"}/${r.complexity}`),
		INNER_FOLDS,
		INNER_SEED,
	);
	const folds = entries.map(e => rowFolds[e.i]);
	const objective = settings.sourceObjective;
	const rowWeight = objective
		? sourceRowWeights(
				entries.map(e => e.row.source ?? "dev"),
				objective.weights,
				own,
			)
		: undefined;
	const groups = objective && settings.styleThresholds ? entries.map(e => STYLES.indexOf(requestStyle(e.row.request))) : undefined;
	const candidates = settings.classBalance.map(classBalance => {
		const oof = new Array<number>(entries.length).fill(0);
		for (let f = 0; f < INNER_FOLDS; f++) {
			const train = entries.filter((_, j) => folds[j] !== f);
			const b = fitBoundaries(
				train.map(e => xs[e.i]),
				train,
				settings,
				classBalance,
			);
			entries.forEach((_, j) => folds[j] === f && (oof[j] = rawScore(probabilitiesOf(b, ex[j]))));
		}
		if (!objective) return { classBalance, ...bestThresholds(oof, truth, settings.minAccuracy) };
		const w = bestWeightedThresholds(oof, truth, rowWeight!, objective.minMacroF1, groups, objective.minComplexRecall);
		const byStyle = groups ? (Object.fromEntries(STYLES.map((s, g) => [s, w.thresholds[g]])) as Record<RequestStyle, ComplexityThresholds>) : undefined;
		return {
			classBalance,
			accuracy: w.accuracy,
			macroF1: w.macroF1,
			complexRecall: w.complexRecall,
			thresholds: w.thresholds[0],
			thresholdsByStyle: byStyle,
		};
	});
	let chosen: (typeof candidates)[number];
	if (objective) {
		// Best source-weighted accuracy among candidates meeting the macro-F1 floor, else the best
		// macro-F1; ties keep the earlier (lighter) weighting.
		const feasible = candidates.filter(c => c.macroF1 >= objective.minMacroF1 && (c.complexRecall ?? 1) >= (objective.minComplexRecall ?? 0));
		chosen = feasible.length ? feasible.reduce((b, c) => (c.accuracy > b.accuracy ? c : b)) : candidates.reduce((b, c) => (c.macroF1 > b.macroF1 ? c : b));
	} else {
		// Same objective across candidates: best macro-F1 among those meeting the accuracy floor,
		// else the most accurate; ties keep the earlier (lighter) weighting.
		const feasible = candidates.filter(c => c.accuracy >= settings.minAccuracy);
		chosen = feasible.length ? feasible.reduce((b, c) => (c.macroF1 > b.macroF1 ? c : b)) : candidates.reduce((b, c) => (c.accuracy > b.accuracy ? c : b));
	}
	const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
	return {
		kind: "complexity-dense-ordinal",
		boundaries: fitBoundaries(ex, entries, settings, chosen.classBalance),
		rawThresholds: chosen.thresholds,
		...(chosen.thresholdsByStyle ? { rawThresholdsByStyle: chosen.thresholdsByStyle } : {}),
		...(settings.styleInteractions ? { styleInteractions: true } : {}),
		...(settings.askFeatures ? { askFeatures: settings.askFeatures } : {}),
		thresholds: { ...CALIBRATED_THRESHOLDS },
		selection: {
			classBalance: chosen.classBalance,
			minAccuracy: settings.minAccuracy,
			candidates: candidates.map(c => ({
				classBalance: c.classBalance,
				accuracy: r4(c.accuracy),
				macroF1: r4(c.macroF1),
				thresholds: c.thresholds,
				...(c.thresholdsByStyle ? { thresholdsByStyle: c.thresholdsByStyle } : {}),
			})),
			...(objective ? { sourceObjective: objective } : {}),
			...(settings.consensus && settings.consensus.mode !== "first" ? { consensus: settings.consensus } : {}),
		},
	};
}

export interface ComplexityResult {
	complexity: Tier;
	score: number;
	/** P(predicted tier) from the ordinal pair: what the calibration error is measured on. */
	confidence: number;
}

export function scoreWithModel(model: ComplexityModel, request: string, context?: RequestContext, thresholds?: ComplexityThresholds): ComplexityResult {
	return scoreFeatures(model, complexityFeatures(request, context, model.styleInteractions, model.askFeatures), thresholds, requestStyle(request ?? ""));
}

/** `style` picks the style's raw boundaries when the model has them (requestStyle of the text). */
export function scoreFeatures(model: ComplexityModel, features: number[], thresholds?: ComplexityThresholds, style?: RequestStyle): ComplexityResult {
	return scoreParts(model, [features], thresholds, style);
}

/** scoreFeatures of the parts' concatenation (featurePartsFrom), without joining them. */
export function scoreParts(
	model: ComplexityModel,
	parts: readonly ArrayLike<number>[],
	thresholds?: ComplexityThresholds,
	style?: RequestStyle,
): ComplexityResult {
	const p = probabilitiesOfParts(model.boundaries, parts);
	const from = (style && model.rawThresholdsByStyle?.[style]) || model.rawThresholds;
	const score = Math.round(calibrate(rawScore(p), from, model.thresholds) * 1e4) / 1e4;
	const complexity = tierOf(score, thresholds ?? model.thresholds);
	return { complexity, score, confidence: Math.round(p[TIERS.indexOf(complexity)] * 1e4) / 1e4 };
}
