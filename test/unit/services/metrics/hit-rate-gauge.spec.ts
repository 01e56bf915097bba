import { strict as assert } from "node:assert";
import { ServiceBroker, type MetricListOptions } from "moleculer";
import MetricsService from "../../../../services/metrics.service";
import { PERIODS } from "../../../../services/metrics/summary";
import { rec } from "./records";

/**
 * orchestrator_cache_hit_rate is computed when the registry is read (a scrape, `list`), not on every recorded request
 * (services/metrics.service.ts, refreshOnRead): what a reader sees is the hit rate of the 5 minutes before the read.
 */
describe("metrics service: orchestrator_cache_hit_rate computed when read", () => {
	let broker: ServiceBroker;
	let now: number;
	const realNow = Date.now;

	// `list` as the REPL's `metrics` and the Event reporter read the registry (its typings ask for every option).
	const gauge = () => broker.metrics.list({ includes: "orchestrator_cache_hit_rate" } as MetricListOptions)[0].values as { value: number }[];
	const record = async (cached: boolean, over = {}) => {
		const recorded = new Promise(resolve => broker.localBus.once("test.recorded", resolve));
		await broker.emit("orchestrator.request", rec({ ts: now, cached, ...over }));
		await recorded;
	};

	beforeEach(async () => {
		now = realNow.call(Date);
		Date.now = () => now;
		broker = new ServiceBroker({ logger: false, metrics: { enabled: true } });
		broker.createService(MetricsService);
		broker.createService({ name: "record-watch", events: { "metrics.recorded": () => void broker.localBus.emit("test.recorded") } });
		await broker.start();
	});

	afterEach(async () => {
		await broker.stop();
		Date.now = realNow;
	});

	it("reads the share of cache hits among LLM-needing requests at the time of the read", async () => {
		assert.deepEqual(
			gauge().map(v => v.value),
			[0],
		);
		await record(true);
		await record(false);
		await record(false);
		// Neither a dry run nor a tool-answered request consults the cache.
		await record(true, { status: "dry_run" });
		await record(true, { llm: false, route: "mcp" });
		assert.equal(gauge()[0].value, 0.3333);
		await record(true);
		assert.equal(gauge()[0].value, 0.5);
		// The Prometheus reporter reads each metric's snapshot directly.
		const metric = broker.metrics.getMetric("orchestrator_cache_hit_rate") as unknown as { snapshot(): { value: number }[] };
		assert.equal(metric.snapshot()[0].value, 0.5);
	});

	it("falls back to 0 once the hits are older than 5 minutes, with no request and no refresh tick in between", async () => {
		await record(true);
		assert.equal(gauge()[0].value, 1);
		// Past the window (and its straddling second), but within the 10 s refresh interval.
		now += PERIODS["5m"] + 2_000;
		assert.equal(gauge()[0].value, 0);
		await record(false);
		assert.equal(gauge()[0].value, 0);
	});

	it("a metrics service created again on the same broker reads its own windows, once", async () => {
		await record(true);
		const metric = broker.metrics.getMetric("orchestrator_cache_hit_rate") as unknown as { snapshot(): unknown };
		const first = metric.snapshot;
		const again = broker.createService(MetricsService);
		await broker.waitForServices("metrics");
		assert.notEqual(metric.snapshot, first);
		// The new service's windows are empty: the gauge reads them, not the first service's.
		assert.equal(gauge()[0].value, 0);
		await broker.destroyService(again);
	});
});
