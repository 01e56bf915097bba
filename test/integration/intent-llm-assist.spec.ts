import { strict as assert } from "node:assert";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { ServiceBroker } from "moleculer";
import OpenAI from "openai";
import { loadConfig, type Config } from "../../lib/config";
import type { Analysis, OrchestrateResult, RequestRecord } from "../../lib/contracts";
import { createMcpServer } from "../../services/gateway/tools";
import type { IntentResult } from "../../lib/contracts";
import { ASSIST_SYSTEM, assistMessage } from "../../services/intent/assist";
import { classifyIntent } from "../../services/intent/classifier";
import { priceUsd, roundUsd } from "../../services/models/pricing";
import { fakeOpenAI } from "../fakes/openai";
import type { FakeVendor } from "../fakes/vendor";
import { providerEnvFor } from "../fixtures/vendors";
import { freePort, recordRequests, testBroker, testNamespace } from "../helpers";

const shipped = loadConfig();
const THRESHOLD = 0.9;
const TIMEOUT_MS = 2000;
const ASSIST = { enabled: true, below_confidence: THRESHOLD, timeout_ms: TIMEOUT_MS, max_tokens: 5 };
const withAssist: Config = { ...shipped, intent: { llm_assist: ASSIST } };
const PIPELINE = ["orchestrator", "intent", "complexity", "router", "prompt", "models", "llm-openai"];
// The vendor's own deadline is longer than the assist's, so a hang is the assist's to cut short.
const env = (vendor: FakeVendor) => providerEnvFor({ openai: vendor }, { LLM_TIMEOUT_MS: "5000" });

/** Requests without a cue to any intent, which the local model is unsure of (checked, not assumed). */
function unsure(request: string): { request: string; local: { intent: string; confidence: number } } {
	const local = classifyIntent(request);
	assert.ok(local.confidence < THRESHOLD, `precondition: the local model should be unsure of "${request}" (${local.confidence})`);
	return { request, local };
}

describe("intent LLM assist through the real OpenAI provider and a fake OpenAI server", function () {
	this.timeout(30_000);
	let vendor: FakeVendor;
	before(async () => {
		vendor = await fakeOpenAI();
	});
	after(() => vendor?.stop());
	beforeEach(() => vendor.reset());

	describe("with the shipped config.yaml", () => {
		let broker: ServiceBroker;
		before(async () => {
			assert.equal(shipped.intent.llm_assist.enabled, false, "INTENT_LLM_ASSIST must be unset for this test");
			broker = testBroker({ services: PIPELINE, env: env(vendor) });
			await broker.start();
		});
		after(() => broker?.stop());

		it("is off by default: an unsure request is labelled locally and no vendor is called", async () => {
			const { request, local } = unsure("the stuff");
			const r = await broker.call<IntentResult, unknown>("intent.classify", { request });
			assert.deepEqual(r, { ...local, source: "model" });
			const a = await broker.call<Analysis, unknown>("orchestrator.analyze", { request });
			assert.equal(a.intent_source, "model");
			assert.equal(a.intent_note, undefined);
			assert.equal(vendor.completions.length, 0);
		});
	});

	describe("with intent.llm_assist enabled", () => {
		let broker: ServiceBroker;
		const records: RequestRecord[] = [];
		before(async () => {
			broker = testBroker({ services: [...PIPELINE, "metrics"], env: env(vendor), config: withAssist });
			recordRequests(broker, records);
			await broker.start();
		});
		// The vendor first: its stop ends a call left hanging, which the broker's stop would wait for.
		after(async () => {
			await vendor.stop();
			await broker?.stop();
		});
		const classify = (request: string, context?: Record<string, unknown>) => broker.call<IntentResult, unknown>("intent.classify", { request, context });

		it("asks the cheapest live model for one of the five labels when the local model is unsure, and uses its label", async () => {
			const { request, local } = unsure("the stuff");
			vendor.next({ kind: "ok", text: "WRITE", input_tokens: 190, output_tokens: 1 });
			const r = await classify(request);
			assert.equal(r.intent, "WRITE");
			assert.equal(r.source, "llm");
			assert.equal(r.confidence, local.confidence, "the confidence stays the local model's");
			assert.equal(r.note, `intent llm_assist: WRITE from gpt-4.1-nano (local ${local.intent} ${local.confidence}; 190+1 tokens, 0.0000194 USD)`);
			assert.equal(vendor.completions.length, 1);
			const sent = vendor.completions[0].body;
			assert.equal(sent.model, "gpt-4.1-nano");
			assert.equal(sent.temperature, 0);
			assert.equal(sent.max_completion_tokens, 5);
			assert.deepEqual(sent.messages, [
				{ role: "system", content: ASSIST_SYSTEM },
				{ role: "user", content: request },
			]);
		});

		it("serves a repeat of the same request (spacing aside) from the cache: no second vendor call", async () => {
			const request = "  the   stuff  ";
			const local = classifyIntent(request);
			const r = await classify(request);
			assert.deepEqual(r, {
				intent: "WRITE",
				confidence: local.confidence,
				source: "llm",
				note: `intent llm_assist: WRITE from gpt-4.1-nano (local ${local.intent} ${local.confidence}; cached)`,
			});
			assert.equal(vendor.completions.length, 0);
		});

		it("never calls the vendor when the local model is sure", async () => {
			const request = "Show me the contents of README.md";
			const local = classifyIntent(request);
			assert.ok(local.confidence >= THRESHOLD, `precondition: ${local.confidence}`);
			assert.deepEqual(await classify(request), { ...local, source: "model" });
			assert.equal(vendor.completions.length, 0);
		});

		it("tells the model which context keys and files came along, never their contents", async () => {
			const { request } = unsure("database");
			const context = { error: "TypeError: x is undefined", files: [{ path: "src/db.ts", content: "export const secretContent = 1;" }] };
			vendor.next({ kind: "ok", text: "ANALYZE." });
			const r = await classify(request, context);
			assert.equal(r.intent, "ANALYZE");
			const user = vendor.completions[0].body.messages[1].content as string;
			assert.equal(user, assistMessage(request, context));
			assert.equal(user, "database\n\nAttached: error, files (src/db.ts)");
		});

		it("orchestrator.analyze reports who chose the intent and what the call cost; options.cache: false asks again", async () => {
			const { request, local } = unsure("hmm");
			vendor.always({ kind: "ok", text: "MANAGE", input_tokens: 188, output_tokens: 2 });
			const run = (options?: Record<string, unknown>) => broker.call<Analysis, unknown>("orchestrator.analyze", { request, options });
			const a = await run();
			assert.equal(a.intent, "MANAGE");
			assert.equal(a.intent_source, "llm");
			assert.equal(a.intent_confidence, local.confidence);
			assert.equal(a.intent_note, `intent llm_assist: MANAGE from gpt-4.1-nano (local ${local.intent} ${local.confidence}; 188+2 tokens, 0.0000196 USD)`);
			await run({ cache: false });
			assert.equal(vendor.completions.length, 2, "an uncached analysis asks again");
		});

		it("adds the assist's cost to estimated_cost_usd and cost_usd once: a cached analysis does not charge it again", async () => {
			const { request } = unsure("ok so");
			// gpt-4.1-nano: 188 x 0.10 + 2 x 0.40 USD per million tokens.
			vendor.always({ kind: "ok", text: "MANAGE", input_tokens: 188, output_tokens: 2 });
			const paid = 0.0000196;
			const dry = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request, options: { dry_run: true } });
			assert.equal(dry.intent_assist_cost_usd, paid);
			assert.equal(dry.cost_usd, paid, "a dry run still paid for its assist call");
			const modelCall = async (a: OrchestrateResult) =>
				(
					await broker.call<{ estimated_cost_usd: number }, unknown>("models.estimate", {
						model: a.model,
						input_tokens: a.input_tokens,
						output_tokens: a.max_tokens,
					})
				).estimated_cost_usd;
			assert.equal(dry.estimated_cost_usd, roundUsd((await modelCall(dry)) + paid));
			// The repeat gets its analysis from the analysis cache, or (when the learned token ratios moved
			// in between) makes it again with the verdict from the assist's cache: either way it pays nothing.
			const again = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request, options: { dry_run: true } });
			assert.equal(vendor.completions.length, 1, "no second assist call");
			assert.equal(again.intent_assist_cost_usd, 0);
			assert.equal(again.cost_usd, 0);
			assert.equal(again.estimated_cost_usd, await modelCall(again));
		});

		it("a request's cost, record and cost metric count the assist's call under the model that made it, beside the answer's", async () => {
			const { request } = unsure("so about that");
			const m = broker.metrics;
			// The series count every earlier test's calls too: what this request adds.
			const series = () => [
				m.getMetric("orchestrator_cost_usd_total")!.get({ model: "gpt-4.1-nano", key: "" })?.value ?? 0,
				m.getMetric("orchestrator_cost_usd_total")!.get({ model: "gpt-4.1-mini", key: "" })?.value ?? 0,
				m.getMetric("orchestrator_tokens_total")!.get({ model: "gpt-4.1-nano", direction: "input" })?.value ?? 0,
				m.getMetric("orchestrator_tokens_total")!.get({ model: "gpt-4.1-mini", direction: "input" })?.value ?? 0,
			];
			const before = series();
			// gpt-4.1-nano labels it; gpt-4.1-mini answers.
			vendor.next(
				{ kind: "ok", text: "ANALYZE", input_tokens: 188, output_tokens: 2 },
				{ kind: "ok", text: "an answer", input_tokens: 50, output_tokens: 20 },
			);
			const res = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", {
				request,
				options: { preferred_models: ["gpt-4.1-mini"], cache: false },
			});
			assert.equal(res.output, "an answer");
			const assistCharge = { model: "gpt-4.1-nano", input_tokens: 188, output_tokens: 2, cost_usd: 0.0000196 };
			const answerCharge = { model: "gpt-4.1-mini", input_tokens: 50, output_tokens: 20, cost_usd: priceUsd(shipped.models["gpt-4.1-mini"], 50, 20) };
			assert.deepEqual(res.charges, [assistCharge, answerCharge]);
			assert.equal(res.cost_usd, roundUsd(assistCharge.cost_usd + answerCharge.cost_usd));
			const record = records.at(-1)!;
			assert.deepEqual([record.spend, record.cost_usd, record.model], [res.charges, res.cost_usd, "gpt-4.1-mini"]);
			// Each model's series gets its own call's tokens and cost (the assist's were credited to gpt-4.1-mini, its tokens uncounted).
			const added = series().map((v, i) => roundUsd(v - before[i]));
			assert.deepEqual(added, [assistCharge.cost_usd, answerCharge.cost_usd, 188, 50]);
		});

		it("an analysis asked for on its own counts its assist call in the cost metric; one made for orchestrate is counted once", async () => {
			const m = broker.metrics;
			const nano = () => [
				m.getMetric("orchestrator_cost_usd_total")!.get({ model: "gpt-4.1-nano", key: "" })?.value ?? 0,
				m.getMetric("orchestrator_tokens_total")!.get({ model: "gpt-4.1-nano", direction: "input" })?.value ?? 0,
			];
			const settled = async (before: number[], want: number[]) => {
				const deadline = Date.now() + 2_000;
				let added = nano().map((v, i) => roundUsd(v - before[i]));
				while (added.some((v, i) => v !== want[i]) && Date.now() < deadline) {
					await new Promise(r => setTimeout(r, 20));
					added = nano().map((v, i) => roundUsd(v - before[i]));
				}
				// A little longer: a second, wrong count would land now.
				await new Promise(r => setTimeout(r, 100));
				return nano().map((v, i) => roundUsd(v - before[i]));
			};
			vendor.always({ kind: "ok", text: "MANAGE", input_tokens: 188, output_tokens: 2 });
			// /api/analyze and the analyze_request tool call this action: before, its assist call was in the ledger only.
			const alone = unsure("umm right").request;
			let before = nano();
			await broker.call<Analysis, unknown>("orchestrator.analyze", { request: alone });
			assert.deepEqual(await settled(before, [0.0000196, 188]), [0.0000196, 188]);
			before = nano();
			await broker.call<Analysis, unknown>("orchestrator.analyze", { request: alone });
			assert.deepEqual(await settled(before, [0, 0]), [0, 0], "an analysis from the cache paid nothing");
			// orchestrate analyses through the same action (cache on): its record counts the call, analyze does not again.
			const viaOrchestrate = unsure("the other bit").request;
			before = nano();
			const dry = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request: viaOrchestrate, options: { dry_run: true } });
			assert.equal(dry.intent_assist_cost_usd, 0.0000196);
			assert.deepEqual(await settled(before, [0.0000196, 188]), [0.0000196, 188]);
			assert.equal(vendor.completions.length, 2);
		});

		it("the analyze_request MCP tool's output, with intent_source and intent_note, passes its outputSchema", async () => {
			const { request } = unsure("hmm");
			const server = createMcpServer(broker, withAssist);
			const client = new Client({ name: "test-client", version: "1.0.0" });
			const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
			await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
			try {
				const tools = await client.listTools();
				const tool = tools.tools.find(t => t.name === "analyze_request")!;
				assert.equal(tool.annotations?.openWorldHint, true, "an enabled assist reaches an outside model");
				// The SDK client validates structuredContent against the tool's outputSchema.
				const out = (await client.callTool({ name: "analyze_request", arguments: { request } })) as any;
				assert.equal(out.isError, undefined);
				assert.equal(out.structuredContent.intent_source, "llm");
				assert.match(out.structuredContent.intent_note, /^intent llm_assist: MANAGE from gpt-4\.1-nano/);
			} finally {
				await client.close();
			}
		});

		it("keeps the local label when the answer is not a label, and does not pay for it twice", async () => {
			const { request, local } = unsure("tokens");
			vendor.next({ kind: "ok", text: "It is probably a READ request.", input_tokens: 190, output_tokens: 5 });
			const r = await classify(request);
			assert.deepEqual(r, {
				...local,
				source: "model",
				note: `intent llm_assist: gpt-4.1-nano answered "It is probably a READ request.", not a label (190+5 tokens, 0.000021 USD); local ${local.intent} ${local.confidence} kept`,
				cost_usd: 0.000021,
				charges: [{ model: "gpt-4.1-nano", input_tokens: 190, output_tokens: 5, cost_usd: 0.000021 }],
			});
			const again = await classify(request);
			assert.match(again.note!, /not a label \(cached\); local .* kept$/);
			assert.equal(again.cost_usd, undefined, "a cached verdict costs nothing");
			assert.equal(vendor.completions.length, 1);
		});

		it("answers within timeout_ms when the first model hangs, without sending that vendor the request again", async () => {
			const { request } = unsure("so the thing with the invoices");
			vendor.reset();
			vendor.next({ kind: "hang" });
			const started = Date.now();
			const r = await classify(request);
			assert.ok(Date.now() - started < TIMEOUT_MS, "answered within the assist's deadline");
			// The hung call may still be billed: the vendor's other models are not asked (docs/providers.md, "A vendor call at most once").
			assert.equal(vendor.completions.length, 1, "the hanging model was tried once, and no other model of that vendor");
			// openai is the only live provider: its model gets the assist's whole deadline, and no other openai model is asked.
			assert.match(r.note!, /^intent llm_assist: every call failed \(gpt-4\.1-nano@llm-openai: openai: no answer after \d+ ms\); local \w+ [\d.]+ kept$/);
			// The vendor may bill the hung call: the request pays it at its worst case (the input sent and max_tokens).
			assert.equal(r.charges?.length, 1);
			assert.deepEqual([r.charges![0].model, r.charges![0].output_tokens, r.cost_usd], ["gpt-4.1-nano", ASSIST.max_tokens, r.charges![0].cost_usd]);
		});

		// Last: the 500s open the provider's circuit breaker.
		it("keeps the local label when the vendor answers 500, naming the failures, and caches no failure", async () => {
			const { request, local } = unsure("stuff");
			vendor.always({ kind: "error", status: 500 });
			const r = await classify(request);
			assert.equal(r.intent, local.intent);
			assert.equal(r.source, "model");
			assert.match(
				r.note!,
				new RegExp(`^intent llm_assist: every call failed \\(gpt-4\\.1-nano@llm-openai: .*500.*\\); local ${local.intent} ${local.confidence} kept$`),
			);
			const calls = vendor.completions.length;
			assert.ok(calls >= 1);
			// Nothing was cached: the same request asks again (here the breaker, now open, is what answers).
			const again = await classify(request);
			assert.doesNotMatch(again.note!, /cached/);
		});
	});

	describe("on /v1 with model auto (official openai client)", () => {
		let broker: ServiceBroker;
		let openai: OpenAI;
		// A vendor of its own: the describe above stops the shared one.
		let vendor: FakeVendor;
		const records: RequestRecord[] = [];
		before(async () => {
			vendor = await fakeOpenAI();
			const port = await freePort();
			broker = testBroker({
				services: ["gateway", ...PIPELINE, "metrics"],
				env: { ...env(vendor), PORT: String(port), HOST: "127.0.0.1", METRICS_PORT: String(await freePort()), NAMESPACE: testNamespace() },
				config: withAssist,
			});
			recordRequests(broker, records);
			await broker.start();
			openai = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "unused", maxRetries: 0 });
		});
		after(async () => {
			await vendor?.stop();
			await broker?.stop();
		});

		it("x-orchestrator-cost-usd and the record count the assist's call once: a repeat's analysis from the cache paid none", async () => {
			const { request } = unsure("about the stuff from before");
			const assistCharge = { model: "gpt-4.1-nano", input_tokens: 188, output_tokens: 2, cost_usd: 0.0000196 };
			vendor.next(
				{ kind: "ok", text: "ANALYZE", input_tokens: 188, output_tokens: 2 },
				{ kind: "ok", text: "first", input_tokens: 30, output_tokens: 10 },
			);
			// temperature 1: not a call the completion cache answers, so the repeat reaches the vendor.
			const ask = () => openai.chat.completions.create({ model: "auto", temperature: 1, messages: [{ role: "user", content: request }] }).withResponse();
			const first = await ask();
			const answered = first.data.model;
			const answerCharge = { model: answered, input_tokens: 30, output_tokens: 10, cost_usd: priceUsd(shipped.models[answered], 30, 10) };
			const paid = roundUsd(assistCharge.cost_usd + answerCharge.cost_usd);
			assert.equal(Number(first.response.headers.get("x-orchestrator-cost-usd")), paid);
			assert.deepEqual([records.at(-1)!.spend, records.at(-1)!.cost_usd], [[assistCharge, answerCharge], paid]);
			assert.equal(vendor.completions.length, 2);

			vendor.next({ kind: "ok", text: "again", input_tokens: 30, output_tokens: 10 });
			const again = await ask();
			assert.equal(vendor.completions.length, 3, "no second assist call");
			assert.equal(Number(again.response.headers.get("x-orchestrator-cost-usd")), answerCharge.cost_usd);
			assert.deepEqual(records.at(-1)!.spend, [answerCharge]);
		});
	});
});
