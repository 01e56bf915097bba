import { strict as assert } from "node:assert";
import type { Context } from "moleculer";
import { loadConfig } from "../../../../../lib/config";
import type { ModelsCompleteResult } from "../../../../../lib/contracts/complete";
import type { Analysis } from "../../../../../lib/contracts";
import { v1Record, type V1Outcome } from "../../../../../services/gateway/v1/record";
import { roundUsd } from "../../../../../services/models/pricing";

const config = loadConfig();
const ctx = { meta: { key: { name: "team-a" } } } as unknown as Context;
const compacted = { messages: [], level: "budget" as const, received_tokens: 10_000, forwarded_tokens: 5_000, stage: 2 };
const result: ModelsCompleteResult = {
	model: "gpt-4.1-mini",
	provider: "openai",
	service: "llm-openai",
	text: "ok",
	usage: { input_tokens: 5_200, output_tokens: 40 },
	usage_source: "vendor",
	cost_usd: 0.0021,
	tries: [
		{ provider: "openai", model: "gpt-4.1", ok: false, reason: "rate_limited" },
		{ provider: "openai", model: "gpt-4.1-mini", ok: true },
	],
};
const outcome = (o: Partial<V1Outcome>): V1Outcome => ({
	p: { compacted, started: performance.now() - 5, stages: { compaction: 1.5 } },
	status: "ok",
	result,
	tries: result.tries,
	modelMs: 3,
	...o,
});

describe("/v1 request record", () => {
	it("a concrete model's call: intent and complexity none, the vendor's tokens, the baseline in the vendor's count before compaction", () => {
		const r = v1Record(ctx, config, outcome({}));
		assert.equal(r.intent, "none");
		assert.equal(r.complexity, "none");
		assert.equal(r.route, "llm");
		assert.equal(r.model, "gpt-4.1-mini");
		assert.equal(r.input_tokens, 5_200);
		// 5 200 reported for 5 000 estimated forwarded: the 10 000 received are 10 400 in the vendor's count.
		assert.equal(r.baseline_input_tokens, 10_400);
		assert.deepEqual(r.fallbacks, [{ from: "gpt-4.1", to: "gpt-4.1-mini", reason: "rate_limited" }]);
		assert.equal(r.key, "team-a");
		assert.deepEqual(Object.keys(r.stages_ms).sort(), ["compaction", "model"]);
		assert.ok(r.latency_ms >= 5);
	});

	it("a cache hit spends nothing and saves the whole call; an error is credited to the last model tried", () => {
		const hit = v1Record(ctx, config, outcome({ cached: true, result: { ...result, usage: { input_tokens: 0, output_tokens: 0 }, cost_usd: 0 } }));
		assert.equal(hit.cached, true);
		assert.equal(hit.input_tokens, 0);
		assert.equal(hit.baseline_input_tokens, 10_000, "no vendor count: our estimate of what was received");
		const failed = v1Record(
			ctx,
			config,
			outcome({ status: "error", result: undefined, tries: [{ provider: "openai", model: "gpt-4.1", ok: false, reason: "server_error" }] }),
		);
		assert.equal(failed.status, "error");
		assert.equal(failed.model, "gpt-4.1");
		assert.equal(failed.cost_usd, 0);
		assert.equal(failed.baseline_cost_usd, 0);
	});

	it("counts every vendor call the request paid for: the analysis's helper calls, a try the vendor may have billed, then the answer", () => {
		const assist = { model: "gpt-4.1-nano", input_tokens: 188, output_tokens: 2, cost_usd: 0.0000196 };
		const hung = { model: "gpt-4.1", input_tokens: 5_000, output_tokens: 1_024, cost_usd: 0.018192 };
		const tries = [{ provider: "openai", model: "gpt-4.1", ok: false, reason: "timeout" as const, charged: hung }, result.tries[1]];
		const analysis = { intent: "WRITE", complexity: "moderate", helper_charges: [assist] } as unknown as Analysis;
		const r = v1Record(ctx, config, outcome({ p: { compacted, analysis, started: performance.now(), stages: {} }, result: { ...result, tries }, tries }));
		assert.deepEqual(r.spend, [assist, hung, { model: "gpt-4.1-mini", input_tokens: 5_200, output_tokens: 40, cost_usd: 0.0021 }]);
		assert.equal(r.cost_usd, roundUsd(0.0000196 + 0.018192 + 0.0021));
		assert.equal(r.model, "gpt-4.1-mini", "the request is credited to the model that answered");
		// A cache hit paid nothing but its analysis; a failed walk pays its billed tries; a cancelled call what it was charged.
		const hit = v1Record(ctx, config, outcome({ cached: true, p: { compacted, analysis, started: 0, stages: {} } }));
		assert.deepEqual(hit.spend, [assist]);
		const failed = v1Record(ctx, config, outcome({ status: "error", result: undefined, tries }));
		assert.deepEqual([failed.spend, failed.cost_usd], [[hung], hung.cost_usd]);
		const cancelled = { model: "gpt-4.1-mini", input_tokens: 5_200, output_tokens: 0, cost_usd: 0.00208 };
		const gone = v1Record(ctx, config, outcome({ status: "cancelled", result: undefined, tries: [], charged: cancelled }));
		assert.deepEqual([gone.spend, gone.cost_usd, gone.model], [[cancelled], 0.00208, "gpt-4.1-mini"]);
	});
});
