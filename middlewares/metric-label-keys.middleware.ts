import type { Middleware } from "moleculer";
import { everyMetricMiddleware } from "./no-metric-rates.middleware";

/** How many label sets of one metric have their key remembered; past it, keys are built as Moleculer builds them. */
export const MAX_REMEMBERED_KEYS = 10_000;

/** Moleculer's metric, as far as its label key is concerned (metrics/types/base.js). */
interface KeyedMetric {
	labelNames: string[];
	hashingLabels(labels: unknown): string;
}

/** A label value as a Map key: the values Moleculer writes into a key as themselves, every other value as one. */
const OTHER = Symbol("other label value");
const keyPart = (v: unknown): unknown => (typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : OTHER);

/**
 * Remembers each metric's key per label set, so that updating a series builds no string.
 *
 * Moleculer finds a series by a key it builds from the label values on every update (`hashingLabels`:
 * an array, a quoted string per label, a join), twice for a gauge's increment/decrement (read, then
 * set). Its MetricsMiddleware makes five such updates per action call (request total, active up and down,
 * levels, time) and the bulkhead two to four: about 90 keys per orchestrate request, about a seventh of
 * the bytes a request allocated (README "Gateway overhead"). Here the key of a label set is built
 * once, by Moleculer's own code, and found again through one Map per label (values compared as
 * Moleculer's key tells them apart: the number 1, the string "1" and `true` are three keys, any other
 * value is the empty part). Same keys, same series: only their construction is skipped.
 * A metric with more than MAX_REMEMBERED_KEYS label sets builds the others' keys every time, as before.
 */
export function rememberLabelKeys(metric: KeyedMetric): void {
	const names = metric.labelNames;
	if (!names?.length) return;
	const build = metric.hashingLabels.bind(metric);
	const last = names.length - 1;
	const root = new Map<unknown, unknown>();
	let remembered = 0;
	// The label values of the last key found, and that key: a gauge's increment and decrement look their series up twice
	// in a row (read, then set) with the same labels, and an action's series come one after another.
	const lastValues: unknown[] = new Array(names.length);
	let lastKey: string | undefined;
	metric.hashingLabels = (labels: unknown): string => {
		if (labels == null || typeof labels !== "object") return "";
		const values = labels as Record<string, unknown>;
		if (lastKey !== undefined) {
			let i = 0;
			while (i <= last && values[names[i]] === lastValues[i]) i++;
			if (i > last) return lastKey;
		}
		const key = findKey(values, labels);
		for (let i = 0; i <= last; i++) lastValues[i] = values[names[i]];
		lastKey = key;
		return key;
	};
	function findKey(values: Record<string, unknown>, labels: unknown): string {
		let node = root;
		for (let i = 0; i < last; i++) {
			const part = keyPart(values[names[i]]);
			let next = node.get(part) as Map<unknown, unknown> | undefined;
			if (next === undefined) {
				if (remembered >= MAX_REMEMBERED_KEYS) return build(labels);
				next = new Map();
				node.set(part, next);
			}
			node = next;
		}
		const part = keyPart(values[names[last]]);
		let key = node.get(part) as string | undefined;
		if (key === undefined) {
			key = build(labels);
			if (remembered < MAX_REMEMBERED_KEYS) {
				node.set(part, key);
				remembered++;
			}
		}
		return key;
	}
}

/** rememberLabelKeys on every metric of the broker, those registered later included. */
export default function MetricLabelKeysMiddleware(): Middleware {
	return everyMetricMiddleware<KeyedMetric>("MetricLabelKeys", rememberLabelKeys);
}
