/**
 * Training and inference of the intent model. `scripts/train.ts` ships the
 * output of `trainIntentModel`; `scripts/eval.ts` cross-validates the very
 * same function, so the reported figures describe the shipped method.
 */
import { extractFeatures, INTENTS, type FeatureOptions, type Intent, type RequestContext } from "../../lib/nlp/features";
import { predictProba, trainLogReg, type LogRegModel, type LogRegOptions } from "../../lib/nlp/logreg";

export interface LabeledRequest {
	id: string;
	request: string;
	context?: Record<string, unknown>;
	intent: Intent;
	complexity: "simple" | "moderate" | "complex";
	/** Whether a plain file-system or search tool call answers it with no LLM (LABELS.md). */
	tool_answerable?: boolean;
	/** Which labeled set the row comes from (scripts/dataset.ts); absent in older files. */
	source?: string;
}

export interface IntentModel {
	kind: "intent-logreg";
	features: FeatureOptions;
	logreg: LogRegModel;
}

export const INTENT_FEATURES: FeatureOptions = { charWeight: 0.6, shapeWeight: 0.5, cueWeight: 0.7, cues: "clausal" };
export const INTENT_TRAINING: LogRegOptions = { l2: 1e-4, iterations: 300, learningRate: 0.05, minDocFreq: 1 };

export function trainIntentModel(rows: LabeledRequest[]): IntentModel {
	const xs = rows.map((r) => extractFeatures(r.request, r.context, INTENT_FEATURES));
	const ys = rows.map((r) => INTENTS.indexOf(r.intent));
	return { kind: "intent-logreg", features: INTENT_FEATURES, logreg: trainLogReg(xs, ys, [...INTENTS], INTENT_TRAINING) };
}

export interface IntentResult {
	intent: Intent;
	confidence: number;
}

export function predictIntent(model: IntentModel, request: string, context?: RequestContext): IntentResult {
	const p = predictProba(model.logreg, extractFeatures(request, context, model.features));
	let best = 0;
	for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
	return { intent: model.logreg.classes[best] as Intent, confidence: Math.round(p[best] * 1e4) / 1e4 };
}
