import type { Config, Tier } from "../../lib/config";
import { countMessageTokens } from "../../lib/tokens";
import type { Intent, Optimized, RequestContext } from "../../lib/contracts";
import { compressText } from "./compress";
import { pruneContext } from "./prune";

/**
 * One short system prompt per intent and tier instead of a long generic one. Every token here is
 * paid on every call and the baseline has no system prompt at all, so each says only what changes
 * the answer: its form and its length.
 */
const SYSTEM: Record<Intent, Record<Tier, string>> = {
	READ: { simple: "Show it as is.", moderate: "Show it as is.", complex: "Show the records as is, with sources." },
	WRITE: { simple: "Code only.", moderate: "Code, brief notes.", complex: "Plan briefly, then code." },
	SEARCH: { simple: "Answer with locations.", moderate: "List file:line matches.", complex: "List all file:line matches, grouped." },
	ANALYZE: { simple: "Answer briefly.", moderate: "Explain concisely.", complex: "Reason through causes and trade-offs; findings first." },
	MANAGE: { simple: "Exact command only.", moderate: "Exact commands; flag destructive ones.", complex: "Stepwise plan: commands, checks, rollback." },
};

export function systemPrompt(intent: Intent, tier: Tier): string {
	return SYSTEM[intent][tier];
}

/** max_tokens for the call: the intent's own budget for the tier when config.yaml sets one, else the tier's. */
export function outputBudget(budget: Config["output_budget"], intent: Intent, tier: Tier): number {
	return budget.by_intent?.[intent]?.[tier] ?? budget[tier];
}

/**
 * The baseline is fixed: the request and its whole context, verbatim, as one user message.
 * "Verbatim" for a JSON object is its compact JSON (JSON.stringify without indentation): that is
 * the bytes the client sent, give or take key order, and the cheapest faithful rendering.
 * Indented JSON would add whitespace tokens nobody sent and so inflate the baseline; we never use it.
 */
export function baselinePrompt(request: string, context?: RequestContext): string {
	if (!context || !Object.keys(context).length) return request;
	return `${request}\n\n${JSON.stringify(context)}`;
}

export interface OptimizeInput {
	request: string;
	context?: RequestContext;
	intent: Intent;
	tier: Tier;
	max_tokens: number;
	/** A rewrite of the request to use instead of the rule-based compression (the LLM strategy). */
	rewritten_request?: string;
}

export type { Optimized } from "../../lib/contracts";

export function optimizePrompt(input: OptimizeInput): Optimized {
	const system = systemPrompt(input.intent, input.tier);
	const dropped: string[] = [];
	let request: string;
	if (input.rewritten_request !== undefined) {
		request = input.rewritten_request;
	} else {
		const compressed = compressText(input.request);
		request = compressed.text;
		if (compressed.removed.length) dropped.push(`request: filler words (${compressed.removed.join(", ")})`);
	}
	const ctx = pruneContext(input.context, input.request);
	dropped.push(...ctx.dropped);
	const prompt = ctx.text ? `${request}\n\n${ctx.text}` : request;
	return {
		system,
		prompt,
		max_tokens: input.max_tokens,
		input_tokens: countMessageTokens([
			{ role: "system", content: system },
			{ role: "user", content: prompt },
		]),
		baseline_input_tokens: countMessageTokens([{ role: "user", content: baselinePrompt(input.request, input.context) }]),
		dropped,
		notes: [],
	};
}
