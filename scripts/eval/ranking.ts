/**
 * Rankings the routing evaluation prints beside `strong_need`: prompt length and random (the
 * baselines RouteLLM reports), the tier score `complexity_score`, and strong_need's two
 * ingredients alone. None of them is fitted to the evaluation sets.
 */
import { join } from "path";
import { difficultyPrior } from "../../lib/nlp/difficulty";
import { loadModelFile } from "../../lib/nlp/model-file";
import { scoreComplexity } from "../../services/complexity/scorer";
import { featuresOf, strongNeedInputs, strongNeedLogit, type StrongNeedModel } from "../../services/complexity/strong-need";
import { questionLength, taskShape } from "../../services/complexity/task-shape";

const STRONG_NEED = loadModelFile<StrongNeedModel>(join(__dirname, "..", "..", "services", "complexity", "strong-need.json"), "strong-need-logreg");

/** FNV-1a of the prompt: a fixed random order that needs no state. */
function hashUnit(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
	return (h >>> 0) / 4294967296;
}

export const RANKINGS: Record<string, (prompt: string) => number> = {
	"complexity_score (the tier score)": p => scoreComplexity(p).score,
	"prompt length (baseline, measured here)": p => p.length,
	"random (measured here: hash of the prompt)": hashUnit,
	"difficulty prior alone (ablation)": p => difficultyPrior(p),
	"question length without options (ablation)": p => questionLength(taskShape(p)),
	"strong_need without the priors (ablation)": p =>
		strongNeedLogit({ logreg: STRONG_NEED.logreg, priorWeight: 0 }, featuresOf(STRONG_NEED.features ?? "shape", strongNeedInputs(p)), 0),
};
