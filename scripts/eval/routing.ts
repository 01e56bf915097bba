/**
 * RouteLLM's routing metrics, computed the way lm-sys/RouteLLM does it
 * (routellm/evals/benchmarks.py and evaluate.py):
 * - thresholds are the 11 edges of `pd.qcut(scores, 10)` (quantiles 0, 0.1 ..
 *   1 with linear interpolation); prompts with score >= edge go to the strong
 *   model, except at the last edge where it is score > edge (no strong calls);
 * - quality of each mix is the mean per-prompt quality, paired with the share
 *   of strong calls;
 * - APGR = (trapz(quality, share) - weak·range) / ((strong - weak)·range);
 * - CPT(x) interpolates the share at which quality reaches weak + x·gap
 *   (RouteLLM uses np.interp over the 11 points; we take the first crossing of
 *   the same piecewise-linear curve, identical when the curve is monotone).
 */

export interface RoutedItem {
	score: number;
	/** Quality of each answer when routed strong / weak (1/0 or judge score). */
	strong: number;
	weak: number;
}

export interface CurvePoint {
	strongShare: number;
	quality: number;
	pgr: number;
}

export interface RoutingMetrics {
	n: number;
	strongQuality: number;
	weakQuality: number;
	apgr: number;
	cpt50: number;
	cpt80: number;
	curve: CurvePoint[];
}

/** numpy/pandas default quantile (linear interpolation between order statistics). */
export function quantile(sorted: number[], q: number): number {
	const pos = (sorted.length - 1) * q;
	const lo = Math.floor(pos);
	const hi = Math.ceil(pos);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export function routingCurve(items: RoutedItem[], bins = 10): CurvePoint[] {
	const strongQ = mean(items.map(i => i.strong));
	const weakQ = mean(items.map(i => i.weak));
	const sorted = items.map(i => i.score).sort((a, b) => a - b);
	const edges = Array.from({ length: bins + 1 }, (_, k) => quantile(sorted, k / bins));
	const points = edges.map((edge, k) => {
		const strong = items.map(i => (k === bins ? i.score > edge : i.score >= edge));
		const quality = mean(items.map((i, j) => (strong[j] ? i.strong : i.weak)));
		return { strongShare: strong.filter(Boolean).length / items.length, quality, pgr: (quality - weakQ) / (strongQ - weakQ) };
	});
	return points.sort((a, b) => a.strongShare - b.strongShare);
}

function trapz(ys: number[], xs: number[]): number {
	let area = 0;
	for (let i = 1; i < xs.length; i++) area += ((ys[i] + ys[i - 1]) / 2) * (xs[i] - xs[i - 1]);
	return area;
}

/** Smallest strong-call share at which the interpolated PGR reaches `target`. */
export function callPerformanceThreshold(curve: CurvePoint[], target: number): number {
	for (let i = 0; i < curve.length; i++) {
		if (curve[i].pgr >= target) {
			if (i === 0) return curve[0].strongShare;
			const a = curve[i - 1];
			const b = curve[i];
			return a.strongShare + ((target - a.pgr) / (b.pgr - a.pgr)) * (b.strongShare - a.strongShare);
		}
	}
	return 1;
}

export function routingMetrics(items: RoutedItem[], bins = 10): RoutingMetrics {
	const strongQuality = mean(items.map(i => i.strong));
	const weakQuality = mean(items.map(i => i.weak));
	const curve = routingCurve(items, bins);
	const xs = curve.map(p => p.strongShare);
	const range = xs[xs.length - 1] - xs[0];
	const auc = trapz(
		curve.map(p => p.quality),
		xs,
	);
	const apgr = (auc - weakQuality * range) / ((strongQuality - weakQuality) * range);
	return {
		n: items.length,
		strongQuality,
		weakQuality,
		apgr,
		cpt50: callPerformanceThreshold(curve, 0.5),
		cpt80: callPerformanceThreshold(curve, 0.8),
		curve,
	};
}
