import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import type { ServiceBroker } from "moleculer";
import OpenAI from "openai";
import { fakeOpenAI } from "../fakes/openai";
import type { FakeVendor } from "../fakes/vendor";
import { stopChild } from "../fixtures/servers";
import { streamQuestion } from "../fixtures/streams";
import { providerEnvFor } from "../fixtures/vendors";
import { freePort, NATS_URL, seesService, testBroker, testNamespace } from "../helpers";

const PIPELINE = ["orchestrator", "intent", "complexity", "router", "prompt", "models"];
const answer = (n: number) => Array.from({ length: n }, (_, i) => `w${i} `).join("");

/**
 * A /v1 stream whose pipeline node (the models walk relaying the provider's stream to the gateway, a node of its own in
 * k8s/) stops while content flows: a pipeline rollout cut every answer being streamed. Stopped gracefully, the node relays
 * the answer to its end within its shutdown wait; a stream still running when that wait is over ends with an error event.
 * Killed, the gateway ends the client's stream with an error once the node is seen gone (it hung before).
 */
describe("/v1 stream whose pipeline node stops mid-answer, over NATS", function () {
	this.timeout(60_000);
	const namespace = testNamespace();
	// Heartbeats scaled down (as in faults.spec.ts): a node killed without a goodbye is seen gone within 2-4 s.
	const cluster = { TRANSPORTER: NATS_URL, NAMESPACE: namespace, HEARTBEAT_INTERVAL_S: "1", HEARTBEAT_TIMEOUT_S: "2" };
	let vendor: FakeVendor;
	let gateway: ServiceBroker;
	let provider: ServiceBroker;
	let openai: OpenAI;
	let n = 0;

	before(async () => {
		vendor = await fakeOpenAI();
		const port = await freePort();
		gateway = testBroker({
			services: ["gateway"],
			env: { ...cluster, ...providerEnvFor({}), NODE_ID: `${namespace}-gw`, PORT: String(port), HOST: "127.0.0.1" },
		});
		provider = testBroker({ services: ["llm-openai"], env: { ...cluster, ...providerEnvFor({ openai: vendor }), NODE_ID: `${namespace}-llm` } });
		await Promise.all([gateway.start(), provider.start()]);
		openai = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "unused", maxRetries: 0, timeout: 50_000 });
	});
	after(async () => {
		await Promise.all([gateway.stop(), provider.stop()]);
		await vendor.stop();
	});

	/** A pipeline node; resolves once the gateway sees its models service and it sees the provider. */
	async function pipelineNode(env: Record<string, string> = {}) {
		const nodeID = `${namespace}-pipe${++n}`;
		const broker = testBroker({ services: PIPELINE, env: { ...cluster, ...providerEnvFor({}), NODE_ID: nodeID, ...env } });
		await broker.start();
		await Promise.all([seesService(gateway, "models", nodeID), broker.waitForServices(["llm-openai"], 20_000)]);
		return broker;
	}

	const stream = () => streamQuestion(openai, "count");

	it("stopped gracefully, relays the whole answer to its normal end", async () => {
		vendor.always({ kind: "ok", text: answer(16), eventDelayMs: 200 });
		const pipeline = await pipelineNode();
		const s = stream();
		await s.content;
		const stopAt = Date.now();
		const stopped = pipeline.stop();
		const read = await s.done;
		assert.equal(read.error, undefined, `the stream ended with ${read.error?.message}`);
		assert.equal(read.text, answer(16), "every word of the answer");
		assert.equal(read.finish, "stop");
		await stopped;
		assert.ok(Date.now() - stopAt >= 1_500, "the node stayed until its stream had ended");
		assert.equal(vendor.streamsCut, 0, "the vendor's stream was read to its end");
	});

	it("a stream outlasting SHUTDOWN_TIMEOUT_MS ends with an error event at about that bound, not a hang or a clean end", async () => {
		vendor.always({ kind: "ok", text: answer(100), eventDelayMs: 200 });
		const pipeline = await pipelineNode({ SHUTDOWN_TIMEOUT_MS: "2000" });
		const s = stream();
		await s.content;
		const stopAt = Date.now();
		const stopped = pipeline.stop();
		const read = await s.done;
		assert.ok(read.error, `the stream ended without an error after ${read.text.length} characters`);
		assert.match(read.error.message, /shutting down .*SHUTDOWN_TIMEOUT_MS/);
		assert.notEqual(read.text, answer(100));
		assert.ok(read.endedAt - stopAt < 2_000 + 4_000, `ended ${read.endedAt - stopAt} ms after the stop`);
		await stopped;
	});

	it("killed without a goodbye, ends the client's stream with an error soon", async () => {
		vendor.always({ kind: "ok", text: answer(60), eventDelayMs: 200 });
		const nodeID = `${namespace}-killed`;
		// A process of its own, so that it can die as a crashed one does (SIGKILL: no goodbye on the bus).
		const child = spawn(process.execPath, [resolve(__dirname, "../../bin/orchestrator.js"), "start"], {
			env: {
				...(process.env as Record<string, string>),
				...cluster,
				...providerEnvFor({}),
				NODE_ID: nodeID,
				SERVICES: PIPELINE.join(","),
				CACHER: "",
				METRICS_PORT: "off",
				LOGLEVEL: "error",
			},
			stdio: "ignore",
		});
		try {
			await seesService(gateway, "models", nodeID);
			const s = stream();
			await s.content;
			const killedAt = Date.now();
			await stopChild(child, "SIGKILL");
			const read = await s.done;
			// Seen gone after 1-2 x HEARTBEAT_TIMEOUT_S (2 s).
			assert.ok(read.endedAt - killedAt < 8_000, `the stream was still open ${read.endedAt - killedAt} ms after the node died`);
			assert.ok(read.text.length > 0 && read.text.length < answer(60).length, "content came, then the stream broke off");
			assert.match(String(read.error?.message), /the node relaying the answer .* left in the middle of it/);
		} finally {
			await stopChild(child, "SIGKILL");
		}
	});
});
