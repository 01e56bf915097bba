/**
 * Seeded resampling and the metrics the eval script reports. Shared by
 * `scripts/train.ts` (model selection inside the training data) and
 * `scripts/eval.ts` (outer cross-validation), so both use one definition.
 */

/** mulberry32: tiny, seedable, good enough for shuffling folds. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function shuffled<T>(items: T[], rand: () => number): T[] {
	const out = items.slice();
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(rand() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

/** Fold number of every item; each label is spread evenly over the k folds. */
export function stratifiedFolds(labels: string[], k: number, seed: number): number[] {
	const rand = seededRandom(seed);
	const fold = new Array<number>(labels.length).fill(0);
	const byLabel = new Map<string, number[]>();
	labels.forEach((l, i) => byLabel.set(l, [...(byLabel.get(l) ?? []), i]));
	let offset = 0;
	for (const label of [...byLabel.keys()].sort()) {
		for (const [j, i] of shuffled(byLabel.get(label) ?? [], rand).entries()) fold[i] = (j + offset) % k;
		offset += (byLabel.get(label) ?? []).length;
	}
	return fold;
}

export function accuracy(truth: string[], pred: string[]): number {
	return truth.filter((t, i) => t === pred[i]).length / Math.max(1, truth.length);
}

/** rows = truth, columns = prediction, both in `classes` order. */
export function confusionMatrix(truth: string[], pred: string[], classes: readonly string[]): number[][] {
	const m = classes.map(() => classes.map(() => 0));
	truth.forEach((t, i) => {
		const r = classes.indexOf(t);
		const c = classes.indexOf(pred[i]);
		if (r >= 0 && c >= 0) m[r][c]++;
	});
	return m;
}

export function macroF1(truth: string[], pred: string[], classes: readonly string[]): number {
	const m = confusionMatrix(truth, pred, classes);
	const f1s = classes.map((_, k) => {
		const tp = m[k][k];
		const fp = m.reduce((s, row, r) => s + (r === k ? 0 : row[k]), 0);
		const fn = m[k].reduce((s, v, c) => s + (c === k ? 0 : v), 0);
		return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
	});
	return f1s.reduce((a, b) => a + b, 0) / classes.length;
}

/** Ranks with ties averaged, as Spearman's rho requires. */
function ranks(xs: number[]): number[] {
	const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
	const r = new Array<number>(xs.length);
	for (let i = 0; i < order.length;) {
		let j = i;
		while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
		for (let q = i; q <= j; q++) r[order[q][1]] = (i + j) / 2 + 1;
		i = j + 1;
	}
	return r;
}

export function pearson(a: number[], b: number[]): number {
	const n = a.length;
	const ma = a.reduce((s, x) => s + x, 0) / n;
	const mb = b.reduce((s, x) => s + x, 0) / n;
	let num = 0;
	let da = 0;
	let db = 0;
	for (let i = 0; i < n; i++) {
		num += (a[i] - ma) * (b[i] - mb);
		da += (a[i] - ma) ** 2;
		db += (b[i] - mb) ** 2;
	}
	return da === 0 || db === 0 ? 0 : num / Math.sqrt(da * db);
}

export function spearman(a: number[], b: number[]): number {
	return pearson(ranks(a), ranks(b));
}
