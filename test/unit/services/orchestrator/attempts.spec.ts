import assert from "node:assert/strict";
import type { Attempt } from "../../../../lib/types";
import { fallbackEdges } from "../../../../services/orchestrator/attempts";

const base = { provider: "openai", model: "gpt-4.1-mini", service: "llm-openai" };

describe("orchestrator attempts", () => {
	it("fallbackEdges counts moves to another model, not retries, each with the reason the previous try failed", () => {
		const attempts: Attempt[] = [
			{ ...base, ok: false, reason: "server_error" },
			{ ...base, ok: false, reason: "timeout" },
			{ provider: "anthropic", model: "claude-haiku-4-5", ok: false, reason: "circuit_open" },
			{ provider: "google", model: "gemini-2.5-flash", ok: true },
		];
		assert.deepEqual(fallbackEdges(attempts), [
			{ from: "gpt-4.1-mini", to: "claude-haiku-4-5", reason: "timeout" },
			{ from: "claude-haiku-4-5", to: "gemini-2.5-flash", reason: "circuit_open" },
		]);
	});
});
