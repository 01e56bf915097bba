import { countTokens, MESSAGE_OVERHEAD_TOKENS } from "../../lib/tokens";
import { identifiers } from "../../lib/compaction/identifiers";

/**
 * The figures `npm run bench:agent` prints, as pure functions of what a call received, what it
 * forwarded and the turn that came next, so they test without a server.
 */

export interface Msg {
	role: string;
	content: string;
}

/** Exact o200k_base counts, remembered per text: a replay sends the same messages again and again. */
const counted = new Map<string, number>();
export function exactTokens(text: string): number {
	let n = counted.get(text);
	if (n === undefined) {
		n = countTokens(text);
		if (counted.size > 200_000) counted.clear();
		counted.set(text, n);
	}
	return n;
}

/** lib/tokens countMessageTokens over remembered counts. */
export function messagesTokens(messages: readonly Msg[]): number {
	let n = 3;
	for (const m of messages) n += exactTokens(m.content) + MESSAGE_OVERHEAD_TOKENS;
	return n;
}

export interface Price {
	input_per_mtok: number;
	cached_input_per_mtok: number;
	output_per_mtok: number;
}

/**
 * The part of a call the vendor's prompt cache can serve: the longest prefix shared with the
 * previous call of the same conversation, in tokens (whole equal messages, then the equal
 * beginning of the first message that differs).
 */
export function cachedPrefixTokens(previous: readonly Msg[] | undefined, current: readonly Msg[]): number {
	if (!previous) return 0;
	let i = 0;
	while (i < previous.length && i < current.length && previous[i].role === current[i].role && previous[i].content === current[i].content) i++;
	let tokens = i ? messagesTokens(current.slice(0, i)) : 0;
	if (i < previous.length && i < current.length && previous[i].role === current[i].role) {
		const a = previous[i].content;
		const b = current[i].content;
		let j = 0;
		while (j < a.length && j < b.length && a.charCodeAt(j) === b.charCodeAt(j)) j++;
		if (j > 0) tokens += countTokens(b.slice(0, j));
	}
	return tokens;
}

export function callCost(price: Price, input: number, cached: number, output: number): { uncached: number; cached: number } {
	const out = (output * price.output_per_mtok) / 1e6;
	return {
		uncached: (input * price.input_per_mtok) / 1e6 + out,
		cached: ((input - cached) * price.input_per_mtok + cached * price.cached_input_per_mtok) / 1e6 + out,
	};
}

/**
 * Of the identifiers the next assistant turn names that were in the received history, which are
 * still in the forwarded one (verbatim, anywhere in the text).
 */
export function identifierRetention(received: readonly Msg[], forwarded: readonly Msg[], next: string): { needed: number; kept: number; lost: string[] } {
	const receivedText = received.map(m => m.content).join("\n");
	const forwardedText = forwarded.map(m => m.content).join("\n");
	const needed = identifiers(next).filter(id => receivedText.includes(id));
	const lost = needed.filter(id => !forwardedText.includes(id));
	return { needed: needed.length, kept: needed.length - lost.length, lost };
}

export function percentile(values: number[], p: number): number {
	if (!values.length) return NaN;
	const s = [...values].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
