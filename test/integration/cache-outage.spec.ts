import { strict as assert } from "node:assert";
import type { ChildProcess } from "node:child_process";
import Redis from "ioredis";
import type { ServiceBroker } from "moleculer";
import type { OrchestrateResult } from "../../lib/contracts";
import { startRedis, stopChild as stopRedis } from "../fixtures/servers";
import { startVendors, type Vendors } from "../fixtures/vendors";
import { freePort, testBroker, testNamespace } from "../helpers";

describe("cache while Redis goes away and comes back", function () {
	let vendors: Vendors;
	const warnings: string[] = [];
	const infos: string[] = [];
	const infoWaiters: (() => void)[] = [];
	/** Resolves on the cacher's next info line (it logs one when Redis answers again). */
	const nextInfo = () => new Promise<void>(resolve => infoWaiters.push(resolve));
	let port: number;
	let redisProcess: ChildProcess | undefined;
	let broker: ServiceBroker;
	let client: Redis;

	const orchestrate = (request: string) => broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request });
	const ready = async () => {
		if (client.status !== "ready") await new Promise(resolve => client.once("ready", resolve));
	};

	before(async () => {
		port = await freePort();
		redisProcess = await startRedis(port);
		vendors = await startVendors();
		// A short command timeout, so the hung-Redis case below takes half a second per wait.
		broker = testBroker({
			env: { ...vendors.env, CACHER: `redis://127.0.0.1:${port}`, CACHER_TIMEOUT_MS: "500", NAMESPACE: testNamespace() },
			exclude: ["gateway"],
		});
		// The cacher's own logger, so the test sees exactly what an operator would read.
		const logger = (broker.cacher as any).logger;
		logger.warn = (...args: unknown[]) => warnings.push(args.join(" "));
		logger.info = (...args: unknown[]) => {
			infos.push(args.join(" "));
			infoWaiters.splice(0).forEach(w => w());
		};
		client = (broker.cacher as any).client;
		await broker.start();
		await ready();
		// Loads the tokenizer and the vendor SDKs once: a first-use pause longer than the command
		// timeout would otherwise read as Redis not answering.
		await broker.call("orchestrator.orchestrate", { request: "warm up", options: { cache: false } });
	});

	after(async () => {
		await broker?.stop();
		await stopRedis(redisProcess);
		await vendors?.stop();
	});

	it("caches while Redis is up", async () => {
		const calls = vendors.completions();
		assert.equal((await orchestrate("what does HTTP 409 mean")).cached, false);
		assert.equal((await orchestrate("what does HTTP 409 mean")).cached, true);
		assert.equal(vendors.completions(), calls + 1);
		assert.deepEqual(warnings, []);
	});

	it("goes on uncached, without hanging, with one warning, when Redis stops", async () => {
		const closed = new Promise(resolve => client.once("close", resolve));
		await stopRedis(redisProcess);
		await closed;
		const calls = vendors.completions();
		for (let i = 0; i < 4; i++) {
			const res = await orchestrate("what does HTTP 409 mean");
			assert.equal(res.cached, false, "nothing can be read from a stopped Redis");
			assert.ok(res.output);
		}
		const other = await orchestrate("what does HTTP 410 mean");
		assert.equal(other.cached, false);
		assert.equal(vendors.completions(), calls + 5, "every request was answered by a vendor");
		// ioredis keeps retrying the connection meanwhile; the operator still reads one line.
		// (events.once would reject on the connection errors ioredis emits meanwhile)
		await new Promise(resolve => client.once("reconnecting", resolve));
		assert.equal(warnings.length, 1, warnings.join("\n"));
		assert.match(warnings[0], /Redis cache unreachable.*uncached/);
	});

	it("uses the cache again when Redis returns", async () => {
		redisProcess = await startRedis(port);
		await ready();
		assert.ok(
			infos.some(l => /reachable again/.test(l)),
			infos.join("\n"),
		);
		// The restarted Redis is empty (no persistence): a miss that fills it, then a hit.
		const calls = vendors.completions();
		assert.equal((await orchestrate("what does HTTP 409 mean")).cached, false);
		assert.equal((await orchestrate("what does HTTP 409 mean")).cached, true);
		assert.equal(vendors.completions(), calls + 1);
		assert.equal(warnings.length, 1);
	});

	it("goes on uncached while Redis keeps its socket open but stops answering, and resumes when it answers", async () => {
		const admin = new Redis(port, "127.0.0.1");
		try {
			// Every client's commands wait 1.5 s: the connection stays up, no reconnect will tell.
			await admin.call("CLIENT", "PAUSE", "1500", "ALL");
			const back = nextInfo();
			const calls = vendors.completions();
			assert.equal((await orchestrate("what does HTTP 418 mean")).cached, false);
			assert.equal((await orchestrate("what does HTTP 418 mean")).cached, false, "nothing was stored while Redis did not answer");
			assert.equal(vendors.completions(), calls + 2);
			assert.equal(warnings.length, 2, "one more warning for this outage");
			assert.match(warnings[1], /Command timed out/);
			// The PING probe finds Redis answering again once the pause ends.
			await back;
			assert.match(infos.at(-1)!, /reachable again/);
			assert.equal((await orchestrate("what does HTTP 418 mean")).cached, false);
			assert.equal((await orchestrate("what does HTTP 418 mean")).cached, true);
			assert.equal(warnings.length, 2);
		} finally {
			admin.disconnect();
		}
	});
});

describe("cache whose Redis is down from the start", function () {
	let vendors: Vendors;
	let broker: ServiceBroker;
	const warnings: string[] = [];
	let firstWarning: Promise<void>;

	before(async () => {
		const port = await freePort(); // nothing listens there
		vendors = await startVendors();
		broker = testBroker({ env: { ...vendors.env, CACHER: `redis://127.0.0.1:${port}`, NAMESPACE: testNamespace() }, exclude: ["gateway"] });
		const logger = (broker.cacher as any).logger;
		firstWarning = new Promise(resolve => {
			logger.warn = (...args: unknown[]) => {
				warnings.push(args.join(" "));
				resolve();
			};
		});
		await broker.start();
	});

	after(async () => {
		await broker?.stop();
		await vendors?.stop();
	});

	it("starts, answers every request uncached, and says so once", async () => {
		const calls = vendors.completions();
		for (let i = 0; i < 3; i++) {
			const res = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request: "what does HTTP 503 mean" });
			assert.equal(res.cached, false);
		}
		assert.equal(vendors.completions(), calls + 3);
		await firstWarning;
		const client = (broker.cacher as any).client as Redis;
		await new Promise(resolve => client.once("reconnecting", resolve));
		assert.equal(warnings.length, 1, warnings.join("\n"));
		assert.match(warnings[0], /ECONNREFUSED/);
	});
});
