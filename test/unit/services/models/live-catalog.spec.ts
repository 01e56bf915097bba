import { strict as assert } from "node:assert";
import { loadConfig } from "../../../../lib/config";
import type { ProviderMetadata } from "../../../../lib/registry";
import { liveCatalog } from "../../../../services/models/live-catalog";
import { selectModels } from "../../../../services/models/select";

// The shipped catalog with these tiers, so that the notes checked below do not change when a provider is added to config.yaml's tiers.
const config = {
	...loadConfig(),
	tiers: {
		simple: { preferred: "gemini-2.5-flash-lite", fallback: ["gpt-4.1-nano", "claude-haiku-4-5"] },
		moderate: { preferred: "gpt-4.1-mini", fallback: ["gemini-2.5-flash", "claude-haiku-4-5"] },
		complex: { preferred: "claude-sonnet-4-6", fallback: ["gpt-4.1", "gemini-2.5-pro"] },
	},
};
const chain = (t: { preferred: string; fallback: string[] }) => [t.preferred, ...t.fallback];
const ollama = (meta: Partial<ProviderMetadata>): { meta: ProviderMetadata } => ({ meta: { name: "openai-compatible", models: [], ...meta } });
const openai: { meta: ProviderMetadata } = { meta: { name: "openai", models: ["gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o-mini"] } };
const free = { input_per_mtok: 0, output_per_mtok: 0, context_window: 8192 };

describe("services/models/live-catalog", () => {
	it("with no live provider, is config.yaml's catalog and tiers", () => {
		const c = liveCatalog(config, []);
		assert.deepEqual(c.tiers, config.tiers);
		assert.deepEqual(c.models, config.models);
		assert.equal(c.live.size, 0);
	});

	it("adds a model the server has and config.yaml lacks, free, with the published context window", () => {
		const c = liveCatalog(config, [ollama({ models: ["qwen2.5-coder:7b"], extra: { "qwen2.5-coder:7b": free } })]);
		assert.deepEqual(c.models["qwen2.5-coder:7b"], { provider: "openai-compatible", ...free });
		assert.ok(c.live.has("qwen2.5-coder:7b"));
	});

	it("puts a free local model first in simple by default, and last in every other tier (so a local-only user gets answers)", () => {
		const c = liveCatalog(config, [ollama({ models: ["qwen2.5-coder:7b"], extra: { "qwen2.5-coder:7b": free } })]);
		assert.deepEqual(chain(c.tiers.simple), ["qwen2.5-coder:7b", ...chain(config.tiers.simple)]);
		assert.deepEqual(chain(c.tiers.moderate), [...chain(config.tiers.moderate), "qwen2.5-coder:7b"]);
		assert.deepEqual(chain(c.tiers.complex), [...chain(config.tiers.complex), "qwen2.5-coder:7b"]);
	});

	it("follows OPENAI_COMPATIBLE_TIERS as published by the provider, in its order", () => {
		const c = liveCatalog(config, [
			ollama({
				models: ["llama3.1:8b", "qwen2.5-coder:7b"],
				extra: { "qwen2.5-coder:7b": free },
				tiers: { "qwen2.5-coder:7b": ["moderate"], "llama3.1:8b": ["simple", "moderate"] },
			}),
		]);
		assert.deepEqual(chain(c.tiers.simple), ["llama3.1:8b", ...chain(config.tiers.simple), "qwen2.5-coder:7b"]);
		assert.deepEqual(chain(c.tiers.moderate), ["llama3.1:8b", "qwen2.5-coder:7b", ...chain(config.tiers.moderate)]);
		assert.deepEqual(chain(c.tiers.complex), [...chain(config.tiers.complex), "llama3.1:8b", "qwen2.5-coder:7b"]);
	});

	it("reads models.<id>.tiers from config.yaml; a priced model goes after the tier's own models", () => {
		const cfg = {
			...config,
			models: {
				...config.models,
				"gpt-4o-mini": { ...config.models["gpt-4o-mini"], tiers: ["simple" as const] },
				"llama3.1:8b": { ...config.models["llama3.1:8b"], tiers: ["complex" as const] },
			},
		};
		const c = liveCatalog(cfg, [openai, ollama({ models: ["llama3.1:8b"] })]);
		assert.deepEqual(chain(c.tiers.simple), [...chain(config.tiers.simple), "gpt-4o-mini", "llama3.1:8b"]);
		assert.deepEqual(chain(c.tiers.complex), ["llama3.1:8b", ...chain(config.tiers.complex)]);
	});

	it("leaves a catalog model nobody serves out of the tiers it is not configured in", () => {
		const c = liveCatalog(config, [openai]);
		assert.deepEqual(c.tiers, config.tiers, "llama3.1:8b is in the catalog but no server has it");
	});

	it("with only the local model live, selection answers every tier from it; the note says what was skipped", () => {
		const live = liveCatalog(config, [ollama({ models: ["qwen2.5-coder:7b"], extra: { "qwen2.5-coder:7b": free } })]);
		const cfg = { ...config, models: live.models, tiers: live.tiers };
		const simple = selectModels(cfg, { tier: "simple", input_tokens: 50, max_tokens: 512, live_models: live.live });
		assert.equal(simple.model, "qwen2.5-coder:7b");
		assert.equal(simple.route_note, undefined, "the preferred model runs: nothing to say");
		const complex = selectModels(cfg, { tier: "complex", input_tokens: 50, max_tokens: 4096, live_models: live.live });
		assert.equal(complex.model, "qwen2.5-coder:7b");
		assert.equal(
			complex.route_note,
			"claude-sonnet-4-6, gpt-4.1, gemini-2.5-pro have no live provider (set ANTHROPIC_API_KEY (anthropic), OPENAI_API_KEY (openai), GOOGLE_API_KEY or GEMINI_API_KEY (google) to enable); qwen2.5-coder:7b (openai-compatible) will answer instead",
		);
		const named = selectModels(cfg, {
			tier: "moderate",
			input_tokens: 50,
			max_tokens: 512,
			live_models: live.live,
			preferred_models: ["qwen2.5-coder:7b"],
		});
		assert.equal(named.model, "qwen2.5-coder:7b", "a discovered model may be named in preferred_models");
	});

	it("a default context window too small for the call drops the local model, as for any model", () => {
		const live = liveCatalog(config, [ollama({ models: ["qwen2.5-coder:7b"], extra: { "qwen2.5-coder:7b": free } })]);
		const s = selectModels(
			{ ...config, models: live.models, tiers: live.tiers },
			{ tier: "simple", input_tokens: 9000, max_tokens: 512, live_models: live.live },
		);
		assert.ok(!s.candidates.some(c => c.model === "qwen2.5-coder:7b"));
		assert.match(
			s.route_note!,
			/^no live provider serves any simple-tier candidate \(gemini-2.5-flash-lite, gpt-4.1-nano, claude-haiku-4-5\); orchestrate will answer 503 NO_PROVIDER/,
		);
	});
});
