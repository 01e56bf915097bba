/**
 * npm run bench:overhead [-- --json] [-- --long] [-- --cpu-prof] [-- --only=split,REST] [-- --warmup=N]
 *
 * What a gateway adds to an LLM call, measured from a separate load process (this one) over
 * loopback against one instant vendor stand-in (scripts/bench/standin.ts, the tests' fake OpenAI):
 * direct to the stand-in; Portkey's open-source gateway (@portkey-ai/gateway, started here, routed
 * with x-portkey-provider: openai and x-portkey-custom-host); the orchestrator in one process over
 * REST /api/orchestrate and over MCP Streamable HTTP (/mcp, tools/call orchestrate), concrete model
 * and cache off, and over /v1/chat/completions (a concrete model, and "auto" with a fresh text per
 * request so no analysis comes from the cache; both with Cache-Control: no-cache); and split over NATS, twice (a gateway node and a pipeline
 * node; and the layout of k8s/ and compose.yaml: gateway | pipeline | providers | tool servers, where the vendor
 * call crosses the bus too), each under a NAMESPACE of its own, on the NATS of scripts/bench/nats.ts: BENCH_NATS_URL when set,
 * else a nats-server the bench starts on a spare port as k8s/ and compose.yaml run theirs (GOMAXPROCS=1), else
 * nats://127.0.0.1:4222; left out with a note when no NATS answers; the NATS messages of each namespace are counted by packet
 * type, per request sent to that split, and its other nodes' CPU per request is given beside the gateway node's). Rounds are interleaved (every target once per round) so drift hits all alike.
 * Added latency = a target's percentile minus direct's in the same round. Throughput: 32 clients
 * for a fixed time, with the CPU time the target process spent per request meanwhile (/proc stat; far
 * less sensitive to other load on the machine than latency). Peak RSS: the target process's VmHWM. --long: 100,000 requests to the REST
 * target at 16 clients, throughput, the orchestrator's CPU ms per request and RSS every 10,000 (--long=N: N requests, a row every N/10 when
 * N is under 100,000, for a shorter run), each row with where the RSS is (its anonymous part; V8's heap by space,
 * external memory) from scripts/bench/heap.cjs preloaded into the orchestrator in its signal mode. --cpu-prof: the orchestrator runs with
 * node --cpu-prof and the hottest functions are printed when it stops. --only=<words,...>: direct and the targets whose
 * name contains one of the words (case-insensitive: "split" for both splits, "portkey", "REST", "MCP", "/v1"); the
 * processes no kept target needs are not started. --warmup=N: N sequential requests per target before the rounds
 * (default 50). 50 leaves V8's optimizing compiler cold in the processes that serve the most code per request (a split's two
 * nodes most): their p50 keeps falling over the rounds (scripts/bench/split.ts: split minus one process 1.88 → 0.40 ms over
 * three rounds of 1,000). The default stays 50 so figures compare with earlier runs; a larger N says what a warm
 * process adds.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync, mkdtempSync } from "node:fs";
import { Agent } from "node:http";
import { connect as tcpConnect } from "node:net";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { freePort } from "../test/helpers";
import { countBus, type BusCount } from "./bench/bus-count";
import { benchNats, type BenchNats } from "./bench/nats";
import { cpuMs, pct, sequential } from "./bench/measure";
import { post as postWith } from "./bench/post";

const args = new Set(process.argv.slice(2));
/** A count given as `--name=N`: a whole number >= 0, else the bench stops and says so (a typo must not read as 0). */
function countArg(flag: string, value: string): number {
	const n = Number(value);
	if (!value.trim() || !Number.isInteger(n) || n < 0) {
		console.error(`${flag}=${value}: expected a whole number >= 0`);
		process.exit(2);
	}
	return n;
}
const JSON_OUT = args.has("--json");
const longArg = process.argv.slice(2).find(a => a === "--long" || a.startsWith("--long="));
const LONG_REQUESTS = longArg ? (longArg === "--long" ? 100_000 : countArg("--long", longArg.slice("--long=".length))) : 0;
const LONG = LONG_REQUESTS > 0;
const CPU_PROF = args.has("--cpu-prof");
const ONLY = (
	process.argv
		.slice(2)
		.find(a => a.startsWith("--only="))
		?.slice("--only=".length) ?? ""
)
	.split(",")
	.map(w => w.trim().toLowerCase())
	.filter(Boolean);
/** Whether a target is run: every one without --only; direct always (the added latency is a target's minus direct's). */
const wanted = (name: string) => !ONLY.length || name === "direct" || ONLY.some(w => name.toLowerCase().includes(w));
const ORCH_TARGETS = ["orchestrator REST", "orchestrator MCP", "orchestrator /v1 concrete", "orchestrator /v1 auto"];
const SPLIT_TARGETS = ["split over NATS REST", "split over NATS REST, k8s layout"];
const warmupArg = process.argv.slice(2).find(a => a.startsWith("--warmup="));
const WARMUP = warmupArg ? countArg("--warmup", warmupArg.slice("--warmup=".length)) : 50;
const ROUNDS = 5;
const SEQUENTIAL_PER_ROUND = 200;
const CLIENTS = 32;
const THROUGHPUT_MS = 5_000;
const ROOT = join(__dirname, "..");
const log = (s: string) => process.stderr.write(`${s}\n`);

interface Target {
	name: string;
	/** One request; resolves when the whole answer is in, rejects on anything but the expected success. */
	send(): Promise<void>;
	pid?: number;
	/** A split's other nodes, whose CPU is reported beside the gateway node's (pid). */
	peerPids?: (number | undefined)[];
}

interface Split {
	name: string;
	port: number;
	/** The gateway node. */
	pid?: number;
	peerPids: (number | undefined)[];
	sent: number;
	bus: BusCount;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

const post = (url: string, headers: Record<string, string>, body: string) => postWith(agent, url, headers, body);

async function child(
	cmd: string,
	argv: string[],
	env: Record<string, string>,
	ready: (line: string) => boolean,
	cwd = ROOT,
): Promise<{ proc: ChildProcess; lines: string[] }> {
	const proc = spawn(cmd, argv, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
	const lines: string[] = [];
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${argv.join(" ")} did not start: ${lines.slice(-5).join(" | ")}`)), 60_000);
		let started = false;
		const onData = (c: Buffer) => {
			if (started) return;
			for (const l of c.toString().split("\n")) {
				lines.push(l);
				if (ready(l)) {
					started = true;
					clearTimeout(timer);
					resolve();
				}
			}
		};
		proc.stdout!.on("data", onData);
		proc.stderr!.on("data", onData);
		proc.once("exit", code => reject(new Error(`${argv.join(" ")} exited ${code}: ${lines.slice(-10).join(" | ")}`)));
		if (ready("")) {
			started = true;
			clearTimeout(timer);
			resolve();
		}
	});
	return { proc, lines };
}

/** A /proc/<pid>/status memory field in MB: VmHWM (peak RSS), VmRSS (now) or RssAnon (its anonymous part: heap, malloc, stacks); null when the process is gone. */
function statusMb(pid: number | undefined, field: "VmHWM" | "VmRSS" | "RssAnon"): number | null {
	if (!pid) return null;
	try {
		const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
		return m ? Math.round(Number(m[1]) / 1024) : null;
	} catch {
		return null;
	}
}

/** scripts/bench/heap.cjs's figures (MB): process.memoryUsage() and each V8 heap space's used / reserved size. */
interface HeapFigures {
	rss: number;
	heap_used: number;
	heap_total: number;
	external: number;
	array_buffers: number;
	spaces: Record<string, { used: number; size: number }>;
}

/** Asks the orchestrator (heap.cjs preloaded with HEAP_ON_SIGNAL=1) for its heap figures; null when it does not answer within 2 s. */
function heapReader(proc: ChildProcess): () => Promise<HeapFigures | null> {
	let waiting: ((h: HeapFigures) => void) | undefined;
	let buffered = "";
	proc.stderr!.on("data", (c: Buffer) => {
		buffered += c.toString();
		const lines = buffered.split("\n");
		buffered = lines.pop()!;
		for (const l of lines) if (l.startsWith("heap-json: ")) waiting?.(JSON.parse(l.slice("heap-json: ".length)));
	});
	return () =>
		new Promise(resolve => {
			const timer = setTimeout(() => resolve(null), 2_000);
			waiting = h => {
				clearTimeout(timer);
				waiting = undefined;
				resolve(h);
			};
			proc.kill("SIGUSR2");
		});
}

/** A --long row: requests so far, the window's req/s and the orchestrator's CPU per request, RSS (MB) and, when the orchestrator told, its heap. */
interface LongRow {
	requests: number;
	rps: number;
	cpu_ms_per_request: number | null;
	rss_mb: number | null;
	rss_anon_mb: number | null;
	heap: HeapFigures | null;
}

/** A --long row: the figures the bench always printed, then where the RSS is (MB), when the orchestrator told. */
function longLine(l: LongRow): string {
	const h = l.heap;
	const sp = (name: string) => (h?.spaces[name] ? `${h.spaces[name].used}/${h.spaces[name].size}` : "-");
	return (
		`long: ${l.requests} requests, ${l.rps} req/s, ${l.cpu_ms_per_request ?? "-"} ms CPU per request, RSS ${l.rss_mb} MB` +
		(h
			? ` (anon ${l.rss_anon_mb}; heap used/total ${h.heap_used}/${h.heap_total}, old ${sp("old")}, new ${sp("new")}, code ${sp("code")}, large ${sp("large_object")}; external ${h.external}, array buffers ${h.array_buffers})`
			: "")
	);
}

async function throughput(
	t: Target,
	clients: number,
	ms: number,
): Promise<{ rps: number; cpuMsPerRequest: number | null; peerCpuMsPerRequest: number | null }> {
	const cpuBefore = cpuMs(t.pid);
	const peersCpu = (): number | null => {
		if (!t.peerPids?.length) return null;
		let sum = 0;
		for (const pid of t.peerPids) {
			const c = cpuMs(pid);
			if (c === null) return null;
			sum += c;
		}
		return sum;
	};
	const peerBefore = peersCpu();
	let done = 0;
	const end = Date.now() + ms;
	await Promise.all(
		Array.from({ length: clients }, async () => {
			while (Date.now() < end) {
				await t.send();
				done++;
			}
		}),
	);
	// What one request costs the target process in CPU, whatever else runs on the machine (the load-proof figure).
	const perRequest = (before: number | null, after: number | null) =>
		before !== null && after !== null && done ? Math.round(((after - before) / done) * 100) / 100 : null;
	return {
		rps: Math.round(done / (ms / 1000)),
		cpuMsPerRequest: perRequest(cpuBefore, cpuMs(t.pid)),
		peerCpuMsPerRequest: perRequest(peerBefore, peersCpu()),
	};
}

async function main() {
	const procs: ChildProcess[] = [];
	const buses: BusCount[] = [];
	let nats: BenchNats | undefined;
	try {
		const standin = await child(process.execPath, ["--import", "tsx", "scripts/bench/standin.ts"], {}, l => l.startsWith("{"));
		procs.push(standin.proc);
		const { baseUrl, apiKey } = JSON.parse(standin.lines.find(l => l.startsWith("{"))!);
		// Every target gets a fresh text per request, as real traffic does: a repeated one would let the
		// orchestrator's per-text memos (token counts, lib/tokens.ts; the analysis cache) skip their work.
		const request = "Explain the difference between TCP and UDP in two sentences.";
		let seq = 0;
		const freshText = () => `${request} (${++seq})`;
		const chatBody = (model = "gpt-4.1-mini") =>
			JSON.stringify({ model, messages: [{ role: "user", content: freshText() }], max_tokens: 64, temperature: 0 });

		const portkeyPort = await freePort();
		const portkey = wanted("portkey")
			? await child(
					process.execPath,
					[join(ROOT, "node_modules/@portkey-ai/gateway/build/start-server.js"), `--port=${portkeyPort}`, "--headless"],
					{ NODE_ENV: "production" },
					l => /Ready for connections|running at/i.test(l),
				)
			: undefined;
		if (portkey) procs.push(portkey.proc);

		const orchPort = await freePort();
		const profDir = mkdtempSync(join(tmpdir(), "bench-overhead-prof-"));
		const orchEnv = {
			PORT: String(orchPort),
			HOST: "127.0.0.1",
			METRICS_PORT: "off",
			LOGLEVEL: "warn",
			TRANSPORTER: "",
			CACHER: "",
			SERVICES: "",
			NODE_ID: "",
			WORKSPACE_DIR: "",
			OPENAI_API_KEY: apiKey,
			OPENAI_BASE_URL: `${baseUrl}/v1`,
			ANTHROPIC_API_KEY: "",
			GOOGLE_API_KEY: "",
			GEMINI_API_KEY: "",
			OPENAI_COMPATIBLE_BASE_URL: "",
		};
		// --long: scripts/bench/heap.cjs preloaded in signal mode (a SIGUSR2 handler, nothing per request), so each row
		// can say where the RSS is: V8's heap by space, external memory, and the rest (code, malloc, stacks).
		const orchArgv = [
			...(CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : []),
			...(LONG ? ["--require", join(ROOT, "scripts/bench/heap.cjs")] : []),
			"bin/orchestrator.js",
			"start",
		];
		const orch =
			ORCH_TARGETS.some(wanted) || LONG || CPU_PROF
				? await child(process.execPath, orchArgv, { ...orchEnv, ...(LONG ? { HEAP_ON_SIGNAL: "1" } : {}) }, () => true)
				: undefined;
		if (orch) {
			procs.push(orch.proc);
			await waitReady(orchPort, orch.lines);
		}

		// Split over NATS: the gateway alone on one node, every other service on another; and the layout of k8s/ and
		// compose.yaml (pipeline | providers | tool servers), where the vendor call crosses the bus too.
		const splits: Split[] = [];
		const splitWanted = SPLIT_TARGETS.some(wanted);
		if (splitWanted) {
			nats = await benchNats();
			log(`NATS: ${nats.label}`);
		}
		const NATS_URL = nats?.url ?? "";
		if (splitWanted && (await natsReachable(NATS_URL))) {
			const startSplit = async (name: string, groups: string[]): Promise<Split> => {
				const namespace = `bench-overhead-${process.pid}-${Date.now()}-${splits.length}`;
				const natsEnv = { ...orchEnv, TRANSPORTER: NATS_URL, NAMESPACE: namespace };
				const nodes: ChildProcess[] = [];
				for (const [i, services] of groups.entries()) {
					const node = await child(
						process.execPath,
						["bin/orchestrator.js", "start"],
						{ ...natsEnv, PORT: String(await freePort()), SERVICES: services, NODE_ID: `${namespace}-node${i}` },
						() => true,
					);
					procs.push(node.proc);
					nodes.push(node.proc);
				}
				const port = await freePort();
				const gateway = await child(
					process.execPath,
					["bin/orchestrator.js", "start"],
					{ ...natsEnv, PORT: String(port), SERVICES: "gateway", NODE_ID: `${namespace}-gateway` },
					() => true,
				);
				procs.push(gateway.proc);
				await waitReady(port, gateway.lines);
				// Every packet of the split's namespace, by type, to say how many bus messages a request costs.
				const bus = await countBus(NATS_URL, namespace);
				buses.push(bus);
				return { name, port, pid: gateway.proc.pid, peerPids: nodes.map(n => n.pid), sent: 0, bus };
			};
			if (wanted(SPLIT_TARGETS[0]))
				splits.push(await startSplit(SPLIT_TARGETS[0], ["orchestrator,metrics,budget,intent,complexity,router,prompt,models,llm-*,mcp.*"]));
			if (wanted(SPLIT_TARGETS[1]))
				splits.push(await startSplit(SPLIT_TARGETS[1], ["orchestrator,intent,complexity,router,prompt,models,metrics,budget", "llm-*", "mcp.*"]));
		} else if (splitWanted) log(`no NATS at ${NATS_URL}: the split rows are left out`);

		const orchArgs = () => ({ request: freshText(), options: { preferred_models: ["gpt-4.1-mini"], cache: false } });
		const noCache = { "cache-control": "no-cache" };
		const allTargets: Target[] = [
			{ name: "direct", send: () => post(`${baseUrl}/v1/chat/completions`, { authorization: `Bearer ${apiKey}` }, chatBody()), pid: standin.proc.pid },
			{
				name: "portkey",
				send: () =>
					post(
						`http://127.0.0.1:${portkeyPort}/v1/chat/completions`,
						{ authorization: `Bearer ${apiKey}`, "x-portkey-provider": "openai", "x-portkey-custom-host": `${baseUrl}/v1` },
						chatBody(),
					),
				pid: portkey?.proc.pid,
			},
			{
				name: "orchestrator REST",
				send: () => post(`http://127.0.0.1:${orchPort}/api/orchestrate`, {}, JSON.stringify(orchArgs())),
				pid: orch?.proc.pid,
			},
			{
				name: "orchestrator MCP",
				send: () =>
					post(
						`http://127.0.0.1:${orchPort}/mcp`,
						{ accept: "application/json, text/event-stream" },
						JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "orchestrate", arguments: orchArgs() } }),
					),
				pid: orch?.proc.pid,
			},
			// Cache off as for REST's cache: false, so each request reaches the vendor stand-in as through Portkey.
			{
				name: "orchestrator /v1 concrete",
				send: () => post(`http://127.0.0.1:${orchPort}/v1/chat/completions`, noCache, chatBody()),
				pid: orch?.proc.pid,
			},
			{
				name: "orchestrator /v1 auto",
				// A fresh text per request: "auto" analyses the last user turn, and a repeated one would come from the analysis cache.
				send: () => post(`http://127.0.0.1:${orchPort}/v1/chat/completions`, noCache, chatBody("auto")),
				pid: orch?.proc.pid,
			},
			...splits.map(split => ({
				name: split.name,
				send: () => {
					split.sent++;
					return post(`http://127.0.0.1:${split.port}/api/orchestrate`, {}, JSON.stringify(orchArgs()));
				},
				pid: split.pid,
				peerPids: split.peerPids,
			})),
		];
		const targets = allTargets.filter(t => wanted(t.name));
		// Warm-up: JIT, the classifiers, connection pools.
		for (const t of targets) await sequential(t.send, WARMUP);

		const rounds: Record<string, number[][]> = Object.fromEntries(targets.map(t => [t.name, []]));
		for (let r = 0; r < ROUNDS; r++) {
			for (const t of targets) rounds[t.name].push(await sequential(t.send, SEQUENTIAL_PER_ROUND));
			log(`round ${r + 1}/${ROUNDS}: ${targets.map(t => `${t.name} p50 ${pct(rounds[t.name][r], 50).toFixed(2)} ms`).join(", ")}`);
		}
		const tput: Record<string, number> = {};
		const cpuPerRequest: Record<string, number | null> = {};
		const peerCpuPerRequest: Record<string, number | null> = {};
		for (const t of targets) {
			({
				rps: tput[t.name],
				cpuMsPerRequest: cpuPerRequest[t.name],
				peerCpuMsPerRequest: peerCpuPerRequest[t.name],
			} = await throughput(t, CLIENTS, THROUGHPUT_MS));
			log(`throughput ${t.name}: ${tput[t.name]} req/s at ${CLIENTS} clients, ${cpuPerRequest[t.name]} ms CPU per request`);
		}
		const rows = targets.map(t => {
			const split = splits.find(s => s.name === t.name);
			const added = (p: number) => {
				const per = rounds[t.name].map((s, i) => pct(s, p) - pct(rounds.direct[i], p)).sort((a, b) => a - b);
				return Math.round(per[Math.floor(per.length / 2)] * 100) / 100; // median over rounds
			};
			const all = rounds[t.name].flat().sort((a, b) => a - b);
			return {
				target: t.name,
				p50_ms: Math.round(pct(all, 50) * 100) / 100,
				added_p50_ms: added(50),
				added_p95_ms: added(95),
				added_p99_ms: added(99),
				added_p50_by_round_ms: rounds[t.name].map((s, i) => Math.round((pct(s, 50) - pct(rounds.direct[i], 50)) * 100) / 100),
				throughput_rps_32_clients: tput[t.name],
				// The split's gateway process only: the pipeline node's share is not in it.
				cpu_ms_per_request: cpuPerRequest[t.name],
				peak_rss_mb: statusMb(t.pid, "VmHWM"),
				// Splits only: the other nodes' CPU per request in the same 32-client phase (with the gateway node's above,
				// what the split spends against the one process), and the NATS messages of its namespace per request sent
				// to it, by packet type (heartbeats included).
				...(split ? { other_nodes_cpu_ms_per_request: peerCpuPerRequest[t.name], bus_messages_per_request: split.bus.perRequest(split.sent) } : {}),
			};
		});
		let long: LongRow[] | undefined;
		if (LONG) {
			long = [];
			const heapNow = orch ? heapReader(orch.proc) : async () => null;
			const rest = allTargets.find(t => t.name === "orchestrator REST")!;
			const step = Math.min(10_000, Math.ceil(LONG_REQUESTS / 10));
			for (let k = 1; k * step <= LONG_REQUESTS; k++) {
				const s = Date.now();
				const cpuBefore = cpuMs(orch?.proc.pid);
				let left = step;
				await Promise.all(
					Array.from({ length: 16 }, async () => {
						while (left-- > 0) await rest.send();
					}),
				);
				const rps = Math.round(step / ((Date.now() - s) / 1000));
				// The orchestrator's CPU per request in this window: what "work per request does not grow" means, apart from
				// how fast the clients were served (the load process and the stand-in share the vCPUs). A VM that reports no
				// steal time still counts a busy host's slowness as this process's CPU, so it is not free of noise either.
				const cpuAfter = cpuMs(orch?.proc.pid);
				long.push({
					requests: k * step,
					rps,
					cpu_ms_per_request: cpuBefore !== null && cpuAfter !== null ? Math.round(((cpuAfter - cpuBefore) / step) * 1000) / 1000 : null,
					rss_mb: statusMb(orch?.proc.pid, "VmRSS"),
					rss_anon_mb: statusMb(orch?.proc.pid, "RssAnon"),
					heap: await heapNow(),
				});
				log(longLine(long.at(-1)!));
			}
		}
		const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, mem_gb: Math.round(totalmem() / 1e9), node: process.version };
		if (CPU_PROF && orch) {
			orch.proc.kill("SIGTERM");
			await once(orch.proc, "exit");
			const file = readdirSync(profDir).find(f => f.endsWith(".cpuprofile"));
			if (file) printProfile(join(profDir, file));
		}
		if (JSON_OUT)
			process.stdout.write(
				`${JSON.stringify({ machine, ...(nats ? { nats: nats.label } : {}), rounds: ROUNDS, warmup_per_target: WARMUP, sequential_per_round: SEQUENTIAL_PER_ROUND, targets: rows, long }, null, 2)}\n`,
			);
		else {
			console.log(`machine: ${machine.cpus} × ${machine.cpu}, ${machine.mem_gb} GB, Node ${machine.node}${nats ? `; NATS: ${nats.label}` : ""}`);
			console.log("| target | p50 ms | added p50 / p95 / p99 ms | added p50 by round | req/s at 32 clients | CPU ms per request | peak RSS MB |");
			console.log("| --- | --- | --- | --- | --- | --- | --- |");
			for (const r of rows)
				console.log(
					`| ${r.target} | ${r.p50_ms} | ${r.added_p50_ms} / ${r.added_p95_ms} / ${r.added_p99_ms} | ${r.added_p50_by_round_ms.join(", ")} | ${r.throughput_rps_32_clients} | ${r.cpu_ms_per_request} | ${r.peak_rss_mb} |`,
				);
			for (const r of rows)
				if (r.bus_messages_per_request)
					console.log(
						`${r.target}: other nodes ${r.other_nodes_cpu_ms_per_request} ms CPU per request; bus messages per request ${Object.entries(
							r.bus_messages_per_request,
						)
							.map(([k, v]) => `${k} ${v}`)
							.join(", ")}`,
					);
			if (long) for (const l of long) console.log(longLine(l));
		}
	} finally {
		for (const bus of buses) await bus.close();
		for (const p of procs) if (p.exitCode === null) p.kill("SIGTERM");
		await nats?.stop();
	}
}

async function waitReady(port: number, lines: string[]) {
	// Ready means every pipeline action is reachable.
	for (let i = 0; ; i++) {
		const ok = await fetch(`http://127.0.0.1:${port}/health`)
			.then(r => r.ok)
			.catch(() => false);
		if (ok) return;
		if (i > 300) throw new Error(`the orchestrator did not become ready: ${lines.slice(-10).join(" | ")}`);
		await new Promise(r => setTimeout(r, 200));
	}
}

function natsReachable(url: string): Promise<boolean> {
	const { hostname, port } = new URL(url);
	return new Promise(resolve => {
		const socket = tcpConnect({ host: hostname, port: Number(port || 4222) }, () => {
			socket.destroy();
			resolve(true);
		});
		socket.setTimeout(2_000, () => {
			socket.destroy();
			resolve(false);
		});
		socket.on("error", () => resolve(false));
	});
}

/** Self time per function of a V8 CPU profile, the top 25. */
function printProfile(file: string) {
	const p = JSON.parse(readFileSync(file, "utf8"));
	const byId = new Map<number, any>(p.nodes.map((n: any) => [n.id, n]));
	const self = new Map<string, number>();
	p.samples.forEach((id: number, i: number) => {
		const n = byId.get(id);
		const k = `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.split("/").slice(-2).join("/")}:${n.callFrame.lineNumber + 1}`;
		self.set(k, (self.get(k) ?? 0) + (p.timeDeltas[i] ?? 0));
	});
	const total = [...self.values()].reduce((a, b) => a + b, 0);
	log(`CPU profile ${file}: ${Math.round(total / 1000)} ms sampled; top self time:`);
	for (const [k, t] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
}

main().catch(err => {
	console.error(err instanceof Error ? err.message : err);
	process.exit(1);
});
