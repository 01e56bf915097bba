import { METRIC as TYPED_METRIC, type ActionSchema, type Context, type ServiceBroker } from "moleculer";
import { observeItem, type HistogramItem } from "./histogram-bucket-keys.middleware";
import { replaceHooks } from "./replace-hooks";

/** Moleculer's metric names (metrics/constants.js; its typings declare only the types). */
const METRIC = TYPED_METRIC as unknown as Record<string, string>;

/** Moleculer's gauge, counter or histogram, as far as updating an existing series is concerned (metrics/types/). */
interface Metric {
	values: Map<string, { value: number; timestamp: number; rate?: unknown } & Partial<HistogramItem>>;
	hashingLabels(labels: unknown): string;
	changed(value: unknown, labels: unknown, timestamp?: number): void;
	increment(labels: unknown, value?: number): unknown;
	decrement(labels: unknown, value?: number): unknown;
	observe(value: number, labels: unknown): unknown;
}

/** One label set of a metric: the labels object Moleculer's middleware would build, and the series key it maps to. */
interface Series {
	labels: Record<string, unknown>;
	key: string;
}

const series = (metric: Metric, labels: Record<string, unknown>): Series => ({ labels, key: metric.hashingLabels(labels) });

/**
 * What Moleculer's `increment`/`decrement` do to a gauge or counter (metrics/types/gauge.js `set`), the series found by its
 * key: a series not yet made, or with a rate tracker, goes through Moleculer's own method.
 */
function add(metric: Metric, s: Series, delta: 1 | -1): void {
	const item = metric.values.get(s.key);
	if (item === undefined || item.rate) {
		if (delta > 0) metric.increment(s.labels, 1);
		else metric.decrement(s.labels, 1);
		return;
	}
	const value = item.value + delta;
	if (item.value != value) {
		item.value = value;
		item.timestamp = Date.now();
		metric.changed(value, s.labels, undefined);
	}
}

/** Moleculer's histogram `observe` with the series found by its key (a new one, or one with a rate tracker, by Moleculer's). */
function observe(metric: Metric & { buckets?: number[] }, s: Series, value: number): void {
	const item = metric.values.get(s.key);
	if (item === undefined || item.rate) metric.observe(value, s.labels);
	else observeItem(metric, item as HistogramItem, value, s.labels, undefined);
}

/** Milliseconds since a `process.hrtime()`, computed as Moleculer's `metrics.timer` computes them (same float). */
function elapsedMs(start: [number, number]): number {
	const delta = process.hrtime(start);
	return (delta[0] + delta[1] / 1e9) * 1000;
}

/** The three metrics Moleculer keeps of an action call or an event handled: total, active and time. */
interface Handled {
	total: Metric;
	active: Metric;
	time: Metric;
}

/** One label set of a Handled's metrics (one labels object for the three). */
interface HandledSeries {
	total: Series;
	active: Series;
	time: Series;
}

function handledSeries(m: Handled, labels: Record<string, unknown>): HandledSeries {
	return { total: series(m.total, labels), active: series(m.active, labels), time: series(m.time, labels) };
}

/** Per action and caller: the series of its calls, and of each call level. */
interface CallerSeries extends HandledSeries {
	levels: Series[];
}

type Failure = { name?: unknown; code?: unknown; type?: unknown } | undefined;

/**
 * Moleculer's Metrics middleware (node_modules/moleculer/src/middlewares/metrics.js) with its per-call hooks made cheap:
 * its `localAction`, `remoteAction` and `localEvent` hooks are replaced, in their place in the broker's chain, by ones
 * that update the same series with the same values; its `created` hook (the metrics it registers) and its other hooks
 * (emit, broadcast, transit, transporter) stay Moleculer's.
 *
 * Why: Moleculer's hooks build four to six label objects per action call and look each metric up by name and each series
 * by a key built from them, twice for a gauge (read, then set); an orchestrate request makes 9 action calls and 3
 * events (docs/overhead.md, "What a stage hop costs inside a request"). Here an action's labels objects and series keys
 * are built once per caller (and call level, event name), by the metric's own `hashingLabels`, and each update finds its
 * series by that key and changes it as Moleculer's gauge `set` and histogram `observe` do (value, timestamp, buckets,
 * quantiles, the registry told of the change with the same labels). A series not made yet, or one with a rate tracker,
 * is updated by Moleculer's own method. Durations are measured as Moleculer's timer does (`process.hrtime`, the same
 * arithmetic). The Prometheus text and the registry are byte-identical for the same calls
 * (test/unit/middlewares/request-metrics.spec.ts).
 *
 * How: `useRequestMetrics`, run from the broker's `created` option, swaps Moleculer's three hooks for these in the broker's
 * list of registered hooks (replaceHooks, middlewares/replace-hooks.ts), so they wrap each handler at the very place
 * Moleculer's would (outside Retry, Timeout, Bulkhead...: one count per call, not per try). Not as a middleware of its
 * own: one more middleware would change `moleculer_broker_middlewares_total`. A broker whose options leave `created` out
 * keeps Moleculer's hooks: the same series, at Moleculer's cost.
 */
export function useRequestMetrics(broker: ServiceBroker): void {
	if (!broker.isMetricsEnabled()) return;
	replaceHooks(broker, "Metrics", requestMetricsHooks(broker));
	reportChangesInLoop(broker.metrics as unknown as ChangeRegistry);
}

/** Moleculer's metric registry, as far as telling its reporters of a change is concerned (metrics/registry.js). */
interface ChangeRegistry {
	dirty: boolean;
	reporter?: { metricChanged(metric: unknown, value: unknown, labels: unknown, timestamp?: number): void }[];
	changed(metric: unknown, value: unknown, labels: unknown, timestamp?: number): void;
}

/**
 * The registry's `changed`, which every metric update calls (Moleculer's `BaseMetric.changed`), telling each reporter in
 * a loop: Moleculer's `this.reporter.forEach(reporter => reporter.metricChanged(...))` allocates its arrow function on
 * every call, and a REST request makes about 100 updates (~10 KB of its 238 KB sampled; docs/overhead.md, s15-record).
 * The same flag set, the same reporters told the same arguments in the same order (the reporter list is Moleculer's
 * dense `.map` of its options). On this registry only: Moleculer's prototype is untouched.
 */
export function reportChangesInLoop(registry: ChangeRegistry): void {
	registry.changed = function changed(this: ChangeRegistry, metric: unknown, value: unknown, labels: unknown, timestamp?: number) {
		this.dirty = true;
		const reporters = this.reporter;
		if (Array.isArray(reporters)) for (let i = 0; i < reporters.length; i++) reporters[i].metricChanged(metric, value, labels, timestamp);
	};
}

/** The replacement hooks, for one broker. */
export function requestMetricsHooks(broker: ServiceBroker) {
	const registry = broker.metrics;
	// Registered by Moleculer's Metrics `created` hook; looked up at a handler's first call.
	const metric = (name: string) => registry.getMetric(name) as unknown as Metric;

	const handledMetrics = (total: string, active: string, time: string): Handled => ({ total: metric(total), active: metric(active), time: metric(time) });
	let resolved: { request: Handled; levels: Metric; received: Handled } | undefined;
	const metrics = () =>
		(resolved ??= {
			request: handledMetrics(METRIC.MOLECULER_REQUEST_TOTAL, METRIC.MOLECULER_REQUEST_ACTIVE, METRIC.MOLECULER_REQUEST_TIME),
			levels: metric(METRIC.MOLECULER_REQUEST_LEVELS),
			received: handledMetrics(METRIC.MOLECULER_EVENT_RECEIVED_TOTAL, METRIC.MOLECULER_EVENT_RECEIVED_ACTIVE, METRIC.MOLECULER_EVENT_RECEIVED_TIME),
		});

	/**
	 * The end of an action call or event handling, as Moleculer's hooks record it: the time since `start` (taken before the
	 * handler ran) observed and the active count back down, a failure also counted under its name, code and type.
	 */
	function handled(m: Handled, s: HandledSeries, start: [number, number], result: Promise<unknown>, errorMetric: string): Promise<unknown> {
		return result.then(
			res => {
				observe(m.time, s.time, elapsedMs(start));
				add(m.active, s.active, -1);
				return res;
			},
			(err: Failure) => {
				observe(m.time, s.time, elapsedMs(start));
				add(m.active, s.active, -1);
				registry.increment(errorMetric, {
					...s.total.labels,
					errorName: err ? err.name : null,
					errorCode: err ? err.code : null,
					errorType: err ? err.type : null,
				});
				throw err;
			},
		);
	}

	function actionHandler(type: "local" | "remote", action: ActionSchema, next: (ctx: Context) => Promise<unknown>) {
		const actionName = action.name;
		const service = (action.service as { fullName?: string } | undefined)?.fullName ?? null;
		const byCaller = new Map<unknown, CallerSeries>();
		function callerSeries(caller: unknown): CallerSeries {
			const labels = { service, action: actionName, caller, type };
			const c = { ...handledSeries(metrics().request, labels), levels: [] };
			byCaller.set(caller, c);
			return c;
		}
		function levelSeries(c: CallerSeries, caller: unknown, level: number): Series {
			const s = series(metrics().levels, { service, action: actionName, caller, level });
			if (Number.isInteger(level) && level >= 0 && level < 64) c.levels[level] = s;
			return s;
		}

		return function metricsMiddleware(ctx: Context) {
			const caller = ctx.caller;
			const c = byCaller.get(caller) ?? callerSeries(caller);
			const { request, levels } = metrics();
			const level = ctx.level as number;
			add(request.total, c.total, 1);
			add(request.active, c.active, 1);
			add(levels, c.levels[level] ?? levelSeries(c, caller, level), 1);
			const start = process.hrtime();
			return handled(request, c, start, next(ctx), METRIC.MOLECULER_REQUEST_ERROR_TOTAL);
		};
	}

	/** Moleculer's localEvent hook, its series per event name and caller. */
	function localEvent(next: (ctx: Context) => Promise<unknown>, event: { service?: { name?: string }; group?: string }) {
		const service = event.service ? event.service.name : null;
		const byEvent = new Map<string, Map<unknown, HandledSeries>>();
		function eventSeries(eventName: string, caller: unknown) {
			let byCaller = byEvent.get(eventName);
			if (!byCaller) byEvent.set(eventName, (byCaller = new Map()));
			const s = handledSeries(metrics().received, { service, event: eventName, group: event.group || service, caller });
			byCaller.set(caller, s);
			return s;
		}
		return function metricsMiddleware(ctx: Context) {
			const caller = ctx.caller;
			const eventName = ctx.eventName as string;
			const s = byEvent.get(eventName)?.get(caller) ?? eventSeries(eventName, caller);
			const { received } = metrics();
			add(received.total, s.total, 1);
			add(received.active, s.active, 1);
			const start = process.hrtime();
			return handled(received, s, start, next.call(broker, ctx), METRIC.MOLECULER_EVENT_RECEIVED_ERROR_TOTAL);
		};
	}

	return {
		localAction: (next: (ctx: Context) => Promise<unknown>, action: ActionSchema) => actionHandler("local", action, next),
		remoteAction: (next: (ctx: Context) => Promise<unknown>, action: ActionSchema) => actionHandler("remote", action, next),
		localEvent,
	};
}
