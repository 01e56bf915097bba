import { strict as assert } from "node:assert";
import { transporterOption } from "../../../moleculer.config";
import { BusWatch } from "../../../lib/bus";

describe("BusWatch: whether the transporter is connected", () => {
	it("holds a caller until the bus is back, or tells it the bus stayed down", async () => {
		const watch = new BusWatch(1_000);
		assert.equal(await watch.whenUp(10), true, "up: at once");
		watch.markDown();
		assert.equal(await watch.whenUp(20), false, "still down when the time is up");
		const waiting = watch.whenUp(1_000);
		watch.markUp();
		assert.equal(await waiting, true);
		assert.equal(watch.outages, 1);
	});

	it("is recovering while down and for settleMs after it came back", () => {
		const watch = new BusWatch(1_000);
		assert.equal(watch.recovering(), false, "never down");
		watch.markDown();
		assert.equal(watch.recovering(), true);
		watch.markUp();
		assert.equal(watch.recovering(watch.upAt + 999), true);
		assert.equal(watch.recovering(watch.upAt + 1_001), false);
	});
});

describe("TRANSPORTER and NATS_TOKEN", () => {
	type NatsOption = { type: string; options: { url: string; reconnectTimeWait: number; authenticator?: (nonce?: string) => unknown } };
	const nats = (env: NodeJS.ProcessEnv) => transporterOption(env) as NatsOption;
	/** What Moleculer's `$node.options` and the REPL's `info` would print of the option: a function's value is not. */
	const printed = (o: unknown) => JSON.stringify(o);

	it("a nats:// URL reconnects every 500 ms; other values are Moleculer's as given; unset is one process", () => {
		assert.deepEqual(transporterOption({ TRANSPORTER: "nats://127.0.0.1:4222" }), {
			type: "NATS",
			options: { url: "nats://127.0.0.1:4222", reconnectTimeWait: 500 },
		});
		assert.equal(transporterOption({ TRANSPORTER: "redis://127.0.0.1:6379" }), "redis://127.0.0.1:6379");
		assert.equal(transporterOption({ TRANSPORTER: "" }), null);
		assert.equal(transporterOption({}), null);
		// No bus, nothing to authenticate to: the token is not used.
		assert.equal(transporterOption({ NATS_TOKEN: "t0k3n-for-the-bus" }), null);
	});

	it("NATS_TOKEN reaches the client as an authenticator, never as a string in the options", () => {
		const o = nats({ TRANSPORTER: "nats://nats:4222", NATS_TOKEN: "t0k3n-for-the-bus" });
		assert.equal(o.options.url, "nats://nats:4222");
		assert.deepEqual(o.options.authenticator!(), { auth_token: "t0k3n-for-the-bus" });
		assert.doesNotMatch(printed(o), /t0k3n/);
		assert.equal(o.options.authenticator!.name, "natsCredentials");
		// Blank is unset.
		assert.equal(nats({ TRANSPORTER: "nats://nats:4222", NATS_TOKEN: "  " }).options.authenticator, undefined);
	});

	it("credentials in the URL leave it: user:password as a user, a lone name as NATS's token (nats://token@host)", () => {
		const user = nats({ TRANSPORTER: "nats://orchestrator:p%40ss-w0rd-1234@10.0.0.1:4222,nats://orchestrator:p%40ss-w0rd-1234@10.0.0.2:4222" });
		assert.equal(user.options.url, "nats://10.0.0.1:4222,nats://10.0.0.2:4222");
		assert.deepEqual(user.options.authenticator!(), { user: "orchestrator", pass: "p@ss-w0rd-1234" });
		assert.doesNotMatch(printed(user), /w0rd/);
		const token = nats({ TRANSPORTER: "nats://t0k3n-in-the-url@nats:4222" });
		assert.equal(token.options.url, "nats://nats:4222");
		assert.deepEqual(token.options.authenticator!(), { auth_token: "t0k3n-in-the-url" });
	});

	const refused: [NodeJS.ProcessEnv, RegExp][] = [
		[
			{ TRANSPORTER: "nats://user:pass-w0rd@nats:4222", NATS_TOKEN: "t0k3n-for-the-bus" },
			/^NATS_TOKEN is set and TRANSPORTER's URL carries credentials too: use one of them/,
		],
		[
			{ TRANSPORTER: "redis://127.0.0.1:6379", NATS_TOKEN: "t0k3n-for-the-bus" },
			/^NATS_TOKEN is for a nats:\/\/ TRANSPORTER, not 'redis:\/\/127.0.0.1:6379'$/,
		],
		[{ TRANSPORTER: "nats://a:pass-w0rd-1@h1:4222,nats://a:pass-w0rd-2@h2:4222" }, /^TRANSPORTER's servers carry different credentials/],
		[{ TRANSPORTER: "nats://user:pass-w0rd@nats:4222,nats://[bad" }, /^TRANSPORTER must be a nats:\/\/host:port URL/],
	];
	for (const [env, message] of refused)
		it(`refuses ${env.NATS_TOKEN ? "NATS_TOKEN with " : ""}TRANSPORTER=${env.TRANSPORTER!.replace(/\/\/[^@]*@/g, "//…@")}, naming no secret`, () => {
			assert.throws(
				() => transporterOption(env),
				(err: Error) => {
					assert.match(err.message, message);
					assert.doesNotMatch(err.message, /w0rd|t0k3n/);
					return true;
				},
			);
		});
});
