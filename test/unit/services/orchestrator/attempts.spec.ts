import assert from "node:assert/strict";
import type { Attempt } from "../../../../lib/contracts";
import { creditedModel, fallbackEdges } from "../../../../services/orchestrator/attempts";

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

	describe("what a request counts as in the metrics", () => {
		const noProvider = (model: string, provider: string): Attempt => ({
			provider,
			model,
			ok: false,
			reason: "no_provider",
			error: `no live provider serves model '${model}'`,
		});
		it("a model no live provider serves was skipped, not fallen back from", () => {
			const nothingLive = [
				noProvider("gemini-2.5-flash-lite", "google"),
				noProvider("gpt-4.1-nano", "openai"),
				noProvider("claude-haiku-4-5", "anthropic"),
			];
			assert.deepEqual(fallbackEdges(nothingLive), []);
			const tried: Attempt[] = [
				noProvider("gemini-2.5-flash-lite", "google"),
				{ ...base, ok: false, reason: "server_error" },
				noProvider("claude-haiku-4-5", "anthropic"),
				{ provider: "openai-compatible", model: "llama3.1:8b", service: "llm-openai-compatible", ok: true },
			];
			assert.deepEqual(fallbackEdges(tried), [{ from: "gpt-4.1-mini", to: "llama3.1:8b", reason: "server_error" }]);
		});

		it("a failure no provider could take is credited to no model; one a provider failed, to the last model asked", () => {
			assert.equal(creditedModel("error", "gemini-2.5-flash-lite", [noProvider("gemini-2.5-flash-lite", "google")]), null);
			assert.equal(
				creditedModel("error", "gemini-2.5-flash-lite", [{ ...base, ok: false, reason: "auth" }, noProvider("claude-haiku-4-5", "anthropic")]),
				"gpt-4.1-mini",
			);
			assert.equal(creditedModel("ok", "gpt-4.1-mini", [{ ...base, ok: true }]), "gpt-4.1-mini");
			assert.equal(creditedModel("dry_run", "gpt-4.1-mini", []), "gpt-4.1-mini", "a dry run is counted under the model it planned");
		});
	});
});
