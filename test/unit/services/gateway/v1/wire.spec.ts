import { strict as assert } from "node:assert";
import type { ModelsCompleteResult, ModelsStreamEvent } from "../../../../../lib/contracts/complete";
import { ApiError } from "../../../../../services/gateway/v1/api-error";
import { AnthropicStreamEncoder, fromAnthropicRequest } from "../../../../../services/gateway/v1/anthropic-wire";
import { fromOpenAIRequest, OpenAIStreamEncoder } from "../../../../../services/gateway/v1/openai-wire";

const result: ModelsCompleteResult = {
	model: "gpt-4.1-mini",
	provider: "openai",
	service: "llm-openai",
	text: "hi",
	tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: '{"a":1}' } }],
	finish_reason: "tool_calls",
	usage: { input_tokens: 10, output_tokens: 3 },
	usage_source: "vendor",
	cost_usd: 0,
	tries: [],
};

describe("gateway/v1 wire formats", () => {
	it("reads Anthropic blocks: system text, tool_use as a tool call, tool_result as a tool message, cache_control marked", () => {
		const r = fromAnthropicRequest({
			model: "auto",
			max_tokens: 100,
			system: [{ type: "text", text: "sys" }],
			tools: [{ name: "f", input_schema: { type: "object" } }],
			tool_choice: { type: "any" },
			stop_sequences: ["END"],
			messages: [
				{ role: "user", content: [{ type: "text", text: "task", cache_control: { type: "ephemeral" } }] },
				{
					role: "assistant",
					content: [
						{ type: "text", text: "calling" },
						{ type: "tool_use", id: "t1", name: "f", input: { a: 1 } },
					],
				},
				{ role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "42" }] }] },
			],
		});
		assert.equal(r.system, "sys");
		assert.deepEqual(
			r.messages.map(m => m.role),
			["user", "assistant", "tool"],
		);
		assert.deepEqual(r.messages[1].tool_calls, [{ id: "t1", type: "function", function: { name: "f", arguments: '{"a":1}' } }]);
		assert.deepEqual(r.messages[2], { role: "tool", tool_call_id: "t1", content: "42" });
		assert.deepEqual([...r.cache_control!], [[0, { type: "ephemeral" }]]);
		assert.equal(r.options.tool_choice, "required");
		assert.deepEqual(r.options.stop, ["END"]);
		assert.equal(r.options.tools![0].function.name, "f");
	});

	it("refuses what it cannot carry, naming the field", () => {
		assert.throws(
			() => fromAnthropicRequest({ model: "auto", messages: [{ role: "user", content: "x" }] }),
			(e: ApiError) => e.status === 400 && e.param === "max_tokens",
		);
		assert.throws(
			() => fromOpenAIRequest({ model: "auto", messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "x" } }] }] }),
			(e: ApiError) => e.status === 400 && e.param === "messages[0].content[0].type",
		);
		assert.throws(
			() => fromOpenAIRequest({ model: "auto", messages: [{ role: "user", content: "x" }], n: 2 }),
			(e: ApiError) => e.param === "n",
		);
	});

	it("accepts a refused field's value that asks for nothing, as the vendor's API does without the field", () => {
		const messages = [{ role: "user", content: "x" }];
		const inert = { n: 1, logprobs: false, top_logprobs: 0, audio: null, modalities: ["text"], logit_bias: {}, functions: [], function_call: "none" };
		assert.doesNotThrow(() => fromOpenAIRequest({ model: "auto", messages, ...inert }));
		// null is the field left out, on the fields the gateway carries too.
		const nulls = { max_tokens: null, tools: null, tool_choice: null, response_format: null, user: null, temperature: null, stop: null };
		const read = fromOpenAIRequest({ model: "auto", messages, ...nulls });
		for (const k of Object.keys(nulls)) assert.equal((read.options as Record<string, unknown>)[k], undefined, k);
		const anthropic = fromAnthropicRequest({ model: "auto", max_tokens: 10, messages, temperature: null, top_p: null });
		assert.deepEqual([anthropic.options.temperature, anthropic.options.top_p], [undefined, undefined]);
		for (const [param, value] of Object.entries({ logprobs: true, top_logprobs: 3, modalities: ["text", "audio"], logit_bias: { "50256": -100 } }))
			assert.throws(
				() => fromOpenAIRequest({ model: "auto", messages, [param]: value }),
				(e: ApiError) => e.status === 400 && e.param === param,
			);
		assert.doesNotThrow(() => fromAnthropicRequest({ model: "auto", max_tokens: 10, messages, thinking: { type: "disabled" } }));
		// Thinking is carried (to Claude models), checked as the Messages API checks it.
		const thinking = { type: "enabled", budget_tokens: 1024 };
		assert.deepEqual(fromAnthropicRequest({ model: "auto", max_tokens: 2000, messages, thinking }).options.thinking, thinking);
		assert.throws(
			() => fromAnthropicRequest({ model: "auto", max_tokens: 10, messages, thinking }),
			(e: ApiError) => e.param === "max_tokens",
		);
		assert.throws(
			() => fromAnthropicRequest({ model: "auto", max_tokens: 2000, messages, thinking: { type: "on" } }),
			(e: ApiError) => e.param === "thinking",
		);
	});

	it("reasoning blocks: an assistant's thinking and redacted_thinking read into its turn; a stream's become thinking blocks with their signature", () => {
		const req = fromAnthropicRequest({
			model: "auto",
			max_tokens: 10,
			messages: [
				{ role: "user", content: "x" },
				{
					role: "assistant",
					content: [
						{ type: "thinking", thinking: "hmm", signature: "sig" },
						{ type: "redacted_thinking", data: "opaque" },
						{ type: "tool_use", id: "toolu_1", name: "f", input: {} },
					],
				},
			],
		});
		assert.deepEqual(req.messages[1].thinking, [
			{ type: "thinking", thinking: "hmm", signature: "sig" },
			{ type: "redacted_thinking", data: "opaque" },
		]);
		assert.throws(
			() =>
				fromAnthropicRequest({
					model: "auto",
					max_tokens: 10,
					messages: [{ role: "user", content: [{ type: "thinking", thinking: "x", signature: "s" }] }],
				}),
			(e: ApiError) => e.param === "messages[0].content[0].type",
		);
		const enc = new AnthropicStreamEncoder("claude-sonnet-4-6", 12);
		const thinkingEvents: ModelsStreamEvent[] = [
			{ type: "thinking", index: 0 },
			{ type: "thinking", index: 0, thinking: "let me " },
			{ type: "thinking", index: 0, thinking: "see" },
			{ type: "thinking", index: 0, signature: "sig" },
			{ type: "thinking", index: 1, data: "opaque" },
			{ type: "text", text: "hi" },
			{ type: "done", result: { ...result, tool_calls: undefined, finish_reason: "stop" } },
		];
		const seq = frames([enc.open(), ...thinkingEvents.map(e => enc.event(e).text)].join(""));
		const blocks = seq.filter(([e]) => e === "content_block_start").map(([, d]) => d.content_block);
		assert.deepEqual(blocks, [
			{ type: "thinking", thinking: "", signature: "" },
			{ type: "redacted_thinking", data: "opaque" },
			{ type: "text", text: "" },
		]);
		const deltas = seq.filter(([e, d]) => e === "content_block_delta" && d.index === 0).map(([, d]) => d.delta);
		assert.deepEqual(deltas, [
			{ type: "thinking_delta", thinking: "let me " },
			{ type: "thinking_delta", thinking: "see" },
			{ type: "signature_delta", signature: "sig" },
		]);
	});

	it("holds OpenAI's 4 stop sequences at its endpoint; the Messages endpoint takes more", () => {
		const messages = [{ role: "user", content: "x" }];
		const five = ["a", "b", "c", "d", "e"];
		assert.throws(
			() => fromOpenAIRequest({ model: "auto", messages, stop: five }),
			(e: ApiError) => e.status === 400 && e.param === "stop",
		);
		assert.deepEqual(fromAnthropicRequest({ model: "auto", max_tokens: 10, messages, stop_sequences: five }).options.stop, five);
	});

	it("refuses fields of the wrong type by name instead of dropping them or sending the vendor 'undefined'", () => {
		const user = [{ role: "user", content: "x" }];
		const anthropic =
			(extra: Record<string, unknown>, messages: unknown[] = user) =>
			() =>
				fromAnthropicRequest({ model: "auto", max_tokens: 10, messages, ...extra });
		const openai = (extra: Record<string, unknown>) => () => fromOpenAIRequest({ model: "auto", messages: user, ...extra });
		const refused = (f: () => unknown, param: string) =>
			assert.throws(f, (e: ApiError) => {
				assert.ok(e instanceof ApiError, String(e));
				assert.deepEqual([e.status, e.param], [400, param], e.message);
				return true;
			});
		refused(anthropic({ stream: "yes" }), "stream");
		refused(anthropic({ system: 5 }), "system");
		refused(anthropic({ stop_sequences: "END" }), "stop_sequences");
		refused(anthropic({ stop_sequences: [1] }), "stop_sequences");
		refused(anthropic({ tools: { name: "f" } }), "tools");
		refused(anthropic({ tool_choice: "auto" }), "tool_choice");
		refused(anthropic({ tool_choice: { type: "sometimes" } }), "tool_choice");
		refused(anthropic({ tool_choice: { type: "tool" } }), "tool_choice.name");
		refused(anthropic({}, [...user, { role: "assistant", content: [{ type: "tool_use", input: {} }] }]), "messages[1].content[0].id");
		refused(anthropic({}, [...user, { role: "assistant", content: [{ type: "tool_use", id: "t1", input: {} }] }]), "messages[1].content[0].name");
		refused(anthropic({}, [{ role: "user", content: [{ type: "tool_result", content: "ok" }] }]), "messages[0].content[0].tool_use_id");
		refused(openai({ stream: "yes" }), "stream");
		refused(openai({ stream: true, stream_options: "usage" }), "stream_options");
		refused(openai({ stream_options: { include_usage: true } }), "stream_options");
		// What the SDKs send stays accepted.
		assert.equal(fromOpenAIRequest({ model: "auto", messages: user, stream: false, stream_options: null }).stream, false);
		const ok = fromAnthropicRequest({
			model: "auto",
			max_tokens: 10,
			messages: user,
			stream: false,
			system: "sys",
			stop_sequences: [],
			tool_choice: { type: "tool", name: "f" },
			tools: [{ name: "f", input_schema: { type: "object" } }],
		});
		assert.deepEqual(ok.options.tool_choice, { type: "function", function: { name: "f" } });
	});

	/** A streamed answer as models.stream sends it: text in two pieces, a tool call in fragments, done. */
	const events: ModelsStreamEvent[] = [
		{ type: "text", text: "h" },
		{ type: "text", text: "i" },
		{ type: "tool_call", index: 0, id: "call_1", name: "f" },
		{ type: "tool_call", index: 0, arguments: '{"a":' },
		{ type: "tool_call", index: 0, arguments: "1}" },
		{ type: "done", result },
	];
	/** The SSE frames an encoder writes, parsed back: [event name or "data", JSON or "[DONE]"]. */
	const frames = (text: string) =>
		text
			.split("\n\n")
			.filter(Boolean)
			.map(f => {
				const event = /^event: (.+)$/m.exec(f)?.[1] ?? "data";
				const data = /^data: (.+)$/m.exec(f)![1];
				return [event, data === "[DONE]" ? data : JSON.parse(data)] as [string, any];
			});

	it("encodes a stream as OpenAI chunks as it arrives, ending in usage and [DONE]", () => {
		const enc = new OpenAIStreamEncoder("gpt-4.1-mini", true);
		const out = [enc.open(), ...events.map(e => enc.event(e).text)].join("");
		const chunks = frames(out).map(([, d]) => d);
		assert.equal(chunks[0].choices[0].delta.role, "assistant");
		assert.equal(chunks[1].choices[0].delta.content + chunks[2].choices[0].delta.content, "hi");
		assert.equal(chunks[3].choices[0].delta.tool_calls[0].function.name, "f");
		assert.equal(chunks[3].choices[0].delta.tool_calls[0].id, "call_1");
		assert.equal(chunks[4].choices[0].delta.tool_calls[0].function.arguments + chunks[5].choices[0].delta.tool_calls[0].function.arguments, '{"a":1}');
		assert.equal(chunks[6].choices[0].finish_reason, "tool_calls");
		assert.deepEqual(chunks[7].usage, { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 });
		assert.equal(chunks[8], "[DONE]");
		assert.equal(enc.event({ type: "done", result }).end, true);
	});

	it("encodes a stream as the Anthropic event sequence, one block per content kind", () => {
		const enc = new AnthropicStreamEncoder("gpt-4.1-mini", 12);
		const out = [enc.open(), ...events.map(e => enc.event(e).text)].join("");
		const seq = frames(out);
		assert.deepEqual(
			seq.map(([e]) => e),
			[
				"message_start",
				"content_block_start",
				"content_block_delta",
				"content_block_delta",
				"content_block_stop",
				"content_block_start",
				"content_block_delta",
				"content_block_delta",
				"content_block_stop",
				"message_delta",
				"message_stop",
			],
		);
		assert.equal(seq[5][1].content_block.type, "tool_use");
		assert.equal(seq[5][1].index, 1);
		assert.equal(seq[6][1].delta.partial_json + seq[7][1].delta.partial_json, '{"a":1}');
		assert.equal(seq[9][1].delta.stop_reason, "tool_use");
	});

	it("interleaved tool-call fragments (OpenAI's format allows them) become whole tool_use blocks, one per call", () => {
		const interleaved: ModelsStreamEvent[] = [
			{ type: "tool_call", index: 0, id: "call_a", name: "read", arguments: '{"path":' },
			{ type: "tool_call", index: 1, id: "call_b", name: "grep", arguments: '{"q":' },
			{ type: "tool_call", index: 0, arguments: '"a.ts"}' },
			{ type: "tool_call", index: 1, arguments: '"x"}' },
			{ type: "done", result: { ...result, text: "", tool_calls: undefined } },
		];
		const enc = new AnthropicStreamEncoder("gpt-4.1-mini", 12);
		const seq = frames([enc.open(), ...interleaved.map(e => enc.event(e).text)].join(""));
		// Each block's input as a Messages client assembles it: its input_json_delta pieces, by block index.
		const blocks = new Map<number, { id: string; name: string; json: string; stopped: boolean }>();
		for (const [event, d] of seq) {
			if (event === "content_block_start") blocks.set(d.index, { id: d.content_block.id, name: d.content_block.name, json: "", stopped: false });
			if (event === "content_block_delta") {
				const b = blocks.get(d.index)!;
				assert.ok(b && !b.stopped, `a delta for block ${d.index}, which is ${b ? "closed" : "not open"}`);
				b.json += d.delta.partial_json;
			}
			if (event === "content_block_stop") blocks.get(d.index)!.stopped = true;
		}
		assert.deepEqual(
			[...blocks.values()].map(b => [b.id, b.name, JSON.parse(b.json), b.stopped]),
			[
				["call_a", "read", { path: "a.ts" }, true],
				["call_b", "grep", { q: "x" }, true],
			],
		);
		assert.equal(seq.at(-1)![0], "message_stop");
	});

	it("a failure after content is an error frame in each API's format, with no clean finish", () => {
		const failure: ModelsStreamEvent = { type: "error", message: "vendor connection reset", code: 502, reason: "network" };
		const o = new OpenAIStreamEncoder("m", false);
		const ofr = frames(o.event({ type: "text", text: "par" }).text + o.event(failure).text);
		assert.equal(ofr[1][1].error.message, "vendor connection reset");
		assert.ok(!ofr.some(([, d]) => d === "[DONE]"));
		const a = new AnthropicStreamEncoder("m", 1);
		const afr = frames(a.event({ type: "text", text: "par" }).text + a.event(failure).text);
		assert.equal(afr[afr.length - 1][0], "error");
		assert.equal(afr[afr.length - 1][1].error.type, "api_error");
		assert.ok(!afr.some(([e]) => e === "message_stop"));
	});
});
