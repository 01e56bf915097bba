import { Errors, type CallingOptions } from "moleculer";

/** One thing wrong with a call's params, as Moleculer's validators report it (fastest-validator's shape). */
export interface ValidationDetail {
	type?: string;
	field?: string;
	message?: string;
	[key: string]: unknown;
}

/** A compiled params check, as Moleculer's validators make them: true, or what is wrong (a promise of it when `async`). */
export type ParamsCheck = ((params: unknown, opts: { meta: unknown }) => true | ValidationDetail[] | Promise<true | ValidationDetail[]>) & {
	async?: boolean;
};

/** What the wrapper reads of a Moleculer context. */
interface CheckedContext {
	params: unknown;
	nodeID?: string;
	options?: Record<PropertyKey, unknown>;
}

/**
 * Marks a call whose params this node's own code built to the called action's contract from values it had
 * already checked (the orchestrator's stage calls: the request was parsed at the edge, the stages' answers are
 * typed): the action does not parse them again. A symbol call option: Moleculer never sends call options
 * across the bus (only `timeout` travels), so an action on another node checks the same call as before, and
 * no HTTP body, MCP argument or REPL line can carry it. The handler then reads the caller's own object, not a
 * parsed copy: the contracts it skips transform nothing (no defaults, coercions or transforms) and the
 * callers pass only the contract's keys (test/unit/lib/validator.spec.ts, test/unit/services/pipeline.spec.ts).
 */
export const PARAMS_CHECKED: unique symbol = Symbol("params-checked");

/** Call options (Moleculer's, `opts` if given) marking the params as already checked (PARAMS_CHECKED). */
export function checkedCall<T extends CallingOptions>(opts?: T): T {
	// Moleculer copies call options into each call's own (ctx.call's Object.assign), never writes to them: one object serves every bare call.
	// The mark first, then the copy: a key added to a spread copy (`{ ...opts, [mark]: true }`) took V8's slow path,
	// ~1.5 µs a call against ~0.1 (docs/overhead.md, "s13-mcp"). No caller's opts carry the mark.
	return opts ? { [PARAMS_CHECKED]: true, ...opts } : (CHECKED as unknown as T);
}
const CHECKED = Object.freeze({ [PARAMS_CHECKED]: true as const });

/**
 * Moleculer's validator middleware as one function per action, made unable to throw and naming the fields in
 * the error's message. Moleculer runs the validator inside the bulkhead, and the bulkhead frees its slot only
 * when the handler's promise settles: a check that throws synchronously (fastest-validator's `convert`
 * calling a `{"toString": null}` value, or a stack overflow on a deeply nested field) left the slot taken for
 * good, and after `concurrency` such requests every call of the action queued and then failed QUEUE_FULL.
 * Here such a throw becomes a rejected ValidationError (422): the slot is freed and the caller learns why.
 * One wrapper where there were three (Moleculer's, the message's, the throw's), and no promise of its own on
 * a call that passes; a call marked PARAMS_CHECKED goes straight to the handler.
 */
export function validatingAction(
	handler: (ctx: any) => Promise<unknown>,
	action: { name?: string },
	check: ParamsCheck,
): (ctx: CheckedContext) => Promise<unknown> {
	const name = action.name;
	const run = (ctx: CheckedContext, res: true | ValidationDetail[]): Promise<unknown> => {
		if (res !== true) return Promise.reject(invalid(res, ctx.nodeID, name));
		try {
			return handler(ctx);
		} catch (err) {
			// The chain past the check answers its own synchronous throw as a rejection, never as a validation error.
			return Promise.reject(err);
		}
	};
	return function validateParams(ctx: CheckedContext): Promise<unknown> {
		if (ctx.options?.[PARAMS_CHECKED] === true) return run(ctx, true);
		let res: true | ValidationDetail[] | Promise<true | ValidationDetail[]>;
		try {
			res = check(ctx.params != null ? ctx.params : {}, { meta: ctx });
		} catch (err) {
			return Promise.reject(unreadable(err, name));
		}
		if (check.async) return (res as Promise<true | ValidationDetail[]>).then(r => run(ctx, r));
		return run(ctx, res as true | ValidationDetail[]);
	};
}

/** Moleculer's ValidationError for what the check found, each field's sentence in the message too (not only in its data). */
function invalid(details: ValidationDetail[], nodeID: string | undefined, action: string | undefined): Errors.ValidationError {
	const data = details.map(d => Object.assign(d, { nodeID, action }));
	const sentences = data.map(d => d.message).filter(Boolean);
	const message = sentences.length ? `Parameters validation error! ${sentences.join(" ")}` : "Parameters validation error!";
	return new Errors.ValidationError(message, "VALIDATION_ERROR", data);
}

function unreadable(err: unknown, action?: string): Errors.ValidationError {
	const reason = err instanceof RangeError ? "it is nested too deeply" : "a value cannot be read as its declared type";
	return new Errors.ValidationError(`Parameters validation error: ${reason}.`, "VALIDATION_ERROR", [
		{ type: "unreadable", field: "params", message: `The params could not be checked: ${reason}.`, action },
	]);
}

/** What the cache guard reads of a Moleculer action schema: its `cache` option (Moleculer's ActionCacheOptions or a flag). */
interface CachedAction {
	cache?: boolean | { enabled?: boolean | ((ctx: any) => boolean); [key: string]: unknown };
}

/**
 * Whether a call's params pass `check` (true, without checking, for a call marked PARAMS_CHECKED); a check that throws
 * (hostile values) is a no, for the validator to answer. Never writes the parsed params (no `meta`).
 */
export function passesCheck(check: ParamsCheck, ctx: CheckedContext): boolean {
	if (ctx.options?.[PARAMS_CHECKED] === true) return true;
	try {
		return check(ctx.params != null ? ctx.params : {}, { meta: undefined }) === true;
	} catch {
		return false;
	}
}

/**
 * Moleculer's cacher wraps its validator (the Cacher middleware is registered after the Validator, so it is the outer
 * wrapper): a cache hit answered before the params were checked, and params the contract refuses met the answer cached for
 * the valid call they share a key with (a 200 where the call is a 422: a misplaced or malformed option is not part of an
 * analysis key). This makes a cached action's `cache.enabled` ask the check first, after its own condition; the Cacher
 * reads `action.cache` when it wraps the action, after the Validator's hook has run on the same schema. An async check
 * cannot answer `enabled` (which is synchronous): such an action is left as it was.
 */
export function checkBeforeCache(action: CachedAction, check: ParamsCheck): void {
	if (!action.cache || check.async) return;
	const cache = typeof action.cache === "object" ? action.cache : {};
	const own = cache.enabled;
	if (own === false) return;
	action.cache = {
		...cache,
		enabled:
			typeof own === "function"
				? function (this: unknown, ctx: CheckedContext) {
						return own.call(this, ctx) && passesCheck(check, ctx);
					}
				: (ctx: CheckedContext) => passesCheck(check, ctx),
	};
}
