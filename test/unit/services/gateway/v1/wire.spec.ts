import { strict as assert } from "node:assert";
import type { ModelsCompleteResult } from "../../../../../lib/contracts/complete";
import { ApiError } from "../../../../../services/gateway/v1/api-error";
import { fromAnthropicRequest, toAnthropicEvents } from "../../../../../services/gateway/v1/anthropic-wire";
import { fromOpenAIRequest, toOpenAIChunks } from "../../../../../services/gateway/v1/openai-wire";

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
				{ role: "assistant", content: [{ type: "text", text: "calling" }, { type: "tool_use", id: "t1", name: "f", input: { a: 1 } }] },
				{ role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "42" }] }] },
			],
		});
		assert.equal(r.system, "sys");
		assert.deepEqual(r.messages.map(m => m.role), ["user", "assistant", "tool"]);
		assert.deepEqual(r.messages[1].tool_calls, [{ id: "t1", type: "function", function: { name: "f", arguments: '{"a":1}' } }]);
		assert.deepEqual(r.messages[2], { role: "tool", tool_call_id: "t1", content: "42" });
		assert.deepEqual([...r.cache_control!], [0]);
		assert.equal(r.options.tool_choice, "required");
		assert.deepEqual(r.options.stop, ["END"]);
		assert.equal(r.options.tools![0].function.name, "f");
	});

	it("refuses what it cannot carry, naming the field", () => {
		assert.throws(() => fromAnthropicRequest({ model: "auto", messages: [{ role: "user", content: "x" }] }), (e: ApiError) => e.status === 400 && e.param === "max_tokens");
		assert.throws(
			() => fromOpenAIRequest({ model: "auto", messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "x" } }] }] }),
			(e: ApiError) => e.status === 400 && e.param === "messages[0].content[0].type",
		);
		assert.throws(() => fromOpenAIRequest({ model: "auto", messages: [{ role: "user", content: "x" }], n: 2 }), (e: ApiError) => e.param === "n");
	});

	it("writes the OpenAI chunk sequence and the Anthropic event sequence", () => {
		const chunks = toOpenAIChunks(result, true) as any[];
		assert.equal(chunks[0].choices[0].delta.role, "assistant");
		assert.equal(chunks[1].choices[0].delta.content, "hi");
		assert.equal(chunks[2].choices[0].delta.tool_calls[0].function.name, "f");
		assert.equal(chunks[3].choices[0].finish_reason, "tool_calls");
		assert.deepEqual(chunks[4].usage, { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 });
		const events = toAnthropicEvents(result).map(([e]) => e);
		assert.deepEqual(events, ["message_start", "content_block_start", "content_block_delta", "content_block_stop", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
	});
});
