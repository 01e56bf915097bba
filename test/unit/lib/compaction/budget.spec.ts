import { strict as assert } from "node:assert";
import { shortenToolOutput, STAGES } from "../../../../lib/compaction/budget";

const names = (...n: string[]) => new Set(n);
const hardest = STAGES[STAGES.length - 1];

describe("lib/compaction/budget", () => {
	it("never puts a mark where the lines it would stand for are shorter: a shortened text is never longer", () => {
		// Head 1, tail 2 at the hardest stage: the one dropped line ("ok") is shorter than "[… 1 line elided]".
		const text = ["<returncode>0</returncode>", "ok", "line three", "line four"].join("\n");
		assert.equal(shortenToolOutput(text, hardest, names()), text);
		const long = ["<returncode>0</returncode>", ...Array.from({ length: 30 }, (_, i) => `noise line ${i} with some words`), "tail a", "tail b"].join("\n");
		const out = shortenToolOutput(long, hardest, names());
		assert.ok(out.length < long.length);
		assert.match(out, /\[… 30 lines elided\]/);
	});
});
