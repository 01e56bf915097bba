import { strict as assert } from "node:assert";
import type { ServiceBroker } from "moleculer";
import { loadConfig } from "../../lib/config";
import type { Analysis, OrchestrateResult } from "../../lib/contracts";
import { priceUsd, roundUsd } from "../../services/models/pricing";
import type { Optimized } from "../../services/prompt/optimize";
import { REWRITE_SYSTEM } from "../../services/prompt/rewrite";
import type { FakeVendor } from "../fakes/vendor";
import { fakeOpenAI } from "../fakes/openai";
import { testBroker } from "../helpers";

const config = loadConfig();

// Long enough to be worth a rewrite call; every protected term is named in the good rewrites below.
const request = (n: number) =>
	`Hi there, hope you are well! When you get a moment, could you please take a look at src/net/fetchWithRetry.ts and make fetchWithRetry back off exponentially with jitter and a max of ${n} attempts? Thanks a lot!`;
const goodRewrite = (n: number) => `Make fetchWithRetry in src/net/fetchWithRetry.ts back off exponentially with jitter, max ${n} attempts.`;

describe("prompt_strategy llm through the real OpenAI provider and a fake OpenAI server", function () {
	this.timeout(30_000);
	let vendor: FakeVendor;
	let broker: ServiceBroker;

	before(async () => {
		vendor = await fakeOpenAI();
		broker = testBroker({
			services: ["orchestrator", "intent", "complexity", "router", "prompt", "models", "llm-openai"],
			env: {
				OPENAI_API_KEY: vendor.apiKey,
				OPENAI_BASE_URL: `${vendor.baseUrl}/v1`,
				ANTHROPIC_API_KEY: "",
				GOOGLE_API_KEY: "",
				GEMINI_API_KEY: "",
				OPENAI_COMPATIBLE_BASE_URL: "",
			},
		});
		await broker.start();
	});
	after(async () => {
		await broker?.stop();
		await vendor?.stop();
	});
	beforeEach(() => vendor.reset());

	const optimize = (req: string) =>
		broker.call<Optimized, unknown>("prompt.optimize", { request: req, intent: "WRITE", complexity: "moderate", strategy: "llm" });

	it("asks the cheapest live model, uses a rewrite that keeps every term, and serves it from the cacher the second time", async () => {
		vendor.next({ kind: "ok", text: goodRewrite(5), input_tokens: 80, output_tokens: 20 });
		const first = await optimize(request(5));
		assert.equal(first.prompt, goodRewrite(5));
		assert.deepEqual(first.notes, ["prompt_strategy llm: rewrite by gpt-4.1-nano (80+20 tokens, 0.000016 USD)"]);
		assert.equal(vendor.completions.length, 1);
		const sent = vendor.completions[0].body;
		assert.equal(sent.model, "gpt-4.1-nano");
		assert.equal(sent.temperature, 0);
		assert.deepEqual(sent.messages, [
			{ role: "system", content: REWRITE_SYSTEM },
			{ role: "user", content: request(5) },
		]);

		const second = await optimize(request(5));
		assert.equal(second.prompt, goodRewrite(5));
		assert.deepEqual(second.notes, ["prompt_strategy llm: rewrite by gpt-4.1-nano (cached)"]);
		assert.equal(vendor.completions.length, 1, "no second vendor call");
	});

	it("options.cache: false neither reads nor writes the cached rewrite", async () => {
		vendor.always({ kind: "ok", text: goodRewrite(9) });
		const run = () => broker.call<Analysis, unknown>("orchestrator.analyze", { request: request(9), options: { prompt_strategy: "llm", cache: false } });
		assert.equal((await run()).optimized_prompt, goodRewrite(9));
		assert.equal((await run()).optimized_prompt, goodRewrite(9));
		assert.equal(vendor.completions.length, 2, "each uncached analysis asks again");
		const cached = await optimize(request(9));
		assert.match(cached.notes[0], /^prompt_strategy llm: rewrite by gpt-4\.1-nano \(/, `nothing was written, so this one asks too: ${cached.notes[0]}`);
		assert.equal(vendor.completions.length, 3);
	});

	it("refuses a rewrite that dropped a protected term and uses the default compression", async () => {
		vendor.next({ kind: "ok", text: "Make the retry helper back off exponentially with jitter, max 6 attempts." });
		const o = await optimize(request(6));
		assert.ok(o.prompt.includes("src/net/fetchWithRetry.ts and make fetchWithRetry"), o.prompt);
		assert.match(
			o.notes[0],
			/^prompt_strategy llm: rewrite lost "src\/net\/fetchWithRetry\.ts", "fetchWithRetry" \(gpt-4\.1-nano, 21\+9 tokens, [0-9.e-]+ USD\); default compression used$/,
		);
		// The refusal is cached too: the same request does not pay for a second refusal.
		await optimize(request(6));
		assert.equal(vendor.completions.length, 1);
	});

	it("falls back to the default compression, naming the failures, when every rewrite call fails", async () => {
		vendor.always({ kind: "error", status: 400, message: "bad request from test" });
		const o = await optimize(request(7));
		assert.ok(o.prompt.includes("fetchWithRetry back off exponentially"));
		assert.match(
			o.notes[0],
			/^prompt_strategy llm: every rewrite call failed \(gpt-4\.1-nano@llm-openai: .*bad request from test.*\); default compression used$/,
		);
	});

	it("adds a rewrite call's cost to estimated_cost_usd when it was made, and not when the verdict came from the cacher", async () => {
		vendor.next({ kind: "ok", text: goodRewrite(11), input_tokens: 80, output_tokens: 20 });
		const paid = await broker.call<Analysis, unknown>("orchestrator.analyze", {
			request: request(11),
			context: { ticket: "A-1" },
			options: { prompt_strategy: "llm" },
		});
		const rewrite = priceUsd(config.models["gpt-4.1-nano"], 80, 20);
		assert.equal(paid.rewrite_cost_usd, rewrite);
		const call = priceUsd(config.models[paid.model!], paid.estimated_input_tokens, paid.max_tokens);
		assert.equal(paid.estimated_cost_usd, roundUsd(call + rewrite));

		// Another context is another analysis, but the same request: the rewrite verdict comes from the cacher, unpaid.
		const reused = await broker.call<Analysis, unknown>("orchestrator.analyze", {
			request: request(11),
			context: { ticket: "A-2" },
			options: { prompt_strategy: "llm" },
		});
		assert.equal(vendor.completions.length, 1, "no second rewrite call");
		assert.deepEqual(reused.prompt_notes, ["prompt_strategy llm: rewrite by gpt-4.1-nano (cached)"]);
		assert.equal(reused.rewrite_cost_usd, 0);
		assert.equal(reused.estimated_cost_usd, priceUsd(config.models[reused.model!], reused.estimated_input_tokens, reused.max_tokens));
	});

	it("orchestrate's cost_usd is the vendor-priced answer plus the rewrite made for it; a cached analysis charges no rewrite", async () => {
		vendor.next(
			{ kind: "ok", text: goodRewrite(12), input_tokens: 80, output_tokens: 20 },
			{ kind: "ok", text: "done", input_tokens: 40, output_tokens: 30 },
		);
		const run = () => broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request: request(12), options: { prompt_strategy: "llm" } });
		const first = await run();
		assert.equal(vendor.completions.length, 2, "one rewrite, one answer");
		const rewrite = priceUsd(config.models["gpt-4.1-nano"], 80, 20);
		assert.equal(first.token_accounting.usage_source, "vendor");
		assert.deepEqual(first.usage, { input_tokens: 40, output_tokens: 30 });
		assert.equal(first.rewrite_cost_usd, rewrite);
		assert.equal(first.cost_usd, roundUsd(priceUsd(config.models[first.model!], 40, 30) + rewrite));

		// Analysis and answer both from the cache: nothing is paid this time, and the result says so.
		const second = await run();
		assert.equal(vendor.completions.length, 2);
		assert.equal(second.token_accounting.usage_source, "cache");
		assert.equal(second.cost_usd, 0);
		assert.equal(second.rewrite_cost_usd, 0);
		assert.equal(second.estimated_cost_usd, roundUsd(first.estimated_cost_usd - rewrite));
		assert.match(second.prompt_notes.at(-1)!, /analysis from the cache: its helper LLM calls were paid when it was made/);
	});

	it("a dry run still reports the rewrite it paid for in cost_usd", async () => {
		vendor.next({ kind: "ok", text: goodRewrite(13), input_tokens: 80, output_tokens: 20 });
		const res = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", {
			request: request(13),
			options: { prompt_strategy: "llm", dry_run: true },
		});
		assert.equal(vendor.completions.length, 1);
		assert.equal(res.token_accounting.usage_source, "none");
		assert.equal(res.cost_usd, priceUsd(config.models["gpt-4.1-nano"], 80, 20));
	});

	it("orchestrator.analyze carries the rewrite, the note and the token counts of the rewritten prompt", async () => {
		vendor.next({ kind: "ok", text: goodRewrite(8) });
		const a = await broker.call<Analysis, unknown>("orchestrator.analyze", { request: request(8), options: { prompt_strategy: "llm" } });
		assert.equal(a.optimized_prompt, goodRewrite(8));
		assert.match(a.prompt_notes[0], /^prompt_strategy llm: rewrite by gpt-4\.1-nano/);
		assert.ok(a.input_tokens < a.baseline_input_tokens, `${a.input_tokens} vs ${a.baseline_input_tokens}`);
	});
});
