import assert from "node:assert/strict";
import { fakeGemini } from "../../../fakes/gemini";
import { testBroker } from "../../../helpers";
import { complete, providerBroker, providerContract, type ProviderUnderTest } from "./contract";

export const google: ProviderUnderTest = {
	service: "llm-google",
	model: "gemini-2.5-flash",
	fake: () => fakeGemini(),
	env: f => ({ GOOGLE_API_KEY: f.apiKey, GEMINI_API_KEY: "", GOOGLE_BASE_URL: f.baseUrl }),
	badKeyEnv: f => ({ GOOGLE_API_KEY: "AIzaWrongKeyWrongKeyWrongKey123", GEMINI_API_KEY: "", GOOGLE_BASE_URL: f.baseUrl }),
	// The Gemini API answers an invalid key with 400 INVALID_ARGUMENT.
	noCredentialsEnv: { GOOGLE_API_KEY: "", GEMINI_API_KEY: "" },
	badKeyStatus: 400,
};

providerContract(google);

describe("llm-google specifics", () => {
	it("waits for the RetryInfo delay of a 429 RESOURCE_EXHAUSTED body (no retry-after header) before retrying", async () => {
		const fake = await fakeGemini();
		const broker = await providerBroker(google, fake);
		try {
			fake.next({ kind: "error", status: 429, retryAfter: "1", bodyOnly: true }, { kind: "ok", text: "quota back" });
			const { res, tries } = await complete(broker, "llm-google", { model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi" }] });
			assert.equal(res!.text, "quota back");
			assert.equal(tries[0].reason, "rate_limited");
			assert.ok(tries[0].ms >= 1000, `waited ${tries[0].ms} ms`);
			assert.equal(fake.completions[0].headers["retry-after"], undefined);
		} finally {
			await broker.stop();
			await fake.stop();
		}
	});

	it("maps messages to Gemini contents (assistant -> model) with the system instruction apart", async () => {
		const fake = await fakeGemini();
		const broker = await providerBroker(google, fake);
		try {
			await complete(broker, "llm-google", {
				model: "gemini-2.5-flash",
				system: "Answer in French.",
				messages: [
					{ role: "user", content: "hello" },
					{ role: "assistant", content: "bonjour" },
					{ role: "user", content: "thanks" },
				],
				max_tokens: 50,
			});
			const req = fake.completions[0];
			assert.equal(req.path, "/v1beta/models/gemini-2.5-flash:generateContent");
			assert.deepEqual(
				req.body.contents.map((c: any) => c.role),
				["user", "model", "user"],
			);
			assert.equal(req.body.systemInstruction.parts[0].text, "Answer in French.");
			assert.equal(req.body.generationConfig.maxOutputTokens, 50);
			assert.equal(req.headers["x-goog-api-key"], fake.apiKey);
		} finally {
			await broker.stop();
			await fake.stop();
		}
	});

	it("starts on GEMINI_API_KEY when GOOGLE_API_KEY is unset, and not at all without either", async () => {
		const fake = await fakeGemini();
		const withGemini = testBroker({ services: ["llm-google"], env: { GOOGLE_API_KEY: "", GEMINI_API_KEY: fake.apiKey, GOOGLE_BASE_URL: fake.baseUrl } });
		const without = testBroker({ services: ["llm-google"], env: { GOOGLE_API_KEY: "", GEMINI_API_KEY: "" } });
		await Promise.all([withGemini.start(), without.start()]);
		try {
			const { res } = await complete(withGemini, "llm-google", { model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi" }] });
			assert.equal(res!.text, "answer from gemini gemini-2.5-flash");
			assert.equal(without.getLocalService("llm-google"), undefined);
		} finally {
			await Promise.all([withGemini.stop(), without.stop()]);
			await fake.stop();
		}
	});

	it("a proxy's HTML error page before a Gemini-compatible endpoint is its title, not the page", async function () {
		this.timeout(15_000);
		const fake = await fakeGemini();
		const broker = await providerBroker(google, fake);
		try {
			const page = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>nginx</body></html>";
			fake.always({ kind: "raw", status: 502, contentType: "text/html", body: page });
			const { err } = await complete(broker, "llm-google", { model: google.model, messages: [{ role: "user", content: "hi" }] });
			assert.equal(err.message, "google: HTTP 502: 502 Bad Gateway");
			assert.equal(err.data.reason, "server_error");
		} finally {
			await broker.stop();
			await fake.stop();
		}
	});
});
