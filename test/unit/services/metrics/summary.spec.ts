import { strict as assert } from "node:assert";
import type { RequestRecord } from "../../../../lib/contracts";
import { NOW, rec } from "./records";
import {
	addRecord,
	cacheHitRate,
	emptyRollup,
	fold,
	histogramPercentile,
	latencyBucket,
	mergeRollup,
	percentile,
	PERIODS,
	ROLLUP_MS,
	SERIES_POINTS,
	summarize,
	summarizeRollups,
	type Rollup,
} from "../../../../services/metrics/summary";

describe("metrics summary", () => {
	it("nearest-rank percentiles", () => {
		const v = Array.from({ length: 100 }, (_, i) => i + 1);
		assert.equal(percentile(v, 50), 50);
		assert.equal(percentile(v, 95), 95);
		assert.equal(percentile(v, 99), 99);
		assert.equal(percentile([7], 99), 7);
		assert.equal(percentile([], 50), 0);
	});

	it("counts savings of answered requests only, and success over executed ones", () => {
		const m = summarize(
			[
				rec(),
				rec({ status: "error", input_tokens: 0, output_tokens: 0, cost_usd: 0 }),
				rec({ status: "dry_run", input_tokens: 0, output_tokens: 0, cost_usd: 0 }),
			],
			"5m",
			{ now: NOW },
		);
		assert.equal(m.requests.total, 3);
		assert.deepEqual(m.requests.by_status, { ok: 1, error: 1, dry_run: 1 });
		assert.equal(m.success_rate, 0.5);
		assert.equal(m.tokens.saved, 30);
		assert.equal(m.cost_saved_usd, 0.009);
	});

	it("cache hit rate is over requests that needed an LLM, not tool answers or dry runs", () => {
		const records = [
			rec({ cached: true, input_tokens: 0, cost_usd: 0 }),
			rec(),
			rec({ route: "mcp", llm: false, model: null }),
			rec({ status: "dry_run" }),
		];
		assert.equal(cacheHitRate(records), 0.5);
		assert.equal(cacheHitRate([]), 0);
	});

	it("keeps only the window, and spreads it over SERIES_POINTS buckets oldest first", () => {
		const span = PERIODS["1m"];
		const m = summarize([rec({ ts: NOW - span - 1 }), rec({ ts: NOW - span + 1 }), rec({ ts: NOW, latency_ms: 900, status: "error" })], "1m", { now: NOW });
		assert.equal(m.requests.total, 2);
		assert.equal(m.series.points.length, SERIES_POINTS);
		assert.equal(m.series.bucket_ms, span / SERIES_POINTS);
		assert.equal(m.series.points[0].requests, 1);
		assert.equal(m.series.points[SERIES_POINTS - 1].requests, 1);
		assert.equal(m.series.points[SERIES_POINTS - 1].errors, 1);
		assert.equal(m.series.points[SERIES_POINTS - 1].p95_ms, 900);
		assert.equal(
			m.series.points.reduce((s, p) => s + p.requests, 0),
			m.requests.total,
		);
	});

	it("counts fallbacks and their reasons", () => {
		const m = summarize(
			[
				rec({
					fallbacks: [
						{ from: "a", to: "b", reason: "rate_limited" },
						{ from: "b", to: "c", reason: "timeout" },
					],
				}),
			],
			"5m",
			{ now: NOW },
		);
		assert.equal(m.fallbacks, 2);
		assert.deepEqual(m.fallbacks_by_reason, { rate_limited: 1, timeout: 1 });
	});

	describe("per-minute rollups (1h, 1d)", () => {
		/** What a metrics node keeps: one rollup per minute. */
		const rollup = (records: RequestRecord[]): Rollup[] => {
			const byMinute = new Map<number, Rollup>();
			for (const r of records) {
				const t = Math.floor(r.ts / ROLLUP_MS) * ROLLUP_MS;
				if (!byMinute.has(t)) byMinute.set(t, emptyRollup(t));
				addRecord(byMinute.get(t)!, r);
			}
			return [...byMinute.values()];
		};

		it("reads percentiles from the histogram at most 10% high", () => {
			const latencies = Array.from({ length: 1000 }, (_, i) => 5 + i * 3);
			const hist = fold(latencies.map(ms => rec({ latency_ms: ms }))).latency;
			for (const p of [50, 95, 99]) {
				const exact = percentile(latencies, p);
				const approx = histogramPercentile(hist, p);
				assert.ok(approx >= exact * 0.999 && approx <= exact * 1.1 + 1, `p${p}: ${approx} vs ${exact}`);
			}
			assert.equal(latencyBucket(0.5), 0);
			assert.equal(histogramPercentile({}, 50), 0);
		});

		it("add up: two nodes' rollups merged equal one node's over all the records", () => {
			const a = [rec(), rec({ status: "error", fallbacks: [{ from: "x", to: "y", reason: "timeout" }] }), rec({ cached: true, input_tokens: 0 })];
			const b = [rec({ intent: "WRITE", model: "claude-haiku-4-5" }), rec({ status: "dry_run" })];
			assert.deepEqual(mergeRollup(fold(a), fold(b)), fold([...a, ...b]));
		});

		it("give the same counts, tokens, dollars and rates as the raw records", () => {
			const records = Array.from({ length: 120 }, (_, i) =>
				rec({
					ts: NOW - i * 20_000,
					intent: i % 3 ? "READ" : "ANALYZE",
					status: i % 10 === 0 ? "error" : i % 7 === 0 ? "dry_run" : "ok",
					cached: i % 4 === 0,
					latency_ms: 10 + i,
				}),
			);
			const raw = summarize(records, "1h", { now: NOW });
			const rolled = summarizeRollups(rollup(records), "1h", { now: NOW });
			for (const k of ["requests", "success_rate", "tokens", "cost_usd", "cost_saved_usd", "cache_hit_rate", "fallbacks"] as const) {
				assert.deepEqual(rolled[k], raw[k], k);
			}
			assert.equal(rolled.series.points.length, SERIES_POINTS);
			assert.equal(
				rolled.series.points.reduce((s, p) => s + p.requests, 0),
				raw.requests.total,
			);
		});
	});
});
