import { strict as assert } from "node:assert";
import { valueBlock } from "../../../mcp-servers/workspace-search";

/** The continuation lines valueBlock gives for the first line of `text` containing `needle`. */
function block(text: string, needle: string): string[] {
	const lines = text.split("\n");
	return valueBlock(
		lines,
		lines.findIndex(l => l.includes(needle)),
	).map(b => `${b.line}:${b.text}`);
}

describe("workspace-search valueBlock (search_text value_block)", () => {
	it("adds the deeper-indented YAML lines under a key that holds no value itself, blank lines inside kept out", () => {
		const yaml = ["cache:", "  ttl_seconds:", "    analysis: 3600", "", "    completion: 86400", "  max_entries: 1000", "limits: {}"].join("\n");
		assert.deepEqual(block(yaml, "ttl_seconds"), ["3:  analysis: 3600", "5:  completion: 86400"]);
	});

	it('adds nothing when the line holds its value (replicas: 3, MAX = 10, "port": 80,)', () => {
		assert.deepEqual(block("spec:\n  replicas: 3\n  template:\n    x: 1", "replicas"), []);
		assert.deepEqual(block("MAX_UPLOAD_SIZE = 10 * 1024 * 1024\nDEBUG = False", "MAX_UPLOAD_SIZE"), []);
		assert.deepEqual(block('{\n  "port": 80,\n  "host": "x"\n}', '"port"'), []);
	});

	it("follows a bracket the line opens to the bracket that closes it at the same indentation", () => {
		const py = ["ALLOWED_HOSTS = [", '    "example.com",', '    "api.example.com",', "]", "DEBUG = False"].join("\n");
		assert.deepEqual(block(py, "ALLOWED_HOSTS"), ['2:    "example.com",', '3:    "api.example.com",', "4:]"]);
		const json = ["{", '  "scripts": {', '    "test": "mocha"', "  },", '  "name": "x"', "}"].join("\n");
		assert.deepEqual(block(json, '"scripts"'), ['3:  "test": "mocha"', "4:},"]);
	});

	it("takes a YAML block scalar and stops at the cap", () => {
		assert.deepEqual(block("script: |\n  npm ci\n  npm test\nnext: 1", "script"), ["2:  npm ci", "3:  npm test"]);
		const long = ["items:", ...Array.from({ length: 10 }, (_, i) => `  - ${i}`)];
		assert.equal(valueBlock(long, 0, 4).length, 4);
	});
});
