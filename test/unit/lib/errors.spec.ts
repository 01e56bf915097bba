import { strict as assert } from "node:assert";
import { Errors } from "moleculer";
import { errorMessage, errorStatus, loggableUrl, MAX_MESSAGE_CHARS, publicMessage } from "../../../lib/errors";

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
