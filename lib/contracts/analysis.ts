/**
 * What `orchestrator.analyze` answers (the Analysis) and what `orchestrator.orchestrate` adds to it:
 * the `analyze_request` and `orchestrate` tools' output schemas, the REST answers, the CLI output.
 */
import { z } from "zod";
import { AttemptSchema, ChargeSchema, UsageSchema } from "./complete";
import { IntentSchema, TierSchema } from "./request";

export const RouteSchema = z.looseObject({
	kind: z.enum(["mcp", "llm"]),
	service: z.string().optional(),
	tool: z.string().optional(),
	arguments: z.record(z.string(), z.unknown()).optional(),
	provider: z.string().optional(),
	model: z.string().optional(),
	then_llm: z.boolean().optional().describe('A tool result that then goes to an LLM (e.g. "summarize src/server.ts")'),
});
export type Route = z.infer<typeof RouteSchema>;

export const USAGE_SOURCES = ["vendor", "estimated", "cache", "none"] as const;

/** Where each token and cost figure of a result comes from. */
export const TokenAccountingSchema = z
	.looseObject({
		counted_with: z
			.literal("o200k_base")
			.describe("input_tokens and baseline_input_tokens are local counts with this encoding: exact for OpenAI models, an estimate for the others"),
		input_ratio: z
			.number()
			.nullable()
			.describe(
				"Learned ratio (vendor-reported / o200k_base input tokens) applied to the chosen model's estimate; 1 until enough vendor reports; null without a model",
			),
		baseline_input_ratio: z.number().describe("The same for the baseline model, applied to baseline_cost_usd"),
		usage_source: z
			.enum(USAGE_SOURCES)
			.optional()
			.describe(
				"Orchestrate only, for usage and cost_usd: vendor = the provider's reported usage; estimated = the provider reported none, usage is our o200k_base count; cache = answered from the completion cache, nothing spent; none = no model was called (dry run, tool answer)",
			),
	})
	.describe("Where each figure comes from: local o200k_base counts, the learned vendor ratios applied, and whether usage is vendor-reported");
export type TokenAccounting = z.infer<typeof TokenAccountingSchema>;

export const AnalysisSchema = z.object({
	intent: IntentSchema,
	intent_confidence: z.number().min(0).max(1).describe("The local model's probability of its own label"),
	intent_source: z
		.enum(["model", "llm"])
		.optional()
		.describe("Who chose the intent: the local model, or the cheapest live LLM asked because the model was unsure (intent.llm_assist in config.yaml)"),
	intent_note: z.string().optional().describe("What the LLM intent assist did and spent (tokens, USD), when it was asked"),
	complexity: TierSchema,
	complexity_score: z.number().min(0).max(1),
	strong_need: z
		.number()
		.min(0)
		.max(1)
		.optional()
		.describe(
			"How much the request needs a strong model rather than a weak one, in [0, 1]: learned from strong-vs-weak outcomes (RouterBench), for ranking and routing policies",
		),
	route: RouteSchema,
	route_note: z
		.string()
		.optional()
		.describe("Set when the preferred model cannot run (no live provider serves it): what was skipped, what answers instead, and what to set"),
	model: z.string().nullable(),
	fallbacks: z.array(z.string()),
	system_prompt: z.string(),
	optimized_prompt: z.string(),
	max_tokens: z.number().describe("Output budget of the call (intent x tier); the baseline is priced at the same"),
	input_tokens: z
		.number()
		.describe("Optimized prompt (system + user message) counted with o200k_base (an estimate for non-OpenAI models); 0 when a tool answers"),
	estimated_input_tokens: z
		.number()
		.describe("input_tokens times the chosen model's learned ratio of vendor-reported to o200k_base tokens; what estimated_cost_usd prices"),
	baseline_input_tokens: z.number().describe("The baseline prompt counted with o200k_base"),
	estimated_cost_usd: z
		.number()
		.describe("Estimate: the chosen model's call at estimated_input_tokens and max_tokens, plus rewrite_cost_usd and intent_assist_cost_usd"),
	baseline_cost_usd: z.number().describe("The baseline on the baseline model, its input corrected by that model's learned ratio"),
	rewrite_cost_usd: z.number().describe("Paid for the prompt_strategy llm rewrite while analysing (vendor-reported usage); 0 when none was called"),
	intent_assist_cost_usd: z.number().describe("Paid for the intent.llm_assist call while analysing (vendor-reported usage); 0 when none was called"),
	helper_charges: z
		.array(ChargeSchema)
		.optional()
		.describe("The helper calls (intent assist, rewrite) made while analysing, one per vendor call paid; empty for an analysis from the cache"),
	token_accounting: TokenAccountingSchema,
	dropped: z.array(z.string()).describe("What was left out of the request and its context, one line each"),
	prompt_notes: z.array(z.string()).describe("How the prompt was made: strategy used, and why a requested one was not"),
});
export type Analysis = z.infer<typeof AnalysisSchema>;

/**
 * `ctx.meta` key of an orchestrate call: helper calls (Charge[]) the caller's own analysis of this request already paid.
 * A /v1 tool answer analyses the request, then orchestrate finds that analysis in the cache, which pays nothing: told of
 * them, its result and record count them.
 */
export const PAID_HELPERS = "$paidHelpers";

/**
 * `ctx.meta` flag of an `orchestrator.analyze` call whose caller counts the analysis's helper calls in its own request
 * record (orchestrate, `/v1`: analyzeOnce). Without it the analysis is all the caller gets, and analyze reports what it
 * paid itself (ANALYSIS_SPEND).
 */
export const HELPERS_COUNTED = "$helpersCounted";

export const OrchestrateResultSchema = AnalysisSchema.extend({
	output: z.string().nullable(),
	usage: UsageSchema.describe("Vendor-reported after a call, or our count when the vendor reported none (token_accounting.usage_source)"),
	cost_usd: z.number().describe("What this request paid its vendors: the sum of charges"),
	charges: z
		.array(ChargeSchema)
		.describe(
			"Every vendor call this request paid for, at catalog prices: the helper calls (rewrite, intent assist), a failed try the vendor may have billed (at its worst case, as the budget counts it) and the answer",
		),
	latency_ms: z.number(),
	attempts: z.array(AttemptSchema).describe("Every try, Moleculer's retries included, and cache answers"),
	cached: z.boolean(),
	dry_run: z.boolean(),
});
export type OrchestrateResult = z.infer<typeof OrchestrateResultSchema>;
