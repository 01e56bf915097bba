import type { ActionHandler, ActionSchema, CallingOptions, Context, Middleware } from "moleculer";

/** How one try ended. */
export type TryOutcome = { ok: true } | { ok: false; error: unknown };

/** Told when a try starts (where it runs); returns what is told when that try ends. */
export type TryObserver = (start: { service: string; node: string }) => (end: TryOutcome) => void;

/** Call options asking for each try to be reported (they stay on this node: options never cross the bus). */
export interface TriesCallingOptions extends CallingOptions {
	observeTries?: TryObserver;
}

/**
 * Reports every try of a call to the caller's `observeTries` option, Moleculer's retries included.
 * As a user middleware it sits inside Moleculer's Retry, Timeout and CircuitBreaker middlewares,
 * and a retry calls the action again with the same options, so each try passes through it. A try
 * the caller stopped waiting for (Moleculer's timeout) may end late or never; the collector
 * (services/models/tries.ts) closes it.
 */
export default function CallTriesMiddleware(): Middleware {
	function wrap(handler: ActionHandler, action: ActionSchema) {
		const service = String(action.name ?? "").replace(/\.[^.]+$/, "");
		return function callTries(ctx: Context) {
			const observe = (ctx.options as TriesCallingOptions | undefined)?.observeTries;
			if (typeof observe !== "function") return handler(ctx);
			const end = observe({ service, node: ctx.nodeID ?? "" });
			return (handler(ctx) as Promise<unknown>).then(
				res => {
					end({ ok: true });
					return res;
				},
				(err: unknown) => {
					end({ ok: false, error: err });
					throw err;
				},
			);
		};
	}
	return { name: "CallTries", localAction: wrap, remoteAction: wrap } as unknown as Middleware;
}
