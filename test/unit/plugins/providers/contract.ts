import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import type { Attempt } from "../../../../lib/contracts/complete";
import type { TriesCallingOptions } from "../../../../middlewares/call-tries.middleware";
import type { Completion } from "../../../../mixins/provider.mixin";
import { TryLog } from "../../../../services/models/tries";
import type { FakeVendor } from "../../../fakes/vendor";
import { testBroker } from "../../../helpers";

/** How one provider service is pointed at its fake vendor. */
export interface ProviderUnderTest {
	service: string;
	/** A catalog model this provider serves. */
	model: string;
	fake: () => Promise<FakeVendor>;
	/** Environment that enables the service against the fake (key and base URL). */
	env: (fake: FakeVendor) => Record<string, string>;
	/** Environment with the fake's URL but a wrong key. */
	badKeyEnv: (fake: FakeVendor) => Record<string, string>;
	/** Environment without the variable that enables the service. */
	noCredentialsEnv: Record<string, string>;
	/** Status the vendor answers a bad key with. */
	badKeyStatus: number;
	/** Status the vendor's error bodies use for "overloaded / internal" (500 for most). */
	serverError?: number;
}

/** Deadline per call in these tests: long enough for a local answer, short enough for timeout tests. */
export const TEST_TIMEOUT_MS = 400;
const BASE_ENV = { LLM_TIMEOUT_MS: String(TEST_TIMEOUT_MS), LLM_RETRY_AFTER_MAX_MS: "1500", LLM_STREAM: "" };

export async function providerBroker(p: ProviderUnderTest, fake: FakeVendor, extra: Record<string, string> = {}): Promise<ServiceBroker> {
	const broker = testBroker({ services: [p.service], env: { ...BASE_ENV, ...p.env(fake), ...extra } });
	await broker.start();
	return broker;
}

export async function complete(broker: ServiceBroker, service: string, params: Record<string, unknown>) {
	// Each try as the caller sees it (the CallTries middleware, Moleculer's retries included), as models.complete records them.
	const log = new TryLog({ provider: service.replace("llm-", ""), model: String(params.model), service });
	const options: TriesCallingOptions = { observeTries: log.observe };
	const started = Date.now();
	type Tries = (Attempt & { ms: number })[];
	try {
		const res = await broker.call<Completion, unknown>(`${service}.complete`, params, options);
		return { res, tries: log.close() as Tries, ms: Date.now() - started };
	} catch (err) {
		return { err: err as any, tries: log.close(err) as Tries, ms: Date.now() - started };
	}
}

/**
 * The contract every provider service keeps, run against its vendor's fake through the vendor's
 * real SDK: answer mapping, usage, streaming, and which failures Moleculer retries.
 */
export function providerContract(p: ProviderUnderTest) {
	describe(`${p.service} provider contract (real SDK against a fake ${p.service.replace("llm-", "")} server)`, function () {
		this.timeout(15_000);
		let fake: FakeVendor;
		let broker: ServiceBroker;
		const ask = { model: p.model, system: "Be brief.", messages: [{ role: "user", content: "What is 2+2?" }], max_tokens: 64, temperature: 0 };

		before(async () => {
			fake = await p.fake();
		});
		after(async () => {
			await fake?.stop();
		});
		// A broker per test: Moleculer's circuit breaker keeps per-endpoint state, and the failures
		// one test provokes on purpose must not open the breaker for the next.
		beforeEach(async () => {
			fake.reset();
			broker = await providerBroker(p, fake);
		});
		afterEach(async () => {
			await broker?.stop();
		});

		it("answers with the vendor's text, model, usage and finish reason", async () => {
			fake.next({ kind: "ok", text: "4", input_tokens: 31, output_tokens: 2 });
			const { res, tries } = await complete(broker, p.service, ask);
			assert.deepEqual(res, { text: "4", model: res!.model, usage: { input_tokens: 31, output_tokens: 2 }, finish_reason: "stop" });
			assert.match(res!.model, new RegExp(p.model.replace(/[.]/g, "\\.")));
			assert.equal(fake.completions.length, 1);
			assert.deepEqual(
				tries.map(t => t.ok),
				[true],
			);
		});

		it("maps a length stop to finish_reason 'length'", async () => {
			const finish = p.service === "llm-anthropic" ? "max_tokens" : p.service === "llm-google" ? "MAX_TOKENS" : "length";
			fake.next({ kind: "ok", text: "partial", finish });
			const { res } = await complete(broker, p.service, ask);
			assert.equal(res!.finish_reason, "length");
		});

		it("sends the system prompt, the messages and the output budget in the vendor's request", async () => {
			await complete(broker, p.service, ask);
			const raw = JSON.stringify(fake.completions[0].body);
			assert.match(raw, /Be brief\./);
			assert.match(raw, /What is 2\+2\?/);
			assert.match(raw, /64/);
		});

		it("sends a conversation with an empty assistant turn and a blank last user turn in a form the vendor takes", async () => {
			// Anthropic and Gemini refuse a turn or a text block without text (the fakes refuse as they do); agents send both.
			for (const last of ["", "   "]) {
				fake.reset();
				const { res, err } = await complete(broker, p.service, {
					model: p.model,
					messages: [
						{ role: "user", content: "Fix the failing test." },
						{ role: "assistant", content: "" },
						{ role: "user", content: "go on" },
						{ role: "assistant", content: "Done." },
						{ role: "user", content: last },
					],
				});
				assert.equal(err, undefined, `${JSON.stringify(last)}: ${err?.message}`);
				assert.ok(res!.text);
				const raw = JSON.stringify(fake.completions.at(-1)!.body);
				assert.match(raw, /Fix the failing test\..*go on.*Done\./, "every turn with text is sent, in order");
			}
		});

		it("sends a tool call whose id carries a Gemini thought signature as the vendor takes it (Gemini: the signature beside the call)", async () => {
			const signature = "Q2lZQjQ0a2Z+/sig=".repeat(8);
			const id = `call_3f1c9a7e2b_0__thought__${signature}`;
			const { res, err } = await complete(broker, p.service, {
				model: p.model,
				tools: [{ type: "function", function: { name: "bash", parameters: { type: "object", properties: { command: { type: "string" } } } } }],
				messages: [
					{ role: "user", content: "List the files." },
					{ role: "assistant", content: "", tool_calls: [{ id, type: "function", function: { name: "bash", arguments: '{"command":"ls"}' } }] },
					{ role: "tool", tool_call_id: id, content: "README.md" },
				],
			});
			assert.equal(err, undefined, err?.message);
			assert.ok(res!.text);
			const raw = JSON.stringify(fake.completions.at(-1)!.body);
			assert.ok(raw.includes("call_3f1c9a7e2b_0"), "the call's own id is sent");
			if (p.service === "llm-google") {
				const parts = fake.completions.at(-1)!.body.contents.flatMap((c: { parts: unknown[] }) => c.parts);
				assert.deepEqual(
					parts.find((x: { functionCall?: unknown }) => x.functionCall),
					{ functionCall: { id: "call_3f1c9a7e2b_0", name: "bash", args: { command: "ls" } }, thoughtSignature: signature },
				);
			} else assert.ok(!raw.includes("__thought__"), "no signature reaches another vendor");
		});

		it("sends a failed tool's result (is_error) as the vendor marks one: Claude's flag, Gemini's error field, OpenAI's text", async () => {
			const { err } = await complete(broker, p.service, {
				model: p.model,
				tools: [{ type: "function", function: { name: "bash", parameters: { type: "object", properties: { command: { type: "string" } } } } }],
				messages: [
					{ role: "user", content: "Run the tests." },
					{
						role: "assistant",
						content: "",
						tool_calls: [{ id: "call_t", type: "function", function: { name: "bash", arguments: '{"command":"pytest"}' } }],
					},
					{ role: "tool", tool_call_id: "call_t", content: "exit status 2: no tests ran", is_error: true },
				],
			});
			assert.equal(err, undefined, err?.message);
			const body = fake.completions.at(-1)!.body;
			if (p.service === "llm-anthropic")
				assert.deepEqual(body.messages.at(-1).content, [
					{ type: "tool_result", tool_use_id: "call_t", content: "exit status 2: no tests ran", is_error: true },
				]);
			else if (p.service === "llm-google")
				assert.deepEqual(body.contents.at(-1).parts[0].functionResponse.response, { error: "exit status 2: no tests ran" });
			else assert.equal(body.messages.at(-1).content, "[error] exit status 2: no tests ran");
		});

		it("rejects a call without messages, naming the field, before any HTTP request", async () => {
			const { err } = await complete(broker, p.service, { model: p.model, messages: [] });
			assert.equal(err.name, "ValidationError");
			assert.match(JSON.stringify(err.data), /messages/);
			// Only completions count: a provider that discovers models lists them (GET) at start.
			assert.equal(fake.completions.length, 0);
		});

		it(`retries a ${p.serverError ?? 500} through Moleculer's retry policy and answers from the second try`, async () => {
			fake.next({ kind: "error", status: p.serverError ?? 500 }, { kind: "ok", text: "second time lucky" });
			const { res, tries } = await complete(broker, p.service, ask);
			assert.equal(res!.text, "second time lucky");
			assert.equal(fake.completions.length, 2);
			assert.deepEqual(
				tries.map(t => [t.ok, t.reason]),
				[
					[false, "server_error"],
					[true, undefined],
				],
			);
		});

		it("honours a short retry-after on 429 before the retry", async () => {
			fake.next({ kind: "error", status: 429, retryAfter: "1" }, { kind: "ok", text: "after the wait" });
			const { res, tries } = await complete(broker, p.service, ask);
			assert.equal(res!.text, "after the wait");
			assert.equal(tries[0].reason, "rate_limited");
			assert.ok(tries[0].ms >= 1000, `waited ${tries[0].ms} ms for retry-after 1 s`);
		});

		it("does not retry a 429 whose retry-after is longer than it will wait: it fails over instead", async () => {
			fake.next({ kind: "error", status: 429, retryAfter: "30" });
			const { err, tries } = await complete(broker, p.service, ask);
			assert.equal(err.code, 429);
			assert.equal(err.retryable, false);
			assert.equal(err.data.retry_after_ms, 30_000);
			assert.equal(fake.completions.length, 1);
			assert.equal(tries.length, 1);
		});

		it(`does not retry a bad key (HTTP ${p.badKeyStatus}) and never echoes the key`, async () => {
			const bad = testBroker({ services: [p.service], env: { ...BASE_ENV, ...p.badKeyEnv(fake) } });
			await bad.start();
			try {
				const { err, tries } = await complete(bad, p.service, ask);
				assert.equal(err.retryable, false);
				assert.equal(err.code, p.badKeyStatus);
				assert.equal(fake.completions.length, 1);
				assert.equal(tries.length, 1);
				assert.ok(!JSON.stringify({ message: err.message, data: err.data }).includes("wrong-key-sk-abcdefgh1234"), err.message);
			} finally {
				await bad.stop();
			}
		});

		it("never echoes a key without a vendor prefix (a proxy's or a local server's) in errors or logs", async () => {
			const key = "team-proxy-key-0123456789abcdef";
			const env = Object.fromEntries(Object.entries(p.badKeyEnv(fake)).map(([k, v]) => [k, v.includes("wrong-key-sk-abcdefgh1234") ? key : v]));
			const logged: string[] = [];
			const bad = testBroker({
				services: [p.service],
				env: { ...BASE_ENV, ...env, LOGLEVEL: "debug" },
				broker: {
					logger: {
						type: "Console",
						options: {
							level: "debug",
							colors: false,
							moduleColors: false,
							formatter: (...args: unknown[]) => (logged.push(JSON.stringify(args)), []),
						},
					},
				},
			});
			await bad.start();
			try {
				const { err } = await complete(bad, p.service, ask);
				assert.ok(err, "a wrong key fails");
				assert.ok(!JSON.stringify({ message: err.message, data: err.data }).includes(key), err.message);
				assert.ok(logged.length > 0, "the debug log is captured");
				assert.ok(
					!logged.some(line => line.includes(key)),
					logged.find(line => line.includes(key)),
				);
			} finally {
				await bad.stop();
			}
		});

		for (const reset of [true, false]) {
			it(`does not send the call again to a vendor whose 200 answer ${reset ? "broke off" : "does not parse"} (it billed the call)`, async () => {
				fake.always({ kind: "half-body", reset });
				const { err, tries } = await complete(broker, p.service, ask);
				assert.ok(err, "no answer");
				assert.equal(err.retryable, false, `${err.type}: ${err.message}`);
				assert.equal(fake.completions.length, 1, "one vendor call");
				assert.equal(tries.length, 1);
				// Either way the vendor has it: PROVIDER_CUT, which the budget keeps counted (services/models/tries.ts mayBeBilled).
				assert.equal(err.type, "PROVIDER_CUT");
				assert.doesNotMatch(err.message, /connection failed/);
			});
		}

		// A vendor that had the request may still answer and bill it: Moleculer does not send it there again
		// (retryCheck in moleculer.config.ts); the model walk falls back to another vendor.
		for (const [kind, what] of [
			["hang", "times out a vendor that never answers once, without sending it again"],
			["stall-body", "times out a vendor that sends headers and then stalls the body, without sending it again"],
		] as const) {
			it(what, async () => {
				fake.always({ kind });
				const { err, tries, ms } = await complete(broker, p.service, ask);
				assert.equal(err.type, "PROVIDER_TIMEOUT");
				assert.equal(fake.completions.length, 1, "the vendor has the request once");
				assert.deepEqual(
					tries.map(t => t.reason),
					["timeout"],
				);
				assert.ok(ms < TEST_TIMEOUT_MS + 2_000, `gave up after ${ms} ms`);
			});
		}

		it("treats a dropped connection as retryable", async () => {
			fake.next({ kind: "drop" }, { kind: "ok", text: "recovered" });
			const { res, tries, err } = await complete(broker, p.service, ask);
			assert.ifError(err);
			assert.equal(res!.text, "recovered");
			assert.deepEqual(
				tries.map(t => t.reason),
				["connection", undefined],
			);
		});

		it("reads a streamed (SSE) answer with its usage when LLM_STREAM is on", async () => {
			const streaming = await providerBroker(p, fake, { LLM_STREAM: "true" });
			try {
				fake.next({ kind: "ok", text: "streamed words arrive in pieces", input_tokens: 40, output_tokens: 6 });
				const { res } = await complete(streaming, p.service, ask);
				assert.equal(res!.text, "streamed words arrive in pieces");
				assert.deepEqual(res!.usage, { input_tokens: 40, output_tokens: 6 });
				assert.equal(res!.finish_reason, "stop");
				const req = fake.completions[0];
				assert.ok(req.body?.stream === true || /stream/i.test(req.path), `streaming request: ${req.path}`);
			} finally {
				await streaming.stop();
			}
		});

		it("with LLM_STREAM on, a stream that ends cleanly before the vendor's finish is a failure, never an answer (a cut answer would be cached)", async () => {
			const streaming = await providerBroker(p, fake, { LLM_STREAM: "true" });
			try {
				// The first chunk, then the body ends as a proxy closing it would: no finish reason, no stop event.
				fake.next({ kind: "ok", text: "the first words of a longer answer", errorEventAfter: { after: 1, event: "" } });
				const { res, err } = await complete(streaming, p.service, ask);
				assert.ok(err, `no answer: got ${JSON.stringify(res)}`);
				assert.equal(err.retryable, false, `${err.type}: ${err.message}`);
				assert.equal(fake.completions.length, 1, "the vendor had it: not sent again");
			} finally {
				await streaming.stop();
			}
		});

		it("lists what it serves with catalog prices, and probes the vendor in health", async () => {
			const models = await broker.call<any[], unknown>(`${p.service}.models`, {});
			const m = models.find(x => x.id === p.model);
			assert.ok(m, `${p.model} listed`);
			assert.equal(typeof m.input_per_mtok, "number");
			assert.equal(typeof m.output_per_mtok, "number");
			const health = await broker.call<any, unknown>(`${p.service}.health`, { probe: true });
			assert.equal(health.status, "ok");
			assert.equal(health.probed, true);
			assert.ok(health.vendor_models > 0);
			assert.ok(!JSON.stringify(health).includes(fake.apiKey));
		});

		it("does not start without its credentials, and says which variable to set", async () => {
			const lines: string[] = [];
			const origInfo = console.info;
			const origLog = console.log;
			// The factory says it once, while the broker is built; the captured console keeps the run quiet.
			console.info = console.log = (...args: unknown[]) => void lines.push(args.join(" "));
			try {
				const off = testBroker({
					services: [p.service],
					env: { ...BASE_ENV, ...p.noCredentialsEnv },
					broker: { logger: { type: "Console", options: { level: "info", colors: false } } as any },
				});
				await off.start();
				const hosted = off.getLocalService(p.service);
				await off.stop();
				assert.equal(hosted, undefined);
			} finally {
				console.info = origInfo;
				console.log = origLog;
			}
			const said = lines.filter(l => l.includes("not started"));
			assert.equal(said.length, 1, `only the wanted service speaks:\n${said.join("\n")}`);
			assert.match(said[0], new RegExp(`${p.service} not started: set ${Object.keys(p.noCredentialsEnv)[0]}`));
		});

		it("does not start with a base URL that is not an http(s) URL, naming the variable and not echoing the value", async () => {
			const env = p.env(fake);
			const urlVar = Object.keys(env).find(k => k.endsWith("_URL"))!;
			const bad = "user:s3cret@api.example.com/v1";
			await assert.rejects(
				async () => {
					const b = testBroker({ services: [p.service], env: { ...BASE_ENV, ...env, [urlVar]: bad } });
					await b.start();
					await b.stop();
				},
				(err: Error) => {
					assert.match(err.message, new RegExp(`^${urlVar} must be an absolute http:// or https:// URL`));
					assert.ok(!err.message.includes("s3cret"));
					return true;
				},
			);
		});

		it("declares its models in service metadata, where the registry finds it", async () => {
			const svc = (broker.registry.getServiceList({ withActions: false }) as any[]).find(s => s.name === p.service);
			assert.ok(svc.metadata.provider.models.includes(p.model));
			assert.ok(!JSON.stringify(svc.settings).includes(fake.apiKey));
		});
	});
}
