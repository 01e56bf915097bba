import { strict as assert } from "node:assert";
import { Errors, type Context, type ServiceBroker } from "moleculer";
import { retryCheck } from "../../../moleculer.config";
import { CallLedger } from "../../../lib/call-ledger";

/** A broker as the ledger sees one with no shared Redis (memory cacher or none). */
const broker = { nodeID: "n1", cacher: undefined, transit: undefined } as unknown as ServiceBroker;

const ctx = (over: Partial<Context> = {}) =>
	({ requestID: "r1", parentID: "walk1", action: { name: "llm-openai.complete" }, params: { model: "gpt-4.1-mini" }, ...over }) as unknown as Context<{
		model?: string;
	}>;

describe("CallLedger: a provider call reaches its vendor at most once", () => {
	it("keys a call by request, walk, action and model; none without a walk above it", () => {
		assert.equal(CallLedger.keyOf(ctx()), "r1:walk1:llm-openai.complete:gpt-4.1-mini:0:0");
		// Another conversation from the same context is another call.
		const asking = (content: string) => ctx({ params: { model: "gpt-4.1-mini", messages: [{ role: "user", content }] } } as Partial<Context>);
		assert.notEqual(CallLedger.keyOf(asking("TCP?")), CallLedger.keyOf(asking("UDP vs TCP?")));
		assert.notEqual(CallLedger.keyOf(ctx({ params: { model: "gpt-4.1-nano" } } as Partial<Context>)), CallLedger.keyOf(ctx()));
		assert.equal(CallLedger.keyOf(ctx({ parentID: null } as Partial<Context>)), undefined);
	});

	it("a repeat of a running call joins it, and a late repeat gets its answer: one vendor call", async () => {
		const ledger = new CallLedger(broker);
		let calls = 0;
		let answer!: (v: string) => void;
		const run = () => {
			calls++;
			return new Promise<string>(r => (answer = r));
		};
		const key = CallLedger.keyOf(ctx());
		const first = ledger.once(key, "llm-openai.complete", 1_000, run);
		const repeat = ledger.once(key, "llm-openai.complete", 1_000, run);
		answer("TCP is reliable.");
		assert.deepEqual(await Promise.all([first, repeat]), ["TCP is reliable.", "TCP is reliable."]);
		assert.equal(await ledger.once(key, "llm-openai.complete", 1_000, run), "TCP is reliable.");
		assert.equal(calls, 1);
	});

	it("forgets a call that failed, so Moleculer's retry after a vendor error calls again", async () => {
		const ledger = new CallLedger(broker);
		let calls = 0;
		const key = CallLedger.keyOf(ctx());
		await assert.rejects(
			ledger.once(key, "llm-openai.complete", 1_000, async () => {
				calls++;
				throw new Error("vendor 500");
			}),
		);
		assert.equal(await ledger.once(key, "llm-openai.complete", 1_000, async () => `answer ${++calls}`), "answer 2");
	});

	it("keeps no answer its caller surely received: only running calls and undelivered answers stay", async () => {
		const ledger = new CallLedger(broker);
		const calls = Array.from({ length: 1_000 }, (_, i) =>
			ledger.once(
				CallLedger.keyOf(ctx({ requestID: `r${i}` } as Partial<Context>)),
				"llm-openai.complete",
				1_000,
				async () => i,
				() => true,
			),
		);
		assert.equal(ledger.size, 1_000, "running calls are kept: a repeat joins them");
		await Promise.all(calls);
		assert.equal(ledger.size, 0, "delivered answers are forgotten at once, not held for 10 s");
		// An answer the caller may have missed (it came after the caller's timeout, or over a bus) is kept for a late repeat.
		let runs = 0;
		const key = CallLedger.keyOf(ctx({ requestID: "late" } as Partial<Context>));
		await ledger.once(
			key,
			"llm-openai.complete",
			1_000,
			async () => ++runs,
			() => false,
		);
		assert.equal(ledger.size, 1);
		assert.equal(await ledger.once(key, "llm-openai.complete", 1_000, async () => ++runs), 1);
		assert.equal(runs, 1);
	});

	it("runs every call that has no key", async () => {
		const ledger = new CallLedger(broker);
		let calls = 0;
		await ledger.once(undefined, "llm-openai.complete", 1_000, async () => ++calls);
		await ledger.once(undefined, "llm-openai.complete", 1_000, async () => ++calls);
		assert.equal(calls, 2);
	});
});

describe("retry policy: a vendor call whose node went away mid-call", () => {
	const rejected = (action: string) => new Errors.RequestRejectedError({ action, nodeID: "p1" });

	it("is not sent again without a shared Redis: nothing can tell whether the vendor had it", () => {
		const check = retryCheck({});
		assert.equal(check(rejected("llm-openai.complete")), false);
		assert.equal(check(rejected("llm-openai.stream")), false);
		// Any other action, and any other retryable failure of a vendor call, is retried as before.
		assert.equal(check(rejected("intent.classify")), true);
		assert.equal(check(new Errors.RequestTimeoutError({ action: "llm-openai.complete", nodeID: "p1" })), true);
		assert.equal(check(new Errors.MoleculerClientError("bad", 400)), false);
	});

	it("is not sent again after the vendor left it unanswered past the provider's timeout: it may still answer and bill", () => {
		const timedOut = new Errors.MoleculerRetryableError("openai: no answer after 400 ms", 504, "PROVIDER_TIMEOUT", { reason: "timeout" });
		assert.equal(retryCheck({})(timedOut), false);
		assert.equal(retryCheck({ CACHER: "redis://127.0.0.1:6379" })(timedOut), false);
		assert.equal(retryCheck({})(new Errors.MoleculerRetryableError("openai: HTTP 503", 503, "PROVIDER_UNAVAILABLE")), true);
	});

	it("is retried with a shared Redis for `complete`, whose ledger there tells the survivor (never for a stream)", () => {
		const check = retryCheck({ CACHER: "redis://127.0.0.1:6379" });
		assert.equal(check(rejected("llm-openai.complete")), true);
		assert.equal(check(rejected("llm-openai.stream")), false);
	});
});

describe("retry policy: a downstream MCP tool call", () => {
	const timedOut = (action: string) => new Errors.RequestTimeoutError({ action, nodeID: "m1" });
	const rejected = (action: string) => new Errors.RequestRejectedError({ action, nodeID: "m1" });

	it("is not sent again once its caller stopped waiting or its node went away: the tool may have run, with or without Redis", () => {
		for (const env of [{}, { CACHER: "redis://127.0.0.1:6379" }]) {
			const check = retryCheck(env);
			assert.equal(check(timedOut("mcp.filesystem.callTool")), false);
			assert.equal(check(rejected("mcp.filesystem.callTool")), false);
			// A call never sent (the server was not connected) may go again; so may the service's other actions.
			assert.equal(check(new Errors.MoleculerRetryableError("mcp.filesystem is not connected", 503, "MCP_DISCONNECTED")), true);
			assert.equal(check(timedOut("mcp.filesystem.status")), true);
		}
	});
});
