import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { INTENTS } from "../../../../lib/contracts";
import { ASSIST_SYSTEM, assistCacheKey, assistMessage, MAX_ASSIST_REQUEST_CHARS, parseLabel } from "../../../../services/intent/assist";

describe("intent/assist", () => {
	it("the instruction defines the five labels with the labeling guide's definitions", () => {
		const guide = readFileSync("data/train/LABELS.md", "utf8");
		for (const label of INTENTS) {
			const line = ASSIST_SYSTEM.split("\n").find(l => l.startsWith(`${label}: `));
			assert.ok(line, label);
			// The guide's definition, up to its first colon, opens each line.
			const definition = new RegExp(`- \`${label}\`: ([^:]+)`).exec(guide)![1];
			assert.ok(line.startsWith(`${label}: ${definition}`), `${line} / ${definition}`);
		}
		assert.match(ASSIST_SYSTEM, /exactly one label/);
	});

	it("reads exactly one label, in any case, quoted or followed by a period", () => {
		for (const [answer, label] of [
			["WRITE", "WRITE"],
			[" analyze\n", "ANALYZE"],
			['"SEARCH"', "SEARCH"],
			["`MANAGE`.", "MANAGE"],
			["**Read**", "READ"],
		] as const) {
			assert.equal(parseLabel(answer), label, answer);
		}
	});

	it("refuses anything else: sentences, two labels, a cut-off label, an unknown word, nothing", () => {
		for (const answer of ["It is READ.", "READ or WRITE", "READ, WRITE", "ANALY", "DELETE", "", "  ", "READ\nWRITE", "1. READ"]) {
			assert.equal(parseLabel(answer), null, JSON.stringify(answer));
		}
	});

	it("sends the normalized request, and cuts a long one", () => {
		assert.equal(assistMessage("  the   thing\r\n"), "the thing");
		const long = assistMessage("word ".repeat(2000));
		assert.ok(long.length <= MAX_ASSIST_REQUEST_CHARS + 6 && long.endsWith(" [...]"), `${long.length}`);
	});

	it("names the attached context keys and file paths, never contents, within bounds", () => {
		const files = Array.from({ length: 7 }, (_, i) => ({ path: `src/f${i}.ts`, content: "SECRET CONTENT" }));
		const m = assistMessage("why?", { files, error: "Boom", logs: [], framework: "" });
		assert.equal(m, "why?\n\nAttached: files (src/f0.ts, src/f1.ts, src/f2.ts, src/f3.ts, src/f4.ts and 2 more), error");
		assert.equal(assistMessage("why?", { files: "not-an-array" } as never), "why?\n\nAttached: files");
		const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, 1]));
		assert.match(assistMessage("why?", many), /Attached: k0, k1, k2, k3, k4, k5, k6, k7, \.\.\.$/);
	});

	it("keys the cache on the message and the output room", () => {
		const k = assistCacheKey("the thing", 5);
		assert.match(k, /^intent\.llm_assist:[0-9a-f]{64}$/);
		assert.equal(k, assistCacheKey("the thing", 5));
		assert.notEqual(k, assistCacheKey("the thing", 6));
		assert.notEqual(k, assistCacheKey("the thing\n\nAttached: error", 5));
	});
});
