import { strict as assert } from "node:assert";
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { freePort, standaloneEnv } from "../helpers";

/** Processes whose parent is `pid` (the MCP server children of a node). */
function childrenOf(pid: number): number[] {
	try {
		return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
			.split("\n")
			.filter(Boolean)
			.map(Number);
	} catch {
		return []; // pgrep exits 1 when nothing matches
	}
}

/** Running, not a zombie: an exited child whose parent is gone waits for init to reap it. */
function alive(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
		return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
	} catch {
		return false;
	}
}

/**
 * The processes still running after `ms` at most: an MCP server child closes its stdin, sees
 * EOF and exits a moment after the orchestrator has stopped (longer on a loaded machine).
 */
async function stillAliveAfter(pids: number[], ms: number): Promise<number[]> {
	const deadline = Date.now() + ms;
	while (pids.some(alive) && Date.now() < deadline) await new Promise(r => setTimeout(r, 100));
	return pids.filter(alive);
}

/**
 * What a user does: starts the orchestrator through npm, then stops it: a process manager's SIGTERM
 * or a `kill` on npm's pid, or Ctrl+C in a terminal (SIGINT to the whole foreground process group,
 * `group`). Returns the orchestrator's pid and its MCP server children as they were before the
 * signal, and whether the orchestrator was already gone when npm exited.
 */
async function startThenSignal(command: string, args: string[], signal: NodeJS.Signals, target: "npm" | "group" = "npm") {
	const port = await freePort();
	const env = standaloneEnv({ PORT: String(port), HOST: "127.0.0.1", LOGLEVEL: "info" });
	// A process group of its own, as a terminal gives each command line.
	const npm = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: target === "group" });
	const exited = once(npm, "exit");
	let nodePid = 0;
	try {
		await new Promise<void>((resolve, reject) => {
			let log = "";
			npm.stdout.on("data", (chunk: Buffer) => {
				log += chunk;
				if (/ServiceBroker with \d+ service\(s\) started/.test(log)) resolve();
			});
			void exited.then(() => reject(new Error(`${command} ${args.join(" ")} exited early:\n${log}`)));
		});
		// /health names the node hostname-pid: the pid of the orchestrator process itself.
		const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { nodeID: string };
		nodePid = Number(/-(\d+)$/.exec(health.nodeID)?.[1]);
		assert.ok(nodePid, health.nodeID);
		const children = childrenOf(nodePid);
		assert.ok(children.length > 0, "the default MCP servers run as children");
		if (target === "group") process.kill(-npm.pid!, signal);
		else npm.kill(signal);
		await exited;
		return { nodePid, children, stoppedWithNpm: !alive(nodePid) };
	} catch (err) {
		if (nodePid && alive(nodePid)) process.kill(nodePid, "SIGKILL");
		throw err;
	}
}

describe("npm start / npx orchestrator start under a signal", function () {
	this.timeout(90_000);
	const leftovers: number[] = [];
	after(() => leftovers.filter(alive).forEach(pid => process.kill(pid, "SIGKILL")));

	it("npm start + SIGTERM stops the orchestrator and its MCP server children, not only npm", async () => {
		const { nodePid, children, stoppedWithNpm } = await startThenSignal("npm", ["start", "--silent"], "SIGTERM");
		leftovers.push(nodePid, ...children);
		// npm runs `exec node ...`: the signal reaches the orchestrator, and npm exits after it.
		assert.equal(stoppedWithNpm, true, "the orchestrator got the signal and stopped before npm exited");
		assert.deepEqual(await stillAliveAfter(children, 10_000), [], "no MCP server child is left behind");
	});

	it("npx orchestrator start + SIGTERM to npx leaves no node process running", async () => {
		const { nodePid, children } = await startThenSignal("npx", ["--no-install", "orchestrator", "start"], "SIGTERM");
		leftovers.push(nodePid, ...children);
		// npx's `sh -c` dies without passing the signal on; the orchestrator follows its launcher within a second.
		assert.deepEqual(await stillAliveAfter([nodePid, ...children], 10_000), [], "neither the orchestrator nor an MCP server child is left");
	});

	it("npx orchestrator start + Ctrl+C (SIGINT to the process group) leaves no node process running", async () => {
		const { nodePid, children } = await startThenSignal("npx", ["--no-install", "orchestrator", "start"], "SIGINT", "group");
		leftovers.push(nodePid, ...children);
		assert.deepEqual(await stillAliveAfter([nodePid, ...children], 10_000), [], "neither the orchestrator nor an MCP server child is left");
	});
});
