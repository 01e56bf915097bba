/**
 * npx tsx scripts/bench/split.ts [requests per round] [rounds]
 *
 * What splitting the orchestrator over NATS adds, for A/B runs of a change to the bus path: the bench's
 * instant vendor stand-in, one orchestrator in one process, and a split (a SERVICES=gateway node and the
 * SPLIT_LAYOUT's nodes, default bench:overhead's one node with every other service, on the NATS of
 * scripts/bench/nats.ts (BENCH_NATS_URL, else a nats-server of its own run as k8s/ and compose.yaml run theirs), under a NAMESPACE of their own), all from ROOT (default
 * this checkout). The split's NATS messages per request, by packet type, as bench:overhead counts them.
 * Interleaved rounds (default 5) of sequential REST requests (default 300 per round and target, after
 * 300 of warm-up) to direct, one process and the split; per round the p50 of each and the split's p50
 * minus the one process's, the bus's share of the latency. CPU ms per request of each process over the
 * split's sequential requests (the gateway node, the pipeline node, and the NATS server when its pid is
 * readable from here) and of the one process over its own. SPLIT_LOAD=N: then N requests at 32 clients to the one
 * process and then to the split (direct first): req/s, p50 / p95 latency and each process's CPU ms per request. NODE_ARGS passes flags to every orchestrator process (the
 * one process and the split's nodes; scripts/bench/hop-trace.cjs lines their socket events up per request).
 * SPLIT_B_ROOT=<another checkout> and/or SPLIT_B_NODE_ARGS=<flags>: a second split ("split B", the same layout under a namespace
 * of its own on the same NATS) from that checkout or with those flags, sent its requests in the same rounds as the first
 * split, before or after it by turns: per round split B - split, an A/B of a change to the bus path in one window (the one
 * process and the first split keep ROOT and NODE_ARGS).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { Agent } from "node:http";
import { join } from "node:path";
import { freePort, standaloneEnv } from "../../test/helpers";
import { countBus } from "./bus-count";
import { benchNats } from "./nats";
import { cpuMs as cpuMsOf, pct, sequential, sleepsByThread } from "./measure";
import { post as postWith } from "./post";
import { startStandin } from "./standin-process";

const N = Number(process.argv[2] ?? 300);
const ROUNDS = Number(process.argv[3] ?? 5);
const ROOT = process.env.ROOT || join(__dirname, "../..");
const LOAD = Number(process.env.SPLIT_LOAD ?? 0);
/**
 * SPLIT_LAYOUT: which services each non-gateway node hosts. two: bench:overhead's split (everything else on one
 * node); k8s: k8s/ and compose.yaml's (pipeline | providers | tool servers); readme: README "Running it distributed".
 */
const LAYOUTS: Record<string, string[]> = {
	two: ["orchestrator,metrics,budget,intent,complexity,router,prompt,models,llm-*,mcp.*"],
	k8s: ["orchestrator,intent,complexity,router,prompt,models,metrics,budget", "llm-*", "mcp.*"],
	readme: ["orchestrator,metrics", "intent,complexity,router", "prompt,models", "llm-*", "mcp.*"],
};
const LAYOUT = process.env.SPLIT_LAYOUT || "two";
const B_ROOT = process.env.SPLIT_B_ROOT || "";
const B_NODE_ARGS = process.env.SPLIT_B_NODE_ARGS;
/** A second split to compare with the first in the same rounds. */
const WITH_B = !!B_ROOT || B_NODE_ARGS !== undefined;
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const post = (url: string, headers: Record<string, string>, body: string) => postWith(agent, url, headers, body);

/** CPU ms a process has used so far; NaN when it is gone (so sums over nodes say so). */
const cpuMs = (pid: number | undefined): number => cpuMsOf(pid) ?? NaN;

async function waitHealthy(port: number) {
	for (let i = 0; i < 300; i++) {
		if (
			await fetch(`http://127.0.0.1:${port}/health`).then(
				r => r.ok,
				() => false,
			)
		)
			return;
		await new Promise(r => setTimeout(r, 200));
	}
	throw new Error(`port ${port} never became ready`);
}

async function main() {
	const procs: ChildProcess[] = [];
	const bench = await benchNats();
	const NATS_URL = bench.url;
	console.log(`NATS: ${bench.label}`);
	try {
		const { baseUrl, apiKey, process: standin } = await startStandin();
		procs.push(standin);
		const base = standaloneEnv({ HOST: "127.0.0.1", WORKSPACE_DIR: "", OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: `${baseUrl}/v1` });
		for (const k of ["ANTHROPIC_API_KEY", "GOOGLE_API_KEY", "GEMINI_API_KEY", "OPENAI_COMPATIBLE_BASE_URL"]) base[k] = "";
		const args = (flags: string | undefined) => (flags ?? "").split(" ").filter(Boolean);
		const nodeArgs = args(process.env.NODE_ARGS);
		const start = (env: NodeJS.ProcessEnv, flags: string[] = [], root = ROOT) => {
			const p = spawn(process.execPath, [...flags, "bin/orchestrator.js", "start"], { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
			procs.push(p);
			return p;
		};
		const onePort = await freePort();
		const one = start({ ...base, PORT: String(onePort) }, nodeArgs);
		const groups = LAYOUTS[LAYOUT];
		if (!groups) throw new Error(`unknown SPLIT_LAYOUT ${LAYOUT}: ${Object.keys(LAYOUTS).join(", ")}`);
		/** The layout's nodes and a gateway node, from a checkout with flags, under a namespace of their own. */
		const startSplit = async (tag: string, flags: string[], root: string) => {
			const namespace = `bench-split${tag}-${process.pid}-${Date.now()}`;
			// HOP_TRACE_NATS_PORT: scripts/bench/hop-trace.cjs tells the bus' sockets by this port (the bench's own server has a spare one).
			const nats = { ...base, TRANSPORTER: NATS_URL, NAMESPACE: namespace, HOP_TRACE_NATS_PORT: new URL(NATS_URL).port || "4222" };
			const nodes: ChildProcess[] = [];
			for (const [i, services] of groups.entries())
				nodes.push(start({ ...nats, PORT: String(await freePort()), SERVICES: services, NODE_ID: `${namespace}-node${i}` }, flags, root));
			const port = await freePort();
			const gateway = start({ ...nats, PORT: String(port), SERVICES: "gateway", NODE_ID: `${namespace}-gateway` }, flags, root);
			return { namespace, nodes, gateway, port };
		};
		const { namespace, nodes, gateway, port: gatewayPort } = await startSplit("", nodeArgs, ROOT);
		const splitB = WITH_B ? await startSplit("-b", B_NODE_ARGS === undefined ? nodeArgs : args(B_NODE_ARGS), B_ROOT || ROOT) : undefined;
		await waitHealthy(onePort);
		await waitHealthy(gatewayPort);
		if (splitB) await waitHealthy(splitB.port);
		const natsPid = bench.pid;
		// Every node sees every other before the bus is counted (the gateway's /health only needs the pipeline actions).
		await new Promise(r => setTimeout(r, 3_000));
		const bus = await countBus(NATS_URL, namespace);
		let sentToSplit = 0;
		const pipelineCpu = () => nodes.reduce((sum, p) => sum + cpuMs(p.pid), 0);

		const body = JSON.stringify({
			request: "Explain the difference between TCP and UDP in two sentences.",
			options: { preferred_models: ["gpt-4.1-mini"], cache: false },
		});
		const chat = JSON.stringify({ model: "gpt-4.1-mini", messages: [{ role: "user", content: "Explain TCP and UDP." }], max_tokens: 64, temperature: 0 });
		const targets = {
			direct: () => post(`${baseUrl}/v1/chat/completions`, { authorization: `Bearer ${apiKey}` }, chat),
			one: () => post(`http://127.0.0.1:${onePort}/api/orchestrate`, {}, body),
			split: () => {
				sentToSplit++;
				return post(`http://127.0.0.1:${gatewayPort}/api/orchestrate`, {}, body);
			},
			...(splitB ? { "split B": () => post(`http://127.0.0.1:${splitB.port}/api/orchestrate`, {}, body) } : {}),
		};
		for (const send of Object.values(targets)) await sequential(send, 300);
		const cpu = { gateway: 0, pipeline: 0, nats: 0, one: 0 };
		// Sleeps (voluntary context switches) per sequential request, by process and thread: the wake-ups a request costs.
		const sleeps = new Map<string, number>();
		const procsOf = (name: string): [string, number | undefined][] =>
			name === "one"
				? [["one", one.pid]]
				: name === "split"
					? [["gateway", gateway.pid], ...nodes.map((n, i): [string, number | undefined] => [`node${i}`, n.pid]), ["nats-server", natsPid]]
					: [];
		const sleepSnapshot = (name: string) =>
			procsOf(name).flatMap(([p, pid]) => [...sleepsByThread(pid)].map(([t, n]): [string, number] => [`${p} ${t}`, n]));
		const diffs: number[] = [];
		const diffsB: number[] = [];
		for (let r = 0; r < ROUNDS; r++) {
			const p50: Record<string, number> = {};
			// Split B goes before the first split every other round, so that neither always follows the other.
			const order = Object.entries(targets);
			if (splitB && r % 2 === 1) order.splice(-2, 2, order[order.length - 1], order[order.length - 2]);
			for (const [name, send] of order) {
				const before = { gateway: cpuMs(gateway.pid), pipeline: pipelineCpu(), nats: cpuMs(natsPid), one: cpuMs(one.pid) };
				const sleepsBefore = new Map(sleepSnapshot(name));
				p50[name] = pct(await sequential(send, N), 50);
				for (const [k, n] of sleepSnapshot(name)) sleeps.set(k, (sleeps.get(k) ?? 0) + n - (sleepsBefore.get(k) ?? n));
				if (name === "split") {
					cpu.gateway += cpuMs(gateway.pid) - before.gateway;
					cpu.pipeline += pipelineCpu() - before.pipeline;
					cpu.nats += cpuMs(natsPid) - before.nats;
				}
				if (name === "one") cpu.one += cpuMs(one.pid) - before.one;
			}
			diffs.push(p50.split - p50.one);
			if (splitB) diffsB.push(p50["split B"] - p50.split);
			console.log(
				`round ${r + 1}: p50 direct ${p50.direct.toFixed(2)}, one process ${p50.one.toFixed(2)}, split ${p50.split.toFixed(2)} ms; split - one ${(p50.split - p50.one).toFixed(2)} ms` +
					(splitB ? `; split B ${p50["split B"].toFixed(2)} ms, split B - split ${(p50["split B"] - p50.split).toFixed(2)} ms` : ""),
			);
		}
		const per = (ms: number) => (ms / (N * ROUNDS)).toFixed(3);
		const sleepRows = [...sleeps].filter(([, n]) => n / (N * ROUNDS) >= 0.05).sort((a, b) => b[1] - a[1]);
		console.log(`sleeps per sequential request (threads at 0.05 or more): ${sleepRows.map(([k, n]) => `${k} ${per(n)}`).join(", ")}`);
		if (LOAD) {
			// CPU per request at 32 clients: far less moved by the machine's other load than latency. The one process
			// first, then the split, each alone: what the split's nodes spend beside what one process spends for the same work.
			// req/s, and each request's latency at 32 clients (p50 / p95 ms): what a request waits behind the others.
			const atClients = async (send: () => Promise<void>) => {
				const started = Date.now();
				let left = LOAD;
				const ms: number[] = [];
				await Promise.all(
					Array.from({ length: 32 }, async () => {
						while (left-- > 0) {
							const s = process.hrtime.bigint();
							await send();
							ms.push(Number(process.hrtime.bigint() - s) / 1e6);
						}
					}),
				);
				ms.sort((a, b) => a - b);
				return `${Math.round(LOAD / ((Date.now() - started) / 1000))} req/s, p50 ${pct(ms, 50).toFixed(2)} / p95 ${pct(ms, 95).toFixed(2)} ms`;
			};
			console.log(`direct at 32 clients: ${LOAD} requests, ${await atClients(targets.direct)}`);
			const oneBefore = cpuMs(one.pid);
			const oneRate = await atClients(targets.one);
			const before = { gateway: cpuMs(gateway.pid), pipeline: pipelineCpu(), nats: cpuMs(natsPid) };
			const splitRate = await atClients(targets.split);
			const at = (k: "gateway" | "pipeline" | "nats", now: number) => ((now - before[k]) / LOAD).toFixed(3);
			console.log(`one process at 32 clients: ${LOAD} requests, ${oneRate}; CPU ms per request ${((cpuMs(one.pid) - oneBefore) / LOAD).toFixed(3)}`);
			console.log(
				`split at 32 clients: ${LOAD} requests, ${splitRate}; CPU ms per request gateway ${at("gateway", cpuMs(gateway.pid))}, other nodes ${at("pipeline", pipelineCpu())}, nats-server ${at("nats", cpuMs(natsPid))}`,
			);
		}
		console.log(
			`layout ${LAYOUT} (${groups.length + 1} nodes: gateway | ${groups.join(" | ")}); bus messages per request: ${JSON.stringify(bus.perRequest(sentToSplit))}`,
		);
		await bus.close();
		const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
		console.log(`split - one process p50, median over rounds: ${median(diffs).toFixed(2)} ms`);
		if (splitB)
			console.log(
				`split B (${B_ROOT || ROOT}${B_NODE_ARGS !== undefined ? `, NODE_ARGS "${B_NODE_ARGS}"` : ""}) - split p50, median over rounds: ${median(diffsB).toFixed(2)} ms; mean ${(diffsB.reduce((a, b) => a + b, 0) / diffsB.length).toFixed(3)} ms`,
			);
		console.log(
			`CPU ms per sequential request: one process ${per(cpu.one)}; split gateway ${per(cpu.gateway)}, other nodes ${per(cpu.pipeline)}, nats-server ${natsPid ? per(cpu.nats) : "n/a"}${bench.shared ? " (shared: other users' traffic included)" : ""}`,
		);
	} finally {
		for (const p of procs) if (p.exitCode === null) p.kill("SIGTERM");
		await bench.stop();
	}
}

main().catch(err => {
	console.error(err instanceof Error ? err.message : err);
	process.exitCode = 1;
});
