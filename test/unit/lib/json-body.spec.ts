import { strict as assert } from "node:assert";
import { JsonScanner } from "../../../lib/json-body";

/** The scanner over a whole text, as one chunk. */
function scanJson(text: string, max: number): JsonScanner {
	const scanner = new JsonScanner(max);
	scanner.feed(Buffer.from(text, "utf8"));
	return scanner;
}

/** One pass over a body's text: its nesting and its top-level `messages` count, as JSON.parse would read them. */
describe("lib/json-body JsonScanner", () => {
	const count = (body: unknown) => scanJson(JSON.stringify(body), 64).messages;

	it("counts the top-level messages array's entries as JSON.parse reads them", () => {
		const msgs = (n: number) => Array.from({ length: n }, (_, i) => ({ role: i % 2 ? "user" : "assistant", content: `a, [b], {c: "d, e"} ${i}` }));
		for (const n of [0, 1, 2, 17, 1000]) assert.equal(count({ model: "x", messages: msgs(n) }), n);
		assert.equal(count({ messages: ["a,b", "c"], model: "x" }), 2);
		assert.equal(count({ messages: [[1, 2], [3], []] }), 3);
		// Whitespace and escapes as any client may send them.
		assert.equal(scanJson('{ "model" : "m\\"messages\\"" , "messages" :\n [ {"content":"\\\\"} ,\t{} ] }', 64).messages, 2);
	});

	it("counts nothing that is not the top-level object's messages array", () => {
		assert.equal(count({ model: "x" }), undefined);
		assert.equal(count({ messages: "a, b, c" }), undefined);
		assert.equal(count({ request: { messages: [1, 2, 3] } }), undefined);
		assert.equal(count({ model: "messages", other: [1, 2, 3] }), undefined);
		assert.equal(count([{ messages: [1, 2] }]), undefined);
		assert.equal(count({ messagesX: [1, 2] }), undefined);
	});

	it("stops at the depth limit", () => {
		assert.equal(scanJson("[".repeat(65) + "]".repeat(65), 64).tooDeep, true);
		assert.equal(scanJson("[".repeat(64) + "]".repeat(64), 64).tooDeep, false);
		assert.equal(scanJson(JSON.stringify({ a: "[".repeat(100) }), 64).tooDeep, false);
	});

	it("reads a body fed in chunks as it reads it whole, wherever the chunks are cut", () => {
		const text = '{ "model" : "m\\"messages\\"", "messages": [ {"content": "é, [\\"x\\"]"}, {"a": [1, {"b": 2}]}, "c" ], "z": [[[]]] }';
		const bytes = Buffer.from(text);
		for (let cut = 0; cut <= bytes.length; cut++) {
			const scanner = new JsonScanner(5);
			scanner.feed(bytes.subarray(0, cut));
			scanner.feed(bytes.subarray(cut));
			assert.equal(scanner.messages, 3, `cut at ${cut}`);
			assert.equal(scanner.tooDeep, false);
		}
		const deep = new JsonScanner(2);
		deep.feed(Buffer.from('{"a": ['));
		assert.equal(deep.tooDeep, false);
		deep.feed(Buffer.from("["));
		assert.equal(deep.tooDeep, true);
	});

	it("counts an open messages array's entries so far, so a limit can refuse it before it ends", () => {
		const scanner = new JsonScanner(64);
		scanner.feed(Buffer.from('{"messages": ['));
		assert.equal(scanner.messages, 0);
		scanner.feed(Buffer.from('{"role": "user"}, {"role": "assistant"}, {'));
		assert.equal(scanner.messages, 3);
	});
});
