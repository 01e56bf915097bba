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

	/** The request duration histogram (fractional bounds, in seconds) and Moleculer's own (its default bounds, in ms: array indices). */
	const kinds = [
		{ name: "fractional bounds", def: { ...DURATION, labelNames: [...DURATION.labelNames] }, values },
		{
			name: "Moleculer's millisecond bounds",
			def: { name: "ms", type: "histogram", labelNames: ["stage"], buckets: true, quantiles: true },
			values: values.map(v => v * 1000),
		},
		{ name: "bounds that make one key twice", def: { name: "twice", type: "histogram", labelNames: ["stage"], buckets: [1, 1.0, 5, 0.5] }, values },
	];

	for (const kind of kinds) {
		it(`counts every bucket, sum, count, last value and quantile as Moleculer does (${kind.name})`, () => {
			const plain = plainBroker().metrics.register(kind.def as any) as any;
			const keyed = plainBroker().metrics.register(kind.def as any) as any;
			bucketKeysOnce(keyed);
			assert.notEqual(keyed.observe, Object.getPrototypeOf(keyed).observe, "observe replaced");
			for (const labels of labelSets) for (const v of kind.values) for (const m of [plain, keyed]) m.observe(v, labels, 1000);
			assert.deepEqual(series(keyed), series(plain));
			// intent, total and the unlabeled one: the extra label makes no series of its own.
			assert.equal(keyed.values.size, 3);
			// The series' bucket counts read as Moleculer's: the same keys in the same order, the same numbers.
			for (const [hash, item] of plain.values) {
				const ours = keyed.values.get(hash).bucketValues;
				assert.deepEqual(Object.entries(ours), Object.entries(item.bucketValues));
				assert.equal(JSON.stringify(ours), JSON.stringify(item.bucketValues));
			}
		});
	}

	it("keeps one set of counts whoever writes them: Moleculer's own observe (a series with a rate tracker) counts in the same place", () => {
		const def = { name: "rated", type: "histogram", labelNames: [], buckets: true, rate: true };
		const plain = plainBroker().metrics.register(def as any) as any;
		const keyed = plainBroker().metrics.register(def as any) as any;
		bucketKeysOnce(keyed);
		for (const v of [0.5, 3, 30, 7000, 20000]) for (const m of [plain, keyed]) m.observe(v, {}, 1000);
		const strip = (s: any[]) => s.map(({ rate: _r, ...rest }) => rest);
		assert.deepEqual(strip(series(keyed)), strip(series(plain)));
		const [ours] = keyed.values.values();
		assert.deepEqual(Object.entries(ours.bucketValues), Object.entries([...plain.values.values()][0].bucketValues));
	});

	it("keeps the counts of a series made before it ran", () => {
		const def = { name: "early", type: "histogram", labelNames: [], buckets: true };
		const plain = plainBroker().metrics.register(def as any) as any;
		const keyed = plainBroker().metrics.register(def as any) as any;
		for (const m of [plain, keyed]) m.observe(7, {}, 1000);
		bucketKeysOnce(keyed);
		for (const m of [plain, keyed]) m.observe(70, {}, 1000);
		assert.deepEqual(series(keyed), series(plain));
	});

	it("tells the registry of each change, as Moleculer's observe does", () => {
		const keyed = plainBroker().metrics.register({ ...DURATION, name: "changes", labelNames: [...DURATION.labelNames] } as any) as any;
		bucketKeysOnce(keyed);
		const seen: unknown[] = [];
		keyed.registry.changed = (_m: unknown, value: unknown, labels: unknown) => seen.push([value, labels]);
		keyed.observe(0.002, { stage: "router" });
		assert.deepEqual(seen, [[0.002, { stage: "router" }]]);
	});

	it("leaves other metric types as they are", () => {
		const counter = plainBroker().metrics.register({ name: "c", type: "counter", labelNames: [] } as any) as any;
		const before = [counter.observe, counter.increment];
		bucketKeysOnce(counter);
		assert.deepEqual([counter.observe, counter.increment], before);
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
