import { createHash, randomBytes } from "node:crypto";
import { defaultText, deltas, FakeVendor, type Dialect } from "./vendor";

const id = (prefix: string) => `${prefix}${randomBytes(12).toString("hex")}`;
const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

const ERROR_TYPES: Record<number, { type: string; message: string }> = {
	400: { type: "invalid_request_error", message: "messages: at least one message is required" },
	401: { type: "authentication_error", message: "invalid x-api-key" },
	403: { type: "permission_error", message: "Your API key does not have permission to use the specified resource." },
	404: { type: "not_found_error", message: "model: not found" },
	413: { type: "request_too_large", message: "Request exceeds the maximum allowed number of bytes." },
	429: { type: "rate_limit_error", message: "Number of request tokens has exceeded your per-minute rate limit." },
	500: { type: "api_error", message: "Internal server error" },
	529: { type: "overloaded_error", message: "Overloaded" },
};

/** The sequence a `finish: "stop_sequence"` answer stopped on, as the API reports it: here the request's first. */
const stopSequence = (body: any, finish: string | undefined): string | null => (finish === "stop_sequence" ? (body.stop_sequences?.[0] ?? null) : null);

/** What the fake thinks before answering a call with `thinking` on, and the signature the API would vouch for it with. */
export const FAKE_THINKING = "The user wants an answer; let me reason step by step.";
export const thinkingSignature = (thinking: string) => `sig_${createHash("sha256").update(thinking).digest("base64url")}`;
const thinks = (body: any) => body?.thinking?.type === "enabled" || body?.thinking?.type === "adaptive";

/** Anthropic's Messages API wire format. */
export const anthropicDialect: Dialect = {
	name: "anthropic",
	route(method, url) {
		if (method === "POST" && url.pathname === "/v1/messages") return { kind: "complete", stream: false };
		if (method === "GET" && url.pathname === "/v1/models") return { kind: "models", stream: false };
		return undefined;
	},
	// The API takes the key as x-api-key or, as SDK 1.x sends it, as a Bearer token.
	apiKey: req => (req.headers["x-api-key"] as string | undefined) ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1],
	success(_route, body, b) {
		return {
			id: id("msg_01"),
			type: "message",
			role: "assistant",
			model: body.model,
			content: [
				...(thinks(body) ? [{ type: "thinking", thinking: FAKE_THINKING, signature: thinkingSignature(FAKE_THINKING) }] : []),
				...(b.toolCalls
					? b.toolCalls.map(c => ({ type: "tool_use", id: id("toolu_01"), name: c.name, input: JSON.parse(c.arguments) }))
					: [{ type: "text", text: b.text ?? defaultText("anthropic", body.model) }]),
			],
			stop_reason: b.finish ?? (b.toolCalls ? "tool_use" : "end_turn"),
			stop_sequence: stopSequence(body, b.finish),
			usage: {
				input_tokens: b.input_tokens ?? 23,
				cache_creation_input_tokens: 0,
				cache_read_input_tokens: 0,
				output_tokens: b.output_tokens ?? 11,
				service_tier: "standard",
			},
		};
	},
	stream(_route, body, b) {
		const text = b.text ?? defaultText("anthropic", body.model);
		const msg = { id: id("msg_01"), type: "message", role: "assistant", model: body.model, content: [], stop_reason: null, stop_sequence: null };
		// With thinking on, a thinking block first (its text in pieces, then its signature); the answer's blocks after it.
		const first = thinks(body) ? 1 : 0;
		const thinking = first
			? [
					sse("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "", signature: "" } }),
					...deltas(FAKE_THINKING).map(d =>
						sse("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: d } }),
					),
					sse("content_block_delta", {
						type: "content_block_delta",
						index: 0,
						delta: { type: "signature_delta", signature: thinkingSignature(FAKE_THINKING) },
					}),
					sse("content_block_stop", { type: "content_block_stop", index: 0 }),
				]
			: [];
		// A tool_use block streams its input as partial JSON pieces.
		const blocks = b.toolCalls
			? b.toolCalls.flatMap((c, n) => {
					const index = n + first;
					const half = Math.ceil(c.arguments.length / 2);
					return [
						sse("content_block_start", {
							type: "content_block_start",
							index,
							content_block: { type: "tool_use", id: id("toolu_01"), name: c.name, input: {} },
						}),
						...[c.arguments.slice(0, half), c.arguments.slice(half)].map(p =>
							sse("content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: p } }),
						),
						sse("content_block_stop", { type: "content_block_stop", index }),
					];
				})
			: [
					sse("content_block_start", { type: "content_block_start", index: first, content_block: { type: "text", text: "" } }),
					sse("ping", { type: "ping" }),
					...deltas(text).map(d => sse("content_block_delta", { type: "content_block_delta", index: first, delta: { type: "text_delta", text: d } })),
					sse("content_block_stop", { type: "content_block_stop", index: first }),
				];
		return [
			sse("message_start", {
				type: "message_start",
				message: {
					...msg,
					usage: {
						input_tokens: b.input_tokens ?? 23,
						cache_creation_input_tokens: 0,
						cache_read_input_tokens: 0,
						output_tokens: 1,
						service_tier: "standard",
					},
				},
			}),
			...thinking,
			...blocks,
			sse("message_delta", {
				type: "message_delta",
				delta: { stop_reason: b.finish ?? (b.toolCalls ? "tool_use" : "end_turn"), stop_sequence: stopSequence(body, b.finish) },
				usage: { output_tokens: b.output_tokens ?? 11 },
			}),
			sse("message_stop", { type: "message_stop" }),
		];
	},
	error(status, message) {
		const k = ERROR_TYPES[status] ?? { type: "api_error", message: `HTTP ${status}` };
		return {
			body: { type: "error", error: { type: k.type, message: message ?? k.message }, request_id: id("req_01") },
			headers: { "request-id": id("req_01") },
		};
	},
	// The Messages API's own refusals of what a translation can get wrong: a turn or a text block without text (every turn
	// but a final assistant one needs content), and, from API version 2026-10-21 (what SDK 1.x sends) on, any sampling
	// field (2023-06-01 took them).
	invalid(req, body) {
		const refuse = (message: string) => ({
			status: 400,
			body: { type: "error", error: { type: "invalid_request_error", message }, request_id: id("req_01") },
		});
		const messages: { role: string; content: string | { type: string; text?: string }[] }[] = Array.isArray(body?.messages) ? body.messages : [];
		for (const [i, m] of messages.entries()) {
			if (!m.content.length && !(m.role === "assistant" && i === messages.length - 1))
				return refuse(`messages.${i}: all messages must have non-empty content except for the optional final assistant message`);
			for (const [j, b] of (Array.isArray(m.content) ? m.content : []).entries()) {
				const id =
					b.type === "tool_use" ? (b as { id?: string }).id : b.type === "tool_result" ? (b as { tool_use_id?: string }).tool_use_id : undefined;
				if (id !== undefined && !/^[a-zA-Z0-9_-]+$/.test(id))
					return refuse(
						`messages.${i}.content.${j}.${b.type}.${b.type === "tool_use" ? "id" : "tool_use_id"}: String should match pattern '^[a-zA-Z0-9_-]+$'`,
					);
				if (b.type === "text" && !b.text) return refuse("messages: text content blocks must be non-empty");
				const t = b as { thinking?: string; signature?: string };
				if (b.type === "thinking" && t.signature !== thinkingSignature(t.thinking ?? ""))
					return refuse(`messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`);
				if (b.type === "text" && !/\S/.test(b.text!)) return refuse("messages: text content blocks must contain non-whitespace text");
			}
		}
		if (thinks(body) && ["any", "tool"].includes(body.tool_choice?.type)) return refuse("Thinking may not be enabled when tool_choice forces tool use.");
		if (body?.thinking?.type === "enabled" && !(body.thinking.budget_tokens >= 1024))
			return refuse("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
		if (body?.thinking?.type === "enabled" && body.max_tokens <= body.thinking.budget_tokens)
			return refuse(
				"`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size",
			);
		// Thinking on, a tool loop under way: its assistant turn must start with its reasoning, as the API returned it.
		const last = messages.map(m => m.role).lastIndexOf("assistant");
		const turn = messages[last]?.content;
		if (thinks(body) && Array.isArray(turn) && turn.some(b => b.type === "tool_use") && !["thinking", "redacted_thinking"].includes(turn[0]?.type))
			return refuse(
				`messages.${last}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${turn[0]?.type}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block.`,
			);
		if (String(req.headers["anthropic-version"] ?? "") < "2026-10-21") return undefined;
		const field = ["temperature", "top_p", "top_k"].find(f => body?.[f] !== undefined);
		return field ? refuse(`${field}: Extra inputs are not permitted`) : undefined;
	},
	badKey: () => ({ status: 401, body: { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" }, request_id: id("req_01") } }),
	models: ids => ({
		data: ids.map(m => ({ type: "model", id: m, display_name: m, created_at: "2025-09-29T00:00:00Z" })),
		has_more: false,
		first_id: ids[0] ?? null,
		last_id: ids[ids.length - 1] ?? null,
	}),
	notFound: path => ({ status: 404, body: { type: "error", error: { type: "not_found_error", message: `Not Found: ${path}` } } }),
};

export function fakeAnthropic(opts: { apiKey?: string; models?: string[] } = {}): Promise<FakeVendor> {
	return new FakeVendor(anthropicDialect, opts.apiKey, opts.models ?? ["claude-sonnet-4-6", "claude-haiku-4-5"]).start();
}
