import { strict as assert } from "node:assert";
import { resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import Redis from "ioredis";
import type { ServiceBroker } from "moleculer";
import { NATS_URL, REDIS_URL, testBroker, testNamespace } from "../helpers";

const STAGES = ["intent", "complexity", "router", "prompt", "models", "metrics", "orchestrator"];

/** Every pipeline stage on a broker of its own (own nodeID) over the real NATS server, with the real Redis cacher. */
describe("pipeline distributed over NATS with the Redis cacher", function () {
	this.timeout(60_000);
	const namespace = testNamespace();
	const env = { TRANSPORTER: NATS_URL, CACHER: REDIS_URL, NAMESPACE: namespace };
	const brokers: ServiceBroker[] = [];
	let client: ServiceBroker;

	before(async () => {
		for (const stage of STAGES) {
			brokers.push(testBroker({ services: [stage], env: { ...env, NODE_ID: `${namespace}-${stage}` } }));
		}
		client = testBroker({ services: [], env: { ...env, NODE_ID: `${namespace}-client` } });
		await Promise.all([...brokers, client].map(b => b.start()));
		await client.waitForServices(STAGES, 20_000);
	});
	after(async () => {
		await Promise.all([client, ...brokers].map(b => b.stop()));
	});

	it("hosts each stage on its own node", () => {
		const list = client.registry.getServiceList({ onlyAvailable: true, skipInternal: true, withActions: false }) as { name: string; nodeID: string }[];
		for (const stage of STAGES) {
			const nodes = list.filter(s => s.name === stage).map(s => s.nodeID);
			assert.deepEqual(nodes, [`${namespace}-${stage}`], stage);
		}
	});

	it("answers orchestrator.analyze across the cluster", async () => {
		const a = await client.call<any, unknown>("orchestrator.analyze", { request: "find all usages of getUserById in src/" });
		assert.equal(a.intent, "SEARCH");
		assert.ok(a.input_tokens > 0 && a.baseline_input_tokens > 0);
		assert.ok(a.model);
	});

	it("stores stage results in Redis and serves the repeat from it", async () => {
		const redis = new Redis(REDIS_URL);
		try {
			const request = `explain the retry policy ${namespace}`;
			const pattern = `MOL-${namespace}-intent.classify:*`;
			const before = (await redis.keys(pattern)).length;
			const first = await client.call("intent.classify", { request });
			assert.equal((await redis.keys(pattern)).length, before + 1, "the first call stores one entry");
			const intentNode = brokers[STAGES.indexOf("intent")];
			const found = () => (intentNode.metrics.getMetric("moleculer.cacher.found.total")?.get()?.value as number) ?? 0;
			const hitsBefore = found();
			const second = await client.call("intent.classify", { request });
			assert.deepEqual(second, first);
			assert.equal(found(), hitsBefore + 1, "the repeat is a cache hit in Redis");
			assert.equal((await redis.keys(pattern)).length, before + 1, "the repeat adds nothing");
		} finally {
			redis.disconnect();
		}
	});

	it("serves MCP over stdio from a gateway-only node that joined the cluster", async () => {
		const transport = new StdioClientTransport({
			command: process.execPath,
			args: [resolve(__dirname, "../../bin/orchestrator.js"), "mcp"],
			env: { ...(process.env as Record<string, string>), ...env, NODE_ID: `${namespace}-mcp`, LOGLEVEL: "warn", SERVICES: "" },
			stderr: "ignore",
		});
		const mcp = new Client({ name: "test", version: "1.0.0" });
		await mcp.connect(transport);
		try {
			// The stdio node hosts no pipeline service: the analysis must come from the stage nodes.
			const hosted = client.registry.getServiceList({ onlyAvailable: true, skipInternal: true, withActions: false }) as {
				name: string;
				nodeID: string;
			}[];
			assert.equal(hosted.filter(s => s.nodeID === `${namespace}-mcp`).length, 0);
			const res: any = await mcp.callTool({ name: "analyze_request", arguments: { request: "deploy the billing service to staging" } });
			assert.equal(res.isError, undefined);
			assert.equal(res.structuredContent.intent, "MANAGE");
		} finally {
			await mcp.close();
		}
	});
});
