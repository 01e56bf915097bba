import assert from "node:assert/strict";
import { Loggers, type ServiceBroker } from "moleculer";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { loadConfig, PROJECT_ROOT } from "../../lib/config";
import { createBroker } from "../../lib/runner";
import { NATS_URL, standaloneEnv, testBroker, testNamespace } from "../helpers";

/** Every warning a broker logs, kept to be searched. */
class Warnings extends Loggers.Base {
	readonly lines: string[] = [];
	getLogHandler() {
		return (type: string, args: unknown[]) => {
			if (type === "warn") this.lines.push(args.map(String).join(" "));
		};
	}
}

/**
 * Nodes of one cluster with different config.yaml files disagree without a word (a pipeline without the gateway's
 * auth.keys enforced no budget). Each node announces its config's digest; a node seeing a peer with another one says so.
 */
describe("nodes with different config.yaml files over NATS", function () {
	this.timeout(30_000);
	const namespace = testNamespace();
	const shipped = loadConfig();
	const warnings = new Warnings();
	let nodes: ServiceBroker[] = [];
	after(() => Promise.all(nodes.map(n => n.stop())));

	it("a node names the peer whose config differs; peers with the same one stay quiet", async () => {
		const env = { TRANSPORTER: NATS_URL, NAMESPACE: namespace };
		const other = { ...shipped, limits: { ...shipped.limits, max_request_chars: shipped.limits.max_request_chars - 1 } };
		nodes = [
			testBroker({ services: ["intent"], env: { ...env, NODE_ID: `${namespace}-a` }, broker: { logger: warnings, logLevel: "warn" } }),
			testBroker({ services: ["complexity"], env: { ...env, NODE_ID: `${namespace}-same` } }),
			testBroker({ services: ["router"], env: { ...env, NODE_ID: `${namespace}-other` }, config: other }),
		];
		await Promise.all(nodes.map(n => n.start()));
		await nodes[0].waitForServices(["complexity", "router"], 20_000);
		const deadline = Date.now() + 10_000;
		while (!warnings.lines.some(l => l.includes(`${namespace}-other`)) && Date.now() < deadline) await new Promise(r => setTimeout(r, 100));
		const about = warnings.lines.filter(l => /runs another config\.yaml/.test(l));
		assert.equal(about.length, 1, about.join("\n"));
		assert.match(about[0], new RegExp(`node ${namespace}-other runs another config\\.yaml`));
		assert.ok(!about.some(l => l.includes(`${namespace}-same`)));
	});

	it("stays quiet for nodes reading the same file with different variables (WORKSPACE_DIR on the MCP pods only, as k8s/ does)", async () => {
		const quiet = new Warnings();
		const ns = testNamespace();
		const env = { TRANSPORTER: NATS_URL, NAMESPACE: ns, CONFIG: resolve(PROJECT_ROOT, "k8s/config.yaml") };
		// Built from the file, as a pod builds it (testBroker hands the runner a config object).
		const node = createBroker({
			services: ["intent"],
			env: standaloneEnv({ ...env, NODE_ID: `${ns}-pipeline`, WORKSPACE_DIR: "" }),
			broker: { logger: quiet, logLevel: "warn" },
		});
		nodes.push(node);
		await node.start();
		// The other node a process of its own, as a pod is: its config is read and filled in from its own environment.
		const child = spawn(process.execPath, [resolve(PROJECT_ROOT, "bin/orchestrator.js"), "start"], {
			env: { ...process.env, ...env, NODE_ID: `${ns}-mcp`, WORKSPACE_DIR: "/workspace", SERVICES: "complexity", METRICS_PORT: "off", LOGLEVEL: "warn" },
			stdio: "ignore",
		});
		try {
			await node.waitForServices([{ name: "complexity", nodeID: `${ns}-mcp` } as never], 30_000);
			await new Promise(r => setTimeout(r, 500));
			assert.deepEqual(
				quiet.lines.filter(l => /runs another config\.yaml/.test(l)),
				[],
			);
		} finally {
			child.kill("SIGTERM");
			await once(child, "exit");
		}
	});
});
