/**
 * Agent-conversation benchmark: every step of every run of agent_trajectories (call k sends
 * messages 0..k-1, the run's message k is the answer) compacted at each level, and per level:
 * input tokens forwarded vs received (o200k_base, counted exactly on what would be forwarded),
 * cost with and without the prompt cache priced (cached part = longest prefix shared with the
 * previous call of the same conversation, at the model's cached_input_per_mtok), the share of the
 * identifiers the next assistant turn names that were in the received history and are still in
 * the forwarded one, and the added latency per call (p50/p99), also on 100k-token histories.
 *
 * Runs 1-30 are the ones compaction was tuned on; runs 31-60 are reported apart as held-out.
 *
 *   npm run bench:agent [-- --json] [-- --model gpt-4.1] [-- --in-process] [-- --long-only]     DATA_DIR=path/to/shared/data (default ../shared/data)
 *
 * Path measured: POST /v1/chat/completions on a real gateway in front of a recording vendor
 * stand-in; --in-process calls lib/compaction directly (the same function, no HTTP).
 */
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import type { ServiceBroker } from "moleculer";
import { loadConfig } from "../lib/config";
import { fakeOpenAI } from "../test/fakes/openai";
import type { FakeVendor } from "../test/fakes/vendor";
import { providerEnvFor } from "../test/fixtures/vendors";
import { freePort, testBroker } from "../test/helpers";
import { compact, type CompactionLevel } from "../lib/compaction";
import { cachedPrefixTokens, callCost, exactTokens, identifierRetention, messagesTokens, percentile, type Msg, type Price } from "./bench-agent/measure";
import { DATA_DIR } from "./data-dir";

const FILE = join(DATA_DIR, "agent_trajectories", "agent-trajectories.jsonl");
const TUNED_RUNS = 30;
const LEVELS: CompactionLevel[] = ["off", "lossless", "budget"];

interface Run {
	id: string;
	messages: Msg[];
}

interface Totals {
	calls: number;
	received_tokens: number;
	forwarded_tokens: number;
	cached_tokens: number;
	cost_usd: number;
	cost_cached_usd: number;
	ids_needed: number;
	ids_kept: number;
	grew: number;
	ms: number[];
}

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : undefined;
}

/** Sends one call's history at one level and returns what reached the vendor and the time the gateway added. */
type Forward = (received: Msg[], level: CompactionLevel, answer: string) => Promise<{ forwarded: Msg[]; ms: number; roundTripMs?: number }>;

async function replay(runs: Run[], level: CompactionLevel, price: Price, forward: Forward): Promise<Totals> {
	const t: Totals = {
		calls: 0,
		received_tokens: 0,
		forwarded_tokens: 0,
		cached_tokens: 0,
		cost_usd: 0,
		cost_cached_usd: 0,
		ids_needed: 0,
		ids_kept: 0,
		grew: 0,
		ms: [],
	};
	for (const run of runs) {
		let previous: Msg[] | undefined;
		for (let k = 1; k < run.messages.length; k++) {
			if (run.messages[k].role !== "assistant") continue;
			const received = run.messages.slice(0, k);
			const { forwarded, ms } = await forward(received, level, run.messages[k].content);
			t.ms.push(ms);
			const inTokens = messagesTokens(received);
			const fwdTokens = messagesTokens(forwarded);
			const cached = cachedPrefixTokens(previous, forwarded);
			const cost = callCost(price, fwdTokens, cached, exactTokens(run.messages[k].content));
			const ids = identifierRetention(received, forwarded, run.messages[k].content);
			t.calls++;
			t.received_tokens += inTokens;
			t.forwarded_tokens += fwdTokens;
			t.cached_tokens += cached;
			t.cost_usd += cost.uncached;
			t.cost_cached_usd += cost.cached;
			t.ids_needed += ids.needed;
			t.ids_kept += ids.kept;
			if (fwdTokens > inTokens) t.grew++;
			previous = forwarded;
		}
	}
	return t;
}

function addTotals(a: Totals, b: Totals): Totals {
	const out = { ...a, ms: [...a.ms, ...b.ms] };
	for (const k of Object.keys(a) as (keyof Totals)[]) if (k !== "ms") out[k] = a[k] + b[k];
	return out;
}

function summary(t: Totals) {
	const r = (x: number, d = 4) => Number(x.toFixed(d));
	return {
		calls: t.calls,
		received_tokens: t.received_tokens,
		forwarded_tokens: t.forwarded_tokens,
		input_reduction: r(1 - t.forwarded_tokens / t.received_tokens),
		calls_forwarding_more: t.grew,
		cached_share: r(t.cached_tokens / t.forwarded_tokens),
		cost_usd: r(t.cost_usd, 3),
		cost_with_cache_usd: r(t.cost_cached_usd, 3),
		identifiers_kept: r(t.ids_kept / t.ids_needed),
		identifiers_needed: t.ids_needed,
		added_ms_p50: r(percentile(t.ms, 50), 3),
		added_ms_p99: r(percentile(t.ms, 99), 3),
	};
}

/**
 * Histories of about `tokens` tokens, one per sixth run: that run followed by the bodies of the next
 * ones, with the message indices of its last 21 assistant turns (the first is the warm-up call).
 */
function* longHistories(runs: Run[], tokens: number): Generator<{ msgs: Msg[]; timed: number[] }> {
	for (let start = 0; start + 1 < runs.length; start += 6) {
		const msgs: Msg[] = [...runs[start].messages];
		for (const r of runs.slice(start + 1)) {
			if (messagesTokens(msgs) >= tokens) break;
			msgs.push(...r.messages.slice(2));
		}
		const ends = msgs.map((m, k) => (m.role === "assistant" ? k : -1)).filter(k => k > 0);
		yield { msgs, timed: ends.slice(-21) };
	}
}

/**
 * Histories of ~100k tokens: one run followed by the bodies of the next ones; the last 20 calls
 * timed. Each call compacts a fresh copy of its history, as the gateway does with the body it
 * has just parsed (the same string objects on every call would find V8's string hashes already
 * computed and flatter the memos). Wall time and this process's CPU time per call: the machine is
 * shared, CPU time is what the call itself cost.
 */
function longHistoryLatency(runs: Run[], level: CompactionLevel, opts: { budgetFraction: number; keepLast: number; step: number }, tokens = 100_000) {
	const ms: number[] = [];
	const cpuMs: number[] = [];
	let histTokens = 0;
	for (const { msgs, timed } of longHistories(runs, tokens)) {
		// The first timed call sees the whole history for the first time (a gateway restart); the rest are a conversation's next calls.
		compact(structuredClone(msgs.slice(0, timed[0])), { level, ...opts });
		for (const k of timed.slice(1)) {
			const history = structuredClone(msgs.slice(0, k));
			const cpu = process.cpuUsage();
			const s = performance.now();
			compact(history, { level, ...opts });
			ms.push(performance.now() - s);
			const used = process.cpuUsage(cpu);
			cpuMs.push((used.user + used.system) / 1000);
		}
		histTokens = Math.max(histTokens, messagesTokens(msgs));
	}
	const r = (x: number) => Number(x.toFixed(3));
	return {
		history_tokens_max: histTokens,
		calls: ms.length,
		added_ms_p50: r(percentile(ms, 50)),
		added_ms_p99: r(percentile(ms, 99)),
		cpu_ms_p50: r(percentile(cpuMs, 50)),
		cpu_ms_p99: r(percentile(cpuMs, 99)),
	};
}

/**
 * The same ~100k-token calls through the HTTP path, per level: the gateway's
 * x-orchestrator-overhead-ms (everything it adds but the model walk: compaction included, the
 * body's parsing not) and the client's round trip against the instant vendor stand-in (the body
 * parsed and re-sent, the walk's own work, the stand-in's answer).
 */
async function longHistoryHttp(runs: Run[], level: CompactionLevel, forward: Forward, tokens = 100_000) {
	const ms: number[] = [];
	const rtt: number[] = [];
	for (const { msgs, timed } of longHistories(runs, tokens)) {
		await forward(msgs.slice(0, timed[0]), level, msgs[timed[0]].content);
		for (const k of timed.slice(1)) {
			const out = await forward(msgs.slice(0, k), level, msgs[k].content);
			ms.push(out.ms);
			rtt.push(out.roundTripMs ?? NaN);
		}
	}
	const r = (x: number) => Number(x.toFixed(3));
	return {
		calls: ms.length,
		overhead_ms_p50: r(percentile(ms, 50)),
		overhead_ms_p99: r(percentile(ms, 99)),
		round_trip_ms_p50: r(percentile(rtt, 50)),
		round_trip_ms_p99: r(percentile(rtt, 99)),
	};
}

/**
 * The HTTP path: the gateway's /v1/chat/completions (gateway + models + llm-openai, the real
 * OpenAI SDK) in front of a vendor stand-in (test/fakes, OpenAI's wire format) that records every
 * body it receives and answers with the run's real next assistant turn. Added time: the gateway's
 * x-orchestrator-overhead-ms (everything but the model walk).
 */
async function httpPath(model: string): Promise<{ forward: Forward; stop: () => Promise<void> }> {
	const vendor: FakeVendor = await fakeOpenAI();
	const port = await freePort();
	const env = providerEnvFor({ openai: vendor }, { PORT: String(port), HOST: "127.0.0.1" });
	const broker: ServiceBroker = testBroker({ services: ["gateway", "models", "llm-openai"], env, broker: { dependencyInterval: 50 } });
	await broker.start();
	const url = `http://127.0.0.1:${port}/v1/chat/completions`;
	const forward: Forward = async (received, level, answer) => {
		vendor.next({ kind: "ok", text: answer });
		const sent = performance.now();
		const before = vendor.completions.length;
		const res = await fetch(url, {
			method: "POST",
			headers: { "content-type": "application/json", "x-orchestrator-compaction": level },
			body: JSON.stringify({ model, messages: received, max_tokens: 4096 }),
		});
		if (!res.ok) throw new Error(`/v1/chat/completions answered ${res.status}: ${await res.text()}`);
		await res.json();
		const body = vendor.completions[before]?.body;
		if (!body) throw new Error("the vendor stand-in received nothing");
		vendor.reset();
		return {
			forwarded: body.messages.map((m: Msg) => ({ role: m.role, content: m.content })),
			ms: Number(res.headers.get("x-orchestrator-overhead-ms")),
			roundTripMs: performance.now() - sent,
		};
	};
	return {
		forward,
		stop: async () => {
			await broker.stop();
			await vendor.stop();
		},
	};
}

function inProcessPath(opts: { budgetFraction: number; keepLast: number; step: number }): Forward {
	return async (received, level) => {
		const started = performance.now();
		const out = compact(received, { level, ...opts });
		return { forwarded: out.messages, ms: performance.now() - started };
	};
}

async function main() {
	if (!existsSync(FILE)) {
		console.error(
			`bench:agent: ${FILE} not found. The runs come from gruckion/mini-swe-agent (SWE-bench Verified trajectories), see the team's shared/data/agent_trajectories/SOURCE.md; set DATA_DIR to the folder holding agent_trajectories/.`,
		);
		process.exit(2);
	}
	const config = loadConfig();
	const model = arg("model") ?? "gpt-4.1";
	const info = config.models[model];
	if (!info || info.cached_input_per_mtok === undefined) {
		console.error(`bench:agent: model '${model}' has no cached_input_per_mtok in config.yaml`);
		process.exit(2);
	}
	const price: Price = { input_per_mtok: info.input_per_mtok, cached_input_per_mtok: info.cached_input_per_mtok, output_per_mtok: info.output_per_mtok };
	const opts = { budgetFraction: config.compaction.budget_fraction, keepLast: config.compaction.keep_last, step: config.compaction.step };
	const runs: Run[] = readFileSync(FILE, "utf8")
		.trim()
		.split("\n")
		.map(l => JSON.parse(l));
	const sets = { tuned: runs.slice(0, TUNED_RUNS), held_out: runs.slice(TUNED_RUNS) };
	const inProcess = process.argv.includes("--in-process");
	// --long-only: the ~100k-token latency alone (seconds, not the minutes of the replays).
	const longOnly = process.argv.includes("--long-only");
	// --long-only keeps the HTTP measure of the long histories unless --in-process says otherwise.
	const http = inProcess ? undefined : await httpPath(model);
	const forward = http?.forward ?? inProcessPath(opts);
	const result: Record<string, unknown> = {
		data: FILE,
		path: inProcess
			? "lib/compaction in-process (the function the /v1 endpoints call)"
			: "POST /v1/chat/completions -> models.complete -> llm-openai (openai SDK) -> recording vendor stand-in",
		model,
		price,
		compaction: config.compaction,
		sets: { tuned: `runs 1-${sets.tuned.length}`, held_out: `runs ${TUNED_RUNS + 1}-${runs.length}` },
	};
	const totals: Record<string, Record<string, Totals>> = {};
	for (const [name, set] of Object.entries(sets)) {
		if (!set.length || longOnly) continue;
		const rows: Record<string, ReturnType<typeof summary>> = {};
		totals[name] = {};
		for (const level of LEVELS) rows[level] = summary((totals[name][level] = await replay(set, level, price, forward)));
		result[name] = rows;
	}
	// Every run: the two sets' totals added (the held-out half inside, so it is no out-of-sample figure).
	if (totals.tuned && totals.held_out) {
		result.all = Object.fromEntries(LEVELS.map(level => [level, summary(addTotals(totals.tuned[level], totals.held_out[level]))]));
		(result.sets as Record<string, string>).all = `runs 1-${runs.length}`;
	}
	if (http) {
		const rows: Record<string, Awaited<ReturnType<typeof longHistoryHttp>>> = {};
		for (const level of LEVELS) rows[level] = await longHistoryHttp(runs, level, http.forward);
		result.long_histories_http = rows;
	}
	await http?.stop();
	result.long_histories = Object.fromEntries((["lossless", "budget"] as const).map(level => [level, longHistoryLatency(runs, level, opts)]));
	if (process.argv.includes("--json")) {
		console.log(JSON.stringify(result, null, 2));
		return;
	}
	console.log(
		`bench:agent — ${runs.length} runs from ${FILE}; priced as ${model} (input ${price.input_per_mtok}, cached ${price.cached_input_per_mtok}, output ${price.output_per_mtok} USD/Mtok)`,
	);
	console.log(`path: ${result.path}\n`);
	for (const name of [...Object.keys(sets), "all"]) {
		const rows = result[name] as Record<string, ReturnType<typeof summary>> | undefined;
		if (!rows) continue;
		console.log(`${name === "tuned" ? "tuned on" : name === "all" ? "all runs" : "held-out"} (${(result.sets as Record<string, string>)[name]})`);
		console.log("level     calls  received   forwarded  reduction  more  cached  cost USD  w/ cache  ids kept (of)      p50 ms  p99 ms");
		for (const [level, s] of Object.entries(rows)) {
			console.log(
				`${level.padEnd(9)} ${String(s.calls).padStart(5)} ${String(s.received_tokens).padStart(9)} ${String(s.forwarded_tokens).padStart(11)} ${(s.input_reduction * 100).toFixed(1).padStart(9)}% ${String(s.calls_forwarding_more).padStart(5)} ${(s.cached_share * 100).toFixed(1).padStart(6)}% ${s.cost_usd.toFixed(3).padStart(9)} ${s.cost_with_cache_usd.toFixed(3).padStart(9)} ${(s.identifiers_kept * 100).toFixed(2).padStart(8)}% (${s.identifiers_needed}) ${s.added_ms_p50.toFixed(3).padStart(8)} ${s.added_ms_p99.toFixed(3).padStart(7)}`,
			);
		}
		console.log();
	}
	for (const [level, l] of Object.entries((result.long_histories_http ?? {}) as Record<string, Awaited<ReturnType<typeof longHistoryHttp>>>)) {
		console.log(
			`~100k-token histories over HTTP, ${level}: x-orchestrator-overhead-ms p50 ${l.overhead_ms_p50}, p99 ${l.overhead_ms_p99}; client round trip p50 ${l.round_trip_ms_p50} ms, p99 ${l.round_trip_ms_p99} ms over ${l.calls} calls`,
		);
	}
	for (const [level, l] of Object.entries(result.long_histories as Record<string, ReturnType<typeof longHistoryLatency>>)) {
		console.log(
			`~100k-token histories (up to ${l.history_tokens_max} tokens), ${level}, compaction in-process: added p50 ${l.added_ms_p50} ms, p99 ${l.added_ms_p99} ms (CPU p50 ${l.cpu_ms_p50} ms, p99 ${l.cpu_ms_p99} ms) over ${l.calls} calls; load average ${os.loadavg()[0].toFixed(1)}`,
		);
	}
}

main().then(
	() => process.exit(0),
	err => {
		console.error(err);
		process.exit(1);
	},
);
