import { strict as assert } from "node:assert";
import type { ServiceBroker } from "moleculer";
import type { Analysis } from "../../lib/types";
import type { Optimized } from "../../services/prompt/optimize";
import { REWRITE_SYSTEM } from "../../services/prompt/rewrite";
import type { FakeVendor } from "../fakes/vendor";
import { fakeOpenAI } from "../fakes/openai";
import { testBroker } from "../helpers";

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
			env: { OPENAI_API_KEY: vendor.apiKey, OPENAI_BASE_URL: `${vendor.baseUrl}/v1`, ANTHROPIC_API_KEY: "", GOOGLE_API_KEY: "", GEMINI_API_KEY: "", OPENAI_COMPATIBLE_BASE_URL: "" },
		});
		await broker.start();
	});
	after(async () => {
		await broker?.stop();
		await vendor?.stop();
	});
	beforeEach(() => vendor.reset());

	const optimize = (req: string) => broker.call<Optimized, unknown>("prompt.optimize", { request: req, intent: "WRITE", complexity: "moderate", strategy: "llm" });

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
		assert.match(o.notes[0], /^prompt_strategy llm: rewrite lost "src\/net\/fetchWithRetry\.ts", "fetchWithRetry" \(gpt-4\.1-nano, 21\+9 tokens, [0-9.e-]+ USD\); default compression used$/);
		// The refusal is cached too: the same request does not pay for a second refusal.
		await optimize(request(6));
		assert.equal(vendor.completions.length, 1);
	});

	it("falls back to the default compression, naming the failures, when every rewrite call fails", async () => {
		vendor.always({ kind: "error", status: 400, message: "bad request from test" });
		const o = await optimize(request(7));
		assert.ok(o.prompt.includes("fetchWithRetry back off exponentially"));
		assert.match(o.notes[0], /^prompt_strategy llm: every rewrite call failed \(gpt-4\.1-nano@llm-openai: .*bad request from test.*\); default compression used$/);
	});

	it("orchestrator.analyze carries the rewrite, the note and the token counts of the rewritten prompt", async () => {
		vendor.next({ kind: "ok", text: goodRewrite(8) });
		const a = await broker.call<Analysis, unknown>("orchestrator.analyze", { request: request(8), options: { prompt_strategy: "llm" } });
		assert.equal(a.optimized_prompt, goodRewrite(8));
		assert.match(a.prompt_notes[0], /^prompt_strategy llm: rewrite by gpt-4\.1-nano/);
		assert.ok(a.input_tokens < a.baseline_input_tokens, `${a.input_tokens} vs ${a.baseline_input_tokens}`);
	});
});
