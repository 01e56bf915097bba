import { strict as assert } from "node:assert";
import type { ServiceBroker } from "moleculer";
import type { OrchestrateResult } from "../../lib/contracts";
import { savings, type MetricsSummary } from "../../services/metrics/summary";
import { startVendors, type Vendors } from "../fixtures/vendors";
import { freePort, testBroker, testNamespace } from "../helpers";
import { parsePrometheus, samples, total, type Sample } from "../prometheus";

/** After a known sequence of requests, /metrics and get_metrics report exactly that sequence. */
describe("metrics after a known sequence of requests", () => {
	let vendors: Vendors;
	let broker: ServiceBroker;
	let port: number;
	const results: { res: OrchestrateResult; status: "ok" | "error" | "dry_run" }[] = [];
	let scraped: Sample[];

	const orchestrate = async (request: string, options: Record<string, unknown> = {}) => {
		try {
			const res = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request, options });
			results.push({ res, status: res.dry_run ? "dry_run" : "ok" });
			return res;
		} catch (err: any) {
			// The failed request's plan, to know its labels: the same request analysed.
			const res = await broker.call<OrchestrateResult, unknown>("orchestrator.analyze", { request, options });
			results.push({ res: { ...res, cached: false, usage: { input_tokens: 0, output_tokens: 0 }, cost_usd: 0 } as OrchestrateResult, status: "error" });
			return err;
		}
	};
	const scrape = async () => parsePrometheus(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());

	before(async () => {
		port = await freePort();
		vendors = await startVendors();
		broker = testBroker({ env: { ...vendors.env, METRICS_PORT: String(port), NAMESPACE: testNamespace() }, exclude: ["gateway"] });
		await broker.start();

		await orchestrate("explain what a mutex is", { dry_run: true });
		await orchestrate("explain what a mutex is", { dry_run: true });
		await orchestrate("write a function that reverses a linked list in TypeScript");
		await orchestrate("write a function that reverses a linked list in TypeScript");
		// Every vendor refuses: an error after a walk over the whole chain (two fallbacks).
		vendors.always({ kind: "error", status: 400, message: "prompt rejected" });
		await orchestrate("design a sharded rate limiter for a multi-region API gateway with exact global quotas");
		vendors.always({ kind: "ok" });
		scraped = await scrape();
	});

	after(async () => {
		await broker?.stop();
		await vendors?.stop();
	});

	it("counts requests by intent, complexity, route and status", () => {
		assert.equal(total(scraped, "orchestrator_requests_total"), results.length);
		const expected = new Map<string, number>();
		for (const { res, status } of results) {
			const key = JSON.stringify({ intent: res.intent, complexity: res.complexity, route: res.route.kind, status });
			expected.set(key, (expected.get(key) ?? 0) + 1);
		}
		for (const [key, n] of expected) {
			const labels = JSON.parse(key);
			assert.equal(total(scraped, "orchestrator_requests_total", labels), n, key);
		}
		for (const s of samples(scraped, "orchestrator_requests_total")) {
			assert.deepEqual(Object.keys(s.labels).sort(), ["complexity", "intent", "key", "namespace", "nodeID", "route", "status"]);
			// No key configured: the key label is empty (with keys it holds the key's name; keys-budgets.spec.ts).
			assert.equal(s.labels.key, "");
		}
	});

	it("times every request in total and by stage", () => {
		const count = (stage: string) => total(scraped, "orchestrator_request_duration_seconds_bucket", { stage, le: "+Inf" });
		assert.equal(count("total"), results.length);
		// Every request had an analysis; only executed ones an execute stage.
		assert.equal(count("analysis"), results.length);
		assert.equal(count("execute"), results.filter(r => r.status !== "dry_run").length);
		// The stages of an analysis that ran (not served from the analysis cache).
		assert.ok(count("intent") >= 1 && count("prompt") >= 1);
	});

	it("counts tokens and dollars by model, and what was saved", () => {
		const ok = results.filter(r => r.status === "ok");
		for (const model of new Set(ok.map(r => r.res.model!))) {
			const mine = ok.filter(r => r.res.model === model);
			assert.equal(
				total(scraped, "orchestrator_tokens_total", { model, direction: "input" }),
				mine.reduce((s, r) => s + r.res.usage.input_tokens, 0),
			);
			assert.equal(
				total(scraped, "orchestrator_tokens_total", { model, direction: "output" }),
				mine.reduce((s, r) => s + r.res.usage.output_tokens, 0),
			);
			const cost = mine.reduce((s, r) => s + r.res.cost_usd, 0);
			assert.ok(Math.abs(total(scraped, "orchestrator_cost_usd_total", { model }) - cost) < 1e-12, `cost of ${model}`);
		}
		const saved = ok.map(r =>
			savings({
				status: "ok",
				baseline_input_tokens: r.res.baseline_input_tokens,
				input_tokens: r.res.usage.input_tokens,
				baseline_cost_usd: r.res.baseline_cost_usd,
				cost_usd: r.res.cost_usd,
			} as any),
		);
		assert.equal(
			total(scraped, "orchestrator_tokens_saved_total"),
			saved.reduce((s, x) => s + x.tokens, 0),
		);
		assert.ok(Math.abs(total(scraped, "orchestrator_cost_saved_usd_total") - saved.reduce((s, x) => s + x.usd, 0)) < 1e-12);
		assert.ok(total(scraped, "orchestrator_tokens_saved_total") > 0, "the cached answer alone saved its whole baseline");
	});

	it("reports the cache hit rate over requests that needed an LLM", () => {
		const llm = results.filter(r => r.status !== "dry_run");
		const hits = llm.filter(r => r.res.cached).length;
		assert.equal(hits, 1);
		assert.equal(total(scraped, "orchestrator_cache_requests_total", { result: "hit" }), hits);
		assert.equal(total(scraped, "orchestrator_cache_requests_total", { result: "miss" }), llm.length - hits);
		assert.equal(total(scraped, "orchestrator_cache_hit_rate"), Math.round((hits / llm.length) * 1e4) / 1e4);
	});

	it("counts fallbacks by from, to and a short reason", () => {
		const failed = results.find(r => r.status === "error")!.res;
		const chain = [failed.model!, ...failed.fallbacks];
		const fb = samples(scraped, "orchestrator_fallbacks_total");
		assert.equal(
			fb.reduce((s, x) => s + x.value, 0),
			chain.length - 1,
		);
		for (let i = 1; i < chain.length; i++) {
			const edge = samples(scraped, "orchestrator_fallbacks_total", { from: chain[i - 1], to: chain[i] });
			assert.equal(edge.length, 1, `${chain[i - 1]} -> ${chain[i]}`);
			assert.match(edge[0].labels.reason, /^[a-z0-9_.-]{1,32}$/i);
		}
	});

	it("get_metrics tells the same story", async () => {
		const m = await broker.call<MetricsSummary, unknown>("metrics.get", { period: "5m" });
		assert.equal(m.requests.total, results.length);
		assert.deepEqual(m.requests.by_status, { dry_run: 2, ok: 2, error: 1 });
		assert.equal(m.success_rate, 0.6667);
		assert.equal(m.tokens.saved, total(scraped, "orchestrator_tokens_saved_total"));
		assert.equal(m.cache_hit_rate, total(scraped, "orchestrator_cache_hit_rate"));
		assert.equal(m.fallbacks, total(scraped, "orchestrator_fallbacks_total"));
		assert.equal(
			m.series.points.reduce((s, p) => s + p.requests, 0),
			results.length,
		);
		assert.equal(
			m.series.points.reduce((s, p) => s + p.errors, 0),
			1,
		);
	});

	it("get_metrics over 1h (per-minute rollups) counts the same requests, tokens and dollars", async () => {
		const short = await broker.call<MetricsSummary, unknown>("metrics.get", { period: "5m" });
		const long = await broker.call<MetricsSummary, unknown>("metrics.get", { period: "1h" });
		for (const k of ["requests", "success_rate", "tokens", "cost_usd", "cost_saved_usd", "cache_hit_rate", "fallbacks"] as const) {
			assert.deepEqual(long[k], short[k], k);
		}
		// Histogram percentiles: never below the exact one, at most 10% above.
		assert.ok(long.latency_ms.p99 >= short.latency_ms.p99 && long.latency_ms.p99 <= Math.ceil(short.latency_ms.p99 * 1.1) + 1);
	});

	it("shows a provider's open circuit breaker in orchestrator_circuit_state and get_metrics", async () => {
		// Gemini answers 503: retried by Moleculer and counted by its breaker; the others answer.
		let open = false;
		const opened = new Promise<{ service: string }>(resolve =>
			(broker as any).localBus.once("$circuit-breaker.opened", (p: { service: string }) => {
				open = true;
				resolve(p);
			}),
		);
		vendors.gemini.always({ kind: "error", status: 503, message: "overloaded" });
		for (let i = 0; i < 4 && !open; i++)
			await orchestrate("what is the capital of Australia", { preferred_models: ["gemini-2.5-flash-lite"], cache: false });
		const { service } = await opened;
		vendors.gemini.always({ kind: "ok" });
		const after = await scrape();
		assert.equal(total(after, "orchestrator_circuit_state", { provider: "google" }), 1);
		assert.equal(total(after, "orchestrator_circuit_state", { provider: "openai" }), 0);
		const m = await broker.call<MetricsSummary, unknown>("metrics.get", { period: "1m" });
		assert.deepEqual(
			m.open_circuits.map(c => [c.provider, c.action, c.state, c.seen_from]),
			[["google", `${service}.complete`, "open", [broker.nodeID]]],
		);
	});
});
