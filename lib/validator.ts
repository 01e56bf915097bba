import { Errors } from "moleculer";

export interface ValidatorMiddleware {
	name: string;
	localAction: (handler: any, action: any) => any;
	localEvent?: unknown;
}
/**
 * A validator middleware made unable to throw. Moleculer runs the validator inside the
 * bulkhead, and the bulkhead frees its slot only when the handler's promise settles: a check that
 * throws synchronously (fastest-validator's `convert` calling a `{"toString": null}` value, or a
 * stack overflow on a deeply nested field) left the slot taken for good, and after `concurrency`
 * such requests every call of the action queued and then failed QUEUE_FULL. Here such a throw
 * becomes a rejected ValidationError (422): the slot is freed and the caller learns why.
 */
export function unableToThrow(mw: ValidatorMiddleware): ValidatorMiddleware {
	const wrap = mw.localAction;
	mw.localAction = function (this: unknown, handler: (ctx: any) => Promise<unknown>, action: unknown) {
		// Contexts that passed validation: a throw after that is the inner chain's, not the check's.
		const passed = new WeakSet<object>();
		const inner = (ctx: any) => {
			passed.add(ctx);
			return handler(ctx);
		};
		const validated = wrap.call(this, inner, action);
		if (validated === inner) return handler;
		return function safeValidateParams(ctx: any) {
			try {
				return validated(ctx);
			} catch (err) {
				return Promise.reject(passed.has(ctx) ? err : unreadable(err, ctx?.action?.name));
			}
		};
	};
	return mw;
}

function unreadable(err: unknown, action?: string): Errors.ValidationError {
	const reason = err instanceof RangeError ? "it is nested too deeply" : "a value cannot be read as its declared type";
	return new Errors.ValidationError(`Parameters validation error: ${reason}.`, "VALIDATION_ERROR", [
		{ type: "unreadable", field: "params", message: `The params could not be checked: ${reason}.`, action },
	]);
}
