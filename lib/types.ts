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
	route: Route;
	model: string | null;
	fallbacks: string[];
	system_prompt: string;
	optimized_prompt: string;
	max_tokens: number;
	input_tokens: number;
	baseline_input_tokens: number;
	estimated_cost_usd: number;
	baseline_cost_usd: number;
	dropped: string[];
	/** How the prompt was made: the strategy used and why a requested one was not. */
	prompt_notes: string[];
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
