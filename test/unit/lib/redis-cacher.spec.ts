import { strict as assert } from "node:assert";
import { ServiceBroker } from "moleculer";
import { redisOptionsFromUrl } from "../../../lib/redis-cacher";
import { cacherOption } from "../../../moleculer.config";
import { cloneData } from "../../../lib/clone-data";
import { ResilientRedisCacher } from "../../../lib/redis-cacher";

describe("cacher option", () => {
	it("reads host, port, credentials, db and TLS from a Redis URL", () => {
		assert.deepEqual(redisOptionsFromUrl("redis://127.0.0.1:6380"), { host: "127.0.0.1", port: 6380 });
		assert.deepEqual(redisOptionsFromUrl("rediss://user:p%40ss@cache.internal/2"), {
			host: "cache.internal",
			port: 6379,
			username: "user",
			password: "p@ss",
			db: 2,
			tls: {},
		});
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
		assert.equal(
			((cacherOption({ CACHER: "redis://127.0.0.1:6379", CACHER_TIMEOUT_MS: "" }) as ResilientRedisCacher).opts as any).redis.commandTimeout,
			2000,
		);
		// A value it cannot take is a start-up error naming it, not the default taken silently.
		assert.throws(
			() => cacherOption({ CACHER: "redis://127.0.0.1:6379", CACHER_TIMEOUT_MS: "soon" }),
			/^Error: CACHER_TIMEOUT_MS must be a positive number of milliseconds, not 'soon'$/,
		);
	});

	it("defaults to a bounded in-process LRU cacher that hands out copies", () => {
		assert.deepEqual(cacherOption({}), { type: "MemoryLRU", options: { max: 1000, clone: cloneData, maxParamsLength: 80 } });
		assert.deepEqual(cacherOption({ CACHER_MAX_ENTRIES: "50" }), { type: "MemoryLRU", options: { max: 50, clone: cloneData, maxParamsLength: 80 } });
		assert.deepEqual(cacherOption({ CACHER: "Memory" }), { type: "Memory", options: { clone: cloneData, maxParamsLength: 80 } });
	});

	it("the default LRU cacher evicts the oldest entry past its bound", async () => {
		const broker = new ServiceBroker({ logger: false, cacher: cacherOption({ CACHER_MAX_ENTRIES: "2" }) });
		await broker.start();
		try {
			const c = broker.cacher!;
			await c.set("a", { v: 1 }, 60);
			await c.set("b", { v: 2 }, 60);
			await c.set("c", { v: 3 }, 60);
			assert.equal(await c.get("a"), null);
			assert.deepEqual(await c.get("c"), { v: 3 });
			const got = (await c.get("c")) as { v: number };
			got.v = 99;
			assert.deepEqual(await c.get("c"), { v: 3 }, "a copy is handed out");
			const stored = { v: [4] };
			await c.set("d", stored, 60);
			stored.v.push(5);
			assert.deepEqual(await c.get("d"), { v: [4] }, "a copy is kept");
		} finally {
			await broker.stop();
		}
	});
});
