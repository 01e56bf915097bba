/**
 * Multinomial logistic regression over sparse named features: trained offline
 * (full-batch Adam, L2 penalty, deterministic) and shipped as JSON. Inference is
 * a sparse dot product per class, a few microseconds per request.
 */
import type { FeatureVector } from "./features";

export interface LogRegModel {
	classes: string[];
	/** feature name -> one weight per class (rounded; near-zero rows dropped). */
	weights: Record<string, number[]>;
}

export interface LogRegOptions {
	l2: number;
	iterations: number;
	learningRate: number;
	/** Features seen in fewer training documents are ignored (noise control). */
	minDocFreq: number;
}

export function softmax(logits: number[]): number[] {
	const max = Math.max(...logits);
	const exps = logits.map(z => Math.exp(z - max));
	const sum = exps.reduce((a, b) => a + b, 0);
	return exps.map(e => e / sum);
}

/** Probabilities re-tempered, softmax(log p / T): T > 1 softens an overconfident model (calibration). */
export function temper(p: number[], temperature: number): number[] {
	return temperature === 1 ? p : softmax(p.map(x => Math.log(Math.max(x, 1e-12)) / temperature));
}

/** Weights re-keyed into a Map once per model: lookups in a 16k-key object are slower. */
const WEIGHT_MAPS = new WeakMap<LogRegModel, Map<string, number[]>>();

function weightMap(model: LogRegModel): Map<string, number[]> {
	let map = WEIGHT_MAPS.get(model);
	if (!map) {
		map = new Map(Object.entries(model.weights));
		WEIGHT_MAPS.set(model, map);
	}
	return map;
}

/**
 * Dense features left as a vector: the features `${prefix}${d}` = vec[d] * weight for every
 * non-zero component d, as services/intent/features.ts names them in training. At inference they
 * are read by index, not set and looked up by name one by one (200 per intent request).
 */
export interface DenseBlock {
	prefix: string;
	vec: Float32Array;
	weight: number;
}

/** Per model and prefix, the weight row of `${prefix}${d}` at index d (undefined: no row). */
const BLOCK_ROWS = new WeakMap<LogRegModel, Map<string, (number[] | undefined)[]>>();

function blockRows(model: LogRegModel, prefix: string, dims: number): (number[] | undefined)[] {
	let byPrefix = BLOCK_ROWS.get(model);
	if (!byPrefix) BLOCK_ROWS.set(model, (byPrefix = new Map()));
	let rows = byPrefix.get(prefix);
	if (!rows || rows.length !== dims) {
		const weights = weightMap(model);
		byPrefix.set(prefix, (rows = Array.from({ length: dims }, (_, d) => weights.get(`${prefix}${d}`))));
	}
	return rows;
}

/**
 * Class probabilities of `x` and then `blocks`, in that order: the same sums, term for term, as
 * of one vector holding x's features followed by the blocks' (blocks come last in training too).
 */
export function predictProba(model: LogRegModel, x: FeatureVector, blocks: readonly DenseBlock[] = []): number[] {
	const logits = new Array<number>(model.classes.length).fill(0);
	const weights = weightMap(model);
	for (const [name, value] of x) {
		const w = weights.get(name);
		if (!w) continue;
		for (let k = 0; k < logits.length; k++) logits[k] += w[k] * value;
	}
	for (const { prefix, vec, weight } of blocks) {
		const rows = blockRows(model, prefix, vec.length);
		for (let d = 0; d < vec.length; d++) {
			const w = rows[d];
			if (vec[d] === 0 || !w) continue;
			const value = vec[d] * weight;
			for (let k = 0; k < logits.length; k++) logits[k] += w[k] * value;
		}
	}
	return softmax(logits);
}

interface Indexed {
	names: string[];
	rows: { idx: Int32Array; val: Float64Array }[];
}

function indexFeatures(xs: FeatureVector[], minDocFreq: number): Indexed {
	const df = new Map<string, number>();
	for (const x of xs) for (const name of x.keys()) df.set(name, (df.get(name) ?? 0) + 1);
	// Sorted for determinism regardless of Map insertion order.
	const names = [...df.keys()].filter(n => (df.get(n) ?? 0) >= minDocFreq || n === "bias").sort();
	const index = new Map(names.map((n, i) => [n, i]));
	const rows = xs.map(x => {
		const pairs = [...x].filter(([n]) => index.has(n));
		return {
			idx: Int32Array.from(pairs.map(([n]) => index.get(n) as number)),
			val: Float64Array.from(pairs.map(([, v]) => v)),
		};
	});
	return { names, rows };
}

/**
 * Fits the model; identical inputs always give identical weights. `sampleWeights` (optional, one per
 * row) scale each row's share of the loss; without them every row counts once.
 */
export function trainLogReg(xs: FeatureVector[], ys: number[], classes: string[], opts: LogRegOptions, sampleWeights?: number[]): LogRegModel {
	const { names, rows } = indexFeatures(xs, opts.minDocFreq);
	const K = classes.length;
	const D = names.length;
	const W = new Float64Array(D * K);
	const m = new Float64Array(D * K);
	const s = new Float64Array(D * K);
	const grad = new Float64Array(D * K);
	const biasIdx = names.indexOf("bias");
	const [b1, b2, eps] = [0.9, 0.999, 1e-8];
	const n = rows.length;
	// A row's residual is scaled by weight * n / (sum of weights): the loss stays an average.
	const wsum = sampleWeights ? sampleWeights.reduce((a, b) => a + b, 0) : n;
	const scale = sampleWeights?.map(w => (w * n) / wsum);

	// Preallocated and with the bias corrections hoisted: the same arithmetic, far fewer allocations.
	const logits = new Float64Array(K);
	for (let t = 1; t <= opts.iterations; t++) {
		grad.fill(0);
		for (let i = 0; i < n; i++) {
			const { idx, val } = rows[i];
			logits.fill(0);
			for (let j = 0; j < idx.length; j++) {
				const base = idx[j] * K;
				for (let k = 0; k < K; k++) logits[k] += W[base + k] * val[j];
			}
			let max = -Infinity;
			for (let k = 0; k < K; k++) if (logits[k] > max) max = logits[k];
			let sum = 0;
			for (let k = 0; k < K; k++) sum += logits[k] = Math.exp(logits[k] - max);
			for (let k = 0; k < K; k++) logits[k] /= sum;
			logits[ys[i]] -= 1;
			if (scale) for (let k = 0; k < K; k++) logits[k] *= scale[i];
			for (let j = 0; j < idx.length; j++) {
				const base = idx[j] * K;
				const v = val[j];
				for (let k = 0; k < K; k++) grad[base + k] += (logits[k] * v) / n;
			}
		}
		for (let d = 0; d < D; d++) {
			if (d === biasIdx) continue; // an unpenalised intercept keeps class priors honest
			for (let k = 0; k < K; k++) grad[d * K + k] += opts.l2 * W[d * K + k];
		}
		const lr = opts.learningRate;
		const c1 = 1 - b1 ** t;
		const c2 = 1 - b2 ** t;
		for (let q = 0; q < W.length; q++) {
			const g = grad[q];
			m[q] = b1 * m[q] + (1 - b1) * g;
			s[q] = b2 * s[q] + (1 - b2) * g * g;
			W[q] -= (lr * (m[q] / c1)) / (Math.sqrt(s[q] / c2) + eps);
		}
	}

	const weights: Record<string, number[]> = {};
	for (let d = 0; d < D; d++) {
		const row = Array.from(W.subarray(d * K, d * K + K), w => Math.round(w * 1e4) / 1e4);
		if (row.some(w => Math.abs(w) >= 2e-4)) weights[names[d]] = row;
	}
	return { classes, weights };
}
