import { strict as assert } from "node:assert";
import { brokerOptions } from "../../moleculer.config";

/** The Prometheus port binds where the gateway does: HOST, loopback when unset (README "HOST"; issue 14, 15). */
describe("moleculer.config: Prometheus reporter address", () => {
	const reporterHost = (env: NodeJS.ProcessEnv) => {
		const reporters = (brokerOptions(env).metrics as { reporter: { options: { host?: string } }[] }).reporter;
		assert.equal(reporters.length, 1);
		return reporters[0].options.host;
	};

	it("listens on 127.0.0.1 when HOST is unset, as the gateway does", () => {
		assert.equal(reporterHost({ METRICS_PORT: "9090" }), "127.0.0.1");
	});

	it("follows HOST when it is set", () => {
		assert.equal(reporterHost({ METRICS_PORT: "9090", HOST: "0.0.0.0" }), "0.0.0.0");
	});

	it("has no reporter with METRICS_PORT=off", () => {
		assert.deepEqual((brokerOptions({ METRICS_PORT: "off" }).metrics as { reporter: unknown[] }).reporter, []);
	});

	it("refuses a METRICS_PORT that is not a port, and any other number setting that is not one, naming it", () => {
		assert.throws(() => brokerOptions({ METRICS_PORT: "abc" }), /METRICS_PORT must be a port number \(0-65535\) or 'off', not 'abc'/);
		assert.throws(() => brokerOptions({ METRICS_PORT: "70000" }), /METRICS_PORT/);
		assert.throws(() => brokerOptions({ METRICS_PORT: "off", BULKHEAD_CONCURRENCY: "0" }), /BULKHEAD_CONCURRENCY must be a positive integer, not '0'/);
		assert.throws(() => brokerOptions({ METRICS_PORT: "off", REQUEST_TIMEOUT_MS: "soon" }), /REQUEST_TIMEOUT_MS/);
	});
});
