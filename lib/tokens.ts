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

export function countTokens(text: string): number {
	if (!text) return 0;
	return enc().encode(text).length;
}

/** Chat framing overhead per message, as OpenAI documents for its chat models. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

export function countMessageTokens(messages: { role: string; content: string }[]): number {
	return messages.reduce((n, m) => n + countTokens(m.content) + MESSAGE_OVERHEAD_TOKENS, 3);
}
