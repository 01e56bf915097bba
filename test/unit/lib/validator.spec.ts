import { strict as assert } from "node:assert";
import { Errors } from "moleculer";
import { unableToThrow } from "../../../lib/validator";

/** A validator middleware whose check runs `check` and then the handler, as Moleculer's does. */
function middleware(check: (params: unknown) => void) {
	return unableToThrow({
		name: "Validator",
		localAction: (handler: (ctx: unknown) => unknown, action: { params?: unknown }) =>
			action.params
				? (ctx: { params: unknown }) => {
						check(ctx.params);
						return handler(ctx);
					}
				: handler,
	});
}

describe("unableToThrow (lib/validator.ts)", () => {
	const action = { name: "stage.run", params: { request: "string" } };
	const ctx = (params: unknown) => ({ params, action });

	it("turns a check that throws into a rejected ValidationError naming the action", async () => {
		const wrapped = middleware(() => {
			throw new TypeError("Cannot convert object to primitive value");
		}).localAction(() => Promise.resolve("ran"), action);
		const err = await wrapped(ctx({ request: { toString: null } })).then(
			() => assert.fail("resolved"),
			(e: unknown) => e,
		);
		assert.ok(err instanceof Errors.ValidationError);
		assert.equal(err.code, 422);
		assert.equal((err.data as { action?: string }[])[0].action, "stage.run");
		assert.match(err.message, /cannot be read as its declared type/);
	});

	it("says 'nested too deeply' for a stack overflow in the check", async () => {
		const wrapped = middleware(() => {
			throw new RangeError("Maximum call stack size exceeded");
		}).localAction(() => Promise.resolve("ran"), action);
		await assert.rejects(wrapped(ctx({})), /nested too deeply/);
	});

	it("passes the handler's own synchronous throw on as that error, rejected, never as a validation error", async () => {
		const own = new Errors.MoleculerError("handler failed", 500, "OWN");
		const wrapped = middleware(() => {}).localAction(() => {
			throw own;
		}, action);
		let result: Promise<unknown> | undefined;
		assert.doesNotThrow(() => (result = wrapped(ctx({ request: "x" }))));
		await assert.rejects(result!, (e: unknown) => e === own);
	});

	it("answers through the handler once the check passes, and leaves an action without params unwrapped", async () => {
		const handler = () => Promise.resolve("ran");
		const mw = middleware(() => {});
		assert.equal(await mw.localAction(handler, action)(ctx({ request: "x" })), "ran");
		assert.equal(mw.localAction(handler, { name: "stage.free" }), handler);
	});
});
