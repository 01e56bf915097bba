import { createHash } from "node:crypto";
import { countTokens } from "../../lib/tokens";
import { codeSpans } from "./code";
import { compressText } from "./compress";
import { missingTerms, protectedTerms } from "./terms";

/**
 * The LLM prompt strategy's pure parts: the instruction, when a rewrite is worth asking for, and
 * whether the answer may replace the request. Which model is asked: mixins/cheapest-llm.mixin.ts.
 */

export const REWRITE_SYSTEM =
	"Rewrite the user's request as a shorter prompt for another model. Keep every identifier, file path, " +
	"number, version, quoted string, flag and product name exactly as written, and every requirement and " +
	"constraint. Drop greetings, politeness and backstory that does not change the task. Reply with the rewritten request only.";

/** Below this many tokens a rewrite cannot save what the call to get it costs. */
export const MIN_REWRITE_TOKENS = 24;

/** Bump when REWRITE_SYSTEM changes, so cached rewrites of the old instruction are not reused. */
const VERSION = 1;

export function rewriteCacheKey(request: string, intent: string, tier: string): string {
	const hash = createHash("sha256")
		.update(JSON.stringify([VERSION, intent, tier, request]))
		.digest("hex");
	return `prompt.rewrite:${hash}`;
}

/** Output room for the rewrite: never more than the request itself, plus a little slack. */
export function rewriteMaxTokens(request: string): number {
	return Math.min(4096, countTokens(request) + 32);
}

export type Verdict = { ok: true; text: string } | { ok: false; reason: string };

/** The 1-based lines a span covers, `3-9` (or `3`). */
function lineRange(text: string, s: { start: number; end: number }): string {
	const from = text.slice(0, s.start).split("\n").length;
	const to = from + text.slice(s.start, s.end).split("\n").length - 1;
	return to > from ? `${from}-${to}` : String(from);
}

/**
 * A rewrite replaces the request only if it keeps every protected term and every line of pasted code verbatim, and is
 * shorter than the rule-based compression.
 */
export function checkRewrite(request: string, rewrite: string): Verdict {
	const text = rewrite
		.trim()
		.replace(/^```\w*\n?|\n?```$/g, "")
		.trim();
	if (!text) return { ok: false, reason: "empty rewrite" };
	const missing = missingTerms(protectedTerms(request), text);
	if (missing.length) return { ok: false, reason: `rewrite lost ${missing.map(t => JSON.stringify(t)).join(", ")}` };
	// Pasted code is held to its bytes, as compression holds it (prompt/code.ts): a rewrite that re-indents it changes it.
	const code = codeSpans(request).filter(s => !text.includes(request.slice(s.start, s.end)));
	if (code.length) return { ok: false, reason: `rewrite changed pasted code (lines ${code.map(s => lineRange(request, s)).join(", ")})` };
	const rule = compressText(request).text;
	if (countTokens(text) >= countTokens(rule)) return { ok: false, reason: "rewrite not shorter than the default compression" };
	return { ok: true, text };
}
