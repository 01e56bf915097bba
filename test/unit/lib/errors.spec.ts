import { strict as assert } from "node:assert";
import { Errors } from "moleculer";
import { errorMessage, errorStatus, loggableUrl, MAX_MESSAGE_CHARS, publicMessage, redact, rememberSecrets } from "../../../lib/errors";

describe("lib/errors: what a caller reads", () => {
	it("Moleculer's errors without the node they were on", () => {
		const timedOut = new Errors.RequestTimeoutError({ action: "models.complete", nodeID: "vm-4242" });
		assert.match(timedOut.message, /vm-4242/);
		assert.equal(errorMessage(timedOut), "Request is timed out when call 'models.complete' action.");
		const rejected = new Errors.RequestRejectedError({ action: "orchestrator.orchestrate", nodeID: "pipeline-7" });
		assert.doesNotMatch(errorMessage(rejected), /pipeline-7/);
		const missing = new Errors.ServiceNotAvailableError({ action: "intent.classify", nodeID: "host-1" });
		assert.doesNotMatch(errorMessage(missing), /host-1/);
	});

	it("leaves other messages as they are", () => {
		assert.equal(publicMessage("file 'docs/a.md' not found"), "file 'docs/a.md' not found");
		assert.equal(publicMessage("ran on 'x' nodes"), "ran on 'x' nodes");
	});

	it("a message quoting megabytes of the caller's input is cut, saying how much was left out", () => {
		const huge = `The 'model' field must be one of the catalog's models, not '${"x".repeat(5_000_000)}'.`;
		const out = publicMessage(huge);
		assert.ok(out.length < MAX_MESSAGE_CHARS + 40, String(out.length));
		assert.match(out, /… \[\d+ more characters\]$/);
	});

	it("orchestrate's own timeout is the request's deadline: 504 DEADLINE_EXCEEDED, as the walk's own answer says it", () => {
		assert.deepEqual(errorStatus(new Errors.RequestTimeoutError({ action: "orchestrator.orchestrate", nodeID: "n" })), {
			status: 504,
			type: "DEADLINE_EXCEEDED",
		});
		assert.equal(errorStatus(new Errors.RequestTimeoutError({ action: "intent.classify", nodeID: "n" })).type, "REQUEST_TIMEOUT");
	});
});

describe("lib/errors: loggableUrl", () => {
	it("keeps the path and the query's names, drops every value", () => {
		assert.equal(loggableUrl("/api/orchestrate"), "/api/orchestrate");
		assert.equal(loggableUrl("/health?api_key=sk-secret&verbose"), "/health?api_key=…&verbose=…");
		assert.equal(loggableUrl("/v1/models?a=1&&b=x%3Dy"), "/v1/models?a=…&b=…");
		assert.equal(loggableUrl("/x?"), "/x?");
		assert.equal(loggableUrl(undefined), "/");
	});
});

describe("lib/errors rememberSecrets: what redact() scrubs wherever it appears", () => {
	it("the passwords of URL-valued variables and a nats:// URL's token, not the user names of other URLs", () => {
		rememberSecrets({
			CACHER: "redis://:r3dis-pa55word@redis:6379",
			TRANSPORTER: "nats://tok3n-in-the-url@nats:4222",
			DATABASE_URL: "postgres://ledger-writer:pg-pa55word@db:5432/spend",
			REDIS_URL: "redis://:short@redis:6379",
		});
		// A client's own message, without the URL around the secret (ioredis's AUTH, Moleculer's options).
		assert.equal(
			redact("auth r3dis-pa55word failed; token tok3n-in-the-url; pass pg-pa55word"),
			"auth [redacted] failed; token [redacted]; pass [redacted]",
		);
		// A user name is no secret (it would mask ordinary words), nor is a password too short to be one.
		assert.equal(redact("ledger-writer wrote; short"), "ledger-writer wrote; short");
	});
});
