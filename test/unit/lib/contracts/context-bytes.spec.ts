import { strict as assert } from "node:assert";
import { contextBytes } from "../../../../lib/contracts";

describe("lib/contracts contextBytes", () => {
	it("is the UTF-8 byte length of the context's JSON", () => {
		assert.equal(contextBytes(undefined), 0);
		assert.equal(contextBytes(null), 4);
		assert.equal(contextBytes("é"), 4);
		const context = { files: [{ path: "a.ts", content: "naïve → ok" }] };
		assert.equal(contextBytes(context), Buffer.byteLength(JSON.stringify(context), "utf8"));
	});

	it("measures one context object once (the orchestrator's limit check and the prompt stage share it)", () => {
		const context = { files: [{ path: "a.ts", content: "x".repeat(1000) }] };
		const first = contextBytes(context);
		// Params are not changed once an action has them; were one changed, the first measure would stand.
		context.files[0].content = "";
		assert.equal(contextBytes(context), first);
		assert.notEqual(contextBytes({ ...context }), first);
	});
});
