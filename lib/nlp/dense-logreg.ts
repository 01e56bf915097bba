/**
 * Binary logistic regression over dense, standardized features with soft labels in [0, 1]:
 * full-batch Adam, L2 penalty, unpenalised intercept, deterministic. For a few hundred
 * dense dimensions (a mean word vector plus shape values) where the sparse learner of
 * logreg.ts would only add map lookups.
 */

export interface DenseLogReg {
	/** Per-feature mean and standard deviation of the training rows (standardization). */
	mean: number[];
	scale: number[];
	weights: number[];
	bias: number;
}

export interface DenseLogRegOptions {
	l2: number;
	iterations: number;
	learningRate: number;
}

export const DENSE_DEFAULTS: DenseLogRegOptions = { l2: 0.1, iterations: 300, learningRate: 0.05 };

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** `rowWeights` (default 1 each) let a small source count as much as a large one. */
export function trainDenseLogReg(xs: ArrayLike<number>[], ys: number[], opts: DenseLogRegOptions = DENSE_DEFAULTS, rowWeights?: number[]): DenseLogReg {
	const n = xs.length;
	const rw = rowWeights ?? new Array<number>(n).fill(1);
	const total = rw.reduce((a, b) => a + b, 0) || 1;
	const dims = n ? xs[0].length : 0;
	const mean = new Array<number>(dims).fill(0);
	const scale = new Array<number>(dims).fill(0);
	for (const x of xs) for (let d = 0; d < dims; d++) mean[d] += x[d] / n;
	for (const x of xs) for (let d = 0; d < dims; d++) scale[d] += (x[d] - mean[d]) ** 2 / n;
	// A (nearly) constant feature keeps scale 1: dividing by ~0 would blow up unseen values.
	for (let d = 0; d < dims; d++) scale[d] = Math.sqrt(scale[d]) >= 1e-4 ? Math.sqrt(scale[d]) : 1;
	const z = xs.map(x => Float64Array.from({ length: dims }, (_, d) => (x[d] - mean[d]) / scale[d]));
	const w = new Float64Array(dims + 1); // last slot: bias
	const m = new Float64Array(dims + 1);
	const s = new Float64Array(dims + 1);
	const grad = new Float64Array(dims + 1);
	for (let t = 1; t <= opts.iterations; t++) {
		grad.fill(0);
		for (let i = 0; i < n; i++) {
			let logit = w[dims];
			for (let d = 0; d < dims; d++) logit += w[d] * z[i][d];
			const residual = (rw[i] * (1 / (1 + Math.exp(-logit)) - ys[i])) / total;
			for (let d = 0; d < dims; d++) grad[d] += residual * z[i][d];
			grad[dims] += residual;
		}
		for (let d = 0; d < dims; d++) grad[d] += opts.l2 * w[d];
		for (let q = 0; q <= dims; q++) {
			m[q] = 0.9 * m[q] + 0.1 * grad[q];
			s[q] = 0.999 * s[q] + 0.001 * grad[q] * grad[q];
			w[q] -= (opts.learningRate * (m[q] / (1 - 0.9 ** t))) / (Math.sqrt(s[q] / (1 - 0.999 ** t)) + 1e-8);
		}
	}
	return { mean: mean.map(r6), scale: scale.map(r6), weights: Array.from(w.subarray(0, dims), r6), bias: r6(w[dims]) };
}

/**
 * The parts one after another in a plain array: `[...a, ...b]` with the same values, but spreading a
 * Float32Array (a mean word vector) goes through its iterator, a result object per component
 * (~10 KB per complexity request: the tier features and strong_need's each spread one).
 */
export function concatValues(...parts: ArrayLike<number>[]): number[] {
	let length = 0;
	for (const part of parts) length += part.length;
	const out = new Array<number>(length);
	let i = 0;
	for (const part of parts) for (let d = 0; d < part.length; d++) out[i++] = part[d];
	return out;
}

/** The log-odds of the positive class (one part: the same terms in the same order as denseLogitOfParts reads). */
export function denseLogit(model: DenseLogReg, x: ArrayLike<number>): number {
	return denseLogitOfParts(model, [x]);
}

/**
 * `denseLogit(model, concatValues(...parts))` without the concatenated array: the same terms summed in the same
 * order, so the same double. The complexity scorer's tier and strong_need features are a mean word vector and a few
 * shape values; joining them cost two ~1 KB arrays per score (and the element-kind transition of each).
 */
export function denseLogitOfParts(model: DenseLogReg, parts: readonly ArrayLike<number>[]): number {
	const { weights, mean, scale } = model;
	let z = model.bias;
	let d = 0;
	for (const part of parts) {
		// A mean word vector is read by a loop of its own: one read of a Float32Array and of plain arrays (some of
		// boxed numbers: Object.values) would box every float it read, ~3 KB a score.
		if (part instanceof Float32Array) {
			for (let i = 0; i < part.length && d < weights.length; i++, d++) z += (weights[d] * (part[i] - mean[d])) / scale[d];
		} else {
			for (let i = 0; i < part.length && d < weights.length; i++, d++) z += (weights[d] * ((part[i] ?? 0) - mean[d])) / scale[d];
		}
	}
	for (; d < weights.length; d++) z += (weights[d] * (0 - mean[d])) / scale[d];
	return z;
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
