import { strict as assert } from "node:assert";
import { loadConfig } from "../../../../lib/config";
import { priceUsd } from "../../../../services/models/pricing";
import { selectModels } from "../../../../services/models/select";

const config = loadConfig();

describe("services/models/select with learned input-token ratios", () => {
	it("prices each candidate at its own corrected input count, and says which ratio it used", () => {
		const ratios: Record<string, number> = { "claude-sonnet-4-6": 1.3 };
		const s = selectModels(config, { tier: "complex", input_tokens: 1000, max_tokens: 4096, input_ratio: m => ratios[m] ?? 1 });
		const sonnet = s.candidates.find(c => c.model === "claude-sonnet-4-6")!;
		assert.equal(sonnet.input_tokens, 1300);
		assert.equal(sonnet.input_token_ratio, 1.3);
		assert.equal(sonnet.estimated_cost_usd, priceUsd(config.models["claude-sonnet-4-6"], 1300, 4096));
		const gpt = s.candidates.find(c => c.model === "gpt-4.1")!;
		assert.equal(gpt.input_tokens, 1000, "an uncorrected model keeps the o200k_base count");
		assert.equal(gpt.input_token_ratio, 1);
	});

	it("max_cost sees the corrected estimate: a model that fits on the raw count can be over budget", () => {
		const input = { tier: "complex" as const, input_tokens: 100_000, max_tokens: 1000, preferred_models: ["claude-sonnet-4-6"] };
		const raw = priceUsd(config.models["claude-sonnet-4-6"], 100_000, 1000);
		const max_cost = raw + 0.001;
		assert.equal(selectModels(config, { ...input, max_cost }).model, "claude-sonnet-4-6");
		const corrected = selectModels(config, { ...input, max_cost, input_ratio: m => (m === "claude-sonnet-4-6" ? 1.3 : 1) });
		assert.notEqual(corrected.model, "claude-sonnet-4-6");
		assert.ok(!corrected.candidates.some(c => c.model === "claude-sonnet-4-6"));
	});

	it("the context-window check uses the corrected count", () => {
		// 170k o200k tokens + 4096 fit sonnet's 200k window; at 1.3x (221k) they do not.
		const input = { tier: "complex" as const, input_tokens: 170_000, max_tokens: 4096 };
		assert.ok(selectModels(config, input).candidates.some(c => c.model === "claude-sonnet-4-6"));
		const corrected = selectModels(config, { ...input, input_ratio: m => (m.startsWith("claude") ? 1.3 : 1) });
		assert.ok(!corrected.candidates.some(c => c.model === "claude-sonnet-4-6"));
		assert.equal(corrected.model, "gpt-4.1");
	});
});

describe("services/models/select for a key limited to some models (auth.keys[].models)", () => {
	it("plans on the key's models only, the tier's order kept", () => {
		const tier = config.tiers.simple;
		const allowed = [tier.fallback[0], "gpt-4.1-nano"];
		const s = selectModels(config, { tier: "simple", input_tokens: 100, max_tokens: 100, allowed_models: allowed });
		assert.ok([s.model, ...s.fallbacks].every(m => allowed.includes(m)));
	});

	it("a tier naming none of them is served by the key's own models, not refused", () => {
		const s = selectModels(config, { tier: "complex", input_tokens: 100, max_tokens: 100, allowed_models: ["gpt-4.1-nano"] });
		assert.deepEqual([s.model, ...s.fallbacks], ["gpt-4.1-nano"]);
	});
});
