import type { Context, ServiceBroker } from "moleculer";
import type { Readable } from "node:stream";
import { replaceHooks } from "./replace-hooks";

/** Where Moleculer's ContextTracker lists running contexts: on their local service, or on the broker for a remote call. */
interface Tracked {
	_trackedContexts: Context[];
}

type TrackedContext = Context & { service?: Tracked | null; broker: ServiceBroker & Tracked };

/** The list a context is tracked in, read when it is added and again when it is removed, as Moleculer reads it. */
const listOf = (ctx: TrackedContext): Context[] => (ctx.service ? ctx.service._trackedContexts : ctx.broker._trackedContexts);

function untrack(ctx: TrackedContext): void {
	const list = listOf(ctx);
	const i = list.indexOf(ctx);
	if (i !== -1) list.splice(i, 1);
}

/**
 * A context whose action answered with a stream (a provider's `stream`: Moleculer settles the call once the stream is
 * handed over, long before its last event) listed again among its service's running contexts until that stream closes,
 * so that a stopping service waits for the stream as for any call in flight (Moleculer's serviceStopping wait, up to
 * `tracking.shutdownTimeout`), and the node keeps its transporter open while it relays the stream. Not when tracking is
 * off for the broker or the call. Moleculer's wait forgets every listed context when it gives up; the service ends what
 * is still open then (mixins/provider.mixin.ts).
 */
export function trackUntilClosed(ctx: Context, stream: Readable): void {
	const broker = ctx.broker as TrackedContext["broker"];
	if (!broker.options.tracking?.enabled || ctx.options.tracking === false) return;
	const tracked = ctx as TrackedContext;
	listOf(tracked).push(ctx);
	stream.once("close", () => untrack(tracked));
}

/**
 * Moleculer's ContextTracker middleware (node_modules/moleculer/src/middlewares/context-tracker.js) following the handler's
 * promise once (`.then(ok, fail)`) instead of a `.then` and a `.catch`: the same contexts listed in the same lists while
 * they run (what a stopping service or broker waits for, `tracking.shutdownTimeout`), the same call option
 * (`tracking: false` leaves a call out), one promise and its reaction less per action call and event. Its `created` and
 * stopping hooks (the lists, the wait) stay Moleculer's; installed by `useContextTracker` in its place (replaceHooks).
 */
export function contextTrackerHooks(broker: ServiceBroker) {
	function wrapTracker(handler: (ctx: Context) => Promise<unknown>) {
		if (!broker.options.tracking?.enabled) return handler;
		return function ContextTrackerMiddleware(ctx: TrackedContext): Promise<unknown> {
			const tracked = ctx.options.tracking != null ? ctx.options.tracking : broker.options.tracking!.enabled;
			if (!tracked) return handler(ctx);
			listOf(ctx).push(ctx);
			return handler(ctx).then(
				res => {
					untrack(ctx);
					return res;
				},
				err => {
					untrack(ctx);
					throw err;
				},
			);
		};
	}
	return { localAction: wrapTracker, remoteAction: wrapTracker, localEvent: wrapTracker };
}

/** Moleculer's ContextTracker middleware's per-call hooks swapped, in place, for contextTrackerHooks. */
export function useContextTracker(broker: ServiceBroker): void {
	replaceHooks(broker, "ContextTracker", contextTrackerHooks(broker));
}
