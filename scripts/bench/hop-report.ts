/**
 * npx tsx scripts/bench/hop-report.ts [dir]
 *
 * Reads the socket traces scripts/bench/hop-trace.cjs wrote (dir, default HOP_TRACE_DIR or /tmp/hop-trace) and lines
 * them up per request: each HTTP request a process received (the one process, the split's gateway) until its answer
 * was written, with every socket event of every traced process in between (NATS heartbeats and discovery left out),
 * in time order. Requests with the same sequence of steps are grouped, and each step's median wall time is printed
 * (`gateway out nats REQ -> node0 in nats REQ`: what NATS and the wake-up of the receiving node took). Sequential
 * requests only: under concurrency the steps of different requests interleave.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] || process.env.HOP_TRACE_DIR || "/tmp/hop-trace";

interface Ev {
	ns: bigint;
	proc: string;
	dir: string;
	peer: string;
	bytes: number;
	head: string;
}

function label(e: Ev): string {
	const kind =
		e.peer !== "nats" ? "" : (/ [^ ]*\.(REQ|RES|EVENT|EVENTLB|INFO|DISCOVER|HEARTBEAT|PING|PONG|DISCONNECT)[. ]/.exec(e.head)?.[1] ?? e.head.split(" ")[0]);
	// HOP_TRACE_MARKS: a step inside the process, named in the head field.
	if (e.peer === "mark") return `${e.proc} ${e.head}`;
	return `${e.proc} ${e.dir} ${e.peer}${kind ? ` ${kind}` : ""}`;
}

const evs: Ev[] = [];
for (const f of readdirSync(dir).filter(f => f.endsWith(".tsv"))) {
	const [proc, ...lines] = readFileSync(join(dir, f), "utf8").trim().split("\n");
	const short = proc.replace(/^bench-split-\d+-\d+-/, "");
	for (const l of lines) {
		const [ns, d, peer, bytes, head] = l.split("\t");
		evs.push({ ns: BigInt(ns), proc: short, dir: d, peer, bytes: Number(bytes), head: head ?? "" });
	}
}
evs.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
const noise = (e: Ev) => e.peer === "nats" && !/ (REQ|RES|EVENT|EVENTLB)$/.test(label(e)) && !/^(MSG|PUB|HMSG|HPUB)?$/.test(e.head.split(" ")[0]);

const groups = new Map<string, { steps: string[]; samples: number[][]; bytes: number[][] }>();
for (const proc of new Set(evs.map(e => e.proc))) {
	const mine = evs.filter(e => e.proc === proc);
	for (let i = 0; i < mine.length; i++) {
		if (mine[i].dir !== "in" || mine[i].peer !== "http-in") continue;
		const end = mine.slice(i + 1).find(e => e.dir === "out" && e.peer === "http-in");
		if (!end) continue;
		const span = evs.filter(e => e.ns >= mine[i].ns && e.ns <= end.ns && !noise(e));
		// Steps from other HTTP requests inside the span (concurrency) make the sequence unique: left out below by count.
		const steps = span.map(label);
		const key = steps.join(" | ");
		let g = groups.get(key);
		if (!g) groups.set(key, (g = { steps, samples: [], bytes: [] }));
		g.samples.push(span.slice(1).map((e, k) => Number(e.ns - span[k].ns) / 1e6));
		g.bytes.push(span.map(e => e.bytes));
	}
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const g of [...groups.values()].sort((a, b) => b.samples.length - a.samples.length)) {
	if (g.samples.length < 20) continue;
	const total = g.samples.map(s => s.reduce((a, b) => a + b, 0));
	console.log(`\n${g.samples.length} requests, median total ${median(total).toFixed(3)} ms:`);
	for (let k = 1; k < g.steps.length; k++)
		console.log(
			`  ${median(g.samples.map(s => s[k - 1]))
				.toFixed(3)
				.padStart(7)} ms  ${g.steps[k - 1]} -> ${g.steps[k]} (${median(g.bytes.map(b => b[k]))} B)`,
		);
}
