/**
 * OpenAI Responses ↔ the neutral model call, stateless: `instructions` and the `input` items
 * (messages, `function_call` and `function_call_output`) in; a `response` object or its SSE
 * event sequence (response.created … response.completed, every event with its sequence_number)
 * out. Nothing is stored, so what needs a stored response or conversation is refused by name.
 *
 * @see https://platform.openai.com/docs/api-reference/responses/create
 * @see https://platform.openai.com/docs/api-reference/responses/object
 * @see https://platform.openai.com/docs/api-reference/responses-streaming
 */
import { randomUUID } from "node:crypto";
import type { ChatMessage, ModelsCompleteResult, ModelsStreamEvent, Tool, ToolCall } from "../../../lib/contracts/complete";
import { ApiError, errorBody, invalid, isObject, shown, unsupported } from "./api-error";
import type { NeutralRequest } from "./neutral";
import { thinkingForEffort } from "./reasoning-effort";

/** The request fields a `response` object states back (the API echoes them). */
export interface ResponseEcho {
	instructions: string | null;
	max_output_tokens: number | null;
	metadata: Record<string, unknown>;
	parallel_tool_calls: boolean;
	temperature: number | null;
	top_p: number | null;
	tool_choice: unknown;
	tools: unknown[];
	text: { format: unknown };
	/** The reasoning effort asked for (mapped to thinking); no summary is produced. */
	reasoning_effort: string | null;
	user?: string;
}

/** A Responses request read into the neutral call, with what its answer echoes. */
export interface ResponsesRequest extends NeutralRequest {
	echo: ResponseEcho;
}

const STATELESS = "this gateway keeps no state (nothing is stored): send the whole conversation in 'input'";

/**
 * Fields refused by name unless the value asks for nothing (null, what the API does without the field). Others the
 * answer could not honour are checked below; `store`, `service_tier`, `prompt_cache_key`, `safety_identifier`,
 * `prompt_cache_retention` and `stream_options` are accepted and ignored, as on chat/completions. `reasoning.effort` is
 * chat's reasoning_effort (reasoning-effort.ts); `reasoning.summary` is ignored (no reasoning item is produced).
 */
const UNSUPPORTED: Record<string, { inert: (v: unknown) => boolean; why: string }> = {
	previous_response_id: { inert: () => false, why: `is not supported: ${STATELESS}` },
	conversation: { inert: () => false, why: `is not supported: ${STATELESS}` },
	prompt: { inert: () => false, why: "is not supported: this gateway has no stored prompt templates; send the prompt in 'instructions' and 'input'" },
	background: { inert: v => v === false, why: "is not supported: this gateway keeps no state, so a response cannot run in the background" },
	top_logprobs: { inert: v => v === 0, why: "is not supported by this gateway" },
	truncation: { inert: v => v === "disabled", why: "'auto' is not supported (the x-orchestrator-compaction header compacts the input instead)" },
	moderation: { inert: () => false, why: "is not supported by this gateway" },
	context_management: { inert: v => Array.isArray(v) && v.length === 0, why: "is not supported by this gateway" },
};

/**
 * A message's or a tool output's text: a string, or text parts (`input_text`; `output_text` and `refusal` in an
 * assistant turn replayed from an earlier response). Images, files and audio are refused by name: the neutral call
 * carries text only.
 */
function textOf(content: unknown, where: string): string {
	if (typeof content === "string") return content;
	if (!Array.isArray(content)) throw invalid(where, `'${where}' must be a string or an array of content parts`);
	return content
		.map((p, j) => {
			if ((p?.type === "input_text" || p?.type === "output_text") && typeof p.text === "string") return p.text;
			if (p?.type === "refusal" && typeof p.refusal === "string") return p.refusal;
			throw unsupported(
				`${where}[${j}].type`,
				`'${where}[${j}]': content parts of type '${shown(p?.type)}' are not supported by this gateway (it forwards text only)`,
			);
		})
		.join("\n");
}

/** `input`: a string (one user turn) or items, read into the neutral messages. */
function inputMessages(input: unknown, maxItems: number): ChatMessage[] {
	if (typeof input === "string") return [{ role: "user", content: input }];
	if (!Array.isArray(input) || !input.length)
		throw new ApiError(400, "'input' must be a string or a non-empty array of input items", "missing_required_parameter", "input");
	// The edge counts a `messages` array as it arrives; the Responses API's conversation is `input`, held to the same limit.
	if (input.length > maxItems)
		throw new ApiError(413, `'input' has ${input.length} items, over limits.max_messages (${maxItems}) in config.yaml`, "request_too_large", "input");
	const messages: ChatMessage[] = [];
	input.forEach((item: any, i: number) => {
		const where = `input[${i}]`;
		if (!isObject(item)) throw invalid(where, `'${where}' must be an input item object`);
		const type = item.type ?? "message";
		if (type === "message") {
			const role = item.role === "developer" ? "system" : item.role;
			if (!["user", "assistant", "system"].includes(role)) throw invalid(`${where}.role`, `'${where}.role' must be user, assistant, system or developer`);
			messages.push({ role, content: textOf(item.content, `${where}.content`) });
		} else if (type === "function_call") {
			for (const field of ["call_id", "name"])
				if (typeof item[field] !== "string" || !item[field])
					throw new ApiError(400, `'${where}.${field}' is required on a function_call item`, "missing_required_parameter", `${where}.${field}`);
			if (item.arguments != null && typeof item.arguments !== "string") throw invalid(`${where}.arguments`, `'${where}.arguments' must be a JSON string`);
			const call: ToolCall = { id: item.call_id, type: "function", function: { name: item.name, arguments: item.arguments ?? "" } };
			// Calls of one turn (parallel calls, or calls after the turn's text) are one assistant message, as Chat Completions has them.
			const last = messages.at(-1);
			if (last?.role === "assistant") last.tool_calls = [...(last.tool_calls ?? []), call];
			else messages.push({ role: "assistant", content: "", tool_calls: [call] });
		} else if (type === "function_call_output") {
			if (typeof item.call_id !== "string" || !item.call_id)
				throw new ApiError(400, `'${where}.call_id' is required on a function_call_output item`, "missing_required_parameter", `${where}.call_id`);
			messages.push({ role: "tool", tool_call_id: item.call_id, content: textOf(item.output ?? "", `${where}.output`) });
		} else if (type === "item_reference") {
			throw unsupported(`${where}.type`, `'${where}': item references are not supported: ${STATELESS}`);
		} else {
			throw unsupported(
				`${where}.type`,
				`'${where}': input items of type '${shown(type)}' are not supported by this gateway (message, function_call and function_call_output are)`,
			);
		}
	});
	return messages;
}

/** Function tools as the neutral call's; built-in tools (web_search, file_search, computer_use, code_interpreter, mcp, ...) are refused. */
function functionTools(tools: unknown): Tool[] | undefined {
	if (tools == null) return undefined;
	if (!Array.isArray(tools)) throw invalid("tools", "'tools' must be an array of tools");
	return tools.map((t: any, i: number) => {
		if (t?.type !== "function")
			throw unsupported(`tools[${i}].type`, `'tools[${i}]': tools of type '${shown(t?.type)}' are not supported by this gateway (function tools are)`);
		if (typeof t.name !== "string" || !t.name) throw new ApiError(400, `'tools[${i}].name' is required`, "missing_required_parameter", `tools[${i}].name`);
		if (t.parameters != null && !isObject(t.parameters)) throw invalid(`tools[${i}].parameters`, `'tools[${i}].parameters' must be a JSON Schema object`);
		return {
			type: "function" as const,
			function: {
				name: t.name,
				...(typeof t.description === "string" && t.description ? { description: t.description } : {}),
				...(t.parameters ? { parameters: t.parameters } : {}),
				...(typeof t.strict === "boolean" ? { strict: t.strict } : {}),
			},
		};
	});
}

/** `tool_choice`: auto | none | required, or one function by name. */
function toolChoice(tc: unknown): NeutralRequest["options"]["tool_choice"] {
	if (tc == null) return undefined;
	if (tc === "auto" || tc === "none" || tc === "required") return tc;
	if (isObject(tc) && tc.type === "function") {
		if (typeof tc.name !== "string" || !tc.name) throw invalid("tool_choice.name", "'tool_choice.name' is required for a function tool choice");
		return { type: "function", function: { name: tc.name } };
	}
	const kind = shown(isObject(tc) ? tc.type : tc);
	throw unsupported("tool_choice", `'tool_choice' '${kind}' is not supported by this gateway (auto, none, required or {type: 'function', name})`);
}

/**
 * `text.format` as the chat path's response_format, which every provider maps (OpenAI as is, Gemini JSON output, Claude
 * output_config.format; a provider that cannot take it is skipped, as for chat/completions).
 */
function responseFormat(text: unknown): NeutralRequest["options"]["response_format"] {
	if (text == null) return undefined;
	if (!isObject(text)) throw invalid("text", "'text' must be an object");
	const f = text.format;
	if (f == null || (isObject(f) && f.type === "text")) return undefined;
	if (isObject(f) && f.type === "json_object") return { type: "json_object" };
	if (isObject(f) && f.type === "json_schema") {
		if (typeof f.name !== "string" || !f.name) throw invalid("text.format.name", "'text.format.name' is required for a json_schema format");
		if (!isObject(f.schema)) throw invalid("text.format.schema", "'text.format.schema' must be a JSON Schema object");
		return {
			type: "json_schema",
			json_schema: {
				name: f.name,
				schema: f.schema,
				...(typeof f.description === "string" ? { description: f.description } : {}),
				...(typeof f.strict === "boolean" ? { strict: f.strict } : {}),
			},
		};
	}
	throw invalid("text.format", "'text.format' must be {type: 'text' | 'json_object' | 'json_schema'}");
}

/**
 * A Responses request read into the neutral one. `maxItems`: limits.max_messages, which the edge holds a `messages`
 * array to, for the `input` list.
 */
export function fromResponsesRequest(body: any, maxItems = Infinity): ResponsesRequest {
	if (!isObject(body)) throw new ApiError(400, "the body must be a JSON object", "invalid_value", null);
	if (typeof body.model !== "string" || !body.model)
		throw new ApiError(400, "'model' is required (a model id from GET /v1/models, or 'auto')", "missing_required_parameter", "model");
	for (const [p, { inert, why }] of Object.entries(UNSUPPORTED)) if (body[p] != null && !inert(body[p])) throw unsupported(p, `'${p}' ${why}`);
	for (const p of ["stream", "store", "parallel_tool_calls"])
		if (body[p] != null && typeof body[p] !== "boolean") throw invalid(p, `'${p}' must be a boolean`);
	if (body.instructions != null && typeof body.instructions !== "string") throw invalid("instructions", "'instructions' must be a string");
	if (body.metadata != null && !isObject(body.metadata)) throw invalid("metadata", "'metadata' must be an object");
	if (body.user != null && typeof body.user !== "string") throw invalid("user", "'user' must be a string");
	if (body.include != null) {
		if (!Array.isArray(body.include)) throw invalid("include", "'include' must be an array");
		if (body.include.includes("message.output_text.logprobs"))
			throw unsupported("include", "'include' message.output_text.logprobs is not supported by this gateway");
	}
	const max = body.max_output_tokens ?? undefined;
	if (max !== undefined && (!Number.isInteger(max) || max < 1)) throw invalid("max_output_tokens", "'max_output_tokens' must be a positive integer");
	const messages = inputMessages(body.input, maxItems);
	const tools = functionTools(body.tools);
	const choice = toolChoice(body.tool_choice);
	const format = responseFormat(body.text);
	if (body.reasoning != null && !isObject(body.reasoning)) throw invalid("reasoning", "'reasoning' must be an object");
	const thinking = thinkingForEffort(body.reasoning?.effort, "reasoning.effort", max, "max_output_tokens");
	return {
		model: body.model,
		...(body.instructions ? { system: body.instructions } : {}),
		messages,
		stream: body.stream === true,
		options: {
			max_tokens: max,
			temperature: body.temperature ?? undefined,
			top_p: body.top_p ?? undefined,
			tools,
			tool_choice: choice,
			parallel_tool_calls: body.parallel_tool_calls ?? undefined,
			response_format: format,
			...(thinking ? { thinking } : {}),
			user: body.user ?? undefined,
		},
		echo: {
			instructions: body.instructions ?? null,
			max_output_tokens: max ?? null,
			metadata: body.metadata ?? {},
			parallel_tool_calls: body.parallel_tool_calls ?? true,
			temperature: body.temperature ?? null,
			top_p: body.top_p ?? null,
			tool_choice: body.tool_choice ?? "auto",
			tools: body.tools ?? [],
			text: { format: body.text?.format ?? { type: "text" } },
			reasoning_effort: typeof body.reasoning?.effort === "string" ? body.reasoning.effort : null,
			...(typeof body.user === "string" ? { user: body.user } : {}),
		},
	};
}

const hex = () => randomUUID().replace(/-/g, "");
export const responseId = () => `resp_${hex()}`;

/** How a response ended: incomplete when the model stopped on its output budget or a content filter. */
function statusOf(r: ModelsCompleteResult): { status: "completed" | "incomplete"; incomplete_details: { reason: string } | null } {
	if (r.finish_reason === "length") return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
	if (r.finish_reason === "content_filter") return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
	return { status: "completed", incomplete_details: null };
}

/**
 * The Responses usage. The walk counts cache reads and writes in input_tokens and reasoning in output_tokens, and
 * reports neither apart: the details are 0, as the Responses type has no "not reported" (a null broke clients that
 * deserialize it strictly).
 */
function usageOf(r: ModelsCompleteResult) {
	return {
		input_tokens: r.usage.input_tokens,
		input_tokens_details: { cached_tokens: 0 },
		output_tokens: r.usage.output_tokens,
		output_tokens_details: { reasoning_tokens: 0 },
		total_tokens: r.usage.input_tokens + r.usage.output_tokens,
	};
}

type ItemStatus = "in_progress" | "completed" | "incomplete";
const messageItem = (id: string, text: string, status: ItemStatus) => ({
	type: "message" as const,
	id,
	status,
	role: "assistant" as const,
	content: [{ type: "output_text" as const, text, annotations: [], logprobs: [] }],
});
const callItem = (id: string, c: { call_id: string; name: string; arguments: string }, status: ItemStatus) => ({
	type: "function_call" as const,
	id,
	call_id: c.call_id,
	name: c.name,
	arguments: c.arguments,
	status,
});

/** A `response` object: the echo of the request, then what the model answered. */
function responseObject(
	id: string,
	createdAt: number,
	model: string,
	echo: ResponseEcho,
	state: { status: string; incomplete_details?: unknown; error?: unknown; output: unknown[]; usage?: unknown },
) {
	return {
		id,
		object: "response" as const,
		created_at: createdAt,
		status: state.status,
		...(state.status === "completed" ? { completed_at: Math.floor(Date.now() / 1000) } : {}),
		background: false,
		error: state.error ?? null,
		incomplete_details: state.incomplete_details ?? null,
		instructions: echo.instructions,
		max_output_tokens: echo.max_output_tokens,
		metadata: echo.metadata,
		model,
		output: state.output,
		parallel_tool_calls: echo.parallel_tool_calls,
		previous_response_id: null,
		reasoning: { effort: echo.reasoning_effort, summary: null },
		temperature: echo.temperature,
		text: echo.text,
		tool_choice: echo.tool_choice,
		tools: echo.tools,
		top_p: echo.top_p,
		truncation: "disabled" as const,
		usage: state.usage ?? null,
		...(echo.user !== undefined ? { user: echo.user } : {}),
	};
}

export function toResponsesResponse(r: ModelsCompleteResult, echo: ResponseEcho, id = responseId(), createdAt = Math.floor(Date.now() / 1000)) {
	const { status, incomplete_details } = statusOf(r);
	const output: unknown[] = [];
	// An answer with no content at all still has its (empty) message, as the API's does.
	if (r.text || !r.tool_calls?.length) output.push(messageItem(`msg_${hex()}`, r.text, status));
	for (const c of r.tool_calls ?? [])
		output.push(callItem(`fc_${hex()}`, { call_id: c.id, name: c.function.name, arguments: c.function.arguments || "{}" }, "completed"));
	return responseObject(id, createdAt, r.model, echo, { status, incomplete_details, output, usage: usageOf(r) });
}

/** An output item being streamed: the message's text, or a function call's arguments, so far. */
type StreamItem =
	| { kind: "message"; id: string; text: string; open: boolean }
	| { kind: "function_call"; id: string; call: number; call_id: string; ownId: boolean; name: string; arguments: string; open: boolean };

/**
 * models.stream events as the Responses API's SSE sequence, as they arrive: response.created and
 * response.in_progress, then output items, each added, its deltas, then done (a message's text part
 * with output_text deltas; a function call's arguments as function_call_arguments deltas; calls
 * stay open to the end, so a vendor's interleaved parallel calls each keep their item), then
 * response.completed, or response.incomplete when the model stopped on its budget. A failure after
 * content is response.failed then an `error` event that carries an `error` object, on which the
 * openai SDK raises; never a stream that ends as if complete.
 */
export class ResponsesStreamEncoder {
	private seq = 0;
	private readonly items: StreamItem[] = [];
	private readonly createdAt = Math.floor(Date.now() / 1000);
	constructor(
		private readonly model: string,
		private readonly echo: ResponseEcho,
		private readonly id = responseId(),
	) {}

	private sse(type: string, data: Record<string, unknown>): string {
		return `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: this.seq++, ...data })}\n\n`;
	}

	private snapshot(state: Parameters<typeof responseObject>[4]) {
		return responseObject(this.id, this.createdAt, this.model, this.echo, state);
	}

	/** An item as the response states it. */
	private itemOf(it: StreamItem, status: ItemStatus) {
		return it.kind === "message" ? messageItem(it.id, it.text, status) : callItem(it.id, it, status);
	}

	open(): string {
		const response = this.snapshot({ status: "in_progress", output: [] });
		return this.sse("response.created", { response }) + this.sse("response.in_progress", { response });
	}

	/** Ends an open item: its text or arguments done, then the item (a message `status`, a call whose arguments are whole completed). */
	private close(it: StreamItem, status: ItemStatus): string {
		if (!it.open) return "";
		it.open = false;
		const output_index = this.items.indexOf(it);
		let out = "";
		if (it.kind === "message") {
			const part = { type: "output_text", text: it.text, annotations: [], logprobs: [] };
			out += this.sse("response.output_text.done", { item_id: it.id, output_index, content_index: 0, text: it.text, logprobs: [] });
			out += this.sse("response.content_part.done", { item_id: it.id, output_index, content_index: 0, part });
		} else {
			it.arguments ||= "{}";
			out += this.sse("response.function_call_arguments.done", { item_id: it.id, output_index, name: it.name, arguments: it.arguments });
		}
		return out + this.sse("response.output_item.done", { output_index, item: this.itemOf(it, it.kind === "message" ? status : "completed") });
	}

	private openMessage(): string {
		const it: StreamItem = { kind: "message", id: `msg_${hex()}`, text: "", open: true };
		this.items.push(it);
		const output_index = this.items.length - 1;
		return (
			this.sse("response.output_item.added", { output_index, item: { ...messageItem(it.id, "", "in_progress"), content: [] } }) +
			this.sse("response.content_part.added", {
				item_id: it.id,
				output_index,
				content_index: 0,
				part: { type: "output_text", text: "", annotations: [], logprobs: [] },
			})
		);
	}

	private closeAll(status: ItemStatus): string {
		return this.items.map(it => this.close(it, status)).join("");
	}

	event(e: ModelsStreamEvent): { text: string; end: boolean } {
		switch (e.type) {
			case "text": {
				const found = this.items.find(i => i.kind === "message" && i.open);
				const open = found ? "" : this.openMessage();
				const it = found ?? this.items.at(-1)!;
				if (it.kind === "message") it.text += e.text;
				return {
					text:
						open +
						this.sse("response.output_text.delta", {
							item_id: it.id,
							output_index: this.items.indexOf(it),
							content_index: 0,
							delta: e.text,
							logprobs: [],
						}),
					end: false,
				};
			}
			case "tool_call": {
				let out = "";
				let it = this.items.find((i): i is Extract<StreamItem, { kind: "function_call" }> => i.kind === "function_call" && i.call === e.index);
				if (!it) {
					// The turn's text ends where its calls begin; text after them is a message item of its own.
					for (const m of this.items) if (m.kind === "message") out += this.close(m, "completed");
					it = {
						kind: "function_call",
						id: `fc_${hex()}`,
						call: e.index,
						call_id: e.id ?? `call_${hex()}`,
						ownId: !e.id,
						name: e.name ?? "",
						arguments: "",
						open: true,
					};
					this.items.push(it);
					out += this.sse("response.output_item.added", { output_index: this.items.length - 1, item: callItem(it.id, it, "in_progress") });
				}
				// A name sent after the call's first fragment (its item was added without one).
				it.name ||= e.name ?? "";
				if (e.arguments) {
					it.arguments += e.arguments;
					out += this.sse("response.function_call_arguments.delta", { item_id: it.id, output_index: this.items.indexOf(it), delta: e.arguments });
				}
				return { text: out, end: false };
			}
			case "done": {
				const r = e.result;
				const { status, incomplete_details } = statusOf(r);
				// The walk's whole calls, in call order, complete what the fragments left out (an id the vendor sent none of, a
				// name an OpenAI-compatible server sent in pieces): the item done replaces the one added.
				const calls = this.items
					.filter((i): i is Extract<StreamItem, { kind: "function_call" }> => i.kind === "function_call")
					.sort((a, b) => a.call - b.call);
				calls.forEach((it, k) => {
					const c = r.tool_calls?.[k];
					if (!c) return;
					if (it.ownId && c.id) it.call_id = c.id;
					if (c.function.name) it.name = c.function.name;
					it.arguments ||= c.function.arguments;
				});
				// An answer with no content at all still has its (empty) message.
				const empty = this.items.length ? "" : this.openMessage();
				const closing = empty + this.closeAll(status === "completed" ? "completed" : "incomplete");
				const response = this.snapshot({
					status,
					incomplete_details,
					output: this.items.map(it => this.itemOf(it, it.kind === "message" && status !== "completed" ? "incomplete" : "completed")),
					usage: usageOf(r),
				});
				return { text: closing + this.sse(status === "completed" ? "response.completed" : "response.incomplete", { response }), end: true };
			}
			case "error": {
				const code = e.code === 429 ? "rate_limit_exceeded" : "server_error";
				const failed = this.snapshot({
					status: "failed",
					error: { code, message: e.message },
					output: this.items.map(it => this.itemOf(it, "incomplete")),
				});
				// The nested `error` (the chat format's error body) is what the openai SDK raises on; the top-level fields are the event's own.
				const nested = (errorBody("openai", new ApiError(e.code, e.message, e.reason ?? "stream_error", null)) as { error: object }).error;
				return {
					text:
						this.sse("response.failed", { response: failed }) +
						this.sse("error", { code: e.reason ?? "stream_error", message: e.message, param: null, error: nested }),
					end: true,
				};
			}
			default:
				return { text: "", end: false };
		}
	}
}
