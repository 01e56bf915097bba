import type { Middleware } from "moleculer";
import { everyMetricMiddleware } from "./no-metric-rates.middleware";

/** Moleculer's histogram, as far as observing a value is concerned (metrics/types/histogram.js). */
interface Histogram {
	type: string;
	/** Moleculer's rate tracker option (off under NoMetricRates); a histogram with one keeps Moleculer's observe. */
	rate?: boolean;
	buckets?: number[];
	values: Map<string, HistogramItem>;
	hashingLabels(labels: unknown): string;
	resetItem(item: { labels: Record<string, unknown> }): HistogramItem;
	createBucketValues(): Record<string, number>;
	changed(value: number, labels: unknown, timestamp?: number): void;
	labelNames: string[];
	observe(value: number, labels?: unknown, timestamp?: number): HistogramItem;
}

export interface HistogramItem {
	labels: Record<string, unknown>;
	timestamp: number;
	sum: number;
	count: number;
	lastValue: number | null;
	bucketValues?: Record<string, number>;
	quantileValues?: { add(value: number): void };
}

/** Where a series' `bucketValues` (denseBucketValues) keeps its counts: one slot per distinct bucket key. */
const DENSE: unique symbol = Symbol("dense bucket counts");

interface Dense {
	counts: Float64Array;
	/** The slot of `buckets[i]`: bounds that make the same key (Moleculer counts them in one property) share one. */
	slots: Int32Array;
}

/** The dense counts behind a series' bucketValues, when they are ours. */
function denseOf(values: Record<string, number> | undefined): Dense | undefined {
	return (values as { [DENSE]?: Dense } | undefined)?.[DENSE];
}

/**
 * A series' bucket counts as Moleculer's `createBucketValues` makes them (an object keyed by each bound, every count 0, the
 * same keys in the same order), each key an accessor of one slot of a Float64Array: observeItem adds to the array, and
 * whatever reads or writes the object (Moleculer's snapshot, its own observe for a new series) reads and writes the same
 * counts. Why: Moleculer's millisecond bounds (1, 5, ..., 10000) are array indices, so the object keeps them as sparse
 * (dictionary) elements, and `bucketValues[bound] += 1` for each of the 12 bounds a value fits under cost ~1.1 us an
 * observation, against ~20 ns in an array (docs/overhead.md, "s13-rest"): moleculer_request_time and
 * moleculer_event_received_time are observed on every action call and event, ~13 times per orchestrate request.
 */
export function denseBucketValues(bounds: readonly number[]): Record<string, number> {
	const out: Record<string, number> = {};
	const slotOf = new Map<string, number>();
	const slots = new Int32Array(bounds.length);
	bounds.forEach((bound, i) => {
		const key = String(bound);
		let slot = slotOf.get(key);
		if (slot === undefined) slotOf.set(key, (slot = slotOf.size));
		slots[i] = slot;
	});
	const counts = new Float64Array(slotOf.size);
	for (const [key, slot] of slotOf) {
		Object.defineProperty(out, key, {
			get: () => counts[slot],
			set: (v: number) => {
				counts[slot] = v;
			},
			enumerable: true,
			configurable: true,
		});
	}
	Object.defineProperty(out, DENSE, { value: { counts, slots } satisfies Dense });
	return out;
}

/**
 * Moleculer's Histogram.observe with each bucket's count kept in a typed array (denseBucketValues). Moleculer keeps a
 * series' bucket counts in an object keyed by the bucket bounds and, on every observation, indexes it with each bound that
 * the value fits under (`bucketValues[0.005] += 1`): a fractional bound (0.001, 2.5) is turned into its property key on
 * every access (orchestrator_request_duration_seconds: four times one of Moleculer's own observations once), and an
 * integer one (Moleculer's millisecond histograms) is a lookup in sparse elements. The same counts in the same keys, the
 * same sum, count, quantiles and change notification: snapshots and the Prometheus text are unchanged
 * (test/unit/middlewares/histogram-bucket-keys.spec.ts).
 */
export function bucketKeysOnce(metric: Histogram): void {
	const bounds = metric.buckets;
	if (metric.type !== "histogram" || !bounds?.length) return;
	metric.createBucketValues = () => denseBucketValues(bounds);
	// Series made before this ran (none on a broker's own metrics: they are registered empty) keep their counts.
	for (const item of metric.values.values()) {
		if (!item.bucketValues || denseOf(item.bucketValues)) continue;
		const dense = denseBucketValues(bounds);
		for (const key of Object.keys(dense)) dense[key] = item.bucketValues[key];
		item.bucketValues = dense;
	}
	const original = metric.observe;
	metric.observe = function observe(this: Histogram, value: number, labels?: unknown, timestamp?: number): HistogramItem {
		if (this.rate) return original.call(this, value, labels, timestamp);
		const hash = this.hashingLabels(labels);
		let item = this.values.get(hash);
		if (!item) {
			// What Moleculer's observe does for a new series (`_.pick(labels, labelNames)`).
			const picked: Record<string, unknown> = {};
			const given = (labels ?? {}) as Record<string, unknown>;
			for (const name of this.labelNames) if (name in given) picked[name] = given[name];
			item = this.resetItem({ labels: picked });
			this.values.set(hash, item);
		}
		return observeItem(this, item, value, labels, timestamp);
	};
}

/**
 * What Moleculer's Histogram.observe does to a series once found: timestamp, sum, count, last value, the count of
 * each bucket the value fits under (in the series' dense counts; a series this middleware has not made dense, by its
 * bound as Moleculer does), the quantiles, and the change told to the registry. Also RequestMetrics' (middlewares/request-metrics.middleware.ts).
 */
export function observeItem(
	metric: { buckets?: number[]; changed(value: number, labels: unknown, timestamp?: number): void },
	item: HistogramItem,
	value: number,
	labels: unknown,
	timestamp: number | undefined,
): HistogramItem {
	item.timestamp = timestamp == null ? Date.now() : timestamp;
	item.sum += value;
	item.count++;
	item.lastValue = value;
	const values = item.bucketValues;
	const bounds = metric.buckets;
	if (values && bounds) {
		const dense = denseOf(values);
		if (dense) {
			const { counts, slots } = dense;
			for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]) counts[slots[i]] += 1;
		} else for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]) values[bounds[i]] += 1;
	}
	item.quantileValues?.add(value);
	metric.changed(value, labels, timestamp);
	return item;
}

/** bucketKeysOnce on every histogram of the broker, those registered later included. */
export default function HistogramBucketKeysMiddleware(): Middleware {
	return everyMetricMiddleware<Histogram>("HistogramBucketKeys", bucketKeysOnce);
}
