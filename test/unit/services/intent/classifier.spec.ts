import { strict as assert } from "assert";
import { classifyIntent } from "../../../../services/intent/classifier";

describe("classifyIntent", () => {
	const cases: [string, string, Record<string, unknown>?][] = [
		["Show me the contents of README.md", "READ"],
		["cat src/server.ts", "READ"],
		["deploy the billing service to staging", "MANAGE"],
		["restart the redis pod in prod", "MANAGE"],
		["where is parseInvoice defined?", "SEARCH"],
		["find every file that imports moment", "SEARCH"],
		["write unit tests for the cart reducer", "WRITE"],
		["implement a rate limiter middleware for express", "WRITE"],
		["explain why this recursion never terminates", "ANALYZE"],
		["compare gRPC and REST for our internal services", "ANALYZE"],
	];
	for (const [request, expected, context] of cases) {
		it(`labels "${request}" as ${expected}`, () => {
			assert.equal(classifyIntent(request, context).intent, expected);
		});
	}

	it("labels two-part requests by the outcome, as the label guide's examples do", () => {
		assert.equal(classifyIntent("find the bug in auth.ts and fix it").intent, "WRITE");
		assert.equal(classifyIntent("find where the config is loaded").intent, "SEARCH");
		assert.equal(classifyIntent("find out why the build is slow").intent, "ANALYZE");
	});

	it("tells a refactor from acting on a resource when both say rename", () => {
		assert.equal(classifyIntent("rename the function getData to fetchUserData").intent, "WRITE");
		assert.equal(classifyIntent("rename the S3 bucket logs-old to logs-archive").intent, "MANAGE");
	});

	it("tolerates typos and missing punctuation", () => {
		assert.equal(classifyIntent("pls shwo me teh contents of package.json").intent, "READ");
		assert.equal(classifyIntent("restrat the nginx containr").intent, "MANAGE");
	});

	it("returns a confidence in [0, 1]", () => {
		for (const request of ["", "?", "a".repeat(5000), "deploy"]) {
			const { confidence } = classifyIntent(request);
			assert.ok(confidence >= 0 && confidence <= 1, `${confidence} for ${request.slice(0, 10)}`);
		}
	});

	it("accepts any context shape without throwing", () => {
		const contexts: Record<string, unknown>[] = [
			{},
			{ files: [{ path: "a.ts", content: "const x = 1;" }] },
			{ files: "not-an-array", error: 42, logs: null },
			{ error: { message: "boom", stack: ["at a", "at b"] }, framework: ["react"] },
		];
		for (const context of contexts) assert.ok(classifyIntent("why does this fail?", context).intent);
	});

	it("is deterministic", () => {
		const request = "grep the repo for TODO comments";
		assert.deepEqual(classifyIntent(request), classifyIntent(request));
	});
});
