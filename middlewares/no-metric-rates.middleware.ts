import type { Middleware, ServiceBroker } from "moleculer";

/**
 * Registers Moleculer's metrics without their `rate` trackers (`rate: true` on moleculer_request_total,
 * moleculer_event_*_total, the retry/timeout/fallback counters...). Every series stays, under the same
 * names; only the derived `<name>_rate` lines of the Prometheus text go, which Prometheus computes itself
 * from the counters (`rate(moleculer_request_total[1m])`) and nothing here reads.
 *
 * Why: a rate tracker is an object per label set with its own 5 s timer, updated on every metric change.
 * Its first tick turns its `rate` field from an integer into a fraction, which on Node 20's V8 deprecates
 * the tracker's hidden class after the metric code had already recorded it; V8 then re-optimises
 * Moleculer's Gauge.set/increment/decrement and Histogram.observe forever (each attempt aborted with
 * "Maps became deprecated during optimization", `node --trace-opt`), which kept four V8 compiler
 * threads busy: about a third of an orchestrate request's CPU (README "Gateway overhead").
 *
 * A user middleware's `created` hook runs before those of Moleculer's internal middlewares (Metrics,
 * Retry, Timeout, Fallback), which register most rated metrics, so their registrations pass here; the
 * cacher's (moleculer_cacher_*_total) are registered earlier, when the broker builds its cacher, before
 * any value is recorded, and lose their rate here.
 */
export default function NoMetricRatesMiddleware(): Middleware {
	return {
		name: "NoMetricRates",
		created(broker: ServiceBroker) {
			onEveryMetric(broker.metrics, {
				options: opts => (opts && (opts as { rate?: boolean }).rate ? { ...opts, rate: false } : opts),
				metric: m => {
					const metric = m as unknown as { rate?: boolean; values: Map<string, { rate?: { timer?: NodeJS.Timeout } }> };
					metric.rate = false;
					for (const item of metric.values.values()) {
						clearInterval(item.rate?.timer);
						delete item.rate;
					}
				},
			});
		},
	} as unknown as Middleware;
}

type MetricRegistry = ServiceBroker["metrics"];
type MetricOptions = Parameters<MetricRegistry["register"]>[0];
type Metric = NonNullable<ReturnType<MetricRegistry["register"]>>;

/**
 * Applies `metric` to every metric of the registry, those registered from now on included, and lets
 * `options` adjust a registration's options first. For the `created` hook of a middleware that changes
 * how Moleculer's metrics work (see the order of `created` hooks above).
 */
export function onEveryMetric(registry: MetricRegistry, hooks: { options?: (opts: MetricOptions) => MetricOptions; metric?: (m: Metric) => void }): void {
	for (const { name } of registry.list()) {
		const m = registry.getMetric(name);
		if (m) hooks.metric?.(m);
	}
	const register = registry.register.bind(registry);
	registry.register = (opts => {
		const m = register(hooks.options ? hooks.options(opts) : opts);
		if (m) hooks.metric?.(m);
		return m;
	}) as typeof registry.register;
}

/**
 * A middleware that applies `apply` to every metric of the broker, those registered later included, from its
 * `created` hook (MetricLabelKeys, HistogramBucketKeys: Moleculer's metrics made cheaper per update, same series).
 */
export function everyMetricMiddleware<M>(name: string, apply: (metric: M) => void): Middleware {
	return {
		name,
		created(broker: ServiceBroker) {
			onEveryMetric(broker.metrics, { metric: m => apply(m as unknown as M) });
		},
	} as unknown as Middleware;
}
