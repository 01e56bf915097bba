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
		const port = await freePort();
		base = `http://127.0.0.1:${port}`;
		broker = testBroker({
			env: {
				...vendors.env,
				LLM_TIMEOUT_MS: "20000",
				REQUEST_DEADLINE_MS: String(DEADLINE_MS),
				PORT: String(port),
				HOST: "127.0.0.1",
				WORKSPACE_DIR: "",
			},
			exclude: ["mcp.*"],
			config: NO_COMPLETION_CACHE,
		});
		await broker.start();
		await broker.waitForServices(["orchestrator", "llm-openai", "llm-anthropic", "llm-google"], 20_000);
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

	it("a stream whose content flows runs to the request's deadline, past the half its first content had to come within", async () => {
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
