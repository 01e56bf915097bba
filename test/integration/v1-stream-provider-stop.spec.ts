import { strict as assert } from "node:assert";
import type { ServiceBroker } from "moleculer";
import OpenAI from "openai";
import { fakeOpenAI } from "../fakes/openai";
import type { FakeVendor } from "../fakes/vendor";
import { providerEnvFor } from "../fixtures/vendors";
import { freePort, NATS_URL, testBroker, testNamespace } from "../helpers";

/** A /v1 stream whose provider node is stopped (a rollout) while content flows: what does the client see, and when? */
describe("/v1 stream whose provider node is stopped mid-answer, over NATS", function () {
	this.timeout(90_000);
	const namespace = testNamespace();
	let vendor: FakeVendor;
	let provider: ServiceBroker;
	let gateway: ServiceBroker;
	let openai: OpenAI;

	before(async () => {
		vendor = await fakeOpenAI();
		const cluster = { TRANSPORTER: NATS_URL, NAMESPACE: namespace };
		const port = await freePort();
		provider = testBroker({ services: ["llm-openai"], env: { ...cluster, ...providerEnvFor({ openai: vendor }), NODE_ID: `${namespace}-llm` } });
		gateway = testBroker({
			services: ["gateway", "orchestrator", "intent", "complexity", "router", "prompt", "models"],
			env: { ...cluster, ...providerEnvFor({}), NODE_ID: `${namespace}-gw`, PORT: String(port), HOST: "127.0.0.1" },
		});
		await Promise.all([provider.start(), gateway.start()]);
		await gateway.waitForServices(["llm-openai"], 20_000);
		openai = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "unused", maxRetries: 0, timeout: 60_000 });
	});
	after(async () => {
		await Promise.all([gateway.stop(), provider.stop()]);
		await vendor.stop();
	});

	it("ends the client's stream with an error soon after the node leaves, not never", async () => {
		const words = Array.from({ length: 20 }, (_, i) => `w${i} `).join("");
		vendor.always({ kind: "ok", text: words, eventDelayMs: 300 });
		let text = "";
		let error: unknown;
		const reading = (async () => {
			try {
				const stream = await openai.chat.completions.create({ model: "gpt-4.1-nano", stream: true, messages: [{ role: "user", content: "hi" }] });
				for await (const c of stream) text += c.choices[0]?.delta?.content ?? "";
			} catch (e) {
				error = e;
			}
		})();
		await new Promise(r => setTimeout(r, 1000));
		const stopping = Date.now();
		void provider.stop();
		await Promise.race([reading, new Promise(r => setTimeout(r, 20_000))]);
		assert.ok(Date.now() - stopping < 15_000, `the client's stream was still open ${Date.now() - stopping} ms after the provider node left`);
		assert.ok(text.length > 0 && text.length < words.length, "content came, then the stream broke off");
		assert.match(String((error as Error)?.message), /left in the middle of the answer|stream stopped/);
	});
});
