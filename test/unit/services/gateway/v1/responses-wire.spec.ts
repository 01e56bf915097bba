import { strict as assert } from "node:assert";
import type { ModelsCompleteResult, ModelsStreamEvent } from "../../../../../lib/contracts/complete";
import { ApiError } from "../../../../../services/gateway/v1/api-error";
import { fromAnthropicRequest } from "../../../../../services/gateway/v1/anthropic-wire";
import { fromOpenAIRequest } from "../../../../../services/gateway/v1/openai-wire";
import { fromResponsesRequest, ResponsesStreamEncoder, toResponsesResponse } from "../../../../../services/gateway/v1/responses-wire";

const result = (over: Partial<ModelsCompleteResult> = {}): ModelsCompleteResult => ({
	model: "gpt-4.1-mini",
	provider: "openai",
	service: "llm-openai",
	text: "",
	finish_reason: "stop",
	usage: { input_tokens: 10, output_tokens: 3 },
	usage_source: "vendor",
	cost_usd: 0,
	tries: [],
	...over,
});

/** The SSE frames an encoder wrote, parsed: [event name, data]. */
function frames(text: string): [string, any][] {
	return text
		.split("\n\n")
		.filter(Boolean)
		.map(f => {
			const [event, data] = f.split("\n");
			return [event.slice("event: ".length), JSON.parse(data.slice("data: ".length))];
		});
}

function encode(events: ModelsStreamEvent[]) {
	const enc = new ResponsesStreamEncoder("gpt-4.1-mini", fromResponsesRequest({ model: "gpt-4.1-mini", input: "x" }).echo);
	return frames(enc.open() + events.map(e => enc.event(e).text).join(""));
}

describe("gateway/v1 Responses wire", () => {
	it("a value whose toString is not a function is a 400 naming the field on every wire, not a 500", () => {
		const evil = { toString: null };
		const refusals: [() => unknown, string][] = [
			[() => fromResponsesRequest({ model: "m", input: [{ role: "user", content: [{ type: evil }] }] }), "input[0].content[0].type"],
			[() => fromResponsesRequest({ model: "m", input: [{ type: evil }] }), "input[0].type"],
			[() => fromResponsesRequest({ model: "m", input: "x", tools: [{ type: evil }] }), "tools[0].type"],
			[() => fromResponsesRequest({ model: "m", input: "x", tool_choice: { type: evil } }), "tool_choice"],
			[() => fromOpenAIRequest({ model: "m", messages: [{ role: "user", content: [{ type: evil }] }] }), "messages[0].content[0].type"],
			[() => fromAnthropicRequest({ model: "m", max_tokens: 5, messages: [{ role: "user", content: [{ type: evil }] }] }), "messages[0].content[0].type"],
		];
		for (const [call, param] of refusals)
			assert.throws(call, (e: unknown) => e instanceof ApiError && e.status === 400 && e.param === param && e.message.includes('{"toString":null}'));
	});

	it("reads function_call items after a turn's text into that assistant turn, and tool outputs as tool messages", () => {
		const r = fromResponsesRequest({
			model: "auto",
			instructions: "sys",
			input: [
				{ role: "user", content: "task" },
				{ type: "message", role: "assistant", content: [{ type: "output_text", text: "calling", annotations: [] }] },
				{ type: "function_call", call_id: "c1", name: "f", arguments: '{"a":1}' },
				{ type: "function_call", call_id: "c2", name: "g", arguments: "{}" },
				{ type: "function_call_output", call_id: "c1", output: [{ type: "input_text", text: "42" }] },
				{ type: "function_call_output", call_id: "c2", output: "ok" },
			],
		});
		assert.equal(r.system, "sys");
		assert.deepEqual(r.messages, [
			{ role: "user", content: "task" },
			{
				role: "assistant",
				content: "calling",
				tool_calls: [
					{ id: "c1", type: "function", function: { name: "f", arguments: '{"a":1}' } },
					{ id: "c2", type: "function", function: { name: "g", arguments: "{}" } },
				],
			},
			{ role: "tool", tool_call_id: "c1", content: "42" },
			{ role: "tool", tool_call_id: "c2", content: "ok" },
		]);
	});

	it("an answer with no content has its empty message; a length stop is incomplete", () => {
		const echo = fromResponsesRequest({ model: "m", input: "x" }).echo;
		const empty = toResponsesResponse(result(), echo);
		assert.deepEqual(
			empty.output.map((o: any) => [o.type, o.content[0].text]),
			[["message", ""]],
		);
		const cut = toResponsesResponse(result({ text: "one two", finish_reason: "length" }), echo);
		assert.deepEqual([cut.status, cut.incomplete_details], ["incomplete", { reason: "max_output_tokens" }]);
		assert.equal((cut.output[0] as any).status, "incomplete");
		const streamed = encode([{ type: "done", result: result() }]);
		assert.deepEqual(
			streamed.map(([name]) => name),
			[
				"response.created",
				"response.in_progress",
				"response.output_item.added",
				"response.content_part.added",
				"response.output_text.done",
				"response.content_part.done",
				"response.output_item.done",
				"response.completed",
			],
		);
	});

	it("interleaved parallel call fragments each keep their item; text after the calls is a message of its own", () => {
		const calls = [
			{ id: "c1", type: "function" as const, function: { name: "f", arguments: '{"a":1}' } },
			{ id: "c2", type: "function" as const, function: { name: "g", arguments: '{"b":2}' } },
		];
		const out = encode([
			{ type: "text", text: "let me look" },
			{ type: "tool_call", index: 0, id: "c1", name: "f", arguments: '{"a"' },
			{ type: "tool_call", index: 1, id: "c2", name: "g", arguments: '{"b":2}' },
			{ type: "tool_call", index: 0, arguments: ":1}" },
			{ type: "text", text: "done" },
			{ type: "done", result: result({ text: "let me lookdone", tool_calls: calls, finish_reason: "tool_calls" }) },
		]);
		assert.deepEqual(
			out.map(([, d]) => d.sequence_number),
			out.map((_, i) => i),
		);
		const final = out.at(-1)![1].response;
		assert.equal(out.at(-1)![0], "response.completed");
		assert.deepEqual(
			final.output.map((o: any) => (o.type === "message" ? ["message", o.content[0].text] : [o.call_id, o.name, o.arguments])),
			[
				["message", "let me look"],
				["c1", "f", '{"a":1}'],
				["c2", "g", '{"b":2}'],
				["message", "done"],
			],
		);
		// Every delta names the item it belongs to, as added.
		for (const [name, d] of out.filter(([n]) => n === "response.function_call_arguments.delta"))
			assert.equal(final.output[d.output_index].id, d.item_id, name);
	});

	it("a call streamed without an id or whole name is completed from the walk's result when the item is done", () => {
		const out = encode([
			{ type: "tool_call", index: 0, name: "read_", arguments: '{"p":1}' },
			{ type: "tool_call", index: 0, name: "file" },
			{
				type: "done",
				result: result({
					tool_calls: [{ id: "call_x__thought__c2ln", type: "function", function: { name: "read_file", arguments: '{"p":1}' } }],
					finish_reason: "tool_calls",
				}),
			},
		]);
		const done = out.find(([n]) => n === "response.output_item.done")![1].item;
		assert.deepEqual([done.call_id, done.name, done.arguments], ["call_x__thought__c2ln", "read_file", '{"p":1}']);
		assert.deepEqual(out.at(-1)![1].response.output[0], done);
	});

	it("a failure after content is response.failed, then an error event carrying an error object, and no response.completed", () => {
		const out = encode([
			{ type: "text", text: "one " },
			{ type: "error", message: "the vendor reset the connection", code: 502 },
		]);
		const names = out.map(([n]) => n);
		assert.deepEqual(names.slice(-2), ["response.failed", "error"]);
		assert.ok(!names.includes("response.completed"));
		const failed = out.at(-2)![1].response;
		assert.equal(failed.status, "failed");
		assert.deepEqual(failed.error, { code: "server_error", message: "the vendor reset the connection" });
		assert.deepEqual(
			failed.output.map((o: any) => [o.status, o.content[0].text]),
			[["incomplete", "one "]],
		);
		const error = out.at(-1)![1];
		assert.equal(error.message, "the vendor reset the connection");
		assert.equal(error.error.message, "the vendor reset the connection");
	});
});
