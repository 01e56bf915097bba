/**
 * npx tsx scripts/bench/decisions.ts [calls per round, default 5,000]
 *
 * CPU per call of each pure decision module an `auto` request runs (services/intent, services/complexity,
 * services/router, services/prompt), in this process with no broker, on the text `threads.ts auto` and
 * bench:overhead send (a fresh one per call, so no memo answers it). Each module is timed alone after a
 * warm-up (process.cpuUsage around a batch, the least of five); then the bytes it allocates per call, from V8's sampling heap
 * profiler in a second pass (as alloc.cjs counts them for a whole process: collected objects included).
 * For A/B runs of a change to one module; the stage hops and the /v1 edge are threads.ts's figures.
 */
import { loadavg } from "node:os";
import type { Intent } from "../../lib/contracts";
import { loadConfig } from "../../lib/config";
import { classifyIntent } from "../../services/intent/classifier";
import { scoreComplexity } from "../../services/complexity/scorer";
import { gatedRoute } from "../../services/router/gate";
import { optimizePrompt, outputBudget } from "../../services/prompt/optimize";
import type { LiveMcpService } from "../../services/router/route";
import { defaultServices } from "../eval/tools";
import { allocatedBytes } from "./inspector";

const N = Number(process.argv[2] ?? 5_000);
const request = "Explain the difference between TCP and UDP in two sentences.";

async function time(name: string, fn: (text: string) => unknown): Promise<void> {
	for (let i = 0; i < 2_000; i++) fn(`${request} (w${i})`);
	const texts = Array.from({ length: N }, (_, i) => `${request} (${i})`);
	// The least of five rounds: other processes on the machine only ever add to a round's CPU time.
	let best = Infinity;
	for (let round = 0; round < 5; round++) {
		const c0 = process.cpuUsage();
		for (const t of texts) fn(t);
		const c = process.cpuUsage(c0);
		best = Math.min(best, c.user + c.system);
	}
	const sampled = texts.slice(0, Math.min(N, 5_000)).map(t => `${t}.`);
	const bytes = await allocatedBytes(() => {
		for (const t of sampled) fn(t);
	});
	console.log(`${name.padEnd(12)} ${(best / N).toFixed(1).padStart(7)} µs CPU, ${(bytes / sampled.length / 1024).toFixed(1).padStart(5)} KB per call`);
}

async function main() {
	const config = loadConfig();
	const services: LiveMcpService[] = await defaultServices();
	const intent = (t: string) => classifyIntent(t, undefined);
	const complexity = (t: string) => scoreComplexity(t, undefined, config.routing.complexity_thresholds);
	const route = (t: string) => {
		const i = classifyIntent(t, undefined);
		return gatedRoute({ request: t, intent: i.intent, intent_confidence: i.confidence }, services);
	};
	const prompt = (t: string, i: Intent = "ANALYZE") =>
		optimizePrompt({ request: t, intent: i, tier: "simple", max_tokens: outputBudget(config.output_budget, i, "simple") });
	console.log(
		`${N} calls each; load average ${loadavg()
			.map(x => x.toFixed(2))
			.join(" ")}`,
	);
	await time("intent", intent);
	await time("complexity", complexity);
	await time("intent+route", route);
	await time("prompt", t => prompt(t));
	await time("all four", t => {
		const i = intent(t);
		const c = complexity(t);
		gatedRoute({ request: t, intent: i.intent, intent_confidence: i.confidence }, services);
		prompt(t, i.intent);
		return c;
	});
}

main().catch(err => {
	console.error(err instanceof Error ? err.message : err);
	process.exitCode = 1;
});
