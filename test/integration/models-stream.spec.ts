import assert from "node:assert/strict";
import type { Readable } from "node:stream";
import type { ServiceBroker } from "moleculer";
import type { ModelsStreamEvent } from "../../lib/contracts/complete";
import { fakeAnthropic } from "../fakes/anthropic";
import { fakeOpenAI } from "../fakes/openai";
import { providerEnvFor, type Fakes } from "../fixtures/vendors";
import { NATS_URL, seesService, testBroker, testNamespace } from "../helpers";

/**
 * models.stream across the NATS transporter: the models service on one node, the real provider
 * services (official SDKs, against the vendor fakes) on another, so every delta crosses the bus
 * as a Moleculer object-mode stream chunk.
 */
describe("models.stream: the walk, streamed across NATS", function () {
	this.timeout(30_000);
	const fakes = {} as Pick<Fakes, "openai" | "anthropic">;
	let models: ServiceBroker;
	let providers: ServiceBroker;

	before(async () => {
		[fakes.openai, fakes.anthropic] = await Promise.all([fakeOpenAI(), fakeAnthropic()]);
		const namespace = testNamespace();
		const env = { TRANSPORTER: NATS_URL, NAMESPACE: namespace };
		models = testBroker({ services: ["models"], env: { ...env, NODE_ID: `${namespace}-models` } });
		providers = testBroker({
			services: ["llm-*"],
			env: { ...providerEnvFor(fakes, { LLM_TIMEOUT_MS: "2000" }), ...env, NODE_ID: `${namespace}-providers` },
		});
		await Promise.all([models.start(), providers.start()]);
		await Promise.all([seesService(models, "llm-openai", providers.nodeID), seesService(models, "llm-anthropic", providers.nodeID)]);
	});
	after(async () => {
		await Promise.all([models?.stop(), providers?.stop()]);
		await Promise.all(Object.values(fakes).map(f => f.stop()));
	});
	beforeEach(() => Object.values(fakes).forEach(f => f.reset()));

	async function read(params: Record<string, unknown>): Promise<ModelsStreamEvent[]> {
		const stream = await models.call<Readable, unknown>("models.stream", {
			messages: [{ role: "user", content: "count to five" }],
			max_tokens: 64,
			...params,
		});
		const events: ModelsStreamEvent[] = [];
		for await (const e of stream) events.push(e as ModelsStreamEvent);
		return events;
	}

	it("relays the provider's deltas from the other node and ends with the priced result", async () => {
		fakes.openai.next({ kind: "ok", text: "one two three", input_tokens: 14, output_tokens: 3 });
		const events = await read({ models: ["gpt-4.1-mini"] });
		assert.equal(events[0].type, "start");
		const start = events[0] as Extract<ModelsStreamEvent, { type: "start" }>;
		assert.equal(start.model, "gpt-4.1-mini");
		const texts = events.filter(e => e.type === "text").map(e => (e as { text: string }).text);
		assert.deepEqual(texts, ["one ", "two ", "three"], "one event per vendor delta, not one buffered text");
		const done = events[events.length - 1];
		assert.equal(done.type, "done");
		assert.ok(done.type === "done");
		assert.equal(done.result.text, "one two three");
		assert.deepEqual(done.result.usage, { input_tokens: 14, output_tokens: 3 });
		assert.equal(done.result.usage_source, "vendor");
		assert.equal(done.result.tries.at(-1)?.node, providers.nodeID);
		assert.equal(fakes.openai.completions[0].body.stream, true);
	});

	it("a model failing before content is replaced (the try recorded); one failing after content ends with an error event", async () => {
		fakes.anthropic.always({ kind: "error", status: 500 });
		fakes.openai.next({ kind: "ok", text: "fallback words" });
		const replaced = await read({ models: ["claude-haiku-4-5", "gpt-4.1-mini"] });
		const start = replaced[0];
		assert.ok(start.type === "start");
		assert.equal(start.model, "gpt-4.1-mini");
		assert.ok(start.tries.some(t => t.model === "claude-haiku-4-5" && !t.ok && t.reason === "server_error"));
		assert.equal(replaced.at(-1)?.type, "done");

		fakes.anthropic.reset();
		fakes.anthropic.next({ kind: "ok", text: "alpha beta gamma", dropAfterEvents: 4 });
		const cut = await read({ models: ["claude-haiku-4-5", "gpt-4.1-mini"] });
		assert.ok(cut[0].type === "start" && cut[0].model === "claude-haiku-4-5");
		assert.deepEqual(
			cut.filter(e => e.type === "text").map(e => (e as { text: string }).text),
			["alpha "],
		);
		const last = cut.at(-1)!;
		assert.equal(last.type, "error");
		assert.ok(!cut.some(e => e.type === "done"), "never a clean end over a truncated answer");
		assert.equal(fakes.openai.completions.length, 1, "no second model after content was sent");
	});
});
