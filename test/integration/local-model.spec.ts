import { strict as assert } from "node:assert";
import { EventEmitter } from "node:events";
import OpenAI from "openai";
import type { Analysis, OrchestrateResult } from "../../lib/contracts";
import type { LiveProvider, LiveToolServer } from "../../services/metrics/live";
import type { MetricsSummary } from "../../services/metrics/summary";
import { fakeOpenAI } from "../fakes/openai";
import type { FakeVendor } from "../fakes/vendor";
import { providerEnvFor } from "../fixtures/vendors";
import { freePort, testBroker, testNamespace } from "../helpers";
import { parsePrometheus, samples, total } from "../prometheus";

type Metrics = MetricsSummary & { providers: LiveProvider[]; tool_servers: LiveToolServer[] };

/** The whole system with its HTTP gateway and Prometheus port, on the given provider environment. */
async function system(env: Record<string, string>) {
	const port = await freePort();
	const metricsPort = await freePort();
	const broker = testBroker({
		env: { ...providerEnvFor({}, env), PORT: String(port), HOST: "127.0.0.1", METRICS_PORT: String(metricsPort), NAMESPACE: testNamespace() },
	});
	// The metrics service says when a record is in with a local event (the record crosses the bus after the answer).
	const records = new EventEmitter();
	broker.createService({ name: "record-watch", events: { "metrics.recorded": () => void records.emit("recorded") } });
	await broker.start();
	const post = async (path: string, body: unknown) => {
		const res = await fetch(`http://127.0.0.1:${port}${path}`, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify(body),
		});
		return { status: res.status, body: await res.json() };
	};
	return {
		broker,
		post,
		url: `http://127.0.0.1:${port}`,
		/** Resolves once the metrics service has recorded `n` more requests. */
		recorded: (n: number) =>
			new Promise<void>(resolve => {
				let seen = 0;
				const on = () => {
					if (++seen < n) return;
					records.off("recorded", on);
					resolve();
				};
				records.on("recorded", on);
			}),
		metrics: async (): Promise<Metrics> => (await fetch(`http://127.0.0.1:${port}/api/metrics?period=5m`)).json(),
		scrape: async () => {
			const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
			return { text, samples: parsePrometheus(text) };
		},
	};
}

describe("a user with only a local model (an Ollama-like server, no cloud key)", function () {
	this.timeout(30_000);
	let ollama: FakeVendor;
	let sys: Awaited<ReturnType<typeof system>>;

	before(async () => {
		// The server has a model config.yaml does not list, and an embedding model that cannot chat.
		ollama = await fakeOpenAI({ apiKey: "ollama", models: ["qwen2.5-coder:7b", "nomic-embed-text:latest"] });
		sys = await system({ OPENAI_COMPATIBLE_BASE_URL: `${ollama.baseUrl}/v1`, OPENAI_COMPATIBLE_API_KEY: "ollama" });
	});
	after(async () => {
		await sys?.broker.stop();
		await ollama?.stop();
	});

	it("gets a plain request (no options, as an MCP desktop client sends it) answered by the server's model, at 0 USD", async () => {
		const done = sys.recorded(1);
		ollama.next({ kind: "ok", text: "TCP is reliable and ordered; UDP is neither.", input_tokens: 42, output_tokens: 11 });
		const { status, body } = await sys.post("/api/orchestrate", { request: "Explain the difference between TCP and UDP" });
		assert.equal(status, 200, JSON.stringify(body));
		const res = body as OrchestrateResult;
		assert.equal(res.output, "TCP is reliable and ordered; UDP is neither.");
		assert.equal(res.model, "qwen2.5-coder:7b");
		assert.equal(res.route.provider, "openai-compatible");
		assert.equal(res.cost_usd, 0);
		assert.deepEqual(res.usage, { input_tokens: 42, output_tokens: 11 });
		assert.ok(
			res.attempts.every(a => a.model === "qwen2.5-coder:7b"),
			"no cloud model was tried",
		);
		assert.ok(ollama.completions.length >= 1);
		assert.equal(ollama.completions[0].body.model, "qwen2.5-coder:7b");
		await done;
		const m = await sys.metrics();
		assert.equal(m.fallbacks, 0);
		assert.deepEqual(m.requests.by_model, { "qwen2.5-coder:7b": 1 });
	});

	it("analyze says when the tier's models cannot run and which model will answer instead", async () => {
		const { status, body } = await sys.post("/api/analyze", {
			request: "Design a multi-region event-sourcing architecture with exactly-once delivery, schema evolution and a migration plan from our monolith",
		});
		assert.equal(status, 200, JSON.stringify(body));
		const a = body as Analysis;
		assert.equal(a.model, "qwen2.5-coder:7b");
		assert.match(
			a.route_note!,
			/have no live provider \(set .*OPENAI_API_KEY \(openai\).* to enable\); qwen2\.5-coder:7b \(openai-compatible\) will answer instead$/,
		);
	});

	it("accepts the discovered model in preferred_models (it is not in config.yaml)", async () => {
		const { status, body } = await sys.post("/api/orchestrate", { request: "Say hi", options: { preferred_models: ["qwen2.5-coder:7b"], cache: false } });
		assert.equal(status, 200, JSON.stringify(body));
		assert.equal((body as OrchestrateResult).model, "qwen2.5-coder:7b");
	});

	it("answers the discovered model named as /v1's model (the openai SDK, unstreamed and streamed; Anthropic's /v1/messages)", async () => {
		// GET /v1/models lists it; naming it was a 404 model_not_found, the gateway checking config.yaml only.
		const client = new OpenAI({ baseURL: `${sys.url}/v1`, apiKey: "unused", maxRetries: 0 });
		assert.ok((await client.models.list()).data.some(m => m.id === "qwen2.5-coder:7b"));
		const answer = await client.chat.completions.create({ model: "qwen2.5-coder:7b", messages: [{ role: "user", content: "Say hi" }] });
		assert.equal(answer.model, "qwen2.5-coder:7b");
		assert.equal(ollama.completions.at(-1)!.body.model, "qwen2.5-coder:7b");
		const stream = await client.chat.completions.create({ model: "qwen2.5-coder:7b", messages: [{ role: "user", content: "Say hi" }], stream: true });
		let text = "";
		for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
		assert.equal(text, "answer from openai qwen2.5-coder:7b");
		const { status, body } = await sys.post("/v1/messages", { model: "qwen2.5-coder:7b", max_tokens: 64, messages: [{ role: "user", content: "Say hi" }] });
		assert.equal(status, 200, JSON.stringify(body));
		assert.equal(body.model, "qwen2.5-coder:7b");
		// A model nobody serves is still a 404.
		await assert.rejects(client.chat.completions.create({ model: "qwen9:1b", messages: [{ role: "user", content: "Say hi" }] }), { status: 404 });
	});

	it("get_metrics and Prometheus show the live provider, its model and the tool servers", async () => {
		const m = await sys.metrics();
		assert.deepEqual(
			m.providers.map(p => [p.service, p.models, p.circuit]),
			[["llm-openai-compatible", ["qwen2.5-coder:7b"], "closed"]],
		);
		assert.deepEqual(m.tool_servers.map(t => t.service).sort(), ["mcp.filesystem", "mcp.search"]);
		const { samples: s } = await sys.scrape();
		assert.deepEqual(
			samples(s, "orchestrator_circuit_state").map(x => [x.labels.provider, x.value]),
			[["openai-compatible", 0]],
		);
		assert.ok(samples(s, "orchestrator_cost_usd_total", { model: "qwen2.5-coder:7b" }).length, "the discovered model has its cost series");
	});
});

describe("nothing configured: honest figures", function () {
	this.timeout(30_000);
	let sys: Awaited<ReturnType<typeof system>>;

	before(async () => {
		sys = await system({});
	});
	after(async () => {
		await sys?.broker.stop();
	});

	it("Prometheus has every counter family with HELP, TYPE and zero series before any request", async () => {
		const { text, samples: s } = await sys.scrape();
		for (const family of [
			"orchestrator_requests_total",
			"orchestrator_fallbacks_total",
			"orchestrator_tokens_saved_total",
			"orchestrator_cost_saved_usd_total",
			"orchestrator_cache_requests_total",
		]) {
			assert.match(text, new RegExp(`^# HELP ${family} `, "m"), family);
			assert.match(text, new RegExp(`^# TYPE ${family} counter$`, "m"), family);
			assert.ok(samples(s, family).length > 0, `${family} has series`);
			assert.equal(total(s, family), 0, family);
		}
		assert.equal(samples(s, "orchestrator_requests_total").length, 5 * 3 * 2 * 4);
	});

	it("a plain request fails 503 NO_PROVIDER, and is counted as an error of no model, with no fallback", async () => {
		const done = sys.recorded(1);
		const { status, body } = await sys.post("/api/orchestrate", { request: "Explain the difference between TCP and UDP" });
		assert.equal(status, 503);
		assert.match(
			body.error.message,
			/no live provider serves .*; set .*OPENAI_COMPATIBLE_BASE_URL|no live provider serves .*; set .*(GOOGLE_API_KEY|OPENAI_API_KEY)/,
		);
		await done;
		const m = await sys.metrics();
		assert.equal(m.fallbacks, 0, "skipping models nobody serves is no fallback");
		assert.deepEqual(m.requests.by_model, { none: 1 });
		assert.deepEqual(m.providers, []);
		const { samples: s } = await sys.scrape();
		assert.equal(total(s, "orchestrator_fallbacks_total"), 0);
		assert.equal(total(s, "orchestrator_requests_total", { status: "error" }), 1);
		assert.deepEqual(samples(s, "orchestrator_tokens_total"), [], "no model was credited tokens");
	});

	it("the gateway's own breaker opening is no provider on orchestrator_circuit_state", async () => {
		// A node with the gateway and metrics only: its readiness action fails (NOT_READY, 503) until the breaker opens.
		const metricsPort = await freePort();
		const lone = testBroker({
			services: ["gateway", "metrics"],
			env: { ...providerEnvFor({}), PORT: String(await freePort()), HOST: "127.0.0.1", METRICS_PORT: String(metricsPort), NAMESPACE: testNamespace() },
		});
		await lone.start();
		try {
			const opened = new Promise<{ service: string }>(resolve => lone.localBus.once("$circuit-breaker.opened", resolve));
			for (let i = 0; i < 6; i++) await lone.call("gateway.health").catch(() => undefined);
			assert.equal((await opened).service, "gateway");
			const s = parsePrometheus(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text());
			assert.deepEqual(samples(s, "orchestrator_circuit_state", { provider: "gateway" }), []);
			const m = await lone.call<MetricsSummary, unknown>("metrics.get", { period: "1m" });
			assert.deepEqual(
				m.open_circuits.map(c => c.action),
				["gateway.health"],
				"get_metrics still lists the open breaker, by its action",
			);
		} finally {
			await lone.stop();
		}
	});
});

describe("a local model behind a gateway with API keys (API_KEYS)", function () {
	this.timeout(30_000);
	const secret = "tk-local-model-key-0123456789abcdef";
	let ollama: FakeVendor;
	let broker: ReturnType<typeof testBroker>;
	let url: string;

	before(async () => {
		ollama = await fakeOpenAI({ apiKey: "ollama", models: ["qwen2.5-coder:7b"] });
		const port = await freePort();
		url = `http://127.0.0.1:${port}`;
		broker = testBroker({
			env: {
				...providerEnvFor({}, { OPENAI_COMPATIBLE_BASE_URL: `${ollama.baseUrl}/v1`, OPENAI_COMPATIBLE_API_KEY: "ollama" }),
				API_KEYS: secret,
				PORT: String(port),
				HOST: "127.0.0.1",
				NAMESPACE: testNamespace(),
			},
		});
		await broker.start();
	});
	after(async () => {
		await broker?.stop();
		await ollama?.stop();
	});

	it("answers the discovered model for a keyed caller (the budget prices it from the live catalog, at 0 USD)", async () => {
		// Every keyed call reserves before the vendor: the budget read config.yaml alone, and refused the discovered model
		// ("not in the catalog"), so setting API_KEYS broke every answer of a local-only setup.
		const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: secret, maxRetries: 0 });
		const named = await client.chat.completions.create({ model: "qwen2.5-coder:7b", messages: [{ role: "user", content: "Say hi" }] });
		assert.equal(named.model, "qwen2.5-coder:7b");
		const auto = await client.chat.completions.create({
			model: "auto",
			messages: [{ role: "user", content: "Explain the difference between TCP and UDP" }],
		});
		assert.equal(auto.model, "qwen2.5-coder:7b");
		const res = await fetch(`${url}/api/orchestrate`, {
			method: "POST",
			headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
			body: JSON.stringify({ request: "Explain the difference between TCP and UDP", options: { cache: false } }),
		});
		const body = (await res.json()) as OrchestrateResult;
		assert.equal(res.status, 200, JSON.stringify(body));
		assert.equal(body.model, "qwen2.5-coder:7b");
		assert.equal(body.cost_usd, 0);
		const spend = await (await fetch(`${url}/api/spend`, { headers: { authorization: `Bearer ${secret}` } })).json();
		assert.equal(spend.key, "api-key-1");
		assert.equal(spend.reserved_and_spent_usd, 0, "settled at the model's price, 0, with nothing left reserved");
	});
});
