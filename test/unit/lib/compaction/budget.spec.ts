import { strict as assert } from "node:assert";
import { shortenAssistant, shortenToolOutput, STAGES } from "../../../../lib/compaction/budget";

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

	it("a long fenced block of an old assistant turn keeps its first and last lines and the lines naming what another turn used", () => {
		const body = Array.from({ length: 100 }, (_, i) => (i === 50 ? "def compute_tax(amount):" : `    x_${i} = value_${i}`));
		const text = ["THOUGHT: write the module.", "", "```bash", "cat <<'EOF' > src/billing/tax.py", ...body, "EOF", "```"].join("\n");
		// Every name of the block is "used" by this turn itself; only compute_tax was used by another turn.
		const own = { has: (n: string) => text.includes(n) };
		const out = shortenAssistant(text, hardest, own, names("compute_tax"));
		const kept = out.split("\n");
		assert.ok(kept.includes("cat <<'EOF' > src/billing/tax.py"), "the command line");
		assert.ok(kept.includes("EOF") && kept.includes("```"), "the block's end");
		assert.ok(kept.includes("def compute_tax(amount):"), "the line naming what another turn used");
		assert.ok(!kept.includes("    x_40 = value_40"), "the middle of the block is elided");
		assert.ok(out.includes("lines elided]"));
		assert.ok(kept.length <= (hardest.maxCodeLines ?? 0) + 8, `kept ${kept.length} lines`);
		// A block within the limit stays whole.
		const short = ["```bash", "python3 reproduce.py", "```"].join("\n");
		assert.equal(shortenAssistant(short, hardest, own, names()), short);
	});
});
