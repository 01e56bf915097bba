import { strict as assert } from "node:assert";
import { ServiceBroker } from "moleculer";
import { notReady } from "../../../middlewares/node-health.middleware";

describe("middlewares/node-health notReady", () => {
	it("says a node is stopping while it drains its calls in flight, so a rollout sends it no new work", async () => {
		const broker = new ServiceBroker({ logger: false, tracking: { enabled: true, shutdownTimeout: 5_000 } });
		let finish!: () => void;
		broker.createService({ name: "slow", actions: { wait: () => new Promise<void>(resolve => (finish = resolve)) } });
		assert.match(String(notReady(broker)), /has not started/);
		await broker.start();
		assert.equal(notReady(broker), null);
		const call = broker.call("slow.wait");
		await new Promise(r => setImmediate(r));
		const stopping = broker.stop();
		// Not ready from the first moment of the stop; then, past Moleculer's stop delay, said to be stopping.
		assert.notEqual(notReady(broker), null);
		const deadline = Date.now() + 2_000;
		while (notReady(broker) !== "the node is stopping" && Date.now() < deadline) await new Promise(r => setTimeout(r, 10));
		assert.equal(notReady(broker), "the node is stopping");
		finish();
		await call;
		await stopping;
	});
});
