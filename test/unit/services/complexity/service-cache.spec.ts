import { strict as assert } from "node:assert";
import type { ServiceBroker } from "moleculer";
import { testBroker } from "../../../helpers";

/**
 * Moleculer's cacher wraps its validator, so a cache hit answers before the params are checked. complexity.analyze's
 * cache looks up only params its contract accepts: a call the contract refuses is a 422 even when a valid call under
 * the same key was answered just before (a null context digests as no context).
 */
describe("complexity.analyze: a cached score never answers params the contract refuses", () => {
	let broker: ServiceBroker;
	before(async () => {
		broker = testBroker({ services: ["complexity"], broker: { cacher: "Memory" } });
		await broker.start();
	});
	after(() => broker.stop());

	it("answers a valid call, then refuses the same request with a null context (422), then answers the valid one again", async () => {
		const first = await broker.call<{ score: number }, unknown>("complexity.analyze", { request: "explain closures in JavaScript" });
		assert.equal(typeof first.score, "number");
		await assert.rejects(broker.call("complexity.analyze", { request: "explain closures in JavaScript", context: null }), {
			type: "VALIDATION_ERROR",
			code: 422,
		});
		assert.deepEqual(await broker.call("complexity.analyze", { request: "explain closures in JavaScript" }), first);
	});
});
