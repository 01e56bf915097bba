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
		// The chain past the check never throws: its synchronous throw becomes its rejection, so a throw out of the
		// validator below is the check's own. (A WeakSet of the contexts that passed, consulted on a throw, cost an
		// insertion on every call.)
		const inner = (ctx: any) => {
			try {
				return handler(ctx);
			} catch (err) {
				return Promise.reject(err);
			}
		};
		const validated = wrap.call(this, inner, action);
		if (validated === inner) return handler;
		return function safeValidateParams(ctx: any) {
			try {
				return validated(ctx);
			} catch (err) {
				return Promise.reject(unreadable(err, ctx?.action?.name));
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
