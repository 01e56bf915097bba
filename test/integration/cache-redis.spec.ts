import { strict as assert } from "node:assert";
import Redis from "ioredis";
import type { ServiceBroker } from "moleculer";
import { loadConfig } from "../../lib/config";
import type { OrchestrateResult } from "../../lib/contracts";
import { startVendors, type Vendors } from "../fixtures/vendors";
import { REDIS_URL, testBroker, testNamespace } from "../helpers";

/** The analysis and completion caches on the shared Redis, under this run's own key prefix. */
describe("cache on the real Redis", () => {
	const config = loadConfig();
	const namespace = testNamespace();
	const prefix = `MOL-${namespace}-`;
	let vendors: Vendors;
	let broker: ServiceBroker;
	let redis: Redis;

	const orchestrate = (request: string, options: Record<string, unknown> = {}) =>
		broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request, options });
	const keys = (pattern: string) => redis.keys(`${prefix}${pattern}`);

	before(async () => {
		redis = new Redis(REDIS_URL);
		vendors = await startVendors();
		broker = testBroker({ env: { ...vendors.env, CACHER: REDIS_URL, NAMESPACE: namespace }, exclude: ["gateway"] });
		await broker.start();
		// The first analysis loads the tokenizer (a long synchronous pause); done here, it cannot
		// stall a Redis reply past its command timeout in the middle of a test.
		await broker.call("orchestrator.analyze", { request: "warm up", options: { cache: false } });
		// The cacher serves once ioredis reports ready; until then requests go uncached by design.
		const client = (broker.cacher as any).client as Redis;
		if (client.status !== "ready") await new Promise(resolve => client.once("ready", resolve));
	});

	after(async () => {
		await broker?.stop();
		await vendors?.stop();
		const left = await keys("*");
		if (left.length) await redis.del(...left);
		redis?.disconnect();
	});

	it("a first request is a miss that pays, a second identical one is a hit that costs no tokens", async () => {
		const first = await orchestrate("explain how closures capture variables in JavaScript");
		assert.equal(first.cached, false);
		assert.ok(first.usage.input_tokens > 0 && first.cost_usd > 0);
		assert.equal(vendors.completions(), 1);

		// Same request with different spacing: the analysis key is the normalized request.
		const second = await orchestrate("  explain how closures   capture variables in JavaScript\n");
		assert.equal(second.cached, true);
		assert.deepEqual(second.usage, { input_tokens: 0, output_tokens: 0 });
		assert.equal(second.cost_usd, 0);
		assert.equal(second.output, first.output);
		assert.equal(second.model, first.model);
		assert.deepEqual(second.attempts, [{ provider: first.route.provider, model: first.model, ok: true, cached: true }]);
		assert.equal(vendors.completions(), 1, "the cached answer reached no vendor");
	});

	it("stores both caches in Redis under the broker's prefix, with the TTLs of config.yaml", async () => {
		const [completion] = await keys("orchestrator.completion:*");
		const [analysis] = await keys("orchestrator.analyze:*");
		assert.ok(completion && analysis, "both keys are in Redis");
		const ttlCompletion = await redis.ttl(completion);
		const ttlAnalysis = await redis.ttl(analysis);
		assert.ok(ttlCompletion > 0 && ttlCompletion <= config.cache.ttl_seconds.completion);
		assert.ok(ttlAnalysis > 0 && ttlAnalysis <= config.cache.ttl_seconds.analysis);
	});

	it("options.cache: false bypasses both caches", async () => {
		const analysisKeys = (await keys("orchestrator.analyze:*")).length;
		const res = await orchestrate("explain how closures capture variables in JavaScript", { cache: false });
		assert.equal(res.cached, false);
		assert.ok(res.usage.input_tokens > 0);
		assert.equal(vendors.completions(), 2);
		assert.equal((await keys("orchestrator.analyze:*")).length, analysisKeys, "no analysis was written either");
	});

	it("never caches an error: the request after a failure is answered by a provider", async () => {
		const before = vendors.completions();
		// Every vendor refuses (a 400 is neither retried nor counted by the breaker).
		vendors.always({ kind: "error", status: 400, message: "prompt rejected" });
		await assert.rejects(orchestrate("summarize the trade-offs of optimistic locking"), /every model failed/);
		assert.ok(vendors.completions() > before);
		vendors.always({ kind: "ok" });
		const after = vendors.completions();
		const res = await orchestrate("summarize the trade-offs of optimistic locking");
		assert.equal(res.cached, false);
		assert.equal(vendors.completions(), after + 1);
		assert.equal((await orchestrate("summarize the trade-offs of optimistic locking")).cached, true);
	});

	it("a different model budget is a different completion", async () => {
		const before = vendors.completions();
		const a = await orchestrate("list three uses of a bloom filter", { preferred_models: ["gpt-4.1-nano"] });
		const b = await orchestrate("list three uses of a bloom filter", { preferred_models: ["claude-haiku-4-5"] });
		assert.equal(a.cached, false);
		assert.equal(b.cached, false);
		assert.notEqual(a.model, b.model);
		assert.equal(vendors.completions(), before + 2);
	});
});
