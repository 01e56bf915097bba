import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { inspect } from "node:util";
import { Loggers, type ServiceBroker } from "moleculer";
import { startNats, stopChild } from "../fixtures/servers";
import { freePort, standaloneEnv, testBroker, testNamespace } from "../helpers";

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

/** GET a probe of a node's metrics port: its status and JSON body (status 0 when nothing answers). */
async function probe(port: number, path: "/live" | "/ready"): Promise<{ status: number; body: any; text: string }> {
	try {
		const res = await fetch(`http://127.0.0.1:${port}${path}`);
		const text = await res.text();
		return { status: res.status, body: JSON.parse(text), text };
	} catch {
		return { status: 0, body: undefined, text: "" };
	}
}

/** Polls until `check` holds (or fails after `ms`, naming what was awaited). */
async function until(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
	const deadline = Date.now() + ms;
	while (!(await check())) {
		if (Date.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
		await new Promise(r => setTimeout(r, 100));
	}
}

/**
 * nats-server restarted with another token (the operator rotated Secret orchestrator-nats-token, then restarted nats) refuses
 * a node that had joined, and the NATS client gives up for good. The node lived on off the bus: /ready 503, /live 200, so the
 * kubelet never restarted it. Now `orchestrator start` says why (fatal, NATS_TOKEN named, no token) and exits 1; a broker not
 * run by the CLI answers /live 503 naming the cause. A restart with the same token is an outage: the node reconnects and
 * stays live.
 */
describe("NATS restarted with another token: the node exits (or /live fails) instead of lingering off the bus", function () {
	this.timeout(90_000);
	const tokens = [1, 2, 3].map(i => `nt${i}${randomBytes(12).toString("hex")}`);
	let natsPort: number;
	let nats: ChildProcess | undefined;
	let serverToken: string | undefined;
	/** nats-server stopped (as a rollout of its pod does) and started again with `token`. */
	async function restartServer(token: string) {
		await stopChild(nats);
		nats = await startNats(natsPort, { ...process.env, NATS_TOKEN: token }, ["-c", NATS_CONF]);
		serverToken = token;
	}

	before(async () => {
		natsPort = await freePort();
	});
	after(() => stopChild(nats));

	it("`orchestrator start`: a restart with the same token reconnects and stays live; with another, a fatal line naming NATS_TOKEN and exit 1", async () => {
		await restartServer(tokens[0]);
		const metricsPort = await freePort();
		const child = spawn(process.execPath, [resolve(__dirname, "../../bin/orchestrator.js"), "start"], {
			env: standaloneEnv({
				TRANSPORTER: `nats://127.0.0.1:${natsPort}`,
				NATS_TOKEN: tokens[0],
				NAMESPACE: testNamespace(),
				SERVICES: "intent",
				METRICS_PORT: String(metricsPort),
				HOST: "127.0.0.1",
				// debug: the NATS client's status lines (its reconnection) are logged there.
				LOGLEVEL: "debug",
			}),
			stdio: ["ignore", "pipe", "pipe"],
		});
		let out = "";
		child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
		child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
		const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
		try {
			await until(async () => (await probe(metricsPort, "/ready")).status === 200, 45_000, `the node joined the bus; output:\n${out}`);

			// An outage, not a rotation: the client reconnects by itself, and nothing restarts the node.
			await restartServer(tokens[0]);
			await until(async () => (await probe(metricsPort, "/ready")).status === 200 && /NATS client reconnect:/.test(out), 20_000, "ready again");
			assert.equal((await probe(metricsPort, "/live")).status, 200);
			assert.equal(child.exitCode, null, "still running after a restart with the same token");

			await restartServer(tokens[1]);
			const [code] = await Promise.race([
				exited,
				new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running 15 s after the token changed; output:\n${out}`)), 15_000)),
			]);
			assert.equal(code, 1);
			assert.match(out, /FATAL.*refused this node's credentials after it had joined \(Authorization Violation.*set NATS_TOKEN/);
			assert.match(out, /FATAL.*left the bus for good: it stops and exits with code 1/);
			for (const t of tokens.slice(0, 2)) assert.ok(!out.includes(t), "the output carries a token");
		} finally {
			await stopChild(child, "SIGKILL");
		}
	});

	it("a broker not run by the CLI answers /live 503 naming the cause, and /ready 503, with no token in either or in its logs", async () => {
		if (serverToken !== tokens[1]) await restartServer(tokens[1]);
		const metricsPort = await freePort();
		const logger = new CaptureLogger();
		const broker = testBroker({
			services: [],
			env: {
				TRANSPORTER: `nats://127.0.0.1:${natsPort}`,
				NATS_TOKEN: tokens[1],
				NAMESPACE: testNamespace(),
				METRICS_PORT: String(metricsPort),
				HOST: "127.0.0.1",
			},
			broker: { logger: logger as any, logLevel: "info" },
		});
		try {
			await broker.start();
			assert.equal((await probe(metricsPort, "/live")).status, 200);
			await restartServer(tokens[2]);
			await until(async () => (await probe(metricsPort, "/live")).status === 503, 15_000, "/live fails once the client gave up");
			const live = await probe(metricsPort, "/live");
			assert.equal(live.body.status, "not_live");
			assert.equal(live.body.node, broker.nodeID);
			assert.match(live.body.reason, /refused this node's credentials after it had joined .*NATS_TOKEN/);
			const ready = await probe(metricsPort, "/ready");
			assert.equal(ready.status, 503);
			assert.equal(ready.body.reason, live.body.reason);
			assert.ok(
				logger.lines.some(l => /^fatal .*refused this node's credentials/.test(l)),
				"a fatal line says why",
			);
			for (const t of tokens) {
				assert.ok(!live.text.includes(t) && !ready.text.includes(t), "a probe carries a token");
				assert.deepEqual(
					logger.lines.filter(l => l.includes(t)),
					[],
				);
			}
		} finally {
			await broker.stop();
		}
	});
});
