import { METRIC as TYPED_METRIC, Middlewares, type ActionSchema, type Context, type Middleware, type ServiceBroker } from "moleculer";
import { observeItem, type HistogramItem } from "./histogram-bucket-keys.middleware";

/**
 * Moleculer 0.14's internal middlewares, in the order its broker registers them (`INTERNAL_MIDDLEWARES` in
 * node_modules/moleculer/src/service-broker.js, not exported), with its Metrics middleware replaced by
 * RequestMetricsMiddleware. The broker option `internalMiddlewares: false` then goes with it: Moleculer has no option
 * to leave out one internal middleware, and registering this list after the user middlewares is exactly what its
 * `registerMiddlewares` does (HotReload, the 15th, only with `hotReload`, which no node here sets).
 * test/unit/middlewares/request-metrics.spec.ts compares it with the names a default broker registers.
 */
export const INTERNAL_MIDDLEWARES = [
	"ActionHook",
	"Validator",
	"Bulkhead",
	"Cacher",
	"ContextTracker",
	"CircuitBreaker",
	"Timeout",
	"Retry",
	"Fallback",
	"ErrorHandler",
	"Tracing",
	"Metrics",
	"Debounce",
	"Throttle",
] as const;

/** INTERNAL_MIDDLEWARES as broker options take them, Metrics replaced by RequestMetricsMiddleware. */
export function internalMiddlewares(): (Middleware | string)[] {
	return INTERNAL_MIDDLEWARES.map(name => (name === "Metrics" ? (RequestMetricsMiddleware as unknown as Middleware) : name));
}

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
	else observeItem(metric, item as HistogramItem, value, s.labels, undefined, metric.buckets);
}

/** Milliseconds since a `process.hrtime()`, computed as Moleculer's `metrics.timer` computes them (same float). */
function elapsedMs(start: [number, number]): number {
	const delta = process.hrtime(start);
	return (delta[0] + delta[1] / 1e9) * 1000;
}

/** Per action and caller: the series of its request metrics (one labels object), and of each call level. */
interface CallerSeries {
	total: Series;
	active: Series;
	time: Series;
	levels: Series[];
}

/**
 * Moleculer's Metrics middleware (node_modules/moleculer/src/middlewares/metrics.js) with its per-call hooks made cheap:
 * every metric it registers and every hook it has are Moleculer's own, except `localAction`, `remoteAction`, `localEvent`,
 * `emit`, `broadcast` and `broadcastLocal`, which update the same series with the same values here.
 *
 * Why: Moleculer's hooks build four to six label objects per action call and look each metric up by name and each series
 * by a key built from them, twice for a gauge (read, then set): ~80-120 µs of a ~750 µs orchestrate request, which makes
 * 9 action calls and 3 events (docs/overhead.md, "What a stage hop costs inside a request"). Here an action's labels
 * objects and series keys are built once per caller (and call level, event name), by the metric's own `hashingLabels`,
 * and each update finds its series by that key and changes it as Moleculer's gauge `set` and histogram `observe` do
 * (value, timestamp, buckets, quantiles, the registry told of the change with the same labels). A series not made yet,
 * or one with a rate tracker, is updated by Moleculer's own method. Durations are measured as Moleculer's timer does
 * (`process.hrtime`, the same arithmetic). The Prometheus text is byte-identical for the same calls
 * (test/unit/middlewares/request-metrics.spec.ts).
 */
export default function RequestMetricsMiddleware(broker: ServiceBroker): Middleware {
	const moleculer = (Middlewares as unknown as { Metrics: (b: ServiceBroker) => Record<string, unknown> }).Metrics(broker);
	if (!broker.isMetricsEnabled()) return moleculer as unknown as Middleware;
	const registry = broker.metrics;
	// Registered by Moleculer's `created` hook (kept below), before any service's actions are wrapped.
	const metric = (name: string) => registry.getMetric(name) as unknown as Metric;

	function actionHandler(type: "local" | "remote", action: ActionSchema, next: (ctx: Context) => Promise<unknown>) {
		const total = metric(METRIC.MOLECULER_REQUEST_TOTAL);
		const active = metric(METRIC.MOLECULER_REQUEST_ACTIVE);
		const time = metric(METRIC.MOLECULER_REQUEST_TIME);
		const levels = metric(METRIC.MOLECULER_REQUEST_LEVELS);
		const actionName = action.name;
		const service = (action.service as { fullName?: string } | undefined)?.fullName ?? null;
		const byCaller = new Map<unknown, CallerSeries>();
		function callerSeries(caller: unknown): CallerSeries {
			const labels = { service, action: actionName, caller, type };
			const c = { total: series(total, labels), active: series(active, labels), time: series(time, labels), levels: [] };
			byCaller.set(caller, c);
			return c;
		}
		function levelSeries(c: CallerSeries, caller: unknown, level: number): Series {
			const s = series(levels, { service, action: actionName, caller, level });
			if (Number.isInteger(level) && level >= 0 && level < 64) c.levels[level] = s;
			return s;
		}

		return function metricsMiddleware(ctx: Context) {
			const caller = ctx.caller;
			const c = byCaller.get(caller) ?? callerSeries(caller);
			add(total, c.total, 1);
			add(active, c.active, 1);
			const level = ctx.level as number;
			add(levels, c.levels[level] ?? levelSeries(c, caller, level), 1);
			const start = process.hrtime();
			return next(ctx).then(
				res => {
					observe(time, c.time, elapsedMs(start));
					add(active, c.active, -1);
					return res;
				},
				(err: { name?: unknown; code?: unknown; type?: unknown } | undefined) => {
					observe(time, c.time, elapsedMs(start));
					add(active, c.active, -1);
					registry.increment(METRIC.MOLECULER_REQUEST_ERROR_TOTAL, {
						service,
						action: actionName,
						caller,
						type,
						errorName: err ? err.name : null,
						errorCode: err ? err.code : null,
						errorType: err ? err.type : null,
					});
					throw err;
				},
			);
		};
	}

	/** Moleculer's localEvent hook, its series per event name and caller. */
	function localEvent(next: (ctx: Context) => Promise<unknown>, event: { service?: { name?: string }; group?: string }) {
		const total = metric(METRIC.MOLECULER_EVENT_RECEIVED_TOTAL);
		const active = metric(METRIC.MOLECULER_EVENT_RECEIVED_ACTIVE);
		const time = metric(METRIC.MOLECULER_EVENT_RECEIVED_TIME);
		const service = event.service ? event.service.name : null;
		const byEvent = new Map<string, Map<unknown, { total: Series; active: Series; time: Series }>>();
		function eventSeries(eventName: string, caller: unknown) {
			let byCaller = byEvent.get(eventName);
			if (!byCaller) byEvent.set(eventName, (byCaller = new Map()));
			const labels = { service, event: eventName, group: event.group || service, caller };
			const s = { total: series(total, labels), active: series(active, labels), time: series(time, labels) };
			byCaller.set(caller, s);
			return s;
		}
		return function metricsMiddleware(ctx: Context) {
			const caller = ctx.caller;
			const eventName = ctx.eventName as string;
			const s = byEvent.get(eventName)?.get(caller) ?? eventSeries(eventName, caller);
			add(total, s.total, 1);
			add(active, s.active, 1);
			const start = process.hrtime();
			return next.call(broker, ctx).then(
				res => {
					observe(time, s.time, elapsedMs(start));
					add(active, s.active, -1);
					return res;
				},
				(err: { name?: unknown; code?: unknown; type?: unknown } | undefined) => {
					observe(time, s.time, elapsedMs(start));
					add(active, s.active, -1);
					registry.increment(METRIC.MOLECULER_EVENT_RECEIVED_ERROR_TOTAL, {
						...s.total.labels,
						errorName: err ? err.name : null,
						errorCode: err ? err.code : null,
						errorType: err ? err.type : null,
					});
					throw err;
				},
			);
		};
	}

	/** Moleculer's emit/broadcast/broadcastLocal hooks: the counter of the event's name, its series per name. */
	function sent(name: string) {
		return (next: (...args: unknown[]) => unknown) => {
			// These methods are wrapped before the `created` hooks register the metrics.
			let counter: Metric | undefined;
			const byEvent = new Map<unknown, Series>();
			return function metricsMiddleware(this: unknown, ...args: unknown[]) {
				counter ??= metric(name);
				const eventName = args[0];
				let s = byEvent.get(eventName);
				if (!s) byEvent.set(eventName, (s = series(counter, { event: eventName })));
				add(counter, s, 1);
				return next.apply(this, args);
			};
		};
	}

	return {
		...moleculer,
		localAction: (next: (ctx: Context) => Promise<unknown>, action: ActionSchema) => actionHandler("local", action, next),
		remoteAction: (next: (ctx: Context) => Promise<unknown>, action: ActionSchema) => actionHandler("remote", action, next),
		localEvent,
		emit: sent(METRIC.MOLECULER_EVENT_EMIT_TOTAL),
		broadcast: sent(METRIC.MOLECULER_EVENT_BROADCAST_TOTAL),
		broadcastLocal: sent(METRIC.MOLECULER_EVENT_BROADCASTLOCAL_TOTAL),
	} as unknown as Middleware;
}
