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

/** How long a stopping node waits for its calls and streams in flight (shutdownTimeoutMs): derived, or SHUTDOWN_TIMEOUT_MS. */
describe("moleculer.config: the shutdown wait", () => {
	const waitOf = (env: NodeJS.ProcessEnv) => (brokerOptions({ METRICS_PORT: "off", ...env }).tracking as { shutdownTimeout: number }).shutdownTimeout;

	it("covers the longest vendor call or request plus 3 s by default: 67 s", () => {
		assert.equal(waitOf({}), 67_000);
		assert.equal(waitOf({ LLM_TIMEOUT_MS: "100000" }), 107_000);
	});

	it("is SHUTDOWN_TIMEOUT_MS when set, and refuses a value that is not a positive number, naming it", () => {
		assert.equal(waitOf({ SHUTDOWN_TIMEOUT_MS: "300000" }), 300_000);
		assert.equal(waitOf({ SHUTDOWN_TIMEOUT_MS: " " }), 67_000);
		assert.throws(() => waitOf({ SHUTDOWN_TIMEOUT_MS: "0" }), /^Error: SHUTDOWN_TIMEOUT_MS must be a positive number of milliseconds, not '0'$/);
	});
});
