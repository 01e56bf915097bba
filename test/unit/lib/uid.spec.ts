import { strict as assert } from "node:assert";
import { ServiceBroker } from "moleculer";
import { brokerOptions } from "../../../moleculer.config";
import { uuid } from "../../../lib/uid";
import { standaloneEnv } from "../../helpers";

/** Moleculer's own context ids (utils.js generateToken) and `crypto.randomUUID()`: a version 4, variant 10 UUID in lower-case hex. */
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("uuid (the broker's context ids)", () => {
	it("gives random version 4 UUIDs in Moleculer's format, all distinct, across refills of its random pool", () => {
		const ids = Array.from({ length: 2_000 }, () => uuid());
		for (const id of ids) assert.match(id, UUID_V4);
		assert.equal(new Set(ids).size, ids.length);
		// Every hex digit shows up at a random position (not a buffer left unwritten or reused).
		const firstDigits = new Set(ids.map(id => id[0]));
		assert.equal(firstDigits.size, 16);
	});

	it("makes the broker's context ids", async () => {
		const broker = new ServiceBroker({ ...brokerOptions(standaloneEnv()), logger: false });
		broker.createService({ name: "t", actions: { id: ctx => ({ id: ctx.id, requestID: ctx.requestID }) } });
		await broker.start();
		try {
			const a = (await broker.call("t.id")) as { id: string; requestID: string };
			const b = (await broker.call("t.id")) as { id: string; requestID: string };
			assert.match(a.id, UUID_V4);
			assert.equal(a.requestID, a.id);
			assert.notEqual(a.id, b.id);
		} finally {
			await broker.stop();
		}
	});
});
