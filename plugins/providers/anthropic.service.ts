import Anthropic from "@anthropic-ai/sdk";
import type { ServiceSchema } from "moleculer";
import type { ServiceFactoryContext } from "../../lib/runner";
import ProviderMixin, { providerEnv, providerLimits, type CallOptions, type CompleteParams, type Completion, type FinishReason } from "../../mixins/provider.mixin";

const DEFAULT_BASE_URL = "https://api.anthropic.com";

function finishReason(reason: string | null | undefined): FinishReason {
	if (reason === "end_turn" || reason === "stop_sequence") return "stop";
	if (reason === "max_tokens" || reason === "model_context_window_exceeded") return "length";
	if (reason === "refusal") return "content_filter";
	return reason === "tool_use" ? "tool_calls" : "other";
}

function requestBody(params: CompleteParams) {
	// The Messages API takes instructions only as `system`: system turns join it.
	const system = [params.system, ...params.messages.filter(m => m.role === "system").map(m => m.content)].filter(Boolean).join("\n\n");
	const stop = typeof params.stop === "string" ? [params.stop] : params.stop;
	return {
		model: params.model,
		// The Messages API requires an output budget; the mixin always supplies one.
		max_tokens: params.max_tokens!,
		...(system ? { system } : {}),
		// Tool turns never get here (the mixin refuses tools for this provider until they are mapped).
		messages: params.messages.filter(m => m.role === "user" || m.role === "assistant").map(m => ({ role: m.role as "user" | "assistant", content: m.content })),
		...(params.top_p !== undefined ? { top_p: params.top_p } : {}),
		...(stop?.length ? { stop_sequences: stop } : {}),
		...(params.user ? { metadata: { user_id: params.user } } : {}),
		// Anthropic's scale is 0..1 where OpenAI's is 0..2: clamp rather than fail the call.
		...(params.temperature !== undefined ? { temperature: Math.min(params.temperature, 1) } : {}),
	};
}

function toCompletion(msg: Anthropic.Message, params: CompleteParams): Completion {
	const text = msg.content.map(b => (b.type === "text" ? b.text : "")).join("");
	const u = msg.usage;
	return {
		text,
		model: msg.model || params.model,
		// Cache writes and reads are input too (billed at their own rates, counted here at the input rate).
		usage: { input_tokens: u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0), output_tokens: u.output_tokens },
		finish_reason: finishReason(msg.stop_reason),
	};
}

async function complete(client: Anthropic, params: CompleteParams, call: CallOptions): Promise<Completion> {
	const body = requestBody(params);
	if (!call.stream) return toCompletion(await client.messages.create(body, { signal: call.signal }), params);
	// The SDK's stream helper folds the SSE events (message_start … message_delta with usage) into one message.
	const stream = client.messages.stream(body, { signal: call.signal });
	if (call.onDelta) {
		const onDelta = call.onDelta;
		stream.on("text", text => onDelta({ type: "text", text }));
	}
	return toCompletion(await stream.finalMessage(), params);
}

async function listModels(client: Anthropic, signal: AbortSignal): Promise<string[]> {
	const ids: string[] = [];
	for await (const m of client.models.list({}, { signal })) ids.push(m.id);
	return ids;
}

/** Anthropic through the official `@anthropic-ai/sdk`; ANTHROPIC_API_KEY enables it, ANTHROPIC_BASE_URL redirects it. */
export default function anthropicService(ctx: ServiceFactoryContext): ServiceSchema | null {
	const env = providerEnv(ctx, { service: "llm-anthropic", required: ["ANTHROPIC_API_KEY"], optional: { baseURL: ["ANTHROPIC_BASE_URL"] } });
	if (!env) return null;
	const baseURL = env.baseURL ?? DEFAULT_BASE_URL;
	const { timeoutMs } = providerLimits("anthropic", ctx.config, ctx.env);
	return {
		name: "llm-anthropic",
		mixins: [
			ProviderMixin({
				provider: "anthropic",
				config: ctx.config,
				env: ctx.env,
				baseUrl: baseURL,
				// maxRetries 0: Moleculer's retry policy is the only retry, so the circuit breaker sees every failure.
				client: () => new Anthropic({ apiKey: env.ANTHROPIC_API_KEY!, baseURL, maxRetries: 0, timeout: timeoutMs }),
				complete,
				listModels,
			}),
		],
	};
}
