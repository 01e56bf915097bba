import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import type { ServiceBroker } from "moleculer";
import { startNats, stopChild } from "../fixtures/servers";
import { freePort, testBroker, testNamespace } from "../helpers";

/** GET a path of the metrics port: its status and JSON (or text) body. */
async function get(port: number, path: string): Promise<{ status: number; body: any }> {
	const res = await fetch(`http://127.0.0.1:${port}${path}`);
	const text = await res.text();
	return { status: res.status, body: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
}

/** Polls until `check` holds (or fails after `ms`). */
async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
	const deadline = Date.now() + ms;
	while (!(await check())) {
		if (Date.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
		await sleep(100);
	}
}

/**
 * A pipeline, provider or MCP node has no gateway HTTP server: its probes look at the Prometheus port. That port listens
 * before the transporter connects and while NATS is unreachable, so a TCP probe passed a node that never joined the
 * cluster. /ready says whether the node is in the cluster; /live that the process serves.
 */
describe("a node's /ready and /live on its metrics port, through a NATS outage", function () {
	this.timeout(60_000);
	let nats: ChildProcess | undefined;
	let broker: ServiceBroker | undefined;
	let metricsPort: number;
	let natsPort: number;
	let starting: Promise<void> | undefined;

	before(async () => {
		natsPort = await freePort();
		metricsPort = await freePort();
		// Nothing listens on the NATS port yet: the node keeps trying to connect.
		broker = testBroker({
			services: ["intent"],
			env: { TRANSPORTER: `nats://127.0.0.1:${natsPort}`, NAMESPACE: testNamespace(), METRICS_PORT: String(metricsPort), HOST: "127.0.0.1" },
		});
		starting = broker.start();
	});
	after(async () => {
		await starting?.catch(() => undefined);
		await broker?.stop();
		await stopChild(nats);
	});

	it("is live but not ready while it cannot reach NATS; ready once it joined; not ready while NATS is down again", async () => {
		await until(async () => (await get(metricsPort, "/live").catch(() => ({ status: 0 }))).status === 200, 10_000, "/live answers");
		const waiting = await get(metricsPort, "/ready");
		assert.equal(waiting.status, 503);
		assert.equal(waiting.body.status, "not_ready");
		assert.match(waiting.body.reason, /has not started|not connected/);
		assert.equal((await get(metricsPort, "/metrics")).status, 200, "Prometheus is still served");

		nats = await startNats(natsPort);
		await starting;
		await until(async () => (await get(metricsPort, "/ready")).status === 200, 15_000, "/ready once the node joined");
		assert.equal((await get(metricsPort, "/ready")).body.node, broker!.nodeID);

		await stopChild(nats);
		await until(async () => (await get(metricsPort, "/ready")).status === 503, 15_000, "/ready falls while NATS is down");
		assert.match((await get(metricsPort, "/ready")).body.reason, /unreachable|not connected/);
		assert.equal((await get(metricsPort, "/live")).status, 200, "the process itself is fine: no restart asked");

		nats = await startNats(natsPort);
		await until(async () => (await get(metricsPort, "/ready")).status === 200, 20_000, "/ready again once NATS is back");
	});
});
