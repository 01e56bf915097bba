import { strict as assert } from "node:assert";
import { Transporters, type ServiceBroker } from "moleculer";
import BusAuthMiddleware, { isAuthRefusal } from "../../../middlewares/bus-auth.middleware";

/** A broker as the middleware's `started` hook sees it: a NATS transporter whose client holds the server's INFO. */
function joined(server: string, authRequired: boolean | undefined) {
	const warnings: string[] = [];
	const tx = Object.assign(Object.create(Transporters.NATS.prototype), {
		client: { info: { auth_required: authRequired }, getServer: () => server },
	});
	const broker = { transit: { tx }, getLogger: () => ({ warn: (m: string) => warnings.push(m) }) } as unknown as ServiceBroker;
	(BusAuthMiddleware() as unknown as { started(b: ServiceBroker): void }).started(broker);
	return warnings;
}

describe("middlewares/bus-auth", () => {
	it("tells the NATS client's authorization refusal from other connection errors", () => {
		assert.equal(isAuthRefusal({ code: "AUTHORIZATION_VIOLATION", message: "'Authorization Violation'" }), true);
		assert.equal(isAuthRefusal(new Error("'Authorization Violation'")), true);
		assert.equal(isAuthRefusal({ code: "CONNECTION_REFUSED", message: "connect ECONNREFUSED 127.0.0.1:4222" }), false);
		assert.equal(isAuthRefusal(undefined), false);
	});

	it("warns once a node joined a bus open to anyone beyond loopback, naming NATS_TOKEN", () => {
		const [warning, ...more] = joined("nats:4222", false);
		assert.equal(more.length, 0);
		assert.match(warning, /the NATS server at nats:4222 requires no authentication: any process that reaches it can join this cluster/);
		assert.match(warning, /NATS_TOKEN/);
	});

	it("says nothing of a bus that requires authentication, or of a developer's on this machine", () => {
		assert.deepEqual(joined("nats:4222", true), []);
		assert.deepEqual(joined("127.0.0.1:4222", false), []);
		assert.deepEqual(joined("localhost:4222", false), []);
		assert.deepEqual(joined("[::1]:4222", false), []);
	});
});
