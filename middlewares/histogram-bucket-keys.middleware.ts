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

/** An array index is a property key V8 finds without building a string: those buckets are fast as they are. */
const isIndex = (n: number) => Number.isInteger(n) && n >= 0 && n < 2 ** 32 - 1;

/**
 * Moleculer's Histogram.observe with each bucket's count found by its key, built once, rather than by the
 * bound itself. Moleculer keeps a series' bucket counts in an object keyed by the bucket bounds and, on every
 * observation, indexes it with each bound that the value fits under (`bucketValues[0.005] += 1`): a bound
 * that is not an array index (0.001, 2.5) is turned into its property key on every access. For
 * orchestrator_request_duration_seconds (12 bounds in seconds, most under 1) that made an observation cost
 * four times one of Moleculer's own millisecond histograms, eight of them per orchestrate request (README
 * "Gateway overhead"). The same counts in the same object, the same sum, count, quantiles and change
 * notification: snapshots and the Prometheus text are unchanged (test/unit/middlewares/histogram-bucket-keys.spec.ts).
 * Histograms whose bounds are all array indices (Moleculer's own, in milliseconds) are left as they are.
 */
export function bucketKeysOnce(metric: Histogram): void {
	const bounds = metric.buckets;
	if (metric.type !== "histogram" || !bounds?.length || bounds.every(isIndex)) return;
	const keys = bounds.map(String);
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
		return observeItem(this, item, value, labels, timestamp, keys);
	};
}

/**
 * What Moleculer's Histogram.observe does to a series once found: timestamp, sum, count, last value, the count of
 * each bucket the value fits under (found by `keys[i]`, the key of `buckets[i]`), the quantiles, and the change
 * told to the registry. Also RequestMetrics' (middlewares/request-metrics.middleware.ts).
 */
export function observeItem(
	metric: { buckets?: number[]; changed(value: number, labels: unknown, timestamp?: number): void },
	item: HistogramItem,
	value: number,
	labels: unknown,
	timestamp: number | undefined,
	keys: readonly (string | number)[] | undefined,
): HistogramItem {
	item.timestamp = timestamp == null ? Date.now() : timestamp;
	item.sum += value;
	item.count++;
	item.lastValue = value;
	const counts = item.bucketValues;
	const bounds = metric.buckets;
	if (counts && bounds && keys) for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]) counts[keys[i]] += 1;
	item.quantileValues?.add(value);
	metric.changed(value, labels, timestamp);
	return item;
}

/** bucketKeysOnce on every histogram of the broker, those registered later included. */
export default function HistogramBucketKeysMiddleware(): Middleware {
	return everyMetricMiddleware<Histogram>("HistogramBucketKeys", bucketKeysOnce);
}
