import { strict as assert } from "node:assert";
import { loadConfig } from "../../../../lib/config";
import { countMessageTokens, countTokens } from "../../../../lib/tokens";
import { INTENTS } from "../../../../lib/contracts";
import { baselinePrompt, optimizePrompt, outputBudget, systemPrompt } from "../../../../services/prompt/optimize";

describe("prompt/optimize", () => {
	it("baseline is the request plus the whole context as compact JSON, never indented", () => {
		const context = { framework: "React", files: [{ path: "a.ts", content: "x\ny" }] };
		assert.equal(baselinePrompt("fix it", context), `fix it\n\n{"framework":"React","files":[{"path":"a.ts","content":"x\\ny"}]}`);
		assert.equal(baselinePrompt("fix it"), "fix it");
		assert.equal(baselinePrompt("fix it", {}), "fix it");
	});

	it("counts the baseline as one user message and the optimized call as system + user", () => {
		const o = optimizePrompt({ request: "hey can you show the README", intent: "READ", tier: "simple", max_tokens: 256 });
		assert.equal(o.baseline_input_tokens, countMessageTokens([{ role: "user", content: "hey can you show the README" }]));
		assert.equal(
			o.input_tokens,
			countMessageTokens([
				{ role: "system", content: o.system },
				{ role: "user", content: o.prompt },
			]),
		);
		assert.equal(o.prompt, "show README");
		assert.equal(o.max_tokens, 256);
		assert.deepEqual(o.dropped, ["request: filler words (hey, can you, the)"]);
	});

	it("has a short system prompt for every intent and tier", () => {
		for (const intent of INTENTS) {
			for (const tier of ["simple", "moderate", "complex"] as const) {
				const s = systemPrompt(intent, tier);
				assert.ok(s.length > 0 && countTokens(s) <= 16, `${intent}/${tier}: ${s}`);
			}
		}
	});

	it("uses the intent's budget for a tier when config.yaml sets one, else the tier's", () => {
		const budget = { simple: 512, moderate: 1536, complex: 4096, by_intent: { SEARCH: { simple: 256 } } };
		assert.equal(outputBudget(budget, "SEARCH", "simple"), 256);
		assert.equal(outputBudget(budget, "SEARCH", "complex"), 4096);
		assert.equal(outputBudget(budget, "WRITE", "simple"), 512);
		const shipped = loadConfig().output_budget;
		assert.ok(outputBudget(shipped, "SEARCH", "simple") <= shipped.simple);
	});

	it("prunes a large attachment down to what the request names", () => {
		const big = Array.from({ length: 400 }, (_, i) => `export function helper${i}(x: number) { return x + ${i}; }`).join("\n");
		const o = optimizePrompt({
			request: "why does helper200 add the wrong number?",
			context: {
				files: [
					{ path: "src/helpers.ts", content: big },
					{ path: "src/unrelated.ts", content: big.replace(/helper/g, "other") },
				],
			},
			intent: "ANALYZE",
			tier: "moderate",
			max_tokens: 1536,
		});
		assert.ok(o.prompt.includes("export function helper200(x: number) { return x + 200; }"));
		assert.ok(o.input_tokens < o.baseline_input_tokens / 20, `${o.input_tokens} vs ${o.baseline_input_tokens}`);
		assert.ok(o.dropped.some(d => d.startsWith("context.files src/unrelated.ts")));
	});

	it("uses a supplied rewrite instead of the rule-based compression", () => {
		const o = optimizePrompt({ request: "hey can you show the README", rewritten_request: "Show README", intent: "READ", tier: "simple", max_tokens: 256 });
		assert.equal(o.prompt, "Show README");
		assert.deepEqual(o.dropped, []);
	});
});
