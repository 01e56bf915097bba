import { z } from "zod";
import type { Config } from "../../../lib/config";
import { INTENTS } from "../../../lib/types";

/** Tool input and output schemas; limits come from config.yaml so the SDK's errors name them. */
export function requestShape(config: Config) {
	return {
		request: z
			.string()
			.min(1)
			.max(config.limits.max_request_chars)
			.regex(/\S/, "must not be blank")
			.describe("What the user asked, verbatim"),
		context: z
			.record(z.string(), z.unknown())
			.optional()
			.describe("Free JSON object; meaningful keys: files [{path, content}], error, logs, framework, language, database"),
	};
}

export const optionsShape = z
	.object({
		preferred_models: z.array(z.string()).optional().describe("Model ids to try first; the first available wins"),
		max_cost: z.number().positive().optional().describe("Upper bound in USD on the estimated cost of the call"),
		dry_run: z.boolean().optional().describe("Stop before execution and return the plan"),
		cache: z.boolean().optional().describe("false bypasses the cache"),
		prompt_strategy: z.enum(["default", "llm"]).optional().describe("llm: let the cheapest live model rewrite the prompt"),
	})
	.optional()
	.describe("Constraints on model choice and execution");

export const routeShape = z.looseObject({
	kind: z.enum(["mcp", "llm"]),
	service: z.string().optional(),
	tool: z.string().optional(),
	provider: z.string().optional(),
	model: z.string().optional(),
});

export const analysisShape = {
	intent: z.enum(INTENTS),
	intent_confidence: z.number().min(0).max(1).describe("The local model's probability of its own label"),
	intent_source: z
		.enum(["model", "llm"])
		.optional()
		.describe("Who chose the intent: the local model, or the cheapest live LLM asked because the model was unsure (intent.llm_assist in config.yaml)"),
	intent_note: z.string().optional().describe("What the LLM intent assist did and spent (tokens, USD), when it was asked"),
	complexity: z.enum(["simple", "moderate", "complex"]),
	complexity_score: z.number().min(0).max(1),
	strong_need: z
		.number()
		.min(0)
		.max(1)
		.optional()
		.describe("How much the request needs a strong model rather than a weak one, in [0, 1]: learned from strong-vs-weak outcomes (RouterBench), for ranking and routing policies"),
	route: routeShape,
	model: z.string().nullable(),
	fallbacks: z.array(z.string()),
	optimized_prompt: z.string(),
	input_tokens: z.number().describe("Optimized prompt counted with o200k_base (an estimate for non-OpenAI models); 0 when a tool answers"),
	estimated_input_tokens: z
		.number()
		.optional()
		.describe("input_tokens times the chosen model's learned ratio of vendor-reported to o200k_base tokens; what estimated_cost_usd prices"),
	baseline_input_tokens: z.number(),
	estimated_cost_usd: z.number().describe("Estimate: the chosen model's call at estimated_input_tokens and max_tokens, plus rewrite_cost_usd and intent_assist_cost_usd"),
	baseline_cost_usd: z.number(),
	rewrite_cost_usd: z.number().optional().describe("Paid for the prompt_strategy llm rewrite while analysing (vendor-reported usage)"),
	intent_assist_cost_usd: z.number().optional().describe("Paid for the intent.llm_assist call while analysing (vendor-reported usage)"),
	token_accounting: z
		.looseObject({
			counted_with: z.string(),
			input_ratio: z.number().nullable(),
			baseline_input_ratio: z.number(),
			usage_source: z.enum(["vendor", "cache", "none"]).optional(),
		})
		.optional()
		.describe("Where each figure comes from: local o200k_base counts, the learned vendor ratios applied, and whether usage is vendor-reported"),
	max_tokens: z.number().optional().describe("Output budget of the call (intent x tier); the baseline is priced at the same"),
	dropped: z.array(z.string()).optional().describe("What was left out of the request and its context, one line each"),
	prompt_notes: z.array(z.string()).optional().describe("How the prompt was made: strategy used, and why a requested one was not"),
};

export const orchestrateShape = {
	...analysisShape,
	output: z.string().nullable(),
	usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }).describe("Vendor-reported after a call (token_accounting.usage_source)"),
	cost_usd: z.number().describe("Catalog price of the vendor-reported usage, plus a rewrite call made for this request"),
	latency_ms: z.number(),
	attempts: z.array(z.looseObject({ provider: z.string(), model: z.string(), ok: z.boolean(), error: z.string().optional() })),
	cached: z.boolean(),
};
