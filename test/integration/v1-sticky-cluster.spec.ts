import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import OpenAI from "openai";
import type { ResilientRedisCacher } from "../../lib/redis-cacher";
import { startVendors, type Vendors } from "../fixtures/vendors";
import { freePort, REDIS_URL, testBroker, testNamespace } from "../helpers";

/**
 * Sticky-by-conversation across gateway nodes: two independent gateways (each with its own
 * pipeline and providers) share only the Redis cacher, as two replicas behind a load balancer do.
 * A conversation started on one continues on the other on the same model.
 */
describe("/v1 auto: a conversation keeps its model across gateway nodes (Redis cacher)", function () {
	this.timeout(40_000);
	let vendors: Vendors;
	const brokers: ServiceBroker[] = [];
	const clients: OpenAI[] = [];

	before(async () => {
		vendors = await startVendors();
		const namespace = testNamespace();
		for (let i = 0; i < 2; i++) {
			const port = await freePort();
			const broker = testBroker({
				services: ["gateway", "orchestrator", "intent", "complexity", "router", "prompt", "models", "metrics", "llm-*"],
				env: { ...vendors.env, PORT: String(port), HOST: "127.0.0.1", CACHER: REDIS_URL, NAMESPACE: namespace, NODE_ID: `${namespace}-gw${i}` },
			});
			brokers.push(broker);
			clients.push(new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "unused", maxRetries: 0 }));
		}
		await Promise.all(brokers.map(b => b.start()));
		// A node's first request loads the tokenizer, which can block its event loop past the Redis
		// command timeout on a loaded machine (the cache is then skipped, by design): warm both first.
		for (const c of clients) await c.chat.completions.create({ model: "auto", messages: [{ role: "user", content: "warm up: what is 2 + 2?" }] });
		await cachesUp();
	});
	/** Both caches answering: a cache that is down (a command timeout on a loaded machine) is skipped by design. */
	async function cachesUp() {
		const up = () =>
			brokers.every(b => (b.cacher as unknown as ResilientRedisCacher).available && (b.cacher as unknown as { connected: boolean }).connected);
		while (!up()) await new Promise(r => setTimeout(r, 50));
	}
	after(async () => {
		await Promise.all(brokers.map(b => b.stop()));
		await vendors?.stop();
	});

	it("the second node answers a follow-up on the model the first node chose, where its own analysis would choose another", async () => {
		const task = {
			role: "user" as const,
			content: "Write a detailed design for a distributed rate limiter with Redis, covering failure modes, sharding and clock skew.",
		};
		const first = await clients[0].chat.completions.create({ model: "auto", messages: [task] });
		await cachesUp();
		const followUp = [
			task,
			{ role: "assistant" as const, content: first.choices[0].message.content ?? "" },
			{ role: "user" as const, content: "ok thanks" },
		];
		// The same follow-up as a conversation of its own (another task): what node 2's pipeline picks unaided.
		const unaided = await clients[1].chat.completions.create({ model: "auto", messages: [{ role: "user", content: "ok thanks" }] });
		assert.notEqual(unaided.model, first.model, "the follow-up alone routes elsewhere, so the test can tell stickiness apart");
		const second = await clients[1].chat.completions.create({ model: "auto", messages: followUp });
		assert.equal(second.model, first.model);
	});
});
