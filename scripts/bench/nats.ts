import { execFileSync, type ChildProcess } from "node:child_process";
import { freePort } from "../../test/helpers";
import { startNats, stopChild } from "../../test/fixtures/servers";

export interface BenchNats {
	url: string;
	/** The server's pid when this machine runs it and it can be found (its CPU and sleeps are read from /proc). */
	pid: number | undefined;
	/** Which NATS, for the bench's output. */
	label: string;
	/** Not the bench's own: other clients' traffic may be in its CPU and its latencies. */
	shared: boolean;
	stop(): Promise<void>;
}

/** The pid of the nats-server listening on a URL's port on this machine, if any. */
function serverPid(url: string): number | undefined {
	try {
		const port = new URL(url).port || "4222";
		const out = execFileSync("pgrep", ["-f", `nats-server.*${port}`], { encoding: "utf8" })
			.trim()
			.split("\n")[0];
		return out ? Number(out) : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The NATS a bench's splits run on. BENCH_NATS_URL when set (e.g. the machine's shared nats://127.0.0.1:4222); otherwise a
 * nats-server of the bench's own on a spare port, run as k8s/infra.yaml and compose.yaml run theirs: GOMAXPROCS=1 (the
 * Go runtime woke about twice as often per message with one thread per core, README "Gateway overhead"), no JetStream, no
 * other session's traffic. Without a nats-server binary, nats://127.0.0.1:4222.
 */
export async function benchNats(): Promise<BenchNats> {
	const given = process.env.BENCH_NATS_URL?.trim();
	if (given) return { url: given, pid: serverPid(given), label: `BENCH_NATS_URL ${given}`, shared: true, stop: async () => {} };
	const port = await freePort();
	let child: ChildProcess;
	try {
		child = await startNats(port, { ...process.env, GOMAXPROCS: "1" });
	} catch {
		const url = "nats://127.0.0.1:4222";
		return { url, pid: serverPid(url), label: `${url} (no nats-server binary to start one)`, shared: true, stop: async () => {} };
	}
	let version = "";
	try {
		version = execFileSync("nats-server", ["--version"], { encoding: "utf8" })
			.trim()
			.replace(/^nats-server:\s*/, "nats-server ");
	} catch {
		// the label goes without it
	}
	return {
		url: `nats://127.0.0.1:${port}`,
		pid: child.pid,
		label: `the bench's own ${version || "nats-server"} on port ${port}, GOMAXPROCS=1`,
		shared: false,
		stop: () => stopChild(child),
	};
}
