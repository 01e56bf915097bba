import { strict as assert } from "node:assert";
import { Errors, ServiceBroker, type BrokerOptions, type Context } from "moleculer";
import { brokerOptions } from "../../../moleculer.config";
import { callTimeoutHooks } from "../../../middlewares/call-timeout.middleware";
import { standaloneEnv } from "../../helpers";
import { assertSwappedInPlace, withMoleculerHooks } from "./hooks";

type TimedContext = Context & { startHrTime?: [number, number] | null };

/** The production broker's options with Moleculer's own Timeout middleware. */
const withMoleculerTimeout = (opts: BrokerOptions) => withMoleculerHooks(opts, "Timeout");

/** What a call ended with, as a caller sees it, and what it left behind: warnings, the timeout counter, the context's timeout. */
interface Outcome {
	result?: unknown;
	error?: { name: string; message: string; code: unknown; type: unknown; data: unknown; retryable: unknown; constructor: string };
	warnings: unknown[][];
	timeouts: unknown;
	seen: { timeout: unknown; started: boolean; level: number }[];
}

/** The same call on a broker built with `opts`: a service whose actions answer, answer late, fail, or call another. */
async function run(opts: BrokerOptions, action: string, params: Record<string, unknown> = {}, callOpts: Record<string, unknown> = {}): Promise<Outcome> {
	const broker = new ServiceBroker({ ...opts, logger: false });
	const seen: Outcome["seen"] = [];
	const note = (ctx: TimedContext) => seen.push({ timeout: ctx.options.timeout, started: Array.isArray(ctx.startHrTime), level: ctx.level });
	// Past every timeout of the cases below, and soon enough that stopping the broker does not wait long for it (tracking).
	const late = (fn: (resolve: (v: unknown) => void, reject: (e: unknown) => void) => void) =>
		new Promise((resolve, reject) => setTimeout(() => fn(resolve, reject), 100));
	broker.createService({
		name: "t",
		actions: {
			quick: (ctx: TimedContext) => (note(ctx), { ok: ctx.params }),
			hang: { timeout: 40, handler: (ctx: TimedContext) => (note(ctx), late(resolve => resolve("late"))) },
			slowFailure: (ctx: TimedContext) => (note(ctx), late((_, reject) => reject(new Error("late failure")))),
			fail: (ctx: TimedContext) => {
				note(ctx);
				throw new Errors.MoleculerClientError("no", 422, "NO", { why: 1 });
			},
			// A handler failing with the TimeoutError of Moleculer's `Promise.prototype.timeout`: told as the call's timeout.
			polyfillTimeout: (ctx: TimedContext) => (note(ctx), (late(resolve => resolve("late")) as any).timeout(10)),
			nested: (ctx: TimedContext) => (note(ctx), ctx.call("t.quick", { n: 1 })),
		},
	});
	const warnings: unknown[][] = [];
	await broker.start();
	broker.logger.warn = (...args: unknown[]) => void warnings.push(args);
	try {
		const out: Outcome = { warnings, timeouts: undefined, seen };
		try {
			out.result = await broker.call(action, params, callOpts);
		} catch (err) {
			const e = err as Errors.MoleculerError;
			out.error = { name: e.name, message: e.message, code: e.code, type: e.type, data: e.data, retryable: e.retryable, constructor: e.constructor.name };
		}
		// A late answer or failure after the timeout changes nothing.
		await new Promise(resolve => setTimeout(resolve, 120));
		out.timeouts = broker.metrics.getMetric("moleculer.request.timeout.total")?.toObject().values;
		return out;
	} finally {
		await broker.stop();
	}
}

/** The outcome without what differs between two runs by nature: the warnings' request ids, the seen timeouts' elapsed fractions. */
function comparable(o: Outcome) {
	return {
		...o,
		warnings: o.warnings.map(([msg, meta]) => [msg, { ...(meta as object), requestID: typeof (meta as { requestID?: unknown }).requestID }]),
		timeouts: JSON.parse(JSON.stringify(o.timeouts ?? null), (k, v) => (k === "timestamp" ? "t" : v)),
		// A nested call's timeout is what was left of its caller's: a number a little under it, never the same fraction twice.
		seen: o.seen.map(s => ({ ...s, timeout: s.level > 1 ? typeof s.timeout : s.timeout })),
	};
}

describe("CallTimeout (Moleculer's Timeout middleware's per-call hooks)", () => {
	// Without retries: a timed-out call is retryable, and Moleculer's Retry (outside the Timeout middleware) would only repeat it.
	const production: BrokerOptions = { ...brokerOptions(standaloneEnv({ REQUEST_TIMEOUT_MS: "30000" })), retryPolicy: { enabled: false } };
	const cases: [string, string, Record<string, unknown>?, Record<string, unknown>?][] = [
		["an answer in time", "t.quick", { n: 1 }],
		["an answer, the call's own timeout", "t.quick", { n: 2 }, { timeout: 500 }],
		["an answer, no timeout", "t.quick", { n: 3 }, { timeout: 0 }],
		["a failure in time, passed on as it is", "t.fail"],
		["an answer after the action's timeout", "t.hang"],
		["an answer after the call's timeout", "t.hang", {}, { timeout: 25 }],
		["a fractional timeout", "t.hang", {}, { timeout: 20.4 }],
		["a failure after the timeout", "t.slowFailure", {}, { timeout: 20 }],
		["the polyfill's TimeoutError from the handler", "t.polyfillTimeout"],
		["a nested call, handed what is left", "t.nested", {}, { timeout: 1000 }],
	];
	for (const [title, action, params, callOpts] of cases) {
		it(`does what Moleculer's does: ${title}`, async () => {
			const ours = await run(production, action, params, callOpts);
			const moleculer = await run(withMoleculerTimeout(production), action, params, callOpts);
			assert.deepEqual(comparable(ours), comparable(moleculer));
			assert.ok(ours.result !== undefined || ours.error, "the call ended");
		});
	}

	it("times a call out with Moleculer's RequestTimeoutError, warning and count", async () => {
		const out = await run(production, "t.hang");
		assert.equal(out.error?.constructor, "RequestTimeoutError");
		assert.equal(out.error?.type, "REQUEST_TIMEOUT");
		assert.equal((out.error?.data as { action?: string }).action, "t.hang");
		assert.equal(out.warnings.length, 1);
		assert.equal(out.warnings[0][0], "Request 't.hang' is timed out.");
		assert.equal((out.warnings[0][1] as { timeout: number }).timeout, 40);
		assert.match(JSON.stringify(out.timeouts), /"value":1.*"service":"t","action":"t.hang"/);
		assert.deepEqual(out.seen, [{ timeout: 40, started: true, level: 1 }]);
	});

	it("hands a nested call what is left of its caller's timeout", async () => {
		const out = await run(production, "t.nested", {}, { timeout: 1000 });
		assert.deepEqual(out.result, { ok: { n: 1 } });
		const [outer, inner] = out.seen;
		assert.equal(outer.timeout, 1000);
		assert.ok(typeof inner.timeout === "number" && inner.timeout < 1000 && inner.timeout > 900, String(inner.timeout));
	});

	it("swaps only the Timeout middleware's action hooks, in their place", () => {
		const ours = new ServiceBroker({ ...production, logger: false });
		const moleculer = new ServiceBroker({ ...withMoleculerTimeout(production), logger: false });
		assertSwappedInPlace(ours, moleculer, "Timeout", callTimeoutHooks(ours));
	});
});
