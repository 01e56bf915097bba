import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadMtBench, MissingData } from "../../../scripts/eval/benchmarks";

/** npm run eval on a fresh clone: the public sets are missing, and the note must say where they come from without pointing at files that are not there. */
describe("evaluation data missing", () => {
	const missing = (dataDir: string) => {
		try {
			loadMtBench(dataDir);
		} catch (err) {
			assert.ok(err instanceof MissingData);
			return err;
		}
		assert.fail("loadMtBench found data");
	};

	it("a DATA_DIR that does not exist is named as such, with the public source of the files", () => {
		const err = missing("/nonexistent-data-dir");
		assert.match(err.source, /^lm-sys\/RouteLLM .*mt_bench/);
		assert.match(err.source, /DATA_DIR \/nonexistent-data-dir does not exist/);
		assert.ok(!err.source.includes("SOURCE.md"), "no pointer at a SOURCE.md that is not there");
	});

	it("an existing DATA_DIR without the folder says which folder to add", () => {
		const dir = mkdtempSync(join(tmpdir(), "data-"));
		try {
			assert.match(missing(dir).source, new RegExp(`${dir} has no mt_bench/: put those files under <DATA_DIR>/mt_bench/`));
		} finally {
			rmSync(dir, { recursive: true });
		}
	});
});
