import { strict as assert } from "node:assert";
import { ServiceBroker } from "moleculer";
import { brokerOptions } from "../../../moleculer.config";
import { bucketKeysOnce } from "../../../middlewares/histogram-bucket-keys.middleware";
import { METRIC_DEFINITIONS } from "../../../services/metrics.service";
import { standaloneEnv } from "../../helpers";

const DURATION = METRIC_DEFINITIONS.find(d => d.name === "orchestrator_request_duration_seconds")!;

/** A broker with Moleculer's metrics and nothing of ours, to compare against. */
function plainBroker() {
	return new ServiceBroker({ logger: false, metrics: { enabled: true, reporter: [] } });
}

/** What a histogram reports of its series, the timestamps aside (they differ by when each was observed). */
function series(metric: any) {
	return metric.snapshot().map(({ timestamp: _t, ...rest }: any) => rest);
}

describe("HistogramBucketKeys middleware", () => {
	const values = [0, 0.0004, 0.001, 0.0011, 0.005, 0.03, 0.25, 0.26, 1, 2.5, 7, 30, 31, 1e6, -1];
	const labelSets: unknown[] = [{ stage: "intent" }, { stage: "total" }, { stage: "intent", extra: "dropped" }, {}, undefined];

	it("counts every bucket, sum, count, last value and quantile as Moleculer does", () => {
		const plain = plainBroker().metrics.register({ ...DURATION, labelNames: [...DURATION.labelNames] } as any) as any;
		const keyed = plainBroker().metrics.register({ ...DURATION, labelNames: [...DURATION.labelNames] } as any) as any;
		bucketKeysOnce(keyed);
		assert.notEqual(keyed.observe, Object.getPrototypeOf(keyed).observe, "fractional bounds: observe replaced");
		for (const labels of labelSets) for (const v of values) for (const m of [plain, keyed]) m.observe(v, labels, 1000);
		assert.deepEqual(series(keyed), series(plain));
		// intent, total and the unlabeled one: the extra label makes no series of its own.
		assert.equal(keyed.values.size, 3);
	});

	it("tells the registry of each change, as Moleculer's observe does", () => {
		const keyed = plainBroker().metrics.register({ ...DURATION, name: "changes", labelNames: [...DURATION.labelNames] } as any) as any;
		bucketKeysOnce(keyed);
		const seen: unknown[] = [];
		keyed.registry.changed = (_m: unknown, value: unknown, labels: unknown) => seen.push([value, labels]);
		keyed.observe(0.002, { stage: "router" });
		assert.deepEqual(seen, [[0.002, { stage: "router" }]]);
	});

	it("leaves histograms whose bounds are array indices (Moleculer's own, in ms) and other metric types as they are", () => {
		const metrics = plainBroker().metrics;
		const ms = metrics.register({ name: "ms", type: "histogram", labelNames: [], buckets: [1, 5, 10, 25] } as any) as any;
		const counter = metrics.register({ name: "c", type: "counter", labelNames: [] } as any) as any;
		const before = [ms.observe, counter.observe];
		bucketKeysOnce(ms);
		bucketKeysOnce(counter);
		assert.deepEqual([ms.observe, counter.observe], before);
	});

	it("is in force on the production broker: the request duration histogram observes through it", async () => {
		const broker = new ServiceBroker({ ...brokerOptions(standaloneEnv()), logger: false });
		const metric = broker.metrics.register({ ...DURATION, labelNames: [...DURATION.labelNames] } as any) as any;
		assert.notEqual(metric.observe, Object.getPrototypeOf(metric).observe);
		metric.observe(0.003, { stage: "total" });
		const [item] = series(metric);
		assert.equal(item.count, 1);
		assert.deepEqual(
			Object.entries(item.buckets)
				.filter(([, n]) => n === 0)
				.map(([b]) => Number(b)),
			[0.001],
		);
		await broker.stop();
	});
});
