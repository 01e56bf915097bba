import { strict as assert } from "node:assert";
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { walkEntries, walkFiles, type Walk } from "../../../mcp-servers/search/files";
import { DEFINITION_GLOB } from "../../../mcp-servers/search/languages";

// minimatch 3 ships no types; its Minimatch compiles a pattern in make(), which is what a walk must not redo per file.
const { Minimatch } = require("minimatch") as { Minimatch: { prototype: { make: () => void } } };

/**
 * A glob compiled once per walk, not once per entry: compiled per entry, find_definition's glob cost 72 µs a file, and
 * "where is calculateTax defined?" in a workspace with a folder of 200,000 files took 24-27 s of its 30 s timeout.
 */
describe("workspace-search walks: globs compiled once, not per file", () => {
	let root: string;
	let compiled = 0;
	const make = Minimatch.prototype.make;

	before(async () => {
		root = await realpath(await mkdtemp(join(tmpdir(), "walk-globs-")));
		await mkdir(join(root, "many"));
		await Promise.all(Array.from({ length: 500 }, (_, i) => writeFile(join(root, "many", `f${i}.txt`), "")));
		await writeFile(join(root, "a.ts"), "export const a = 1;\n");
		Minimatch.prototype.make = function (this: unknown) {
			compiled++;
			return make.call(this);
		};
	});

	after(async () => {
		Minimatch.prototype.make = make;
		await rm(root, { recursive: true, force: true });
	});

	it("walkFiles with a glob over 501 files compiles the glob a handful of times, and still matches", async () => {
		compiled = 0;
		const walk: Walk = { files_scanned: 0, files_skipped: 0, truncated: false };
		const found: string[] = [];
		for await (const f of walkFiles(root, [root], walk, DEFINITION_GLOB)) found.push(f);
		assert.deepEqual(found, [join(root, "a.ts")]);
		assert.ok(compiled <= 2, `compiled ${compiled} times`);
	});

	it("walkEntries' exclusions likewise", async () => {
		compiled = 0;
		const walk: Walk = { files_scanned: 0, files_skipped: 0, truncated: false };
		let n = 0;
		for await (const _ of walkEntries(root, [root], walk, { files: true, directories: false, exclude: ["*.md", "build/**"] })) n++;
		assert.equal(n, 501);
		assert.ok(compiled <= 4, `compiled ${compiled} times`);
	});
});
