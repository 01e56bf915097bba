import { strict as assert } from "node:assert";
import { ServiceBroker } from "moleculer";
import { brokerOptions } from "../../../moleculer.config";
import { BoundedBucket, boundQuantiles, QUANTILE_SAMPLES_PER_BUCKET } from "../../../middlewares/bounded-quantiles.middleware";
import { standaloneEnv } from "../../helpers";

const QUANTILES = [0.5, 0.95, 0.99];

/** A histogram with a quantile window on a broker with Moleculer's metrics and nothing of ours. */
function histogram(name = "h") {
	const broker = new ServiceBroker({ logger: false, metrics: { enabled: true, reporter: [] } });
	return broker.metrics.register({ name, type: "histogram", labelNames: ["stage"], quantiles: QUANTILES, maxAgeSeconds: 60 } as any) as any;
}

/** A series' snapshot, the timestamp aside. */
const series = (metric: any) => metric.snapshot().map(({ timestamp: _t, ...rest }: any) => rest);

/** A seeded generator (mulberry32), so the sampled figures are the same on every run. */
function seeded(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe("BoundedQuantiles middleware", () => {
	it("a bucket keeps at most its cap of values, however many it is given; count, sum, min and max stay exact", () => {
		const b = new BoundedBucket(100, seeded(1));
		for (let i = 1; i <= 50_000; i++) b.add(i);
		assert.equal(b.samples.length, 100);
		assert.equal(b.count, 50_000);
		assert.equal(b.sum, (50_000 * 50_001) / 2);
		assert.deepEqual([b.min, b.max], [1, 50_000]);
		// A uniform sample of 1..50,000: its values spread over the whole range, not the first 100 kept.
		assert.ok(Math.max(...b.samples) > 40_000 && Math.min(...b.samples) < 10_000, `sample ${Math.min(...b.samples)}..${Math.max(...b.samples)}`);
		b.clear();
		assert.deepEqual([b.count, b.samples.length, b.sum], [0, 0, 0]);
	});

	it("a series' window holds at most 10 x QUANTILE_SAMPLES_PER_BUCKET values after 200,000 observations", () => {
		const m = histogram();
		boundQuantiles(m);
		for (let i = 0; i < 200_000; i++) m.observe(i % 997, { stage: "total" });
		const [item] = m.values.values();
		const kept = item.quantileValues.ringBuckets.reduce((n: number, b: BoundedBucket) => n + b.samples.length, 0);
		assert.ok(kept <= 10 * QUANTILE_SAMPLES_PER_BUCKET, `${kept} values kept`);
		assert.equal(item.count, 200_000);
	});

	it("reports what Moleculer reports while no bucket is over its cap", () => {
		const plain = histogram();
		const bounded = histogram();
		boundQuantiles(bounded);
		const values = [0, 3, 3.5, 7, 1e6, -1, 42, 12, 12, 0.25];
		for (const stage of ["intent", "total"])
			for (let i = 0; i < 300; i++) for (const m of [plain, bounded]) m.observe(values[i % values.length] * i, { stage });
		assert.deepEqual(series(bounded), series(plain));
	});

	it("over the cap: min, max, mean and count exact, quantiles within three standard errors of a 1,000-value sample", () => {
		const m = histogram();
		// The kept samples drawn by a seeded generator: with Math.random a three-standard-error bound over five quantiles
		// failed about one run in a hundred (p99 38 against 39, CI of 2026-12-01), a flaky test rather than a finding.
		boundQuantiles(m, seeded(11));
		// 20,000 latencies of a skewed distribution into one 6 s bucket: 20 x the cap.
		const rnd = seeded(7);
		const all: number[] = [];
		for (let i = 0; i < 20_000; i++) {
			const v = Math.round(-Math.log(1 - rnd()) * 100) / 10;
			all.push(v);
			m.observe(v, { stage: "total" });
		}
		all.sort((a, b) => a - b);
		const [s] = series(m);
		assert.equal(s.count, 20_000);
		assert.equal(s.min, all[0]);
		assert.equal(s.max, all.at(-1));
		assert.ok(Math.abs(s.mean - all.reduce((a, b) => a + b, 0) / all.length) < 1e-9);
		for (const q of QUANTILES) {
			// A uniform sample of 1,000 puts the q-quantile's rank within sqrt(q (1 - q) / 1,000) of q (one standard
			// error: 1.6 percentiles at p50, 0.3 at p99); the estimate lies between the exact quantiles three of those away.
			const se = 3 * Math.sqrt((q * (1 - q)) / QUANTILE_SAMPLES_PER_BUCKET);
			const lo = all[Math.floor((q - se) * all.length)];
			const hi = all[Math.min(all.length - 1, Math.ceil((q + se) * all.length))];
			assert.ok(s.quantiles[q] >= lo && s.quantiles[q] <= hi, `p${q * 100} ${s.quantiles[q]} not in [${lo}, ${hi}]`);
		}
	});

	it("is in force on the production broker: Moleculer's own request-time windows are bounded", async () => {
		const broker = new ServiceBroker({ ...brokerOptions(standaloneEnv()), logger: false });
		const metric = broker.metrics.getMetric("moleculer.request.time") as any;
		assert.ok(metric?.quantiles, "moleculer_request_time keeps quantiles");
		metric.observe(3, { action: "a.b" });
		const [item] = metric.values.values();
		assert.ok(item.quantileValues.ringBuckets.every((b: unknown) => b instanceof BoundedBucket));
		await broker.stop();
	});
});
