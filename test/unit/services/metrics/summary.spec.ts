import { strict as assert } from "node:assert";
import type { RequestRecord } from "../../../../services/orchestrator.service";
import { cacheHitRate, percentile, PERIODS, SERIES_POINTS, summarize } from "../../../../services/metrics/summary";

const NOW = 1_800_000_000_000;

function rec(over: Partial<RequestRecord> = {}): RequestRecord {
	return {
		ts: NOW - 1000,
		intent: "READ",
		complexity: "simple",
		route: "llm",
		model: "gpt-4.1-mini",
		status: "ok",
		llm: true,
		latency_ms: 100,
		stages_ms: {},
		input_tokens: 10,
		output_tokens: 5,
		baseline_input_tokens: 40,
		cost_usd: 0.001,
		baseline_cost_usd: 0.01,
		cached: false,
		fallbacks: [],
		...over,
	};
}

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
			[rec(), rec({ status: "error", input_tokens: 0, output_tokens: 0, cost_usd: 0 }), rec({ status: "dry_run", input_tokens: 0, output_tokens: 0, cost_usd: 0 })],
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
		assert.equal(m.series.points.reduce((s, p) => s + p.requests, 0), m.requests.total);
	});

	it("counts fallbacks and their reasons", () => {
		const m = summarize([rec({ fallbacks: [{ from: "a", to: "b", reason: "rate_limited" }, { from: "b", to: "c", reason: "timeout" }] })], "5m", { now: NOW });
		assert.equal(m.fallbacks, 2);
		assert.deepEqual(m.fallbacks_by_reason, { rate_limited: 1, timeout: 1 });
	});
});
