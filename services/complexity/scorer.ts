/**
 * Complexity scorer: `score` in [0, 1] ranks how much a request needs a strong
 * model; `complexity` is its tier under the thresholds (config.yaml
 * `routing.complexity_thresholds`, defaulting to the trained ones). Pure and
 * synchronous; weights are loaded once from model.json beside this file.
 */
import { join } from "path";
import type { Complexity, RequestContext } from "../../lib/contracts";
import { loadModelFile } from "../../lib/nlp/model-file";
import { scoreWithModel, tierOf as tierUnder, type ComplexityModel, type ComplexityThresholds } from "./model";

export type { ComplexityThresholds } from "./model";

const MODEL = loadModelFile<ComplexityModel>(join(__dirname, "model.json"), "complexity-ordinal-blend");

/** Tier boundaries chosen by cross-validation when the model was trained. */
export const DEFAULT_COMPLEXITY_THRESHOLDS: Readonly<ComplexityThresholds> = Object.freeze({ ...MODEL.thresholds });

function usable(t: ComplexityThresholds | undefined): t is ComplexityThresholds {
	return !!t && Number.isFinite(t.moderate) && Number.isFinite(t.complex) && t.moderate <= t.complex;
}

export function scoreComplexity(
	request: string,
	context?: RequestContext,
	thresholds?: ComplexityThresholds,
): { complexity: Complexity; score: number } {
	const text = typeof request === "string" ? request : String(request ?? "");
	return scoreWithModel(MODEL, text, context, usable(thresholds) ? thresholds : MODEL.thresholds);
}

export function tierOf(score: number, thresholds: ComplexityThresholds = DEFAULT_COMPLEXITY_THRESHOLDS): Complexity {
	return tierUnder(score, usable(thresholds) ? thresholds : MODEL.thresholds);
}
