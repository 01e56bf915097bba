import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { countMessageTokens, countTokens } from "../../../lib/tokens";
import type { CallOptions, CompleteParams, Completion, FinishReason } from "../../../mixins/provider.mixin";

/**
 * OpenAI Chat Completions mapping, shared by the OpenAI service and every OpenAI-compatible
 * server (Ollama, vLLM, LM Studio, llama.cpp server): only the client's base URL, the key and
 * the name of the output-budget field differ.
 */
export interface OpenAIChatOptions {
	/** OpenAI's current models take max_completion_tokens; most compatible servers still read max_tokens. */
	maxTokensField: "max_completion_tokens" | "max_tokens";
}

export function openaiClient(opts: { apiKey: string; baseURL: string; timeoutMs: number }): OpenAI {
	return new OpenAI({
		apiKey: opts.apiKey,
		baseURL: opts.baseURL,
		// Moleculer's retry policy is the only retry: SDK retries would hide failures from the
		// circuit breaker and multiply the wait before the orchestrator can fail over.
		maxRetries: 0,
		timeout: opts.timeoutMs,
	});
}

function finishReason(reason: string | null | undefined): FinishReason {
	if (reason === "stop" || reason === "length" || reason === "content_filter" || reason === "tool_calls") return reason;
	return reason === "function_call" ? "tool_calls" : "other";
}

function requestBody(params: CompleteParams, o: OpenAIChatOptions) {
	const messages: ChatCompletionMessageParam[] = [
		...(params.system ? [{ role: "system" as const, content: params.system }] : []),
		...params.messages.map(m => ({ role: m.role, content: m.content })),
	];
	return {
		model: params.model,
		messages,
		[o.maxTokensField]: params.max_tokens,
		...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
	};
}

/** Vendor usage when reported; some compatible servers omit it on streams, then a local count stands in. */
function usageOf(usage: OpenAI.CompletionUsage | null | undefined, params: CompleteParams, text: string) {
	if (usage) return { input_tokens: usage.prompt_tokens ?? 0, output_tokens: usage.completion_tokens ?? 0 };
	const messages = params.system ? [{ role: "system", content: params.system }, ...params.messages] : params.messages;
	return { input_tokens: countMessageTokens(messages), output_tokens: countTokens(text) };
}

export function openaiComplete(o: OpenAIChatOptions) {
	return async (client: OpenAI, params: CompleteParams, call: CallOptions): Promise<Completion> => {
		const body = requestBody(params, o);
		if (!call.stream) {
			const res = await client.chat.completions.create({ ...body, stream: false }, { signal: call.signal });
			const choice = res.choices[0];
			const text = choice?.message?.content ?? "";
			return { text, model: res.model || params.model, usage: usageOf(res.usage, params, text), finish_reason: finishReason(choice?.finish_reason) };
		}
		const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal: call.signal });
		let text = "";
		let model = params.model;
		let reason: string | null | undefined;
		let usage: OpenAI.CompletionUsage | null | undefined;
		for await (const chunk of stream) {
			const choice = chunk.choices[0];
			text += choice?.delta?.content ?? "";
			reason = choice?.finish_reason ?? reason;
			usage = chunk.usage ?? usage;
			model = chunk.model || model;
		}
		return { text, model, usage: usageOf(usage, params, text), finish_reason: finishReason(reason) };
	};
}

export async function openaiListModels(client: OpenAI, signal: AbortSignal): Promise<string[]> {
	const ids: string[] = [];
	for await (const m of client.models.list({ signal })) ids.push(m.id);
	return ids;
}
