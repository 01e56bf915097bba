/**
 * npm run bench:cache — what the completion and analysis caches save, and what a Redis outage
 * costs a request, measured through the real pipeline, the real provider services and Redis,
 * with the vendors' fake HTTP servers (test/fakes) standing in for the vendors. Prints tables;
 * asserts nothing.
 *
 *   N=50 REDIS_URL=redis://127.0.0.1:6379 npm run bench:cache
 */
import { spawn, type ChildProcess } from "node:child_process";
import Redis from "ioredis";
import type { ServiceBroker } from "moleculer";
import type { OrchestrateResult } from "../lib/contracts";
import { startVendors, type Vendors } from "../test/fixtures/vendors";
import { freePort, testBroker, testNamespace } from "../test/helpers";

const N = Number(process.env.N ?? 50);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const TOPICS = [
	"closures in JavaScript",
	"HTTP 409 vs 412",
	"optimistic locking",
	"B-tree page splits",
	"TCP slow start",
	"CRDT counters",
	"bloom filters",
	"idempotency keys",
	"consistent hashing",
	"the CAP theorem",
];
const requestN = (i: number) => `Explain ${TOPICS[i % TOPICS.length]} briefly, case ${i}.`;
// The same question typed differently: the analysis key is the normalized request.
const retyped = (s: string) => `  ${s.replace(/ /g, "  ")}\n`;

function stats(ms: number[]) {
	const s = [...ms].sort((a, b) => a - b);
	const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
	return { p50: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}

interface Pass {
	label: string;
	ms: number[];
	vendorCalls: number;
	tokens: number;
	cost: number;
	cached: number;
	errors: number;
}

async function pass(label: string, broker: ServiceBroker, vendors: Vendors, requests: string[], options: Record<string, unknown> = {}): Promise<Pass> {
	const before = vendors.completions();
	const out: Pass = { label, ms: [], vendorCalls: 0, tokens: 0, cost: 0, cached: 0, errors: 0 };
	for (const request of requests) {
		const t = process.hrtime.bigint();
		try {
			const r = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request, options });
			out.tokens += r.usage.input_tokens + r.usage.output_tokens;
			out.cost += r.cost_usd;
			out.cached += r.cached ? 1 : 0;
		} catch {
			out.errors++;
		}
		out.ms.push(Number(process.hrtime.bigint() - t) / 1e6);
	}
	out.vendorCalls = vendors.completions() - before;
	return out;
}

function print(title: string, rows: Pass[]) {
	console.log(`\n${title}`);
	console.log("pass                                 n  vendor calls  tokens     cost USD  cached  errors  p50 ms  p95 ms  max ms");
	for (const r of rows) {
		const s = stats(r.ms);
		console.log(
			`${r.label.padEnd(34)} ${String(r.ms.length).padStart(4)} ${String(r.vendorCalls).padStart(13)} ${String(r.tokens).padStart(7)} ${r.cost.toFixed(6).padStart(12)} ${String(r.cached).padStart(7)} ${String(r.errors).padStart(7)} ${s.p50.toFixed(1).padStart(7)} ${s.p95.toFixed(1).padStart(7)} ${s.max.toFixed(1).padStart(7)}`,
		);
	}
}

async function startRedis(port: number): Promise<ChildProcess> {
	const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
		stdio: ["ignore", "pipe", "ignore"],
	});
	await new Promise<void>((resolve, reject) => {
		let out = "";
		child.once("error", reject);
		child.stdout!.on("data", (c: Buffer) => (out += c.toString()).includes("Ready to accept connections") && resolve());
	});
	return child;
}

async function stopRedis(child: ChildProcess) {
	const exited = new Promise(resolve => child.once("exit", resolve));
	child.kill("SIGTERM");
	await exited;
}

async function cacheBroker(vendors: Vendors, cacher: string, extra: Record<string, string> = {}) {
	const namespace = testNamespace();
	const broker = testBroker({
		env: { ...vendors.env, CACHER: cacher, NAMESPACE: namespace, ...extra },
		exclude: ["gateway"],
		broker: { dependencyInterval: 50 },
	});
	await broker.start();
	const client = (broker.cacher as any).client as Redis;
	if (client.status !== "ready") await new Promise(resolve => client.once("ready", resolve));
	// First use loads the tokenizer and the SDKs; kept out of the figures.
	await broker.call("orchestrator.orchestrate", { request: "warm up", options: { cache: false } });
	return { broker, namespace, client };
}

async function main() {
	const vendors = await startVendors();
	const requests = Array.from({ length: N }, (_, i) => requestN(i));

	// 1. Savings on the shared Redis.
	const shared = await cacheBroker(vendors, REDIS_URL);
	const rows = [
		await pass("cold: every request new", shared.broker, vendors, requests),
		await pass("repeat: same requests", shared.broker, vendors, requests),
		await pass("repeat, retyped (spacing)", shared.broker, vendors, requests.map(retyped)),
		await pass("repeat with options.cache: false", shared.broker, vendors, requests, { cache: false }),
	];
	print(`Completion + analysis cache on ${REDIS_URL} (${N} requests per pass)`, rows);
	const metrics = await shared.broker.call<any, unknown>("metrics.get", { period: "1h" });
	console.log(
		`get_metrics 1h: requests ${metrics.requests.total}, cache_hit_rate ${metrics.cache_hit_rate}, tokens saved ${metrics.tokens.saved}, cost saved $${metrics.cost_saved_usd}`,
	);
	const admin = new Redis(REDIS_URL);
	const keys = await admin.keys(`MOL-${shared.namespace}-*`);
	if (keys.length) await admin.del(...keys);
	admin.disconnect();
	await shared.broker.stop();

	// 2. Redis going away: its own redis-server on a spare port.
	const port = await freePort();
	let redis = await startRedis(port);
	const timeoutMs = process.env.CACHER_TIMEOUT_MS ?? "2000";
	const own = await cacheBroker(vendors, `redis://127.0.0.1:${port}`, { CACHER_TIMEOUT_MS: timeoutMs });
	const warnings: string[] = [];
	const logger = (own.broker.cacher as any).logger;
	logger.warn = (...a: unknown[]) => warnings.push(a.join(" "));
	const outage: Pass[] = [await pass("Redis up, cache: false (baseline)", own.broker, vendors, requests, { cache: false })];
	const closed = new Promise(resolve => own.client.once("close", resolve));
	await stopRedis(redis);
	await closed;
	outage.push(await pass("Redis stopped", own.broker, vendors, requests));
	redis = await startRedis(port);
	await new Promise(resolve => (own.client.status === "ready" ? resolve(null) : own.client.once("ready", resolve)));
	outage.push(await pass("Redis restarted: refill", own.broker, vendors, requests));
	outage.push(await pass("Redis restarted: repeat", own.broker, vendors, requests));
	const pauser = new Redis(port, "127.0.0.1");
	await pauser.call("CLIENT", "PAUSE", "3000", "ALL");
	outage.push(
		await pass(
			`Redis paused 3 s (timeout ${timeoutMs} ms)`,
			own.broker,
			vendors,
			requests.map(r => `${r} (paused)`),
		),
	);
	pauser.disconnect();
	print("Redis outage (own redis-server)", outage);
	console.log(`cacher warnings logged over both outages: ${warnings.length}`);
	await own.broker.stop();
	await stopRedis(redis);
	await vendors.stop();
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
