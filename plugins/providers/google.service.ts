import { randomBytes } from "node:crypto";
import { FunctionCallingConfigMode, GoogleGenAI, type Content, type GenerateContentResponse, type Part } from "@google/genai";
import type { ToolCall } from "../../lib/contracts/complete";
import type { ServiceSchema } from "moleculer";
import { durationMs, readVendorError, type VendorFailure } from "../../lib/provider-errors";
import type { ServiceFactoryContext } from "../../lib/runner";
import { plainCallId, splitSignature, withSignature } from "../../lib/tool-call-id";
import { toolArgumentsObject } from "../../lib/tool-arguments";
import { BLANK_USER_TURN, hasText } from "./blank-turns";
import ProviderMixin, {
	providerEnv,
	providerLimits,
	type CallOptions,
	type CompleteParams,
	type Completion,
	type FinishReason,
} from "../../mixins/provider.mixin";

function finishReason(reason: string | undefined): FinishReason {
	if (reason === "STOP") return "stop";
	if (reason === "MAX_TOKENS") return "length";
	if (reason && /SAFETY|RECITATION|BLOCKLIST|PROHIBITED|SPII|IMAGE_SAFETY/.test(reason)) return "content_filter";
	// A turn with function calls ends STOP (the caller makes it tool_calls); MALFORMED_FUNCTION_CALL, UNEXPECTED_TOOL_CALL and
	// TOO_MANY_TOOL_CALLS are the model's failures to call one, with no call to run: read as tool_calls, a client's agent
	// loop was told to run tools it was not given.
	return "other";
}

/**
 * OpenAI-shaped turns as Gemini contents: an assistant's tool calls are functionCall parts of a
 * model turn; a `tool` message a functionResponse part (named after the call it answers, which
 * Gemini matches by name) of a user turn; adjacent turns of one role are joined, so all responses
 * to one model turn travel together.
 */
function contentsOf(messages: CompleteParams["messages"]): Content[] {
	const names = new Map<string, string>();
	const out: Content[] = [];
	for (const m of messages) {
		if (m.role === "system") continue;
		const role = m.role === "assistant" ? "model" : "user";
		const parts: Part[] = [];
		if (m.role === "tool") {
			const name = names.get(m.tool_call_id ?? "") ?? m.tool_call_id ?? "tool";
			const id = m.tool_call_id ? plainCallId(m.tool_call_id) : undefined;
			// A failed tool's result (Anthropic's is_error): Gemini reads a response's `error` field as the failure.
			parts.push({ functionResponse: { ...(id ? { id } : {}), name, response: m.is_error ? { error: m.content } : { content: m.content } } });
		} else if (hasText(m.content)) parts.push({ text: m.content });
		for (const c of m.tool_calls ?? []) {
			names.set(c.id, c.function.name);
			// The signature Gemini gave this call goes back beside it (lib/tool-call-id.ts).
			const { id, signature } = splitSignature(c.id);
			parts.push({
				functionCall: { id, name: c.function.name, args: toolArgumentsObject(c.function.arguments) },
				...(signature ? { thoughtSignature: signature } : {}),
			});
		}
		const last = out[out.length - 1];
		// A turn without text (./blank-turns.ts): a model turn is left out, a user's is its ask unless it joins a user turn.
		if (!parts.length) {
			if (role === "model" || last?.role === "user") continue;
			parts.push({ text: BLANK_USER_TURN });
		}
		if (last?.role === role) last.parts!.push(...parts);
		else out.push({ role, parts });
	}
	return out;
}

/** OpenAI tool_choice as Gemini's function-calling mode: required is ANY, a named function ANY limited to it. */
function toolConfigOf(choice: CompleteParams["tool_choice"]) {
	if (choice === undefined) return undefined;
	if (choice === "auto") return { functionCallingConfig: { mode: FunctionCallingConfigMode.AUTO } };
	if (choice === "none") return { functionCallingConfig: { mode: FunctionCallingConfigMode.NONE } };
	if (choice === "required") return { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } };
	return { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: [choice.function.name] } };
}

/** OpenAI response_format as Gemini's JSON output: a MIME type, and the schema when one is given. */
function responseFormatOf(format: CompleteParams["response_format"]) {
	if (!format || format.type === "text") return {};
	if (format.type === "json_object") return { responseMimeType: "application/json" };
	const schema = (format.json_schema as { schema?: unknown }).schema;
	return { responseMimeType: "application/json", ...(schema ? { responseJsonSchema: schema } : {}) };
}

/** Gemini 2.5's largest thinking budgets: Pro 32768, Flash and Flash-Lite 24576. */
const MAX_THINKING_BUDGET = { pro: 32_768, other: 24_576 };

/**
 * The call's `thinking` (an Anthropic client's, or an OpenAI client's reasoning effort) as Gemini 2.5's thinking budget:
 * `enabled` its budget_tokens, held to the model's largest; `adaptive` the dynamic budget (-1, the model decides). Other
 * Gemini models (no thinking budget) and calls without thinking get none: Flash and Pro then think on their own.
 * @see https://ai.google.dev/gemini-api/docs/thinking#set-budget
 */
function thinkingConfigOf(params: CompleteParams) {
	if (!params.thinking || !/^gemini-2\.5-/.test(params.model)) return {};
	if (params.thinking.type === "adaptive") return { thinkingConfig: { thinkingBudget: -1 } };
	const max = /-pro\b/.test(params.model) ? MAX_THINKING_BUDGET.pro : MAX_THINKING_BUDGET.other;
	return { thinkingConfig: { thinkingBudget: Math.min(params.thinking.budget_tokens, max) } };
}

function request(params: CompleteParams, call: CallOptions) {
	// Gemini takes instructions only as systemInstruction: system turns join it.
	const system = [params.system, ...params.messages.filter(m => m.role === "system").map(m => m.content)].filter(Boolean).join("\n\n");
	const stop = typeof params.stop === "string" ? [params.stop] : params.stop;
	const toolConfig = toolConfigOf(params.tool_choice);
	return {
		model: params.model,
		contents: contentsOf(params.messages),
		config: {
			...(system ? { systemInstruction: system } : {}),
			maxOutputTokens: params.max_tokens,
			...(params.top_p !== undefined ? { topP: params.top_p } : {}),
			...(stop?.length ? { stopSequences: stop } : {}),
			...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
			...(params.seed !== undefined ? { seed: params.seed } : {}),
			// No penalties: Gemini 2.5 answers any non-zero one with 400 "Penalty is not enabled for this model".
			...(params.tools?.length
				? {
						tools: [
							{
								functionDeclarations: params.tools.map(t => ({
									name: t.function.name,
									...(t.function.description ? { description: t.function.description } : {}),
									...(t.function.parameters ? { parametersJsonSchema: t.function.parameters } : {}),
								})),
							},
						],
					}
				: {}),
			...(toolConfig ? { toolConfig } : {}),
			...responseFormatOf(params.response_format),
			...thinkingConfigOf(params),
			abortSignal: call.signal,
		},
	};
}

/** Text of the first candidate without thought parts (read directly: the SDK's `.text` getter warns on stderr). */
function textOf(res: GenerateContentResponse): string {
	return (res.candidates?.[0]?.content?.parts ?? []).map(p => (p.thought ? "" : (p.text ?? ""))).join("");
}

/**
 * Function calls of the first candidate, in our (OpenAI's) shape. Gemini ids them only sometimes: the others get an id
 * unique to this answer (`call_<answer>_<n>`), since a conversation's ids must not repeat across turns (Anthropic
 * refuses duplicate tool_use ids, and compaction names a repeated output by the call it answered).
 */
function callsOf(res: GenerateContentResponse, from: number, answer: string): ToolCall[] {
	return (res.candidates?.[0]?.content?.parts ?? [])
		.filter(p => p.functionCall)
		.map((p, i) => ({
			// A thinking model's signature rides in the id, back to Gemini on the next turn (lib/tool-call-id.ts).
			id: withSignature(p.functionCall!.id ?? `call_${answer}_${from + i}`, p.thoughtSignature),
			type: "function" as const,
			function: { name: p.functionCall!.name ?? "", arguments: JSON.stringify(p.functionCall!.args ?? {}) },
		}));
}

async function complete(client: GoogleGenAI, params: CompleteParams, call: CallOptions): Promise<Completion> {
	const req = request(params, call);
	let text = "";
	let last: GenerateContentResponse | undefined;
	let reason: string | undefined;
	const toolCalls: ToolCall[] = [];
	const answer = randomBytes(6).toString("hex");
	if (!call.stream) {
		last = await client.models.generateContent(req);
		text = textOf(last);
		toolCalls.push(...callsOf(last, 0, answer));
		reason = last.candidates?.[0]?.finishReason;
	} else {
		for await (const chunk of await client.models.generateContentStream(req)) {
			const piece = textOf(chunk);
			text += piece;
			if (piece) call.onDelta?.({ type: "text", text: piece });
			// A streamed function call arrives whole in one chunk.
			for (const c of callsOf(chunk, toolCalls.length, answer)) {
				call.onDelta?.({ type: "tool_call", index: toolCalls.length, id: c.id, name: c.function.name, arguments: c.function.arguments });
				toolCalls.push(c);
			}
			reason = chunk.candidates?.[0]?.finishReason ?? reason;
			last = chunk;
		}
		// Gemini's last chunk carries the finishReason; a body that ends without one was cut off (a proxy or the vendor
		// closed it cleanly): a failure, not an answer, as the OpenAI mapping reads a stream without its finish_reason. Taken
		// for an answer, the cut text was a `stop`, and the completion cache served it again. A prompt Gemini blocked ends
		// with its promptFeedback instead, and stays the empty answer it was.
		if (!reason && !last?.promptFeedback?.blockReason) throw new Error("the vendor's stream ended before its finishReason (truncated answer)");
	}
	const u = last?.usageMetadata;
	return {
		text,
		model: last?.modelVersion || params.model,
		// Gemini 2.5 bills its thinking tokens as output. No usageMetadata: no usage, never zeros passed off as the vendor's.
		usage: u ? { input_tokens: u.promptTokenCount ?? 0, output_tokens: (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0) } : null,
		// Gemini ends a turn of function calls with STOP: the calls say what the turn was.
		finish_reason: toolCalls.length && reason === "STOP" ? "tool_calls" : finishReason(reason),
		...(toolCalls.length ? { tool_calls: toolCalls } : {}),
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
				// Function tools map to functionDeclarations / functionCall / functionResponse; JSON output to responseMimeType.
				supports: ["tools", "response_format"],
				maxStopSequences: 5,
				listModels,
				readError: readGeminiError,
			}),
		],
	};
}
