import { GoogleGenAI, type Content, type GenerateContentResponse } from "@google/genai";
import type { ServiceSchema } from "moleculer";
import { durationMs, readVendorError, type VendorFailure } from "../../lib/provider-errors";
import type { ServiceFactoryContext } from "../../lib/runner";
import ProviderMixin, { providerEnv, providerLimits, type CallOptions, type CompleteParams, type Completion, type FinishReason } from "../../mixins/provider.mixin";

function finishReason(reason: string | undefined): FinishReason {
	if (reason === "STOP") return "stop";
	if (reason === "MAX_TOKENS") return "length";
	if (reason && /SAFETY|RECITATION|BLOCKLIST|PROHIBITED|SPII|IMAGE_SAFETY/.test(reason)) return "content_filter";
	return reason && /FUNCTION_CALL|TOOL/.test(reason) ? "tool_calls" : "other";
}

function request(params: CompleteParams, call: CallOptions) {
	// Gemini takes instructions only as systemInstruction: system turns join it. Tool turns never get
	// here (the mixin refuses tools for this provider until they are mapped).
	const system = [params.system, ...params.messages.filter(m => m.role === "system").map(m => m.content)].filter(Boolean).join("\n\n");
	const contents: Content[] = params.messages
		.filter(m => m.role === "user" || m.role === "assistant")
		.map(m => ({ role: m.role === "assistant" ? "model" : "user", parts: [{ text: m.content }] }));
	const stop = typeof params.stop === "string" ? [params.stop] : params.stop;
	return {
		model: params.model,
		contents,
		config: {
			...(system ? { systemInstruction: system } : {}),
			maxOutputTokens: params.max_tokens,
			...(params.top_p !== undefined ? { topP: params.top_p } : {}),
			...(stop?.length ? { stopSequences: stop } : {}),
			...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
			abortSignal: call.signal,
		},
	};
}

/** Text of the first candidate without thought parts (read directly: the SDK's `.text` getter warns on stderr). */
function textOf(res: GenerateContentResponse): string {
	return (res.candidates?.[0]?.content?.parts ?? []).map(p => (p.thought ? "" : (p.text ?? ""))).join("");
}

async function complete(client: GoogleGenAI, params: CompleteParams, call: CallOptions): Promise<Completion> {
	const req = request(params, call);
	let text = "";
	let last: GenerateContentResponse | undefined;
	let reason: string | undefined;
	if (!call.stream) {
		last = await client.models.generateContent(req);
		text = textOf(last);
		reason = last.candidates?.[0]?.finishReason;
	} else {
		for await (const chunk of await client.models.generateContentStream(req)) {
			const piece = textOf(chunk);
			text += piece;
			if (piece) call.onDelta?.({ type: "text", text: piece });
			reason = chunk.candidates?.[0]?.finishReason ?? reason;
			last = chunk;
		}
	}
	const u = last?.usageMetadata;
	return {
		text,
		model: last?.modelVersion || params.model,
		// Gemini 2.5 bills its thinking tokens as output. No usageMetadata: no usage, never zeros passed off as the vendor's.
		usage: u ? { input_tokens: u.promptTokenCount ?? 0, output_tokens: (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0) } : null,
		finish_reason: finishReason(reason),
	};
}

async function listModels(client: GoogleGenAI, signal: AbortSignal): Promise<string[]> {
	const ids: string[] = [];
	for await (const m of await client.models.list({ config: { abortSignal: signal } })) if (m.name) ids.push(m.name.replace(/^models\//, ""));
	return ids;
}

/**
 * The SDK's ApiError carries the status and, as its message, the JSON error body
 * `{error: {code, message, status, details}}`; a 429's RetryInfo detail says how long to wait.
 */
export function readGeminiError(err: unknown): VendorFailure {
	const failure = readVendorError(err);
	if (failure.kind !== "http") return failure;
	try {
		const body = JSON.parse(failure.message) as { error?: { message?: string; status?: string; details?: { "@type"?: string; retryDelay?: string }[] } };
		const retry = body.error?.details?.find(d => d["@type"]?.endsWith("google.rpc.RetryInfo"));
		return {
			...failure,
			message: [body.error?.status, body.error?.message].filter(Boolean).join(": ") || failure.message,
			retryAfterMs: failure.retryAfterMs ?? durationMs(retry?.retryDelay),
		};
	} catch {
		return failure;
	}
}

/**
 * Gemini through Google's maintained `@google/genai` SDK. GOOGLE_API_KEY (or GEMINI_API_KEY)
 * enables it; GOOGLE_BASE_URL (or the SDK's own GOOGLE_GEMINI_BASE_URL) redirects it.
 */
export default function googleService(ctx: ServiceFactoryContext): ServiceSchema | null {
	const env = providerEnv(ctx, {
		service: "llm-google",
		required: ["GOOGLE_API_KEY", "GEMINI_API_KEY"],
		optional: { baseUrl: ["GOOGLE_BASE_URL", "GOOGLE_GEMINI_BASE_URL"] },
	});
	if (!env) return null;
	const { timeoutMs } = providerLimits("google", ctx.config, ctx.env);
	return {
		name: "llm-google",
		mixins: [
			ProviderMixin({
				provider: "google",
				config: ctx.config,
				env: ctx.env,
				baseUrl: env.baseUrl ?? "https://generativelanguage.googleapis.com",
				client: () =>
					new GoogleGenAI({
						apiKey: env.GOOGLE_API_KEY!,
						// No retryOptions: the SDK then makes one attempt, and Moleculer's retry policy is the only retry.
						httpOptions: { ...(env.baseUrl ? { baseUrl: env.baseUrl } : {}), timeout: timeoutMs },
					}),
				complete,
				listModels,
				readError: readGeminiError,
			}),
		],
	};
}
