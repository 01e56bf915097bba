import { strict as assert } from "node:assert";
import { loadConfig, parseConfig } from "../../../lib/config";
import { baseUrlHint, DEFAULT_CONTEXT_WINDOW, parseTierAssignments, servedModels } from "../../../lib/provider-discovery";

const config = loadConfig();

describe("lib/provider-discovery", () => {
	describe("parseTierAssignments (OPENAI_COMPATIBLE_TIERS)", () => {
		it("reads model=tier pairs, several tiers joined by +, ids with colons and dots", () => {
			assert.deepEqual(parseTierAssignments("qwen2.5-coder:7b=moderate, llama3.1:8b=simple+moderate"), {
				"qwen2.5-coder:7b": ["moderate"],
				"llama3.1:8b": ["simple", "moderate"],
			});
			assert.deepEqual(parseTierAssignments(""), {});
			assert.deepEqual(parseTierAssignments(undefined), {});
		});

		it("refuses an unknown tier or a pair without '=', naming the variable and the item", () => {
			assert.throws(() => parseTierAssignments("qwen2.5-coder:7b=hard"), /OPENAI_COMPATIBLE_TIERS: 'qwen2.5-coder:7b=hard' is not <model>=<tier>/);
			assert.throws(() => parseTierAssignments("llama3.1:8b"), /'llama3.1:8b' is not/);
			assert.throws(() => parseTierAssignments("=simple"), /'=simple' is not/);
		});
	});

	describe("servedModels", () => {
		it("before the server answered: the catalog's models of the provider", () => {
			assert.deepEqual(servedModels(config, "openai-compatible", {}), { models: ["llama3.1:8b"], extra: {} });
		});

		it("serves what the server lists: catalog models under their id, the others free with a default context window", () => {
			const s = servedModels(config, "openai-compatible", { listed: ["qwen2.5-coder:7b", "mistral:7b"] });
			assert.deepEqual(s.models, ["qwen2.5-coder:7b", "mistral:7b"], "llama3.1:8b is not on this server, so it is not served");
			assert.deepEqual(s.extra["qwen2.5-coder:7b"], { input_per_mtok: 0, output_per_mtok: 0, context_window: DEFAULT_CONTEXT_WINDOW });
			const both = servedModels(config, "openai-compatible", { listed: ["llama3.1:8b", "qwen2.5-coder:7b"] });
			assert.deepEqual(both.models, ["llama3.1:8b", "qwen2.5-coder:7b"]);
			assert.deepEqual(Object.keys(both.extra), ["qwen2.5-coder:7b"], "a catalog model keeps its catalog figures");
		});

		it("leaves out embedding models (listed by Ollama, unable to chat) and narrows to OPENAI_COMPATIBLE_MODELS", () => {
			const s = servedModels(config, "openai-compatible", { listed: ["nomic-embed-text:latest", "mxbai-embed-large", "qwen2.5-coder:7b", "phi3:mini"] });
			assert.deepEqual(s.models, ["qwen2.5-coder:7b", "phi3:mini"]);
			const only = servedModels(config, "openai-compatible", { listed: ["qwen2.5-coder:7b", "phi3:mini"], only: ["phi3:mini", "absent:1b"] });
			assert.deepEqual(only.models, ["phi3:mini"], "a narrowing name the server does not have is not served");
		});

		it("maps a listed api_model to its catalog id, and takes the default context window from config", () => {
			const yaml = `
routing: { complexity_thresholds: { moderate: 0.3, complex: 0.6 } }
output_budget: { simple: 100, moderate: 200, complex: 300 }
tiers:
  simple: { preferred: local-small }
  moderate: { preferred: local-small }
  complex: { preferred: local-small }
models:
  local-small: { provider: openai-compatible, api_model: "phi3:mini", input_per_mtok: 0, output_per_mtok: 0, context_window: 4096 }
providers:
  openai-compatible: { env: [OPENAI_COMPATIBLE_BASE_URL], default_context_window: 32768 }
`;
			const c = parseConfig(yaml);
			const s = servedModels(c, "openai-compatible", { listed: ["phi3:mini", "gemma2:2b"] });
			assert.deepEqual(s.models, ["local-small", "gemma2:2b"]);
			assert.equal(s.extra["gemma2:2b"].context_window, 32768);
		});
	});

	describe("baseUrlHint (a model list answered 404)", () => {
		it("names a base URL without its version path, as Ollama's http://host:11434 is", () => {
			assert.match(baseUrlHint("http://127.0.0.1:11434", 404), /has no version path: .*\/v1/);
			assert.match(baseUrlHint("http://gpu-box:8000/", 404), /http:\/\/gpu-box:8000\/ has no version path/);
		});
		it("says nothing when the URL has its version, the failure is not a 404, or the URL does not parse", () => {
			assert.equal(baseUrlHint("http://127.0.0.1:11434/v1", 404), "");
			assert.equal(baseUrlHint("https://api.example.com/openai/v1/", 404), "");
			assert.equal(baseUrlHint("http://127.0.0.1:11434", 500), "");
			assert.equal(baseUrlHint("not a url", 404), "");
			assert.equal(baseUrlHint(undefined, 404), "");
		});
	});
});
