import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { BrokerOptions, Context, ServiceBroker } from "moleculer";
import { ORCHESTRATOR_REQUEST, type RequestRecord } from "../lib/contracts";
import { loadConfig, type Config } from "../lib/config";
import { createBroker } from "../lib/runner";

export const NATS_URL = process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222";
export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A namespace of its own per test run, so parallel runs on one NATS server never see each other. */
export function testNamespace(): string {
	return `test-${randomBytes(4).toString("hex")}`;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.once("error", reject);
		srv.listen(0, "127.0.0.1", () => {
			const { port } = srv.address() as { port: number };
			srv.close(() => resolve(port));
		});
	});
}

export interface TestBrokerOptions {
	services?: string[];
	exclude?: string[];
	env?: Record<string, string | undefined>;
	broker?: Partial<BrokerOptions>;
	config?: Config;
}

/**
 * The environment of one self-contained process (a test broker, or a spawned `orchestrator`): no
 * cluster settings inherited from the shell, no Prometheus port, quiet logs; `overrides` win.
 */
export function standaloneEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
	return { ...process.env, METRICS_PORT: "off", LOGLEVEL: "warn", TRANSPORTER: "", NATS_TOKEN: "", CACHER: "", NODE_ID: "", SERVICES: "", ...overrides };
}

/**
 * A broker built exactly as production builds it (moleculer.config.ts + service files),
 * quiet, without the Prometheus port, and on the given services only.
 */
export function testBroker(opts: TestBrokerOptions = {}): ServiceBroker {
	const env = standaloneEnv(opts.env);
	return createBroker({
		services: opts.services,
		exclude: opts.exclude,
		env,
		config: opts.config ?? loadConfig(),
		broker: { logger: false, ...opts.broker },
	});
}

/** Whether `broker`'s registry lists an available service of that name on `nodeID`. */
function listsService(broker: ServiceBroker, name: string, nodeID: string): boolean {
	return (broker.registry.getServiceList({ onlyAvailable: true, withActions: false }) as { name: string; nodeID: string }[]).some(
		s => s.name === name && s.nodeID === nodeID,
	);
}

/** Resolves once `broker`'s registry lists a service of that name on `nodeID`, re-checked on every registry change. */
export function seesService(broker: ServiceBroker, name: string, nodeID: string): Promise<void> {
	return new Promise(resolve => {
		if (listsService(broker, name, nodeID)) return resolve();
		const check = () => {
			if (!listsService(broker, name, nodeID)) return;
			broker.localBus.off("$services.changed", check);
			resolve();
		};
		broker.localBus.on("$services.changed", check);
	});
}

/** Resolves once `broker`'s registry no longer lists a service of that name on `nodeID` (the node stopped advertising it, or left). */
export function seesServiceGone(broker: ServiceBroker, name: string, nodeID: string): Promise<void> {
	return new Promise(resolve => {
		if (!listsService(broker, name, nodeID)) return resolve();
		const check = () => {
			if (listsService(broker, name, nodeID)) return;
			broker.localBus.off("$services.changed", check);
			broker.localBus.off("$node.disconnected", check);
			resolve();
		};
		broker.localBus.on("$services.changed", check);
		broker.localBus.on("$node.disconnected", check);
	});
}

/**
 * GET `${base}/health` every `everyMs` until `work` settles, as a liveness probe would while the work
 * runs: `work`'s value and each probe's time in ms. A probe that does not answer 200 throws.
 */
export async function probeHealthWhile<T>(base: string, work: Promise<T>, everyMs = 50): Promise<{ result: T; probes: number[] }> {
	let done = false;
	const settled = work.finally(() => (done = true));
	const probes: number[] = [];
	while (!done) {
		const t = Date.now();
		const res = await fetch(`${base}/health`);
		await res.arrayBuffer();
		if (res.status !== 200) throw new Error(`/health answered ${res.status} while the work ran`);
		probes.push(Date.now() - t);
		await new Promise(r => setTimeout(r, everyMs));
	}
	return { result: await settled, probes };
}

/** `count` strings of `length` pieces each, drawn from `pieces` by a fixed linear congruential sequence: the same strings on every run. */
export function pieceStrings(pieces: readonly string[], count: number, length: number, seed = 7): string[] {
	const out: string[] = [];
	for (let i = 0; i < count; i++) {
		let text = "";
		for (let j = 0; j < length; j++) {
			seed = (seed * 1103515245 + 12345) % 2 ** 31;
			text += pieces[seed % pieces.length];
		}
		out.push(text);
	}
	return out;
}

/** Collects the request records the broker emits (balanced: this service gets each one, beside a metrics service). */
export function recordRequests(broker: ServiceBroker, records: RequestRecord[]): void {
	broker.createService({
		name: "recorder",
		events: {
			[ORCHESTRATOR_REQUEST](ctx: Context<RequestRecord>) {
				records.push(ctx.params);
			},
		},
	});
}

/** Bytes still reachable after a full garbage collection. */
export function liveHeap(): number {
	setFlagsFromString("--expose-gc");
	(runInNewContext("gc") as () => void)();
	return process.memoryUsage().heapUsed;
}
