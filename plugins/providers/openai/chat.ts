import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { ToolCall, Usage } from "../../../lib/contracts/complete";
import { condensedText, NotAnAnswerError, notAnAnswer } from "../../../lib/provider-errors";
import { vendorFetch } from "../../../lib/vendor-fetch";
import type { CallOptions, CompleteParams, Completion, FinishReason } from "../../../mixins/provider.mixin";
import { plainCallId } from "../../../lib/tool-call-id";
import { openaiErrorBody } from "./errors";

/**
 * OpenAI Chat Completions mapping, shared by the OpenAI service and every OpenAI-compatible
 * server (Ollama, vLLM, LM Studio, llama.cpp server): only the client's base URL, the key and
 * the name of the output-budget field differ.
 */
export interface OpenAIChatOptions {
	/** OpenAI's current models take max_completion_tokens; most compatible servers still read max_tokens. */
	maxTokensField: "max_completion_tokens" | "max_tokens";
}

/**
 * The SDK with its error reading widened to what OpenAI-compatible servers and proxies answer (./errors.ts): the SDK takes
 * a failure's sentence from `{error: {message}}` only, and a text body (a proxy's HTML page) whole.
 */
class CompatibleOpenAI extends OpenAI {
	protected override makeStatusError(status: number, error: object, message: string | undefined, headers: Headers) {
		return super.makeStatusError(status, openaiErrorBody(error) as object, message === undefined ? message : condensedText(message), headers);
	}
}

export function openaiClient(opts: { apiKey: string; baseURL: string; timeoutMs: number }): OpenAI {
	return new CompatibleOpenAI({
		apiKey: opts.apiKey,
		baseURL: opts.baseURL,
		// Moleculer's retry policy is the only retry: SDK retries would hide failures from the
		// circuit breaker and multiply the wait before the orchestrator can fail over.
		maxRetries: 0,
		timeout: opts.timeoutMs,
		// Node's fetch without its per-request clone of the body (lib/vendor-fetch.ts); redirects are still followed.
		fetch: vendorFetch,
	});
}

function finishReason(reason: string | null | undefined): FinishReason {
	if (reason === "stop" || reason === "length" || reason === "content_filter" || reason === "tool_calls") return reason;
	return reason === "function_call" ? "tool_calls" : "other";
}

/**
 * Our contract is OpenAI's shape: messages, tools and options pass through as they are. `thinking` does not: no catalog
 * OpenAI model is a reasoning model (gpt-4.1, gpt-4o-mini refuse reasoning_effort), so it is left out, as LiteLLM's
 * drop_params does; a local server's model has no such field either.
 */
function requestBody(params: CompleteParams, o: OpenAIChatOptions) {
	const messages = [
		...(params.system ? [{ role: "system" as const, content: params.system }] : []),
		...params.messages.map(m => ({
			role: m.role,
			// A failed tool's result (Anthropic's is_error): OpenAI has no flag, so the text says it.
			content: m.is_error ? `[error] ${m.content}` : m.content,
			// A Gemini thought signature riding in a call id stays out (lib/tool-call-id.ts): OpenAI takes ids of 40 characters.
			...(m.tool_calls?.length ? { tool_calls: m.tool_calls.map(c => ({ ...c, id: plainCallId(c.id) })) } : {}),
			...(m.tool_call_id ? { tool_call_id: plainCallId(m.tool_call_id) } : {}),
		})),
	] as ChatCompletionMessageParam[];
	const optional = {
		temperature: params.temperature,
		top_p: params.top_p,
		seed: params.seed,
		frequency_penalty: params.frequency_penalty,
		presence_penalty: params.presence_penalty,
		// An empty list is no stop sequence: left out (OpenAI's API refuses an empty array in some versions).
		stop: Array.isArray(params.stop) && !params.stop.length ? undefined : params.stop,
		tools: params.tools,
		tool_choice: params.tool_choice,
		// OpenAI takes the switch only beside tools (400 "parallel_tool_calls is only allowed when 'tools' are specified").
		parallel_tool_calls: params.tools?.length ? params.parallel_tool_calls : undefined,
		response_format: params.response_format,
		user: params.user,
	};
	return {
		model: params.model,
		messages,
		[o.maxTokensField]: params.max_tokens,
		...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
	};
}

/** Vendor usage when reported; null when not (some compatible servers omit it on streams): never a local count passed off as the vendor's. */
function usageOf(usage: OpenAI.CompletionUsage | null | undefined): Usage | null {
	return usage ? { input_tokens: usage.prompt_tokens ?? 0, output_tokens: usage.completion_tokens ?? 0 } : null;
}

/** Function tool calls of a message, in our (OpenAI's) shape. */
function toolCallsOf(calls: OpenAI.ChatCompletionMessageToolCall[] | undefined): { tool_calls?: ToolCall[] } {
	const out = (calls ?? []).flatMap(c =>
		c.type === "function" ? [{ id: c.id, type: "function" as const, function: { name: c.function.name, arguments: c.function.arguments } }] : [],
	);
	return out.length ? { tool_calls: out } : {};
}

/**
 * The first choice of a 200, or what came instead as an error: an error object (OpenRouter-style, read as the SDK reads
 * one inside a stream), else a NotAnAnswerError (a proxy's page, no choice at all). Read blindly, a page failed with
 * "Cannot read properties of undefined (reading '0')" and `choices: []` passed for an empty answer.
 */
function firstChoice(res: unknown): OpenAI.ChatCompletion.Choice {
	const r = res && typeof res === "object" && !Array.isArray(res) ? (res as { choices?: unknown; error?: unknown }) : undefined;
	if (Array.isArray(r?.choices) && r.choices.length) return r.choices[0] as OpenAI.ChatCompletion.Choice;
	if (r?.error && typeof r.error === "object") throw new OpenAI.APIError(undefined, r.error, undefined, undefined);
	if (Array.isArray(r?.choices)) throw new NotAnAnswerError("the answer is no chat completion (no choice)");
	throw notAnAnswer("chat completion", res);
}

export function openaiComplete(o: OpenAIChatOptions) {
	return async (client: OpenAI, params: CompleteParams, call: CallOptions): Promise<Completion> => {
		const body = requestBody(params, o);
		if (!call.stream) {
			const res = await client.chat.completions.create({ ...body, stream: false }, { signal: call.signal });
			const choice = firstChoice(res);
			const text = choice.message?.content ?? "";
			return {
				text,
				model: res.model || params.model,
				usage: usageOf(res.usage),
				finish_reason: finishReason(choice.finish_reason),
				...toolCallsOf(choice.message?.tool_calls),
			};
		}
		const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal: call.signal });
		let text = "";
		let model = params.model;
		let reason: string | null | undefined;
		let usage: OpenAI.CompletionUsage | null | undefined;
		// Streamed tool calls arrive as fragments keyed by index: the id and name once, the arguments in pieces.
		const calls: { id: string; type: "function"; function: { name: string; arguments: string } }[] = [];
		let chunks = 0;
		for await (const chunk of stream) {
			chunks++;
			const choice = chunk.choices[0];
			const piece = choice?.delta?.content ?? "";
			text += piece;
			if (piece) call.onDelta?.({ type: "text", text: piece });
			for (const d of choice?.delta?.tool_calls ?? []) {
				call.onDelta?.({
					type: "tool_call",
					index: d.index,
					...(d.id ? { id: d.id } : {}),
					...(d.function?.name ? { name: d.function.name } : {}),
					...(d.function?.arguments ? { arguments: d.function.arguments } : {}),
				});
				const c = (calls[d.index] ??= { id: "", type: "function", function: { name: "", arguments: "" } });
				if (d.id) c.id = d.id;
				if (d.function?.name) c.function.name += d.function.name;
				if (d.function?.arguments) c.function.arguments += d.function.arguments;
			}
			reason = choice?.finish_reason ?? reason;
			usage = chunk.usage ?? usage;
			model = chunk.model || model;
		}
		// A body that ends without a finish_reason was cut off (a proxy or the vendor closed it cleanly): a failure, not an answer.
		// None at all: a server that ignores `stream: true` answers one JSON body, in which an SSE reading finds no event.
		if (!reason && !chunks) throw new Error("the vendor's stream sent no chunk (a server that does not stream answers one JSON body)");
		if (!reason) throw new Error("the vendor's stream ended before its finish_reason (truncated answer)");
		const toolCalls = calls.filter(Boolean);
		return { text, model, usage: usageOf(usage), finish_reason: finishReason(reason), ...(toolCalls.length ? { tool_calls: toolCalls } : {}) };
	};
}

export async function openaiListModels(client: OpenAI, signal: AbortSignal): Promise<string[]> {
	const ids: string[] = [];
	for await (const m of client.models.list({ signal })) ids.push(m.id);
	return ids;
}
