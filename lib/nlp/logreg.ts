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

/**
 * Loops rather than `Math.max(...logits)`, `map`, `reduce` and `map` (four arrays and a spread call per class
 * vector, twice a tempered intent request): the same maximum (Math.max pairwise), the same sum in the same order, the
 * same quotients.
 */
export function softmax(logits: number[]): number[] {
	let max = -Infinity;
	for (const z of logits) max = Math.max(max, z);
	const out = new Array<number>(logits.length);
	let sum = 0;
	for (let k = 0; k < logits.length; k++) sum += out[k] = Math.exp(logits[k] - max);
	for (let k = 0; k < out.length; k++) out[k] /= sum;
	return out;
}

/** Probabilities re-tempered, softmax(log p / T): T > 1 softens an overconfident model (calibration). */
export function temper(p: number[], temperature: number): number[] {
	return temperature === 1 ? p : softmax(p.map(x => Math.log(Math.max(x, 1e-12)) / temperature));
}

/**
 * A model's weights laid out for inference, built once per model: every row in one Float64Array (row r's weight for
 * class k at `r * K + k`) and each feature name's row number in a Map. The rows as `number[]` (the JSON's shape) were
 * 16k separate heap arrays, one pointer hop each per feature looked up: cheap in a micro-benchmark, but in the gateway
 * process, where the request's HTTP and vendor code runs between two requests' analyses, those scattered rows miss the
 * CPU caches (README "Gateway overhead"). Same doubles, read in the same order: the same sums, bit for bit.
 */
interface Packed {
	K: number;
	rows: Map<string, number>;
	w: Float64Array;
}

const PACKED = new WeakMap<LogRegModel, Packed>();

function packed(model: LogRegModel): Packed {
	let p = PACKED.get(model);
	if (!p) {
		const K = model.classes.length;
		const names = Object.keys(model.weights);
		const w = new Float64Array(names.length * K);
		const rows = new Map<string, number>();
		names.forEach((name, r) => {
			rows.set(name, r);
			const row = model.weights[name];
			for (let k = 0; k < K; k++) w[r * K + k] = row[k];
		});
		PACKED.set(model, (p = { K, rows, w }));
	}
	return p;
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

/** Per model and prefix, the weights of `${prefix}${d}` at `d * K + k`, and which d have a row at all. */
interface BlockRows {
	has: Uint8Array;
	w: Float64Array;
}

const BLOCK_ROWS = new WeakMap<LogRegModel, Map<string, BlockRows>>();

function blockRows(model: LogRegModel, prefix: string, dims: number): BlockRows {
	let byPrefix = BLOCK_ROWS.get(model);
	if (!byPrefix) BLOCK_ROWS.set(model, (byPrefix = new Map()));
	let rows = byPrefix.get(prefix);
	if (!rows || rows.has.length !== dims) {
		const { K, rows: index, w } = packed(model);
		rows = { has: new Uint8Array(dims), w: new Float64Array(dims * K) };
		for (let d = 0; d < dims; d++) {
			const r = index.get(`${prefix}${d}`);
			if (r === undefined) continue;
			rows.has[d] = 1;
			rows.w.set(w.subarray(r * K, r * K + K), d * K);
		}
		byPrefix.set(prefix, rows);
	}
	return rows;
}

/**
 * Class probabilities of `x` and then `blocks`, in that order: the same sums, term for term, as
 * of one vector holding x's features followed by the blocks' (blocks come last in training too).
 */
export function predictProba(model: LogRegModel, x: FeatureVector, blocks: readonly DenseBlock[] = []): number[] {
	const { K, rows, w } = packed(model);
	const logits = new Array<number>(K).fill(0);
	for (const [name, value] of x) {
		const r = rows.get(name);
		if (r === undefined) continue;
		const base = r * K;
		for (let k = 0; k < K; k++) logits[k] += w[base + k] * value;
	}
	for (const { prefix, vec, weight } of blocks) {
		const { has, w: bw } = blockRows(model, prefix, vec.length);
		for (let d = 0; d < vec.length; d++) {
			if (vec[d] === 0 || !has[d]) continue;
			const value = vec[d] * weight;
			const base = d * K;
			for (let k = 0; k < K; k++) logits[k] += bw[base + k] * value;
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
