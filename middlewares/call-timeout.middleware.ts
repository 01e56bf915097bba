import { Errors, METRIC as TYPED_METRIC, type ActionSchema, type Context, type ServiceBroker } from "moleculer";
import { replaceHooks } from "./replace-hooks";

/** Moleculer's metric names (metrics/constants.js; its typings declare only the types). */
const METRIC = TYPED_METRIC as unknown as Record<string, string>;

/** What the hook reads and writes of a Moleculer context (`startHrTime` is untyped: Moleculer sets it for its distributed timeouts). */
type TimedContext = Context & { startHrTime?: [number, number] | null };

/** The promise Moleculer's Timeout middleware arms a timer on: one its polyfilled `timeout` exists on (utils.js polyfillPromise). */
type Timeoutable = Promise<unknown> & { timeout?: unknown };

/**
 * Moleculer's Timeout middleware (node_modules/moleculer/src/middlewares/timeout.js) with its per-call work made lean: the
 * same timeout per call, the same `startHrTime`, and on expiry the same RequestTimeoutError, warning and
 * `moleculer.request.timeout.total` count, with one promise and one timer instead of five promises, a timer and their
 * closures.
 *
 * Why: Moleculer waits for the handler through `Promise.prototype.timeout`, which it polyfills (utils.js): a promise for
 * the timer, `Promise.race`, a `.then` and a `.catch` to clear the timer, and the middleware's own `.catch` that turns the
 * TimeoutError into a RequestTimeoutError. Every action call passes through it (a REST request makes ~10 of them), and it
 * was the largest single allocator of Moleculer's code per request (10.7 KB of ~300, docs/overhead.md "s14-moleculer").
 * Here the handler's promise is followed once: it settles first (its value or error, the timer cleared), or the timer
 * fires first and the call rejects with the RequestTimeoutError Moleculer's would (its later outcome ignored, as by the
 * race). A handler failing with the polyfill's TimeoutError itself is told as Moleculer's catch tells it (a
 * RequestTimeoutError of this call). Nothing global is patched: `Promise.prototype.timeout` stays Moleculer's for any
 * other user.
 *
 * The timer's delay is rounded up to a whole millisecond. Node fires a timer on the first event-loop turn at least `ms`
 * after it was armed, counted in the loop's whole milliseconds (lib/internal/timers.js `listOnTimeout`), so a delay of
 * 29,987.3 fires on the same millisecond as one of 29,988; but Node keeps one list of timers per distinct delay, and the
 * distributed timeouts Moleculer hands nested calls (what is left of the caller's, a fraction of a millisecond less on
 * every call) made each call's timer a list of its own, created and dropped with it.
 *
 * Installed by `useCallTimeout` (the broker's `created` option, moleculer.config.ts) in the Timeout middleware's place
 * (replaceHooks): the middleware and its `created` hook (the metric it registers) stay Moleculer's.
 */
export function callTimeoutHooks(broker: ServiceBroker) {
	const TimeoutError = (broker.Promise as unknown as { TimeoutError?: new (...args: unknown[]) => Error }).TimeoutError;

	function wrapTimeout(handler: (ctx: Context) => Promise<unknown>, action: ActionSchema) {
		const actionTimeout = action.timeout;
		const actionName = action.name as string;
		const service = (action.service as { fullName?: string } | undefined)?.fullName ?? null;

		/** What Moleculer's middleware does when the timer wins: a warning, the timeout counted, a RequestTimeoutError. */
		function timedOut(ctx: TimedContext, timeout: number): Error {
			const nodeID = ctx.nodeID;
			broker.logger.warn(`Request '${actionName}' is timed out.`, { requestID: ctx.requestID, nodeID, timeout });
			const err = new Errors.RequestTimeoutError({ action: actionName, nodeID: nodeID as string });
			broker.metrics.increment(METRIC.MOLECULER_REQUEST_TIMEOUT_TOTAL, { service, action: actionName });
			return err;
		}

		return function timeoutMiddleware(ctx: TimedContext): Promise<unknown> {
			const options = ctx.options;
			// Load opts with default values
			if (options.timeout == null) options.timeout = actionTimeout != null ? actionTimeout : broker.options.requestTimeout;
			// For distributed timeout calculation need to be set
			if ((options.timeout as number) > 0 && !ctx.startHrTime) ctx.startHrTime = process.hrtime();

			const p = handler(ctx) as Timeoutable;
			// Read again after the handler started, as Moleculer's does.
			const timeout = options.timeout as number;
			if (!(timeout > 0 && p.timeout)) return p;
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(timedOut(ctx, timeout)), Math.ceil(timeout));
				p.then(
					res => {
						clearTimeout(timer);
						resolve(res);
					},
					err => {
						clearTimeout(timer);
						reject(TimeoutError && err instanceof TimeoutError ? timedOut(ctx, timeout) : err);
					},
				);
			});
		};
	}

	return { localAction: wrapTimeout, remoteAction: wrapTimeout };
}

/** Moleculer's Timeout middleware's per-call hooks swapped, in place, for callTimeoutHooks. */
export function useCallTimeout(broker: ServiceBroker): void {
	replaceHooks(broker, "Timeout", callTimeoutHooks(broker));
}
