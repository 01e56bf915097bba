/**
 * Complexity scorer: `score` in [0, 1] is the expected tier of a request (its tier under the
 * thresholds of config.yaml `routing.complexity_thresholds`, defaulting to the trained ones);
 * `strong_need` in [0, 1] ranks how much it needs the strong model rather than the weak one
 * (strong-need.ts, trained on strong-vs-weak outcomes). Pure and synchronous; weights are
 * loaded once from model.json and strong-need.json beside this file.
 */
import { join } from "path";
import type { Complexity, RequestContext } from "../../lib/contracts";
import { loadModelFile } from "../../lib/nlp/model-file";
import { difficultySignals } from "../../lib/nlp/difficulty";
import { askFeatureValues, featurePartsFrom, scoreParts, tierOf as tierUnder, type ComplexityModel, type ComplexityThresholds } from "./model";
import { represent, requestStyle } from "./representation";
import { strongNeedLogitOf, type StrongNeedModel } from "./strong-need";
import { taskShape } from "./task-shape";
import { sigmoid } from "../../lib/nlp/dense-logreg";

export type { ComplexityThresholds } from "./model";

const MODEL = loadModelFile<ComplexityModel>(join(__dirname, "model.json"), "complexity-dense-ordinal");
const STRONG_NEED = loadModelFile<StrongNeedModel>(join(__dirname, "strong-need.json"), "strong-need-logreg");

/** Tier boundaries chosen by cross-validation when the model was trained. */
export const DEFAULT_COMPLEXITY_THRESHOLDS: Readonly<ComplexityThresholds> = Object.freeze({ ...MODEL.thresholds });

function usable(t: ComplexityThresholds | undefined): t is ComplexityThresholds {
	return !!t && Number.isFinite(t.moderate) && Number.isFinite(t.complex) && t.moderate <= t.complex;
}

export interface ComplexityScore {
	complexity: Complexity;
	score: number;
	/** P(complexity) under the model: below ~0.5 the tier is a close call. */
	confidence: number;
	strong_need: number;
}

export function scoreComplexity(request: string, context?: RequestContext, thresholds?: ComplexityThresholds): ComplexityScore {
	const text = typeof request === "string" ? request : String(request ?? "");
	// One pass over the text serves both scores: the representation and the difficulty signals.
	const rep = represent(text);
	const signals = difficultySignals(text, context);
	// The style costs a regex pass; only models trained with style boundaries or features read it.
	const style = MODEL.rawThresholdsByStyle || MODEL.styleInteractions ? requestStyle(text) : undefined;
	const ask = MODEL.askFeatures ? askFeatureValues(text, MODEL.askFeatures) : undefined;
	const features = featurePartsFrom(rep, signals, context, MODEL.styleInteractions ? style : undefined, ask);
	const tiered = scoreParts(MODEL, features, usable(thresholds) ? thresholds : MODEL.thresholds, style);
	const strongNeed = sigmoid(strongNeedLogitOf(STRONG_NEED, { rep, signals, task: taskShape(text) }));
	return { ...tiered, strong_need: Math.round(strongNeed * 1e4) / 1e4 };
}

export function tierOf(score: number, thresholds: ComplexityThresholds = DEFAULT_COMPLEXITY_THRESHOLDS): Complexity {
	return tierUnder(score, usable(thresholds) ? thresholds : MODEL.thresholds);
}
