import assert from "node:assert/strict";
import { fakeOpenAI } from "../../../fakes/openai";
import { complete, providerBroker, providerContract, type ProviderUnderTest } from "./contract";

const WRONG_KEY = "wrong-key-sk-abcdefgh1234";

export const openai: ProviderUnderTest = {
	service: "llm-openai",
	model: "gpt-4.1-mini",
	fake: () => fakeOpenAI(),
	env: f => ({ OPENAI_API_KEY: f.apiKey, OPENAI_BASE_URL: `${f.baseUrl}/v1` }),
	badKeyEnv: f => ({ OPENAI_API_KEY: WRONG_KEY, OPENAI_BASE_URL: `${f.baseUrl}/v1` }),
	noCredentialsEnv: { OPENAI_API_KEY: "" },
	badKeyStatus: 401,
};

providerContract(openai);

describe("llm-openai specifics", () => {
	it("sends the output budget as max_completion_tokens, as OpenAI's current models require", async () => {
		const fake = await fakeOpenAI();
		const broker = await providerBroker(openai, fake);
		try {
			await complete(broker, "llm-openai", { model: "gpt-4.1-mini", messages: [{ role: "user", content: "hi" }], max_tokens: 77 });
			assert.equal(fake.completions[0].body.max_completion_tokens, 77);
			assert.equal(fake.completions[0].body.max_tokens, undefined);
			assert.equal(fake.completions[0].headers.authorization, `Bearer ${fake.apiKey}`);
		} finally {
			await broker.stop();
			await fake.stop();
		}
	});
});
