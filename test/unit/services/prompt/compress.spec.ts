import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { countTokens } from "../../../../lib/tokens";
import { compressText } from "../../../../services/prompt/compress";
import { optimizePrompt } from "../../../../services/prompt/optimize";
import { protectedTerms } from "../../../../services/prompt/terms";
import type { Intent } from "../../../../lib/contracts";
import type { Tier } from "../../../../lib/config";

const TRAIN = join(__dirname, "../../../../data/train/requests-dev.jsonl");

interface Row {
	id: string;
	request: string;
	context?: Record<string, unknown>;
	intent: Intent;
	complexity: Tier;
	key_terms: string[];
}

describe("prompt/compress", () => {
	it("removes greetings, request wrappers, hedges and articles, and says which", () => {
		const c = compressText("Hi! Could you please put together a GitHub Actions workflow that just runs the tests? Thanks so much.");
		assert.equal(c.text, "put together GitHub Actions workflow that runs tests?");
		assert.deepEqual([...c.removed].sort(), ["a", "could you please", "hi", "just", "thanks so much", "the"].sort());
	});

	it("never touches a protected term, even one that looks like filler", () => {
		const c = compressText("can you set `the` to 'a value' in the_config and the A.B path");
		assert.ok(c.text.includes("`the`"));
		assert.ok(c.text.includes("'a value'"));
		assert.ok(c.text.includes("the_config"));
		assert.ok(c.text.includes("A.B"));
	});

	it("keeps negations, quantities and line structure", () => {
		const c = compressText("please do not delete only the first 3 rows\nand keep the rest");
		assert.equal(c.text, "do not delete only first 3 rows\nand keep rest");
	});

	it("leaves text with nothing to remove unchanged", () => {
		assert.deepEqual(compressText("grep for TODO in src/"), { text: "grep for TODO in src/", removed: [] });
	});

	describe("pasted code passes byte for byte", () => {
		const PY = "def total(items):\n    s = 0\n    for i in items:\n        s += i\n# the sum of a list\n\n\n    return s if s else None\n";
		const MAKEFILE = "CFLAGS = -O2   \nall: app\n\napp: main.c\n\tgcc $(CFLAGS) -o app main.c\n\n\n\nclean:\n\trm -f app\n";
		const YAML = "```yaml\njobs:\n  test:\n    runs-on: ubuntu-latest\n\n\n    steps:\n      - run: npm test   \n```";
		const TABLE = "| the name  | a value |\n|-----------|---------|\n| timeout   | 30      |";
		// From real_requests/codechat-prompts.jsonl: a Dart callback pasted without a fence.
		const DART =
			"onScan: (code, _, listener) {\n    if (code != null) {\n        if (processingInProgress == false) {\n            processingInProgress = true;\n        }\n    }\n}";
		for (const [name, code] of Object.entries({ PY, MAKEFILE, YAML, TABLE, DART })) {
			it(`${name}: indentation, TABs, trailing blanks and \`;\`, blank-line runs, an \`a\` or \`the\` in it`, () => {
				const c = compressText(`Hi, could you please fix the bug in this code:\n${code}\nThanks!`);
				assert.ok(c.text.includes(code.replace(/\n$/, "")), JSON.stringify(c.text));
				assert.ok(c.removed.includes("could you please"));
			});
		}

		it("a one-letter name in prose is not an article", () => {
			assert.equal(
				compressText("how to find the inverse element x of a number a with power -1 modulo p").text,
				"how to find inverse element x of number a with power -1 modulo p",
			);
		});

		it("an operator in a line of prose keeps the line as written (`::` is not a run of colons)", () => {
			const line = "the second line gives ListPlot::lpn: Transpose[x] is not a list of numbers";
			assert.equal(compressText(line).text, line);
		});
	});

	it("stays linear on adversarial 100 kB requests (no regex backtracking blow-up)", function () {
		// Each of these took seconds to minutes with a quadratic pattern; all together they now take well under a second.
		this.timeout(10_000);
		const cases = [
			"x".repeat(50_000) + " " + "(".repeat(50_000),
			"a.".repeat(50_000),
			"1".repeat(100_000),
			"a-".repeat(50_000),
			"aB1_.-/".repeat(14_000),
			"1 ".repeat(50_000),
			"`a".repeat(50_000),
			// Against the code-line tests (prompt/code.ts): calls, indexes, tags, indented runs, fences.
			"a(".repeat(50_000),
			"a[".repeat(50_000),
			"<a".repeat(50_000),
			"  x\n\n".repeat(25_000),
			"```\n".repeat(25_000),
		];
		for (const text of cases) assert.ok(compressText(text).text.length > 0);
	});

	describe("over the labeled training set (data/train/requests-dev.jsonl)", () => {
		const rows: Row[] = existsSync(TRAIN)
			? readFileSync(TRAIN, "utf8")
					.split("\n")
					.filter(Boolean)
					.map(l => JSON.parse(l))
			: [];

		it("has the training set to check against", () => {
			assert.ok(rows.length >= 200, `expected the labeled set at ${TRAIN}`);
		});

		it("keeps 100% of every request's key_terms and protected terms verbatim in the optimized prompt", () => {
			const lost: string[] = [];
			for (const row of rows) {
				const { prompt } = optimizePrompt({ request: row.request, context: row.context, intent: row.intent, tier: row.complexity, max_tokens: 512 });
				for (const term of [...row.key_terms, ...protectedTerms(row.request)]) if (!prompt.includes(term)) lost.push(`${row.id}: ${term}`);
			}
			assert.deepEqual(lost, []);
		});

		it("never makes a request longer, and shortens the set as a whole", () => {
			let before = 0;
			let after = 0;
			for (const row of rows) {
				const c = compressText(row.request);
				assert.ok(countTokens(c.text) <= countTokens(row.request), row.id);
				before += countTokens(row.request);
				after += countTokens(c.text);
			}
			assert.ok(after < before);
		});
	});
});
