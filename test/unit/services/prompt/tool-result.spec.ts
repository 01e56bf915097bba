import assert from "node:assert/strict";
import { withToolResult } from "../../../../services/prompt/tool-result";

describe("prompt with a tool's result (tool-then-LLM chains)", () => {
	it("appends what the tool fetched under its name", () => {
		assert.equal(withToolResult("summarize a.ts", "read_text_file", "const a = 1;", false, 100), "summarize a.ts\n\nread_text_file result:\nconst a = 1;");
	});
	it("says why the tool could not fetch it", () => {
		assert.equal(withToolResult("summarize a.ts", "read_text_file", "ENOENT", true, 100), "summarize a.ts\n\n(read_text_file could not fetch it: ENOENT)");
	});
	it("holds the fetched text to the byte limit of an attached context", () => {
		assert.equal(withToolResult("p", "t", "x".repeat(20), false, 8), "p\n\nt result:\nxxxxxxxx\n[truncated at 8 bytes]");
	});
});
