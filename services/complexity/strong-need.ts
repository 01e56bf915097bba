/**
 * `strong_need`: how much a prompt needs the strong model rather than the weak one, learned
 * from off-domain outcomes (RouterBench, AlpacaEval; scripts/routing-train.ts). Logistic
 * regression on the mean word vector and prompt shape (representation.ts), optionally with
 * the task shape (task-shape.ts: the question without its options, quantities, options) and
 * the difficulty signals (lib/nlp/difficulty.ts); its log-odds plus two priors that need no
 * training: the domain-general difficulty prior and the length of the question. Which
 * features, which target (strong-right-weak-wrong, or how many of RouterBench's other models
 * fail a prompt), which sources and the two blend weights are chosen by cross-validation on
 * the routing training data only (scripts/strong-need-cv.ts), never on the evaluation sets.
 * Used to rank prompts for routing: the higher, the more a strong model pays off.
 */
import { difficultySignals, priorOfSignals } from "../../lib/nlp/difficulty";
import { concatValues, denseLogit, denseLogitOfParts, sigmoid, type DenseLogReg } from "../../lib/nlp/dense-logreg";
import type { RequestContext } from "../../lib/nlp/features";
import { represent, type Representation } from "./representation";
import { questionLength, taskShape, type TaskShape } from "./task-shape";

/** "shape": mean word vector + prompt shape; "task": also the task shape and the difficulty signals. */
export type StrongNeedFeatureSet = "shape" | "task";

export interface StrongNeedModel {
	kind: "strong-need-logreg";
	/** Absent in files written before the task shape existed: "shape". */
	features?: StrongNeedFeatureSet;
	logreg: DenseLogReg;
	/** Weight of the difficulty prior added to the learned log-odds. */
	priorWeight: number;
	/** Weight of log(1 + words of the question without its options) added to the log-odds. */
	lengthWeight?: number;
	/** What it was trained on and how it was chosen (human-readable). */
	trainedOn: string;
}

/** Everything strong_need reads from a prompt, computed once (the scorer shares it with the tier model). */
export interface StrongNeedInputs {
	rep: Representation;
	signals: Record<string, number>;
	task: TaskShape;
}

export function strongNeedInputs(prompt: string, context?: RequestContext): StrongNeedInputs {
	return { rep: represent(prompt), signals: difficultySignals(prompt, context), task: taskShape(prompt) };
}

/** The parts of one set's feature vector, in order; the signals are taken in difficultySignals' fixed key order. */
function featureParts(set: StrongNeedFeatureSet, { rep, signals, task }: StrongNeedInputs): ArrayLike<number>[] {
	return set === "shape" ? [rep.embedding, rep.shape] : [rep.embedding, rep.shape, task.values, Object.values(signals)];
}

/** Feature vector of one set. */
export function featuresOf(set: StrongNeedFeatureSet, inputs: StrongNeedInputs): number[] {
	return concatValues(...featureParts(set, inputs));
}

export function strongNeedFeatures(prompt: string, set: StrongNeedFeatureSet = "task"): number[] {
	return featuresOf(set, strongNeedInputs(prompt));
}

export type StrongNeedBlend = Pick<StrongNeedModel, "logreg" | "priorWeight" | "lengthWeight">;

/** The features' log-odds blended with the prior and the question length. */
function blended(model: StrongNeedBlend, featureLogit: number, prior: number, qLength: number): number {
	return featureLogit + model.priorWeight * prior + (model.lengthWeight ?? 0) * qLength;
}

/** Blended log-odds from precomputed features, prior and question length (the CV reuses them). */
export function strongNeedLogit(model: StrongNeedBlend, features: number[], prior: number, qLength = 0): number {
	return blended(model, denseLogit(model.logreg, features), prior, qLength);
}

/** Log-odds from inputs already computed. */
export function strongNeedLogitOf(model: StrongNeedModel, inputs: StrongNeedInputs): number {
	// strongNeedLogit of featuresOf, read from the parts rather than a joined copy (the same sum).
	const parts = featureParts(model.features ?? "shape", inputs);
	return blended(model, denseLogitOfParts(model.logreg, parts), priorOfSignals(inputs.signals), questionLength(inputs.task));
}

/** strong_need in [0, 1] (4 decimals); the request text decides it, context adds its shape via the prior. */
export function strongNeed(model: StrongNeedModel, request: string, context?: RequestContext): number {
	return Math.round(sigmoid(strongNeedLogitOf(model, strongNeedInputs(request, context))) * 1e4) / 1e4;
}
