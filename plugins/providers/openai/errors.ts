/**
 * What OpenAI-compatible servers, and proxies in front of them, answer off OpenAI's wire format, read into it, so the
 * caller hears the server's own sentence. The `openai` SDK reads an error's sentence from `{error: {message}}` only: vLLM's
 * `{"object": "error", "message": ...}` or FastAPI's `{"detail": ...}` became "400 status code (no body)", and a proxy's
 * HTML page went into the message whole.
 * @see https://platform.openai.com/docs/guides/error-codes
 */

import { condensedText } from "../../../lib/provider-errors";

/**
 * An error body in OpenAI's shape, `{error: {message, ...}}`, whatever shape it came in: vLLM's and llama.cpp's flat
 * `{message, type, code}`, FastAPI's `{detail}`, LM Studio's `{error: "<sentence>"}`; else the body itself, condensed.
 */
export function openaiErrorBody(body: unknown): unknown {
	if (!body || typeof body !== "object" || Array.isArray(body)) return body;
	const b = body as Record<string, unknown>;
	if (b.error && typeof b.error === "object") return body;
	if (typeof b.error === "string") return { error: { message: b.error } };
	if (typeof b.message === "string") return { error: b };
	if (b.detail !== undefined) return { error: { message: typeof b.detail === "string" ? b.detail : condensedText(JSON.stringify(b.detail)) } };
	return { error: { message: condensedText(JSON.stringify(body)) } };
}
