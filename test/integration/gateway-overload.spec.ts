import { strict as assert } from "node:assert";
import type { ServiceBroker } from "moleculer";
import { fakeOpenAI } from "../fakes/openai";
import type { FakeVendor } from "../fakes/vendor";
import { providerEnvFor } from "../fixtures/vendors";
import { freePort, testBroker } from "../helpers";

/**
 * Readiness must not wait behind work: with Moleculer's bulkhead at one slot per action and an
 * orchestrate call held by a slow vendor, GET /health still answers at once.
 */
describe("GET /health while the bulkhead is full", function () {
	this.timeout(30_000);
	let broker: ServiceBroker;
	let vendor: FakeVendor;
	let base: string;

	before(async () => {
		vendor = await fakeOpenAI();
		const port = await freePort();
		base = `http://127.0.0.1:${port}`;
		broker = testBroker({
			env: { ...providerEnvFor({ openai: vendor }), BULKHEAD_CONCURRENCY: "1", PORT: String(port), HOST: "127.0.0.1", WORKSPACE_DIR: "" },
			exclude: ["mcp.*"],
		});
		await broker.start();
		await broker.waitForServices(["orchestrator", "llm-openai"], 20_000);
	});

	after(async () => {
		await broker?.stop();
		await vendor?.stop();
	});

	it("answers 200 before the in-flight orchestrate call finishes", async () => {
		vendor.next({ kind: "ok", text: "slow answer", delayMs: 2_000 });
		const arrived = vendor.nextCompletion();
		let orchestrateDone = false;
		const orchestrate = fetch(`${base}/api/orchestrate`, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({ request: "Explain the difference between TCP and UDP in two sentences.", options: { cache: false } }),
		}).then(async res => {
			orchestrateDone = true;
			return res;
		});
		await arrived;
		const health = await fetch(`${base}/health`);
		assert.equal(health.status, 200, await health.text());
		assert.equal(orchestrateDone, false, "/health waited for the orchestrate call");
		const res = await orchestrate;
		const body = (await res.json()) as { output: string };
		assert.equal(res.status, 200, JSON.stringify(body));
		assert.equal(body.output, "slow answer");
	});
});
