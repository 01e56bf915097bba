import { strict as assert } from "node:assert";
import type { FakeVendor } from "../fakes/vendor";
import { gatewayWithOpenAI, type GatewayUnderTest } from "../fixtures/gateway";

/**
 * Readiness must not wait behind work: with Moleculer's bulkhead at one slot per action and an
 * orchestrate call held by a slow vendor, GET /health still answers at once.
 */
describe("GET /health while the bulkhead is full", function () {
	this.timeout(30_000);
	let gw: GatewayUnderTest;
	let vendor: FakeVendor;
	let base: string;

	before(async () => {
		gw = await gatewayWithOpenAI({ BULKHEAD_CONCURRENCY: "1", BULKHEAD_IO_CONCURRENCY: "1" });
		({ vendor, base } = gw);
	});

	after(async () => {
		await gw?.stop();
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
