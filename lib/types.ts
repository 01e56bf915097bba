/** Shapes shared across services: the request, its analysis and the orchestrate result. */

export const INTENTS = ["READ", "WRITE", "SEARCH", "ANALYZE", "MANAGE"] as const;
export type Intent = (typeof INTENTS)[number];
export type Complexity = "simple" | "moderate" | "complex";

export interface AttachedFile {
	path: string;
	content: string;
}

/** Free JSON object; these keys carry meaning everywhere. */
export interface RequestContext {
	files?: AttachedFile[];
	error?: string;
	logs?: string | string[];
	framework?: string;
	language?: string;
	database?: string;
	[key: string]: unknown;
}

export interface RequestOptions {
	preferred_models?: string[];
	max_cost?: number;
	dry_run?: boolean;
	cache?: boolean;
	prompt_strategy?: "default" | "llm";
}

export interface Route {
	kind: "mcp" | "llm";
	service?: string;
	tool?: string;
	arguments?: Record<string, unknown>;
	provider?: string;
	model?: string;
	/** A tool result that then goes to an LLM (e.g. "summarize src/server.ts"). */
	then_llm?: boolean;
}

export interface Analysis {
	intent: Intent;
	intent_confidence: number;
	/** Who chose the intent: the local model, or the cheapest live LLM when the model was unsure (intent.llm_assist). */
	intent_source?: "model" | "llm";
	/** What the LLM assist did and spent, when it was asked. */
	intent_note?: string;
	complexity: Complexity;
	complexity_score: number;
	/** How much the request needs the strong model (services/complexity/strong-need.ts), in [0, 1]. */
	strong_need?: number;
	route: Route;
	model: string | null;
	fallbacks: string[];
	system_prompt: string;
	optimized_prompt: string;
	max_tokens: number;
	/** The optimized prompt (system + user message), counted with o200k_base; 0 when a tool answers. */
	input_tokens: number;
	/** input_tokens times the chosen model's learned vendor ratio: the estimate estimated_cost_usd prices. */
	estimated_input_tokens: number;
	/** The baseline prompt counted with o200k_base. */
	baseline_input_tokens: number;
	/** The chosen model's call at estimated_input_tokens and max_tokens, plus rewrite_cost_usd and intent_assist_cost_usd. */
	estimated_cost_usd: number;
	/** The baseline on the baseline model, its input corrected by that model's learned ratio. */
	baseline_cost_usd: number;
	/** Paid to the LLM rewrite (prompt_strategy llm) while making this analysis, at the vendor's reported usage; 0 when none was called. */
	rewrite_cost_usd: number;
	/** Paid to the LLM intent assist (intent.llm_assist) while making this analysis, at the vendor's reported usage; 0 when none was called. */
	intent_assist_cost_usd: number;
	token_accounting: TokenAccounting;
	dropped: string[];
	/** How the prompt was made: the strategy used and why a requested one was not. */
	prompt_notes: string[];
}

/** Where each token and cost figure of a result comes from. */
export interface TokenAccounting {
	/** input_tokens and baseline_input_tokens are local counts with this encoding: exact for OpenAI models, an estimate for the others. */
	counted_with: "o200k_base";
	/** Learned ratio (vendor-reported / o200k_base input tokens) applied to the chosen model's estimate; 1 until enough vendor reports; null without a model. */
	input_ratio: number | null;
	/** The same for the baseline model, applied to baseline_cost_usd. */
	baseline_input_ratio: number;
	/**
	 * Orchestrate only, for usage and cost_usd: "vendor" = the provider's reported usage after the
	 * call; "cache" = answered from the completion cache, nothing spent on it; "none" = no model was
	 * called (dry run, tool answer). cost_usd also holds rewrite_cost_usd and intent_assist_cost_usd when those calls ran for this request.
	 */
	usage_source?: "vendor" | "cache" | "none";
}

/** One try of one model: a provider call (each Moleculer retry is its own try) or a skip. */
export interface Attempt {
	provider: string;
	model: string;
	ok: boolean;
	error?: string;
	/** Short failure category (lib/provider-errors.ts FAILURE_REASONS). */
	reason?: string;
	/** Provider service and node that took the try, when it reached one. */
	service?: string;
	node?: string;
	ms?: number;
	/** Answered from the completion cache: no provider was called. */
	cached?: boolean;
}

export interface OrchestrateResult extends Analysis {
	output: string | null;
	usage: { input_tokens: number; output_tokens: number };
	cost_usd: number;
	latency_ms: number;
	attempts: Attempt[];
	cached: boolean;
	dry_run: boolean;
}
