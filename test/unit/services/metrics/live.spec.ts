import { strict as assert } from "node:assert";
import { liveSummary, providerZeroSeries, staticZeroSeries } from "../../../../services/metrics/live";

describe("services/metrics/live", () => {
	it("knows the counter series before any request: every request combination, the totals, cache results, one fallback series per reason", () => {
		const series = staticZeroSeries();
		const of = (name: string) => series.filter(s => s.name === name);
		assert.equal(of("orchestrator_requests_total").length, 5 * 3 * 2 * 4);
		assert.deepEqual(of("orchestrator_tokens_saved_total"), [{ name: "orchestrator_tokens_saved_total", labels: {} }]);
		assert.deepEqual(
			of("orchestrator_cache_requests_total").map(s => s.labels.result),
			["hit", "miss"],
		);
		const reasons = of("orchestrator_fallbacks_total").map(s => s.labels.reason);
		assert.ok(reasons.includes("server_error") && reasons.includes("circuit_open"));
		assert.ok(!reasons.includes("no_provider"), "a skipped model is never a fallback");
	});

	it("a live provider brings its closed breaker and its models' token and cost series", () => {
		const series = providerZeroSeries([{ meta: { name: "openai-compatible", models: ["qwen2.5-coder:7b"] } }]);
		assert.deepEqual(series, [
			{ name: "orchestrator_circuit_state", labels: { provider: "openai-compatible" } },
			{ name: "orchestrator_tokens_total", labels: { model: "qwen2.5-coder:7b", direction: "input" } },
			{ name: "orchestrator_tokens_total", labels: { model: "qwen2.5-coder:7b", direction: "output" } },
			{ name: "orchestrator_cost_usd_total", labels: { model: "qwen2.5-coder:7b", key: "" } },
		]);
	});

	it("lists live providers with their models and breaker state, and tool servers with their connection", () => {
		const out = liveSummary(
			[
				{ service: "llm-openai", nodes: ["b", "a"], meta: { name: "openai", models: ["gpt-4.1"] } },
				{ service: "llm-google", nodes: ["a"], meta: { name: "google", models: [] } },
			],
			[
				{
					service: "mcp.search",
					nodes: ["a"],
					meta: { server: "workspace-search", capabilities: [], tools: [{ name: "search_text" }], connected: false },
				},
			],
			p => (p === "openai" ? 1 : p === "google" ? 0.5 : 0),
		);
		assert.deepEqual(out.providers, [
			{ service: "llm-google", provider: "google", nodes: ["a"], models: [], circuit: "half-open" },
			{ service: "llm-openai", provider: "openai", nodes: ["a", "b"], models: ["gpt-4.1"], circuit: "open" },
		]);
		assert.deepEqual(out.tool_servers, [{ service: "mcp.search", server: "workspace-search", nodes: ["a"], connected: false, tools: 1 }]);
	});
});
