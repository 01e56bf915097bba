import { strict as assert } from "node:assert";
import { NOW, rec } from "./records";
import { cacheHitRate, PERIODS, summarize, summarizeRollups } from "../../../../services/metrics/summary";
import { MetricsWindows, RollupRing, SECOND_MS } from "../../../../services/metrics/window";

describe("metrics rolling windows", () => {
	it("per-second rollups give the same counts, tokens, dollars and rates as the raw records over 1m and 5m", () => {
		const w = new MetricsWindows();
		const records = Array.from({ length: 600 }, (_, i) =>
			rec({
				// Whole seconds back from NOW, so no bucket straddles a window's edge.
				ts: NOW - (i % 290) * SECOND_MS,
				intent: i % 3 ? "READ" : "ANALYZE",
				status: i % 10 === 0 ? "error" : i % 7 === 0 ? "dry_run" : "ok",
				cached: i % 4 === 0,
				latency_ms: 10 + i,
				fallbacks: i % 11 === 0 ? [{ from: "a", to: "b", reason: "timeout" }] : [],
			}),
		);
		for (const r of records) w.add(r);
		for (const period of ["1m", "5m"] as const) {
			const raw = summarize(records, period, { now: NOW });
			const rolled = summarizeRollups(w.seconds.since(NOW - PERIODS[period], NOW), period, { now: NOW }, SECOND_MS);
			for (const k of [
				"requests",
				"success_rate",
				"tokens",
				"cost_usd",
				"cost_saved_usd",
				"cache_hit_rate",
				"fallbacks",
				"fallbacks_by_reason",
			] as const) {
				assert.deepEqual(rolled[k], raw[k], `${period} ${k}`);
			}
			for (const p of ["p50", "p95", "p99"] as const) {
				assert.ok(rolled.latency_ms[p] >= raw.latency_ms[p] && rolled.latency_ms[p] <= Math.ceil(raw.latency_ms[p] * 1.1) + 1, `${period} ${p}`);
			}
			assert.equal(
				rolled.series.points.reduce((s, p) => s + p.requests, 0),
				raw.requests.total,
			);
		}
		const last5m = records.filter(r => r.ts > NOW - PERIODS["5m"]);
		assert.equal(w.hitRate(PERIODS["5m"], NOW), cacheHitRate(last5m));
	});

	it("holds a bounded number of buckets however many requests it has seen", () => {
		const ring = new RollupRing(SECOND_MS, 10);
		for (let i = 0; i < 100_000; i++) ring.add(rec({ ts: NOW + i * 10, latency_ms: i % 5000 }));
		const live = ring.since(0, NOW + 2_000_000);
		assert.equal(live.length, 10);
		// The oldest buckets were recycled: only the last ten seconds remain.
		assert.equal(live[0].t, Math.floor((NOW + 999_990) / SECOND_MS) * SECOND_MS - 9 * SECOND_MS);
		assert.equal(
			live.reduce((s, r) => s + r.requests, 0),
			10 * 100,
		);
	});

	it("forgets requests older than the asked window", () => {
		const w = new MetricsWindows();
		w.add(rec({ ts: NOW - PERIODS["5m"] - 5 * SECOND_MS, cached: true }));
		w.add(rec({ ts: NOW - 2 * SECOND_MS }));
		assert.equal(w.hitRate(PERIODS["5m"], NOW), 0);
		assert.equal(
			w.seconds.since(NOW - PERIODS["1m"], NOW).reduce((s, r) => s + r.requests, 0),
			1,
		);
		assert.equal(
			w.minutes.since(NOW - PERIODS["1h"], NOW).reduce((s, r) => s + r.requests, 0),
			2,
		);
	});
});
