/**
 * What compaction reads of a message: the neutral chat message of the `/v1` endpoints
 * (OpenAI- or Anthropic-shaped requests translated to one form). Only text is ever shortened;
 * tool calls, tool-call ids, images and anything under `cache_control` pass through untouched.
 */
export interface TextPart {
	type: "text";
	text: string;
	cache_control?: unknown;
}

export interface CompactableMessage {
	role: string;
	content?: string | null | ReadonlyArray<TextPart | { type: string; cache_control?: unknown }>;
	cache_control?: unknown;
	/** A tool turn: the call it answers (what a repeat of its output refers to). */
	tool_call_id?: string;
	/** An assistant turn's tool calls: never shortened, but counted (an agent's file writes are mostly their arguments). */
	tool_calls?: ReadonlyArray<{ function?: { name?: string; arguments?: string } }>;
}

export const COMPACTION_LEVELS = ["off", "lossless", "budget"] as const;
export type CompactionLevel = (typeof COMPACTION_LEVELS)[number];

export interface CompactionOptions {
	level: CompactionLevel;
	/** budget: target input tokens (x-orchestrator-max-input-tokens), else budget_fraction × tokens received. */
	maxInputTokens?: number;
	/** compaction.budget_fraction. */
	budgetFraction: number;
	/** compaction.keep_last: the last turns, never shortened by budget. */
	keepLast: number;
	/** compaction.step: the budget region grows this many messages at a time, so the forwarded prefix stays byte-stable between steps. */
	step: number;
}

export interface CompactionResult<M> {
	messages: M[];
	level: CompactionLevel;
	/** Estimated tokens received and forwarded (characters / CHARS_PER_TOKEN, message framing included). */
	received_tokens: number;
	forwarded_tokens: number;
	/** budget: how hard the old region was shortened (0 = lossless only). */
	stage: number;
	/** budget: the target it aimed at. */
	target_tokens?: number;
}

/**
 * Characters each compaction memo may hold (compact.ts, names.ts): the texts are the callers', so entries alone do not
 * bound them (20,000 texts of up to the body size each: a new 100 KB tool output per /v1 call kept ~100 KB per call).
 * 16 Mi characters hold a repeated history of up to ~8 MB whole, per thread (the worker threads have memos of their own).
 */
export const MEMO_CHARS = 16 * 2 ** 20;
