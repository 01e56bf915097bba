import { readdirSync, readFileSync } from "node:fs";

/** The p-th percentile of an ascending list (nearest rank). */
export const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/** `n` requests one after another; their latencies in ms, ascending. */
export async function sequential(send: () => Promise<void>, n: number): Promise<number[]> {
	const out: number[] = [];
	for (let i = 0; i < n; i++) {
		const s = process.hrtime.bigint();
		await send();
		out.push(Number(process.hrtime.bigint() - s) / 1e6);
	}
	return out.sort((a, b) => a - b);
}

/** CPU time (user + system) a process has used so far, in ms: /proc/<pid>/stat utime + stime, in clock ticks of 10 ms; null when it is gone. */
export function cpuMs(pid?: number): number | null {
	if (!pid) return null;
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
		const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
		return (Number(fields[11]) + Number(fields[12])) * 10;
	} catch {
		return null;
	}
}

/**
 * Times each thread of a process has gone to sleep so far (voluntary context switches, /proc/<pid>/task/<tid>/status),
 * summed by thread name: every one is a wake-up later, which on a busy machine waits for a core. Unlike wall time, the
 * count per request is not moved by other load. Empty when the process is gone.
 */
export function sleepsByThread(pid?: number): Map<string, number> {
	const out = new Map<string, number>();
	if (!pid) return out;
	let tids: string[];
	try {
		tids = readdirSync(`/proc/${pid}/task`);
	} catch {
		return out;
	}
	for (const tid of tids) {
		try {
			const status = readFileSync(`/proc/${pid}/task/${tid}/status`, "utf8");
			const name = /^Name:\s*(.*)$/m.exec(status)?.[1] ?? tid;
			out.set(name, (out.get(name) ?? 0) + Number(/^voluntary_ctxt_switches:\s*(\d+)$/m.exec(status)?.[1] ?? 0));
		} catch {
			// a thread that ended meanwhile
		}
	}
	return out;
}
