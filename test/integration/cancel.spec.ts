import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { ServiceBroker } from "moleculer";
import McpClientMixin from "../../mixins/mcp-client.mixin";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { parse, stringify } from "yaml";
import { parseConfig, PROJECT_ROOT, type Config } from "../../lib/config";
import { createMcpServer } from "../../services/gateway/tools";
import { cancelCalls, cancels, cancelToken } from "../../lib/cancel";
import type { CallLedger } from "../../lib/call-ledger";
import { countMessageTokens } from "../../lib/tokens";
import type { SettleParams } from "../../lib/contracts/budget";
import { priceUsd } from "../../services/models/pricing";
import { fakeOpenAI } from "../fakes/openai";
import type { FakeVendor } from "../fakes/vendor";
import { providerEnvFor } from "../fixtures/vendors";
import { freePort, standaloneEnv, testBroker, testNamespace } from "../helpers";
import { startNats, stopChild } from "../fixtures/servers";

const BIN = resolve(__dirname, "../../bin/orchestrator.js");
const SECRET = "tk-cancel-test-secret-0123456789";
const MODEL = "gpt-4.1-mini";
/** Far longer than any test waits: a call still running holds its slot, reservation and ledger entry past the test. */
const VENDOR_TIMEOUT_MS = "25000";

/** Polls `check` until it holds, or fails naming `what` after `ms`. */
async function until(check: () => boolean | Promise<boolean>, what: string, ms = 5_000): Promise<void> {
	const end = Date.now() + ms;
	while (!(await check())) {
		if (Date.now() > end) assert.fail(`not within ${ms} ms: ${what}`);
		await new Promise(r => setTimeout(r, 20));
	}
}

/** config.yaml with one key, team-a, and a day's budget. */
const keyedConfig = (): Config =>
	parseConfig(
		`${readFileSync(`${PROJECT_ROOT}/config.yaml`, "utf8")}\nauth:\n  keys:\n    - { name: team-a, key: "${SECRET}", budget_usd_per_day: 100 }\n`,
		"config.yaml + auth",
		process.env,
	);

/** Every budget.settle the walk on `broker` makes (budgetedCall calls it through ctx.call, which is broker.call): what the budget recorded. */
function recordSettles(broker: ServiceBroker): SettleParams[] {
	const settles: SettleParams[] = [];
	const call = broker.call.bind(broker) as (name: string, params?: unknown, opts?: unknown) => Promise<unknown>;
	(broker as unknown as { call: typeof call }).call = (name, params, opts) => {
		if (name === "budget.settle") settles.push(params as SettleParams);
		return call(name, params, opts);
	};
	return settles;
}

/** The sum of a metric's series whose labels include `match` (the broker's registry, as /metrics shows it). */
const metricSum = (broker: ServiceBroker, name: string, match: Record<string, string>): number =>
	((broker.metrics.getMetric(name) as unknown as { snapshot(): unknown[] }).snapshot() as { labels: Record<string, unknown>; value: number }[])
		.filter(s => Object.entries(match).every(([k, v]) => s.labels[k] === v))
		.reduce((sum, s) => sum + s.value, 0);

/** An answer streamed slowly (a model generating): ~40 deltas, 100 ms apart. */
const SLOW_TEXT = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
const ASKED = [{ role: "user" as const, content: "Explain the difference between TCP and UDP" }];

/** The openai SDK reads a stream's first words, then leaves the loop, which aborts its request (a user pressing stop). */
async function leaveMidStream(openai: OpenAI): Promise<string> {
	const stream = await openai.chat.completions.create({ model: MODEL, messages: ASKED, stream: true });
	let read = "";
	for await (const chunk of stream) {
		read += chunk.choices[0]?.delta?.content ?? "";
		if (read.split(" ").length > 3) break;
	}
	return read;
}

/** Two nodes over a NATS of their own, the gateway's (`gw`, serving HTTP) and the provider's (`llm`), and the fake vendor. */
interface Split {
	nats: ChildProcess;
	vendor: FakeVendor;
	nodes: ServiceBroker[];
	base: string;
}

async function startSplit(gw: string[], llm: string[], config?: Config): Promise<Split> {
	const natsPort = await freePort();
	const nats = await startNats(natsPort);
	const vendor = await fakeOpenAI();
	const port = await freePort();
	const namespace = testNamespace();
	const common = { ...providerEnvFor({ openai: vendor }), TRANSPORTER: `nats://127.0.0.1:${natsPort}`, NAMESPACE: namespace, WORKSPACE_DIR: "" };
	const nodes = [
		testBroker({ services: gw, config, env: { ...common, NODE_ID: `${namespace}-gw`, PORT: String(port), HOST: "127.0.0.1" } }),
		testBroker({ services: llm, config, env: { ...common, NODE_ID: `${namespace}-llm`, LLM_TIMEOUT_MS: VENDOR_TIMEOUT_MS } }),
	];
	await Promise.all(nodes.map(n => n.start()));
	await nodes[0].waitForServices(["orchestrator", "models", "llm-openai"], 20_000);
	return { nats, vendor, nodes, base: `http://127.0.0.1:${port}` };
}

async function stopSplit(split: Split | undefined): Promise<void> {
	await Promise.all(split?.nodes.map(n => n.stop()) ?? []);
	await split?.vendor.stop();
	if (split) await stopChild(split.nats);
}

/**
 * A caller that gives up stops paying (lib/cancel.ts): the vendor call made for it is aborted (the fake vendor, which holds
 * its answer, sees the connection closed), the walk asks no other model, and nothing is left held: the bulkhead slot (one
 * per action here, so a held one would queue the next request until the vendor's 25 s timeout), the provider's call
 * ledger entry, the cancel registry's, and the budget reservation, settled to what was sent (the input, no output).
 */
describe("cancellation: a caller that gives up aborts its vendor call", function () {
	this.timeout(30_000);
	let vendor: FakeVendor;
	let broker: ServiceBroker;
	let base: string;
	const config = keyedConfig();
	let settles: SettleParams[] = [];

	before(async () => {
		vendor = await fakeOpenAI();
		const port = await freePort();
		base = `http://127.0.0.1:${port}`;
		broker = testBroker({
			services: ["gateway", "orchestrator", "intent", "complexity", "router", "prompt", "models", "metrics", "budget", "llm-openai"],
			config,
			env: {
				...providerEnvFor({ openai: vendor }),
				PORT: String(port),
				HOST: "127.0.0.1",
				WORKSPACE_DIR: "",
				LLM_TIMEOUT_MS: VENDOR_TIMEOUT_MS,
				BULKHEAD_CONCURRENCY: "1",
				BULKHEAD_IO_CONCURRENCY: "1",
			},
		});
		await broker.start();
		await broker.waitForServices(["orchestrator", "llm-openai", "budget"], 20_000);
		settles = recordSettles(broker);
	});
	after(async () => {
		await broker?.stop();
		await vendor?.stop();
	});
	beforeEach(() => {
		vendor.reset();
		vendor.heldAbandoned = 0;
	});

	const spent = async () =>
		(await broker.call<{ reserved_and_spent_usd: number }, unknown>("budget.spend", { key: "team-a" }, { meta: { key: { name: "team-a" } } }))
			.reserved_and_spent_usd;

	const counts = () => ({
		cancelled: metricSum(broker, "orchestrator_requests_total", { status: "cancelled", key: "team-a" }),
		error: metricSum(broker, "orchestrator_requests_total", { status: "error", key: "team-a" }),
		cost: metricSum(broker, "orchestrator_cost_usd_total", { model: MODEL, key: "team-a" }),
		input: metricSum(broker, "orchestrator_tokens_total", { model: MODEL, direction: "input" }),
		output: metricSum(broker, "orchestrator_tokens_total", { model: MODEL, direction: "output" }),
	});

	/** No call ledger or cancel entry is left, and the next call (one bulkhead slot) is answered at once. */
	async function nothingHeld(next: () => Promise<string>) {
		const provider = broker.getLocalService("llm-openai") as unknown as { ledger: CallLedger };
		await until(() => provider.ledger.size === 0 && cancels(broker).size === 0, "no call ledger or cancel entry left");
		vendor.always({ kind: "ok", text: "next answer" });
		const started = Date.now();
		assert.equal(await next(), "next answer");
		assert.ok(Date.now() - started < 3_000, `the next call waited ${Date.now() - started} ms for a slot`);
	}

	/**
	 * The vendor saw the call given up, nothing is held, and the next call (one bulkhead slot) is answered at once; the
	 * request is counted as cancelled (not as an error), its cost the input the budget settled to.
	 */
	async function leftNothing(before: number, sent: { role: string; content: string }[], next: () => Promise<string>, counted: ReturnType<typeof counts>) {
		await until(() => vendor.heldAbandoned === 1, "the vendor's held request closed by the gateway");
		assert.equal(vendor.completions.length, 1, "no other model or retry was asked");
		// Settled to the input the vendor was sent (counted as the walk counts it), no output: not the worst case held.
		const expected = (countMessageTokens(sent) * config.models[MODEL].input_per_mtok) / 1e6;
		await until(
			async () => Math.abs((await spent()) - before - expected) < 1e-8,
			`the reservation settled to ${expected} USD, not ${(await spent()) - before}`,
		);
		await until(() => counts().cancelled === counted.cancelled + 1, "the request counted with status=cancelled");
		const now = counts();
		assert.equal(now.error, counted.error, "the cancelled request was counted as an error");
		assert.ok(Math.abs(now.cost - counted.cost - expected) < 1e-6, `orchestrator_cost_usd_total rose ${now.cost - counted.cost}, the budget ${expected}`);
		assert.equal(now.input - counted.input, countMessageTokens(sent), "the input tokens sent were not counted");
		await nothingHeld(next);
	}

	/**
	 * A call cut short after content reached the client: the request is counted (`status`) at exactly what the budget
	 * settled to (the input sent and the output relayed before the cut), not at nothing, and the budget spent the same.
	 */
	async function countedAsSettled(
		at: { spent: number; settles: number; counted: ReturnType<typeof counts> },
		sent: { role: string; content: string }[],
		read: string,
		status: "cancelled" | "error",
	) {
		assert.ok(read && SLOW_TEXT.startsWith(read) && read.length < SLOW_TEXT.length, `the client read ${JSON.stringify(read)}`);
		await until(() => settles.length === at.settles + 1, "the budget settled the call");
		const settled = settles[at.settles];
		assert.equal(settled.model, MODEL);
		assert.equal(settled.input_tokens, countMessageTokens(sent), "settled to another input than the one sent");
		assert.ok(settled.output_tokens > 0, "the output relayed before the cut was not settled");
		const other = status === "cancelled" ? "error" : "cancelled";
		await until(() => counts()[status] === at.counted[status] + 1, `the request counted with status=${status}`);
		const now = counts();
		assert.equal(now[other], at.counted[other], `the request was counted as ${other}`);
		assert.equal(now.input - at.counted.input, settled.input_tokens, "input tokens counted differ from the budget's");
		assert.equal(now.output - at.counted.output, settled.output_tokens, "output tokens counted differ from the budget's");
		const cost = now.cost - at.counted.cost;
		const price = priceUsd(config.models[MODEL], settled.input_tokens, settled.output_tokens);
		assert.ok(Math.abs(cost - price) < 1e-12, `orchestrator_cost_usd_total rose ${cost}, the settled usage costs ${price}`);
		// The budget counts nano-dollars, the record micro-dollars (priceUsd).
		const budget = (await spent()) - at.spent;
		assert.ok(budget > 0 && Math.abs(cost - budget) < 1e-6, `orchestrator_cost_usd_total rose ${cost}, the budget ${budget}`);
	}

	/** A stream whose client left mid-answer: the vendor's stream was cut, no other model asked, counted as cancelled. */
	async function chargedAsSettled(
		at: { spent: number; settles: number; cut: number; counted: ReturnType<typeof counts> },
		sent: { role: string; content: string }[],
		read: string,
		next: () => Promise<string>,
	) {
		await until(() => vendor.streamsCut === at.cut + 1, "the vendor's stream cut when the client left");
		assert.equal(vendor.completions.length, 1, "no other model or retry was asked");
		await countedAsSettled(at, sent, read, "cancelled");
		await nothingHeld(next);
	}

	it("/v1/chat/completions (not streamed): the openai SDK's aborted request aborts the vendor call", async () => {
		const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: SECRET, maxRetries: 0 });
		const before = await spent();
		const counted = counts();
		vendor.always({ kind: "hang" });
		const messages = [{ role: "user" as const, content: "Explain the difference between TCP and UDP" }];
		const arrived = vendor.nextCompletion();
		const gaveUp = new AbortController();
		const call = openai.chat.completions.create({ model: MODEL, messages }, { signal: gaveUp.signal });
		const got = await arrived;
		gaveUp.abort();
		await assert.rejects(call, (e: unknown) => e instanceof OpenAI.APIUserAbortError);
		assert.deepEqual(
			got.body.messages.map((m: { role: string; content: string }) => ({ role: m.role, content: m.content })),
			messages,
		);
		await leftNothing(
			before,
			messages,
			async () => (await openai.chat.completions.create({ model: MODEL, messages })).choices[0].message.content ?? "",
			counted,
		);
	});

	it("/v1/chat/completions streamed: the openai SDK leaving mid-stream is counted at the usage the budget settled to", async () => {
		const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: SECRET, maxRetries: 0 });
		const at = { spent: await spent(), settles: settles.length, cut: vendor.streamsCut, counted: counts() };
		vendor.always({ kind: "ok", text: SLOW_TEXT, eventDelayMs: 100 });
		const read = await leaveMidStream(openai);
		await chargedAsSettled(
			at,
			ASKED,
			read,
			async () => (await openai.chat.completions.create({ model: MODEL, messages: ASKED })).choices[0].message.content ?? "",
		);
	});

	it("a stream its vendor cuts mid-answer (an error, not a cancel) is counted at the usage the budget settled to", async () => {
		const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: SECRET, maxRetries: 0 });
		const at = { spent: await spent(), settles: settles.length, counted: counts() };
		vendor.always({ kind: "ok", text: SLOW_TEXT, eventDelayMs: 5, dropAfterEvents: 6 });
		let read = "";
		let failed: unknown;
		try {
			const stream = await openai.chat.completions.create({ model: MODEL, messages: ASKED, stream: true });
			for await (const chunk of stream) read += chunk.choices[0]?.delta?.content ?? "";
		} catch (err) {
			failed = err;
		}
		assert.ok(failed, `the stream ended without an error after ${JSON.stringify(read)}`);
		await countedAsSettled(at, ASKED, read, "error");
	});

	it("/v1/messages streamed: the Anthropic SDK's aborted stream is counted at the usage the budget settled to", async () => {
		const anthropic = new Anthropic({ baseURL: base, apiKey: SECRET, maxRetries: 0 });
		const at = { spent: await spent(), settles: settles.length, cut: vendor.streamsCut, counted: counts() };
		vendor.always({ kind: "ok", text: SLOW_TEXT, eventDelayMs: 100 });
		const messages = ASKED;
		const gaveUp = new AbortController();
		const stream = await anthropic.messages.create({ model: MODEL, max_tokens: 512, messages, stream: true }, { signal: gaveUp.signal });
		let read = "";
		// The SDK's stream ends quietly once its signal is aborted.
		for await (const e of stream) {
			if (e.type === "content_block_delta" && e.delta.type === "text_delta") read += e.delta.text;
			if (read.split(" ").length > 3) gaveUp.abort();
		}
		assert.ok(gaveUp.signal.aborted, "the stream ended before the client left");
		await chargedAsSettled(at, messages, read, async () => {
			const m = await anthropic.messages.create({ model: MODEL, max_tokens: 64, messages });
			return m.content.map(b => (b.type === "text" ? b.text : "")).join("");
		});
	});

	it("POST /api/orchestrate: a client that hangs up aborts the vendor call", async () => {
		const before = await spent();
		const counted = counts();
		vendor.always({ kind: "hang" });
		const body = { request: "Explain the difference between TCP and UDP", options: { cache: false, preferred_models: [MODEL] } };
		const post = (signal?: AbortSignal) =>
			fetch(`${base}/api/orchestrate`, {
				method: "POST",
				headers: { "content-type": "application/json", authorization: `Bearer ${SECRET}` },
				body: JSON.stringify(body),
				signal,
			});
		const arrived = vendor.nextCompletion();
		const gaveUp = new AbortController();
		const call = post(gaveUp.signal);
		const got = await arrived;
		gaveUp.abort();
		await assert.rejects(call, (e: Error) => e.name === "AbortError");
		const sent = got.body.messages.map((m: { role: string; content: string }) => ({ role: m.role, content: m.content }));
		await leftNothing(before, sent, async () => ((await (await post()).json()) as { output: string }).output, counted);
	});

	it("MCP over Streamable HTTP: the client closing its transport mid-call aborts the POST and the vendor call", async () => {
		const before = await spent();
		const counted = counts();
		vendor.always({ kind: "hang" });
		const connect = async () => {
			const client = new Client({ name: "cancel-http", version: "1.0.0" });
			await client.connect(
				new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: { authorization: `Bearer ${SECRET}` } } }),
			);
			return client;
		};
		const args = { request: "Explain the difference between TCP and UDP", options: { cache: false, preferred_models: [MODEL] } };
		const client = await connect();
		const arrived = vendor.nextCompletion();
		const call = client.callTool({ name: "orchestrate", arguments: args });
		const got = await arrived;
		// The SDK's close aborts the transport's fetches (its POST included); a `notifications/cancelled` alone would not,
		// and a stateless server cannot tie it to this POST (README "Cancellation").
		await client.close();
		await assert.rejects(call);
		const sent = got.body.messages.map((m: { role: string; content: string }) => ({ role: m.role, content: m.content }));
		const again = await connect();
		try {
			await leftNothing(
				before,
				sent,
				async () => {
					const r = await again.callTool({ name: "orchestrate", arguments: args });
					return (r.structuredContent as { output: string }).output;
				},
				counted,
			);
		} finally {
			await again.close();
		}
	});

	it("a call made after its caller gave up (still in the pipeline's earlier stages) is refused before the vendor; the reservation is released", async () => {
		const before = await spent();
		const token = cancelToken();
		cancelCalls(broker, token);
		await new Promise(r => setImmediate(r));
		const err = await broker
			.call(
				"models.complete",
				{ models: [MODEL, "gpt-4.1-nano"], messages: [{ role: "user", content: "Explain TCP vs UDP" }], max_tokens: 64 },
				{
					meta: { key: { name: "team-a" }, cancel: token },
				},
			)
			.then(
				() => assert.fail("answered a call whose caller gave up"),
				(e: { code?: number; type?: string; data?: { sent?: boolean } }) => e,
			);
		assert.equal(err.type, "CANCELLED", JSON.stringify(err));
		assert.equal(err.code, 499);
		assert.equal(err.data?.sent, false);
		assert.equal(vendor.completions.length, 0, "the vendor was called");
		assert.equal(await spent(), before, "the reservation was not released");
	});

	it("MCP over Streamable HTTP: a notifications/cancelled POST of its own is accepted and stops nothing (stateless: ids repeat across clients)", async () => {
		vendor.always({ kind: "ok", text: "answered anyway", delayMs: 300 });
		const headers = {
			"content-type": "application/json",
			accept: "application/json, text/event-stream",
			"mcp-protocol-version": "2025-11-25",
			authorization: `Bearer ${SECRET}`,
		};
		const args = { request: "Explain the difference between TCP and UDP", options: { cache: false, preferred_models: [MODEL] } };
		const arrived = vendor.nextCompletion();
		const call = fetch(`${base}/mcp`, {
			method: "POST",
			headers,
			body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "orchestrate", arguments: args } }),
		});
		await arrived;
		const cancel = await fetch(`${base}/mcp`, {
			method: "POST",
			headers,
			body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 7, reason: "another client's id" } }),
		});
		assert.equal(cancel.status, 202);
		const answer = (await (await call).json()) as { id: number; result: { structuredContent: { output: string } } };
		assert.equal(answer.id, 7);
		assert.equal(answer.result.structuredContent.output, "answered anyway");
		assert.equal(vendor.heldAbandoned, 0);
	});
});

/** The gateway and the pipeline on one node, the provider on another, over NATS: the cancel event crosses the bus. */
describe("cancellation in a split (TRANSPORTER=nats://): the hang-up reaches the provider's node", function () {
	this.timeout(40_000);
	let split: Split | undefined;

	before(async () => {
		split = await startSplit(["gateway", "orchestrator", "intent", "complexity", "router", "prompt", "models", "metrics"], ["llm-openai"]);
	});
	after(() => stopSplit(split));

	it("/v1/chat/completions: the openai SDK's abort on the gateway's node aborts the vendor call on the provider's node", async () => {
		const { vendor, nodes, base } = split!;
		const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: "unused", maxRetries: 0 });
		vendor.always({ kind: "hang" });
		const arrived = vendor.nextCompletion();
		const gaveUp = new AbortController();
		const call = openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Explain TCP vs UDP" }] }, { signal: gaveUp.signal });
		await arrived;
		gaveUp.abort();
		await assert.rejects(call, (e: unknown) => e instanceof OpenAI.APIUserAbortError);
		await until(() => vendor.heldAbandoned === 1, "the vendor's held request closed by the provider's node");
		const provider = nodes[1].getLocalService("llm-openai") as unknown as { ledger: CallLedger };
		await until(() => provider.ledger.size === 0 && cancels(nodes[1]).size === 0, "no call ledger or cancel entry left on the provider's node");
		assert.equal(vendor.completions.length, 1, "no other model or retry was asked");
	});
});

/**
 * The models service and the provider on one node, the gateway and the budget on another: the stream whose client left
 * crosses the bus, and its last event brings the gateway the charge the models service settled the budget to.
 */
describe("cancellation in a split (TRANSPORTER=nats://): an abandoned stream's charge crosses the bus", function () {
	this.timeout(40_000);
	let split: Split | undefined;
	let settles: SettleParams[] = [];
	const config = keyedConfig();

	before(async () => {
		split = await startSplit(
			["gateway", "orchestrator", "intent", "complexity", "router", "prompt", "metrics", "budget"],
			["models", "llm-openai"],
			config,
		);
		await split.nodes[1].waitForServices(["budget"], 20_000);
		settles = recordSettles(split.nodes[1]);
	});
	after(() => stopSplit(split));

	it("/v1/chat/completions streamed: the gateway's record counts the usage the models node settled to", async () => {
		const { vendor, nodes, base } = split!;
		const sum = (name: string, match: Record<string, string>) => metricSum(nodes[0], name, match);
		const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: SECRET, maxRetries: 0 });
		vendor.always({ kind: "ok", text: SLOW_TEXT, eventDelayMs: 100 });
		const read = await leaveMidStream(openai);
		assert.ok(read && read.length < SLOW_TEXT.length, `the client read ${JSON.stringify(read)}`);
		await until(() => vendor.streamsCut === 1, "the vendor's stream cut when the client left");
		await until(() => settles.length === 1, "the budget settled the call");
		const [settled] = settles;
		assert.ok(settled.output_tokens > 0, "the output relayed before the client left was not settled");
		await until(() => sum("orchestrator_requests_total", { status: "cancelled", key: "team-a" }) === 1, "counted with status=cancelled");
		assert.equal(sum("orchestrator_tokens_total", { model: MODEL, direction: "input" }), settled.input_tokens);
		assert.equal(sum("orchestrator_tokens_total", { model: MODEL, direction: "output" }), settled.output_tokens);
		const cost = sum("orchestrator_cost_usd_total", { model: MODEL, key: "team-a" });
		assert.ok(Math.abs(cost - priceUsd(config.models[MODEL], settled.input_tokens, settled.output_tokens)) < 1e-12, `cost counted ${cost}`);
		const provider = nodes[1].getLocalService("llm-openai") as unknown as { ledger: CallLedger };
		await until(() => provider.ledger.size === 0 && cancels(nodes[1]).size === 0, "no call ledger or cancel entry left on the provider's node");
	});
});

describe("cancellation over MCP stdio: notifications/cancelled aborts the tool call's vendor call", function () {
	this.timeout(30_000);
	let vendor: FakeVendor;
	let client: Client;

	before(async () => {
		vendor = await fakeOpenAI();
		const env = standaloneEnv({
			...providerEnvFor({ openai: vendor }),
			WORKSPACE_DIR: "",
			LLM_TIMEOUT_MS: VENDOR_TIMEOUT_MS,
			BULKHEAD_CONCURRENCY: "1",
			BULKHEAD_IO_CONCURRENCY: "1",
		});
		const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, "mcp"], env: env as Record<string, string>, stderr: "ignore" });
		client = new Client({ name: "cancel-stdio", version: "1.0.0" });
		await client.connect(transport);
	});
	after(async () => {
		await client?.close();
		await vendor?.stop();
	});

	it("the SDK client's aborted callTool (signal) sends notifications/cancelled; the server aborts the vendor call and frees its slot", async () => {
		vendor.always({ kind: "hang" });
		const args = { request: "Explain the difference between TCP and UDP", options: { cache: false, preferred_models: [MODEL] } };
		const arrived = vendor.nextCompletion();
		const gaveUp = new AbortController();
		const call = client.callTool({ name: "orchestrate", arguments: args }, undefined, { signal: gaveUp.signal });
		await arrived;
		gaveUp.abort("the user cancelled");
		await assert.rejects(call);
		await until(() => vendor.heldAbandoned === 1, "the vendor's held request closed by the server");
		assert.equal(vendor.completions.length, 1, "no other model or retry was asked");
		// One bulkhead slot per action: a call still running would hold the next one until the vendor's timeout.
		vendor.always({ kind: "ok", text: "next answer" });
		const started = Date.now();
		const r = await client.callTool({ name: "orchestrate", arguments: args });
		assert.equal((r.structuredContent as { output: string }).output, "next answer");
		assert.ok(Date.now() - started < 3_000, `the next call waited ${Date.now() - started} ms for a slot`);
	});
});

describe("cancellation over MCP stdio: the client closing stdin mid-call", function () {
	this.timeout(30_000);

	it("aborts the call's vendor call at once and the process exits, not after the broker's 10 s graceful stop", async () => {
		const vendor = await fakeOpenAI();
		try {
			vendor.always({ kind: "hang" });
			const env = standaloneEnv({ ...providerEnvFor({ openai: vendor }), WORKSPACE_DIR: "", LLM_TIMEOUT_MS: VENDOR_TIMEOUT_MS });
			const child = spawn(process.execPath, [BIN, "mcp"], { env, stdio: ["pipe", "pipe", "ignore"] });
			const exited = once(child, "exit");
			const send = (m: unknown) => child.stdin.write(`${JSON.stringify(m)}\n`);
			send({
				jsonrpc: "2.0",
				id: 1,
				method: "initialize",
				params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
			});
			send({ jsonrpc: "2.0", method: "notifications/initialized" });
			const args = { request: "Explain the difference between TCP and UDP", options: { cache: false, preferred_models: [MODEL] } };
			const arrived = vendor.nextCompletion();
			send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "orchestrate", arguments: args } });
			await arrived;
			const closed = Date.now();
			child.stdin.end();
			const [code] = await exited;
			assert.equal(code, 0);
			assert.ok(Date.now() - closed < 5_000, `exited ${Date.now() - closed} ms after stdin closed`);
			await until(() => vendor.heldAbandoned === 1, "the vendor's held request closed by the server");
		} finally {
			await vendor.stop();
		}
	});
});

/**
 * A downstream MCP tool call made for a request (mcp.<name>.callTool) is aborted when its caller gives up: the SDK client
 * sends the downstream server notifications/cancelled (its handler's signal aborts), the call fails as CANCELLED, and the
 * connection stays up for the next call.
 */
describe("cancellation of a downstream MCP tool call: the downstream server gets notifications/cancelled", function () {
	this.timeout(30_000);
	let broker: ServiceBroker;
	let dir: string;
	let log: string;
	let config: Config;

	before(async () => {
		dir = mkdtempSync(join(tmpdir(), "cancel-mcp-"));
		log = join(dir, "calls.log");
		writeFileSync(log, "");
		// config.yaml with its mcp_services replaced by the one slow server.
		const doc = parse(readFileSync(`${PROJECT_ROOT}/config.yaml`, "utf8")) as Record<string, unknown>;
		doc.mcp_services = {
			slow: {
				type: "stdio",
				command: process.execPath,
				args: [resolve(__dirname, "../fixtures/slow-mcp-server.mjs"), log],
				roots: [dir],
				capabilities: ["read"],
				ping_interval_ms: 0,
			},
		};
		config = parseConfig(stringify(doc), "config.yaml + slow mcp", process.env);
		broker = new ServiceBroker({ logger: false });
		broker.createService({ name: "mcp.slow", mixins: [McpClientMixin({ name: "slow", entry: config.mcp_services.slow })] });
		await broker.start();
		await until(async () => (await broker.call<{ connected: boolean }>("mcp.slow.status")).connected, "the slow server connected", 15_000);
	});
	after(async () => {
		await broker?.stop();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	const lines = () => readFileSync(log, "utf8").trim().split("\n").filter(Boolean);

	it("the caller's cancel aborts the running tool call; the downstream sees notifications/cancelled", async () => {
		const token = cancelToken();
		const call = broker.call("mcp.slow.callTool", { tool: "wait_for_cancel", arguments: {} }, { meta: { cancel: token } });
		await until(() => lines().some(l => l.startsWith("started")), "the tool call reached the downstream server");
		cancelCalls(broker, token);
		await assert.rejects(call, (e: { type?: string; code?: number; data?: { sent?: boolean } }) => {
			assert.equal(e.type, "CANCELLED", JSON.stringify(e));
			assert.equal(e.code, 499);
			assert.equal(e.data?.sent, true);
			return true;
		});
		await until(() => lines().some(l => l.startsWith("cancelled")), "the downstream server's handler aborted by notifications/cancelled");
		assert.equal(cancels(broker).size, 0, "a cancel entry left");
		assert.equal((await broker.call<{ connected: boolean }>("mcp.slow.status")).connected, true, "the cancel was taken for a lost connection");
	});

	it("a re-exported downstream tool (gateway.reexport_tools) its MCP client cancels (SDK callTool signal) cancels the downstream call", async () => {
		const server = createMcpServer(broker, { ...config, gateway: { reexport_tools: true } });
		const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
		await server.connect(serverSide);
		const client = new Client({ name: "cancel-reexport", version: "1.0.0" });
		await client.connect(clientSide);
		try {
			const tool = (await client.listTools()).tools.find(t => t.name.endsWith("wait_for_cancel"));
			assert.ok(tool, "the downstream tool is not re-exported");
			const started = lines().filter(l => l.startsWith("started")).length;
			const cancelled = lines().filter(l => l.startsWith("cancelled")).length;
			const gaveUp = new AbortController();
			const call = client.callTool({ name: tool.name, arguments: {} }, undefined, { signal: gaveUp.signal });
			await until(() => lines().filter(l => l.startsWith("started")).length > started, "the tool call reached the downstream server");
			gaveUp.abort("the user cancelled");
			await assert.rejects(call);
			await until(() => lines().filter(l => l.startsWith("cancelled")).length > cancelled, "the downstream call cancelled");
		} finally {
			await client.close();
		}
	});

	it("a tool call made after its caller gave up is not sent", async () => {
		const token = cancelToken();
		cancelCalls(broker, token);
		await new Promise(r => setImmediate(r));
		const before = lines().length;
		await assert.rejects(
			broker.call("mcp.slow.callTool", { tool: "wait_for_cancel", arguments: {} }, { meta: { cancel: token } }),
			(e: { type?: string; data?: { sent?: boolean } }) => {
				assert.equal(e.type, "CANCELLED");
				assert.equal(e.data?.sent, false);
				return true;
			},
		);
		assert.equal(lines().length, before, "the downstream server was called");
	});
});
