import assert from "node:assert/strict";
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { ServiceBroker } from "moleculer";
import { loadConfig } from "../../lib/config";
import type { OrchestrateResult } from "../../lib/contracts";
import { createMcpServer } from "../../services/gateway/tools";
import type { RequestRecord } from "../../lib/contracts";
import { fakeAnthropic } from "../fakes/anthropic";
import { fakeGemini } from "../fakes/gemini";
import { fakeOpenAI } from "../fakes/openai";
import { providerEnvFor, type Fakes } from "../fixtures/vendors";
import { NATS_URL, testBroker, testNamespace } from "../helpers";

const config = loadConfig();
// The same request is sent again and again to watch the providers: the completion cache
// (docs/observability.md) would answer the repeats without them. The stage caches stay on.
const NO_COMPLETION_CACHE = { ...config, cache: { ttl_seconds: { ...config.cache.ttl_seconds, completion: 0 } } };
export const PIPELINE = ["orchestrator", "intent", "complexity", "router", "prompt", "models", "metrics"];
const REQUEST = "Explain the difference between TCP and UDP in two sentences.";
// The orchestrator waits for its pipeline services; Moleculer polls for them every second by default.
const QUICK_START = { dependencyInterval: 50 };

/** The pipeline plus every provider whose variables are set, on one broker. */
function pipelineBroker(env: Record<string, string>): ServiceBroker {
	return testBroker({ services: [...PIPELINE, "llm-*"], env, broker: QUICK_START, config: NO_COMPLETION_CACHE });
}

/** Environment pointing the real SDKs at the fakes, with short deadlines so failures are quick. */
export function vendorEnv(f: Partial<Fakes>, extra: Record<string, string> = {}): Record<string, string> {
	return providerEnvFor(f, { LLM_TIMEOUT_MS: "400", LLM_RETRY_AFTER_MAX_MS: "1500", BREAKER_HALF_OPEN_MS: "300", ...extra });
}

/** Finished-request records and circuit-breaker events, as the cluster emits them. */
export function recorder(broker: ServiceBroker) {
	const records: RequestRecord[] = [];
	const waiters: { event: string; resolve: (p: unknown) => void }[] = [];
	const emit = (event: string, payload: unknown) => {
		for (const w of waiters.filter(x => x.event === event)) {
			waiters.splice(waiters.indexOf(w), 1);
			w.resolve(payload);
		}
	};
	broker.createService({
		name: "test-recorder",
		events: {
			"orchestrator.request"(ctx: any) {
				records.push(ctx.params);
			},
			"$circuit-breaker.*"(ctx: any) {
				emit(ctx.eventName, ctx.params);
			},
		},
	});
	return {
		records,
		/** Resolves on the next event of that name. */
		next: (event: string) => new Promise<any>(resolve => waiters.push({ event, resolve })),
	};
}

async function orchestrate(broker: ServiceBroker, options: Record<string, unknown> = {}) {
	try {
		return { res: await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request: REQUEST, options }) };
	} catch (err) {
		return { err: err as any };
	}
}

const usd = (model: string, input: number, output: number) =>
	Math.round(((input * config.models[model].input_per_mtok + output * config.models[model].output_per_mtok) / 1e6) * 1e9) / 1e9;

describe("LLM path through the real pipeline: providers, retries, breaker and fallback", function () {
	this.timeout(30_000);
	const fakes = {} as Fakes;
	let broker: ServiceBroker;
	let rec: ReturnType<typeof recorder>;

	before(async () => {
		[fakes.openai, fakes.anthropic, fakes.gemini] = await Promise.all([fakeOpenAI(), fakeAnthropic(), fakeGemini()]);
	});
	after(async () => {
		await Promise.all(Object.values(fakes).map(f => f?.stop()));
	});
	// A broker per test: breaker state is per endpoint and must start closed.
	beforeEach(async () => {
		Object.values(fakes).forEach(f => f.reset());
		broker = pipelineBroker(vendorEnv(fakes));
		rec = recorder(broker);
		await broker.start();
	});
	afterEach(async () => {
		await broker?.stop();
	});

	for (const [model, vendor] of [
		["gpt-4.1-mini", "openai"],
		["claude-haiku-4-5", "anthropic"],
		["gemini-2.5-flash", "gemini"],
	] as const) {
		it(`answers through ${vendor} with the vendor's usage priced from the catalog (${model})`, async () => {
			fakes[vendor].next({ kind: "ok", text: `${vendor} says hi`, input_tokens: 1200, output_tokens: 345 });
			const { res, err } = await orchestrate(broker, { preferred_models: [model] });
			assert.ifError(err);
			assert.equal(res!.output, `${vendor} says hi`);
			assert.equal(res!.model, model);
			assert.deepEqual(res!.usage, { input_tokens: 1200, output_tokens: 345 });
			assert.equal(res!.cost_usd, usd(model, 1200, 345));
			assert.deepEqual(
				res!.attempts.map(a => [a.model, a.ok]),
				[[model, true]],
			);
			// The optimized prompt, not the raw request, is what the vendor received.
			assert.ok(JSON.stringify(fakes[vendor].completions[0].body).includes(JSON.stringify(res!.optimized_prompt).slice(1, -1)));
			assert.equal(rec.records.at(-1)?.cost_usd, res!.cost_usd);
		});
	}

	it("retries a 500 on the same provider and answers; the try is reported, no fallback recorded", async () => {
		fakes.openai.next({ kind: "error", status: 500 }, { kind: "ok", text: "after a retry" });
		const { res, err } = await orchestrate(broker, { preferred_models: ["gpt-4.1-mini"] });
		assert.ifError(err);
		assert.equal(res!.output, "after a retry");
		assert.deepEqual(
			res!.attempts.map(a => [a.model, a.ok, a.reason]),
			[
				["gpt-4.1-mini", false, "server_error"],
				["gpt-4.1-mini", true, undefined],
			],
		);
		assert.equal(fakes.openai.completions.length, 2);
		assert.deepEqual(rec.records.at(-1)?.fallbacks, []);
	});

	it("does not retry a 401: falls back to the next provider at once, reason 'auth'", async () => {
		const bad = pipelineBroker(vendorEnv(fakes, { OPENAI_API_KEY: "sk-wrongwrongwrong123" }));
		const badRec = recorder(bad);
		await bad.start();
		try {
			const { res, err } = await orchestrate(bad, { preferred_models: ["gpt-4.1-mini", "claude-haiku-4-5"] });
			assert.ifError(err);
			assert.equal(res!.model, "claude-haiku-4-5");
			assert.equal(res!.output, "answer from anthropic claude-haiku-4-5");
			assert.deepEqual(
				res!.attempts.map(a => [a.model, a.ok, a.reason]),
				[
					["gpt-4.1-mini", false, "auth"],
					["claude-haiku-4-5", true, undefined],
				],
			);
			assert.equal(fakes.openai.completions.length, 1, "a 401 is not retried");
			assert.ok(!res!.attempts[0].error!.includes("sk-wrongwrongwrong123"), res!.attempts[0].error);
			assert.deepEqual(badRec.records.at(-1)?.fallbacks, [{ from: "gpt-4.1-mini", to: "claude-haiku-4-5", reason: "auth" }]);
		} finally {
			await bad.stop();
		}
	});

	it("times out a provider that never answers, sends it nothing more, and falls back to the next vendor", async () => {
		fakes.openai.always({ kind: "hang" });
		const sent = fakes.openai.completions.length;
		const { res, err } = await orchestrate(broker, { preferred_models: ["gpt-4.1-mini", "gpt-4.1-nano", "gemini-2.5-flash"] });
		assert.ifError(err);
		assert.equal(res!.model, "gemini-2.5-flash");
		// One send to the hung vendor: no retry of the same call, and not its other model either (a second bill there).
		assert.equal(fakes.openai.completions.length - sent, 1);
		assert.deepEqual(
			res!.attempts.map(a => [a.model, a.reason ?? "ok"]),
			[
				["gpt-4.1-mini", "timeout"],
				["gpt-4.1-nano", "unavailable"],
				["gemini-2.5-flash", "ok"],
			],
		);
		assert.deepEqual(rec.records.at(-1)?.fallbacks, [
			{ from: "gpt-4.1-mini", to: "gpt-4.1-nano", reason: "timeout" },
			{ from: "gpt-4.1-nano", to: "gemini-2.5-flash", reason: "unavailable" },
		]);
		// The hung call may be billed (the vendor went on with it): charged at its worst case, the input sent and all of
		// max_tokens, as the budget keeps it counted; the answer's cost, the record and the cost metric count it too.
		const hung = res!.attempts[0].charged!;
		assert.ok(hung && hung.input_tokens > 0, JSON.stringify(res!.attempts[0]));
		assert.deepEqual(hung, {
			model: "gpt-4.1-mini",
			input_tokens: hung.input_tokens,
			output_tokens: res!.max_tokens,
			cost_usd: usd("gpt-4.1-mini", hung.input_tokens, res!.max_tokens),
		});
		const answered = { model: "gemini-2.5-flash", ...res!.usage, cost_usd: usd("gemini-2.5-flash", res!.usage.input_tokens, res!.usage.output_tokens) };
		assert.deepEqual(res!.charges, [hung, answered]);
		assert.equal(res!.cost_usd, Math.round((hung.cost_usd + answered.cost_usd) * 1e9) / 1e9);
		assert.deepEqual([rec.records.at(-1)?.spend, rec.records.at(-1)?.cost_usd], [res!.charges, res!.cost_usd]);
		const costMetric = broker.metrics.getMetric("orchestrator_cost_usd_total")!;
		assert.equal(costMetric.get({ model: "gpt-4.1-mini", key: "" })?.value, hung.cost_usd);
		assert.equal(costMetric.get({ model: "gemini-2.5-flash", key: "" })?.value, answered.cost_usd);
	});

	it("opens the breaker on a provider that keeps failing, skips it, then half-opens and recovers", async () => {
		const order = { preferred_models: ["gpt-4.1-mini", "claude-haiku-4-5"] };
		fakes.openai.always({ kind: "error", status: 503 });
		const opened = rec.next("$circuit-breaker.opened");
		// Subscribed now: the half-open timer may fire before the third request returns on a slow machine.
		const halfOpened = rec.next("$circuit-breaker.half-opened");

		// 1st request: three failed tries (1 + 2 retries), then Anthropic answers.
		const first = await orchestrate(broker, order);
		assert.equal(first.res!.model, "claude-haiku-4-5");
		// 2nd request: the 4th failure crosses the threshold; the breaker opens.
		const second = await orchestrate(broker, order);
		assert.equal(second.res!.model, "claude-haiku-4-5");
		const event = await opened;
		assert.equal(event.service, "llm-openai");
		const callsWhenOpened = fakes.openai.completions.length;

		// While open: OpenAI is skipped without a call.
		const third = await orchestrate(broker, order);
		assert.equal(third.res!.model, "claude-haiku-4-5");
		assert.deepEqual(third.res!.attempts[0], {
			provider: "openai",
			model: "gpt-4.1-mini",
			service: "llm-openai",
			ok: false,
			reason: "circuit_open",
			error: "llm-openai: circuit breaker open on every node",
		});
		assert.equal(fakes.openai.completions.length, callsWhenOpened);
		assert.equal(rec.records.at(-1)?.fallbacks[0].reason, "circuit_open");

		// OpenAI heals; after BREAKER_HALF_OPEN_MS one call goes through and closes the breaker.
		fakes.openai.always({ kind: "ok", text: "openai is back" });
		await halfOpened;
		const closed = rec.next("$circuit-breaker.closed");
		const fourth = await orchestrate(broker, order);
		assert.equal(fourth.res!.model, "gpt-4.1-mini");
		assert.equal(fourth.res!.output, "openai is back");
		await closed;
	});

	it("walks the whole chain and ends with one clear error when every provider fails", async () => {
		fakes.openai.always({ kind: "error", status: 400, message: "Invalid 'messages': bad" });
		fakes.anthropic.always({ kind: "error", status: 403 });
		fakes.gemini.always({ kind: "error", status: 404 });
		const { err } = await orchestrate(broker, { preferred_models: ["gpt-4.1-mini", "claude-haiku-4-5", "gemini-2.5-flash"] });
		assert.equal(err.type, "ALL_MODELS_FAILED");
		assert.equal(err.code, 502);
		assert.match(err.message, /gpt-4\.1-mini@llm-openai: bad_request/);
		assert.match(err.message, /claude-haiku-4-5@llm-anthropic: auth/);
		assert.match(err.message, /gemini-2\.5-flash@llm-google: not_found/);
		assert.equal(rec.records.at(-1)?.status, "error");
	});

	it("honours preferred_models: the first one some provider serves wins", async () => {
		// llama3.1:8b is in the catalog but no OpenAI-compatible server is configured.
		const { res, err } = await orchestrate(broker, { preferred_models: ["llama3.1:8b", "gemini-2.5-pro", "gpt-4.1-nano"] });
		assert.ifError(err);
		assert.equal(res!.model, "gemini-2.5-pro");
		assert.equal(fakes.gemini.completions[0].path, "/v1beta/models/gemini-2.5-pro:generateContent");
		assert.equal(fakes.openai.completions.length, 0);
	});

	it("serves a local model through an OpenAI-compatible server (as Ollama at /v1) at catalog price 0", async () => {
		const ollama = await fakeOpenAI({ apiKey: "ollama", models: ["llama3.1:8b"] });
		const local = pipelineBroker(vendorEnv(fakes, { OPENAI_COMPATIBLE_BASE_URL: `${ollama.baseUrl}/v1`, OPENAI_COMPATIBLE_API_KEY: "ollama" }));
		await local.start();
		try {
			ollama.next({ kind: "ok", text: "local answer", input_tokens: 500, output_tokens: 80 });
			const { res, err } = await orchestrate(local, { preferred_models: ["llama3.1:8b"] });
			assert.ifError(err);
			assert.equal(res!.output, "local answer");
			assert.equal(res!.route.provider, "openai-compatible");
			assert.deepEqual(res!.usage, { input_tokens: 500, output_tokens: 80 });
			assert.equal(res!.cost_usd, 0);
			assert.equal(ollama.completions[0].body.model, "llama3.1:8b");
		} finally {
			await local.stop();
			await ollama.stop();
		}
	});

	it("honours max_cost: never calls a model whose estimate exceeds it, and says so when none fits", async () => {
		const plan = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", {
			request: REQUEST,
			options: { dry_run: true, preferred_models: ["claude-sonnet-4-6", "gpt-4.1-nano"] },
		});
		assert.equal(plan.model, "claude-sonnet-4-6");
		const sonnet = plan.estimated_cost_usd;
		const { res, err } = await orchestrate(broker, { preferred_models: ["claude-sonnet-4-6", "gpt-4.1-nano"], max_cost: sonnet / 2 });
		assert.ifError(err);
		assert.notEqual(res!.model, "claude-sonnet-4-6");
		assert.ok(res!.estimated_cost_usd <= sonnet / 2, `${res!.estimated_cost_usd} <= ${sonnet / 2}`);
		assert.ok(!fakes.anthropic.completions.some(r => r.body.model === "claude-sonnet-4-6"));

		const calls = () => fakes.openai.completions.length + fakes.anthropic.completions.length + fakes.gemini.completions.length;
		const before = calls();
		const none = await orchestrate(broker, { max_cost: 1e-9 });
		assert.equal(none.err.code, 422);
		assert.match(none.err.message, /options\.max_cost: no model fits 1e-9 USD/);
		assert.equal(calls(), before, "no vendor called");
	});
});

describe("orchestrate when nobody serves the model", function () {
	this.timeout(20_000);
	let broker: ServiceBroker;
	before(async () => {
		broker = pipelineBroker(vendorEnv({}));
		await broker.start();
	});
	after(async () => broker?.stop());

	it("fails with NO_PROVIDER naming the models and the variables to set", async () => {
		const { err } = await orchestrate(broker, { preferred_models: ["gpt-4.1-mini"] });
		assert.equal(err.type, "NO_PROVIDER");
		assert.equal(err.code, 503);
		assert.match(err.message, /no live provider serves gpt-4\.1-mini/);
		assert.match(err.message, /OPENAI_API_KEY \(openai\)/);
		assert.ok(err.data.env.includes("OPENAI_API_KEY"));
	});

	it("keeps the orchestrator available however many requests fail for want of a provider", async () => {
		for (let i = 0; i < 8; i++) {
			const { err } = await orchestrate(broker, { preferred_models: ["gpt-4.1-mini"] });
			assert.equal(err.type, "NO_PROVIDER", `request ${i + 1}: ${err.message}`);
		}
	});

	it("is a tool error an MCP client can read, naming the model and the missing variable", async () => {
		const server = createMcpServer(broker, config);
		const client = new Client({ name: "test-client", version: "1.0.0" });
		const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
		await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
		try {
			const out = (await client.callTool({
				name: "orchestrate",
				arguments: { request: REQUEST, options: { preferred_models: ["claude-haiku-4-5"] } },
			})) as any;
			assert.equal(out.isError, true);
			const text = out.content[0].text as string;
			assert.match(text, /claude-haiku-4-5/);
			assert.match(text, /ANTHROPIC_API_KEY/);
		} finally {
			await client.close();
			await server.close();
		}
	});
});

describe("providers discovered at run time over NATS", function () {
	this.timeout(60_000);
	const namespace = testNamespace();
	// Short heartbeats so a killed node is noticed in seconds, not the production 8 s (moleculer.config.ts).
	const cluster = { heartbeatInterval: 1, heartbeatTimeout: 3, ...QUICK_START };
	const fakes = {} as Fakes;
	const nodes: ServiceBroker[] = [];
	let orchestrator: ServiceBroker;
	let child: ChildProcess | undefined;

	const node = async (name: string, services: string[], env: Record<string, string>) => {
		const b = testBroker({
			services,
			env: { ...env, TRANSPORTER: NATS_URL, NAMESPACE: namespace, NODE_ID: `${name}-${namespace}` },
			broker: cluster,
			config: NO_COMPLETION_CACHE,
		});
		nodes.push(b);
		await b.start();
		return b;
	};

	before(async () => {
		[fakes.openai, fakes.anthropic, fakes.gemini] = await Promise.all([fakeOpenAI(), fakeAnthropic(), fakeGemini()]);
		orchestrator = await node("orchestrator", PIPELINE, vendorEnv({}));
	});
	after(async () => {
		if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
		await Promise.all(nodes.map(b => b.stop()));
		await Promise.all(Object.values(fakes).map(f => f?.stop()));
	});

	it("uses a provider node that joins without restarting anything, and stops choosing it when it leaves", async () => {
		const before = await orchestrate(orchestrator, { preferred_models: ["claude-haiku-4-5"] });
		assert.equal(before.err?.type, "NO_PROVIDER");

		const anthropicNode = await node("anthropic", ["llm-anthropic"], vendorEnv({ anthropic: fakes.anthropic }));
		await orchestrator.waitForServices(["llm-anthropic"], 10_000);
		const during = await orchestrate(orchestrator, { preferred_models: ["claude-haiku-4-5"] });
		assert.ifError(during.err);
		assert.equal(during.res!.output, "answer from anthropic claude-haiku-4-5");
		assert.equal(during.res!.attempts[0].node, `anthropic-${namespace}`);

		const gone = new Promise<void>(resolve => {
			const check = () => (orchestrator.registry.getServiceList({ onlyAvailable: true }) as any[]).some(s => s.name === "llm-anthropic") || resolve();
			orchestrator.localBus.on("$services.changed", check);
		});
		await anthropicNode.stop();
		nodes.splice(nodes.indexOf(anthropicNode), 1);
		await gone;
		const after = await orchestrate(orchestrator, { preferred_models: ["claude-haiku-4-5"] });
		assert.equal(after.err?.type, "NO_PROVIDER");
		assert.match(after.err.message, /ANTHROPIC_API_KEY/);
	});

	it("answers every request, none hanging, when a provider node is killed in the middle of a run", async () => {
		// OpenAI in a child process (so SIGKILL is a real crash); Anthropic in this one as the fallback.
		child = fork(join(__dirname, "fixtures", "provider-node.ts"), [], {
			execArgv: ["--require", "tsx/cjs"],
			env: {
				...process.env,
				...vendorEnv({ openai: fakes.openai }),
				NODE_SERVICES: "llm-openai",
				TRANSPORTER: NATS_URL,
				NAMESPACE: namespace,
				NODE_ID: `openai-${namespace}`,
			},
			stdio: ["ignore", "inherit", "inherit", "ipc"],
		});
		await node("anthropic2", ["llm-anthropic"], vendorEnv({ anthropic: fakes.anthropic }));
		await orchestrator.waitForServices(["llm-openai", "llm-anthropic"], 20_000);
		// Slow enough that requests are in flight on the node when it dies.
		fakes.openai.always({ kind: "ok", delayMs: 150 });

		const total = 24;
		const killAfter = 6;
		let answered = 0;
		let next = 0;
		const outcomes: { model?: string; error?: string; ms: number; after_kill: boolean; tried: string[] }[] = [];
		let killed = false;
		const worker = async () => {
			while (next < total) {
				next++;
				const started = Date.now();
				const wasKilled = killed;
				const { res, err } = await orchestrate(orchestrator, { preferred_models: ["gpt-4.1-mini", "claude-haiku-4-5"] });
				const attempts = (res ?? err?.data)?.attempts ?? [];
				outcomes.push({
					model: res?.model ?? undefined,
					error: err?.message,
					ms: Date.now() - started,
					after_kill: wasKilled,
					tried: attempts.map((a: any) => `${a.model}:${a.reason ?? "ok"}`),
				});
				if (++answered === killAfter && !killed) {
					killed = true;
					child!.kill("SIGKILL");
				}
			}
		};
		await Promise.all(Array.from({ length: 4 }, worker));

		assert.equal(outcomes.length, total, "every request settled");
		for (const o of outcomes) {
			assert.ok(
				o.model === "gpt-4.1-mini" || o.model === "claude-haiku-4-5" || /every model failed|no live provider/.test(o.error ?? ""),
				JSON.stringify(o),
			);
			assert.ok(o.ms < 15_000, `a request took ${o.ms} ms`);
		}
		assert.ok(
			outcomes.some(o => o.model === "gpt-4.1-mini"),
			"OpenAI answered before the kill",
		);
		const late = outcomes.filter(o => o.after_kill);
		assert.ok(late.length > 0 && late.every(o => o.model === "claude-haiku-4-5"), JSON.stringify(late));
		// Requests caught in flight on the dead node end on Anthropic, the failed OpenAI try reported.
		assert.ok(
			outcomes.some(o => o.model === "claude-haiku-4-5" && /^gpt-4\.1-mini:(timeout|unavailable)$/.test(o.tried[0] ?? "")),
			JSON.stringify(outcomes.map(o => o.tried)),
		);
		assert.equal(child!.signalCode, "SIGKILL");
	});
});
