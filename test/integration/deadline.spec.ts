import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import type { ServiceBroker } from "moleculer";
import OpenAI from "openai";
import { loadConfig } from "../../lib/config";
import type { OrchestrateResult } from "../../lib/contracts";
import type { ModelsCompleteResult } from "../../lib/contracts/complete";
import { startVendors } from "../fixtures/vendors";
import { freePort, testBroker } from "../helpers";

const config = loadConfig();
const NO_COMPLETION_CACHE = { ...config, cache: { ttl_seconds: { ...config.cache.ttl_seconds, completion: 0 } } };
const REQUEST = "Explain the difference between TCP and UDP in two sentences.";
const DEADLINE_MS = 3_000;
/** Event-loop and HTTP slack on top of the deadline. */
const SLACK_MS = 700;

/** The whole system on one broker with its HTTP gateway, the vendors' fakes behind it and these settings. */
async function startGateway(vendorEnv: Record<string, string>, settings: Record<string, string>): Promise<{ broker: ServiceBroker; base: string }> {
	const port = await freePort();
	const broker = testBroker({
		env: { ...vendorEnv, ...settings, PORT: String(port), HOST: "127.0.0.1", WORKSPACE_DIR: "" },
		exclude: ["mcp.*"],
		config: NO_COMPLETION_CACHE,
	});
	await broker.start();
	await broker.waitForServices(["orchestrator", "llm-openai", "llm-anthropic", "llm-google"], 20_000);
	return { broker, base: `http://127.0.0.1:${port}` };
}

/**
 * One deadline for the whole request (REQUEST_DEADLINE_MS), far below the vendors' own timeout:
 * a hanging vendor gets part of it and the next provider the rest; when every vendor hangs the
 * caller hears a 504 at the deadline, not after 3 x LLM_TIMEOUT_MS.
 */
describe("the request deadline through the pipeline", function () {
	this.timeout(30_000);
	let vendors: Awaited<ReturnType<typeof startVendors>>;
	let broker: ServiceBroker;
	let base: string;

	before(async () => {
		vendors = await startVendors();
		({ broker, base } = await startGateway(vendors.env, { LLM_TIMEOUT_MS: "20000", REQUEST_DEADLINE_MS: String(DEADLINE_MS) }));
		// The first request loads the classifiers; the deadline is about vendors, not a cold start.
		await broker.call("orchestrator.analyze", { request: REQUEST });
	});
	after(async () => {
		await broker?.stop();
		await vendors?.stop();
	});
	beforeEach(() => vendors.reset());

	it("a hanging vendor gets part of the deadline; the next provider answers within it", async () => {
		vendors.openai.always({ kind: "hang" });
		const started = Date.now();
		const res = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", {
			request: REQUEST,
			options: { preferred_models: ["gpt-4.1-mini", "claude-haiku-4-5"] },
		});
		const took = Date.now() - started;
		assert.equal(res.model, "claude-haiku-4-5");
		assert.ok(took < DEADLINE_MS, `answered after ${took} ms`);
		assert.equal(res.attempts[0].ok, false);
		assert.equal(res.attempts.at(-1)!.ok, true);
	});

	it("a provider with no other provider after it gets the whole deadline, not half (a later model of its own is no fallback)", async () => {
		vendors.openai.always({ kind: "ok", text: "slow but in time", delayMs: DEADLINE_MS * 0.7 });
		const res = await broker.call<ModelsCompleteResult, unknown>("models.complete", {
			models: ["gpt-4.1-mini", "gpt-4.1-nano"],
			messages: [{ role: "user", content: REQUEST }],
			max_tokens: 50,
			deadline_ms: DEADLINE_MS,
		});
		assert.equal(res.text, "slow but in time");
		assert.equal(res.model, "gpt-4.1-mini");
	});

	it("a stream whose content flows runs past the half of the deadline its first content had to come within", async () => {
		const words = Array.from({ length: 10 }, (_, i) => `w${i} `);
		vendors.openai.next({ kind: "ok", text: words.join(""), eventDelayMs: (DEADLINE_MS * 0.7) / words.length });
		const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: "unused", maxRetries: 0 });
		const started = Date.now();
		const stream = await openai.chat.completions.create({ model: "gpt-4.1-mini", messages: [{ role: "user", content: REQUEST }], stream: true });
		let text = "";
		for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
		const took = Date.now() - started;
		assert.equal(text, words.join(""));
		assert.ok(took > DEADLINE_MS / 2, `the stream took ${took} ms, past half the deadline`);
	});

	it("when every vendor hangs, REST answers 504 once, by the deadline", async () => {
		vendors.always({ kind: "hang" });
		const started = Date.now();
		const res = await fetch(`${base}/api/orchestrate`, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({ request: REQUEST, options: { preferred_models: ["gpt-4.1-mini", "claude-haiku-4-5", "gemini-2.5-flash"] } }),
		});
		const took = Date.now() - started;
		const body = await res.json();
		assert.equal(res.status, 504, JSON.stringify(body));
		// Each vendor's try ends at its share of the deadline; once every vendor may hold the request (its call goes on),
		// the walk stops there rather than send one of them the request again (gpt-4.1-nano after gpt-4.1-mini).
		assert.ok(took >= DEADLINE_MS / 2 && took < DEADLINE_MS + SLACK_MS, `answered after ${took} ms`);
		assert.match(body.error.message, /deadline|timed out|no answer/i);
		assert.equal(body.error.type, "DEADLINE_EXCEEDED");
		// No vendor's second model was sent the request its first one may still hold.
		assert.doesNotMatch(body.error.message, /gpt-4\.1-nano@llm-openai: timeout|gemini-2\.5-flash-lite@llm-google: timeout/);
	});

	it("/v1/chat/completions and /v1/messages (official SDKs) answer by the same deadline when every vendor hangs, not after each model's LLM_TIMEOUT_MS", async () => {
		vendors.always({ kind: "hang" });
		const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: "unused", maxRetries: 0 });
		const anthropic = new Anthropic({ baseURL: base, apiKey: "unused", maxRetries: 0 });
		const messages = [{ role: "user" as const, content: REQUEST }];
		for (const [name, call] of [
			["/v1/chat/completions", () => openai.chat.completions.create({ model: "gpt-4.1-mini", messages })],
			["/v1/messages", () => anthropic.messages.create({ model: "claude-haiku-4-5", max_tokens: 50, messages })],
			["/v1/chat/completions (auto)", () => openai.chat.completions.create({ model: "auto", messages })],
		] as const) {
			const started = Date.now();
			await assert.rejects(call(), (err: { status?: number }) => {
				assert.equal(err.status, 504, `${name}: ${String(err)}`);
				return true;
			});
			const took = Date.now() - started;
			assert.ok(took >= DEADLINE_MS / 2 && took < DEADLINE_MS + SLACK_MS, `${name} answered after ${took} ms`);
		}
	});
});

/**
 * Once a stream's content flows nobody else can take over the answer: it runs while its vendor keeps sending (at most
 * LLM_TIMEOUT_MS between deltas), up to LLM_STREAM_MAX_MS in all, not to the request's deadline (a healthy long
 * generation was cut at 55 s). Read with the official openai client.
 */
describe("a flowing stream's limits: silence between deltas and its whole length, not the request's deadline", function () {
	this.timeout(30_000);
	const REQUEST_DEADLINE = 1_000;
	const SILENCE_MS = 600;
	const STREAM_MAX = 2_500;
	let vendors: Awaited<ReturnType<typeof startVendors>>;
	let broker: ServiceBroker;
	let openai: OpenAI;

	before(async () => {
		vendors = await startVendors();
		let base: string;
		({ broker, base } = await startGateway(vendors.env, {
			LLM_TIMEOUT_MS: String(SILENCE_MS),
			LLM_STREAM_MAX_MS: String(STREAM_MAX),
			REQUEST_DEADLINE_MS: String(REQUEST_DEADLINE),
		}));
		openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: "unused", maxRetries: 0 });
	});
	after(async () => {
		await broker?.stop();
		await vendors?.stop();
	});
	beforeEach(() => vendors.reset());

	/** The streamed text, and the error that ended the stream if one did. */
	async function read(): Promise<{ text: string; took: number; error?: Error }> {
		const started = Date.now();
		let text = "";
		try {
			const stream = await openai.chat.completions.create({ model: "gpt-4.1-mini", messages: [{ role: "user", content: REQUEST }], stream: true });
			for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
			return { text, took: Date.now() - started };
		} catch (error) {
			return { text, took: Date.now() - started, error: error as Error };
		}
	}
	const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i} `).join("");

	it("runs past the request's deadline while its vendor keeps sending", async () => {
		vendors.openai.next({ kind: "ok", text: words(12), eventDelayMs: 150 });
		const r = await read();
		assert.ifError(r.error);
		assert.equal(r.text, words(12));
		assert.ok(r.took > REQUEST_DEADLINE, `the stream took ${r.took} ms, past the ${REQUEST_DEADLINE} ms deadline`);
	});

	it("ends with an error naming the silence when its vendor sends nothing for LLM_TIMEOUT_MS in the middle of the answer", async () => {
		vendors.openai.next({ kind: "ok", text: words(8), pauseAfterEvents: { after: 4, ms: 5_000 } });
		const r = await read();
		assert.match(String(r.error?.message), new RegExp(`sent nothing for ${SILENCE_MS} ms in the middle of its answer`));
		assert.ok(r.text.length > 0, "content came before the silence");
		assert.ok(r.took < 4_000, `cut after ${r.took} ms, not when the vendor spoke again`);
	});

	it("is cut at LLM_STREAM_MAX_MS however steadily its vendor sends", async () => {
		vendors.openai.next({ kind: "ok", text: words(30), eventDelayMs: 200 });
		const r = await read();
		assert.match(String(r.error?.message), new RegExp(`ran past ${STREAM_MAX} ms \\(LLM_STREAM_MAX_MS, or providers\\.openai\\.stream_max_ms\\)`));
		assert.ok(r.took >= STREAM_MAX && r.took < STREAM_MAX + 1_500, `cut after ${r.took} ms`);
	});
});
