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

	const handledMetrics = (total: string, active: string, time: string): Handled => ({ total: metric(total), active: metric(active), time: metric(time) });

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
		const request = handledMetrics(METRIC.MOLECULER_REQUEST_TOTAL, METRIC.MOLECULER_REQUEST_ACTIVE, METRIC.MOLECULER_REQUEST_TIME);
		const levels = metric(METRIC.MOLECULER_REQUEST_LEVELS);
		const actionName = action.name;
		const service = (action.service as { fullName?: string } | undefined)?.fullName ?? null;
		const byCaller = new Map<unknown, CallerSeries>();
		function callerSeries(caller: unknown): CallerSeries {
			const labels = { service, action: actionName, caller, type };
			const c = { ...handledSeries(request, labels), levels: [] };
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
		const received = handledMetrics(METRIC.MOLECULER_EVENT_RECEIVED_TOTAL, METRIC.MOLECULER_EVENT_RECEIVED_ACTIVE, METRIC.MOLECULER_EVENT_RECEIVED_TIME);
		const service = event.service ? event.service.name : null;
		const byEvent = new Map<string, Map<unknown, HandledSeries>>();
		function eventSeries(eventName: string, caller: unknown) {
			let byCaller = byEvent.get(eventName);
			if (!byCaller) byEvent.set(eventName, (byCaller = new Map()));
			const s = handledSeries(received, { service, event: eventName, group: event.group || service, caller });
			byCaller.set(caller, s);
			return s;
		}
		return function metricsMiddleware(ctx: Context) {
			const caller = ctx.caller;
			const eventName = ctx.eventName as string;
			const s = byEvent.get(eventName)?.get(caller) ?? eventSeries(eventName, caller);
			add(received.total, s.total, 1);
			add(received.active, s.active, 1);
			const start = process.hrtime();
			return handled(received, s, start, next.call(broker, ctx), METRIC.MOLECULER_EVENT_RECEIVED_ERROR_TOTAL);
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
