import { Errors, type Context } from "moleculer";
import { positiveEnv } from "./env-number";

/**
 * One deadline per request, through the whole pipeline. 55 s by default: MCP clients give up at
 * 60 s (the SDK's default request timeout), so the caller always hears our answer, not its own
 * timeout. It is the `orchestrate` action's Moleculer timeout: Moleculer hands every `ctx.call`
 * underneath what is left of it (its distributed timeouts), across nodes too.
 */
export const DEFAULT_REQUEST_DEADLINE_MS = 55_000;

/** REQUEST_DEADLINE_MS, or the default; a value that is not a positive number is a start-up error naming it. */
export function requestDeadlineMs(env: NodeJS.ProcessEnv): number {
	return positiveEnv(env, "REQUEST_DEADLINE_MS", DEFAULT_REQUEST_DEADLINE_MS, { unit: "milliseconds" });
}

/** Milliseconds left of a context's Moleculer timeout (a remote context carries what its caller had left); Infinity when it has none. */
export function remainingMs(ctx: Pick<Context, "options"> & { startHrTime?: [number, number] | null }): number {
	const timeout = ctx.options?.timeout;
	if (!timeout || timeout <= 0) return Infinity;
	if (!ctx.startHrTime) return timeout;
	const [s, ns] = process.hrtime(ctx.startHrTime);
	return timeout - (s * 1e3 + ns / 1e6);
}

/**
 * Time one candidate of a fallback walk may take, retries included: all that is left for the last
 * candidate, else half of it, so that a hanging vendor leaves the next one time to answer.
 */
export function attemptBudgetMs(remaining: number, candidatesLeft: number): number {
	if (!Number.isFinite(remaining)) return remaining;
	return Math.max(0, candidatesLeft > 1 ? remaining / 2 : remaining);
}

/**
 * How long before its deadline a walk stops waiting, so that its caller hears the walk's own answer (a 504 naming every
 * try, or the assist's note) inside the deadline rather than its own timeout racing it: 5 % of the time, 20-250 ms.
 */
export function answerMarginMs(totalMs: number): number {
	if (!Number.isFinite(totalMs)) return 0;
	return Math.min(250, Math.max(20, totalMs * 0.05));
}

/** Less time than this left is not worth starting a vendor call with. */
export const MIN_ATTEMPT_MS = 50;

/** The request deadline passed before an answer: a 504 the caller can act on. reason "timeout" as a provider's own timeout reads. */
export class DeadlineError extends Errors.MoleculerError {
	constructor(what: string, ms: number, data: Record<string, unknown> = {}) {
		super(`${what}: no answer within ${Math.round(ms)} ms (the request's deadline, REQUEST_DEADLINE_MS)`, 504, "DEADLINE_EXCEEDED", {
			reason: "timeout",
			ms,
			...data,
		});
	}
}

/** `p`, or a rejection with `onTimeout()` after `ms`; an infinite `ms` waits for `p`. */
export function within<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
	if (!Number.isFinite(ms)) return p;
	let timer: NodeJS.Timeout;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(onTimeout()), Math.max(0, ms));
	});
	return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
