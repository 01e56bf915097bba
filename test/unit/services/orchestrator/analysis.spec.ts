import assert from "node:assert/strict";
import type { Optimized, Selection } from "../../../../lib/contracts";
import { assembleAnalysis, fromCacheAnalysis, initialResult } from "../../../../services/orchestrator/analysis";

const prompt: Optimized = {
	system: "Be brief.",
	prompt: "explain x",
	max_tokens: 512,
	input_tokens: 20,
	baseline_input_tokens: 30,
	dropped: ["request: filler"],
	notes: [],
};
const selection: Selection = {
	model: "gpt-4.1-mini",
	fallbacks: ["claude-haiku-4-5"],
	candidates: [{ model: "gpt-4.1-mini", provider: "openai", input_tokens: 22, input_token_ratio: 1.1, estimated_cost_usd: 0.000828, live: true }],
};
const stages = {
	intent: { intent: "ANALYZE" as const, confidence: 0.9, source: "model" as const },
	complexity: { complexity: "moderate" as const, score: 0.5 },
	prompt,
	baseline: { input_token_ratio: 1, estimated_cost_usd: 0.0077 },
};

describe("orchestrator analysis assembly (pure)", () => {
	it("an LLM route takes the first candidate: its provider, corrected tokens, price and ratio", () => {
		const a = assembleAnalysis({ ...stages, route: { kind: "llm" }, selection });
		assert.deepEqual(a.route, { kind: "llm", provider: "openai", model: "gpt-4.1-mini" });
		assert.deepEqual([a.model, a.fallbacks], ["gpt-4.1-mini", ["claude-haiku-4-5"]]);
		assert.deepEqual([a.input_tokens, a.estimated_input_tokens, a.estimated_cost_usd], [20, 22, 0.000828]);
		assert.deepEqual(a.token_accounting, { counted_with: "o200k_base", input_ratio: 1.1, baseline_input_ratio: 1 });
		assert.equal(a.baseline_cost_usd, 0.0077);
	});

	it("a tool route spends no LLM tokens and chooses no model", () => {
		const route = { kind: "mcp" as const, service: "mcp.filesystem", tool: "read_text_file", arguments: { path: "README.md" } };
		const a = assembleAnalysis({ ...stages, route });
		assert.deepEqual(a.route, route);
		assert.deepEqual([a.model, a.input_tokens, a.estimated_cost_usd, a.token_accounting.input_ratio], [null, 0, 0, null]);
	});

	it("a tool-then-LLM chain counts the prompt and says the fetched file is not in the estimate", () => {
		const a = assembleAnalysis({ ...stages, route: { kind: "mcp", service: "mcp.filesystem", tool: "read_text_file", then_llm: true }, selection });
		assert.equal(a.input_tokens, 20);
		assert.deepEqual(a.prompt_notes, ["input_tokens excludes the read_text_file result added to the prompt at execution"]);
	});

	it("helper calls paid for this request join the estimate; read from the cache, they are not charged again", () => {
		const a = assembleAnalysis({
			...stages,
			intent: { ...stages.intent, cost_usd: 0.00002 },
			prompt: { ...prompt, rewrite_cost_usd: 0.00001 },
			route: { kind: "llm" },
			selection,
		});
		assert.deepEqual([a.rewrite_cost_usd, a.intent_assist_cost_usd, a.estimated_cost_usd], [0.00001, 0.00002, 0.000858]);
		assert.equal(initialResult(a, false).cost_usd, 0.00003);
		const cached = fromCacheAnalysis(a);
		assert.deepEqual([cached.rewrite_cost_usd, cached.intent_assist_cost_usd, cached.estimated_cost_usd], [0, 0, 0.000828]);
		assert.match(cached.prompt_notes.at(-1)!, /paid when it was made/);
		assert.equal(initialResult(cached, true).cost_usd, 0);
		assert.equal(fromCacheAnalysis(assembleAnalysis({ ...stages, route: { kind: "llm" }, selection })).prompt_notes.length, 0);
	});

	it("an orchestrate result starts with nothing executed", () => {
		const r = initialResult(assembleAnalysis({ ...stages, route: { kind: "llm" }, selection }), true);
		assert.deepEqual(
			[r.output, r.usage, r.attempts, r.cached, r.dry_run, r.token_accounting.usage_source],
			[null, { input_tokens: 0, output_tokens: 0 }, [], false, true, "none"],
		);
	});

	it("an orchestrate result keeps the analysis' fields in their order, the execution's after them, and leaves the analysis as it was", () => {
		const a = assembleAnalysis({ ...stages, route: { kind: "llm" }, selection });
		const before = JSON.stringify(a);
		const r = initialResult(a, false);
		assert.deepEqual(Object.keys(r), [...Object.keys(a), "output", "usage", "cost_usd", "charges", "latency_ms", "attempts", "cached", "dry_run"]);
		assert.deepEqual(r.token_accounting, { ...a.token_accounting, usage_source: "none" });
		r.attempts.push({ provider: "openai", model: "gpt-4.1-mini", ok: true });
		r.token_accounting.usage_source = "vendor";
		assert.equal(JSON.stringify(a), before);
		assert.deepEqual(initialResult(a, false).attempts, [], "no two results share their attempts");
	});
});
