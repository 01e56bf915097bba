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

	describe("an Anthropic-compatible endpoint or a proxy answering off the wire format", function () {
		this.timeout(15_000);
		const raw = (status: number, contentType: string, body: string) => ({ kind: "raw" as const, status, contentType, body });
		const ask = async (...answers: ReturnType<typeof raw>[]) => {
			const fake = await anthropic.fake();
			const broker = await providerBroker(anthropic, fake);
			try {
				fake.always(answers[0]);
				return await complete(broker, "llm-anthropic", { model: anthropic.model, messages: [{ role: "user", content: "hi" }] });
			} finally {
				await broker.stop();
				await fake.stop();
			}
		};

		it("a proxy's HTML error page is its title", async () => {
			const { err } = await ask(
				raw(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>nginx</body></html>"),
			);
			assert.equal(err.message, "anthropic: HTTP 502: 502 Bad Gateway");
			assert.equal(err.data.reason, "server_error");
		});

		it("a 200 that is no message fails clearly (was: Cannot read properties of undefined (reading 'map'))", async () => {
			let { err } = await ask(raw(200, "text/html", "<html><body>Sign in to continue</body></html>"));
			assert.equal(err.type, "PROVIDER_CUT");
			assert.match(err.message, /^anthropic: the answer is no message \(Sign in to continue\)/);
			({ err } = await ask(raw(200, "application/json", JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }))));
			assert.match(err.message, /^anthropic: HTTP 529: Overloaded/);
		});

		it("a message without usage (some compatible endpoints) answers with usage null, not a TypeError", async () => {
			const msg = {
				id: "msg_1",
				type: "message",
				role: "assistant",
				model: anthropic.model,
				content: [{ type: "text", text: "hi" }],
				stop_reason: "end_turn",
			};
			const { res, err } = await ask(raw(200, "application/json", JSON.stringify(msg)));
			assert.equal(err, undefined);
			assert.equal(res!.text, "hi");
			assert.equal(res!.usage, null);
		});
	});
});
