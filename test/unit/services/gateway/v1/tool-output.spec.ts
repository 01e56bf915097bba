import { strict as assert } from "node:assert";
import { CHARS_PER_TOKEN } from "../../../../../lib/compaction/compact";
import { limitToolOutput, toolOutputAnswers } from "../../../../../services/gateway/v1/tool-output";
import { fetchRoomBytes } from "../../../../../services/gateway/v1/answer";
import { loadConfig } from "../../../../../lib/config";
import { conversationTokens } from "../../../../../lib/compaction/compact";

describe("gateway/v1 tool-output: when a tool's raw output is the whole answer, and under the caller's limits", () => {
	it("answers only a call that asks for nothing the raw output cannot honour", () => {
		const messages = [{ role: "user" as const, content: "show me package.json" }];
		assert.equal(toolOutputAnswers({ messages, options: {} }), true);
		assert.equal(toolOutputAnswers({ messages, options: { response_format: { type: "text" } } }), true);
		assert.equal(toolOutputAnswers({ system: " \n", messages, options: {} }), true, "a blank system prompt says nothing");
		assert.equal(toolOutputAnswers({ system: "Reply only in French", messages, options: {} }), false);
		assert.equal(
			toolOutputAnswers({ messages: [{ role: "system", content: "Reply only in French" }, ...messages], options: {} }),
			false,
			"OpenAI's system message",
		);
		assert.equal(toolOutputAnswers({ messages, options: { response_format: { type: "json_object" } } }), false);
		assert.equal(toolOutputAnswers({ messages, options: { response_format: { type: "json_schema", json_schema: { name: "x" } } } }), false);
		const tools = [{ type: "function" as const, function: { name: "read_file" } }];
		assert.equal(toolOutputAnswers({ messages, options: { tools } }), false);
	});

	it("cuts before the first stop sequence in the text, naming it, as a vendor would", () => {
		assert.deepEqual(limitToolOutput('{"name": "x", "version": 1}', { stop: ['"version"', '"name"'] }), {
			text: "{",
			finish_reason: "stop",
			stop_sequence: '"name"',
		});
		assert.deepEqual(limitToolOutput("abc", { stop: "zzz" }), { text: "abc", finish_reason: "stop" });
		assert.deepEqual(limitToolOutput("abc", { stop: [""] }), { text: "abc", finish_reason: "stop" }, "an empty stop matches nothing");
	});

	it("cuts at the output budget, estimated at CHARS_PER_TOKEN characters a token, with finish 'length'", () => {
		const text = "x".repeat(1000);
		const out = limitToolOutput(text, { max_tokens: 5 });
		assert.equal(out.finish_reason, "length");
		assert.equal(out.text.length, Math.floor(5 * CHARS_PER_TOKEN));
		assert.deepEqual(limitToolOutput("short", { max_tokens: 5 }), { text: "short", finish_reason: "stop" });
		assert.deepEqual(limitToolOutput(text, {}), { text, finish_reason: "stop" }, "no budget asked: the whole output");
	});

	it("never cuts inside a surrogate pair", () => {
		const out = limitToolOutput(`abc${"😀".repeat(10)}`, { max_tokens: 1 });
		assert.equal(out.text, "abc");
		assert.doesNotThrow(() => encodeURIComponent(out.text));
	});
});

describe("gateway/v1 answer fetchRoomBytes: what a tool-then-LLM fetch may add to the conversation", () => {
	const config = loadConfig();
	const messages = [{ role: "user" as const, content: "summarize big.log" }];

	it("leaves the smallest context window of the chain room for the conversation and the output", () => {
		const small = config.models["claude-haiku-4-5"].context_window;
		const room = fetchRoomBytes(config, ["gpt-4.1-mini", "claude-haiku-4-5"], messages, 4096);
		assert.ok(room < small * 0.9 * 2.5 && room > small * 0.8 * 2.5, String(room));
	});

	it("is never more than limits.max_context_bytes, nor less than nothing", () => {
		// A window of a million tokens leaves 2.4 MB; a model of no known window, the limit.
		assert.equal(fetchRoomBytes(config, ["gpt-4.1-mini"], messages, 4096), Math.floor((0.9 * 1047576 - conversationTokens(messages) - 4096) * 2.5));
		assert.equal(fetchRoomBytes(config, ["a-model-of-no-known-window"], messages, 4096), config.limits.max_context_bytes);
		const huge = [{ role: "user" as const, content: "x".repeat(8_000_000) }];
		assert.equal(fetchRoomBytes(config, ["claude-haiku-4-5"], huge, 4096), 0);
	});
});
