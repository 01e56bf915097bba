import assert from "node:assert/strict";
import { fakeAnthropic } from "../../../fakes/anthropic";
import { complete, providerBroker, providerContract, type ProviderUnderTest } from "./contract";

export const anthropic: ProviderUnderTest = {
	service: "llm-anthropic",
	model: "claude-haiku-4-5",
	fake: () => fakeAnthropic(),
	env: f => ({ ANTHROPIC_API_KEY: f.apiKey, ANTHROPIC_BASE_URL: f.baseUrl }),
	badKeyEnv: f => ({ ANTHROPIC_API_KEY: "wrong-key-sk-abcdefgh1234", ANTHROPIC_BASE_URL: f.baseUrl }),
	noCredentialsEnv: { ANTHROPIC_API_KEY: "" },
	badKeyStatus: 401,
};

providerContract(anthropic);

describe("llm-anthropic specifics", () => {
	it("sends the system prompt apart from the messages, no sampling field (API 2026-10-21 refuses them), and treats 529 overloaded as retryable", async () => {
		const fake = await fakeAnthropic();
		const broker = await providerBroker(anthropic, fake);
		try {
			fake.next({ kind: "error", status: 529 }, { kind: "ok", text: "fine now" });
			const { res, tries } = await complete(broker, "llm-anthropic", {
				model: "claude-haiku-4-5",
				system: "You are terse.",
				messages: [{ role: "user", content: "hi" }],
				temperature: 0.6,
				top_p: 0.9,
			});
			assert.equal(res!.text, "fine now");
			assert.equal(tries[0].reason, "server_error");
			const body = fake.completions[1].body;
			assert.equal(body.system, "You are terse.");
			assert.deepEqual(body.messages, [{ role: "user", content: "hi" }]);
			assert.equal(fake.completions[1].headers["anthropic-version"], "2026-10-21");
			assert.ok(!("temperature" in body) && !("top_p" in body), JSON.stringify(body));
			assert.equal(body.max_tokens, 1024, "the mixin's default output budget");
			assert.equal(fake.completions[1].headers.authorization, `Bearer ${fake.apiKey}`, "SDK 1.x sends the key as a Bearer token");
			assert.ok(fake.completions[1].headers["anthropic-version"]);
		} finally {
			await broker.stop();
			await fake.stop();
		}
	});

	it("keeps the breakpoint of a blank turn it leaves out on the block before it", async () => {
		const fake = await fakeAnthropic();
		const broker = await providerBroker(anthropic, fake);
		try {
			const { err } = await complete(broker, "llm-anthropic", {
				model: "claude-haiku-4-5",
				messages: [
					{ role: "user", content: "Long task statement." },
					{ role: "assistant", content: "", cache_control: { type: "ephemeral" } },
					{ role: "user", content: "go on" },
				],
			});
			assert.equal(err, undefined, err?.message);
			assert.deepEqual(fake.completions[0].body.messages, [
				{
					role: "user",
					content: [
						{ type: "text", text: "Long task statement.", cache_control: { type: "ephemeral" } },
						{ type: "text", text: "go on" },
					],
				},
			]);
		} finally {
			await broker.stop();
			await fake.stop();
		}
	});
});
