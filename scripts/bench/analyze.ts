/**
 * npx tsx scripts/bench/analyze.ts [calls per round, default 4,000]
 *
 * CPU per `orchestrator.analyze` of an `auto` request in one process with no HTTP: the broker built as
 * production builds it (test/helpers testBroker: every service, memory cacher), 32 callers at once, a fresh
 * text per call (the text threads.ts and bench:overhead send), so every stage runs and every cache misses.
 * The least of five rounds of process.cpuUsage (all threads, GC helpers included), then KB allocated per
 * call from V8's sampling heap profiler. Between decisions.ts (the pure modules alone) and threads.ts
 * (the whole server): what the seven broker calls of an analysis add to the modules' own work.
 * ROOT=<another checkout> measures that checkout's code from here, for A/B runs.
 */
import { join } from "node:path";
import type { ServiceBroker } from "moleculer";
import { allocatedBytes } from "./inspector";

const ROOT = process.env.ROOT || join(__dirname, "../..");
const N = Number(process.argv[2] ?? 4_000);
const request = "Explain the difference between TCP and UDP in two sentences.";

async function main() {
	const { testBroker } = (await import(join(ROOT, "test/helpers"))) as { testBroker: (o: object) => ServiceBroker };
	// A provider that is never called (analyze only prices the models), so the selection has live models.
	const broker = testBroker({ env: { OPENAI_API_KEY: "sk-bench", OPENAI_BASE_URL: "http://127.0.0.1:9/v1", WORKSPACE_DIR: "" } });
	await broker.start();
	let seq = 0;
	const run = async (n: number) => {
		let left = n;
		await Promise.all(
			Array.from({ length: 32 }, async () => {
				while (left-- > 0) await broker.call("orchestrator.analyze", { request: `${request} (${++seq})` });
			}),
		);
	};
	await run(3_000);
	// The least of five rounds: other processes on the machine only ever add to a round's CPU time.
	let best = Infinity;
	for (let round = 0; round < 5; round++) {
		const c0 = process.cpuUsage();
		await run(N);
		const c = process.cpuUsage(c0);
		best = Math.min(best, (c.user + c.system) / N);
	}
	const bytes = await allocatedBytes(() => run(N));
	console.log(`orchestrator.analyze: ${best.toFixed(1)} µs CPU, ${(bytes / N / 1024).toFixed(1)} KB per call (${N} calls per round, 32 at once)`);
	await broker.stop();
}

main().catch(err => {
	console.error(err instanceof Error ? err.message : err);
	process.exitCode = 1;
});
