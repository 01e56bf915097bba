import assert from "node:assert/strict";
import { fakeOpenAI } from "../../../fakes/openai";
import { complete, providerBroker, providerContract, type ProviderUnderTest } from "./contract";

/** An Ollama-like server: OpenAI's wire format under /v1, a key it ignores or checks. */
export const compatible: ProviderUnderTest = {
	service: "llm-openai-compatible",
	model: "llama3.1:8b",
	fake: () => fakeOpenAI({ models: ["llama3.1:8b"] }),
	env: f => ({ OPENAI_COMPATIBLE_BASE_URL: `${f.baseUrl}/v1`, OPENAI_COMPATIBLE_API_KEY: f.apiKey, OPENAI_COMPATIBLE_MODELS: "" }),
	badKeyEnv: f => ({ OPENAI_COMPATIBLE_BASE_URL: `${f.baseUrl}/v1`, OPENAI_COMPATIBLE_API_KEY: "wrong-key-sk-abcdefgh1234", OPENAI_COMPATIBLE_MODELS: "" }),
	noCredentialsEnv: { OPENAI_COMPATIBLE_BASE_URL: "" },
	badKeyStatus: 401,
};

providerContract(compatible);

describe("llm-openai-compatible specifics", () => {
	it("reuses the OpenAI mapping but sends max_tokens, which local servers read", async () => {
		const fake = await compatible.fake();
		const broker = await providerBroker(compatible, fake);
		try {
			const { res } = await complete(broker, "llm-openai-compatible", { model: "llama3.1:8b", messages: [{ role: "user", content: "hi" }], max_tokens: 33 });
			assert.equal(res!.text, "answer from openai llama3.1:8b");
			assert.equal(fake.completions[0].path, "/v1/chat/completions");
			assert.equal(fake.completions[0].body.max_tokens, 33);
			assert.equal(fake.completions[0].body.max_completion_tokens, undefined);
		} finally {
			await broker.stop();
			await fake.stop();
		}
	});

	it("OPENAI_COMPATIBLE_MODELS narrows the models it declares", async () => {
		const fake = await compatible.fake();
		const narrowed = await providerBroker(compatible, fake, { OPENAI_COMPATIBLE_MODELS: "qwen-not-in-catalog" });
		try {
			const svc = (narrowed.registry.getServiceList({}) as any[]).find(s => s.name === "llm-openai-compatible");
			assert.deepEqual(svc.metadata.provider.models, []);
		} finally {
			await narrowed.stop();
			await fake.stop();
		}
	});

});
