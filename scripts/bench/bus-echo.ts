/**
 * npx tsx scripts/bench/bus-echo.ts [calls per round] [rounds]
 *
 * What one Moleculer call across NATS costs on this machine now, without any pipeline: two processes
 * with the project's broker options (moleculer.config.ts: JSON, the middlewares, metrics) on the NATS at
 * BENCH_NATS_URL (default nats://127.0.0.1:4222) under a NAMESPACE of their own; one answers an `echo`
 * action with a packet the size of an orchestrate answer, the other calls it sequentially with an
 * orchestrate request's params. p50/p90 per round (default 5 of 1,000 after 500 of warm-up): the floor
 * of one bus round trip, to set beside what the split over NATS adds (bench:overhead), with the CPU µs per call of
 * each side (the caller's from process.cpuUsage, the callee's from /proc: 10 ms ticks, so use 1,000 calls or more).
 * BUS_ECHO_WAIT_MS=N: the callee answers N ms later (a timer: both processes idle meanwhile, as the gateway node and
 * the pipeline node are while a vendor answers); BUS_ECHO_SPIN_MS=N: after N ms of CPU (the callee stays busy). Either
 * way the callee's handler time is taken off each call: what is left is the bus's, after that long a wait.
 */
import { spawn } from "node:child_process";
import { ServiceBroker } from "moleculer";
import { brokerOptions } from "../../moleculer.config";
import { cpuMs } from "./measure";
import { benchNats } from "./nats";

const [role, namespace, serverNats] = process.argv.slice(2, 5);

function broker(natsUrl: string, ns: string, name: string): ServiceBroker {
	const env = { ...process.env, TRANSPORTER: natsUrl, NAMESPACE: ns, METRICS_PORT: "off", NODE_ID: `${ns}-${name}` };
	// BUS_ECHO_OPTIONS: broker options (JSON) laid over the project's on both sides, to see one feature's share of a call.
	return new ServiceBroker({ ...brokerOptions(env), logger: false, ...JSON.parse(process.env.BUS_ECHO_OPTIONS || "{}") });
}

async function server(natsUrl: string, ns: string) {
	const b = broker(natsUrl, ns, "server");
	const answer = { output: "x".repeat(600), decisions: Array.from({ length: 10 }, (_, i) => ({ stage: `stage${i}`, ms: i })) };
	const waitMs = Number(process.env.BUS_ECHO_WAIT_MS || 0);
	const spinMs = Number(process.env.BUS_ECHO_SPIN_MS || 0);
	b.createService({
		name: "echo",
		actions: {
			go: async () => {
				const s = process.hrtime.bigint();
				if (waitMs) await new Promise(r => setTimeout(r, waitMs));
				if (spinMs) while (Number(process.hrtime.bigint() - s) / 1e6 < spinMs);
				return { ...answer, handler_ms: Number(process.hrtime.bigint() - s) / 1e6 };
			},
		},
	});
	await b.start();
	process.stdout.write("ready\n");
}

async function client() {
	const N = Number(process.argv[2] ?? 1_000);
	const ROUNDS = Number(process.argv[3] ?? 5);
	const ns = `bench-echo-${process.pid}-${Date.now()}`;
	const nats = await benchNats();
	console.log(`NATS: ${nats.label}`);
	const child = spawn(process.execPath, ["--import", "tsx", __filename, "--server", ns, nats.url], { stdio: ["ignore", "pipe", "inherit"] });
	try {
		await new Promise<void>(resolve => child.stdout!.once("data", () => resolve()));
		const b = broker(nats.url, ns, "client");
		await b.start();
		await b.waitForServices(["echo"]);
		const params = {
			request: "Explain the difference between TCP and UDP in two sentences.",
			options: { preferred_models: ["gpt-4.1-mini"], cache: false },
		};
		for (let i = 0; i < 500; i++) await b.call("echo.go", params);
		for (let r = 0; r < ROUNDS; r++) {
			const t: number[] = [];
			const cpuBefore = { client: process.cpuUsage(), server: cpuMs(child.pid) };
			for (let i = 0; i < N; i++) {
				const s = process.hrtime.bigint();
				const { handler_ms } = await b.call<{ handler_ms: number }, typeof params>("echo.go", params);
				t.push(Number(process.hrtime.bigint() - s) / 1e6 - handler_ms);
			}
			t.sort((a, b) => a - b);
			const client = process.cpuUsage(cpuBefore.client);
			const server = (cpuMs(child.pid) ?? NaN) - (cpuBefore.server ?? NaN);
			console.log(
				`round ${r + 1}: one call across NATS${process.env.BUS_ECHO_WAIT_MS ? `, callee waiting ${process.env.BUS_ECHO_WAIT_MS} ms` : ""}${process.env.BUS_ECHO_SPIN_MS ? `, callee spinning ${process.env.BUS_ECHO_SPIN_MS} ms` : ""} (its handler's time taken off) p50 ${t[Math.floor(N / 2)].toFixed(3)} ms, p90 ${t[Math.floor(N * 0.9)].toFixed(3)} ms; CPU µs per call: caller ${Math.round((client.user + client.system) / N)}, callee ${Math.round((server * 1000) / N)}`,
			);
		}
		await b.stop();
	} finally {
		child.kill("SIGTERM");
		await nats.stop();
	}
}

(role === "--server" ? server(serverNats, namespace) : client()).catch(err => {
	console.error(err instanceof Error ? err.message : err);
	process.exitCode = 1;
});
