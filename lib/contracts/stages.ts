/** What the pipeline stages take from and answer the orchestrator (intent, complexity, router, prompt, models). */
import { z } from "zod";
import { ChargeSchema } from "./complete";
import { IntentSchema, PROMPT_STRATEGIES, TierSchema, type RequestContext } from "./request";

/**
 * A stage's context as the orchestrator passes it on (checked there against RequestContextSchema): any
 * object, handed over as it came. Not parsed again, because a zod object puts its known keys first and the
 * assist message and the cache keys follow the caller's key order.
 */
const StageContextSchema = z.custom<RequestContext>(v => typeof v === "object" && v !== null && !Array.isArray(v), "must be an object");

/** What every analysis stage reads: the request text (any text, even empty) and its context. */
const stageInput = { request: z.string(), context: StageContextSchema.optional() };

/** `intent.classify` and `complexity.analyze` params. */
export const StageParamsSchema = z.object(stageInput);
export type StageParams = z.infer<typeof StageParamsSchema>;

/** `router.route` params. */
export const RouteParamsSchema = z.object({
	...stageInput,
	intent: IntentSchema,
	/** The intent's calibrated confidence: the zero-token gate answers with a tool only when sure. */
	intent_confidence: z.number().min(0).max(1).optional(),
});
export type RouteParams = z.infer<typeof RouteParamsSchema>;

/** `prompt.optimize` params. */
export const OptimizeParamsSchema = z.object({ ...stageInput, intent: IntentSchema, complexity: TierSchema, strategy: z.enum(PROMPT_STRATEGIES).optional() });
export type OptimizeParams = z.infer<typeof OptimizeParamsSchema>;

/** `prompt.withToolResult` params: the prompt, and what a tool answered to put in it. */
export const WithToolResultParamsSchema = z.object({ prompt: z.string(), tool: z.string(), text: z.string(), is_error: z.boolean().optional() });
export type WithToolResultParams = z.infer<typeof WithToolResultParamsSchema>;

/** `models.select` params. */
export const SelectParamsSchema = z.object({
	tier: TierSchema,
	input_tokens: z.number().int().min(0),
	max_tokens: z.number().int().positive(),
	preferred_models: z.array(z.string()).optional(),
	max_cost: z.number().positive().optional(),
	allowed_models: z
		.array(z.string())
		.optional()
		.describe("The calling key's models (config.yaml auth.keys[].models): the only candidates; the key's own list when the tier has none of them"),
});
export type SelectParams = z.infer<typeof SelectParamsSchema>;

/** `models.estimate` params: a call's size on one catalog model. */
export const EstimateParamsSchema = z.object({ model: z.string(), input_tokens: z.number().int().min(0), output_tokens: z.number().int().min(0) });
export type EstimateParams = z.infer<typeof EstimateParamsSchema>;

/** `intent.classify` result. */
export const IntentResultSchema = z.object({
	intent: IntentSchema,
	confidence: z.number().min(0).max(1).describe("The local model's probability of its own label; it is what decides whether the LLM is asked"),
	source: z.enum(["model", "llm"]).describe("Who chose the label: the local model, or the cheapest live LLM asked because the model was unsure"),
	note: z.string().optional().describe("What the LLM assist did and spent, whenever it was asked (or tried to be)"),
	cost_usd: z
		.number()
		.optional()
		.describe("USD paid to vendors for this request's assist call (a failed try they may have billed too); absent when nothing was paid"),
	charges: z.array(ChargeSchema).optional().describe("The vendor calls cost_usd sums (services/models/spend.ts)"),
});
export type IntentResult = z.infer<typeof IntentResultSchema>;

/** `complexity.analyze` result. */
export const ComplexityResultSchema = z.object({
	complexity: TierSchema,
	score: z.number().min(0).max(1),
	/** How much the request needs the strong model (services/complexity/strong-need.ts), in [0, 1]. */
	strong_need: z.number().min(0).max(1).optional(),
});
export type ComplexityResult = z.infer<typeof ComplexityResultSchema>;

/** `prompt.optimize` result. */
export const OptimizedSchema = z.object({
	system: z.string(),
	prompt: z.string(),
	max_tokens: z.number(),
	input_tokens: z.number(),
	baseline_input_tokens: z.number(),
	dropped: z.array(z.string()).describe("What was left out of the request and its context, one line each"),
	notes: z.array(z.string()).describe("How the prompt was made (strategy, fallbacks)"),
	rewrite_cost_usd: z.number().optional().describe("USD of the LLM rewrite call made for this prompt; absent when none was paid"),
	rewrite_charges: z.array(ChargeSchema).optional().describe("The vendor calls rewrite_cost_usd sums"),
});
export type Optimized = z.infer<typeof OptimizedSchema>;

/** One model `models.select` considered, priced at its corrected input count. */
export const CandidateSchema = z.object({
	model: z.string(),
	provider: z.string(),
	input_tokens: z.number().describe("input_tokens corrected for this model's vendor count: what its price and context check use"),
	input_token_ratio: z.number(),
	estimated_cost_usd: z.number(),
	live: z.boolean(),
});
export type Candidate = z.infer<typeof CandidateSchema>;

/** `models.select` result. */
export const SelectionSchema = z.object({
	model: z.string(),
	fallbacks: z.array(z.string()),
	candidates: z.array(CandidateSchema),
	/** Set when a model ahead of the chosen one cannot run (no live provider): what was skipped and what runs instead. */
	route_note: z.string().optional(),
});
export type Selection = z.infer<typeof SelectionSchema>;

/** `models.estimate` result. */
export const EstimateSchema = z.object({ model: z.string(), input_tokens: z.number(), input_token_ratio: z.number(), estimated_cost_usd: z.number() });
export type Estimate = z.infer<typeof EstimateSchema>;
