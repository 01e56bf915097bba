import { strict as assert } from "node:assert";
import { createBroker } from "../../lib/runner";
import { standaloneEnv } from "../helpers";

/**
 * Environment settings a node reads at start: a value it cannot use stops the start with an error naming the variable,
 * as REQUEST_TIMEOUT_MS or METRICS_PORT do, instead of a default taken silently (audit D8).
 */
describe("environment settings: a bad value is a start-up error naming the variable", () => {
	const build = (env: Record<string, string>) =>
		createBroker({ env: standaloneEnv({ OPENAI_API_KEY: "sk-test", SERVICES: "gateway,orchestrator,llm-openai", ...env }), broker: { logger: false } });

	const refused: [string, string, RegExp][] = [
		["LLM_TIMEOUT_MS", "-5", /^LLM_TIMEOUT_MS must be a positive number of milliseconds, not '-5'$/],
		["LLM_TIMEOUT_MS", "abc", /^LLM_TIMEOUT_MS must be a positive number of milliseconds, not 'abc'$/],
		["LLM_TIMEOUT_MS", "0", /^LLM_TIMEOUT_MS must be a positive number/],
		["LLM_RETRY_AFTER_MAX_MS", "abc", /^LLM_RETRY_AFTER_MAX_MS must be a non-negative number of milliseconds, not 'abc'$/],
		["LLM_RETRY_AFTER_MAX_MS", "-1", /^LLM_RETRY_AFTER_MAX_MS must be a non-negative number/],
		["LLM_STREAM", "maybe", /^LLM_STREAM must be a flag \(1\/0, true\/false, yes\/no, on\/off\), not 'maybe'$/],
		["LLM_STREAM_MAX_MS", "abc", /^LLM_STREAM_MAX_MS must be a positive number of milliseconds, not 'abc'$/],
		["CACHER_TIMEOUT_MS", "abc", /^CACHER_TIMEOUT_MS must be a positive number of milliseconds, not 'abc'$/],
		["CACHER_MAX_ENTRIES", "abc", /^CACHER_MAX_ENTRIES must be a positive integer of entries, not 'abc'$/],
		["WAIT_FOR_SERVICES_MS", "abc", /^WAIT_FOR_SERVICES_MS must be a positive number of milliseconds, not 'abc'$/],
		["SHUTDOWN_TIMEOUT_MS", "abc", /^SHUTDOWN_TIMEOUT_MS must be a positive number of milliseconds, not 'abc'$/],
		["PORT", "abc", /^PORT must be a port number \(0-65535\), not 'abc'$/],
		["PORT", "70000", /^PORT must be a port number/],
	];
	for (const [name, value, message] of refused)
		it(`${name}=${value}`, () => {
			assert.throws(
				() => build({ [name]: value }),
				(err: Error) => {
					assert.match(err.message, message);
					return true;
				},
			);
		});

	it("NATS_TOKEN with a TRANSPORTER that is no NATS, or beside credentials in its URL, naming neither secret", () => {
		for (const [env, message] of [
			[{ TRANSPORTER: "redis://127.0.0.1:6379", NATS_TOKEN: "t0k3n-for-the-bus" }, /^NATS_TOKEN is for a nats:\/\/ TRANSPORTER, not 'redis:/],
			[
				{ TRANSPORTER: "nats://bus:pa55-w0rd@127.0.0.1:4222", NATS_TOKEN: "t0k3n-for-the-bus" },
				/^NATS_TOKEN is set and TRANSPORTER's URL carries credentials too/,
			],
		] as const)
			assert.throws(
				() => build(env),
				(err: Error) => {
					assert.match(err.message, message);
					assert.doesNotMatch(err.message, /t0k3n|w0rd/);
					return true;
				},
			);
	});

	it("takes the values that mean something: LLM_RETRY_AFTER_MAX_MS=0 (never wait), LLM_STREAM=ON, blank as unset", () => {
		const broker = build({ LLM_RETRY_AFTER_MAX_MS: "0", LLM_STREAM: "ON", LLM_TIMEOUT_MS: " ", PORT: "" });
		const llm = broker.getLocalService("llm-openai")!;
		assert.equal(llm.settings.retryAfterMaxMs, 0);
		assert.equal(llm.settings.stream, true);
		assert.equal(llm.settings.timeoutMs, 60_000);
		// `PORT=` is PORT unset (3000), not port 0 (a random port).
		assert.equal(broker.getLocalService("gateway")!.settings.port, 3000);
	});
});
