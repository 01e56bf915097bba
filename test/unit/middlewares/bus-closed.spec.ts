import { strict as assert } from "node:assert";
import { Transporters, type ServiceBroker } from "moleculer";
import BusClosedMiddleware, { closedReason } from "../../../middlewares/bus-closed.middleware";
import { notLive, notReady } from "../../../middlewares/node-health.middleware";
import { busOf } from "../../../lib/bus";

const REFUSAL = { code: "AUTHORIZATION_VIOLATION", message: "'Authorization Violation'" };

/** A started broker as the middleware's `started` hook sees it: a NATS transporter whose client closes when `close` is called. */
function node(opts: { authenticator?: boolean } = {}) {
	const fatal: string[] = [];
	let close!: (err?: unknown) => void;
	const closed = new Promise<unknown>(resolve => (close = resolve));
	const tx = Object.assign(Object.create(Transporters.NATS.prototype), {
		opts: { url: "nats://nats:4222", authenticator: opts.authenticator === false ? undefined : () => ({}) },
		client: { closed: () => closed },
	});
	const broker = {
		started: true,
		transit: { tx, connected: true },
		options: { heartbeatInterval: 2 },
		getLogger: () => ({ fatal: (m: string) => fatal.push(m) }),
	} as unknown as ServiceBroker;
	(BusClosedMiddleware() as unknown as { started(b: ServiceBroker): void }).started(broker);
	return { broker, tx, fatal, close: async (err?: unknown) => (close(err), await new Promise(r => setImmediate(r))) };
}

describe("middlewares/bus-closed", () => {
	it("names a refusal of the credentials after the node joined, and NATS_TOKEN, or the error the client closed with", () => {
		const tx = { opts: { url: "nats://nats:4222", authenticator: () => ({}) } };
		assert.match(
			closedReason(REFUSAL, tx),
			/^NATS: nats:\/\/nats:4222 refused this node's credentials after it had joined .*set NATS_TOKEN .* to the token/,
		);
		assert.match(
			closedReason(REFUSAL, { opts: { url: "nats://nats:4222" } }),
			/requires authentication since it restarted and this node has none .*NATS_TOKEN/,
		);
		assert.equal(closedReason(new Error("Stale Connection"), tx), "NATS: the client's connection to nats://nats:4222 closed for good (Stale Connection)");
		assert.equal(closedReason(undefined, undefined), "NATS: the client's connection to the NATS server closed for good");
		assert.ok(!closedReason(REFUSAL, { opts: { url: "nats://s3cr3t-token-value@nats:4222" } }).includes("s3cr3t-token-value"));
	});

	it("a close while the node runs: said once (fatal), the bus watch closed, /live and /ready fail with the reason", async () => {
		const { broker, tx, fatal, close } = node();
		assert.equal(notLive(broker), null);
		await close(REFUSAL);
		assert.equal(fatal.length, 1);
		assert.match(fatal[0], /refused this node's credentials after it had joined.*This node is off the bus and will not rejoin it/);
		const reason = busOf(broker)!.closed!;
		assert.match(reason, /Authorization Violation/);
		assert.equal(busOf(broker)!.down, true);
		assert.equal(notLive(broker), reason);
		assert.equal(notReady(broker), reason);
		assert.equal(tx.client, undefined, "the broker's stop flushes no closed client");
	});

	it("the broker's own close (broker.stop: no longer started) is none", async () => {
		const { broker, fatal, close } = node();
		(broker as unknown as { started: boolean }).started = false;
		await close();
		assert.deepEqual(fatal, []);
		assert.equal(busOf(broker)!.closed, undefined);
		assert.equal(notLive(broker), null);
	});
});
