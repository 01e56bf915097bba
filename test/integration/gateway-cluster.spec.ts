import { strict as assert } from "node:assert";
import type { ServiceBroker } from "moleculer";
import { freePort, NATS_URL, testBroker, testNamespace } from "../helpers";

const PIPELINE = ["intent", "complexity", "router", "prompt", "models", "orchestrator", "metrics"];

/** A gateway node whose pipeline node leaves the cluster: REST callers must hear "unavailable", not "no such URL". */
describe("REST gateway while the pipeline node is gone", function () {
	this.timeout(30_000);
	const namespace = testNamespace();
	const env = { TRANSPORTER: NATS_URL, NAMESPACE: namespace };
	let gw: ServiceBroker;
	let pipe: ServiceBroker;
	let base: string;

	const post = async (path: string, body: unknown) => {
		const res = await fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
		return { status: res.status, body: (await res.json()) as { error?: { type: string; message: string } } };
	};

	before(async () => {
		const port = await freePort();
		base = `http://127.0.0.1:${port}`;
		gw = testBroker({ services: ["gateway"], env: { ...env, NODE_ID: `${namespace}-gw`, PORT: String(port), HOST: "127.0.0.1" } });
		pipe = testBroker({ services: PIPELINE, env: { ...env, NODE_ID: `${namespace}-pipe` } });
		await Promise.all([gw.start(), pipe.start()]);
		await gw.waitForServices(PIPELINE, 20_000);
		assert.equal((await post("/api/analyze", { request: "explain idempotency keys" })).status, 200);
		// The pipeline node stops; the gateway keeps its (now empty) endpoint lists.
		const gone = new Promise<void>(resolve => gw.localBus.once("$node.disconnected", () => resolve()));
		await pipe.stop();
		await gone;
	});

	after(async () => {
		await gw?.stop();
	});

	for (const path of ["/api/orchestrate", "/api/analyze"]) {
		it(`POST ${path} answers 503 naming the missing service`, async () => {
			const { status, body } = await post(path, { request: "explain idempotency keys" });
			assert.equal(status, 503, JSON.stringify(body));
			assert.match(body.error!.message, /orchestrator\.(orchestrate|analyze)/);
		});
	}

	it("GET /health answers 503 naming what is unreachable, in one warning line without a stack trace", async () => {
		const logged: { level: string; text: string }[] = [];
		const logger = gw.getLocalService("gateway")!.logger as unknown as Record<string, (...args: unknown[]) => void>;
		for (const level of ["error", "warn"]) logger[level] = (...args: unknown[]) => logged.push({ level, text: args.map(String).join(" ") });
		const res = await fetch(`${base}/health`);
		const body = (await res.json()) as { error: { message: string } };
		assert.equal(res.status, 503);
		assert.match(body.error.message, /not ready: unreachable .*orchestrator\.orchestrate/);
		assert.deepEqual(
			logged.map(l => l.level),
			["warn"],
			JSON.stringify(logged),
		);
		assert.doesNotMatch(logged[0].text, /\n\s+at /);
	});

	it("GET /api/metrics answers 503", async () => {
		const res = await fetch(`${base}/api/metrics`);
		assert.equal(res.status, 503, await res.text());
	});
});
