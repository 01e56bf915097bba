import { strict as assert } from "node:assert";
import { extractTerms, missingTerms, protectedTerms, searchNames } from "../../../../services/prompt/terms";

const texts = (s: string) => extractTerms(s).map(t => t.text);

describe("prompt/terms", () => {
	it("keeps paths, dotfiles, dotted names and versions whole", () => {
		const terms = texts("diff v1.8.0 and v1.9.0 in src/billing, add .DS_Store to .gitignore, read via os.getenv in docs/config.md");
		for (const t of ["v1.8.0", "v1.9.0", "src/billing", ".DS_Store", ".gitignore", "os.getenv", "docs/config.md"]) assert.ok(terms.includes(t), t);
	});

	it("keeps quoted strings with their quotes and error messages as one span", () => {
		const terms = texts("Getting TypeError: Cannot read properties of undefined (reading 'map') in ProductList; say 'Sign in' not `make test`");
		assert.ok(terms.includes("TypeError: Cannot read properties of undefined (reading 'map')"), terms.join(" | "));
		assert.ok(terms.includes("ProductList"));
		assert.ok(terms.includes("'Sign in'"));
		assert.ok(terms.includes("`make test`"));
	});

	it("does not take an apostrophe for a quote", () => {
		assert.deepEqual(
			texts("I'd like to see what it's doing").filter(t => t.includes("'")),
			[],
		);
	});

	it("finds identifiers of every casing, flags, numbers with units and inline code", () => {
		const terms = texts(
			"set LOG_LEVEL=debug, call getUserById and parse_config(), MAX_UPLOAD_SIZE in eu-west-1, run with -n and --mixed, 40 minutes at 30 req/s, cron: 0 3 * * 1-5, regex: ^(?=.*\\d).{8,}$",
		);
		for (const t of [
			"LOG_LEVEL=debug",
			"getUserById",
			"parse_config()",
			"MAX_UPLOAD_SIZE",
			"eu-west-1",
			"-n",
			"--mixed",
			"40 minutes",
			"30 req/s",
			"0 3 * * 1-5",
			"^(?=.*\\d).{8,}$",
		]) {
			assert.ok(terms.includes(t), `${t} in ${terms.join(" | ")}`);
		}
	});

	it("joins a product and its version, but not a sentence-initial verb and a name", () => {
		const terms = texts("Migrate from RDS 13 to Aurora PostgreSQL 15 with GitHub Actions");
		assert.ok(terms.includes("RDS 13"));
		assert.ok(terms.includes("Aurora PostgreSQL 15"));
		assert.ok(terms.includes("GitHub Actions"));
		assert.ok(!terms.some(t => t.startsWith("Migrate ")));
	});

	it("treats capitalized common words as names only mid-sentence", () => {
		assert.ok(texts("an LRU cache in Go with Get/Put").includes("Go"));
		assert.ok(!texts("Go through the logs").includes("Go"));
		assert.ok(texts("port this bash script to Python").includes("bash"));
	});

	it("reports missing terms and search names", () => {
		assert.deepEqual(missingTerms(["a.ts", "b.ts"], "only a.ts here"), ["b.ts"]);
		assert.deepEqual(protectedTerms("x in a.ts and a.ts"), ["a.ts"]);
		const names = searchNames("show src/auth/session.ts and `calculateTax`");
		assert.ok(names.includes("src/auth/session.ts") && names.includes("session.ts") && names.includes("calculateTax"));
	});
});
