/**
 * `strong_need`: how much a prompt needs the strong model rather than the weak one, learned
 * from off-domain outcomes of the two (RouterBench: gpt-4-1106-preview correct where
 * Mixtral-8x7B was wrong; scripts/routing-train.ts). Logistic regression on the mean word
 * vector and prompt shape (representation.ts), its log-odds blended with the domain-general
 * difficulty prior (lib/nlp/difficulty.ts); the training sources, L2 and blend weight are
 * chosen by cross-validation on the routing training data only (scripts/strong-need-cv.ts),
 * never on the evaluation sets. Used to rank prompts for routing: the higher, the more a
 * strong model pays off.
 */
import { difficultyPrior } from "../../lib/nlp/difficulty";
import { denseLogit, sigmoid, type DenseLogReg } from "../../lib/nlp/dense-logreg";
import type { RequestContext } from "../../lib/nlp/features";
import { represent, type Representation } from "./representation";

export interface StrongNeedModel {
	kind: "strong-need-logreg";
	logreg: DenseLogReg;
	/** Weight of the difficulty prior added to the learned log-odds. */
	priorWeight: number;
	/** What it was trained on and how it was chosen (human-readable). */
	trainedOn: string;
}

export function strongNeedFeatures(prompt: string): number[] {
	return featuresOf(represent(prompt));
}

export function featuresOf({ embedding, shape }: Representation): number[] {
	return [...embedding, ...shape];
}

/** Blended log-odds from precomputed features (the CV reuses them). */
export function strongNeedLogit(model: Pick<StrongNeedModel, "logreg" | "priorWeight">, features: number[], prior: number): number {
	return denseLogit(model.logreg, features) + model.priorWeight * prior;
}

/** strong_need in [0, 1] (4 decimals); the request text alone decides it, context adds its shape via the prior. */
export function strongNeed(model: StrongNeedModel, request: string, context?: RequestContext): number {
	const z = strongNeedLogit(model, strongNeedFeatures(request), difficultyPrior(request, context));
	return Math.round(sigmoid(z) * 1e4) / 1e4;
}
