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
			const registry = broker.metrics;
			for (const { name } of registry.list()) {
				const metric = registry.getMetric(name) as unknown as { rate?: boolean; values: Map<string, { rate?: { timer?: NodeJS.Timeout } }> };
				metric.rate = false;
				for (const item of metric.values.values()) {
					clearInterval(item.rate?.timer);
					delete item.rate;
				}
			}
			const register = registry.register.bind(registry);
			registry.register = (opts => register(opts && (opts as { rate?: boolean }).rate ? { ...opts, rate: false } : opts)) as typeof registry.register;
		},
	} as unknown as Middleware;
}
