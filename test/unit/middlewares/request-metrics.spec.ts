import { strict as assert } from "node:assert";
import { Errors, Middlewares, ServiceBroker, type BrokerOptions, type Context, type ServiceSchema } from "moleculer";
import { brokerOptions } from "../../../moleculer.config";
import { requestMetricsHooks } from "../../../middlewares/request-metrics.middleware";
import { freePort, standaloneEnv } from "../../helpers";
import { withMoleculerHooks } from "./hooks";

/** The production broker's options without `useRequestMetrics`: Moleculer's own Metrics middleware records the calls. */
const withMoleculerMetrics = (opts: BrokerOptions) => withMoleculerHooks(opts, "Metrics");

/** Services that make every kind of call the Metrics middleware counts: nested calls (callers, levels), errors, events. */
const services: ServiceSchema[] = [
	{
		name: "front",
		actions: {
			async handle(ctx: Context<{ n: number }>) {
				const a = await ctx.call("stage.a", { n: ctx.params.n });
				await ctx.call("v2.stage.deep", { depth: ctx.params.n % 3 });
				ctx.emit("work.done", { n: ctx.params.n });
				ctx.broadcast("work.seen", { n: ctx.params.n });
				await ctx.call("stage.fail", { n: ctx.params.n }).catch(() => null);
				return a;
			},
		},
	},
	{
		name: "stage",
		actions: {
			a: (ctx: Context<{ n: number }>) => ctx.params.n * 2,
			fail(ctx: Context<{ n: number }>) {
				if (ctx.params.n % 2) throw new Errors.MoleculerClientError("odd", 422, "ODD", { n: ctx.params.n });
				if (ctx.params.n % 5 === 0) throw new Error("plain");
				return "even";
			},
		},
		events: {
			"work.done"(ctx: Context<{ n: number }>) {
				if (ctx.params.n % 4 === 3) throw new Errors.MoleculerRetryableError("event failed", 503, "EVT");
			},
			"work.*": { group: "watchers", handler: () => undefined },
		},
	},
	{
		name: "stage",
		version: 2,
		actions: {
			async deep(ctx: Context<{ depth: number }>): Promise<number> {
				return ctx.params.depth > 0 ? ((await ctx.call("v2.stage.deep", { depth: ctx.params.depth - 1 })) as number) + 1 : 0;
			},
		},
	},
];

/**
 * A deterministic clock for both runs: `Date.now` counting its calls from 1_700_000_000_000, and `process.hrtime` counting its calls, each elapsed time a
 * function of when its start was taken, so the same sequence of calls measures the same durations (several buckets).
 */
function fixClock(): () => void {
	const { hrtime } = process;
	const now = Date.now;
	let n = 0;
	const fake = ((start?: [number, number]) => {
		if (!start) return [0, ++n * 1000];
		const ns = (((start[1] / 1000) * 7919) % 29) * 450_000 + 123_457;
		return [Math.floor(ns / 1e9), ns % 1e9];
	}) as typeof process.hrtime;
	fake.bigint = hrtime.bigint;
	process.hrtime = fake;
	let ms = 1_700_000_000_000;
	Date.now = () => ms++;
	return () => {
		process.hrtime = hrtime;
		Date.now = now;
	};
}

/** The registry's metrics and series as JSON, the timestamps of series set before the clock was fixed (at start) left out. */
function registryList(broker: ServiceBroker): string {
	return JSON.stringify(broker.metrics.list()).replace(/"timestamp":(\d+)/g, (t, ms) => (ms.startsWith("17000000") ? t : '"timestamp":"at start"'));
}

/** The /metrics body and the registry's list after a fixed sequence of calls, on a broker built with `opts`. */
async function scrapeAfterCalls(opts: BrokerOptions, port: number): Promise<{ text: string; list: string }> {
	const broker = new ServiceBroker({ ...opts, logger: false });
	for (const schema of services) broker.createService(schema);
	await broker.start();
	const restore = fixClock();
	try {
		for (let n = 0; n < 24; n++) await broker.call("front.handle", { n });
		await broker.call("stage.fail", { n: 1 }).catch(() => null);
		await broker.call("stage.a", { n: 1 }, { meta: { any: 1 } });
		broker.broadcastLocal("work.local", {});
		await broker.emit("work.done", { n: 3 }).catch(() => null);
		await new Promise(resolve => setImmediate(resolve));
		const list = registryList(broker);
		restore();
		const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
		return { text, list };
	} finally {
		restore();
		await broker.stop();
	}
}

describe("RequestMetrics middleware", () => {
	it("swaps Moleculer's Metrics hooks for its own in their place in the chain, and leaves every other hook as it was", () => {
		const production = brokerOptions(standaloneEnv());
		const ours = new ServiceBroker({ ...production, logger: false });
		const moleculer = new ServiceBroker({ ...withMoleculerMetrics(production), logger: false });
		type Handler = { list: { name?: string; [hook: string]: unknown }[]; registeredHooks: Record<string, unknown[]> };
		const handler = (b: ServiceBroker) => b.middlewares as unknown as Handler;
		const names = (b: ServiceBroker) => handler(b).list.map(mw => mw.name);
		assert.deepEqual(names(ours), names(moleculer));
		const replacement = requestMetricsHooks(ours);
		for (const [hook, all] of Object.entries(handler(ours).registeredHooks)) {
			const reference = handler(moleculer).registeredHooks[hook];
			assert.equal(all.length, reference.length, hook);
			const swapped = ["localAction", "remoteAction", "localEvent"].includes(hook);
			const metrics = handler(ours).list.find(mw => mw.name === "Metrics")![hook];
			all.forEach((fn, i) => {
				// Each hook is the same middleware's as on Moleculer's broker (compared by source: two brokers, two closures)...
				if (!swapped || String(reference[i]) !== String(metrics)) assert.equal(String(fn), String(reference[i]), `${hook} #${i}`);
				// ...but Moleculer's Metrics hook, replaced by ours in its place.
				else assert.equal(String(fn), String(replacement[hook as keyof typeof replacement]), `${hook} #${i}`);
			});
			if (swapped) assert.ok(!all.includes(metrics) && reference.map(String).includes(String(metrics)), hook);
		}
	});

	it("exports the same Prometheus text, byte for byte, and the same registry as Moleculer's Metrics middleware after the same calls", async () => {
		const port = await freePort();
		const env = standaloneEnv({ METRICS_PORT: String(port), NODE_ID: "metrics-equivalence", NAMESPACE: "eq" });
		const production = { ...brokerOptions(env), metrics: { ...(brokerOptions(env).metrics as object), collectProcessMetrics: false } };
		const ours = await scrapeAfterCalls(production, port);
		const moleculer = await scrapeAfterCalls(withMoleculerMetrics(production), port);
		// The sequence reached every hook: callers, levels, action errors, events, emit/broadcast/broadcastLocal. (An event
		// handler's error never reaches the Metrics middleware on a broker: Moleculer's ErrorHandler, inside it, logs it; see below.)
		for (const line of [
			'moleculer_request_total{namespace="eq",nodeID="metrics-equivalence",service="v2.stage",action="v2.stage.deep",type="local",caller="v2.stage"}',
			'moleculer_request_levels{namespace="eq",nodeID="metrics-equivalence",level="3"}',
			'moleculer_request_error_total{namespace="eq",nodeID="metrics-equivalence",service="stage",action="stage.fail",type="local",caller="front",errorName="MoleculerClientError",errorCode="422",errorType="ODD"}',
			'moleculer_event_received_time_bucket{namespace="eq",nodeID="metrics-equivalence",service="stage",group="watchers",event="work.seen",caller="front",le="5"}',
			'moleculer_request_time{namespace="eq",nodeID="metrics-equivalence",service="stage",action="stage.a",type="local",caller="front",quantile="0.5"}',
			'moleculer_event_emit_total{namespace="eq",nodeID="metrics-equivalence",event="work.done"}',
			'moleculer_event_broadcast_total{namespace="eq",nodeID="metrics-equivalence",event="work.seen"}',
			'moleculer_event_broadcast_local_total{namespace="eq",nodeID="metrics-equivalence",event="work.local"}',
		]) {
			assert.ok(moleculer.text.includes(line + " "), `Moleculer's text has ${line}`);
		}
		assert.equal(ours.text, moleculer.text);
		assert.equal(ours.list, moleculer.list);
	});

	it("counts an event handler's rejection as Moleculer's middleware does, when one reaches it", async () => {
		type EventHook = (next: () => Promise<never>, event: unknown) => (ctx: unknown) => Promise<unknown>;
		const run = async (middleware: (b: ServiceBroker) => { created?: (b: ServiceBroker) => void; localEvent?: EventHook }) => {
			const broker = new ServiceBroker({ logger: false, metrics: { enabled: true, collectProcessMetrics: false }, internalMiddlewares: false });
			const mw = middleware(broker);
			mw.created?.(broker);
			const failing = () => Promise.reject(new Errors.MoleculerRetryableError("event failed", 503, "EVT"));
			const handler = mw.localEvent!(failing, { service: { name: "stage" }, group: "watchers" });
			const restore = fixClock();
			try {
				for (const caller of ["front", null, "front"]) await handler({ eventName: "work.done", caller }).catch(() => null);
				return registryList(broker);
			} finally {
				restore();
			}
		};
		const moleculerMetrics = (Middlewares as any).Metrics;
		const moleculer = await run(moleculerMetrics);
		// Moleculer's `created` registers the metrics; the event hook is ours.
		const ours = await run(b => ({ created: moleculerMetrics(b).created, localEvent: requestMetricsHooks(b).localEvent as unknown as EventHook }));
		assert.match(moleculer, /"name":"moleculer.event.received.error.total".*?"value":2,"labels":\{[^}]*"errorType":"EVT"/);
		assert.equal(ours, moleculer);
	});
	it("tells the registry's reporters of each change as Moleculer's registry does, in a loop of its own on that registry only", () => {
		const production = brokerOptions(standaloneEnv());
		const ours = new ServiceBroker({ ...production, logger: false });
		const moleculer = new ServiceBroker({ ...withMoleculerMetrics(production), logger: false });
		type Registry = { dirty: boolean; reporter: unknown[]; changed(...args: unknown[]): void };
		const registry = (b: ServiceBroker) => b.metrics as unknown as Registry;
		const prototypeChanged = Object.getPrototypeOf(registry(moleculer)).changed;
		assert.equal(registry(moleculer).changed, prototypeChanged);
		assert.notEqual(registry(ours).changed, prototypeChanged);
		// The same calls through Moleculer's `changed` and ours, each registry with two recording reporters.
		const told = (b: ServiceBroker) => {
			const log: unknown[][] = [];
			const r = registry(b);
			r.reporter = ["first", "second"].map(name => ({ metricChanged: (...args: unknown[]) => void log.push([name, ...args]) }));
			const metric = b.metrics.getMetric("moleculer.request.total");
			for (const args of [
				[metric, 1, { action: "a" }, undefined],
				[metric, 2.5, null, 1_800_000_000_000],
				[null, null, null, undefined],
			]) {
				r.dirty = false;
				r.changed(...args);
				assert.equal(r.dirty, true);
			}
			return log.map(([name, m, ...rest]) => [name, m === metric ? "metric" : m, ...rest]);
		};
		const expected = told(moleculer);
		assert.equal(expected.length, 6);
		assert.deepEqual(told(ours), expected);
		// A registry with no reporter list (metrics disabled) is only marked dirty, as Moleculer's is.
		const bare = { dirty: false, changed: registry(ours).changed } as unknown as Registry;
		bare.changed(null, 1, null);
		assert.equal(bare.dirty, true);
	});
});
