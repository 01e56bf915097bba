import { strict as assert } from "node:assert";
import { codeSpans } from "../../../../services/prompt/code";

const texts = (text: string) => codeSpans(text).map(s => text.slice(s.start, s.end));

describe("prompt/code", () => {
	it("a fenced block is one span, fences and inner blank lines included; an unclosed fence runs to the end", () => {
		assert.deepEqual(texts("Fix it:\n```py\nx = 1\n\n\n\ny = 2\n```\nThe end."), ["```py\nx = 1\n\n\n\ny = 2\n```"]);
		assert.deepEqual(texts("see:\n~~~\nthe a an\n"), ["~~~\nthe a an\n"]);
	});

	it("an unfenced paste is one span from its first line's indentation to its last line's end, trailing blanks included", () => {
		const paste = "  def f(a):  \n\n\n      return a if a else None\t";
		assert.deepEqual(texts(`the code:\n${paste}\nwhy is it slow?`), [paste]);
	});

	it("a line ending in a colon is code only when an indented block follows (a Makefile target, a YAML key)", () => {
		assert.deepEqual(texts("clean:\n\trm -f app\nHere is the output:\nnothing"), ["clean:\n\trm -f app"]);
	});

	it("prose is no code", () => {
		assert.deepEqual(texts("Could you please explain the difference between a list and a tuple in Python?\nThanks."), []);
	});
});
