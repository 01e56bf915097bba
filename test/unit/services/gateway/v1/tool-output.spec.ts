import { strict as assert } from "node:assert";
import { CHARS_PER_TOKEN } from "../../../../../lib/compaction/compact";
import { limitToolOutput, toolOutputAnswers } from "../../../../../services/gateway/v1/tool-output";

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
