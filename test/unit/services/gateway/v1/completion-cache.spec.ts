import { strict as assert } from "node:assert";
import type { ModelsCompleteParams } from "../../../../../lib/contracts/complete";
import { ServiceBroker } from "moleculer";
import { bypassRequested, cacheable, completionKey, fromCache, lookup, store } from "../../../../../services/gateway/v1/completion-cache";

const params: ModelsCompleteParams = {
	models: ["gpt-4.1-mini", "gpt-4.1-nano"],
	system: "Be brief.",
	messages: [{ role: "user", content: "what is a mutex?" }],
	max_tokens: 100,
	temperature: 0,
};

describe("/v1 completion cache rules", () => {
	it("caches only what the client made deterministic: temperature 0, a TTL, no bypass", () => {
		assert.equal(cacheable({ temperature: 0 }, 3600, false), true);
		assert.equal(cacheable({}, 3600, false), false, "no temperature: the vendor's default, a sample");
		assert.equal(cacheable({ temperature: 0.2 }, 3600, false), false);
		assert.equal(cacheable({ temperature: 0 }, 0, false), false, "cache.ttl_seconds.completion 0 turns it off");
		assert.equal(cacheable({ temperature: 0 }, 3600, true), false);
		assert.equal(bypassRequested({ "cache-control": "no-cache" }), true);
		assert.equal(bypassRequested({ "cache-control": "max-age=0, no-store" }), true);
		assert.equal(bypassRequested({}), false);
	});

	it("keys on the model and what it receives, not on the chain, the end-user id or anything else", () => {
		const key = completionKey("gpt-4.1-mini", params);
		assert.match(key, /^v1\.completion:[0-9a-f]{64}$/, "a digest: no text of the request in the key");
		assert.equal(completionKey("gpt-4.1-mini", { ...params, models: ["gpt-4.1-mini"], user: "u-123" }), key);
		assert.notEqual(completionKey("gpt-4.1-nano", params), key);
		assert.notEqual(completionKey("gpt-4.1-mini", { ...params, max_tokens: 101 }), key);
		assert.notEqual(completionKey("gpt-4.1-mini", { ...params, messages: [{ role: "user", content: "what is a mutex? " }] }), key);
		assert.notEqual(completionKey("gpt-4.1-mini", { ...params, tools: [{ type: "function", function: { name: "f" } }] }), key);
	});

	it("keys a caller's key name (its tenant) apart, and without keys as ever", () => {
		const key = completionKey("gpt-4.1-mini", params);
		assert.equal(completionKey("gpt-4.1-mini", params, undefined), key, "one tenant: the keys made before stay valid");
		const a = completionKey("gpt-4.1-mini", params, "team-a");
		assert.notEqual(a, key);
		assert.notEqual(completionKey("gpt-4.1-mini", params, "team-b"), a);
		assert.match(a, /^v1\.completion:[0-9a-f]{64}$/, "a digest: not even the key's name shows");
	});

	it("a cached answer keeps Claude's reasoning blocks with their signatures, which the client sends back on its next turn", async () => {
		const broker = new ServiceBroker({ logger: false, cacher: "Memory" });
		await broker.start();
		try {
			const thinking = [{ type: "thinking" as const, thinking: "hmm", signature: "sig" }];
			const result = { model: "gpt-4.1-mini", provider: "openai", service: "llm-openai", text: "a lock", thinking };
			await store(broker, params, { ...result, usage: { input_tokens: 1, output_tokens: 1 }, usage_source: "vendor", cost_usd: 0, tries: [] }, 60);
			const hit = await lookup(broker, params);
			assert.deepEqual(fromCache(hit!).thinking, thinking);
		} finally {
			await broker.stop();
		}
	});
});
