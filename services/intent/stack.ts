/**
 * A second stage over the intent model's probabilities: a scale on the log-probabilities, a per-class
 * bias and per-(flag x class) offsets for a few flags of the request's form (askForm, pasted code, a
 * short ask), fitted by log-loss on out-of-fold predictions (`npm run train`'s inner folds; in the
 * evaluation, the other folds'). It can move the border between two intents for one form of request
 * ("can you X" vs "Can I X?") where the first stage learned it from all forms at once.
 */
import { askForm, askOf } from "./features";

export interface IntentStack {
	/** Flag names, in the order of `offsets`' rows. */
	flags: string[];
	/** Multiplies each log-probability (1 / temperature). */
	scale: number;
	/** Per class, added to the logit. */
	bias: number[];
	/** Per flag, per class, added when the flag is on. */
	offsets: number[][];
}

export const STACK_FLAGS = ["form:paste", "form:howto", "form:request", "form:yesno", "form:wh", "code", "short"] as const;

/** The stack's flags of one request (STACK_FLAGS order), 1 or 0. */
export function stackFlags(request: string): number[] {
	const shape = askOf(request);
	const form = askForm(shape);
	const words = shape.ask.split(/\s+/).filter(Boolean).length;
	return STACK_FLAGS.map(f => (f === "code" ? +(shape.codeLines >= 3) : f === "short" ? +(words <= 6) : +(f === `form:${form}`)));
}

/** Stacked probabilities from first-stage probabilities and the request's flags. */
export function applyStack(stack: IntentStack, probs: readonly number[], flags: readonly number[]): number[] {
	const z = probs.map((p, k) => stack.scale * Math.log(Math.max(p, 1e-12)) + stack.bias[k]);
	flags.forEach((on, f) => {
		if (on) for (let k = 0; k < z.length; k++) z[k] += stack.offsets[f][k];
	});
	const max = Math.max(...z);
	const e = z.map(v => Math.exp(v - max));
	const s = e.reduce((a, b) => a + b, 0);
	return e.map(v => v / s);
}

/**
 * Fits the stack by full-batch gradient descent (Adam) on mean log-loss with an L2 penalty on the
 * bias and offsets (`l2`, per row), from out-of-fold probabilities, flags and true class indices.
 */
export function fitStack(probs: readonly number[][], flags: readonly number[][], truth: readonly number[], l2 = 1e-3, iterations = 400): IntentStack {
	const K = probs[0]?.length ?? 0;
	const F = flags[0]?.length ?? 0;
	// Parameters: [scale, bias (K), offsets (F x K)].
	const P = 1 + K + F * K;
	const w = new Float64Array(P);
	w[0] = 1;
	const m = new Float64Array(P);
	const v = new Float64Array(P);
	const g = new Float64Array(P);
	const logp = probs.map(p => p.map(x => Math.log(Math.max(x, 1e-12))));
	const n = probs.length;
	const z = new Float64Array(K);
	for (let t = 1; t <= iterations; t++) {
		g.fill(0);
		for (let i = 0; i < n; i++) {
			for (let k = 0; k < K; k++) {
				let s = w[0] * logp[i][k] + w[1 + k];
				for (let f = 0; f < F; f++) if (flags[i][f]) s += w[1 + K + f * K + k];
				z[k] = s;
			}
			let max = -Infinity;
			for (let k = 0; k < K; k++) max = Math.max(max, z[k]);
			let sum = 0;
			for (let k = 0; k < K; k++) sum += z[k] = Math.exp(z[k] - max);
			for (let k = 0; k < K; k++) {
				const r = (z[k] / sum - (k === truth[i] ? 1 : 0)) / n;
				g[0] += r * logp[i][k];
				g[1 + k] += r;
				for (let f = 0; f < F; f++) if (flags[i][f]) g[1 + K + f * K + k] += r;
			}
		}
		for (let q = 1; q < P; q++) g[q] += l2 * w[q];
		const c1 = 1 - 0.9 ** t;
		const c2 = 1 - 0.999 ** t;
		for (let q = 0; q < P; q++) {
			m[q] = 0.9 * m[q] + 0.1 * g[q];
			v[q] = 0.999 * v[q] + 0.001 * g[q] * g[q];
			w[q] -= (0.05 * (m[q] / c1)) / (Math.sqrt(v[q] / c2) + 1e-8);
		}
	}
	const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
	return {
		flags: [...STACK_FLAGS].slice(0, F),
		scale: r4(w[0]),
		bias: Array.from(w.subarray(1, 1 + K), r4),
		offsets: Array.from({ length: F }, (_, f) => Array.from(w.subarray(1 + K + f * K, 1 + K + (f + 1) * K), r4)),
	};
}
