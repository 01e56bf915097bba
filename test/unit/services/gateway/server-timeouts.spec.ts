import { strict as assert } from "node:assert";
import { checkingInterval } from "../../../../services/gateway/server-timeouts";

describe("checkingInterval (how often the gateway looks for stalled requests)", () => {
	it("is a quarter of the request limit", () => {
		assert.equal(checkingInterval(60_000), 15_000);
		assert.equal(checkingInterval(8_000), 2_000);
	});

	it("never checks more often than once a second, nor less often than Node's default 30 s", () => {
		assert.equal(checkingInterval(1_000), 1_000);
		assert.equal(checkingInterval(1), 1_000);
		assert.equal(checkingInterval(600_000), 30_000);
	});
});
