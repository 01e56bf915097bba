import { strict as assert } from "node:assert";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { inspect } from "node:util";
import { Loggers, type ServiceBroker } from "moleculer";
import { startNats, stopChild } from "../fixtures/servers";
import { freePort, testBroker, testNamespace } from "../helpers";

/** The nats-server configuration the manifests ship (k8s/infra.yaml, compose.yaml): `authorization { token: $NATS_TOKEN }`. */
const NATS_CONF = resolve(__dirname, "../../k8s/nats.conf");

/** Every line a broker logs, at trace level, kept to be searched for the secret. */
class CaptureLogger extends Loggers.Base {
	readonly lines: string[] = [];
	getLogHandler() {
		return (type: string, args: unknown[]) => this.lines.push(`${type} ${args.map(a => (typeof a === "string" ? a : inspect(a, { depth: 6 }))).join(" ")}`);
	}
}

/** What `fn` prints with console.log (the REPL's commands print there). */
async function printed(fn: () => Promise<unknown>): Promise<string> {
	const lines: string[] = [];
	const log = console.log;
	console.log = (...args: unknown[]) => void lines.push(args.map(a => (typeof a === "string" ? a : inspect(a, { depth: 6 }))).join(" "));
	try {
		await fn();
	} finally {
		console.log = log;
	}
	return lines.join("\n");
}

/** `work`, or a rejection naming the hang when it has not settled within `ms`. */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`neither started nor failed within ${ms} ms`)), ms)));
	return Promise.race([work, hang]).finally(() => clearTimeout(timer));
}

/**
 * The bus requires a token (k8s/nats.conf): nodes that give it, as NATS_TOKEN or in the URL (nats://token@host), join and call
 * each other, through a NATS restart too; a node without it, or with a wrong one, fails its start at once naming the refusal
 * (Moleculer retried every 5 s for ever). The token is in nothing a node prints: its logs at trace level (start, the
 * connection lost, the reconnection), `$node.options` answered over the bus, the REPL's `info`.
 */
describe("NATS with a token: nodes that have it join, others fail their start, and no node prints it", function () {
	this.timeout(60_000);
	const token = `nt-${randomBytes(16).toString("hex")}`;
	const namespace = testNamespace();
	const loggers = [new CaptureLogger(), new CaptureLogger()];
	let natsPort: number;
	let nats: ChildProcess | undefined;
	let nodes: ServiceBroker[] = [];
	const startServer = () => startNats(natsPort, { ...process.env, NATS_TOKEN: token }, ["-c", NATS_CONF]);
	const node = (env: Record<string, string>, logger?: CaptureLogger) =>
		testBroker({ services: [], env: { NAMESPACE: namespace, ...env }, broker: logger ? { logger: logger as any, logLevel: "trace" } : {} });

	before(async () => {
		natsPort = await freePort();
		nats = await startServer();
		const url = `nats://127.0.0.1:${natsPort}`;
		// One node gives the token as NATS_TOKEN, the other in the URL, as NATS clients read nats://token@host.
		const caller = node({ TRANSPORTER: url, NATS_TOKEN: token, NODE_ID: `${namespace}-caller` }, loggers[0]);
		const callee = node({ TRANSPORTER: `nats://${token}@127.0.0.1:${natsPort}`, NODE_ID: `${namespace}-callee` }, loggers[1]);
		callee.createService({ name: "echo", actions: { say: ctx => ({ heard: (ctx.params as { text: string }).text, by: callee.nodeID }) } });
		nodes = [caller, callee];
		await Promise.all(nodes.map(n => n.start()));
		await caller.waitForServices(["echo"], 10_000);
	});

	after(async () => {
		await Promise.all(nodes.map(n => n.stop()));
		await stopChild(nats);
	});

	const crossesTheBus = async () => {
		const answer = await nodes[0].call<{ heard: string; by: string }, { text: string }>("echo.say", { text: "over the bus" });
		assert.deepEqual(answer, { heard: "over the bus", by: `${namespace}-callee` });
	};

	it("nodes with the token join the bus: a call crosses it", crossesTheBus);

	for (const [what, env] of [
		["without a token", {}],
		["with a wrong token", { NATS_TOKEN: `wrong-${randomBytes(8).toString("hex")}` }],
	] as const)
		it(`a node ${what} fails its start at once, naming the authorization refusal and NATS_TOKEN`, async () => {
			const refused = node({ TRANSPORTER: `nats://127.0.0.1:${natsPort}`, NODE_ID: `${namespace}-refused`, ...env });
			const started = Date.now();
			try {
				await assert.rejects(withDeadline(refused.start(), 5_000), (err: Error) => {
					assert.match(err.message, /Authorization Violation/);
					assert.match(err.message, /NATS_TOKEN/);
					assert.match(err.message, new RegExp(`nats://127\\.0\\.0\\.1:${natsPort}`));
					assert.ok(!err.message.includes(token) && !("NATS_TOKEN" in env && err.message.includes(env.NATS_TOKEN)), err.message);
					return true;
				});
				assert.ok(Date.now() - started < 3_000, `refused after ${Date.now() - started} ms`);
			} finally {
				await refused.stop();
			}
		});

	it("after nats-server is killed and started again, the nodes reconnect with the token and the call crosses again", async () => {
		await stopChild(nats, "SIGKILL");
		nats = await startServer();
		// The call waits for the bus (middlewares/bus-outage.middleware.ts) and for the callee to be seen again.
		const deadline = Date.now() + 20_000;
		for (;;) {
			try {
				await crossesTheBus();
				break;
			} catch (err) {
				if (Date.now() > deadline) throw err;
				await new Promise(r => setTimeout(r, 200));
			}
		}
		for (const l of loggers)
			assert.ok(
				l.lines.some(line => /NATS client (reconnect|disconnect)/.test(line)),
				"the logs saw the reconnection",
			);
	});

	it("$node.options answered over the bus, and the REPL's `info`, name no credential", async () => {
		for (const target of nodes) {
			const options = JSON.stringify(await nodes[0].call("$node.options", {}, { nodeID: target.nodeID }));
			assert.match(options, /"url":"nats:\/\/127\.0\.0\.1:\d+"/, "the URL without its credentials");
			assert.ok(!options.includes(token), `${target.nodeID}: $node.options carries the token`);
		}
		const info = require("moleculer-repl/src/commands/info") as { handler(broker: ServiceBroker, args: object): Promise<void> };
		for (const n of nodes) {
			const out = await printed(() => info.handler(n, {}));
			assert.match(out, /Transporter settings/);
			assert.match(out, /authenticator.*natsCredentials/, "says that credentials are set");
			assert.ok(!out.includes(token), `${n.nodeID}: the REPL's info prints the token`);
		}
	});

	it("no log line of either node carries the token: start, connection lost, reconnection", () => {
		for (const l of loggers) {
			assert.ok(l.lines.length > 20 && l.lines.some(line => line.startsWith("debug ")), `${l.lines.length} lines captured`);
			const leaks = l.lines.filter(line => line.includes(token));
			assert.deepEqual(leaks, []);
		}
	});
});
