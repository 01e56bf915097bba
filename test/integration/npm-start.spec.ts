import { strict as assert } from "node:assert";
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { freePort } from "../helpers";

/** Processes whose parent is `pid` (the MCP server children of a node). */
function childrenOf(pid: number): number[] {
	try {
		return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
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

/** What a user does: `npm start`, then stops it (a process manager's SIGTERM, or kill on npm's pid). */
describe("npm start under SIGTERM", function () {
	this.timeout(60_000);

	it("stops the orchestrator and its MCP server children, not only npm", async () => {
		const port = await freePort();
		const env = { ...process.env, PORT: String(port), HOST: "127.0.0.1", METRICS_PORT: "off", LOGLEVEL: "info", TRANSPORTER: "", CACHER: "", SERVICES: "", NODE_ID: "" };
		const npm = spawn("npm", ["start", "--silent"], { env, stdio: ["ignore", "pipe", "pipe"] });
		const exited = once(npm, "exit");
		let nodePid = 0;
		try {
			await new Promise<void>((resolve, reject) => {
				let log = "";
				npm.stdout.on("data", (chunk: Buffer) => {
					log += chunk;
					if (/ServiceBroker with \d+ service\(s\) started/.test(log)) resolve();
				});
				void exited.then(() => reject(new Error(`npm start exited early:\n${log}`)));
			});
			// /health names the node hostname-pid: the pid of the orchestrator process itself.
			const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { nodeID: string };
			nodePid = Number(/-(\d+)$/.exec(health.nodeID)?.[1]);
			assert.ok(nodePid, health.nodeID);
			const children = childrenOf(nodePid);
			assert.ok(children.length > 0, "the default MCP servers run as children");
			npm.kill("SIGTERM");
			await exited;
			assert.equal(alive(nodePid), false, "the orchestrator got the signal and stopped before npm exited");
			assert.deepEqual(children.filter(alive), [], "no MCP server child is left behind");
		} finally {
			if (nodePid && alive(nodePid)) process.kill(nodePid, "SIGKILL");
		}
	});
});
