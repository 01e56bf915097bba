import { strict as assert } from "node:assert";
import { pathTokens, toGlob } from "../../../../services/router/paths";

const texts = (s: string) => pathTokens(s).map(t => `${t.kind}:${t.text}`);

describe("router/paths pathTokens", () => {
	it("finds files, dotfiles, folders and globs", () => {
		assert.deepEqual(texts("show me config/prod.yaml and the .env.example"), ["file:config/prod.yaml", "file:.env.example"]);
		assert.deepEqual(texts("whats the node version in .nvmrc?"), ["file:.nvmrc"]);
		assert.deepEqual(texts("ls the scripts/ dir, then `Dockerfile`"), ["dir:scripts/", "file:Dockerfile"]);
		assert.deepEqual(texts("all *.proto files"), ["glob:*.proto"]);
	});

	it("reads a file name in any script whole, accents, other alphabets and emoji included", () => {
		assert.deepEqual(texts("show me the file src/héllo_🚀.ts"), ["file:src/héllo_🚀.ts"]);
		assert.deepEqual(texts("show me docs/résumé.md"), ["file:docs/résumé.md"]);
		assert.deepEqual(texts("read 日本語/ファイル.txt"), ["file:日本語/ファイル.txt"]);
	});

	it("ignores versions, URLs, domains, library names, API routes and extensions talked about", () => {
		assert.deepEqual(texts("diff between v1.8.0 and 2.3.x"), []);
		assert.deepEqual(texts("see https://example.com/a.md and api.acme-legacy.com"), []);
		assert.deepEqual(texts("we use Next.js 14 and React.Component"), []);
		assert.deepEqual(texts("every endpoint under /api/admin"), []);
		assert.deepEqual(texts("all the .sql migrations"), []);
	});

	it("makes globs match below the search root", () => {
		assert.equal(toGlob("*.proto"), "**/*.proto");
		assert.equal(toGlob("src/**/*.ts"), "src/**/*.ts");
	});
});
