import assert from "node:assert/strict";
import { Errors } from "moleculer";
import { durationMs, failureReason, readVendorError, retryAfterMs, statusReason, toMoleculerError } from "../../../lib/provider-errors";
import { redact } from "../../../lib/errors";

describe("provider errors", () => {
	describe("retryAfterMs", () => {
		it("reads seconds, an HTTP date and OpenAI's retry-after-ms, from Headers or a record", () => {
			assert.equal(retryAfterMs(new Headers({ "retry-after": "3" })), 3000);
			assert.equal(retryAfterMs({ "retry-after": "0.5" }), 500);
			assert.equal(retryAfterMs(new Headers({ "retry-after-ms": "250", "retry-after": "9" })), 250);
			const now = Date.parse("2026-01-01T00:00:00Z");
			assert.equal(retryAfterMs(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:07 GMT" }), now), 7000);
		});
		it("ignores what it cannot read", () => {
			assert.equal(retryAfterMs(new Headers({ "retry-after": "soon" })), undefined);
			assert.equal(retryAfterMs(undefined), undefined);
			assert.equal(retryAfterMs(new Headers()), undefined);
		});
	});

	it("durationMs reads Google duration strings", () => {
		assert.equal(durationMs("1.5s"), 1500);
		assert.equal(durationMs("30s"), 30_000);
		assert.equal(durationMs("PT30S"), undefined);
		assert.equal(durationMs(3), undefined);
	});

	it("statusReason puts every HTTP status in a small closed set", () => {
		assert.deepEqual([429, 401, 403, 404, 408, 400, 422, 500, 503, 529].map(statusReason), [
			"rate_limited",
			"auth",
			"auth",
			"not_found",
			"timeout",
			"bad_request",
			"bad_request",
			"server_error",
			"server_error",
			"server_error",
		]);
	});

	describe("readVendorError", () => {
		it("takes the vendor's sentence from the error body, not the SDK's status-prefixed message", () => {
			const anthropicLike = Object.assign(new Error('401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}'), {
				status: 401,
				headers: new Headers(),
				error: { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } },
			});
			assert.deepEqual(readVendorError(anthropicLike), { status: 401, retryAfterMs: undefined, kind: "http", message: "invalid x-api-key" });
		});
		it("recognises timeouts and dropped connections by name or socket code", () => {
			assert.equal(readVendorError(Object.assign(new Error("Request timed out."), { name: "APIConnectionTimeoutError" })).kind, "timeout");
			const reset = new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });
			assert.equal(readVendorError(reset).kind, "connection");
			assert.equal(readVendorError(new Error("unexpected token in JSON")).kind, "other");
			assert.equal(
				readVendorError(new SyntaxError("Unterminated string in JSON at position 12")).kind,
				"cut",
				"a body that does not parse, not a dropped connection",
			);
			// How fetch fails a body cut off after the headers: the vendor has the call.
			assert.equal(readVendorError(new TypeError("terminated", { cause: reset })).kind, "cut");
		});
	});

	describe("toMoleculerError", () => {
		const opts = { provider: "openai", service: "llm-openai", retryAfterMaxMs: 2000 };
		it("makes 429, 5xx, timeouts and connection failures retryable, other 4xx final", () => {
			const e = (status: number) => toMoleculerError({ kind: "http", status, message: "x" }, opts);
			assert.ok(e(429) instanceof Errors.MoleculerRetryableError);
			assert.ok(e(500) instanceof Errors.MoleculerRetryableError);
			assert.ok(e(503).retryable);
			assert.equal(e(401).retryable, false);
			assert.equal(e(401).code, 401);
			assert.ok(e(400) instanceof Errors.MoleculerClientError);
			assert.equal(e(404).type, "PROVIDER_NOT_FOUND");
			assert.ok(toMoleculerError({ kind: "connection", message: "reset" }, opts).retryable);
			assert.equal(toMoleculerError({ kind: "other", message: "weird" }, opts).retryable, false);
		});
		it("turns a retry-after beyond the cap into a final error that keeps the delay", () => {
			const short = toMoleculerError({ kind: "http", status: 429, retryAfterMs: 1000, message: "slow down" }, opts);
			const long = toMoleculerError({ kind: "http", status: 429, retryAfterMs: 60_000, message: "slow down" }, opts);
			assert.equal(short.retryable, true);
			assert.equal(long.retryable, false);
			assert.equal(long.code, 429);
			assert.equal((long.data as any).retry_after_ms, 60_000);
			assert.equal((long.data as any).reason, "rate_limited");
		});
		it("reports the call's own deadline as a timeout whatever the SDK made of the abort", () => {
			const e = toMoleculerError({ kind: "other", message: "Request was aborted." }, { ...opts, deadlineHit: true, timeoutMs: 400 });
			assert.equal(e.type, "PROVIDER_TIMEOUT");
			assert.equal(e.message, "openai: no answer after 400 ms");
			assert.ok(e.retryable);
		});
		it("redacts the credentials of a URL (a transporter or cacher address)", () => {
			assert.equal(
				redact("cannot connect to nats://user:s3cret@nats:4222 or redis://:pw123@redis:6379/0"),
				"cannot connect to nats://[redacted]@nats:4222 or redis://[redacted]@redis:6379/0",
			);
		});

		it("redacts keys the vendor echoes", () => {
			const e = toMoleculerError({ kind: "http", status: 401, message: "Incorrect API key provided: sk-proj-abcdefghijklmnop" }, opts);
			assert.ok(!e.message.includes("sk-proj-abcdefghijklmnop"), e.message);
		});
	});

	it("failureReason classifies Moleculer's own errors when no provider was reached", () => {
		assert.equal(failureReason(new Errors.RequestTimeoutError({ action: "llm-openai.complete", nodeID: "n1" })), "timeout");
		assert.equal(failureReason(new Errors.ServiceNotAvailableError({ action: "llm-openai.complete" })), "unavailable");
		assert.equal(failureReason(new Errors.RequestRejectedError({ action: "llm-openai.complete", nodeID: "n1" })), "unavailable");
		assert.equal(failureReason(new Errors.ValidationError("bad", "VALIDATION_ERROR", [])), "bad_request");
		assert.equal(failureReason(new Errors.MoleculerRetryableError("x", 429, "RATE_LIMITED", { reason: "rate_limited" })), "rate_limited");
		assert.equal(failureReason(new Error("?")), "error");
	});
});
