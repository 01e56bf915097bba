import assert from "node:assert/strict";
import { Errors } from "moleculer";
import { loadConfig } from "../../../../lib/config";
import type { Attempt } from "../../../../lib/types";
import { callAttempts, creditedModel, failureSummary, fallbackEdges } from "../../../../services/orchestrator/attempts";

const config = loadConfig();
const base = { provider: "openai", model: "gpt-4.1-mini", service: "llm-openai" };

describe("orchestrator attempts", () => {
	describe("callAttempts", () => {
		it("lists the provider's own tries, one per Moleculer retry", () => {
			const out = callAttempts(base, [
				{ service: "llm-openai", node: "n1", ok: false, reason: "server_error", error: "openai: HTTP 500: x", ms: 5 },
				{ service: "llm-openai", node: "n2", ok: true, ms: 7 },
			]);
			assert.deepEqual(out, [
				{ ...base, node: "n1", ok: false, reason: "server_error", error: "openai: HTTP 500: x", ms: 5 },
				{ ...base, node: "n2", ok: true, ms: 7 },
			]);
		});
		it("adds the failure only the caller saw (its timeout, a node gone) after the provider's tries", () => {
			const out = callAttempts(
				base,
				[{ service: "llm-openai", node: "n1", ok: false, reason: "server_error", error: "x", ms: 5 }],
				new Errors.RequestTimeoutError({ action: "llm-openai.complete", nodeID: "n1" }),
			);
			assert.deepEqual(
				out.map(a => a.reason),
				["server_error", "timeout"],
			);
		});
		it("does not repeat a failure the provider already recorded", () => {
			const err = new Errors.MoleculerClientError("openai: HTTP 401: bad key", 401, "PROVIDER_AUTH", { reason: "auth" });
			const out = callAttempts(base, [{ service: "llm-openai", node: "n1", ok: false, reason: "auth", error: err.message, ms: 3 }], err);
			assert.equal(out.length, 1);
		});
	});

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

	describe("failureSummary", () => {
		it("names the variables to set when no provider serves any model", () => {
			const s = failureSummary(
				[
					{ provider: "openai", model: "gpt-4.1-mini", ok: false, reason: "no_provider" },
					{ provider: "google", model: "gemini-2.5-flash", ok: false, reason: "no_provider" },
				],
				config,
			);
			assert.equal(s.noProvider, true);
			assert.deepEqual(s.env, ["OPENAI_API_KEY", "GOOGLE_API_KEY", "GEMINI_API_KEY"]);
			assert.match(s.message, /no live provider serves gpt-4\.1-mini, gemini-2\.5-flash; set OPENAI_API_KEY \(openai\), GOOGLE_API_KEY or GEMINI_API_KEY \(google\)/);
		});
		it("lists each try with its category otherwise", () => {
			const s = failureSummary(
				[
					{ ...base, ok: false, reason: "auth", error: "openai: HTTP 401: bad key" },
					{ provider: "anthropic", model: "claude-haiku-4-5", ok: false, reason: "no_provider" },
				],
				config,
			);
			assert.equal(s.noProvider, false);
			assert.match(s.message, /^every model failed: gpt-4\.1-mini@llm-openai: auth \(openai: HTTP 401: bad key\); claude-haiku-4-5@anthropic: no_provider$/);
		});
	});

	describe("what a request counts as in the metrics", () => {
		const noProvider = (model: string, provider: string): Attempt => ({ provider, model, ok: false, reason: "no_provider", error: `no live provider serves model '${model}'` });
		it("a model no live provider serves was skipped, not fallen back from", () => {
			const nothingLive = [noProvider("gemini-2.5-flash-lite", "google"), noProvider("gpt-4.1-nano", "openai"), noProvider("claude-haiku-4-5", "anthropic")];
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
			assert.equal(creditedModel("error", "gemini-2.5-flash-lite", [{ ...base, ok: false, reason: "auth" }, noProvider("claude-haiku-4-5", "anthropic")]), "gpt-4.1-mini");
			assert.equal(creditedModel("ok", "gpt-4.1-mini", [{ ...base, ok: true }]), "gpt-4.1-mini");
			assert.equal(creditedModel("dry_run", "gpt-4.1-mini", []), "gpt-4.1-mini", "a dry run is counted under the model it planned");
		});
	});
});
