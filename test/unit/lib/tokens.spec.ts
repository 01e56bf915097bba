import { strict as assert } from "node:assert";
import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";
import { countMessageTokens, countTokens, MESSAGE_OVERHEAD_TOKENS } from "../../../lib/tokens";

describe("lib/tokens", () => {
	const reference = new Tiktoken(o200k);

	it("counts ordinary text exactly as o200k_base does", () => {
		for (const text of ["hello world", "Show me src/auth/session.ts, please.", "const x = [1, 2, 3].map(n => n * 2);\n// done"]) {
			assert.equal(countTokens(text), reference.encode(text).length, text);
		}
		assert.equal(countTokens(""), 0);
	});

	it("counts a long unbroken run in slices, within about a token per slice of the exact count", function () {
		this.timeout(10_000);
		const blob = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo".repeat(40);
		const exact = reference.encode(`data ${blob} end`).length;
		const sliced = countTokens(`data ${blob} end`);
		assert.ok(Math.abs(sliced - exact) <= Math.ceil(blob.length / 64) + 2, `${sliced} vs ${exact}`);
	});

	it("encodes each distinct slice of a repetitive run once: a 4 MiB run within the context limit does not stall the node", () => {
		const run = "=".repeat(4 * 1024 * 1024);
		// The run is counted in 64-character slices; the text around it is counted as it stays.
		const expected = (run.length / 64) * reference.encode("=".repeat(64)).length + reference.encode("rule   end").length;
		const proto = Tiktoken.prototype as { encode: (...args: unknown[]) => number[] };
		const original = proto.encode;
		let encodes = 0;
		proto.encode = function (this: unknown, ...args: unknown[]) {
			encodes++;
			return original.apply(this, args);
		};
		try {
			assert.equal(countTokens(`rule ${run} end`), expected);
		} finally {
			proto.encode = original;
		}
		// One encode for the slice and one for the text around the run (65 537 before).
		assert.equal(encodes, 2);
	});

	it("adds OpenAI's chat framing per message and per call", () => {
		const n = countMessageTokens([
			{ role: "system", content: "Be brief." },
			{ role: "user", content: "hello world" },
		]);
		assert.equal(n, 3 + countTokens("Be brief.") + countTokens("hello world") + 2 * MESSAGE_OVERHEAD_TOKENS);
	});
});
