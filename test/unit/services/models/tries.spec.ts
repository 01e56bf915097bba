import assert from "node:assert/strict";
import { Errors } from "moleculer";
import { loadConfig } from "../../../../lib/config";
import { DeadlineError } from "../../../../lib/deadline";
import { busHeld, failureSummary, outcomeUnknown, TryLog } from "../../../../services/models/tries";

const config = loadConfig();
const base = { provider: "openai", model: "gpt-4.1-mini", service: "llm-openai" };

/** A clock the test moves: every try takes the ms it is given. */
function clock() {
	let t = 0;
	return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("models.complete tries", () => {
	describe("TryLog", () => {
		it("lists each try the CallTries middleware reports, one per Moleculer retry, with its node and time", () => {
			const c = clock();
			const log = new TryLog(base, c.now);
			const first = log.observe({ service: "llm-openai", node: "n1" });
			c.advance(5);
			first({ ok: false, error: new Errors.MoleculerRetryableError("openai: HTTP 500: x", 500, "PROVIDER_SERVER_ERROR", { reason: "server_error" }) });
			const second = log.observe({ service: "llm-openai", node: "n2" });
			c.advance(7);
			second({ ok: true });
			assert.deepEqual(log.close(), [
				{ ...base, node: "n1", ok: false, reason: "server_error", error: "openai: HTTP 500: x", ms: 5 },
				{ ...base, node: "n2", ok: true, ms: 7 },
			]);
		});
		it("adds the failure only the caller saw (no endpoint left for the retry) after the tries", () => {
			const log = new TryLog(base, clock().now);
			log.observe({ service: "llm-openai", node: "n1" })({
				ok: false,
				error: new Errors.MoleculerRetryableError("x", 500, "E", { reason: "server_error" }),
			});
			const out = log.close(new Errors.ServiceNotAvailableError({ action: "llm-openai.complete", nodeID: "n1" }));
			assert.deepEqual(
				out.map(a => a.reason),
				["server_error", "unavailable"],
			);
		});
		it("closes a try the caller stopped waiting for as a timeout, once", () => {
			const log = new TryLog(base, clock().now);
			log.observe({ service: "llm-openai", node: "n1" });
			const out = log.close(new Errors.RequestTimeoutError({ action: "llm-openai.complete", nodeID: "n1" }));
			assert.deepEqual(
				out.map(a => [a.node, a.reason]),
				[["n1", "timeout"]],
			);
		});
		it("does not repeat a failure a try already ended with", () => {
			const err = new Errors.MoleculerClientError("openai: HTTP 401: bad key", 401, "PROVIDER_AUTH", { reason: "auth" });
			const log = new TryLog(base, clock().now);
			log.observe({ service: "llm-openai", node: "n1" })({ ok: false, error: err });
			const out = log.close(err);
			assert.equal(out.length, 1);
			assert.equal(out[0].reason, "auth");
		});
	});

	describe("failureSummary", () => {
		it("names the variables to set when no provider serves any model", () => {
			const s = failureSummary(
				[
					{ provider: "openai", model: "gpt-4.1-mini", ok: false, reason: "no_provider" },
					{ provider: "google", model: "gemini-2.5-flash", ok: false, reason: "no_provider" },
				],
				config,
			);
			assert.equal(s.noProvider, true);
			assert.deepEqual(s.env, ["OPENAI_API_KEY", "GOOGLE_API_KEY", "GEMINI_API_KEY"]);
			assert.match(
				s.message,
				/no live provider serves gpt-4\.1-mini, gemini-2\.5-flash; set OPENAI_API_KEY \(openai\), GOOGLE_API_KEY or GEMINI_API_KEY \(google\) to enable one \(see docs\/providers\.md; if set, their nodes are stopping or unreachable\)$/,
			);
		});
		it("lists each try with its category otherwise", () => {
			const s = failureSummary(
				[
					{ ...base, ok: false, reason: "auth", error: "openai: HTTP 401: bad key" },
					{ provider: "anthropic", model: "claude-haiku-4-5", ok: false, reason: "no_provider" },
				],
				config,
			);
			assert.equal(s.noProvider, false);
			assert.match(
				s.message,
				/^every model failed: gpt-4\.1-mini@llm-openai: auth \(openai: HTTP 401: bad key\); claude-haiku-4-5@anthropic: no_provider$/,
			);
		});
	});
});

describe("outcomeUnknown: a try the vendor may already have", () => {
	it("counts a try the walk's own deadline ended (DEADLINE_EXCEEDED) like Moleculer's timeout: the vendor call goes on", () => {
		// CI caught a request sent to the vendor twice (gpt-4.1-mini on a dying node, then gpt-4.1-nano): the walk's
		// timer had fired before Moleculer's, and DEADLINE_EXCEEDED was read as the vendor's own failure.
		assert.equal(outcomeUnknown(new DeadlineError("llm-openai.complete", 400), "complete"), true);
		assert.equal(outcomeUnknown(new Errors.RequestTimeoutError({ action: "llm-openai.complete", nodeID: "n1" }), "complete"), true);
		assert.equal(outcomeUnknown(new Errors.RequestRejectedError({ action: "llm-openai.complete", nodeID: "n1" }), "complete"), true);
	});

	it("counts a vendor that had the request and gave no answer within the provider's timeout (PROVIDER_TIMEOUT)", () => {
		const timedOut = new Errors.MoleculerRetryableError("openai: no answer after 400 ms", 504, "PROVIDER_TIMEOUT", { reason: "timeout" });
		assert.equal(outcomeUnknown(timedOut, "complete"), true);
		assert.equal(outcomeUnknown(timedOut, "stream"), true);
	});

	it("does not count an answer the vendor gave (an error) or a bus that held a complete call", () => {
		assert.equal(outcomeUnknown(new Errors.MoleculerError("rate limited", 429, "RATE_LIMITED"), "complete"), false);
		assert.equal(outcomeUnknown(new Errors.MoleculerError("bus down", 503, "TRANSPORTER_DOWN"), "complete"), false);
		assert.equal(busHeld(new Errors.MoleculerError("bus down", 503, "TRANSPORTER_DOWN")), true);
	});
});
