import { strict as assert } from "node:assert";
import { loadConfig } from "../../../lib/config";
import { countMessageTokens } from "../../../lib/tokens";
import { priceUsd } from "../../../services/models/pricing";
import { ceilingOf } from "../../../scripts/eval/ceiling";

const config = loadConfig();
const sonnet = config.models[config.tiers.complex.preferred];

describe("scripts/eval/ceiling: the best reduction any optimizer could reach", () => {
	it("a request labeled tool_answerable costs nothing", () => {
		assert.deepEqual(
			ceilingOf({ request: "show me the Dockerfile", complexity: "simple", tool_answerable: true, key_terms: ["Dockerfile"] }, sonnet, 512),
			{
				pruned_input_tokens: 0,
				bare_input_tokens: 0,
				cost_usd: 0,
			},
		);
	});

	it("any other request is its key terms alone as one user message, with or without the pruned context", () => {
		const row = {
			request: "could you please explain why parseConfig throws on an empty file",
			context: { framework: "express" },
			complexity: "moderate",
			key_terms: ["parseConfig"],
		};
		const c = ceilingOf(row, sonnet, 1536);
		assert.equal(c.bare_input_tokens, countMessageTokens([{ role: "user", content: "parseConfig" }]));
		assert.ok(c.pruned_input_tokens > c.bare_input_tokens, "the pruned context is kept in the first figure");
		assert.equal(c.cost_usd, 0, "a request not labeled complex is free at the ceiling");
	});

	it("a request labeled complex is priced on the baseline model at the same max_tokens, its input shrunk", () => {
		const row = { request: "design a sharded rate limiter for the gateway", complexity: "complex", key_terms: ["rate limiter", "gateway"] };
		const c = ceilingOf(row, sonnet, 4096);
		assert.equal(c.cost_usd, priceUsd(sonnet, countMessageTokens([{ role: "user", content: "rate limiter gateway" }]), 4096));
	});
});
