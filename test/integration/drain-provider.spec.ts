import { strict as assert } from "node:assert";
import type { ServiceBroker } from "moleculer";
import { fakeOpenAI } from "../fakes/openai";
import type { FakeVendor } from "../fakes/vendor";
import { providerEnvFor } from "../fixtures/vendors";
import { NATS_URL, testBroker, testNamespace } from "../helpers";

/**
 * A provider node stopped (a rollout, an HPA scaling down) while a vendor call runs: the call it already sent, which
 * the vendor bills, is answered before the node leaves. The wait was a fixed 10 s (tracking.shutdownTimeout), so a
 * 12 s call was lost with GracefulStopTimeoutError (audit D3); it now covers LLM_TIMEOUT_MS (moleculer.config.ts).
 */
describe("a provider node stopping with a vendor call in flight, over NATS", function () {
	this.timeout(60_000);
	const namespace = testNamespace();
	let vendor: FakeVendor;
	let provider: ServiceBroker;
	let caller: ServiceBroker;

	before(async () => {
		vendor = await fakeOpenAI();
		const cluster = { TRANSPORTER: NATS_URL, NAMESPACE: namespace };
		provider = testBroker({ services: ["llm-openai"], env: { ...cluster, ...providerEnvFor({ openai: vendor }), NODE_ID: `${namespace}-llm` } });
		caller = testBroker({ services: [], env: { ...cluster, NODE_ID: `${namespace}-caller` } });
		await Promise.all([provider.start(), caller.start()]);
		await caller.waitForServices(["llm-openai"], 20_000);
	});
	after(async () => {
		await Promise.all([caller.stop(), provider.stop()]);
		await vendor.stop();
	});

	it("answers a call the vendor takes 12 s over before the node stops", async () => {
		vendor.always({ kind: "ok", text: "the long answer", delayMs: 12_000 });
		const answer = caller.call<{ text: string }, unknown>("llm-openai.complete", { model: "gpt-4.1-nano", messages: [{ role: "user", content: "hi" }] });
		await vendor.nextCompletion();
		const stopped = provider.stop();
		assert.equal((await answer).text, "the long answer");
		await stopped;
		assert.equal(vendor.completions.length, 1, "one vendor call, answered");
	});
});
