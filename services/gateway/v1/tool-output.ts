import { CHARS_PER_TOKEN } from "../../../lib/compaction/compact";
import type { FinishReason } from "../../../lib/contracts/complete";
import type { NeutralRequest } from "./neutral";

/**
 * Whether a downstream tool's raw output (a file, a listing, search hits) can be the whole answer
 * to a /v1 call the pipeline routed to a tool. Not when the client asked for something the raw
 * output cannot honour: its own tools (an agent's tools always win), a system prompt (it says how
 * to answer: "reply in French", "only the function names"), or a structured `response_format`
 * (JSON the file is not). Such a call goes to the LLM tier chain instead: precision first, as
 * for every zero-token route. `stop` and `max_tokens` can be honoured, by `limitToolOutput`.
 */
export function toolOutputAnswers(req: Pick<NeutralRequest, "system" | "messages" | "options">): boolean {
	if (req.options.tools?.length) return false;
	// Anthropic's top-level system, or OpenAI's system / developer messages (kept in the list).
	if (req.system?.trim() || req.messages.some(m => m.role === "system" && m.content.trim())) return false;
	const format = req.options.response_format?.type;
	return format === undefined || format === "text";
}

export interface LimitedOutput {
	text: string;
	finish_reason: FinishReason;
	/** The stop sequence the text was cut at (Anthropic reports it as stop_sequence). */
	stop_sequence?: string;
}

/**
 * The tool's output as a model would have returned it under the caller's `stop` and `max_tokens`:
 * cut before the first stop sequence (finish "stop", the sequence named), else cut at the output
 * budget (finish "length"). The budget is in tokens and the gateway does not load the tokenizer
 * (lib/tokens.ts: 1.7 s of CPU), so it is measured at compaction's estimate, CHARS_PER_TOKEN
 * characters per token.
 */
export function limitToolOutput(text: string, limits: { stop?: string | string[]; max_tokens?: number }): LimitedOutput {
	const stops = (typeof limits.stop === "string" ? [limits.stop] : (limits.stop ?? [])).filter(s => s.length > 0);
	let cut = text;
	let stop_sequence: string | undefined;
	for (const s of stops) {
		const at = cut.indexOf(s);
		if (at >= 0) {
			cut = cut.slice(0, at);
			stop_sequence = s;
		}
	}
	const maxChars = limits.max_tokens === undefined ? Infinity : Math.floor(limits.max_tokens * CHARS_PER_TOKEN);
	if (cut.length > maxChars) {
		// Never half a surrogate pair: the cut falls before an emoji rather than inside it.
		const end = maxChars > 0 && /[\uD800-\uDBFF]/.test(cut[maxChars - 1]) ? maxChars - 1 : maxChars;
		return { text: cut.slice(0, end), finish_reason: "length" };
	}
	return stop_sequence === undefined ? { text: cut, finish_reason: "stop" } : { text: cut, finish_reason: "stop", stop_sequence };
}
