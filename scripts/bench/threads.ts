/**
 * npx tsx scripts/bench/threads.ts [rest|rest-fresh|mcp|v1|auto|mix][,target...] [requests] [rounds]
 *
 * CPU per request of one orchestrator process, per thread, for A/B runs of a change: the orchestrator
 * (`bin/orchestrator.js start` in ROOT, default this checkout, so another checkout can be measured from
 * here) and the instant vendor stand-in of bench:overhead, 2,000 warm-up requests at 32 clients, then
 * the measured ones (default 3,000) at 32 clients; CPU time of every thread of the process from
 * /proc/<pid>/task/<tid>/stat over the measured requests. The main thread runs the JavaScript; the
 * others are V8's compiler and GC helpers and libuv's pool (README "Gateway overhead"). NODE_ARGS
 * passes flags to the orchestrator's node (`--trace-opt`, `--cpu-prof`...). One target, one process:
 * for comparing two builds of the same code path, not for the bench's figures.
 *
 * Several targets (`rest,mcp`): each warmed up, then `rounds` (default 1) rounds of `requests` per target,
 * alternated in the same process (rest, mcp, rest, mcp ...): two edges compared at the same load and JIT
 * state, each round's CPU per request printed and the mean per target. PHASES=<file> writes each measured
 * round's target and its start and end on the monotonic clock in µs (what a `--cpu-prof` profile's
 * timestamps count), so a profile of the process can be split by target.
 */
import { spawn } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { Agent } from "node:http";
import { join } from "node:path";
import { freePort, standaloneEnv } from "../../test/helpers";
import { post as postWith } from "./post";
import { startStandin } from "./standin-process";

const kinds = (process.argv[2] ?? "rest").split(",");
const N = Number(process.argv[3] ?? 3_000);
const ROUNDS = Number(process.argv[4] ?? 1);
const ROOT = process.env.ROOT || join(__dirname, "../..");
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

const post = (url: string, headers: Record<string, string>, body: string) => postWith(agent, url, headers, body);

/** CPU ms so far of every thread of a process, by "tid name". */
function threadCpu(pid: number): Map<string, number> {
	const out = new Map<string, number>();
	for (const tid of readdirSync(`/proc/${pid}/task`)) {
		try {
			const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
			const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
			out.set(`${tid} ${stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"))}`, (Number(fields[11]) + Number(fields[12])) * 10);
		} catch {
			// a thread that ended meanwhile
		}
	}
	return out;
}

async function main() {
	const { baseUrl, apiKey, process: standin } = await startStandin();
	const port = await freePort();
	const nodeArgs = (process.env.NODE_ARGS ?? "").split(" ").filter(Boolean);
	const env = standaloneEnv({ PORT: String(port), HOST: "127.0.0.1", WORKSPACE_DIR: "", OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: `${baseUrl}/v1` });
	for (const k of ["ANTHROPIC_API_KEY", "GOOGLE_API_KEY", "GEMINI_API_KEY", "OPENAI_COMPATIBLE_BASE_URL"]) env[k] = "";
	const orch = spawn(process.execPath, [...nodeArgs, "bin/orchestrator.js", "start"], { cwd: ROOT, env, stdio: ["ignore", "inherit", "inherit"] });
	try {
		while (
			!(await fetch(`http://127.0.0.1:${port}/health`).then(
				r => r.ok,
				() => false,
			))
		)
			await new Promise(r => setTimeout(r, 200));
		const request = "Explain the difference between TCP and UDP in two sentences.";
		const args = { request, options: { preferred_models: ["gpt-4.1-mini"], cache: false } };
		let seq = 0;
		const sends: Record<string, () => Promise<void>> = {
			rest: () => post(`http://127.0.0.1:${port}/api/orchestrate`, {}, JSON.stringify(args)),
			// REST with a fresh text per request, as bench:overhead --long sends.
			"rest-fresh": () => post(`http://127.0.0.1:${port}/api/orchestrate`, {}, JSON.stringify({ ...args, request: `${request} (${++seq})` })),
			mcp: () =>
				post(
					`http://127.0.0.1:${port}/mcp`,
					{ accept: "application/json, text/event-stream" },
					JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "orchestrate", arguments: args } }),
				),
			v1: () =>
				post(
					`http://127.0.0.1:${port}/v1/chat/completions`,
					{ "cache-control": "no-cache" },
					JSON.stringify({ model: "gpt-4.1-mini", messages: [{ role: "user", content: request }], max_tokens: 64, temperature: 0 }),
				),
			// A fresh text per request, as bench:overhead sends: no analysis comes from the cache.
			auto: () =>
				post(
					`http://127.0.0.1:${port}/v1/chat/completions`,
					{ "cache-control": "no-cache" },
					JSON.stringify({ model: "auto", messages: [{ role: "user", content: `${request} (${++seq})` }], max_tokens: 64, temperature: 0 }),
				),
		};
		const mixed = [sends.rest, sends.mcp, sends.v1, sends.auto];
		let turn = 0;
		const targets = kinds.map(kind => {
			const send = kind === "mix" ? () => mixed[turn++ % mixed.length]() : sends[kind];
			if (!send) throw new Error(`unknown target ${kind}: rest, rest-fresh, mcp, v1, auto or mix`);
			return { kind, send };
		});
		const run = async (send: () => Promise<void>, n: number) => {
			let left = n;
			await Promise.all(
				Array.from({ length: 32 }, async () => {
					while (left-- > 0) await send();
				}),
			);
		};
		for (const { send } of targets) await run(send, 2_000);
		const now = () => Number(process.hrtime.bigint() / 1000n);
		const phases: { kind: string; start: number; end: number }[] = [];
		const perRequest: Record<string, number[]> = {};
		for (let round = 0; round < ROUNDS; round++)
			for (const { kind, send } of targets) {
				const before = threadCpu(orch.pid!);
				const started = Date.now();
				const start = now();
				await run(send, N);
				phases.push({ kind, start, end: now() });
				const seconds = (Date.now() - started) / 1000;
				const after = threadCpu(orch.pid!);
				const rows = [...after].map(([k, ms]) => [k, ms - (before.get(k) ?? 0)] as const).filter(([, ms]) => ms > 0);
				const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
				(perRequest[kind] ??= []).push(total / N);
				console.log(
					`${kind}: ${N} requests in ${seconds.toFixed(1)} s = ${Math.round(N / seconds)} req/s; CPU ${(total / N).toFixed(3)} ms per request`,
				);
				for (const [k, ms] of rows.sort((a, b) => b[1] - a[1])) console.log(`  thread ${k}: ${(ms / N).toFixed(3)} ms per request`);
			}
		if (ROUNDS > 1 || targets.length > 1)
			for (const [kind, ms] of Object.entries(perRequest))
				console.log(
					`${kind}: mean ${(ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(3)} ms CPU per request over ${ms.length} rounds (${ms.map(m => m.toFixed(3)).join(", ")})`,
				);
		if (process.env.PHASES) writeFileSync(process.env.PHASES, JSON.stringify(phases));
	} finally {
		orch.kill("SIGTERM");
		standin.kill("SIGTERM");
	}
}

main().catch(err => {
	console.error(err instanceof Error ? err.message : err);
	process.exitCode = 1;
});
