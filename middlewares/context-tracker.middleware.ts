import type { Context, ServiceBroker } from "moleculer";
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
