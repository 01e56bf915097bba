import { strict as assert } from "node:assert";
import { logsRequests } from "../../../../services/gateway.service";

describe("gateway request lines (logsRequests)", () => {
	it("keeps moleculer-web's per-request lines where the broker prints info lines", () => {
		for (const LOGLEVEL of [undefined, "", "info", "INFO", " debug ", "trace"]) assert.equal(logsRequests({ LOGLEVEL }), true, String(LOGLEVEL));
	});

	it("turns them off where LOGLEVEL drops info lines, so they are not built for nothing", () => {
		for (const LOGLEVEL of ["warn", "error", "fatal", "Warn"]) assert.equal(logsRequests({ LOGLEVEL }), false, LOGLEVEL);
	});

	it("takes no level Moleculer does not know: the broker refuses it at start (lib/log-level.ts)", () => {
		assert.throws(
			() => logsRequests({ LOGLEVEL: "verbose" }),
			/^Error: LOGLEVEL must be one of fatal, error, warn, info, debug, trace \(any case\), not 'verbose'$/,
		);
	});
});
