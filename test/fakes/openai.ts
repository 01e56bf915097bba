import { randomBytes } from "node:crypto";
import { defaultText, deltas, FakeVendor, type Dialect } from "./vendor";

const id = (prefix: string) => `${prefix}${randomBytes(12).toString("hex")}`;

/** OpenAI's Chat Completions wire format (also what Ollama, vLLM and LM Studio speak under /v1). */
export const openaiDialect: Dialect = {
	name: "openai",
	route(method, url) {
		if (method === "POST" && url.pathname === "/v1/chat/completions") return { kind: "complete", stream: false };
		if (method === "GET" && url.pathname === "/v1/models") return { kind: "models", stream: false };
		return undefined;
	},
	apiKey: req => /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1],
	success(_route, body, b) {
		const input = b.input_tokens ?? 21;
		const output = b.output_tokens ?? 9;
		const toolCalls = b.toolCalls?.map(c => ({ id: id("call_"), type: "function", function: c }));
		return {
			id: id("chatcmpl-"),
			object: "chat.completion",
			created: Math.floor(Date.now() / 1000),
			model: body.model,
			choices: [
				{
					index: 0,
					message: toolCalls
						? { role: "assistant", content: null, tool_calls: toolCalls, refusal: null, annotations: [] }
						: { role: "assistant", content: b.text ?? defaultText("openai", body.model), refusal: null, annotations: [] },
					logprobs: null,
					finish_reason: b.finish ?? (toolCalls ? "tool_calls" : "stop"),
				},
			],
			...(b.noUsage
				? {}
				: {
						usage: {
							prompt_tokens: input,
							completion_tokens: output,
							total_tokens: input + output,
							prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
							completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
						},
					}),
			service_tier: "default",
			system_fingerprint: "fp_fake",
		};
	},
	stream(_route, body, b) {
		const base = {
			id: id("chatcmpl-"),
			object: "chat.completion.chunk",
			created: Math.floor(Date.now() / 1000),
			model: body.model,
			system_fingerprint: "fp_fake",
		};
		const text = b.text ?? defaultText("openai", body.model);
		const events = [{ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: null }] }];
		if (b.toolCalls) {
			// As OpenAI streams a call: its id, type and name first, then the arguments in pieces.
			b.toolCalls.forEach((c, index) => {
				events.push({
					...base,
					choices: [
						{
							index: 0,
							delta: { tool_calls: [{ index, id: id("call_"), type: "function", function: { name: c.name, arguments: "" } }] } as any,
							logprobs: null,
							finish_reason: null,
						},
					],
				});
				const half = Math.ceil(c.arguments.length / 2);
				for (const piece of [c.arguments.slice(0, half), c.arguments.slice(half)])
					events.push({
						...base,
						choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: piece } }] } as any, logprobs: null, finish_reason: null }],
					});
			});
		} else
			for (const d of deltas(text)) events.push({ ...base, choices: [{ index: 0, delta: { content: d } as any, logprobs: null, finish_reason: null }] });
		events.push({
			...base,
			choices: [{ index: 0, delta: {} as any, logprobs: null, finish_reason: (b.finish ?? (b.toolCalls ? "tool_calls" : "stop")) as any }],
		});
		const out = events.map(e => `data: ${JSON.stringify(e)}\n\n`);
		// With stream_options.include_usage the last chunk has no choices and carries the usage.
		if (body.stream_options?.include_usage && !b.noUsage) {
			const input = b.input_tokens ?? 21;
			const output = b.output_tokens ?? 9;
			out.push(
				`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output } })}\n\n`,
			);
		}
		out.push("data: [DONE]\n\n");
		return out;
	},
	error(status, message, retryAfter) {
		const known: Record<number, { type: string; code: string | null; message: string }> = {
			400: { type: "invalid_request_error", code: null, message: "Invalid request." },
			404: { type: "invalid_request_error", code: "model_not_found", message: "The model does not exist or you do not have access to it." },
			429: { type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached for requests. Please try again later." },
			500: { type: "server_error", code: null, message: "The server had an error while processing your request. Sorry about that!" },
			503: { type: "server_error", code: null, message: "The engine is currently overloaded, please try again later." },
		};
		const k = known[status] ?? { type: "server_error", code: null, message: `HTTP ${status}` };
		const headers: Record<string, string> = { "x-request-id": id("req_") };
		if (status === 429)
			Object.assign(headers, {
				"x-ratelimit-limit-requests": "500",
				"x-ratelimit-remaining-requests": "0",
				"x-ratelimit-reset-requests": `${retryAfter ?? 1}s`,
			});
		return { body: { error: { message: message ?? k.message, type: k.type, param: null, code: k.code } }, headers };
	},
	// What Chat Completions refuses of what a translation can get wrong: a tool call id over 40 characters, reasoning_effort
	// for a model that does not reason (the gpt-4.1 family, gpt-4o-mini), an empty stop list.
	invalid(_req, body) {
		const refuse = (param: string, message: string) => ({ status: 400, body: { error: { message, type: "invalid_request_error", param, code: null } } });
		if (body?.reasoning_effort !== undefined && /^gpt-(4\.1|4o)/.test(String(body.model)))
			return refuse("reasoning_effort", "Unsupported parameter: 'reasoning_effort' is not supported with this model.");
		if (Array.isArray(body?.stop) && !body.stop.length) return refuse("stop", "[] is too short - 'stop'");
		const messages: { tool_calls?: { id?: string }[] }[] = Array.isArray(body?.messages) ? body.messages : [];
		for (const [i, m] of messages.entries())
			for (const [j, c] of (m.tool_calls ?? []).entries())
				if ((c.id ?? "").length > 40) {
					const param = `messages[${i}].tool_calls[${j}].id`;
					const message = `Invalid '${param}': string too long. Expected a string with maximum length 40, but got a string with length ${c.id!.length} instead.`;
					return { status: 400, body: { error: { message, type: "invalid_request_error", param, code: "string_above_max_length" } } };
				}
		return undefined;
	},
	badKey: key => ({
		status: 401,
		body: {
			error: {
				message: `Incorrect API key provided: ${key ?? "(none)"}. You can find your API key at https://platform.openai.com/account/api-keys.`,
				type: "invalid_request_error",
				param: null,
				code: "invalid_api_key",
			},
		},
	}),
	models: ids => ({ object: "list", data: ids.map(m => ({ id: m, object: "model", created: 1_744_316_542, owned_by: "system" })) }),
	notFound: path => ({ status: 404, body: { error: { message: `Invalid URL (POST ${path})`, type: "invalid_request_error", param: null, code: null } } }),
};

export function fakeOpenAI(opts: { apiKey?: string; models?: string[] } = {}): Promise<FakeVendor> {
	return new FakeVendor(openaiDialect, opts.apiKey, opts.models ?? ["gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano"]).start();
}
