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

	it("names the bad key when a price has the wrong type", () => {
		const text = readFileSync("./config.yaml", "utf8").replace("input_per_mtok: 2.00", 'input_per_mtok: "cheap"');
		assert.throws(() => parseConfig(text), /models\.gpt-4\.1\.input_per_mtok/);
	});

	it("reports YAML syntax errors as such", () => {
		assert.throws(() => parseConfig("tiers: [unclosed"), /not valid YAML/);
	});

	it("reads ${VAR} and ${VAR:-default} from the environment", () => {
		assert.deepEqual(interpolateEnv({ a: "${X}/b", c: ["${Y:-dflt}"] }, { X: "/root" }), { a: "/root/b", c: ["dflt"] });
	});
});
