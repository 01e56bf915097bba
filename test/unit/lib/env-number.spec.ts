import { strict as assert } from "node:assert";
import { flagEnv, nonNegativeEnv, portEnv, positiveEnv } from "../../../lib/env-number";

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

describe("lib/env-number nonNegativeEnv, flagEnv, portEnv", () => {
	it("nonNegativeEnv takes 0, refuses below it and what is not a number", () => {
		assert.equal(nonNegativeEnv({ X: "0" }, "X", 5), 0);
		assert.equal(nonNegativeEnv({}, "X", undefined), undefined);
		assert.throws(() => nonNegativeEnv({ X: "-1" }, "X", 5), /^Error: X must be a non-negative number, not '-1'$/);
	});

	it("flagEnv reads 1/0, true/false, yes/no, on/off in any case; blank is the default; anything else names it", () => {
		assert.equal(flagEnv({ X: "Yes" }, "X", false), true);
		assert.equal(flagEnv({ X: "OFF" }, "X", true), false);
		assert.equal(flagEnv({ X: "" }, "X", undefined), undefined);
		assert.throws(() => flagEnv({ X: "maybe" }, "X", false), /^Error: X must be a flag \(1\/0, true\/false, yes\/no, on\/off\), not 'maybe'$/);
	});

	it("portEnv takes 0-65535, blank as the default", () => {
		assert.equal(portEnv({ P: "" }, "P", 3000), 3000);
		assert.equal(portEnv({ P: "0" }, "P", 3000), 0);
		for (const bad of ["-1", "70000", "1.5", "abc"])
			assert.throws(() => portEnv({ P: bad }, "P", 3000), new RegExp(`P must be a port number \\(0-65535\\), not '${bad}'`));
	});
});
