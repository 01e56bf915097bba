/**
 * Anthropic Messages ↔ the neutral model call: system blocks, text / tool_use / tool_result
 * content blocks and `cache_control` in; a `message` object or its SSE event sequence
 * (message_start, content_block_start/delta/stop, message_delta, message_stop) out.
 * Tools: Anthropic `{name, description, input_schema}` ↔ OpenAI function tools; `tool_choice`
 * auto | any | tool | none ↔ auto | required | {function} | none; a tool_use block is an
 * assistant tool call, a tool_result block a `tool` message.
 *
 * @see https://docs.anthropic.com/en/api/messages
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming
 * @see https://docs.anthropic.com/en/docs/build-with-claude/tool-use
 */
import { randomUUID } from "node:crypto";
import type { ChatMessage, ModelsCompleteResult, ModelsStreamEvent, ThinkingBlock, ThinkingConfig, ToolCall } from "../../../lib/contracts/complete";
import { toolArgumentsObject } from "../../../lib/tool-arguments";
import { ApiError, errorBody, shown } from "./api-error";
import type { NeutralRequest } from "./neutral";
import { toAnthropicStopReason } from "./stop-reason";

/** Refused by name unless the value asks for nothing (`mcp_servers: []`). */
const UNSUPPORTED: Record<string, (value: unknown) => boolean> = {
	mcp_servers: v => Array.isArray(v) && v.length === 0,
	container: () => false,
};

/**
 * A text block's text. Any other block is refused by name, never dropped: the neutral call carries text only, so a
 * `document` (a PDF, a text document, its `citations`) or an `image` could reach no vendor, Claude included; what to
 * send instead is said.
 */
function blockText(b: any, where: string): string {
	if (b?.type === "text" && typeof b.text === "string") return b.text;
	const instead = b?.type === "document" ? "send its text in a text block" : "send text, tool_use and tool_result blocks";
	throw new ApiError(
		400,
		`${where}: content blocks of type '${shown(b?.type)}' are not supported by this gateway (it forwards text only): ${instead}`,
		"unsupported_parameter",
		`${where}.type`,
	);
}

function toolResultText(content: unknown, where: string): string {
	if (content === undefined || content === null) return "";
	if (typeof content === "string") return content;
	if (Array.isArray(content)) return content.map((b, j) => blockText(b, `${where}.content[${j}]`)).join("\n");
	throw new ApiError(400, `${where}.content must be a string or text blocks`, "invalid_value", `${where}.content`);
}

/**
 * The request's `thinking`, checked as the Messages API checks it: `enabled` with a budget of at least 1024 tokens,
 * below max_tokens; `adaptive`; `disabled` (or none) is no thinking.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 */
function thinkingConfig(v: any, maxTokens: unknown, counting: boolean): ThinkingConfig | undefined {
	const invalid = (what: string) => new ApiError(400, `thinking: ${what}`, null, "thinking");
	if (v == null || v.type === "disabled") return undefined;
	if (v.type === "adaptive") return { type: "adaptive" };
	if (v.type !== "enabled") throw invalid("type must be 'enabled', 'adaptive' or 'disabled'");
	if (!Number.isInteger(v.budget_tokens) || v.budget_tokens < 1024)
		throw new ApiError(400, "thinking.budget_tokens: must be an integer of at least 1024", null, "thinking.budget_tokens");
	if (!counting && v.budget_tokens >= (maxTokens as number))
		throw new ApiError(400, "max_tokens: must be greater than thinking.budget_tokens", null, "max_tokens");
	return { type: "enabled", budget_tokens: v.budget_tokens };
}

/** An assistant's reasoning block as received (its signature intact), or undefined for any other block. */
function thinkingBlock(b: any, where: string): ThinkingBlock | undefined {
	if (b?.type === "thinking") {
		if (typeof b.thinking !== "string" || typeof b.signature !== "string")
			throw new ApiError(400, `${where}: a thinking block needs its thinking and signature strings`, null, `${where}.signature`);
		return { type: "thinking", thinking: b.thinking, signature: b.signature };
	}
	if (b?.type === "redacted_thinking") {
		if (typeof b.data !== "string") throw new ApiError(400, `${where}.data: required on a redacted_thinking block`, null, `${where}.data`);
		return { type: "redacted_thinking", data: b.data };
	}
	return undefined;
}

/**
 * The client's `anthropic-beta` features, for Claude models. An `oauth-*` one is left out: it names how the client
 * signed in here (a Claude subscription's token), not how the gateway calls Anthropic (its own API key). A value that is
 * not a list of beta names is a 400 naming the header.
 * @see https://docs.anthropic.com/en/api/beta-headers
 */
function betasOf(header: string | string[] | undefined): { anthropic_beta?: string[] } {
	if (header === undefined) return {};
	const names = (Array.isArray(header) ? header.join(",") : header)
		.split(",")
		.map(b => b.trim())
		.filter(Boolean);
	if (names.length > 32 || names.some(b => !/^[A-Za-z0-9._-]{1,100}$/.test(b)))
		throw new ApiError(400, "anthropic-beta: must be a comma-separated list of beta names", null, "anthropic-beta");
	const kept = names.filter(b => !b.startsWith("oauth-"));
	return kept.length ? { anthropic_beta: kept } : {};
}

/**
 * A Messages request read into the neutral one. `counting`: a `/v1/messages/count_tokens` body, the
 * same fields without `max_tokens` (not asked for, and ignored when sent).
 */
export function fromAnthropicRequest(body: any, { counting = false, headers = {} as Record<string, string | string[] | undefined> } = {}): NeutralRequest {
	if (!body || typeof body !== "object" || Array.isArray(body)) throw new ApiError(400, "the body must be a JSON object");
	if (typeof body.model !== "string" || !body.model)
		throw new ApiError(400, "model: Field required (a model id from GET /v1/models, or 'auto')", null, "model");
	if (!counting && (!Number.isInteger(body.max_tokens) || body.max_tokens < 1))
		throw new ApiError(400, "max_tokens: Field required (a positive integer)", null, "max_tokens");
	if (!Array.isArray(body.messages) || !body.messages.length) throw new ApiError(400, "messages: Field required (a non-empty array)", null, "messages");
	for (const [p, inert] of Object.entries(UNSUPPORTED))
		if (body[p] != null && !inert(body[p])) throw new ApiError(400, `${p}: not supported by this gateway`, null, p);
	// Fields of the wrong type are refused by name, as the Messages API does, never dropped.
	const invalid = (param: string, what: string) => new ApiError(400, `${param}: ${what}`, null, param);
	if (body.stream != null && typeof body.stream !== "boolean") throw invalid("stream", "must be a boolean");
	if (body.system != null && typeof body.system !== "string" && !Array.isArray(body.system))
		throw invalid("system", "must be a string or an array of text blocks");
	if (body.stop_sequences != null && !(Array.isArray(body.stop_sequences) && body.stop_sequences.every((x: unknown) => typeof x === "string")))
		throw invalid("stop_sequences", "must be an array of strings");
	if (body.tools != null && !Array.isArray(body.tools)) throw invalid("tools", "must be an array of tools");
	if (body.output_config != null && (typeof body.output_config !== "object" || Array.isArray(body.output_config)))
		throw invalid("output_config", "must be an object");
	// The structured-outputs beta's top-level `output_format` (deprecated for output_config.format, still sent by clients
	// built on it) asks the same: read as it, never dropped (a caller asking for JSON got free text).
	const formatField = body.output_config?.format != null ? "output_config.format" : "output_format";
	const format = body.output_config?.format ?? body.output_format;
	if (format != null && (format.type !== "json_schema" || !format.schema || typeof format.schema !== "object" || Array.isArray(format.schema)))
		throw invalid(formatField, "must be {type: 'json_schema', schema: {...}}");
	// The Messages API's range is 0-1, not OpenAI's 0-2 (the walk's check): above 1 is the 400 Anthropic answers, not
	// a sample at another vendor's higher temperature.
	if (typeof body.temperature === "number" && body.temperature > 1) throw invalid("temperature", "Input should be less than or equal to 1");
	const thinking = thinkingConfig(body.thinking, body.max_tokens, counting);
	const tc = body.tool_choice;
	if (tc != null) {
		if (typeof tc !== "object" || !["auto", "any", "tool", "none"].includes(tc.type))
			throw invalid("tool_choice", "must be {type: auto | any | tool | none}");
		if (tc.type === "tool" && (typeof tc.name !== "string" || !tc.name)) throw invalid("tool_choice.name", "required when type is 'tool'");
	}

	const cache = new Map<number, NonNullable<ChatMessage["cache_control"]>>();
	// Anthropic's ephemeral breakpoint, its ttl kept when it is one the API knows.
	const breakpoint = (c: any): NonNullable<ChatMessage["cache_control"]> => ({
		type: "ephemeral",
		...(c?.ttl === "5m" || c?.ttl === "1h" ? { ttl: c.ttl } : {}),
	});
	const messages: ChatMessage[] = [];
	let system: string | undefined;
	if (typeof body.system === "string") system = body.system;
	else if (Array.isArray(body.system)) {
		const texts = body.system.map((b: any, j: number) => blockText(b, `system[${j}]`));
		if (body.system.some((b: any) => b?.cache_control)) {
			// Blocks with breakpoints stay blocks: one system turn each, its cache_control kept (never
			// compacted; an Anthropic target gets them back as system blocks, another as instructions).
			body.system.forEach((b: any, j: number) => {
				if (b.cache_control) cache.set(messages.length, breakpoint(b.cache_control));
				messages.push({ role: "system", content: texts[j] });
			});
		} else system = texts.join("\n");
	}
	body.messages.forEach((m: any, i: number) => {
		const where = `messages[${i}]`;
		if (m?.role !== "user" && m?.role !== "assistant" && m?.role !== "system")
			throw new ApiError(400, `${where}.role: must be 'user', 'assistant' or 'system'`, null, `${where}.role`);
		const blocks = typeof m.content === "string" ? [{ type: "text", text: m.content }] : m.content;
		if (!Array.isArray(blocks)) throw new ApiError(400, `${where}.content: must be a string or an array of blocks`, null, `${where}.content`);
		if (m.role === "system") {
			// API version 2026-10-21 (SDK 1.x's SystemMessageParam) takes system turns among the messages, text only:
			// one system turn in place, its breakpoint kept, as a system block is.
			const cached = blocks.find((b: any) => b?.cache_control)?.cache_control;
			if (cached) cache.set(messages.length, breakpoint(cached));
			messages.push({ role: "system", content: blocks.map((b: any, j: number) => blockText(b, `${where}.content[${j}]`)).join("\n") });
			return;
		}
		const texts: string[] = [];
		const calls: ToolCall[] = [];
		const thoughts: ThinkingBlock[] = [];
		let cached: unknown;
		blocks.forEach((b: any, j: number) => {
			if (b?.cache_control) cached = b.cache_control;
			const thought = m.role === "assistant" ? thinkingBlock(b, `${where}.content[${j}]`) : undefined;
			if (thought) thoughts.push(thought);
			else if (b?.type === "tool_use" && m.role === "assistant") {
				for (const field of ["id", "name"])
					if (typeof b[field] !== "string" || !b[field]) throw invalid(`${where}.content[${j}].${field}`, "required on a tool_use block");
				calls.push({ id: b.id, type: "function", function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } });
			} else if (b?.type === "tool_result" && m.role === "user") {
				if (typeof b.tool_use_id !== "string" || !b.tool_use_id) throw invalid(`${where}.content[${j}].tool_use_id`, "required on a tool_result block");
				if (b.cache_control) cache.set(messages.length, breakpoint(b.cache_control));
				messages.push({
					role: "tool",
					tool_call_id: b.tool_use_id,
					content: toolResultText(b.content, `${where}.content[${j}]`),
					...(b.is_error === true ? { is_error: true } : {}),
				});
			} else texts.push(blockText(b, `${where}.content[${j}]`));
		});
		if (texts.length || calls.length) {
			if (cached) cache.set(messages.length, breakpoint(cached));
			messages.push({
				role: m.role,
				content: texts.join("\n"),
				...(calls.length ? { tool_calls: calls } : {}),
				...(thoughts.length ? { thinking: thoughts } : {}),
			});
		}
	});

	// Top-level cache_control (API version 2026-10-21): a breakpoint on the last cacheable block, the request's last message.
	if (body.cache_control != null) {
		if (typeof body.cache_control !== "object" || body.cache_control.type !== "ephemeral") throw invalid("cache_control", "must be {type: 'ephemeral'}");
		const last = messages.length - 1;
		if (last >= 0 && !cache.has(last)) cache.set(last, breakpoint(body.cache_control));
	}
	const tools = body.tools
		? body.tools.map((t: any, i: number) => {
				if (typeof t?.name !== "string" || (t.type && t.type !== "custom"))
					throw new ApiError(400, `tools[${i}]: only custom tools with a name and input_schema are supported`, null, `tools[${i}]`);
				return {
					type: "function" as const,
					function: {
						name: t.name,
						...(t.description ? { description: t.description } : {}),
						parameters: t.input_schema ?? { type: "object" },
						...(typeof t.strict === "boolean" ? { strict: t.strict } : {}),
					},
				};
			})
		: undefined;
	const toolChoice = !tc
		? undefined
		: tc.type === "any"
			? "required"
			: tc.type === "tool"
				? { type: "function" as const, function: { name: String(tc.name) } }
				: tc.type === "none"
					? "none"
					: "auto";
	return {
		model: body.model,
		system,
		messages,
		stream: body.stream === true,
		options: {
			max_tokens: body.max_tokens,
			temperature: body.temperature ?? undefined,
			top_p: body.top_p ?? undefined,
			// An empty list asks for no stop sequence: absent.
			stop: body.stop_sequences?.length ? body.stop_sequences : undefined,
			tools,
			tool_choice: toolChoice as NeutralRequest["options"]["tool_choice"],
			...(tc?.disable_parallel_tool_use === true ? { parallel_tool_calls: false } : {}),
			// Structured output (output_config.format), as OpenAI's json_schema response_format every provider maps; effort is not carried.
			...(format ? { response_format: { type: "json_schema" as const, json_schema: { name: "output", schema: format.schema } } } : {}),
			// Claude's extended thinking: passed on to Claude models; other vendors answer without it (their models reason or not on their own).
			...(thinking ? { thinking } : {}),
			user: typeof body.metadata?.user_id === "string" ? body.metadata.user_id : undefined,
			...betasOf(headers["anthropic-beta"]),
		},
		cache_control: cache,
	};
}

function contentBlocks(r: ModelsCompleteResult) {
	const blocks: any[] = [...(r.thinking ?? [])];
	if (r.text || !r.tool_calls?.length) blocks.push({ type: "text", text: r.text });
	for (const c of r.tool_calls ?? []) {
		blocks.push({ type: "tool_use", id: c.id, name: c.function.name, input: toolArgumentsObject(c.function.arguments) });
	}
	return blocks;
}

/** A message's stop_reason and stop_sequence (the sequence when the answer ended on one, else null). */
function stopOf(r: ModelsCompleteResult) {
	const stop_reason = toAnthropicStopReason(r.finish_reason, r.stop_sequence);
	return { stop_reason, stop_sequence: stop_reason === "stop_sequence" ? r.stop_sequence! : null };
}

export function messageId(): string {
	return `msg_${randomUUID().replace(/-/g, "")}`;
}

export function toAnthropicResponse(r: ModelsCompleteResult, id = messageId()) {
	return {
		id,
		type: "message",
		role: "assistant",
		model: r.model,
		content: contentBlocks(r),
		...stopOf(r),
		usage: usageOf(r.usage.input_tokens, r.usage.output_tokens),
	};
}

/**
 * A message's usage. The cache counters are null, "not reported" in Anthropic's own type: the walk's usage counts
 * cache reads and writes in input_tokens. Left out, a client summing them (as Anthropic's API always sends them) got NaN.
 */
function usageOf(input_tokens: number, output_tokens: number) {
	return { input_tokens, output_tokens, cache_creation_input_tokens: null, cache_read_input_tokens: null };
}

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * models.stream events as the Messages API's SSE sequence, as they arrive: message_start, a text
 * block opened at the first text, a tool_use block per tool call (its arguments as input_json_delta),
 * each block stopped when the next opens, then message_delta (stop reason, usage) and message_stop.
 * A failure after content is `event: error`, and no message_stop.
 */
export class AnthropicStreamEncoder {
	private block: { index: number; kind: "text" | "tool_use" | "thinking"; call?: number } | undefined;
	private next = 0;
	/**
	 * Tool calls whose fragments came while another call's block was open. OpenAI's format lets a vendor interleave
	 * parallel calls (each fragment names its index); a Messages block cannot be reopened once closed, so these are held
	 * and sent whole, each its own block, once the open one ends (at the end of the answer).
	 */
	private held = new Map<number, { id?: string; name?: string; arguments: string }>();
	constructor(
		private readonly model: string,
		/** Our estimate of the input, until the vendor's usage is known at the end. */
		private readonly inputTokens: number,
		private readonly id = messageId(),
	) {}

	open(): string {
		const message = {
			id: this.id,
			type: "message",
			role: "assistant",
			model: this.model,
			content: [],
			stop_reason: null,
			stop_sequence: null,
			usage: usageOf(this.inputTokens, 0),
		};
		return sse("message_start", { type: "message_start", message });
	}

	private close(): string {
		if (!this.block) return "";
		const out = sse("content_block_stop", { type: "content_block_stop", index: this.block.index });
		this.block = undefined;
		return out;
	}

	private start(kind: "text" | "tool_use" | "thinking", content: unknown, call?: number): string {
		const out = this.close();
		this.block = { index: this.next++, kind, call };
		return out + sse("content_block_start", { type: "content_block_start", index: this.block.index, content_block: content });
	}

	/** The held tool calls, in their order, each a whole block. */
	private releaseHeld(): string {
		let out = "";
		for (const [call, h] of [...this.held].sort(([a], [b]) => a - b)) {
			out += this.start("tool_use", { type: "tool_use", id: h.id ?? `toolu_${this.id}_${call}`, name: h.name ?? "", input: {} }, call);
			if (h.arguments)
				out += sse("content_block_delta", {
					type: "content_block_delta",
					index: this.block!.index,
					delta: { type: "input_json_delta", partial_json: h.arguments },
				});
		}
		this.held.clear();
		return out;
	}

	event(e: ModelsStreamEvent): { text: string; end: boolean } {
		switch (e.type) {
			case "text": {
				const open = this.block?.kind === "text" ? "" : this.start("text", { type: "text", text: "" });
				return {
					text:
						open +
						sse("content_block_delta", { type: "content_block_delta", index: this.block!.index, delta: { type: "text_delta", text: e.text } }),
					end: false,
				};
			}
			case "thinking": {
				// A reasoning block (Claude's): its thinking in pieces, then its signature; a redacted one whole, at its start.
				let out = "";
				if (this.block?.kind !== "thinking" || this.block.call !== e.index) {
					const content = e.data !== undefined ? { type: "redacted_thinking", data: e.data } : { type: "thinking", thinking: "", signature: "" };
					out = this.start("thinking", content, e.index);
				}
				const delta = (d: unknown) => sse("content_block_delta", { type: "content_block_delta", index: this.block!.index, delta: d });
				if (e.thinking) out += delta({ type: "thinking_delta", thinking: e.thinking });
				if (e.signature) out += delta({ type: "signature_delta", signature: e.signature });
				return { text: out, end: false };
			}
			case "tool_call": {
				if (this.held.has(e.index) || (this.block?.kind === "tool_use" && this.block.call !== e.index)) {
					const held = this.held.get(e.index) ?? { arguments: "" };
					held.id ??= e.id;
					held.name ??= e.name;
					held.arguments += e.arguments ?? "";
					this.held.set(e.index, held);
					return { text: "", end: false };
				}
				const open =
					this.block?.kind === "tool_use" && this.block.call === e.index
						? ""
						: this.start("tool_use", { type: "tool_use", id: e.id ?? `toolu_${this.id}_${e.index}`, name: e.name ?? "", input: {} }, e.index);
				const delta = e.arguments
					? sse("content_block_delta", {
							type: "content_block_delta",
							index: this.block!.index,
							delta: { type: "input_json_delta", partial_json: e.arguments },
						})
					: "";
				return { text: open + delta, end: false };
			}
			case "done": {
				const r = e.result;
				// An answer with no content at all still has its (empty) text block.
				const empty = this.next === 0 ? this.start("text", { type: "text", text: "" }) : "";
				return {
					text:
						empty +
						this.releaseHeld() +
						this.close() +
						sse("message_delta", {
							type: "message_delta",
							delta: stopOf(r),
							usage: { input_tokens: r.usage.input_tokens, output_tokens: r.usage.output_tokens },
						}) +
						sse("message_stop", { type: "message_stop" }),
					end: true,
				};
			}
			case "error":
				return { text: sse("error", errorBody("anthropic", new ApiError(e.code, e.message))), end: true };
			default:
				return { text: "", end: false };
		}
	}
}
