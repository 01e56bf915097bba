import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { EventEmitter, once } from "node:events";
import type { ServiceBroker } from "moleculer";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { parseConfig, PROJECT_ROOT } from "../../lib/config";
import type { RequestRecord } from "../../lib/contracts";
import type { MetricsSummary } from "../../services/metrics/summary";
import { startVendors, type Vendors } from "../fixtures/vendors";
import { freePort, testBroker, testNamespace } from "../helpers";
import { parsePrometheus, total } from "../prometheus";

/**
 * Collects the records the metrics service has counted: it says so with a local event once a record is in
 * (the record crosses the bus after the answer, so the answer alone does not say it was counted).
 */
function watchRecords(broker: ServiceBroker, records: RequestRecord[], recorded: EventEmitter) {
	broker.createService({
		name: "record-watch",
		events: {
			"metrics.recorded"(ctx: { params: RequestRecord }) {
				records.push(ctx.params);
				recorded.emit("record");
			},
		},
	});
}

/**
 * The /v1 endpoints share the gateway's completion cache and metrics: every call emits the
 * orchestrator's request record (seen in /metrics and get_metrics), and a deterministic call
 * (temperature 0) asked again is answered from the cache without a vendor call. Driven by the
 * official openai client against the vendor fakes.
 */
describe("/v1 endpoints: metrics records and the completion cache (official openai client)", function () {
	this.timeout(30_000);
	let vendors: Vendors;
	let broker: ServiceBroker;
	let openai: OpenAI;
	let metricsPort: number;
	const records: RequestRecord[] = [];
	const recorded = new EventEmitter();
	/** Resolves once n records in total have been counted by the metrics service. */
	const recordedAll = async (n: number) => {
		while (records.length < n) await once(recorded, "record");
	};

	before(async () => {
		vendors = await startVendors();
		const port = await freePort();
		metricsPort = await freePort();
		broker = testBroker({
			services: ["gateway", "orchestrator", "intent", "complexity", "router", "prompt", "models", "metrics", "llm-*"],
			env: { ...vendors.env, PORT: String(port), HOST: "127.0.0.1", METRICS_PORT: String(metricsPort), NAMESPACE: testNamespace() },
			broker: { dependencyInterval: 50 },
		});
		watchRecords(broker, records, recorded);
		await broker.start();
		openai = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "unused", maxRetries: 0 });
	});
	after(async () => {
		await broker?.stop();
		await vendors?.stop();
	});
	beforeEach(() => vendors.reset());

	it("a repeated temperature-0 call is served from the cache: no vendor call, no tokens, the same answer", async () => {
		vendors.openai.next({ kind: "ok", text: "a mutex lets one thread in at a time", input_tokens: 21, output_tokens: 9 });
		const ask = () =>
			openai.chat.completions.create({ model: "gpt-4.1-mini", temperature: 0, messages: [{ role: "user", content: "what is a mutex? (cache test 1)" }] });
		const first = await ask();
		const second = await ask();
		assert.equal(vendors.completions(), 1, "the second call reached no vendor");
		assert.equal(second.choices[0].message.content, first.choices[0].message.content);
		assert.equal(second.model, "gpt-4.1-mini");
		assert.equal(first.usage?.prompt_tokens, 21);
		assert.equal(second.usage?.prompt_tokens, 0, "a cached answer spends no tokens");
		assert.equal(second.usage?.completion_tokens, 0);
	});

	it("a call without temperature 0 is a sample and is never served from the cache", async () => {
		const ask = () => openai.chat.completions.create({ model: "gpt-4.1-mini", messages: [{ role: "user", content: "name a colour (cache test 2)" }] });
		await ask();
		await ask();
		assert.equal(vendors.completions(), 2);
	});

	it("Cache-Control: no-cache on the request bypasses the cache", async () => {
		const body = { model: "gpt-4.1-mini", temperature: 0, messages: [{ role: "user" as const, content: "what is a semaphore? (cache test 3)" }] };
		await openai.chat.completions.create(body);
		await openai.chat.completions.create(body, { headers: { "cache-control": "no-cache" } });
		assert.equal(vendors.completions(), 2);
	});

	/** A temperature-0 stream's text, read to its end through the SDK (which rejects a stream ended by an error). */
	const streamedText = (model: string, content: string) => async () => {
		let text = "";
		const stream = await openai.chat.completions.create({ model, temperature: 0, stream: true, messages: [{ role: "user", content }] });
		for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
		return text;
	};

	it("a stream is cached only once complete: one cut mid-way is not served again, a whole one is", async () => {
		const read = streamedText("gpt-4.1-mini", "explain deadlocks (cache test 4)");
		vendors.openai.next({ kind: "ok", text: "two threads each wait for the lock the other holds, forever", dropAfterEvents: 3 });
		await assert.rejects(read());
		const whole = await read();
		assert.equal(vendors.completions(), 2, "the cut stream was not cached: the next call reached the vendor");
		assert.ok(whole.length > 0);
		assert.equal(await read(), whole, "the whole stream, replayed from the cache");
		assert.equal(vendors.completions(), 2, "no vendor call for the replay");
	});

	it("a stream a vendor ends cleanly before its finish (Gemini's finishReason) is an error and never served again", async () => {
		const read = streamedText("gemini-2.5-flash", "explain livelocks (cache test 5)");
		const text = "two threads keep yielding to each other and never progress";
		// The first chunk, then the body ends as a proxy closing it would (no finishReason); then the whole answer.
		vendors.gemini.next({ kind: "ok", text, errorEventAfter: { after: 1, event: "" } }, { kind: "ok", text });
		await assert.rejects(read(), "a cut answer is no answer");
		assert.equal(await read(), text, "the cut answer was not cached: the next call reached the vendor");
		assert.equal(vendors.completions(), 2);
		assert.equal(await read(), text, "the whole answer, replayed from the cache");
		assert.equal(vendors.completions(), 2);
	});

	it("an answer the vendor ended as a failure (Gemini's MALFORMED_FUNCTION_CALL) is no tool call and is never served again", async () => {
		const ask = () =>
			openai.chat.completions.create({
				model: "gemini-2.5-flash",
				temperature: 0,
				messages: [{ role: "user", content: "what is the weather in Paris? (cache test 6)" }],
				tools: [{ type: "function", function: { name: "weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }],
			});
		vendors.gemini.next({ kind: "ok", text: "", finish: "MALFORMED_FUNCTION_CALL" }, { kind: "ok", text: "sunny, 21 C" });
		const failed = await ask();
		assert.notEqual(failed.choices[0].finish_reason, "tool_calls", "no tool call to run");
		assert.equal(failed.choices[0].message.tool_calls, undefined);
		const next = await ask();
		assert.equal(vendors.completions(), 2, "the failed answer was not cached: the next call reached the vendor");
		assert.equal(next.choices[0].message.content, "sunny, 21 C");
		assert.equal((await ask()).choices[0].message.content, "sunny, 21 C", "a whole answer is cached as before");
		assert.equal(vendors.completions(), 2);
	});

	it("every /v1 call emits the request record: intent none for a concrete model, the cache hit counted, in get_metrics and /metrics", async () => {
		const before = records.length;
		const content = "what is a condition variable? (metrics test)";
		await openai.chat.completions.create({ model: "gpt-4.1-mini", temperature: 0, messages: [{ role: "user", content }] });
		await openai.chat.completions.create({ model: "gpt-4.1-mini", temperature: 0, messages: [{ role: "user", content }] });
		await openai.chat.completions.create({
			model: "auto",
			messages: [{ role: "user", content: "write a function that reverses a linked list in TypeScript" }],
		});
		await recordedAll(before + 3);
		const [miss, hit, auto] = records.slice(before);
		assert.equal(miss.intent, "none");
		assert.equal(miss.complexity, "none");
		assert.equal(miss.route, "llm");
		assert.equal(miss.model, "gpt-4.1-mini");
		assert.equal(miss.status, "ok");
		assert.equal(miss.cached, false);
		assert.ok(miss.input_tokens > 0);
		assert.ok(miss.stages_ms.compaction >= 0 && miss.stages_ms.model >= 0);
		assert.equal(hit.cached, true);
		assert.equal(hit.input_tokens, 0);
		assert.notEqual(auto.intent, "none", "auto ran the analysis: its intent is the pipeline's");
		assert.notEqual(auto.complexity, "none");
		assert.ok(auto.stages_ms.analysis >= 0);

		const summary = await broker.call<MetricsSummary, { period: string }>("metrics.get", { period: "5m" });
		assert.equal(summary.requests.total, records.length);
		assert.equal(summary.requests.by_intent.none, records.filter(r => r.intent === "none").length);
		const cachedNow = records.filter(r => r.cached).length;
		assert.ok(cachedNow >= 2, "the cache hits of this file were all recorded");
		assert.equal(summary.cache_hit_rate, Number((cachedNow / records.length).toFixed(4)));

		const scraped = parsePrometheus(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text());
		assert.equal(total(scraped, "orchestrator_requests_total"), records.length);
		assert.equal(
			total(scraped, "orchestrator_requests_total", { intent: "none", complexity: "none", route: "llm", status: "ok" }),
			records.filter(r => r.intent === "none" && r.status === "ok").length,
		);
		assert.equal(total(scraped, "orchestrator_cache_requests_total", { result: "hit" }), cachedNow);
	});

	it("a call that fails is recorded as an error, credited to the model tried", async () => {
		const before = records.length;
		vendors.always({ kind: "error", status: 400, message: "prompt rejected" });
		try {
			await assert.rejects(openai.chat.completions.create({ model: "gpt-4.1-mini", messages: [{ role: "user", content: "rejected (metrics test)" }] }));
		} finally {
			vendors.always({ kind: "ok" });
		}
		await recordedAll(before + 1);
		const r = records[before];
		assert.equal(r.status, "error");
		assert.equal(r.intent, "none");
		assert.ok(r.model, "credited to the last model a provider was asked");
		assert.equal(r.cached, false);
	});
});

/** The same auth as the rest of the gateway: the caller's key reaches the walk, its model list and the metrics' key label. */
describe("/v1 endpoints behind keys (official openai client)", function () {
	this.timeout(30_000);
	const secret = `sk-test-${randomBytes(8).toString("hex")}`;
	let vendors: Vendors;
	let broker: ServiceBroker;
	let base: string;
	const records: RequestRecord[] = [];
	const recorded = new EventEmitter();

	before(async () => {
		vendors = await startVendors();
		const port = await freePort();
		base = `http://127.0.0.1:${port}/v1`;
		const text = `${readFileSync(`${PROJECT_ROOT}/config.yaml`, "utf8")}\nauth:\n  keys:\n    - { name: team-nano, key: "\${V1_TEAM_KEY}", models: [gpt-4.1-nano] }\n`;
		broker = testBroker({
			services: ["gateway", "orchestrator", "intent", "complexity", "router", "prompt", "models", "metrics", "budget", "llm-*"],
			config: parseConfig(text, "config.yaml + auth", { ...process.env, V1_TEAM_KEY: secret }),
			env: { ...vendors.env, PORT: String(port), HOST: "127.0.0.1", NAMESPACE: testNamespace() },
			broker: { dependencyInterval: 50 },
		});
		watchRecords(broker, records, recorded);
		await broker.start();
	});
	after(async () => {
		await broker?.stop();
		await vendors?.stop();
	});

	it("no key is a 401; a model outside the key's list a 403 with no vendor call; an allowed one is answered and recorded under the key's name", async () => {
		const ask = (apiKey: string, model: string) =>
			new OpenAI({ baseURL: base, apiKey, maxRetries: 0 }).chat.completions.create({ model, messages: [{ role: "user", content: "hello (keys test)" }] });
		await assert.rejects(ask("not-a-key", "gpt-4.1-nano"), (e: unknown) => e instanceof OpenAI.AuthenticationError);
		await assert.rejects(ask(secret, "gpt-4.1-mini"), (e: unknown) => e instanceof OpenAI.PermissionDeniedError);
		assert.equal(vendors.completions(), 0);
		const answered = ask(secret, "gpt-4.1-nano");
		const record = once(recorded, "record");
		assert.equal((await answered).model, "gpt-4.1-nano");
		await record;
		const r = records[records.length - 1];
		assert.equal(r.key, "team-nano", "the key's name, never the secret");
		assert.equal(r.model, "gpt-4.1-nano");
	});

	it("GET /v1/models lists the models the key may call (and auto), for both SDKs; retrieving another is a 404", async () => {
		// A client (an IDE's model picker, an agent choosing a model) offered every live model picked one that was then a 403.
		const openai = new OpenAI({ baseURL: base, apiKey: secret, maxRetries: 0 });
		const ids: string[] = [];
		for await (const m of openai.models.list()) ids.push(m.id);
		assert.deepEqual(ids, ["auto", "gpt-4.1-nano"]);
		const anthropic = new Anthropic({ baseURL: base.replace(/\/v1$/, ""), apiKey: secret, maxRetries: 0 });
		const listed: string[] = [];
		for await (const m of anthropic.models.list()) listed.push(m.id);
		assert.deepEqual(listed, ["auto", "gpt-4.1-nano"]);
		assert.equal((await openai.models.retrieve("gpt-4.1-nano")).id, "gpt-4.1-nano");
		await assert.rejects(openai.models.retrieve("gpt-4.1-mini"), (e: unknown) => e instanceof OpenAI.NotFoundError);
		await assert.rejects(anthropic.models.retrieve("claude-haiku-4-5"), (e: unknown) => e instanceof Anthropic.NotFoundError);
	});
});
