import type { RequestRecord } from "../../../../lib/contracts";

export const NOW = 1_800_000_000_000;

/** One finished request as the orchestrator records it, with the fields a test cares about overridden. */
export function rec(over: Partial<RequestRecord> = {}): RequestRecord {
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
		spend: [{ model: "gpt-4.1-mini", input_tokens: 10, output_tokens: 5, cost_usd: 0.001 }],
		baseline_cost_usd: 0.01,
		cached: false,
		fallbacks: [],
		...over,
	};
}
