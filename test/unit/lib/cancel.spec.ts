import { strict as assert } from "node:assert";
import { ServiceBroker } from "moleculer";
import { CANCEL_EVENT, cancelCalls, cancelEvents, cancels, cancelToken } from "../../../lib/cancel";

describe("lib/cancel: a request's cancel token", () => {
	const broker = new ServiceBroker({ logger: false });
	broker.createService({ name: "provider-like", events: cancelEvents });
	before(() => broker.start());
	after(() => broker.stop());

	it("aborts every call running under the token, only those, and forgets them once done", async () => {
		const token = cancelToken();
		const a = cancels(broker).watch(token);
		const b = cancels(broker).watch(token);
		const other = cancels(broker).watch(cancelToken());
		assert.equal(cancels(broker).size, 2);
		cancelCalls(broker, token);
		await new Promise(r => setImmediate(r));
		assert.equal(a.signal?.aborted, true);
		assert.equal(b.signal?.aborted, true);
		assert.equal(other.signal?.aborted, false);
		a.done();
		b.done();
		other.done();
		assert.equal(cancels(broker).size, 0);
	});

	it("a call that starts after its token was cancelled starts aborted; no token, no signal", async () => {
		const token = cancelToken();
		await broker.broadcast(CANCEL_EVENT, { token });
		const late = cancels(broker).watch(token);
		assert.equal(late.signal?.aborted, true);
		late.done();
		assert.equal(cancels(broker).watch(undefined).signal, undefined);
		assert.equal(cancels(broker).size, 0);
	});

	it("an event without a string token aborts nothing", async () => {
		const token = cancelToken();
		const call = cancels(broker).watch(token);
		await broker.broadcast(CANCEL_EVENT, { token: { toString: () => token } });
		await broker.broadcast(CANCEL_EVENT, null);
		assert.equal(call.signal?.aborted, false);
		call.done();
	});
});
