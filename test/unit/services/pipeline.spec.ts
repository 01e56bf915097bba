import { strict as assert } from "node:assert";
import type { Middleware, ServiceBroker } from "moleculer";
import { loadConfig } from "../../../lib/config";
import { testBroker } from "../../helpers";

/** Each stage service on a local broker, called through broker.call as the orchestrator calls it. */
describe("pipeline stage services (local broker)", () => {
	let broker: ServiceBroker;
	before(async () => {
		broker = testBroker({ exclude: ["gateway", "llm-*", "mcp.*"] });
		await broker.start();
	});
	after(() => broker.stop());

	it("intent.classify returns one of the five intents with a confidence in 0..1", async () => {
		const r = await broker.call<{ intent: string; confidence: number }, unknown>("intent.classify", { request: "deploy the billing service to staging" });
		assert.equal(r.intent, "MANAGE");
		assert.ok(r.confidence > 0 && r.confidence <= 1);
	});

	it("intent.classify rejects a missing request naming the field", async () => {
		await assert.rejects(broker.call("intent.classify", {}), (err: any) => err.name === "ValidationError" && JSON.stringify(err.data).includes("request"));
	});

	it("complexity.analyze ranks a cross-service migration above a rename", async () => {
		const easy = await broker.call<{ score: number; complexity: string }, unknown>("complexity.analyze", {
			request: "rename variable x to count in utils.ts",
		});
		const hard = await broker.call<{ score: number; complexity: string }, unknown>("complexity.analyze", {
			request:
				"design a migration of our monolith's billing, auth and notification modules into separate services with zero downtime, keeping the Postgres schema consistent across the transition and handling distributed transactions",
		});
		assert.ok(hard.score > easy.score, `${hard.score} > ${easy.score}`);
		assert.ok(hard.score >= 0 && hard.score <= 1 && easy.score >= 0 && easy.score <= 1);
	});

	it("router.route takes the LLM path when no downstream MCP service is live", async () => {
		const r = await broker.call<{ kind: string }, unknown>("router.route", { request: "explain closures in JavaScript", intent: "ANALYZE" });
		assert.equal(r.kind, "llm");
	});

	it("prompt.optimize counts tokens with the real tokenizer and reports the verbatim baseline", async () => {
		const r = await broker.call<any, unknown>("prompt.optimize", {
			request: "why does this fail?",
			context: { error: "TypeError: cannot read properties of undefined (reading 'id')\n    at getUser (src/users.ts:42:17)" },
			intent: "ANALYZE",
			complexity: "moderate",
		});
		assert.ok(r.prompt.includes("why does this fail?"));
		assert.ok(r.prompt.includes("src/users.ts:42:17"));
		assert.ok(r.input_tokens > 10 && r.baseline_input_tokens > 10);
		assert.equal(r.max_tokens > 0, true);
	});

	it("models.select returns the tier's preferred model first and its fallbacks in order", async () => {
		const r = await broker.call<any, unknown>("models.select", { tier: "complex", input_tokens: 1000, max_tokens: 1000 });
		// As config.yaml has them (a provider added to a tier changes the list, not what this checks).
		const { preferred, fallback } = loadConfig().tiers.complex;
		assert.equal(r.model, preferred);
		assert.deepEqual(r.fallbacks, fallback);
	});

	it("models.select puts preferred_models first and refuses a max_cost nothing fits", async () => {
		const r = await broker.call<any, unknown>("models.select", { tier: "simple", input_tokens: 100, max_tokens: 100, preferred_models: ["gpt-4.1"] });
		assert.equal(r.model, "gpt-4.1");
		await assert.rejects(
			broker.call("models.select", { tier: "complex", input_tokens: 100_000, max_tokens: 4000, max_cost: 0.000001 }),
			/options\.max_cost: no model fits/,
		);
	});

	it("models.resolve names the model and the variable to set when no provider serves it", async () => {
		await assert.rejects(
			broker.call("models.resolve", { model: "gpt-4.1-mini" }),
			/no live provider serves model 'gpt-4\.1-mini'; set OPENAI_API_KEY to enable the openai provider \(if it is set, its nodes are stopping or unreachable\)$/,
		);
	});

	it("keeps answering models.resolve after many 'no provider' answers (they do not trip the breaker)", async () => {
		for (let i = 0; i < 12; i++) {
			await assert.rejects(broker.call("models.resolve", { model: "gpt-4.1-mini" }), (err: any) => err.type === "NO_PROVIDER");
		}
	});

	it("orchestrator.analyze returns every analysis field", async () => {
		const a = await broker.call<any, unknown>("orchestrator.analyze", { request: "Show me the contents of README.md" });
		for (const key of [
			"intent",
			"intent_confidence",
			"complexity",
			"complexity_score",
			"strong_need",
			"route",
			"model",
			"fallbacks",
			"optimized_prompt",
			"input_tokens",
			"baseline_input_tokens",
			"estimated_cost_usd",
			"baseline_cost_usd",
		]) {
			assert.ok(key in a, `missing ${key}`);
		}
		assert.ok(["READ", "WRITE", "SEARCH", "ANALYZE", "MANAGE"].includes(a.intent));
		assert.ok(a.strong_need >= 0 && a.strong_need <= 1);
	});

	it("orchestrate dry_run returns the plan without executing", async () => {
		const r = await broker.call<any, unknown>("orchestrator.orchestrate", { request: "write a unit test for parseDate", options: { dry_run: true } });
		assert.equal(r.dry_run, true);
		assert.equal(r.output, null);
		assert.deepEqual(r.attempts, []);
		assert.deepEqual(r.usage, { input_tokens: 0, output_tokens: 0 });
	});

	it("orchestrate without any provider fails with an error naming the model and the variable", async () => {
		await assert.rejects(
			broker.call("orchestrator.orchestrate", { request: "explain closures", options: { preferred_models: ["gpt-4.1"] } }),
			(err: any) => {
				assert.match(err.message, /gpt-4\.1.*OPENAI_API_KEY/);
				assert.ok(Array.isArray(err.data.attempts) && err.data.attempts.length > 0);
				return true;
			},
		);
	});

	it("refuses a context over the configured size limit, naming the limit", async () => {
		const big = "x".repeat(4 * 1024 * 1024 + 10);
		await assert.rejects(
			broker.call("orchestrator.analyze", { request: "summarize", context: { files: [{ path: "a.txt", content: big }] } }),
			/limits\.max_context_bytes/,
		);
	});

	it("admits a 2 MB attached file, as IDE agents send", async function () {
		// The first big context starts the prompt worker thread (services/prompt/offload.ts: tsx and the tokenizer load there).
		this.timeout(60_000);
		const content = "const a = 1;\n".repeat(160_000); // ~2 MB
		const a = await broker.call<any, unknown>("orchestrator.analyze", {
			request: "what does a hold in big.ts?",
			context: { files: [{ path: "big.ts", content }] },
		});
		assert.ok(a.baseline_input_tokens > 100_000);
	});

	it("refuses malformed context.files naming the field", async () => {
		await assert.rejects(broker.call("orchestrator.analyze", { request: "x", context: { files: "nope" } }), /context\.files/);
	});

	it("metrics.get reports the orchestrated requests of the window", async () => {
		const before = await broker.call<any, unknown>("metrics.get", { period: "1m" });
		await broker.call("orchestrator.orchestrate", { request: "explain closures" }).catch(() => undefined);
		// The event is emitted before the call settles; metrics sees it on the next tick.
		await new Promise(r => setImmediate(r));
		const after = await broker.call<any, unknown>("metrics.get", { period: "1m" });
		assert.equal(after.requests.total, before.requests.total + 1);
		assert.ok(after.success_rate < 1);
	});

	it("metrics.get rejects an unknown period naming the field", async () => {
		await assert.rejects(broker.call("metrics.get", { period: "2w" }), (err: any) => JSON.stringify(err.data).includes("period"));
	});
});

describe("orchestrator under a failing stage", () => {
	let broker: ServiceBroker;
	const runs = { orchestrate: 0 };
	before(async () => {
		broker = testBroker({
			exclude: ["gateway", "llm-*", "mcp.*"],
			broker: {
				retryPolicy: { enabled: true, retries: 2, delay: 10, maxDelay: 20, factor: 2, check: (err: any) => !!err?.retryable },
				// Counts executions of the action itself: a retried call runs it again.
				middlewares: [
					{
						name: "count-runs",
						localAction(next: any, action: any) {
							return action.name === "orchestrator.orchestrate" ? (ctx: any) => (runs.orchestrate++, next(ctx)) : next;
						},
					} as unknown as Middleware,
				],
			},
		});
		await broker.start();
	});
	after(() => broker.stop());

	it("runs orchestrate once when a stage is gone: the stage call retries, the whole walk does not", async () => {
		await broker.destroyService(broker.getLocalService("router")!);
		await assert.rejects(broker.call("orchestrator.orchestrate", { request: "explain closures", options: { cache: false } }), (err: any) => {
			assert.match(err.message, /router\.route/);
			return true;
		});
		assert.equal(runs.orchestrate, 1);
	});
});
