/**
 * OpenAI Chat Completions ↔ the neutral model call (lib/contracts/complete.ts, itself shaped like
 * OpenAI's messages): the request's messages and options in, a `chat.completion` object or its
 * `chat.completion.chunk` sequence out.
 *
 * @see https://platform.openai.com/docs/api-reference/chat/create
 * @see https://platform.openai.com/docs/api-reference/chat/object
 * @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 */
import { randomUUID } from "node:crypto";
import type { ChatMessage, ModelsCompleteResult, ModelsStreamEvent } from "../../../lib/contracts/complete";
import { ApiError, errorBody, invalid, isObject, shown, unsupported } from "./api-error";
import type { NeutralRequest } from "./neutral";
import { thinkingForEffort } from "./reasoning-effort";
import { toOpenAIFinishReason } from "./stop-reason";

/**
 * Request fields we cannot honour on any target: refused by name rather than dropped, unless the value asks for
 * nothing (what OpenAI's API does when the field is absent, which SDKs and frameworks often send explicitly).
 */
const UNSUPPORTED: Record<string, (value: unknown) => boolean> = {
	n: v => v === 1,
	logprobs: v => v === false,
	top_logprobs: v => v === 0,
	audio: () => false,
	modalities: v => Array.isArray(v) && v.every(m => m === "text"),
	prediction: () => false,
	logit_bias: v => isEmptyObject(v),
	functions: v => Array.isArray(v) && v.length === 0,
	function_call: v => v === "none",
	web_search_options: () => false,
};

/** Chat Completions' limit on `stop` sequences. */
const OPENAI_MAX_STOP = 4;

function isEmptyObject(v: unknown): boolean {
	return isObject(v) && Object.keys(v).length === 0;
}

/**
 * A message's text. An assistant turn may hold `refusal` parts (ChatCompletionContentPartRefusal: what the model said when
 * it declined, as an earlier answer's `message.refusal` is sent back in history): the API reads them as that turn's words,
 * so they are its text here, as the Responses path reads a replayed `refusal` part.
 */
function textOf(content: unknown, where: string, role: string): string {
	if (content === null || content === undefined) return "";
	if (typeof content === "string") return content;
	if (!Array.isArray(content)) throw new ApiError(400, `${where} must be a string or an array of content parts`, "invalid_value", where);
	return content
		.map((p, j) => {
			if (p?.type === "text" && typeof p.text === "string") return p.text;
			if (role === "assistant" && p?.type === "refusal" && typeof p.refusal === "string") return p.refusal;
			throw new ApiError(
				400,
				`${where}[${j}]: content parts of type '${shown(p?.type)}' are not supported (text${role === "assistant" ? " and refusal" : ""} only)`,
				"unsupported_parameter",
				`${where}[${j}].type`,
			);
		})
		.join("\n");
}

/**
 * Function tools, checked here so that a tool the walk's contract cannot carry (a `custom` tool of free-form input, a
 * built-in one) is refused naming it and what is taken, not with the contract's own validation text.
 */
function functionTools(tools: unknown): NeutralRequest["options"]["tools"] {
	if (tools == null) return undefined;
	if (!Array.isArray(tools)) throw invalid("tools", "'tools' must be an array of function tools");
	return tools.map((t: any, i: number) => {
		if (t?.type !== "function")
			throw unsupported(`tools[${i}].type`, `'tools[${i}]': tools of type '${shown(t?.type)}' are not supported by this gateway (function tools are)`);
		if (!isObject(t.function) || typeof t.function.name !== "string" || !t.function.name)
			throw new ApiError(400, `'tools[${i}].function.name' is required`, "missing_required_parameter", `tools[${i}].function.name`);
		if (t.function.parameters != null && !isObject(t.function.parameters))
			throw invalid(`tools[${i}].function.parameters`, `'tools[${i}].function.parameters' must be a JSON Schema object`);
		return t;
	});
}

/** `tool_choice`: auto | none | required, or one function by name; `allowed_tools` and custom tool choices are refused by name. */
function toolChoice(tc: unknown): NeutralRequest["options"]["tool_choice"] {
	if (tc == null) return undefined;
	if (tc === "auto" || tc === "none" || tc === "required") return tc;
	if (isObject(tc) && tc.type === "function") {
		if (!isObject(tc.function) || typeof tc.function.name !== "string" || !tc.function.name)
			throw new ApiError(400, "'tool_choice.function.name' is required", "missing_required_parameter", "tool_choice.function.name");
		return { type: "function", function: { name: tc.function.name } };
	}
	throw unsupported(
		"tool_choice",
		`'tool_choice' ${isObject(tc) ? `of type '${shown(tc.type)}'` : `'${shown(tc)}'`} is not supported by this gateway (auto, none, required or {type: 'function', function: {name}})`,
	);
}

/** `response_format`: text, json_object, or json_schema with its name. */
function responseFormat(f: unknown): NeutralRequest["options"]["response_format"] {
	if (f == null) return undefined;
	if (isObject(f) && (f.type === "text" || f.type === "json_object")) return { type: f.type };
	if (isObject(f) && f.type === "json_schema") {
		if (!isObject(f.json_schema) || typeof f.json_schema.name !== "string" || !f.json_schema.name)
			throw new ApiError(400, "'response_format.json_schema.name' is required", "missing_required_parameter", "response_format.json_schema.name");
		return f as NeutralRequest["options"]["response_format"];
	}
	throw unsupported(
		"response_format",
		`'response_format' ${isObject(f) ? `of type '${shown(f.type)}'` : `'${shown(f)}'`} is not supported by this gateway (text, json_object or json_schema)`,
	);
}

/** An assistant turn's function calls as sent back; a custom tool's call (its free-form `input`) has nowhere to go. */
function toolCalls(calls: unknown, where: string): ChatMessage["tool_calls"] {
	if (!Array.isArray(calls) || !calls.length) return undefined;
	return calls.map((c: any, j: number) => {
		const at = `${where}.tool_calls[${j}]`;
		if (c?.type !== "function")
			throw unsupported(`${at}.type`, `'${at}': tool calls of type '${shown(c?.type)}' are not supported by this gateway (function calls are)`);
		if (typeof c.id !== "string" || !isObject(c.function) || typeof c.function.name !== "string" || typeof c.function.arguments !== "string")
			throw invalid(at, `'${at}' must be {id, type: 'function', function: {name, arguments}} with string values`);
		return c;
	});
}

export function fromOpenAIRequest(body: any): NeutralRequest {
	if (!body || typeof body !== "object" || Array.isArray(body)) throw new ApiError(400, "the body must be a JSON object", "invalid_value", null);
	if (typeof body.model !== "string" || !body.model)
		throw new ApiError(400, "'model' is required (a model id from GET /v1/models, or 'auto')", "missing_required_parameter", "model");
	if (!Array.isArray(body.messages) || !body.messages.length)
		throw new ApiError(400, "'messages' must be a non-empty array", "missing_required_parameter", "messages");
	for (const [p, inert] of Object.entries(UNSUPPORTED)) {
		if (body[p] != null && !inert(body[p])) throw new ApiError(400, `'${p}' is not supported by this gateway`, "unsupported_parameter", p);
	}
	for (const p of ["stream", "parallel_tool_calls"])
		if (body[p] != null && typeof body[p] !== "boolean") throw new ApiError(400, `'${p}' must be a boolean`, "invalid_value", p);
	if (body.stream_options != null) {
		if (typeof body.stream_options !== "object" || Array.isArray(body.stream_options))
			throw new ApiError(400, "'stream_options' must be an object", "invalid_value", "stream_options");
		if (body.stream !== true) throw new ApiError(400, "'stream_options' is only allowed when 'stream' is true", "invalid_value", "stream_options");
	}
	const messages: ChatMessage[] = body.messages.map((m: any, i: number) => {
		const where = `messages[${i}]`;
		const role = m?.role === "developer" ? "system" : m?.role;
		if (!["system", "user", "assistant", "tool"].includes(role))
			throw new ApiError(400, `${where}.role must be system, developer, user, assistant or tool`, "invalid_value", `${where}.role`);
		const out: ChatMessage = { role, content: textOf(m.content, `${where}.content`, role) };
		const calls = role === "assistant" ? toolCalls(m.tool_calls, where) : undefined;
		if (calls) out.tool_calls = calls;
		if (role === "tool") {
			if (typeof m.tool_call_id !== "string")
				throw new ApiError(400, `${where}.tool_call_id is required on a tool message`, "missing_required_parameter", `${where}.tool_call_id`);
			out.tool_call_id = m.tool_call_id;
		}
		return out;
	});
	// OpenAI's own limit, answered as its API does; the Messages endpoint takes more (providers that cannot are skipped).
	if (Array.isArray(body.stop) && body.stop.length > OPENAI_MAX_STOP)
		throw new ApiError(400, `'stop' takes at most ${OPENAI_MAX_STOP} sequences`, "invalid_value", "stop");
	const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
	if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 1)) {
		throw new ApiError(
			400,
			"'max_tokens' must be a positive integer",
			"invalid_value",
			body.max_completion_tokens !== undefined ? "max_completion_tokens" : "max_tokens",
		);
	}
	// Claude's extended thinking or Gemini's thinking budget; OpenAI's catalog models, none of them a reasoning model, get none.
	const thinking = thinkingForEffort(
		body.reasoning_effort,
		"reasoning_effort",
		maxTokens,
		body.max_completion_tokens != null ? "max_completion_tokens" : "max_tokens",
	);
	return {
		model: body.model,
		messages,
		stream: body.stream === true,
		include_usage: body.stream_options?.include_usage === true,
		options: {
			max_tokens: maxTokens,
			temperature: body.temperature ?? undefined,
			top_p: body.top_p ?? undefined,
			seed: body.seed ?? undefined,
			frequency_penalty: body.frequency_penalty ?? undefined,
			presence_penalty: body.presence_penalty ?? undefined,
			// An empty list asks for no stop sequence: absent, as OpenAI's API reads it (some versions refuse an empty array).
			stop: Array.isArray(body.stop) && !body.stop.length ? undefined : (body.stop ?? undefined),
			tools: functionTools(body.tools),
			tool_choice: toolChoice(body.tool_choice),
			parallel_tool_calls: body.parallel_tool_calls ?? undefined,
			response_format: responseFormat(body.response_format),
			...(thinking ? { thinking } : {}),
			user: body.user ?? undefined,
		},
	};
}

export function completionId(): string {
	return `chatcmpl-${randomUUID().replace(/-/g, "")}`;
}

function usage(r: ModelsCompleteResult) {
	return { prompt_tokens: r.usage.input_tokens, completion_tokens: r.usage.output_tokens, total_tokens: r.usage.input_tokens + r.usage.output_tokens };
}

export function toOpenAIResponse(r: ModelsCompleteResult, id = completionId(), created = Math.floor(Date.now() / 1000)) {
	const toolCalls = r.tool_calls?.length ? r.tool_calls : undefined;
	return {
		id,
		object: "chat.completion",
		created,
		model: r.model,
		choices: [
			{
				index: 0,
				message: { role: "assistant", content: toolCalls && !r.text ? null : r.text, ...(toolCalls ? { tool_calls: toolCalls } : {}), refusal: null },
				logprobs: null,
				finish_reason: toOpenAIFinishReason(r.finish_reason),
			},
		],
		usage: usage(r),
	};
}

/**
 * models.stream events as `chat.completion.chunk` server-sent events, one frame per event as it
 * arrives: the role first, content and tool-call fragments, the finish, usage when asked, then
 * `data: [DONE]`. A failure after content is a final `data: {"error": …}` frame and no [DONE], so
 * the client's SDK raises instead of ending cleanly over a truncated answer.
 */
export class OpenAIStreamEncoder {
	private readonly base: { id: string; object: "chat.completion.chunk"; created: number; model: string };
	constructor(
		model: string,
		private readonly includeUsage: boolean,
		id = completionId(),
		created = Math.floor(Date.now() / 1000),
	) {
		this.base = { id, object: "chat.completion.chunk", created, model };
	}

	private frame(delta: unknown, finish: string | null = null): string {
		const chunk = { ...this.base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(this.includeUsage ? { usage: null } : {}) };
		return `data: ${JSON.stringify(chunk)}\n\n`;
	}

	/** The first frame, sent with the headers. */
	open(): string {
		return this.frame({ role: "assistant", content: "" });
	}

	/** The frames of one event; `end` says the stream is over (after `done` or `error`). */
	event(e: ModelsStreamEvent): { text: string; end: boolean } {
		switch (e.type) {
			case "text":
				return { text: this.frame({ content: e.text }), end: false };
			case "tool_call":
				return {
					text: this.frame({
						tool_calls: [
							{
								index: e.index,
								...(e.id ? { id: e.id, type: "function" } : {}),
								function: { ...(e.name ? { name: e.name } : {}), arguments: e.arguments ?? "" },
							},
						],
					}),
					end: false,
				};
			case "done": {
				let text = this.frame({}, toOpenAIFinishReason(e.result.finish_reason));
				if (this.includeUsage) text += `data: ${JSON.stringify({ ...this.base, choices: [], usage: usage(e.result) })}\n\n`;
				return { text: text + "data: [DONE]\n\n", end: true };
			}
			case "error":
				return {
					text: `data: ${JSON.stringify(errorBody("openai", new ApiError(e.code, e.message, e.reason ?? "stream_error", null)))}\n\n`,
					end: true,
				};
			default:
				return { text: "", end: false };
		}
	}
}
