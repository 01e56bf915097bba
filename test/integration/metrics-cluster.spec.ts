import { strict as assert } from "node:assert";
import type { ServiceBroker } from "moleculer";
import type { MetricsSummary } from "../../services/metrics/summary";
import { startVendors, type Vendors } from "../fixtures/vendors";
import { freePort, NATS_URL, seesService, testBroker, testNamespace } from "../helpers";
import { parsePrometheus, total } from "../prometheus";

const PIPELINE = ["intent", "complexity", "router", "prompt", "models", "orchestrator", "metrics"];
const PROVIDERS = ["llm-openai", "llm-anthropic", "llm-google"];

/** Two orchestrator replicas, each with its metrics service, and a provider node, over the real NATS. */
describe("get_metrics over a cluster of two orchestrator nodes", function () {
	this.timeout(60_000);
	const namespace = testNamespace();
	const env = { TRANSPORTER: NATS_URL, NAMESPACE: namespace };
	let vendors: Vendors;
	const ports: number[] = [];
	let a: ServiceBroker;
	let b: ServiceBroker;
	let p: ServiceBroker;
	const sent = { a: 0, b: 0 };
	// Records taken in by either node's metrics service (the event is balanced to one of them).
	let recorded = 0;
	const waiting: { n: number; resolve: () => void }[] = [];
	const watcher = {
		name: "record-watch",
		events: {
			"metrics.recorded"() {
				recorded++;
				for (const w of waiting.filter(x => recorded >= x.n)) w.resolve();
			},
		},
	};
	/** Resolves once n requests are recorded somewhere in the cluster. */
	const recordedAll = (n: number) => (recorded >= n ? Promise.resolve() : new Promise<void>(resolve => waiting.push({ n, resolve })));

	const orchestrate = async (broker: ServiceBroker, request: string, options: Record<string, unknown> = {}) => {
		sent[broker === a ? "a" : "b"]++;
		// The local orchestrator answers (preferLocal): a request sent to a node is run there.
		return broker.call("orchestrator.orchestrate", { request, options }, { nodeID: broker.nodeID }).catch((err: Error) => err);
	};

	before(async () => {
		ports.push(await freePort(), await freePort());
		a = testBroker({ services: PIPELINE, env: { ...env, NODE_ID: `${namespace}-a`, METRICS_PORT: String(ports[0]) } });
		b = testBroker({ services: PIPELINE, env: { ...env, NODE_ID: `${namespace}-b`, METRICS_PORT: String(ports[1]) } });
		vendors = await startVendors();
		a.createService(watcher);
		b.createService(watcher);
		p = testBroker({ services: ["llm-*"], env: { ...env, ...vendors.env, NODE_ID: `${namespace}-p` } });
		await Promise.all([a, b, p].map(x => x.start()));
		await Promise.all([a, b].map(x => x.waitForServices([...PIPELINE, ...PROVIDERS], 20_000)));
		// Each node must know the other's metrics service (waitForServices is satisfied by the local one).
		await Promise.all([seesService(a, "metrics", b.nodeID), seesService(b, "metrics", a.nodeID)]);

		for (let i = 0; i < 3; i++) await orchestrate(a, `explain idempotency keys, variant ${i}`, { dry_run: true });
		await orchestrate(a, "write a SQL query that lists duplicate emails");
		await orchestrate(b, "write a SQL query that lists duplicate emails");
		for (let i = 0; i < 4; i++) await orchestrate(b, `summarize the CAP theorem, take ${i}`);
		// orchestrate returns before its record crosses NATS to the metrics node that takes it.
		await recordedAll(sent.a + sent.b);
	});

	after(async () => {
		await Promise.all([a, b, p].map(x => x?.stop()));
		await vendors?.stop();
	});

	it("sums both nodes' requests, whichever node is asked", async () => {
		const total_sent = sent.a + sent.b;
		for (const node of [a, b]) {
			const m = await node.call<MetricsSummary, unknown>("metrics.get", { period: "5m" });
			assert.equal(m.requests.total, total_sent, `asked on ${node.nodeID}: ${JSON.stringify(m.nodes)}`);
			assert.equal(m.requests.by_status.dry_run, 3);
			assert.equal(m.requests.by_status.ok, total_sent - 3);
			assert.deepEqual(m.nodes.reporting.sort(), [a.nodeID, b.nodeID].sort());
			assert.deepEqual(m.nodes.missing, []);
			// The long windows add the nodes' per-minute rollups instead of their records.
			const day = await node.call<MetricsSummary, unknown>("metrics.get", { period: "1d" });
			assert.deepEqual(day.requests, m.requests);
		}
	});

	it("records each request once: the nodes' Prometheus counters add up to the requests sent", async () => {
		let sum = 0;
		for (const port of ports) {
			const scraped = parsePrometheus(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
			sum += total(scraped, "orchestrator_requests_total", { namespace });
		}
		assert.equal(sum, sent.a + sent.b);
	});

	it("shows a breaker opened on node a in node b's view", async () => {
		// A listener on b, called in the same pass as b's metrics service.
		const seen = new Promise<void>(resolve => {
			b.createService({ name: "breaker-watch", events: { "$circuit-breaker.opened": () => resolve() } });
		});
		await b.waitForServices("breaker-watch");
		// Gemini answers 503 (retried, counted by a's breaker for llm-google on p); the others answer.
		let open = false;
		void seen.then(() => (open = true));
		vendors.gemini.always({ kind: "error", status: 503, message: "overloaded" });
		for (let i = 0; i < 4 && !open; i++) {
			await orchestrate(a, "what is the capital of Australia", { preferred_models: ["gemini-2.5-flash-lite"], cache: false });
		}
		await seen;
		vendors.gemini.always({ kind: "ok" });
		const m = await b.call<MetricsSummary, unknown>("metrics.get", { period: "1m" });
		assert.deepEqual(
			m.open_circuits.map(c => [c.provider, c.action, c.node, c.state, c.seen_from]),
			[["google", "llm-google.complete", p.nodeID, "open", [a.nodeID]]],
		);
		const scraped = parsePrometheus(await (await fetch(`http://127.0.0.1:${ports[1]}/metrics`)).text());
		assert.equal(total(scraped, "orchestrator_circuit_state", { provider: "google" }), 1);
	});
});

/** A metrics node that crashes (no goodbye on the bus) while get_metrics waits for its answer. */
describe("get_metrics when a metrics node crashes", function () {
	this.timeout(30_000);
	const namespace = testNamespace();
	const env = { TRANSPORTER: NATS_URL, NAMESPACE: namespace };
	let a: ServiceBroker;
	let c: ServiceBroker;
	let recordedOnA = 0;

	before(async () => {
		// a notices the silent node within seconds (production: 15 s).
		a = testBroker({ services: PIPELINE, env: { ...env, NODE_ID: `${namespace}-a` }, broker: { heartbeatInterval: 1, heartbeatTimeout: 3 } });
		c = testBroker({ services: ["metrics"], env: { ...env, NODE_ID: `${namespace}-c` }, broker: { heartbeatInterval: 1, heartbeatTimeout: 3 } });
		a.createService({ name: "record-watch", events: { "metrics.recorded": () => void recordedOnA++ } });
		await Promise.all([a.start(), c.start()]);
		await a.waitForServices(PIPELINE, 20_000);
		await seesService(a, "metrics", c.nodeID);
		// Dry runs, recorded on a (balanced events prefer the local metrics service).
		for (let i = 0; i < 6; i++) await a.call("orchestrator.orchestrate", { request: `explain idempotency keys, variant ${i}`, options: { dry_run: true } });
		// c crashes: its NATS connection drops without the goodbye a clean stop sends, so a learns of it from missed heartbeats.
		await (c.transit as any).tx.disconnect();
	});

	after(async () => {
		await Promise.all([a, c].map(x => x?.stop().catch(() => undefined)));
	});

	it("reports the node missing and counts the others' requests once (a retry must not land on another node)", async () => {
		const m = await a.call<MetricsSummary, unknown>("metrics.get", { period: "5m" });
		assert.deepEqual(m.nodes.missing, [c.nodeID]);
		assert.deepEqual(m.nodes.reporting, [a.nodeID]);
		assert.ok(recordedOnA > 0);
		assert.equal(m.requests.total, recordedOnA);
	});
});
