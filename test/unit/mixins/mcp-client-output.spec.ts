import { strict as assert } from "node:assert";
import { boundedOutput } from "../../../mixins/mcp-client.mixin";

describe("mixins/mcp-client boundedOutput: a tool's output held to limits.max_context_bytes", () => {
	it("passes an output within the limit as it is", () => {
		assert.deepEqual(boundedOutput("héllo", 6), { text: "héllo", cut: false });
	});

	it("cuts a longer one at the byte limit, never inside a character, and says how much the tool returned", () => {
		const out = boundedOutput("ab🚀cd", 4);
		assert.equal(out.cut, true);
		assert.equal(out.text, "ab\n[… truncated: the tool returned 8 bytes, more than limits.max_context_bytes (4)]");
	});
});
