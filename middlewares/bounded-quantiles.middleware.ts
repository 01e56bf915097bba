import type { Middleware } from "moleculer";
import { everyMetricMiddleware } from "./no-metric-rates.middleware";

/**
 * Values one age bucket of a histogram's quantile window keeps (Moleculer: 10 buckets of 6 s over 60 s, per series).
 * Up to this many observations per 6 s (167/s per series) every value is kept and the snapshot is Moleculer's own;
 * beyond, a uniform sample of this many (reservoir sampling), 10,000 over a busy window: a quantile read from it
 * has the rank of one within a standard error of sqrt(q (1 - q) / 10,000) of q (0.5 percentile at p50, 0.1 at p99),
 * and a series holds at most 10 x 1,000 doubles (80 KB) whatever the request rate.
 */
export const QUANTILE_SAMPLES_PER_BUCKET = 1_000;

/**
 * One age bucket of a quantile window: Moleculer's Bucket (count, samples, add, clear) with its samples capped at
 * QUANTILE_SAMPLES_PER_BUCKET by reservoir sampling, and the exact sum, sum of squares, min and max of every value
 * added, so the window's min, max, mean and variance stay exact when samples are dropped.
 */
export class BoundedBucket {
	count = 0;
	samples: number[] = [];
	sum = 0;
	sumSquares = 0;
	min = Infinity;
	max = -Infinity;

	constructor(
		readonly cap = QUANTILE_SAMPLES_PER_BUCKET,
		private readonly random: () => number = Math.random,
	) {}

	add(value: number): void {
		this.count++;
		this.sum += value;
		this.sumSquares += value * value;
		if (value < this.min) this.min = value;
		if (value > this.max) this.max = value;
		if (this.samples.length < this.cap) this.samples.push(value);
		else {
			// Algorithm R: the i-th value replaces a kept one with probability cap / i, so the kept ones stay a uniform sample.
			const j = Math.floor(this.random() * this.count);
			if (j < this.cap) this.samples[j] = value;
		}
	}

	clear(): void {
		this.count = 0;
		this.samples = [];
		this.sum = 0;
		this.sumSquares = 0;
		this.min = Infinity;
		this.max = -Infinity;
	}
}

/** Moleculer's TimeWindowQuantiles (metrics/types/histogram.js), as far as this file uses it. */
interface QuantileWindow {
	quantiles: number[];
	ringBuckets: BoundedBucket[];
	dirty: boolean;
	lastSnapshot: WindowSnapshot | null;
	snapshot(): WindowSnapshot;
	clearDirty(): void;
}

interface WindowSnapshot {
	min: number | null;
	mean: number | null;
	variance: number | null;
	stdDev: number | null;
	max: number | null;
	quantiles: Record<string, number | undefined>;
}

/**
 * The window's snapshot when a bucket dropped samples: min, max, mean and variance from the buckets' exact sums;
 * each quantile the smallest kept value at which the kept values, each weighing for the count of its bucket over
 * the samples kept there, reach q of all values (with nothing dropped, Moleculer's `samples[ceil(q n) - 1]`).
 */
export function weightedSnapshot(buckets: BoundedBucket[], quantiles: number[]): WindowSnapshot {
	const kept: { value: number; weight: number }[] = [];
	let n = 0;
	let sum = 0;
	let sumSquares = 0;
	let min = Infinity;
	let max = -Infinity;
	for (const b of buckets) {
		if (!b.count) continue;
		n += b.count;
		sum += b.sum;
		sumSquares += b.sumSquares;
		min = Math.min(min, b.min);
		max = Math.max(max, b.max);
		const weight = b.count / b.samples.length;
		for (const value of b.samples) kept.push({ value, weight });
	}
	kept.sort((a, b) => a.value - b.value);
	const mean = n ? sum / n : null;
	const variance = n > 1 && mean !== null ? Math.max(0, (sumSquares - n * mean * mean) / (n - 1)) : null;
	const out: Record<string, number | undefined> = {};
	for (const q of quantiles) {
		const target = Math.ceil(q * n);
		let seen = 0;
		let at: number | undefined;
		for (const k of kept) {
			seen += k.weight;
			// A float sum of weights: a hair under the target counts as reaching it.
			if (seen >= target - 1e-9) {
				at = k.value;
				break;
			}
		}
		out[q] = target >= 1 ? (at ?? kept.at(-1)?.value) : undefined;
	}
	return { min: n ? min : null, mean, variance, stdDev: variance ? Math.sqrt(variance) : null, max: n ? max : null, quantiles: out };
}

/**
 * A histogram item's quantile window with bounded buckets; its snapshot Moleculer's own while no bucket dropped a sample.
 * `random` picks the kept samples (a seeded one makes a test's figures the same on every run).
 */
export function boundQuantileWindow(window: QuantileWindow, cap = QUANTILE_SAMPLES_PER_BUCKET, random: () => number = Math.random): void {
	window.ringBuckets = window.ringBuckets.map(() => new BoundedBucket(cap, random));
	const exact = window.snapshot;
	window.snapshot = function snapshot(this: QuantileWindow): WindowSnapshot {
		if (!this.ringBuckets.some(b => b.count > b.samples.length)) return exact.call(this);
		if (!this.dirty && this.lastSnapshot) return this.lastSnapshot;
		this.lastSnapshot = weightedSnapshot(this.ringBuckets, this.quantiles);
		this.clearDirty();
		return this.lastSnapshot;
	};
}

/** Moleculer's histogram, as far as its quantile windows are concerned. */
interface Histogram {
	type: string;
	quantiles?: number[];
	values: Map<string, { quantileValues?: QuantileWindow }>;
	resetItem(item: object, timestamp?: number): { quantileValues?: QuantileWindow };
}

/** Every quantile window of a histogram, those of series created later included, bounded (boundQuantileWindow). */
export function boundQuantiles(metric: Histogram, random: () => number = Math.random): void {
	if (metric.type !== "histogram" || !metric.quantiles) return;
	for (const item of metric.values.values()) if (item.quantileValues) boundQuantileWindow(item.quantileValues, QUANTILE_SAMPLES_PER_BUCKET, random);
	const reset = metric.resetItem;
	metric.resetItem = function resetItem(this: Histogram, item: object, timestamp?: number) {
		const out = reset.call(this, item, timestamp);
		if (out.quantileValues) boundQuantileWindow(out.quantileValues, QUANTILE_SAMPLES_PER_BUCKET, random);
		return out;
	};
}

/**
 * Moleculer keeps every value a histogram with quantiles observed over the last minute (moleculer_request_time of
 * each action, ~10 per orchestrate request; orchestrator_request_duration_seconds, 8): memory that grows with the
 * request rate, ~1.4 million doubles at 1,400 req/s, filling for the window's first 60 s (84,000 requests) and
 * growing V8's heap with it (README "Gateway overhead", `--long`). Bounded here to QUANTILE_SAMPLES_PER_BUCKET per
 * 6 s bucket of a series; the series, their names and labels, counts, sums, buckets, min, max and mean are unchanged.
 */
export default function BoundedQuantilesMiddleware(): Middleware {
	return everyMetricMiddleware<Histogram>("BoundedQuantiles", boundQuantiles);
}
