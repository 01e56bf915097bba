import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";

/**
 * Token counts with OpenAI's o200k_base encoding (GPT-4o/4.1 family). For Anthropic and Gemini
 * models the same count is a documented estimate; the vendor's reported usage corrects it after a call.
 */
let encoder: Tiktoken | undefined;
function enc(): Tiktoken {
	// Loading the ranks costs ~100 ms: do it on first use, not at import.
	encoder ??= new Tiktoken(o200k);
	return encoder;
}

/**
 * BPE merges within one pre-token cost time quadratic in its length: a 100 kB base64 blob or
 * minified line would stall the event loop for minutes. Runs of non-space characters longer
 * than this are counted slice by slice, which can only over-count by a token per slice.
 */
const MAX_RUN = 64;
/** Bounds the per-call memo of slice counts (random blobs never repeat a slice). */
const MAX_REMEMBERED_SLICES = 4096;

/**
 * Counts of recent texts: one request's text is counted by prompt.optimize (baseline and optimized,
 * often the same string) and again by models.complete before and after the call. Bounded in entries
 * and in the length of a remembered text (big contexts are counted on a worker and rarely repeat).
 */
const recent = new Map<string, number>();
const MAX_RECENT = 512;
const MAX_RECENT_CHARS = 16_384;

export function countTokens(text: string): number {
	if (!text) return 0;
	if (text.length > MAX_RECENT_CHARS) return countUncached(text);
	let n = recent.get(text);
	if (n === undefined) {
		n = countUncached(text);
		// Oldest first out: a Map iterates in insertion order.
		if (recent.size >= MAX_RECENT) recent.delete(recent.keys().next().value!);
		recent.set(text, n);
	}
	return n;
}

function countUncached(text: string): number {
	const longRun = new RegExp(`\\S{${MAX_RUN + 1},}`, "g");
	if (!longRun.test(text)) return enc().encode(text).length;
	let n = 0;
	// A repetitive run (padding, "=====" rulers, a file of zeros) repeats its slices: each distinct
	// slice is encoded once. Without this a 4 MB run took ~25 s of BPE and stalled the event loop.
	const seen = new Map<string, number>();
	const sliceTokens = (slice: string) => {
		let count = seen.get(slice);
		if (count === undefined) {
			count = enc().encode(slice).length;
			if (seen.size < MAX_REMEMBERED_SLICES) seen.set(slice, count);
		}
		return count;
	};
	let rest = text.replace(longRun, run => {
		for (let i = 0; i < run.length; i += MAX_RUN) n += sliceTokens(run.slice(i, i + MAX_RUN));
		return " ";
	});
	rest = rest.trim();
	return n + (rest ? enc().encode(rest).length : 0);
}

/** Chat framing overhead per message, as OpenAI documents for its chat models. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

export function countMessageTokens(messages: { role: string; content: string }[]): number {
	return messages.reduce((n, m) => n + countTokens(m.content) + MESSAGE_OVERHEAD_TOKENS, 3);
}
