import Anthropic from "@anthropic-ai/sdk";
import type { ServiceSchema } from "moleculer";
import type { ThinkingBlock } from "../../lib/contracts/complete";
import type { ServiceFactoryContext } from "../../lib/runner";
import { toolArgumentsObject } from "../../lib/tool-arguments";
import { notAnAnswer } from "../../lib/provider-errors";
import { plainCallId } from "../../lib/tool-call-id";
import { vendorFetch } from "../../lib/vendor-fetch";
import { BLANK_USER_TURN, hasText } from "./blank-turns";
import ProviderMixin, {
	providerEnv,
	providerLimits,
	type CallOptions,
	type CompleteParams,
	type Completion,
	type FinishReason,
} from "../../mixins/provider.mixin";

const DEFAULT_BASE_URL = "https://api.anthropic.com";

function finishReason(reason: string | null | undefined): FinishReason {
	if (reason === "end_turn" || reason === "stop_sequence") return "stop";
	if (reason === "max_tokens" || reason === "model_context_window_exceeded") return "length";
	if (reason === "refusal") return "content_filter";
	return reason === "tool_use" ? "tool_calls" : "other";
}

type Block =
	| Anthropic.TextBlockParam
	| Anthropic.ToolUseBlockParam
	| Anthropic.ToolResultBlockParam
	| Anthropic.ThinkingBlockParam
	| Anthropic.RedactedThinkingBlockParam;

/**
 * OpenAI-shaped turns as Messages API turns: an assistant's tool calls are tool_use blocks, a
 * `tool` message a tool_result block in a user turn; adjacent turns of one role are joined (the
 * API wants tool results of one assistant turn together in the next user turn). A cache_control
 * breakpoint goes on the message's last block.
 */
function messagesOf(messages: CompleteParams["messages"]): Anthropic.MessageParam[] {
	const out: { role: "user" | "assistant"; content: Block[] }[] = [];
	for (const m of messages) {
		if (m.role === "system") continue;
		const role = m.role === "assistant" ? "assistant" : "user";
		const blocks: Block[] = [];
		// A Gemini thought signature riding in a call id stays out (lib/tool-call-id.ts): Anthropic takes [A-Za-z0-9_-] only.
		if (m.role === "tool")
			blocks.push({ type: "tool_result", tool_use_id: plainCallId(m.tool_call_id ?? ""), content: m.content, ...(m.is_error ? { is_error: true } : {}) });
		else if (hasText(m.content)) blocks.push({ type: "text", text: m.content });
		for (const c of m.tool_calls ?? [])
			blocks.push({ type: "tool_use", id: plainCallId(c.id), name: c.function.name, input: toolArgumentsObject(c.function.arguments) });
		// Claude's reasoning before the turn's text and calls, as received (the API checks its signature).
		if (role === "assistant" && blocks.length && m.thinking?.length) blocks.unshift(...m.thinking);
		const last = out[out.length - 1];
		// A turn without text (./blank-turns.ts): an assistant's is left out, a user's is its ask unless it joins a user turn.
		if (!blocks.length) {
			if (role === "assistant" || last?.role === "user") {
				// Its breakpoint stays where the prefix it marked ends: on the block before it.
				const before = last?.content.at(-1);
				if (m.cache_control && before) last!.content[last!.content.length - 1] = { ...before, cache_control: m.cache_control } as Block;
				continue;
			}
			blocks.push({ type: "text", text: BLANK_USER_TURN });
		}
		if (m.cache_control) blocks[blocks.length - 1] = { ...blocks[blocks.length - 1], cache_control: m.cache_control } as Block;
		if (last?.role === role) last.content.push(...blocks);
		else out.push({ role, content: blocks });
	}
	// A lone text block without a breakpoint goes as the plain string the API also takes.
	return out.map(m =>
		m.content.length === 1 && m.content[0].type === "text" && !m.content[0].cache_control ? { role: m.role, content: m.content[0].text } : m,
	);
}

/** OpenAI tool_choice as Anthropic's: required is any, a named function is tool. */
/** OpenAI's tool_choice as Anthropic's; parallel_tool_calls false is its disable_parallel_tool_use (not on `none`). */
function toolChoiceOf(choice: CompleteParams["tool_choice"], parallel?: boolean): Anthropic.ToolChoice | undefined {
	if (parallel === false && choice !== "none")
		return { ...(toolChoiceOf(choice) ?? { type: "auto" }), disable_parallel_tool_use: true } as Anthropic.ToolChoice;
	if (choice === undefined) return undefined;
	if (choice === "auto") return { type: "auto" };
	if (choice === "required") return { type: "any" };
	if (choice === "none") return { type: "none" };
	return { type: "tool", name: choice.function.name };
}

/** The JSON schema of an OpenAI json_schema response_format ({name, schema, strict}); any object when it gives none. */
function schemaOf(format: Record<string, unknown>): Record<string, unknown> {
	return format.schema && typeof format.schema === "object" ? (format.schema as Record<string, unknown>) : { type: "object" };
}

/**
 * The call's `thinking`, unless it continues a tool loop whose assistant turn carries no reasoning (another vendor
 * answered it, or thinking was off), or forces a tool call (tool_choice required or a named function): the API refuses
 * thinking in either case ("a final assistant message must start with a thinking block", "Thinking may not be enabled
 * when tool_choice forces tool use"), so Claude answers this step without thinking, as LiteLLM does.
 */
function thinkingOf(params: CompleteParams): CompleteParams["thinking"] {
	if (!params.thinking) return undefined;
	if (params.tools?.length && (params.tool_choice === "required" || typeof params.tool_choice === "object")) return undefined;
	const last = [...params.messages].reverse().find(m => m.role === "assistant");
	return last?.tool_calls?.length && !last.thinking?.length ? undefined : params.thinking;
}

function requestBody(params: CompleteParams) {
	// The Messages API takes instructions only as `system`: system turns join it. A system turn with a
	// cache_control breakpoint (an Anthropic client's system block) keeps it: system goes as text blocks.
	const turns = params.messages.filter(m => m.role === "system" && m.content);
	const system: string | Anthropic.TextBlockParam[] = turns.some(m => m.cache_control)
		? [
				...(params.system ? [{ type: "text" as const, text: params.system }] : []),
				...turns.map(m => ({ type: "text" as const, text: m.content, ...(m.cache_control ? { cache_control: m.cache_control } : {}) })),
			]
		: [params.system, ...turns.map(m => m.content)].filter(Boolean).join("\n\n");
	const stop = typeof params.stop === "string" ? [params.stop] : params.stop;
	const toolChoice = toolChoiceOf(params.tool_choice, params.tools?.length ? params.parallel_tool_calls : undefined);
	const thinking = thinkingOf(params);
	return {
		model: params.model,
		// The Messages API requires an output budget; the mixin always supplies one.
		max_tokens: params.max_tokens!,
		...(system ? { system } : {}),
		messages: messagesOf(params.messages),
		...(params.tools?.length
			? {
					tools: params.tools.map(t => ({
						name: t.function.name,
						...(t.function.description ? { description: t.function.description } : {}),
						input_schema: (t.function.parameters ?? { type: "object" }) as Anthropic.Tool.InputSchema,
						...(t.function.strict !== undefined ? { strict: t.function.strict } : {}),
					})),
				}
			: {}),
		...(toolChoice ? { tool_choice: toolChoice } : {}),
		...(stop?.length ? { stop_sequences: stop } : {}),
		...(thinking ? { thinking } : {}),
		...(params.user ? { metadata: { user_id: params.user } } : {}),
		// Structured output: a JSON schema is Anthropic's output_config.format (API version 2026-10-21).
		...(params.response_format?.type === "json_schema"
			? { output_config: { format: { type: "json_schema" as const, schema: schemaOf(params.response_format.json_schema) } } }
			: {}),
		// No temperature or top_p: API version 2026-10-21, which SDK 1.x sends, refuses every sampling field at any value
		// (400 "temperature: Extra inputs are not permitted"), and a call carrying one went to another vendor instead.
		// Claude samples at its default, as Anthropic's migration guide has callers do.
	};
}

/**
 * The message of a 200, or what came instead as an error: an error body (`{type: "error", error}`, read as the SDK reads
 * one inside a stream), else a NotAnAnswerError (a proxy's page). Read blindly, a page failed with "Cannot read
 * properties of undefined (reading 'map')".
 */
function messageOf(res: unknown): Anthropic.Message {
	const r = res && typeof res === "object" && !Array.isArray(res) ? (res as { content?: unknown; error?: unknown }) : undefined;
	if (Array.isArray(r?.content)) return r as Anthropic.Message;
	if (r?.error && typeof r.error === "object") throw new Anthropic.APIError(undefined, res as object, undefined, new Headers());
	throw notAnAnswer("message", res);
}

function toCompletion(res: Anthropic.Message, params: CompleteParams): Completion {
	const msg = messageOf(res);
	const text = msg.content.map(b => (b.type === "text" ? b.text : "")).join("");
	const toolCalls = msg.content.flatMap(b =>
		b.type === "tool_use" ? [{ id: b.id, type: "function" as const, function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } }] : [],
	);
	const thinking = msg.content.flatMap((b): ThinkingBlock[] =>
		b.type === "thinking"
			? [{ type: "thinking", thinking: b.thinking, signature: b.signature }]
			: b.type === "redacted_thinking"
				? [{ type: "redacted_thinking", data: b.data }]
				: [],
	);
	const u = msg.usage;
	return {
		text,
		model: msg.model || params.model,
		// Cache writes and reads are input too (billed at their own rates, counted here at the input rate).
		// An Anthropic-compatible endpoint may leave usage out: null, priced from our own count (never made up as the vendor's).
		usage: u
			? { input_tokens: u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0), output_tokens: u.output_tokens }
			: null,
		finish_reason: finishReason(msg.stop_reason),
		...(msg.stop_reason === "stop_sequence" && msg.stop_sequence ? { stop_sequence: msg.stop_sequence } : {}),
		...(toolCalls.length ? { tool_calls: toolCalls } : {}),
		...(thinking.length ? { thinking } : {}),
	};
}

async function complete(client: Anthropic, params: CompleteParams, call: CallOptions): Promise<Completion> {
	const body = requestBody(params);
	// The client's beta features (Claude Code's interleaved thinking, a 1M context window, ...), as its header asked.
	const options = { signal: call.signal, ...(params.anthropic_beta?.length ? { headers: { "anthropic-beta": params.anthropic_beta.join(",") } } : {}) };
	if (!call.stream) return toCompletion(await client.messages.create(body, options), params);
	// The SDK's stream helper folds the SSE events (message_start … message_delta with usage) into one message.
	const stream = client.messages.stream(body, options);
	const onDelta = call.onDelta;
	if (onDelta) {
		// Content blocks are numbered across text and tool_use; tool calls get their own index, as OpenAI's.
		const calls = new Map<number, number>();
		// The tool_use blocks whose input came in pieces; one without any (a tool taking no arguments: Claude streams a
		// single empty partial_json) gets "{}" when it ends, as the unstreamed answer and OpenAI's streams say it. An empty
		// string broke an OpenAI client's JSON.parse of the arguments.
		const argued = new Set<number>();
		// Reasoning blocks get their own index too: the thinking in pieces, then its signature; a redacted block whole.
		const thoughts = new Map<number, number>();
		stream.on("streamEvent", e => {
			if (e.type === "content_block_start" && (e.content_block.type === "thinking" || e.content_block.type === "redacted_thinking")) {
				thoughts.set(e.index, thoughts.size);
				const data = e.content_block.type === "redacted_thinking" ? { data: e.content_block.data } : {};
				onDelta({ type: "thinking", index: thoughts.get(e.index)!, ...data });
			} else if (e.type === "content_block_delta" && e.delta.type === "thinking_delta" && thoughts.has(e.index) && e.delta.thinking)
				onDelta({ type: "thinking", index: thoughts.get(e.index)!, thinking: e.delta.thinking });
			else if (e.type === "content_block_delta" && e.delta.type === "signature_delta" && thoughts.has(e.index))
				onDelta({ type: "thinking", index: thoughts.get(e.index)!, signature: e.delta.signature });
			else if (e.type === "content_block_start" && e.content_block.type === "tool_use") {
				calls.set(e.index, calls.size);
				onDelta({ type: "tool_call", index: calls.get(e.index)!, id: e.content_block.id, name: e.content_block.name });
			} else if (e.type === "content_block_delta" && e.delta.type === "text_delta" && e.delta.text) onDelta({ type: "text", text: e.delta.text });
			else if (e.type === "content_block_delta" && e.delta.type === "input_json_delta" && calls.has(e.index) && e.delta.partial_json) {
				argued.add(e.index);
				onDelta({ type: "tool_call", index: calls.get(e.index)!, arguments: e.delta.partial_json });
			} else if (e.type === "content_block_stop" && calls.has(e.index) && !argued.has(e.index)) {
				onDelta({ type: "tool_call", index: calls.get(e.index)!, arguments: "{}" });
			}
		});
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
				// vendorFetch: Node's fetch without its per-request clone of the body (lib/vendor-fetch.ts).
				client: () => new Anthropic({ apiKey: env.ANTHROPIC_API_KEY!, baseURL, maxRetries: 0, timeout: timeoutMs, fetch: vendorFetch }),
				complete,
				// Function tools map to tool_use / tool_result; a json_schema response_format to output_config.format (no plain JSON mode);
				// `thinking` and reasoning blocks pass as they are.
				supports: ["tools", "parallel_tool_calls", "json_schema"],
				listModels,
			}),
		],
	};
}
