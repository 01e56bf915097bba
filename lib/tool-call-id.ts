/**
 * Gemini signs the function calls of a thinking model (`thoughtSignature` on the part) and wants the signature back
 * with that call on the next turn (Gemini 3 refuses a call without it, 400; Gemini 2.5 reasons worse). OpenAI-shaped
 * clients keep nothing but a call's id from turn to turn, so the signature rides in the id, `<id>__thought__<signature>`,
 * as LiteLLM carries it (clients built for LiteLLM already keep such ids). Every other vendor gets the id without it:
 * OpenAI refuses ids over 40 characters and Anthropic any character outside [A-Za-z0-9_-].
 */
export const THOUGHT_MARK = "__thought__";

/** A call id carrying its signature, when there is one. */
export function withSignature(id: string, signature: string | undefined): string {
	return signature ? `${id}${THOUGHT_MARK}${signature}` : id;
}

/** The call's own id and, when the id carries one, its signature. */
export function splitSignature(id: string): { id: string; signature?: string } {
	const at = id.indexOf(THOUGHT_MARK);
	return at < 0 ? { id } : { id: id.slice(0, at), signature: id.slice(at + THOUGHT_MARK.length) || undefined };
}

/** The id as a vendor other than Gemini takes it. */
export const plainCallId = (id: string): string => splitSignature(id).id;
