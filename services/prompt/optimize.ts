import type { Tier } from "../../lib/config";
import { countMessageTokens } from "../../lib/tokens";
import type { Intent, RequestContext } from "../../lib/types";

/** One short instruction per intent instead of a long generic system prompt. */
const SYSTEM: Record<Intent, string> = {
	READ: "Show the requested content as it is. No commentary.",
	WRITE: "You are a senior engineer. Produce the requested change as code. Explain only what is not obvious.",
	SEARCH: "Locate what is asked in the given material. Answer with locations (file:line) and a one-line note each.",
	ANALYZE: "You are a senior engineer. Reason about the material and report findings concisely, most important first.",
	MANAGE: "You are an operations engineer. Give the exact commands or steps, with a one-line warning for anything destructive.",
};

const TIER_HINT: Record<Tier, string> = {
	simple: " Be brief.",
	moderate: "",
	complex: " Think through trade-offs before answering.",
};

export function systemPrompt(intent: Intent, tier: Tier): string {
	return SYSTEM[intent] + TIER_HINT[tier];
}

/** The baseline is fixed: the request and its whole context, verbatim, as one user message. */
export function baselinePrompt(request: string, context?: RequestContext): string {
	if (!context || !Object.keys(context).length) return request;
	return `${request}\n\n${JSON.stringify(context, null, 2)}`;
}

/** Context rendered compactly: attached files as fenced blocks, other keys as "key: value". */
export function renderContext(context?: RequestContext): string {
	if (!context) return "";
	const parts: string[] = [];
	for (const [key, value] of Object.entries(context)) {
		if (key === "files" && Array.isArray(value)) {
			for (const f of value as { path?: string; content?: string }[]) {
				parts.push(`${f.path ?? "file"}:\n\`\`\`\n${f.content ?? ""}\n\`\`\``);
			}
		} else if (typeof value === "string") {
			parts.push(`${key}:\n${value}`);
		} else if (value !== undefined && value !== null) {
			parts.push(`${key}: ${JSON.stringify(value)}`);
		}
	}
	return parts.join("\n\n");
}

export interface OptimizeInput {
	request: string;
	context?: RequestContext;
	intent: Intent;
	tier: Tier;
	max_tokens: number;
}

export interface Optimized {
	system: string;
	prompt: string;
	max_tokens: number;
	input_tokens: number;
	baseline_input_tokens: number;
	dropped: string[];
}

export function optimizePrompt(input: OptimizeInput): Optimized {
	const system = systemPrompt(input.intent, input.tier);
	const ctx = renderContext(input.context);
	const prompt = ctx ? `${input.request.trim()}\n\n${ctx}` : input.request.trim();
	return {
		system,
		prompt,
		max_tokens: input.max_tokens,
		input_tokens: countMessageTokens([
			{ role: "system", content: system },
			{ role: "user", content: prompt },
		]),
		baseline_input_tokens: countMessageTokens([{ role: "user", content: baselinePrompt(input.request, input.context) }]),
		dropped: [],
	};
}
