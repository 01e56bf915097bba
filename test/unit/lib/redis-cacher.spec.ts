import { strict as assert } from "node:assert";
import { redisOptionsFromUrl } from "../../../lib/redis-cacher";
import { cacherOption } from "../../../moleculer.config";
import { ResilientRedisCacher } from "../../../lib/redis-cacher";

describe("cacher option", () => {
	it("reads host, port, credentials, db and TLS from a Redis URL", () => {
		assert.deepEqual(redisOptionsFromUrl("redis://127.0.0.1:6380"), { host: "127.0.0.1", port: 6380 });
		assert.deepEqual(redisOptionsFromUrl("rediss://user:p%40ss@cache.internal/2"), { host: "cache.internal", port: 6379, username: "user", password: "p@ss", db: 2, tls: {} });
	});

	it("CACHER=redis://… is Moleculer's Redis cacher that fails fast instead of queueing", () => {
		const c = cacherOption({ CACHER: "redis://127.0.0.1:6379" }) as ResilientRedisCacher;
		assert.ok(c instanceof ResilientRedisCacher);
		const redis = (c.opts as any).redis;
		assert.equal(redis.enableOfflineQueue, false);
		assert.equal(redis.maxRetriesPerRequest, 0);
		assert.ok(redis.commandTimeout > 0);
		assert.ok(redis.retryStrategy(1000) <= 2000, "keeps reconnecting, at a bounded pace");
	});

	it("CACHER_TIMEOUT_MS bounds each Redis command; CACHER_PREFIX sets the key prefix", () => {
		const c = cacherOption({ CACHER: "redis://127.0.0.1:6379", CACHER_TIMEOUT_MS: "300", CACHER_PREFIX: "orch" }) as ResilientRedisCacher;
		assert.equal((c.opts as any).redis.commandTimeout, 300);
		assert.equal(c.opts.prefix, "orch");
		assert.equal(((cacherOption({ CACHER: "redis://127.0.0.1:6379", CACHER_TIMEOUT_MS: "soon" }) as ResilientRedisCacher).opts as any).redis.commandTimeout, 2000);
	});

	it("defaults to an in-process cacher that hands out copies", () => {
		assert.deepEqual(cacherOption({}), { type: "Memory", options: { clone: true, maxParamsLength: 80 } });
	});
});
