import { strict as assert } from "node:assert";
import { Errors, ServiceBroker, type BrokerOptions, type Context } from "moleculer";
import { brokerOptions } from "../../../moleculer.config";
import { PassThrough } from "node:stream";
import { contextTrackerHooks, trackUntilClosed } from "../../../middlewares/context-tracker.middleware";
import { standaloneEnv } from "../../helpers";
import { assertSwappedInPlace, withMoleculerHooks } from "./hooks";

/** The production broker's options with Moleculer's own ContextTracker middleware. */
const withMoleculerTracker = (opts: BrokerOptions) => withMoleculerHooks(opts, "ContextTracker");

type Tracked = { _trackedContexts: Context[] };

/**
 * Which contexts the service lists while its calls and events run and after they end, and whether stopping the broker
 * waited for a running one, on a broker built with `opts`.
 */
async function trackedDuring(opts: BrokerOptions) {
	const broker = new ServiceBroker({ ...opts, logger: false });
	const service = broker.createService({
		name: "t",
		actions: {
			ok: (ctx: Context) => ({ tracked: listed(ctx) }),
			fail: (ctx: Context) => Promise.reject(new Errors.MoleculerClientError(`tracked: ${listed(ctx)}`, 422, "NO")),
			slow: (ctx: Context<{ ms: number }>) => new Promise(resolve => setTimeout(() => resolve(listed(ctx)), ctx.params.ms)),
		},
		events: {
			"t.seen"(ctx: Context) {
				events.push(listed(ctx));
			},
		},
	}) as unknown as Tracked;
	const events: boolean[] = [];
	const listed = (ctx: Context) => service._trackedContexts.includes(ctx);
	await broker.start();
	const out: Record<string, unknown> = {};
	out.ok = await broker.call("t.ok");
	out.untracked = await broker.call("t.ok", {}, { tracking: false } as never);
	out.fail = await broker.call("t.fail").catch((e: Error) => e.message);
	await broker.emit("t.seen", {});
	out.events = events;
	out.left = service._trackedContexts.length;
	// A call still running when the broker stops: the stop waits for it (tracking.shutdownTimeout).
	const running = broker.call("t.slow", { ms: 80 });
	await new Promise(resolve => setTimeout(resolve, 10));
	out.runningListed = service._trackedContexts.length;
	let answered = false;
	void running.then(() => (answered = true));
	await broker.stop();
	out.answeredBeforeStopped = answered;
	out.leftAfterStop = service._trackedContexts.length;
	return out;
}

describe("ContextTracker (Moleculer's ContextTracker middleware's per-call hooks)", () => {
	const production = brokerOptions(standaloneEnv());

	it("tracks the same contexts as Moleculer's: while running, not after, not when asked not to; a stop waits for them", async () => {
		const ours = await trackedDuring(production);
		assert.deepEqual(ours, {
			ok: { tracked: true },
			untracked: { tracked: false },
			fail: "tracked: true",
			events: [true],
			left: 0,
			runningListed: 1,
			answeredBeforeStopped: true,
			leftAfterStop: 0,
		});
		assert.deepEqual(await trackedDuring(withMoleculerTracker(production)), ours);
	});

	it("keeps a context whose stream is open tracked until the stream closes: a stop waits for the stream's last event", async () => {
		const broker = new ServiceBroker({ ...production, logger: false });
		const service = broker.createService({
			name: "s",
			actions: {
				stream(ctx: Context) {
					const out = new PassThrough({ objectMode: true });
					trackUntilClosed(ctx, out);
					return out;
				},
			},
		}) as unknown as Tracked;
		await broker.start();
		const untracked = await broker.call<PassThrough, object>("s.stream", {}, { tracking: false } as never);
		assert.equal(service._trackedContexts.length, 0, "not when the call asks not to be tracked");
		untracked.destroy();
		const out = await broker.call<PassThrough, object>("s.stream", {});
		assert.equal(service._trackedContexts.length, 1, "still running once the call has answered with its stream");
		let stoppedAt = 0;
		const stopped = broker.stop().then(() => (stoppedAt = Date.now()));
		// Past Moleculer's stopDelay (100 ms) and a check of the running contexts: a stop that did not wait is over by now.
		await new Promise(resolve => setTimeout(resolve, 300));
		assert.equal(stoppedAt, 0, "the stop waits while the stream is open");
		out.resume();
		const endedAt = Date.now();
		out.end({ type: "end" });
		await stopped;
		assert.ok(stoppedAt >= endedAt, "and stops once it closed");
		assert.equal(service._trackedContexts.length, 0);
	});

	it("leaves a broker without tracking untouched", () => {
		const broker = new ServiceBroker({ ...production, tracking: { enabled: false }, logger: false });
		const handler = () => Promise.resolve(1);
		assert.equal(contextTrackerHooks(broker).localAction(handler), handler);
	});

	it("swaps only the ContextTracker middleware's per-call hooks, in their place", () => {
		const ours = new ServiceBroker({ ...production, logger: false });
		const moleculer = new ServiceBroker({ ...withMoleculerTracker(production), logger: false });
		assertSwappedInPlace(ours, moleculer, "ContextTracker", contextTrackerHooks(ours));
	});
});
