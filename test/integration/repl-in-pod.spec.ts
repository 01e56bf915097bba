import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import type { ServiceBroker } from "moleculer";
import { NATS_URL, seesService, standaloneEnv, testBroker, testNamespace } from "../helpers";

const ROOT = resolve(__dirname, "../..");
const BIN = resolve(ROOT, "bin/orchestrator.js");
/** The pod's Prometheus port, in the range this suite's own listeners use. */
const POD_METRICS_PORT = "47411";

/**
 * `kubectl exec <pod> -- node bin/orchestrator.js repl`: the REPL inherits the pod's environment, its METRICS_PORT (bound
 * by the pod's node: the REPL exited) and NODE_ID (the pod's name: the pod's node saw a nodeID conflict and stopped).
 * The REPL takes neither (audit D4). Both nodes are real processes; the REPL runs in a pseudo-terminal (util-linux `script`).
 */
describe("orchestrator repl run with a cluster node's environment (kubectl exec)", function () {
	this.timeout(90_000);
	const namespace = testNamespace();
	const podId = `${namespace}-pipeline-7d9f`;
	const podEnv = standaloneEnv({ TRANSPORTER: NATS_URL, NAMESPACE: namespace, NODE_ID: podId, METRICS_PORT: POD_METRICS_PORT, SERVICES: "intent" });
	let pod: ChildProcess;
	let repl: ChildProcess | undefined;
	let observer: ServiceBroker;
	let podLog = "";

	before(async () => {
		pod = spawn(process.execPath, [BIN, "start"], { cwd: ROOT, env: podEnv });
		pod.stdout!.on("data", (c: Buffer) => (podLog += c));
		pod.stderr!.on("data", (c: Buffer) => (podLog += c));
		observer = testBroker({ services: [], env: { TRANSPORTER: NATS_URL, NAMESPACE: namespace, NODE_ID: `${namespace}-observer` } });
		await observer.start();
		await seesService(observer, "intent", podId);
	});
	after(async () => {
		for (const p of [repl, pod]) if (p && p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
		await observer.stop();
	});

	it("joins the cluster on a node id of its own, without the Prometheus port, and the pod's node keeps running", async () => {
		let out = "";
		repl = spawn("script", ["-qfec", `${process.execPath} ${BIN} repl`, "/dev/null"], { cwd: ROOT, env: { ...podEnv, SERVICES: "", TERM: "dumb" } });
		repl.stdout!.on("data", (c: Buffer) => (out += c));
		repl.stderr!.on("data", (c: Buffer) => (out += c));
		const replNode = new Promise<string>((resolveNode, reject) => {
			repl!.once("exit", code => reject(new Error(`the REPL exited (${code}):\n${out}`)));
			const check = () => {
				const node = (observer.registry.nodes.list({ onlyAvailable: true, withServices: false }) as { id: string }[]).find(n =>
					n.id.startsWith("repl-"),
				);
				if (node) resolveNode(node.id);
			};
			observer.localBus.on("$node.connected", check);
			check();
		});
		const id = await replNode;
		assert.match(id, /^repl-.+-\d+$/);
		// The pod's node saw no conflict: still running, still serving.
		assert.equal(pod.exitCode, null, podLog);
		assert.ok(observer.registry.nodes.get(podId)?.available, `${podId} still in the cluster\n${podLog}`);
		assert.doesNotMatch(podLog, /nodeID conflict/);
		assert.equal(
			await observer.call("intent.classify", { request: "find all usages of getUserById in src/" }).then(r => (r as { intent: string }).intent),
			"SEARCH",
		);
		const exited = once(repl, "exit");
		repl.stdin!.write("quit\r");
		await exited;
	});
});
