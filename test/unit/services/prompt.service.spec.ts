import { strict as assert } from "node:assert";
import type { ServiceBroker } from "moleculer";
import { loadConfig } from "../../../lib/config";
import { priceUsd } from "../../../services/models/pricing";
import type { Optimized } from "../../../services/prompt/optimize";
import type { Analysis } from "../../../lib/contracts";
import { testBroker } from "../../helpers";

const LONG =
	"Hi, could you please, when you get a moment, take a look at src/net/fetchWithRetry.ts and make fetchWithRetry back off exponentially with jitter and a max of 5 attempts? Thanks a lot!";

describe("prompt service and token accounting", () => {
	let broker: ServiceBroker;
	const config = loadConfig();

	before(async () => {
		broker = testBroker({ services: ["prompt", "models", "intent", "complexity", "router", "orchestrator"] });
		await broker.start();
	});
	after(() => broker.stop());

	it("prompt.optimize applies the intent and tier output budget from config.yaml", async () => {
		const o = await broker.call<Optimized, unknown>("prompt.optimize", {
			request: "where is `calculateTax` defined?",
			intent: "SEARCH",
			complexity: "simple",
		});
		assert.equal(o.max_tokens, config.output_budget.by_intent?.SEARCH?.simple ?? config.output_budget.simple);
		assert.equal(o.prompt, "where is `calculateTax` defined?");
		assert.deepEqual(o.notes, []);
	});

	it("rejects an unknown strategy naming the field", async () => {
		await assert.rejects(
			broker.call("prompt.optimize", { request: "x", intent: "READ", complexity: "simple", strategy: "magic" }),
			(err: Error & { data?: { field: string }[] }) => err.name === "ValidationError" && err.data?.[0]?.field === "strategy",
		);
	});

	it("the llm strategy with no live provider falls back to the default compression and says so", async () => {
		const o = await broker.call<Optimized, unknown>("prompt.optimize", { request: LONG, intent: "WRITE", complexity: "moderate", strategy: "llm" });
		assert.deepEqual(o.notes, ["prompt_strategy llm: no live provider; default compression used"]);
		assert.equal(
			o.prompt,
			"when you get moment, take look at src/net/fetchWithRetry.ts and make fetchWithRetry back off exponentially with jitter and max of 5 attempts?",
		);
	});

	it("the llm strategy does not spend a call on a short request", async () => {
		const o = await broker.call<Optimized, unknown>("prompt.optimize", {
			request: "show the README",
			intent: "READ",
			complexity: "simple",
			strategy: "llm",
		});
		assert.match(o.notes[0], /under 24 tokens, not worth a rewrite call/);
	});

	it("orchestrator.analyze reports optimized and baseline tokens and prices the baseline on the complex tier's model", async () => {
		const context = {
			framework: "React",
			files: [
				{ path: "src/unrelated.ts", content: "export const a = 1;\n".repeat(300) },
				{ path: "src/cart.ts", content: "export function total() { return 1; }" },
			],
		};
		const a = await broker.call<Analysis, unknown>("orchestrator.analyze", {
			request: "why does total() in src/cart.ts return 1?",
			context,
			options: { prompt_strategy: "llm" },
		});
		const baselineModel = config.models[config.tiers.complex.preferred];
		assert.ok(a.input_tokens > 0 && a.input_tokens < a.baseline_input_tokens / 10, `${a.input_tokens} vs ${a.baseline_input_tokens}`);
		assert.equal(a.baseline_cost_usd, priceUsd(baselineModel, a.baseline_input_tokens, a.max_tokens));
		assert.equal(a.estimated_cost_usd, priceUsd(config.models[a.model!], a.input_tokens, a.max_tokens));
		assert.ok(a.dropped.some(d => d.startsWith("context.files src/unrelated.ts")));
		assert.match(a.prompt_notes[0], /^prompt_strategy llm: /);
	});
});
