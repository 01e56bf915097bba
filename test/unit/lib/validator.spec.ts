import { strict as assert } from "node:assert";
import { Errors, ServiceBroker, type Context } from "moleculer";
import { z } from "zod";
import { checkedCall, passesCheck, validatingAction, type ParamsCheck } from "../../../lib/validator";
import { ContractValidator, zodParams } from "../../../lib/contracts/validator";

/** A check that runs `fn` on the params, then passes. */
const checking = (fn: (params: unknown) => void): ParamsCheck => ((params: unknown) => (fn(params), true)) as ParamsCheck;

describe("validatingAction (lib/validator.ts)", () => {
	const action = { name: "stage.run" };
	const ctx = (params: unknown, options: Record<PropertyKey, unknown> = {}) => ({ params, options, nodeID: "n1" });

	it("turns a check that throws into a rejected ValidationError naming the action", async () => {
		const wrapped = validatingAction(
			() => Promise.resolve("ran"),
			action,
			checking(() => {
				throw new TypeError("Cannot convert object to primitive value");
			}),
		);
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
		const wrapped = validatingAction(
			() => Promise.resolve("ran"),
			action,
			checking(() => {
				throw new RangeError("Maximum call stack size exceeded");
			}),
		);
		await assert.rejects(wrapped(ctx({})), /nested too deeply/);
	});

	it("passes the handler's own synchronous throw on as that error, rejected, never as a validation error", async () => {
		const own = new Errors.MoleculerError("handler failed", 500, "OWN");
		const wrapped = validatingAction(
			() => {
				throw own;
			},
			action,
			checking(() => {}),
		);
		let result: Promise<unknown> | undefined;
		assert.doesNotThrow(() => (result = wrapped(ctx({ request: "x" }))));
		await assert.rejects(result!, (e: unknown) => e === own);
	});

	it("names each field in the message and the data, with the node and the action, as Moleculer's ValidationError", async () => {
		const wrapped = validatingAction(() => Promise.resolve("ran"), action, (() => [
			{ type: "required", field: "request", message: "The 'request' field is required." },
			{ type: "number", field: "n", message: "The 'n' field must be a number." },
		]) as ParamsCheck);
		const err = (await wrapped(ctx({})).then(
			() => assert.fail("resolved"),
			(e: unknown) => e,
		)) as Errors.ValidationError;
		assert.ok(err instanceof Errors.ValidationError);
		assert.equal(err.type, "VALIDATION_ERROR");
		assert.equal(err.message, "Parameters validation error! The 'request' field is required. The 'n' field must be a number.");
		assert.deepEqual(
			(err.data as { field: string; nodeID: string; action: string }[]).map(d => [d.field, d.nodeID, d.action]),
			[
				["request", "n1", "stage.run"],
				["n", "n1", "stage.run"],
			],
		);
	});

	it("answers through the handler once the check passes, async checks included", async () => {
		assert.equal(
			await validatingAction(
				() => Promise.resolve("ran"),
				action,
				checking(() => {}),
			)(ctx({ request: "x" })),
			"ran",
		);
		const later = Object.assign(() => Promise.resolve([{ field: "x", message: "The 'x' field is wrong." }]), { async: true }) as unknown as ParamsCheck;
		await assert.rejects(validatingAction(() => Promise.resolve("ran"), action, later)(ctx({})), /The 'x' field is wrong/);
	});

	it("does not run the check on a call marked checkedCall(), and runs it on any other", async () => {
		let checks = 0;
		const wrapped = validatingAction(
			() => Promise.resolve("ran"),
			action,
			checking(() => checks++),
		);
		assert.equal(await wrapped(ctx({ request: "x" }, checkedCall() as Record<PropertyKey, unknown>)), "ran");
		assert.equal(checks, 0);
		// A string key of the same spelling, as JSON or a remote node could send, is not the mark.
		await wrapped(ctx({ request: "x" }, { "params-checked": true, PARAMS_CHECKED: true }));
		assert.equal(checks, 1);
		assert.deepEqual(Object.keys(checkedCall({ timeout: 5 })), ["timeout"], "the mark is a symbol: no serializer writes it");
	});
});

describe("checkedCall through Moleculer (ContractValidator)", () => {
	const schema = z.object({ request: z.string(), n: z.number().int().min(0) });
	const stage = (seen: unknown[]) => ({
		name: "stage",
		actions: {
			run: {
				params: zodParams(schema),
				handler(ctx: Context<{ request: string; n: number }>) {
					seen.push(ctx.params);
					return { n: ctx.params.n };
				},
			},
		},
	});
	const caller = {
		name: "caller",
		actions: {
			// Forwards whatever it is given, marked as checked: only a stage on this node may take the mark.
			forward: {
				handler(ctx: Context<Record<string, unknown>>) {
					return ctx.call("stage.run", ctx.params, checkedCall());
				},
			},
			plain: {
				handler(ctx: Context<Record<string, unknown>>) {
					return ctx.call("stage.run", ctx.params);
				},
			},
		},
	};
	const options = () => ({ logger: false, validator: new ContractValidator() }) as const;

	it("a local stage takes marked params as given (the caller's own object) and parses unmarked ones (a copy)", async () => {
		const seen: unknown[] = [];
		const broker = new ServiceBroker(options());
		broker.createService(stage(seen));
		broker.createService(caller);
		await broker.start();
		try {
			const params = { request: "x", n: 1 };
			await broker.call("caller.forward", params);
			await broker.call("caller.plain", params);
			assert.equal(seen.length, 2);
			assert.deepEqual(seen[0], params);
			assert.deepEqual(seen[1], params);
			assert.notEqual(seen[1], params, "zod's parsed copy");
			await assert.rejects(broker.call("caller.plain", { request: "x", n: -1 }), { type: "VALIDATION_ERROR", code: 422 });
		} finally {
			await broker.stop();
		}
	});

	it("a stage on another node checks a marked call as any other: the mark never crosses the bus", async () => {
		const namespace = `validator-${process.pid}-${Date.now()}`;
		const seen: unknown[] = [];
		const front = new ServiceBroker({ ...options(), nodeID: "front", transporter: "Fake", namespace });
		const back = new ServiceBroker({ ...options(), nodeID: "back", transporter: "Fake", namespace });
		back.createService(stage(seen));
		front.createService(caller);
		await Promise.all([back.start(), front.start()]);
		try {
			await front.waitForServices(["stage"]);
			await assert.rejects(front.call("caller.forward", { request: "x", n: -1 }), { type: "VALIDATION_ERROR", code: 422 });
			assert.deepEqual(await front.call("caller.forward", { request: "x", n: 2 }), { n: 2 });
			assert.equal(seen.length, 1);
		} finally {
			await Promise.all([front.stop(), back.stop()]);
		}
	});
});

describe("passesCheck (lib/validator.ts), on a contract's compiled check", () => {
	const schema = z.object({ request: z.string(), n: z.number().optional() });
	const check = new ContractValidator().compile(zodParams(schema)) as ParamsCheck;

	it("parses an unmarked call's params against the contract, and a hostile value is a no, not a throw", () => {
		assert.equal(passesCheck(check, { params: { request: "x", n: 1 } }), true);
		assert.equal(passesCheck(check, { params: { request: "x", n: "1" } }), false);
		const hostile = {
			get request(): string {
				throw new TypeError("Cannot convert object to primitive value");
			},
		};
		assert.equal(passesCheck(check, { params: hostile }), false);
	});

	it("takes a call marked checkedCall() as passing without reading its params", () => {
		let read = false;
		const params = {
			get request() {
				read = true;
				return 42;
			},
		};
		assert.equal(passesCheck(check, { params, options: checkedCall() as Record<PropertyKey, unknown> }), true);
		assert.equal(read, false);
	});
});
