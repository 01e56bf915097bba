/**
 * The learned half of the zero-token gate: P(a plain file-system or search call answers the whole
 * request), a binary logistic regression over the intent model's features, trained offline on the
 * labels' `tool_answerable` (scripts/train.ts) and shipped as answerable.json. The router's rules say
 * which tool call a request would be; this says whether that call is the whole answer.
 */
import { existsSync } from "fs";
import { join } from "path";
import type { FeatureOptions, FeatureVector } from "../../lib/nlp/features";
import { predictProba, trainLogReg, type LogRegModel, type LogRegOptions } from "../../lib/nlp/logreg";
import { loadModelFile } from "../../lib/nlp/model-file";
import type { RequestContext } from "../../lib/contracts";
import type { DenseOptions } from "../intent/features";
import { intentFeatureParts, intentFeatures, type LabeledRequest } from "../intent/model";

export interface AnswerableModel {
	kind: "tool-answerable-logreg";
	features: FeatureOptions;
	dense?: DenseOptions;
	logreg: LogRegModel;
}

export const ANSWERABLE_FEATURES: FeatureOptions = { charWeight: 0, shapeWeight: 0.5, cueWeight: 0.7, cues: "clausal" };
export const ANSWERABLE_DENSE: DenseOptions = { meanWeight: 1, askWeight: 1, shapeWeight: 0.5 };
export const ANSWERABLE_TRAINING: LogRegOptions = { l2: 3e-4, iterations: 200, learningRate: 0.05, minDocFreq: 2 };

export function answerableFeatures(request: string, context?: RequestContext): FeatureVector {
	return intentFeatures(request, context, ANSWERABLE_FEATURES, ANSWERABLE_DENSE);
}

export function fitAnswerableModel(xs: FeatureVector[], labels: boolean[]): AnswerableModel {
	const logreg = trainLogReg(
		xs,
		labels.map(l => (l ? 1 : 0)),
		["no", "yes"],
		ANSWERABLE_TRAINING,
	);
	return { kind: "tool-answerable-logreg", features: ANSWERABLE_FEATURES, dense: ANSWERABLE_DENSE, logreg };
}

export function trainAnswerableModel(rows: LabeledRequest[]): AnswerableModel {
	const labeled = rows.filter(r => typeof r.tool_answerable === "boolean");
	return fitAnswerableModel(
		labeled.map(r => answerableFeatures(r.request, r.context)),
		labeled.map(r => r.tool_answerable === true),
	);
}

export function answerableProbability(model: AnswerableModel, request: string, context?: RequestContext): number {
	const { x, blocks } = intentFeatureParts(request, context, model.features, model.dense);
	return predictProba(model.logreg, x, blocks)[1];
}

export const ANSWERABLE_FILE = join(__dirname, "answerable.json");
let shipped: AnswerableModel | null | undefined;

/** The shipped model; null before the first `npm run train` (then only the rules gate routes). */
export function shippedAnswerable(): AnswerableModel | null {
	if (shipped === undefined) shipped = existsSync(ANSWERABLE_FILE) ? loadModelFile<AnswerableModel>(ANSWERABLE_FILE, "tool-answerable-logreg") : null;
	return shipped;
}
