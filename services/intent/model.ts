/**
 * Training and inference of the intent model. `scripts/train.ts` ships the
 * output of `trainIntentModel`; `scripts/eval.ts` cross-validates the very
 * same function, so the reported figures describe the shipped method.
 */
import { extractFeatures, INTENTS, type FeatureOptions, type FeatureVector, type Intent, type RequestContext } from "../../lib/nlp/features";
import { predictProba, temper, trainLogReg, type DenseBlock, type LogRegModel, type LogRegOptions } from "../../lib/nlp/logreg";
import { clip } from "../../lib/nlp/text";
import { addBlocks, denseFeatures, type DenseOptions } from "./features";

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
	/** The second annotator's intent, where the row was labeled twice (data/train/intent-second-annotator.jsonl). */
	intent2?: Intent;
}

export interface IntentModel {
	kind: "intent-logreg";
	features: FeatureOptions;
	/** Embedding and shape features (services/intent/features.ts); absent in version 6 and before. */
	dense?: DenseOptions;
	/** Softmax temperature fitted on out-of-fold predictions (calibration); 1 when absent. */
	temperature?: number;
	/** Rows trained on per source, and the sources whose rows weigh other than 1 (absent in models trained before the AlpacaEval rows). */
	trainedOn?: { rows: Record<string, number>; sourceWeights?: Record<string, number> };
	logreg: LogRegModel;
}

/**
 * Version 7: words, bigrams and cues as before, no character n-grams (on 1,843 requests they cost
 * most of the training time; the embeddings carry what they gave), plus the dense features.
 */
export const INTENT_FEATURES: FeatureOptions = { charWeight: 0, shapeWeight: 0.5, cueWeight: 0.7, cues: "clausal" };
export const INTENT_DENSE: DenseOptions = { meanWeight: 1, askWeight: 1, shapeWeight: 0.5 };
export const INTENT_TRAINING: LogRegOptions = { l2: 1e-4, iterations: 150, learningRate: 0.1, minDocFreq: 2 };

export function intentFeatures(request: string, context: RequestContext, features: FeatureOptions, dense?: DenseOptions): FeatureVector {
	const { x, blocks } = intentFeatureParts(request, context, features, dense);
	addBlocks(x, blocks);
	return x;
}

/** The same features with the word vectors as blocks (predictProba reads them by index): what inference uses. */
export function intentFeatureParts(
	request: string,
	context: RequestContext,
	features: FeatureOptions,
	dense?: DenseOptions,
): { x: FeatureVector; blocks: DenseBlock[] } {
	// Words of a long paste add cost, not signal: the ask is at its start or its end.
	const x = extractFeatures(dense ? clip(request, 1200, 600) : request, context, features);
	return { x, blocks: dense ? denseFeatures(x, request, dense) : [] };
}

/**
 * The dev requests count this many times in training: they are the product's own traffic (IDE
 * agents naming files, paths and services) and 200 against 2,580 real prompts of other kinds.
 */
export const DEV_REPEAT = 3;

/** Training row indices with each dev row repeated DEV_REPEAT times (a weight, as duplicated rows). */
export function weightedRows(rows: { source?: string }[], idx: number[]): number[] {
	return idx.flatMap(i => ((rows[i].source ?? "dev") === "dev" ? Array<number>(DEV_REPEAT).fill(i) : [i]));
}

/**
 * How a row the two annotators labeled differently enters training: `first` keeps the first
 * annotator's label at full weight, `drop` leaves the row out, `weight` keeps the first label at
 * `weight`, `split` trains on both labels at `weight` each. Rows labeled once, or alike, count fully.
 */
export interface ConsensusOptions {
	mode: "first" | "drop" | "weight" | "split";
	weight: number;
}

/**
 * Version 8.2: a disputed row keeps the first label at half weight, the best of five settings by
 * pooled out-of-fold accuracy on the agreed rows (`npm run eval:intent-consensus`; the margin,
 * 3 of 1,110 rows, is within noise: docs/decisions.md, "Intent version 8.2").
 */
export const INTENT_CONSENSUS: ConsensusOptions = { mode: "weight", weight: 0.5 };

export interface IntentTrainingOptions {
	features?: FeatureOptions;
	dense?: DenseOptions | null;
	training?: LogRegOptions;
	consensus?: ConsensusOptions;
	/** Source -> multiplier of its rows' training weight (absent = 1), e.g. a train-only source at 0.25. */
	sourceWeights?: Readonly<Record<string, number>>;
}

/** What a fit sees: row indices (repeated as weightedRows repeats them), their labels and weights. */
export interface IntentTrainingSet {
	idx: number[];
	intents: Intent[];
	/** Absent when every entry weighs 1. */
	weights?: number[];
}

/**
 * The training entries for rows `idx`: dev repeated (weightedRows), disagreements per `consensus`,
 * each row's weight times its source's `sourceWeights` entry.
 */
export function intentTrainingSet(
	rows: LabeledRequest[],
	idx: number[],
	consensus: ConsensusOptions = INTENT_CONSENSUS,
	sourceWeights: Readonly<Record<string, number>> = {},
): IntentTrainingSet {
	const out: IntentTrainingSet = { idx: [], intents: [] };
	const weights: number[] = [];
	for (const i of weightedRows(rows, idx)) {
		const r = rows[i];
		const disputed = r.intent2 !== undefined && r.intent2 !== r.intent && consensus.mode !== "first";
		if (disputed && consensus.mode === "drop") continue;
		const own = sourceWeights[r.source ?? "dev"] ?? 1;
		out.idx.push(i);
		out.intents.push(r.intent);
		weights.push((disputed ? consensus.weight : 1) * own);
		if (disputed && consensus.mode === "split") {
			out.idx.push(i);
			out.intents.push(r.intent2 as Intent);
			weights.push(consensus.weight * own);
		}
	}
	if (weights.some(w => w !== 1)) out.weights = weights;
	return out;
}

/** Fits the model; the temperature is set by scripts/train.ts from out-of-fold predictions. */
export function trainIntentModel(rows: LabeledRequest[], opts: IntentTrainingOptions = {}): IntentModel {
	const features = opts.features ?? INTENT_FEATURES;
	const dense = opts.dense === null ? undefined : (opts.dense ?? INTENT_DENSE);
	const xs = rows.map(r => intentFeatures(r.request, r.context, features, dense));
	const set = intentTrainingSet(
		rows,
		rows.map((_, i) => i),
		opts.consensus,
		opts.sourceWeights,
	);
	return fitIntentModel(
		set.idx.map(i => xs[i]),
		set.intents,
		{ ...opts, features, dense: dense ?? null },
		set.weights,
	);
}

/**
 * The same fit from feature vectors already extracted with the same options (extraction is per
 * request and learns nothing, so cross-validation extracts once and fits each fold from here).
 */
export function fitIntentModel(xs: FeatureVector[], intents: Intent[], opts: IntentTrainingOptions = {}, weights?: number[]): IntentModel {
	const features = opts.features ?? INTENT_FEATURES;
	const dense = opts.dense === null ? undefined : (opts.dense ?? INTENT_DENSE);
	const ys = intents.map(i => INTENTS.indexOf(i));
	return {
		kind: "intent-logreg",
		features,
		...(dense ? { dense } : {}),
		logreg: trainLogReg(xs, ys, [...INTENTS], opts.training ?? INTENT_TRAINING, weights),
	};
}

export interface IntentResult {
	intent: Intent;
	confidence: number;
}

/** Class probabilities in INTENTS order, temperature-scaled. */
export function intentProbabilities(model: IntentModel, request: string, context?: RequestContext, temperature = model.temperature ?? 1): number[] {
	const { x, blocks } = intentFeatureParts(request, context, model.features, model.dense);
	return temper(predictProba(model.logreg, x, blocks), temperature);
}

export function predictIntent(model: IntentModel, request: string, context?: RequestContext): IntentResult {
	const p = intentProbabilities(model, request, context);
	let best = 0;
	for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
	return { intent: model.logreg.classes[best] as Intent, confidence: Math.round(p[best] * 1e4) / 1e4 };
}
