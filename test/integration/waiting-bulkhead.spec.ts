import { strict as assert } from "node:assert";
import { gatewayWithOpenAI, type GatewayUnderTest } from "../fixtures/gateway";

const CALLS = 96;

/**
 * A node's vendor calls spend their time waiting. With every action under the CPU-bound bulkhead (BULKHEAD_CONCURRENCY,
 * 32), a node had at most 32 vendor calls out at once and queued the rest behind idle waits (128 concurrent /v1 calls
 * to a vendor taking 1 s took 4.2 s). The actions that wait (orchestrate, the model walk, the providers' calls) take
 * BULKHEAD_IO_CONCURRENCY (512): the vendor sees every concurrent call at once. Default settings, as `npm start` has them.
 */
describe("concurrent calls waiting on a slow vendor, default bulkheads", function () {
	this.timeout(60_000);
	let gw: GatewayUnderTest;
	before(async () => {
		gw = await gatewayWithOpenAI();
	});
	after(() => gw?.stop());

	for (const [path, body] of [
		["/v1/chat/completions", (i: number) => ({ model: "gpt-4.1-mini", temperature: 1, messages: [{ role: "user", content: `hello ${i}` }] })],
		["/api/orchestrate", (i: number) => ({ request: `explain tcp handshakes ${i}`, options: { cache: false, preferred_models: ["gpt-4.1-mini"] } })],
	] as const)
		it(`${path}: ${CALLS} concurrent calls are all at the vendor at once, none queued behind a bulkhead of 32`, async () => {
			gw.vendor.reset();
			gw.vendor.always({ kind: "ok", text: "ok", delayMs: 1_500 });
			const statuses = await Promise.all(
				Array.from({ length: CALLS }, (_, i) =>
					fetch(`${gw.base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body(i)) }).then(
						r => r.status,
					),
				),
			);
			assert.deepEqual([...new Set(statuses)], [200]);
			assert.equal(gw.vendor.completions.length, CALLS);
			assert.equal(gw.vendor.maxInFlight, CALLS, `at most ${gw.vendor.maxInFlight} calls were at the vendor at once`);
		});
});
