import { strict as assert } from "node:assert";
import { positiveEnv } from "../../../lib/env-number";

describe("lib/env-number positiveEnv", () => {
	it("reads a positive number, the default when unset or blank", () => {
		assert.equal(positiveEnv({}, "X", 32), 32);
		assert.equal(positiveEnv({ X: " " }, "X", 32), 32);
		assert.equal(positiveEnv({ X: "2.5" }, "X", 32), 2.5);
		assert.equal(positiveEnv({ X: "64" }, "X", 32, { integer: true }), 64);
	});

	it("refuses anything else by the variable's name, with what it was given", () => {
		for (const bad of ["abc", "0", "-3", "Infinity", "1e400"])
			assert.throws(() => positiveEnv({ X: bad }, "X", 1), new RegExp(`^Error: X must be a positive number, not '${bad}'$`));
		assert.throws(() => positiveEnv({ X: "2.5" }, "X", 1, { integer: true, unit: "requests" }), /X must be a positive integer of requests, not '2\.5'/);
	});
});
