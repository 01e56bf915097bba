import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import type { ServiceBroker } from "moleculer";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { fakeAnthropic } from "../fakes/anthropic";
import { fakeOpenAI } from "../fakes/openai";
import type { FakeVendor } from "../fakes/vendor";
import { stopChild } from "../fixtures/servers";
import { streamQuestion } from "../fixtures/streams";
import { providerEnvFor } from "../fixtures/vendors";
import { freePort, NATS_URL, seesService, seesServiceGone, testBroker, testNamespace } from "../helpers";

/** Heartbeats scaled down (as in faults.spec.ts): a node killed without a goodbye is seen gone within 2-4 s. */
const HEARTBEATS = { HEARTBEAT_INTERVAL_S: "1", HEARTBEAT_TIMEOUT_S: "2" };
/** An answer of `n` words, sent one event every `everyMs` by the fake vendor: a model generating. */
const answer = (n: number) => Array.from({ length: n }, (_, i) => `w${i} `).join("");

/**
 * A /v1 stream whose provider node stops while content flows. Stopped gracefully (a rollout's SIGTERM): the node stops
 * taking calls, relays the answer to its end within its shutdown wait (tracking.shutdownTimeout, SHUTDOWN_TIMEOUT_MS),
 * and ends a stream still running then with an error event. Killed (no goodbye): the gateway ends the stream with an
 * error once the node is seen gone.
 */
describe("/v1 stream whose provider node stops mid-answer, over NATS", function () {
	this.timeout(90_000);
	const namespace = testNamespace();
	const cluster = { TRANSPORTER: NATS_URL, NAMESPACE: namespace, ...HEARTBEATS };
	const vendors: FakeVendor[] = [];
	const nodes: ServiceBroker[] = [];
	const children: ChildProcess[] = [];
	let gateway: ServiceBroker;
	let base: string;
	let openai: OpenAI;
	let n = 0;

	/** A node of its own hosting one provider service against `vendor`; resolves once the gateway sees it. */
	async function providerNode(service: "llm-openai" | "llm-anthropic", vendor: FakeVendor, env: Record<string, string> = {}) {
		const nodeID = `${namespace}-p${++n}`;
		const fakes = service === "llm-openai" ? { openai: vendor } : { anthropic: vendor };
		const broker = testBroker({ services: [service], env: { ...cluster, ...providerEnvFor(fakes), NODE_ID: nodeID, ...env } });
		nodes.push(broker);
		await broker.start();
		await seesService(gateway, service, nodeID);
		return { broker, nodeID };
	}

	async function openaiVendor(words: number, everyMs: number) {
		const v = await fakeOpenAI();
		vendors.push(v);
		return v.always({ kind: "ok", text: answer(words), eventDelayMs: everyMs });
	}

	const stream = (question: string) => streamQuestion(openai, question);

	before(async () => {
		const port = await freePort();
		base = `http://127.0.0.1:${port}`;
		gateway = testBroker({
			services: ["gateway", "orchestrator", "intent", "complexity", "router", "prompt", "models"],
			env: { ...cluster, ...providerEnvFor({}), NODE_ID: `${namespace}-gw`, PORT: String(port), HOST: "127.0.0.1" },
		});
		await gateway.start();
		openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: "unused", maxRetries: 0, timeout: 60_000 });
	});
	afterEach(async () => {
		// The nodes a test left running (a stopped one is stopped once).
		await Promise.all(
			nodes
				.splice(0)
				.filter(b => b.started)
				.map(b => b.stop()),
		);
		for (const c of children.splice(0)) await stopChild(c, "SIGKILL");
	});
	after(async () => {
		await gateway.stop();
		await Promise.all(vendors.map(v => v.stop()));
	});

	it("stopped gracefully, relays the whole answer to its normal end; a request sent meanwhile goes to the other node", async () => {
		const [a, b] = [await openaiVendor(20, 250), await openaiVendor(20, 250)];
		const [p1, p2] = [await providerNode("llm-openai", a), await providerNode("llm-openai", b)];
		const taken = Promise.race([a.nextCompletion().then(() => 0), b.nextCompletion().then(() => 1)]);
		const first = stream("first question");
		const which = await taken;
		const stopping = which === 0 ? p1 : p2;
		const [stoppingVendor, otherVendor] = which === 0 ? [a, b] : [b, a];
		await first.content;
		const stopAt = Date.now();
		const stopped = stopping.broker.stop();
		// The stopping node no longer advertises its service: the gateway sends it nothing new.
		await seesServiceGone(gateway, "llm-openai", stopping.nodeID);
		const second = stream("second question, asked during the drain");
		const [one, two] = await Promise.all([first.done, second.done]);
		assert.equal(one.error, undefined, `the first stream ended with ${one.error?.message}`);
		assert.equal(one.text, answer(20), "every word of the first answer");
		assert.equal(one.finish, "stop");
		assert.equal(two.error, undefined, `the second stream ended with ${two.error?.message}`);
		assert.equal(two.text, answer(20));
		assert.equal(stoppingVendor.completions.length, 1, "the stopping node took no new call");
		assert.equal(otherVendor.completions.length, 1, "the other node took the new one");
		await stopped;
		assert.ok(Date.now() - stopAt >= 2_000, "the node stayed until its stream had ended");
		assert.equal(stoppingVendor.streamsCut, 0, "the vendor's stream was read to its end");
	});

	it("stopped gracefully with no other node, answers its stream in full; a request sent meanwhile gets the walk's error at once", async () => {
		const v = await openaiVendor(20, 250);
		const p = await providerNode("llm-openai", v);
		const first = stream("a question for the only node");
		await first.content;
		const stopped = p.broker.stop();
		await seesServiceGone(gateway, "llm-openai", p.nodeID);
		const askedAt = Date.now();
		const refused = await openai.chat.completions
			.create({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "asked while the only node drains" }] })
			.then(
				() => undefined,
				(e: Error) => e,
			);
		assert.ok(refused instanceof OpenAI.APIError && refused.status === 503, `the walk's 503 (no live provider), not ${refused}`);
		assert.ok(Date.now() - askedAt < 5_000, `answered in ${Date.now() - askedAt} ms`);
		const one = await first.done;
		assert.ok(one.endedAt > askedAt, "the first stream still ran when the new request was refused");
		assert.equal(one.error, undefined, `the stream ended with ${one.error?.message}`);
		assert.equal(one.text, answer(20));
		assert.equal(one.finish, "stop");
		assert.equal(v.completions.length, 1, "the draining node took no new call");
		await stopped;
	});

	it("ends a stream still running at the end of the shutdown wait with an error event, on time", async () => {
		const waitMs = 3_000;
		const v = await openaiVendor(40, 300);
		const p = await providerNode("llm-openai", v, { SHUTDOWN_TIMEOUT_MS: String(waitMs) });
		const first = stream("a long answer");
		await first.content;
		const stopAt = Date.now();
		const stopped = p.broker.stop();
		const one = await first.done;
		assert.ok(one.endedAt - stopAt < waitMs + 3_000, `ended ${one.endedAt - stopAt} ms after the stop`);
		assert.ok(one.endedAt - stopAt >= waitMs - 500, `ended ${one.endedAt - stopAt} ms after the stop, before the wait was over`);
		assert.ok(one.error instanceof OpenAI.APIError, `an error event, not ${one.error}`);
		assert.match(one.error.message, /shutting down and had waited 3000 ms \(SHUTDOWN_TIMEOUT_MS\)/);
		assert.ok(one.text.length > 0 && one.text.length < answer(40).length, "content came, then the error: not a complete-looking answer");
		assert.notEqual(one.finish, "stop");
		await stopped;
		assert.equal(v.streamsCut, 1, "the vendor call was aborted");
	});

	it("killed without a goodbye, ends the client's stream with an error soon", async () => {
		const v = await openaiVendor(40, 300);
		const nodeID = `${namespace}-killed`;
		// A process of its own, so that it can die as a crashed one does (SIGKILL: no goodbye on the bus).
		const child = spawn(process.execPath, [resolve(__dirname, "../../bin/orchestrator.js"), "start"], {
			env: {
				...(process.env as Record<string, string>),
				...cluster,
				...providerEnvFor({ openai: v }),
				NODE_ID: nodeID,
				SERVICES: "llm-openai",
				CACHER: "",
				METRICS_PORT: "off",
				LOGLEVEL: "error",
			},
			stdio: "ignore",
		});
		children.push(child);
		await seesService(gateway, "llm-openai", nodeID);
		const first = stream("a question for a node about to crash");
		await first.content;
		const killedAt = Date.now();
		await stopChild(child, "SIGKILL");
		const one = await first.done;
		// Seen gone after 1-2 x HEARTBEAT_TIMEOUT_S (2 s).
		assert.ok(one.endedAt - killedAt < 8_000, `the stream was still open ${one.endedAt - killedAt} ms after the node died`);
		assert.ok(one.text.length > 0 && one.text.length < answer(40).length, "content came, then the stream broke off");
		assert.match(String(one.error?.message), /left in the middle of the answer|stream stopped/);
	});

	it("stopped gracefully, relays the whole answer to an Anthropic SDK stream too", async () => {
		const v = await fakeAnthropic();
		vendors.push(v);
		v.always({ kind: "ok", text: answer(20), eventDelayMs: 250 });
		const p = await providerNode("llm-anthropic", v);
		const client = new Anthropic({ baseURL: base, apiKey: "unused", maxRetries: 0 });
		const s = client.messages.stream({ model: "claude-haiku-4-5", max_tokens: 200, messages: [{ role: "user", content: "a question for Claude" }] });
		const stopping = new Promise<Promise<void>>(r => s.once("text", () => r(p.broker.stop())));
		const message = await s.finalMessage();
		const text = message.content.map(c => (c.type === "text" ? c.text : "")).join("");
		assert.equal(text, answer(20), "every word");
		assert.equal(message.stop_reason, "end_turn");
		await await stopping;
		assert.equal(v.streamsCut, 0);
	});
});
