import { strict as assert } from "node:assert";
import { transporterOption } from "../../../moleculer.config";
import { BusWatch } from "../../../lib/bus";

describe("BusWatch: whether the transporter is connected", () => {
	it("holds a caller until the bus is back, or tells it the bus stayed down", async () => {
		const watch = new BusWatch(1_000);
		assert.equal(await watch.whenUp(10), true, "up: at once");
		watch.markDown();
		assert.equal(await watch.whenUp(20), false, "still down when the time is up");
		const waiting = watch.whenUp(1_000);
		watch.markUp();
		assert.equal(await waiting, true);
		assert.equal(watch.outages, 1);
	});

	it("is recovering while down and for settleMs after it came back", () => {
		const watch = new BusWatch(1_000);
		assert.equal(watch.recovering(), false, "never down");
		watch.markDown();
		assert.equal(watch.recovering(), true);
		watch.markUp();
		assert.equal(watch.recovering(watch.upAt + 999), true);
		assert.equal(watch.recovering(watch.upAt + 1_001), false);
	});
});

describe("TRANSPORTER", () => {
	it("a nats:// URL reconnects every 500 ms; other values are Moleculer's as given; unset is one process", () => {
		assert.deepEqual(transporterOption("nats://u:p@127.0.0.1:4222"), {
			type: "NATS",
			options: { url: "nats://u:p@127.0.0.1:4222", reconnectTimeWait: 500 },
		});
		assert.equal(transporterOption("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
		assert.equal(transporterOption(""), null);
		assert.equal(transporterOption(undefined), null);
	});
});
