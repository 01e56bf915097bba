import { strict as assert } from "node:assert";
import type { ServiceBroker } from "moleculer";
import { loadConfig } from "../../lib/config";
import { countMessageTokens } from "../../lib/tokens";
import type { Analysis, OrchestrateResult } from "../../lib/contracts";
import { CORRECTION_METRIC } from "../../services/models.service";
import { CORRECTIONS_CHANGED, type ModelCorrection } from "../../services/models/correction";
import { priceUsd } from "../../services/models/pricing";
import { fakeAnthropic } from "../fakes/anthropic";
import { fakeOpenAI } from "../fakes/openai";
import type { FakeVendor } from "../fakes/vendor";
import { providerEnvFor } from "../fixtures/vendors";
import { NATS_URL, seesService, testBroker, testNamespace } from "../helpers";

const config = loadConfig();
const HAIKU = "claude-haiku-4-5";
const NANO = "gpt-4.1-nano";
const PIPELINE = ["orchestrator", "intent", "complexity", "router", "prompt", "models", "metrics"];

/** What the vendor was sent, as the o200k_base estimate sees it: system + messages with chat framing. */
function o200kOfBody(body: any): number {
	const text = (c: unknown) => (typeof c === "string" ? c : Array.isArray(c) ? c.map((p: any) => p.text ?? "").join("") : "");
	const messages = (body.messages ?? []).map((m: any) => ({ role: m.role, content: text(m.content) }));
	const system = text(body.system);
	return countMessageTokens(system ? [{ role: "system", content: system }, ...messages] : messages);
}

/**
 * A vendor whose tokenizer counts 1.3x our o200k_base estimate (Anthropic) and one that counts
 * exactly as we do (OpenAI), behind the real provider services; a second node runs only a models
 * service, which must learn from the same reports; a third joins later and adopts what was learned.
 */
describe("learned correction of token estimates from vendor usage, across a NATS cluster", function () {
	this.timeout(60_000);
	const namespace = testNamespace();
	const env = { TRANSPORTER: NATS_URL, NAMESPACE: namespace };
	let anthropic: FakeVendor;
	let openai: FakeVendor;
	let a: ServiceBroker;
	let b: ServiceBroker;
	let late: ServiceBroker | undefined;
	const changes: { nodeID: string; ratios: Record<string, number> }[] = [];
	const waiting: (() => boolean)[] = [];

	/** Resolves once every models node has announced ratios that satisfy `ok`. */
	const announcedBy = (nodes: string[], ok: (r: Record<string, number>) => boolean) =>
		new Promise<void>(resolve => {
			const check = () => {
				if (!nodes.every(n => changes.some(c => c.nodeID === n && ok(c.ratios)))) return false;
				resolve();
				return true;
			};
			if (!check()) waiting.push(check);
		});

	const corrections = (broker: ServiceBroker, nodeID: string) =>
		broker.call<{ applied: Record<string, number>; models: ModelCorrection[] }, unknown>("models.corrections", {}, { nodeID });
	const analyze = (request: string, model: string, options: Record<string, unknown> = {}) =>
		a.call<Analysis, unknown>("orchestrator.analyze", { request, options: { preferred_models: [model], ...options } });
	const orchestrate = (request: string, model: string) =>
		a.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request, options: { preferred_models: [model] } });

	before(async () => {
		[anthropic, openai] = await Promise.all([fakeAnthropic(), fakeOpenAI()]);
		anthropic.always({ kind: "ok", inputTokensOf: body => Math.round(o200kOfBody(body) * 1.3) });
		openai.always({ kind: "ok", inputTokensOf: body => o200kOfBody(body) });
		const providers = providerEnvFor({ anthropic, openai });
		a = testBroker({
			services: [...PIPELINE, "llm-anthropic", "llm-openai"],
			env: { ...env, ...providers, NODE_ID: `${namespace}-a` },
			broker: { dependencyInterval: 50 },
		});
		b = testBroker({ services: ["models"], env: { ...env, NODE_ID: `${namespace}-b` } });
		a.createService({
			name: "corrections-watch",
			events: {
				[CORRECTIONS_CHANGED](ctx: any) {
					changes.push({ nodeID: ctx.nodeID, ratios: ctx.params.ratios });
					for (const check of [...waiting]) if (check()) waiting.splice(waiting.indexOf(check), 1);
				},
			},
		});
		await Promise.all([a.start(), b.start()]);
		await a.waitForServices([...PIPELINE, "llm-anthropic", "llm-openai"], 20_000);
		// Each side must know the other's listeners: a's reports reach b's models, b's announcements reach a's watcher.
		await Promise.all([seesService(a, "models", b.nodeID), seesService(b, "corrections-watch", a.nodeID)]);
	});

	after(async () => {
		await Promise.all([a, b, late].map(x => x?.stop()));
		await Promise.all([anthropic, openai].map(v => v?.stop()));
	});

	it("before any report, an Anthropic model's estimate is the o200k_base count itself", async () => {
		const plan = await analyze("Explain how a write-ahead log makes a database crash-safe.", HAIKU);
		assert.equal(plan.model, HAIKU);
		assert.equal(plan.token_accounting.counted_with, "o200k_base");
		assert.equal(plan.token_accounting.input_ratio, 1);
		assert.equal(plan.estimated_input_tokens, plan.input_tokens);
		assert.equal(plan.estimated_cost_usd, priceUsd(config.models[HAIKU], plan.input_tokens, plan.max_tokens));
	});

	it("after 5 calls whose vendor usage is 1.3x the estimate, every models node applies 1.3 and analyze's estimate follows", async () => {
		const probe = "Explain how a write-ahead log makes a database crash-safe.";
		const learned = announcedBy([a.nodeID, b.nodeID], r => r[HAIKU] === 1.3);
		for (let i = 0; i < 5; i++) {
			const res = await orchestrate(`Explain consistent hashing in a sharded cache, variant ${i}.`, HAIKU);
			assert.equal(res.model, HAIKU);
			// What the result says about its own figures: input_tokens is our count, usage is the vendor's.
			assert.equal(res.token_accounting.usage_source, "vendor");
			assert.equal(res.usage.input_tokens, Math.round(res.input_tokens * 1.3), "the fake reports 1.3x what we counted");
			assert.equal(res.cost_usd, priceUsd(config.models[HAIKU], res.usage.input_tokens, res.usage.output_tokens));
		}
		await learned;

		for (const node of [a.nodeID, b.nodeID]) {
			const c = await corrections(a, node);
			const haiku = c.models.find(m => m.model === HAIKU)!;
			assert.equal(haiku.samples, 5, node);
			assert.equal(haiku.ratio, 1.3, node);
			assert.ok(Math.abs(haiku.observed_ratio - 1.3) < 0.02, `${node}: ${haiku.observed_ratio}`);
			assert.equal(c.applied[HAIKU], 1.3);
		}
		// The same probe, cache on: an analysis made under the old ratio is not served.
		const plan = await analyze(probe, HAIKU);
		assert.equal(plan.token_accounting.input_ratio, 1.3);
		assert.equal(plan.estimated_input_tokens, Math.round(plan.input_tokens * 1.3));
		assert.equal(plan.estimated_cost_usd, priceUsd(config.models[HAIKU], plan.estimated_input_tokens, plan.max_tokens));
		// The baseline model (claude-sonnet-4-6) has no reports yet: its estimate is not touched.
		assert.equal(plan.token_accounting.baseline_input_ratio, 1);
		// Prometheus gauge on the node that only runs models.
		const gauge = b.metrics.getMetric(CORRECTION_METRIC.name)!;
		assert.equal((gauge.get({ model: HAIKU }) as { value: number }).value, 1.3);
		// get_metrics shows it too.
		const m = await a.call<{ token_corrections: { model: string; ratio: number; samples: number }[] }, unknown>("metrics.get", { period: "5m" });
		assert.deepEqual(
			m.token_corrections.filter(c => c.model === HAIKU).map(c => [c.ratio, c.samples]),
			[[1.3, 5]],
		);
	});

	it("an OpenAI model whose vendor counts exactly as o200k_base stays at 1.0", async () => {
		const learned = announcedBy([a.nodeID, b.nodeID], r => r[NANO] !== undefined);
		for (let i = 0; i < 5; i++) {
			const res = await orchestrate(`List three uses of a bloom filter, take ${i}.`, NANO);
			assert.equal(res.model, NANO);
			assert.equal(res.usage.input_tokens, res.input_tokens);
		}
		await learned;
		const c = await corrections(a, b.nodeID);
		const nano = c.models.find(m => m.model === NANO)!;
		assert.deepEqual([nano.ratio, nano.observed_ratio, nano.samples], [1, 1, 5]);
		const plan = await analyze("List three uses of a bloom filter.", NANO);
		assert.equal(plan.token_accounting.input_ratio, 1);
		assert.equal(plan.estimated_input_tokens, plan.input_tokens);
	});

	it("a models node joining the running cluster adopts what its peers learned", async () => {
		late = testBroker({ services: ["models"], env: { ...env, NODE_ID: `${namespace}-late` } });
		const adopted = announcedBy([`${namespace}-late`], r => r[HAIKU] === 1.3);
		await late.start();
		await adopted;
		const c = await corrections(late, late.nodeID);
		assert.equal(c.applied[HAIKU], 1.3);
		assert.equal(c.models.find(m => m.model === HAIKU)!.samples, 5);
	});
});
