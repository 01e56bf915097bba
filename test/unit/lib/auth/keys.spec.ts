import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { ConfigError, parseConfig, PROJECT_ROOT } from "../../../../lib/config";
import { allowedModels, isLoopback, keyTable, openGatewayWarning, presentedKey } from "../../../../lib/auth/keys";
import { originAllowed } from "../../../../services/gateway/auth";

const base = readFileSync(`${PROJECT_ROOT}/config.yaml`, "utf8");
const withAuth = (auth: string, env: Record<string, string> = {}) => parseConfig(`${base}\nauth:\n  keys:\n${auth}`, "config.yaml", env);

describe("gateway keys (lib/auth/keys.ts)", () => {
	it("reads config.yaml keys from ${VAR} or key_sha256, and API_KEYS by position", () => {
		const sha = createHash("sha256").update("second-secret").digest("hex");
		const config = withAuth(`    - { name: a, key: "\${A_KEY}", budget_usd_per_day: 5, models: [gpt-4.1-nano] }\n    - { name: b, key_sha256: ${sha} }\n`, {
			A_KEY: "first-secret",
		});
		const keys = keyTable(config, { API_KEYS: " third-secret , fourth-secret" });
		assert.deepEqual(keys.names, ["a", "b", "api-key-1", "api-key-2"]);
		assert.equal(keys.authenticate("first-secret")?.budget_usd_per_day, 5);
		assert.equal(keys.authenticate("second-secret")?.name, "b");
		assert.equal(keys.authenticate("fourth-secret")?.name, "api-key-2");
		assert.equal(keys.authenticate("first-secre"), undefined);
		assert.equal(keys.authenticate(undefined), undefined);
		assert.equal(keys.open, false);
		assert.equal(keyTable(parseConfig(base), {}).open, true);
	});

	it("refuses a key whose ${VAR} is unset, a bad key_sha256, a duplicate name and an unknown model, naming the key", () => {
		assert.throws(() => keyTable(withAuth(`    - { name: a, key: "\${UNSET_KEY_VAR}" }\n`), {}), /auth\.keys\.0 \('a'\): key is empty/);
		assert.throws(
			() => withAuth(`    - { name: a, key_sha256: abc }\n`),
			(e: Error) => e instanceof ConfigError && /auth\.keys\.0\.key_sha256/.test(e.message),
		);
		assert.throws(() => withAuth(`    - { name: a, key: x1 }\n    - { name: a, key: x2 }\n`), /auth\.keys\.1\.name: key name 'a' is used twice/);
		assert.throws(() => withAuth(`    - { name: a, key: x1, models: [gpt-9] }\n`), /auth\.keys\.0\.models\.0: model 'gpt-9' is not in the models catalog/);
	});

	it("takes the key from Authorization: Bearer or x-api-key", () => {
		assert.equal(presentedKey({ authorization: "Bearer abc.def" }), "abc.def");
		assert.equal(presentedKey({ authorization: "bearer  abc " }), "abc");
		assert.equal(presentedKey({ "x-api-key": "xyz" }), "xyz");
		assert.equal(presentedKey({ authorization: "Basic Zm9vOmJhcg==" }), undefined);
		assert.equal(presentedKey({}), undefined);
	});

	it("narrows a model walk to the key's list; a named model outside it, or none left, is a 403", () => {
		const config = withAuth(`    - { name: a, key: x1, models: [gpt-4.1-nano] }\n`);
		assert.deepEqual(allowedModels(config, { key: { name: "a" } }, ["gpt-4.1-mini", "gpt-4.1-nano"]), ["gpt-4.1-nano"]);
		assert.deepEqual(allowedModels(config, {}, ["gpt-4.1-mini"]), ["gpt-4.1-mini"]);
		assert.throws(
			() => allowedModels(config, { key: { name: "a" } }, ["gpt-4.1-mini"]),
			(e: any) => e.code === 403 && e.type === "model_not_allowed",
		);
		assert.throws(
			() => allowedModels(config, { key: { name: "a" } }, ["gpt-4.1-nano"], ["gpt-4.1-mini"]),
			/model 'gpt-4.1-mini' is not allowed for key 'a'/,
		);
	});

	it("warns only when an open gateway listens beyond loopback", () => {
		assert.equal(isLoopback("127.0.0.1") && isLoopback("::1") && isLoopback("localhost"), true);
		assert.equal(openGatewayWarning("127.0.0.1"), undefined);
		assert.match(openGatewayWarning("0.0.0.0")!, /no API key configured/);
	});

	it("lets a browser origin through only when it is local or listed in ALLOWED_ORIGINS", () => {
		assert.equal(originAllowed(undefined, undefined), true);
		assert.equal(originAllowed("http://localhost:5173", undefined), true);
		assert.equal(originAllowed("http://127.0.0.1", undefined), true);
		assert.equal(originAllowed("http://evil.example", undefined), false);
		assert.equal(originAllowed("http://localhost.evil.example", undefined), false);
		assert.equal(originAllowed("null", undefined), false);
		assert.equal(originAllowed("https://app.example.com", ["https://app.example.com"]), true);
		assert.equal(originAllowed("http://localhost:5173", ["https://app.example.com"]), false);
	});
});
