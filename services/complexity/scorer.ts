/**
 * Complexity scorer: `score` in [0, 1] ranks how much a request needs a strong
 * model; `complexity` is its tier under the thresholds (config.yaml
 * `routing.complexity_thresholds`, defaulting to the trained ones). Pure and
 * synchronous; weights are loaded once from model.json beside this file.
 */
import { join } from "path";
import { loadModelFile } from "../../lib/nlp/model-file";
import { scoreWithModel, type ComplexityModel, type ComplexityResult, type ComplexityThresholds } from "./model";

export type { ComplexityResult, ComplexityThresholds, Tier } from "./model";

const MODEL = loadModelFile<ComplexityModel>(join(__dirname, "model.json"), "complexity-logreg-blend");

/** Tier boundaries chosen by cross-validation when the model was trained. */
export const DEFAULT_COMPLEXITY_THRESHOLDS: Readonly<ComplexityThresholds> = Object.freeze({ ...MODEL.thresholds });

export function scoreComplexity(request: string, context?: Record<string, unknown>, thresholds?: ComplexityThresholds): ComplexityResult {
  const valid = thresholds && Number.isFinite(thresholds.moderate) && Number.isFinite(thresholds.complex) && thresholds.moderate <= thresholds.complex;
  return scoreWithModel(MODEL, typeof request === "string" ? request : String(request ?? ""), context, valid ? thresholds : MODEL.thresholds);
}
