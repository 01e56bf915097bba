import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
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

	it("follows a vendor's redirect, the request sent again as it was (lib/vendor-fetch.ts)", async () => {
		const fake = await fakeOpenAI();
		// A front that moves every call to /moved/... on itself (307: same method and body; same origin: the key is kept),
		// and passes what reaches /moved/ on to the fake.
		const front = createServer((req, res) => {
			if (!req.url!.startsWith("/moved/")) {
				res.writeHead(307, { location: `/moved${req.url}` });
				res.end();
				return;
			}
			let body = "";
			req.on("data", d => (body += d));
			req.on("end", async () => {
				const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k === "authorization" || k === "content-type")) as Record<
					string,
					string
				>;
				const answer = await fetch(`${fake.baseUrl}${req.url!.slice("/moved".length)}`, { method: req.method, headers, body: body || undefined });
				res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
				res.end(await answer.text());
			});
		});
		await new Promise<void>(r => front.listen(0, "127.0.0.1", r));
		const frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
		// A timeout far above the two hops' time: this test is about the redirect, not about a slow first call on a busy machine.
		const broker = await providerBroker({ ...openai, env: f => ({ ...openai.env(f), OPENAI_BASE_URL: `${frontUrl}/v1` }) }, fake, {
			LLM_TIMEOUT_MS: "10000",
		});
		try {
			const { res, err, tries } = await complete(broker, "llm-openai", {
				model: "gpt-4.1-mini",
				messages: [{ role: "user", content: "hi" }],
				max_tokens: 77,
			});
			assert.equal(err, undefined);
			assert.ok(res?.text, "answered through the redirect");
			assert.equal(fake.completions.length, 1, `the vendor ran it once (tries: ${JSON.stringify(tries)})`);
			assert.equal(fake.completions[0].body.max_completion_tokens, 77);
		} finally {
			await broker.stop();
			await new Promise(r => front.close(r));
			await fake.stop();
		}
	});
});
