import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadMath500, MissingData } from "../../../scripts/eval/benchmarks";
import { math500Agreement } from "../../../scripts/eval/math500";

/** A tiny inline stand-in for <DATA_DIR>/math500_levels/test.jsonl (the real set is never needed by npm test). */
const FIXTURE = [
	{ problem: "What is $1+1$?", solution: "2", answer: "2", subject: "Prealgebra", level: 1 },
	{ problem: "Solve $x^2 = 4$.", solution: "...", answer: "2", subject: "Algebra", level: 2 },
	{ problem: "Find the area of a unit circle.", solution: "...", answer: "\\pi", subject: "Geometry", level: 2 },
	{ problem: "How many primes are below 100?", solution: "...", answer: "25", subject: "Number Theory", level: 4 },
	{ problem: "Prove the sum converges and find it.", solution: "...", answer: "1", subject: "Algebra", level: 5 },
];

describe("MATH-500 complexity agreement (scripts/eval/math500.ts)", () => {
	let dir: string;
	before(() => {
		dir = mkdtempSync(join(tmpdir(), "math500-"));
		mkdirSync(join(dir, "math500_levels"));
		writeFileSync(join(dir, "math500_levels", "test.jsonl"), FIXTURE.map(r => JSON.stringify(r)).join("\n") + "\n");
	});
	after(() => rmSync(dir, { recursive: true }));

	it("loads problem, subject and level from test.jsonl", () => {
		const rows = loadMath500(dir);
		assert.deepEqual(
			rows.map(r => [r.subject, r.level]),
			FIXTURE.map(r => [r.subject, r.level]),
		);
		assert.equal(rows[0].problem, "What is $1+1$?");
	});

	it("a missing folder is skipped with a note naming the folder and where the data comes from", () => {
		const empty = mkdtempSync(join(tmpdir(), "data-"));
		try {
			assert.throws(
				() => loadMath500(empty),
				(err: unknown) =>
					err instanceof MissingData &&
					err.folder === join(empty, "math500_levels") &&
					/MATH-500/.test(err.source) &&
					/has no math500_levels\//.test(err.source),
			);
		} finally {
			rmSync(empty, { recursive: true });
		}
	});

	it("a level outside 1-5 is an error naming the line", () => {
		const bad = mkdtempSync(join(tmpdir(), "data-"));
		try {
			mkdirSync(join(bad, "math500_levels"));
			writeFileSync(join(bad, "math500_levels", "test.jsonl"), JSON.stringify({ problem: "p", subject: "Algebra", level: "Level 7" }) + "\n");
			assert.throws(() => loadMath500(bad), /test\.jsonl:1: needs a string problem and a level 1-5/);
		} finally {
			rmSync(bad, { recursive: true });
		}
	});

	it("Spearman, per-level means and tier shares from the scores (a stand-in scorer)", () => {
		// score rises with the level except that the level-4 problem scores lowest; strong_need ranks by level exactly.
		const scores: Record<string, { score: number; strong_need: number; complexity: "simple" | "moderate" | "complex" }> = {
			"What is $1+1$?": { score: 0.2, strong_need: 0.1, complexity: "simple" },
			"Solve $x^2 = 4$.": { score: 0.4, strong_need: 0.2, complexity: "simple" },
			"Find the area of a unit circle.": { score: 0.6, strong_need: 0.2, complexity: "moderate" },
			"How many primes are below 100?": { score: 0.1, strong_need: 0.5, complexity: "simple" },
			"Prove the sum converges and find it.": { score: 0.9, strong_need: 0.8, complexity: "complex" },
		};
		const m = math500Agreement(loadMath500(dir), p => scores[p]);
		assert.equal(m.n, 5);
		assert.equal(m.spearmanStrongNeed, 1);
		// ranks of score: 2, 3, 4, 1, 5; of level: 1, 2.5, 2.5, 4, 5 -> Pearson of the ranks = 0.3591
		assert.equal(m.spearmanScore, 0.3591);
		assert.deepEqual(Object.keys(m.byLevel), ["1", "2", "4", "5"]);
		assert.deepEqual(m.byLevel["2"], { n: 2, meanScore: 0.5, meanStrongNeed: 0.2, tiers: { simple: 0.5, moderate: 0.5, complex: 0 } });
		assert.deepEqual(m.byLevel["5"].tiers, { simple: 0, moderate: 0, complex: 1 });
		// prompt lengths 14, 16, 31, 30, 36 rank 1, 2, 4, 3, 5 against the level ranks 1, 2.5, 2.5, 4, 5: 0.8208
		assert.equal(m.spearmanPromptLength, 0.8208);
		assert.deepEqual(m.bySubject.Algebra, { n: 2, spearmanScore: 1, spearmanStrongNeed: 1, spearmanPromptLength: 1 });
		assert.equal(m.bySubject.Prealgebra.n, 1);
	});
});
