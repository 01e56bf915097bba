import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { interpolateEnv, loadConfig, parseConfig } from "../../../lib/config";

describe("config.yaml", () => {
	it("the shipped config.yaml is valid and every tier model is in the catalog", () => {
		const cfg = loadConfig("./config.yaml");
		for (const tier of ["simple", "moderate", "complex"] as const) {
			assert.ok(cfg.models[cfg.tiers[tier].preferred], tier);
			cfg.tiers[tier].fallback.forEach(m => assert.ok(cfg.models[m], `${tier} fallback ${m}`));
		}
		assert.ok(cfg.limits.max_context_bytes >= 2 * 1024 * 1024, "admits 2 MB contexts");
	});

	it("names the bad key when a tier points at an unknown model", () => {
		const text = readFileSync("./config.yaml", "utf8").replace("preferred: gpt-4.1-mini", "preferred: gpt-9");
		assert.throws(() => parseConfig(text), /tiers\.moderate\.preferred: model 'gpt-9' is not in the models catalog/);
	});

	it("names the model whose provider has no entry under providers (a typo left it unserved)", () => {
		const text = readFileSync("./config.yaml", "utf8").replace("{ provider: anthropic, input_per_mtok: 1.00", "{ provider: antropic, input_per_mtok: 1.00");
		assert.throws(() => parseConfig(text), /models\.claude-haiku-4-5\.provider: provider 'antropic' has no entry under providers \(openai, anthropic/);
	});

	it("names the bad key when a price has the wrong type", () => {
		const text = readFileSync("./config.yaml", "utf8").replace("input_per_mtok: 2.00", 'input_per_mtok: "cheap"');
		assert.throws(() => parseConfig(text), /models\.gpt-4\.1\.input_per_mtok/);
	});

	it("names a key it does not know, anywhere in the file (a misspelled section would silently fall back to its defaults)", () => {
		const shipped = readFileSync("./config.yaml", "utf8");
		assert.throws(() => parseConfig(shipped.replace(/^limits:/m, "limitz:")), /limitz/);
		assert.throws(() => parseConfig(shipped.replace(/^limits:\n/m, "limits:\n  max_bogus: 3\n")), /limits.*max_bogus|max_bogus/);
		assert.throws(() => parseConfig(shipped.replace("input_per_mtok: 2.00,", "input_per_mtok: 2.00, input_per_mtk: 2,")), /input_per_mtk/);
	});

	it("reports YAML syntax errors as such", () => {
		assert.throws(() => parseConfig("tiers: [unclosed"), /not valid YAML/);
	});

	it("reads ${VAR} and ${VAR:-default} from the environment", () => {
		assert.deepEqual(interpolateEnv({ a: "${X}/b", c: ["${Y:-dflt}"] }, { X: "/root" }), { a: "/root/b", c: ["dflt"] });
	});

	it("takes ${VAR:-default}'s default when VAR is set but empty, as the shell does", () => {
		// WORKSPACE_DIR= (empty) once rooted the MCP servers at "", which they refuse.
		assert.deepEqual(interpolateEnv({ root: "${WORKSPACE_DIR:-.}", plain: "${WORKSPACE_DIR}" }, { WORKSPACE_DIR: "" }), { root: ".", plain: "" });
		assert.equal(interpolateEnv("${WORKSPACE_DIR:-.}", { WORKSPACE_DIR: "/srv" }), "/srv");
	});

	describe("intent.llm_assist", () => {
		const shipped = () => readFileSync("./config.yaml", "utf8");

		it("is off by default, in the shipped file and when the section is left out", () => {
			assert.deepEqual(parseConfig(shipped(), "config.yaml", {}).intent.llm_assist, {
				enabled: false,
				below_confidence: 0.8,
				timeout_ms: 3000,
				max_tokens: 5,
			});
			const without = shipped().replace(/^intent:\n( {2}.*\n|\s*\n)*/m, "");
			assert.ok(!/llm_assist/.test(without));
			assert.equal(parseConfig(without, "config.yaml", {}).intent.llm_assist.enabled, false);
		});

		it("INTENT_LLM_ASSIST turns it on or off (1/0, true/false, yes/no, on/off)", () => {
			for (const on of ["1", "true", "YES", "on"])
				assert.equal(parseConfig(shipped(), "config.yaml", { INTENT_LLM_ASSIST: on }).intent.llm_assist.enabled, true, on);
			for (const off of ["0", "false", "no", "off", ""])
				assert.equal(parseConfig(shipped(), "config.yaml", { INTENT_LLM_ASSIST: off }).intent.llm_assist.enabled, false, off);
		});

		it("names the key when the flag or a number is wrong", () => {
			assert.throws(() => parseConfig(shipped(), "config.yaml", { INTENT_LLM_ASSIST: "maybe" }), /intent\.llm_assist\.enabled: expected true or false/);
			assert.throws(
				() => parseConfig(shipped().replace("below_confidence: 0.8", "below_confidence: 1.5"), "config.yaml", {}),
				/intent\.llm_assist\.below_confidence/,
			);
			assert.throws(() => parseConfig(shipped().replace("timeout_ms: 3000", "timeout_ms: 0"), "config.yaml", {}), /intent\.llm_assist\.timeout_ms/);
		});
	});
});
