import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { monitorEventLoopDelay } from "node:perf_hooks";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { loadConfig } from "../../lib/config";
import { systemWithVendors, type SystemUnderTest } from "../fixtures/gateway";
import type { Vendors } from "../fixtures/vendors";
import { countCallTokens } from "../../lib/tokens";

const config = loadConfig();
const KEY = "v1-compat-app-key-0123456789";
const SLOW_KEY = "v1-compat-slow-key-0123456789";
const BROKE_KEY = "v1-compat-broke-key-0123456789";
const TOKEN_KEY = "v1-compat-token-key-0123456789";
const NARROW_KEY = "v1-compat-narrow-key-0123456789";
const COMPAT_CONFIG = {
	...config,
	cache: { ttl_seconds: { ...config.cache.ttl_seconds, completion: 0 } },
	auth: {
		keys: [
			{ name: "app", key: KEY },
			{ name: "slow", key: SLOW_KEY, requests_per_minute: 1 },
			{ name: "tokens", key: TOKEN_KEY, tokens_per_minute: 1 },
			{ name: "broke", key: BROKE_KEY, budget_usd_per_day: 1e-9 },
			{ name: "narrow", key: NARROW_KEY, models: ["gpt-4.1-nano"] },
		],
	},
};
const HI = [{ role: "user" as const, content: "hi" }];

/**
 * What the official clients read from /v1 beyond the answer itself, checked against each vendor's
 * documented wire format: the error `type` and `code` an application branches on, the request id
 * the SDKs expose, the fields a vendor reports. Each test names the vendor behaviour it matches.
 */
describe("/v1 as the official SDKs read it (vendor wire-format details)", function () {
	this.timeout(30_000);
	let system: SystemUnderTest;
	let vendors: Vendors;
	let base: string;
	const openai = (apiKey = KEY) => new OpenAI({ baseURL: `${base}/v1`, apiKey, maxRetries: 0 });
	const anthropic = (apiKey = KEY) => new Anthropic({ baseURL: base, apiKey, maxRetries: 0 });

	before(async () => {
		system = await systemWithVendors(COMPAT_CONFIG as typeof config, { LLM_TIMEOUT_MS: "2000" });
		({ vendors, base } = system);
	});
	after(async () => {
		await system?.stop();
	});
	beforeEach(() => vendors.reset());

	it("OpenAI errors carry OpenAI's types: invalid_request_error for 401/403/404 (model_not_found, an unknown URL), the limit's name on a 429 with its retry-after", async () => {
		// @see https://platform.openai.com/docs/guides/error-codes: OpenAI answers an unknown model with
		// {type: "invalid_request_error", code: "model_not_found"}, a wrong key with invalid_request_error too.
		const refused = async (
			p: Promise<unknown>,
			cls: abstract new (...a: any[]) => InstanceType<typeof OpenAI.APIError>,
			type: string,
			code: string | null,
		) =>
			assert.rejects(p, (e: unknown) => {
				assert.ok(e instanceof cls, `${String(e)} is not a ${cls.name}`);
				assert.equal(e.type, type, String(e));
				if (e.status === 429) assert.ok(Number(e.headers?.get("retry-after")) >= 1, `${String(e)}: retry-after ${e.headers?.get("retry-after")}`);
				assert.equal(e.code, code, String(e));
				return true;
			});
		await refused(openai().chat.completions.create({ model: "gpt-9", messages: HI }), OpenAI.NotFoundError, "invalid_request_error", "model_not_found");
		await refused(openai().models.retrieve("gpt-9"), OpenAI.NotFoundError, "invalid_request_error", "model_not_found");
		await refused(openai().embeddings.create({ model: "gpt-4.1-mini", input: "x" }), OpenAI.NotFoundError, "invalid_request_error", "not_found");
		// The path named, as OpenAI's "Invalid URL": here an Anthropic client whose base URL ends in /v1 (its SDK adds it).
		await assert.rejects(
			new Anthropic({ baseURL: `${base}/v1`, apiKey: KEY, maxRetries: 0 }).messages.create({ model: "auto", max_tokens: 5, messages: HI }),
			(e: unknown) => {
				assert.ok(e instanceof Anthropic.NotFoundError, String(e));
				assert.match((e.error as any).error.message, /^Invalid URL \(POST \/v1\/v1\/messages\)/);
				return true;
			},
		);
		await refused(
			openai("not-a-key-of-ours").chat.completions.create({ model: "gpt-4.1-mini", messages: HI }),
			OpenAI.AuthenticationError,
			"invalid_request_error",
			"unauthorized",
		);
		await refused(
			openai(NARROW_KEY).chat.completions.create({ model: "gpt-4.1-mini", messages: HI }),
			OpenAI.PermissionDeniedError,
			"invalid_request_error",
			"model_not_allowed",
		);
		// The key's budget is its quota (OpenAI: type and code insufficient_quota); over a rate, the limit's name.
		await refused(
			openai(BROKE_KEY).chat.completions.create({ model: "gpt-4.1-mini", messages: HI }),
			OpenAI.RateLimitError,
			"insufficient_quota",
			"budget_exceeded",
		);
		await refused(openai(TOKEN_KEY).chat.completions.create({ model: "gpt-4.1-mini", messages: HI }), OpenAI.RateLimitError, "tokens", "rate_limited");
		await openai(SLOW_KEY).chat.completions.create({ model: "gpt-4.1-mini", messages: HI });
		await refused(openai(SLOW_KEY).chat.completions.create({ model: "gpt-4.1-mini", messages: HI }), OpenAI.RateLimitError, "requests", "rate_limited");
		// Anthropic's own names stay on the Messages API.
		await assert.rejects(anthropic().messages.create({ model: "claude-9", max_tokens: 5, messages: HI }), (e: unknown) => {
			assert.ok(e instanceof Anthropic.NotFoundError, String(e));
			assert.equal((e.error as any).error.type, "not_found_error");
			return true;
		});
		assert.equal(vendors.completions(), 1, "only the slow key's first call reached a vendor");
	});

	it("a refusal no retry can cure (over budget; a call alone over tokens_per_minute) is final for both SDKs at their default retries", async () => {
		// Both SDKs retry a 429 (maxRetries 2 by default) after its retry-after, however long: a budget's is the rest of the day
		// or month, and the caller's request slept for hours instead of failing. `x-should-retry: false`, which both obey, says
		// that no retry can succeed; a requests_per_minute refusal (retry-after within the minute) stays one to wait out.
		const sent: string[] = [];
		const counting: typeof fetch = (url, init) => {
			sent.push(String(url));
			return fetch(url, init);
		};
		const final = async (name: string, call: (signal: AbortSignal) => Promise<unknown>, status: number) => {
			sent.length = 0;
			const abort = new AbortController();
			let timer: NodeJS.Timeout | undefined;
			const slept = new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new Error(`${name}: no answer after 5 s (the SDK is sleeping out the retry-after)`)), 5000);
			});
			try {
				await assert.rejects(Promise.race([call(abort.signal), slept]), (e: unknown) => {
					assert.equal((e as { status?: number }).status, status, `${name}: ${String(e)}`);
					return true;
				});
			} finally {
				clearTimeout(timer);
				abort.abort();
			}
			assert.equal(sent.length, 1, `${name}: one request, not retried (${sent.length})`);
		};
		for (const key of [BROKE_KEY, TOKEN_KEY]) {
			const oa = new OpenAI({ baseURL: `${base}/v1`, apiKey: key, fetch: counting });
			await final(`openai ${key}`, signal => oa.chat.completions.create({ model: "gpt-4.1-mini", messages: HI }, { signal }), 429);
			const an = new Anthropic({ baseURL: base, apiKey: key, fetch: counting });
			await final(`anthropic ${key}`, signal => an.messages.create({ model: "claude-haiku-4-5", max_tokens: 64, messages: HI }, { signal }), 429);
		}
		assert.equal(vendors.completions(), 0);
	});

	it("the request id reaches both SDKs: Anthropic's reads request-id (a message's, a stream's, an error's), OpenAI's x-request-id", async () => {
		const created = await anthropic().messages.create({ model: "claude-haiku-4-5", max_tokens: 20, messages: HI }).withResponse();
		assert.ok(created.request_id, "messages.create: _request_id");
		assert.equal(created.request_id, created.response.headers.get("x-request-id"));
		const stream = anthropic().messages.stream({ model: "claude-haiku-4-5", max_tokens: 20, messages: HI });
		await stream.finalMessage();
		assert.ok(stream.request_id, "messages.stream: request_id");
		const counted = await anthropic().messages.countTokens({ model: "claude-haiku-4-5", messages: HI }).withResponse();
		assert.ok(counted.request_id, "countTokens: _request_id");
		// Refused by the handler (an unknown model) and by the edge before it (a wrong key): the id an operator can look up.
		for (const refusal of [
			anthropic().messages.create({ model: "claude-9", max_tokens: 5, messages: HI }),
			anthropic("not-a-key-of-ours").messages.create({ model: "claude-haiku-4-5", max_tokens: 5, messages: HI }),
		]) {
			await assert.rejects(refusal, (e: unknown) => {
				assert.ok(e instanceof Anthropic.APIError, String(e));
				assert.ok(e.requestID, `no requestID on ${e.constructor.name}`);
				return true;
			});
		}
		const { request_id } = await openai().chat.completions.create({ model: "gpt-4.1-mini", messages: HI }).withResponse();
		assert.ok(request_id);
	});

	it("a value out of range is a 400 naming the field in `param`, as OpenAI's (temperature, top_p, stop)", async () => {
		// OpenAI: {type: "invalid_request_error", param: "temperature", ...} for a temperature over 2.
		const cases: [Partial<OpenAI.ChatCompletionCreateParamsNonStreaming>, string][] = [
			[{ temperature: 2.5 }, "temperature"],
			[{ top_p: -1 }, "top_p"],
			[{ stop: ["a", "b", "c", "d", "e"] }, "stop"],
		];
		for (const [body, param] of cases) {
			await assert.rejects(openai().chat.completions.create({ model: "gpt-4.1-mini", messages: HI, ...body }), (e: unknown) => {
				assert.ok(e instanceof OpenAI.BadRequestError, String(e));
				assert.equal(e.type, "invalid_request_error");
				assert.equal(e.param, param, String(e));
				assert.match(e.message, new RegExp(`'${param}'`));
				return true;
			});
		}
		assert.equal(vendors.completions(), 0);
	});

	it("an answer ended by a stop sequence is stop_reason stop_sequence naming it (Anthropic's), created and streamed; finish_reason stop for OpenAI's", async () => {
		// @see https://docs.anthropic.com/en/api/messages (stop_reason "stop_sequence", stop_sequence: which one was generated)
		const params = { model: "claude-haiku-4-5", max_tokens: 50, stop_sequences: ["END", "STOP"], messages: HI };
		vendors.anthropic.next({ kind: "ok", text: "partial", finish: "stop_sequence" }, { kind: "ok", text: "partial", finish: "stop_sequence" });
		const created = await anthropic().messages.create(params);
		assert.deepEqual([created.stop_reason, created.stop_sequence], ["stop_sequence", "END"]);
		const streamed = await anthropic().messages.stream(params).finalMessage();
		assert.deepEqual([streamed.stop_reason, streamed.stop_sequence], ["stop_sequence", "END"]);
		assert.deepEqual(vendors.anthropic.completions[1].body.stop_sequences, ["END", "STOP"]);
		// An answer that ended on its own says so, with no sequence.
		const ended = await anthropic().messages.create(params);
		assert.deepEqual([ended.stop_reason, ended.stop_sequence], ["end_turn", null]);
		vendors.anthropic.next({ kind: "ok", text: "partial", finish: "stop_sequence" });
		const viaOpenAI = await openai().chat.completions.create({ model: "claude-haiku-4-5", messages: HI, stop: "END" });
		assert.equal(viaOpenAI.choices[0].finish_reason, "stop");
	});

	it("an Anthropic client's temperature over 1 is Anthropic's 400 (its range is 0-1), whichever vendor would answer", async () => {
		// SDK 1.x has no sampling fields (API version 2026-10-21 refuses them); a raw body or an older client still sends them,
		// and API version 2023-06-01 takes 0-1. The gateway reads them that way: honoured where a vendor can, over 1 refused.
		const withTemperature = (model: string, temperature: number) =>
			({ model, max_tokens: 20, temperature, messages: HI }) as Anthropic.MessageCreateParamsNonStreaming;
		for (const model of ["claude-haiku-4-5", "gpt-4.1-mini"]) {
			await assert.rejects(anthropic().messages.create(withTemperature(model, 1.5)), (e: unknown) => {
				assert.ok(e instanceof Anthropic.BadRequestError, String(e));
				assert.equal((e.error as any).error.type, "invalid_request_error");
				assert.match((e.error as any).error.message, /^temperature: /);
				return true;
			});
		}
		assert.equal(vendors.completions(), 0);
		await anthropic().messages.create(withTemperature("gpt-4.1-mini", 1));
		assert.equal(vendors.openai.completions[0].body.temperature, 1);
	});

	it("a temperature or top_p for a Claude model is answered by Claude: Anthropic's API version 2026-10-21 takes no sampling field", async () => {
		// Sent on, the 400 "temperature: Extra inputs are not permitted" (any value) passed the call to another vendor.
		const res = await openai().chat.completions.create({ model: "claude-haiku-4-5", temperature: 0.2, top_p: 0.9, messages: HI });
		assert.equal(res.model, "claude-haiku-4-5");
		assert.equal(vendors.anthropic.completions.length, 1);
		const sent = vendors.anthropic.completions[0];
		assert.equal(sent.headers["anthropic-version"], "2026-10-21");
		assert.ok(!("temperature" in sent.body) && !("top_p" in sent.body), JSON.stringify(sent.body));
		// The same call to an OpenAI model keeps them.
		await openai().chat.completions.create({ model: "gpt-4.1-mini", temperature: 0.2, top_p: 0.9, messages: HI });
		assert.deepEqual([vendors.openai.completions[0].body.temperature, vendors.openai.completions[0].body.top_p], [0.2, 0.9]);
	});

	it("a system turn among the messages (SDK 1.x's SystemMessageParam, API 2026-10-21) is taken, for every vendor and countTokens", async () => {
		const messages: Anthropic.MessageParam[] = [
			{ role: "system", content: "Answer in French." },
			{ role: "user", content: "hi" },
			{ role: "system", content: [{ type: "text", text: "Be brief." }] },
		];
		const viaClaude = await anthropic().messages.create({ model: "claude-haiku-4-5", max_tokens: 20, messages });
		assert.equal(viaClaude.model, "claude-haiku-4-5");
		assert.match(JSON.stringify(vendors.anthropic.completions[0].body.system), /Answer in French\.[^]*Be brief\./);
		await anthropic().messages.create({ model: "gpt-4.1-mini", max_tokens: 20, messages });
		assert.deepEqual(
			vendors.openai.completions[0].body.messages.map((m: { role: string; content: string }) => [m.role, m.content]),
			[
				["system", "Answer in French."],
				["user", "hi"],
				["system", "Be brief."],
			],
		);
		const counted = await anthropic().messages.countTokens({ model: "claude-haiku-4-5", messages });
		const alone = await anthropic().messages.countTokens({ model: "claude-haiku-4-5", messages: [{ role: "user", content: "hi" }] });
		assert.ok(counted.input_tokens > alone.input_tokens, `${counted.input_tokens} with the system turns vs ${alone.input_tokens}`);
	});

	it("parallel_tool_calls false (Anthropic: disable_parallel_tool_use) reaches OpenAI and Claude models; Gemini, which has no such switch, is skipped", async () => {
		const tools: OpenAI.ChatCompletionTool[] = [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }];
		const ask = (model: string) => openai().chat.completions.create({ model, messages: HI, tools, parallel_tool_calls: false });
		await ask("gpt-4.1-mini");
		assert.equal(vendors.openai.completions[0].body.parallel_tool_calls, false);
		await ask("claude-haiku-4-5");
		assert.deepEqual(vendors.anthropic.completions[0].body.tool_choice, { type: "auto", disable_parallel_tool_use: true });
		// Gemini could answer with several calls: the walk moves on to the next model of the tier instead of dropping the switch.
		const viaGemini = await ask("gemini-2.5-flash");
		assert.notEqual(viaGemini.model, "gemini-2.5-flash");
		assert.equal(vendors.gemini.completions.length, 0);
		// Anthropic's spelling, to an OpenAI model; and without tools the switch is not sent (OpenAI refuses it alone).
		await anthropic().messages.create({
			model: "gpt-4.1-mini",
			max_tokens: 20,
			messages: HI,
			tools: [{ name: "get_weather", input_schema: { type: "object" } }],
			tool_choice: { type: "any", disable_parallel_tool_use: true },
		});
		assert.deepEqual(
			[vendors.openai.completions.at(-1)!.body.parallel_tool_calls, vendors.openai.completions.at(-1)!.body.tool_choice],
			[false, "required"],
		);
		await openai().chat.completions.create({ model: "gpt-4.1-mini", messages: HI, parallel_tool_calls: false });
		assert.ok(!("parallel_tool_calls" in vendors.openai.completions.at(-1)!.body));
	});

	it("structured output: a JSON schema reaches Claude as output_config.format, and an Anthropic client's output_config.format every vendor", async () => {
		const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
		// An OpenAI client's json_schema: Claude answers it now (it was skipped for the next vendor: "Anthropic has none").
		const viaOpenAI = await openai().chat.completions.create({
			model: "claude-haiku-4-5",
			messages: HI,
			response_format: { type: "json_schema", json_schema: { name: "place", schema, strict: true } },
		});
		assert.equal(viaOpenAI.model, "claude-haiku-4-5");
		assert.deepEqual(vendors.anthropic.completions[0].body.output_config, { format: { type: "json_schema", schema } });
		// An Anthropic client's output_config.format (it was dropped: the answer came back unconstrained).
		const format = { type: "json_schema" as const, schema };
		await anthropic().messages.create({ model: "claude-haiku-4-5", max_tokens: 50, messages: HI, output_config: { format } });
		assert.deepEqual(vendors.anthropic.completions[1].body.output_config, { format });
		await anthropic().messages.create({ model: "gpt-4.1-mini", max_tokens: 50, messages: HI, output_config: { format } });
		assert.deepEqual(vendors.openai.completions[0].body.response_format, { type: "json_schema", json_schema: { name: "output", schema } });
		await assert.rejects(
			anthropic().messages.create({ model: "gpt-4.1-mini", max_tokens: 50, messages: HI, output_config: { format: { type: "xml" } as any } }),
			(e: unknown) => e instanceof Anthropic.BadRequestError && /^output_config\.format: /.test((e.error as any).error.message),
		);
		// JSON mode without a schema has no Messages API equivalent: still the next model for a Claude one.
		const jsonMode = await openai().chat.completions.create({ model: "claude-haiku-4-5", messages: HI, response_format: { type: "json_object" } });
		assert.notEqual(jsonMode.model, "claude-haiku-4-5");
	});

	it("an Anthropic client's models.list and retrieve get Anthropic's ModelInfo (type, display_name, created_at, max_input_tokens)", async () => {
		const listed: Anthropic.ModelInfo[] = [];
		for await (const m of anthropic().models.list()) listed.push(m);
		const haiku = listed.find(m => m.id === "claude-haiku-4-5");
		assert.ok(haiku && listed.some(m => m.id === "auto") && listed.some(m => m.id === "gpt-4.1-mini"));
		assert.equal(haiku.type, "model");
		assert.equal(haiku.display_name, "claude-haiku-4-5");
		assert.ok(!Number.isNaN(Date.parse(haiku.created_at)));
		assert.equal(haiku.max_input_tokens, config.models["claude-haiku-4-5"].context_window);
		assert.deepEqual(await anthropic().models.retrieve("claude-haiku-4-5"), haiku);
		await assert.rejects(anthropic().models.retrieve("claude-9"), (e: unknown) => e instanceof Anthropic.NotFoundError);
		// The openai SDK keeps OpenAI's list.
		const first = (await openai().models.list()).data[0];
		assert.deepEqual(first, { id: "auto", object: "model", created: 0, owned_by: "orchestrator" });
	});

	it("a top-level cache_control (automatic caching) puts its breakpoint on the last message for Claude; another vendor gets none", async () => {
		const messages: Anthropic.MessageParam[] = [
			{ role: "user", content: "read the repository" },
			{ role: "assistant", content: "done" },
			{ role: "user", content: "now fix the bug" },
		];
		await anthropic().messages.create({ model: "claude-haiku-4-5", max_tokens: 20, messages, cache_control: { type: "ephemeral", ttl: "1h" } });
		const sent = vendors.anthropic.completions[0].body.messages;
		assert.deepEqual(sent.at(-1).content, [{ type: "text", text: "now fix the bug", cache_control: { type: "ephemeral", ttl: "1h" } }]);
		assert.ok(!JSON.stringify(sent.slice(0, -1)).includes("cache_control"), "one breakpoint, on the last message");
		await anthropic().messages.create({ model: "gpt-4.1-mini", max_tokens: 20, messages, cache_control: { type: "ephemeral" } });
		assert.ok(!JSON.stringify(vendors.openai.completions[0].body).includes("cache_control"));
	});

	it("seed and the penalties reach an OpenAI model, the seed a Gemini one; Claude, with no such knob, still answers", async () => {
		const knobs = { seed: 7, frequency_penalty: 0.5, presence_penalty: -0.5 };
		const pick = (b: any) => ({ seed: b.seed, frequency_penalty: b.frequency_penalty, presence_penalty: b.presence_penalty });
		await openai().chat.completions.create({ model: "gpt-4.1-mini", messages: HI, ...knobs });
		assert.deepEqual(pick(vendors.openai.completions[0].body), knobs);
		await openai().chat.completions.create({ model: "gemini-2.5-flash", messages: HI, ...knobs });
		const config = vendors.gemini.completions[0].body.generationConfig;
		assert.equal(config.seed, 7);
		// Gemini 2.5 refuses any non-zero penalty ("Penalty is not enabled for this model"): left out.
		assert.ok(!("frequencyPenalty" in config) && !("presencePenalty" in config), JSON.stringify(config));
		const viaClaude = await openai().chat.completions.create({ model: "claude-haiku-4-5", messages: HI, ...knobs });
		assert.equal(viaClaude.model, "claude-haiku-4-5");
		assert.deepEqual(pick(vendors.anthropic.completions[0].body), { seed: undefined, frequency_penalty: undefined, presence_penalty: undefined });
		await assert.rejects(
			openai().chat.completions.create({ model: "gpt-4.1-mini", messages: HI, presence_penalty: 3 }),
			(e: unknown) => e instanceof OpenAI.BadRequestError && e.param === "presence_penalty",
		);
	});

	it("an Anthropic message's usage has the cache counters Anthropic's API always sends, null (not reported), created and streamed", async () => {
		vendors.anthropic.next({ kind: "ok", input_tokens: 40, output_tokens: 6 }, { kind: "ok", input_tokens: 40, output_tokens: 6 });
		const created = await anthropic().messages.create({ model: "claude-haiku-4-5", max_tokens: 20, messages: HI });
		const streamed = await anthropic().messages.stream({ model: "claude-haiku-4-5", max_tokens: 20, messages: HI }).finalMessage();
		for (const { usage } of [created, streamed]) {
			assert.deepEqual([usage.input_tokens, usage.output_tokens, usage.cache_creation_input_tokens, usage.cache_read_input_tokens], [40, 6, null, null]);
			// What a client summing the input counters gets (an absent counter made it NaN).
			const total = [usage.input_tokens, usage.cache_creation_input_tokens, usage.cache_read_input_tokens].reduce<number>((n, v) => n + (v as number), 0);
			assert.equal(total, 40);
		}
	});

	it("a request every vendor refuses (their 400) is a 400 with their reasons, which the SDKs do not retry; it was a 502 walked three times", async () => {
		vendors.always({ kind: "error", status: 400, message: "prompt is too long: 250000 tokens > 200000 maximum" });
		const once = async (client: OpenAI) => {
			const before = vendors.completions();
			await assert.rejects(client.chat.completions.create({ model: "gpt-4.1-mini", messages: HI }), (e: unknown) => {
				assert.ok(e instanceof OpenAI.BadRequestError, String(e));
				assert.equal(e.type, "invalid_request_error");
				assert.match(e.message, /prompt is too long/);
				return true;
			});
			return vendors.completions() - before;
		};
		const walk = await once(openai());
		assert.ok(walk >= 2, `${walk} vendor calls: the chain was walked`);
		// The SDK's default retries (2) on a 5xx made it three walks.
		assert.equal(await once(new OpenAI({ baseURL: `${base}/v1`, apiKey: KEY })), walk);
		await assert.rejects(anthropic().messages.create({ model: "claude-haiku-4-5", max_tokens: 20, messages: HI }), (e: unknown) => {
			assert.ok(e instanceof Anthropic.BadRequestError, String(e));
			assert.equal((e.error as any).error.type, "invalid_request_error");
			return true;
		});
	});

	it("a strict tool stays strict (OpenAI function.strict ↔ Anthropic tool strict); it was dropped by the walk's contract", async () => {
		const parameters = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
		const tools: OpenAI.ChatCompletionTool[] = [{ type: "function", function: { name: "get_weather", parameters, strict: true } }];
		await openai().chat.completions.create({ model: "gpt-4.1-mini", messages: HI, tools });
		assert.equal(vendors.openai.completions[0].body.tools[0].function.strict, true);
		await openai().chat.completions.create({ model: "claude-haiku-4-5", messages: HI, tools });
		assert.equal(vendors.anthropic.completions[0].body.tools[0].strict, true);
		await anthropic().messages.create({
			model: "gpt-4.1-mini",
			max_tokens: 20,
			messages: HI,
			tools: [{ name: "get_weather", input_schema: parameters as Anthropic.Tool.InputSchema, strict: true }],
		});
		assert.equal(vendors.openai.completions[1].body.tools[0].function.strict, true);
	});

	it("messages.countTokens of a big body is counted off the event loop (it held it 2.5 s), to the same count", async () => {
		// Base64 is o200k_base's slowest text (3.4 µs a character): 768 KiB of it took 2.5 s of CPU to count.
		const blob = randomBytes(576 * 1024).toString("base64");
		const messages: Anthropic.MessageParam[] = [{ role: "user", content: `what is in this file?\n${blob}` }];
		// The gateway runs in this process: its event loop is this one, and its longest stall is measured here.
		const delay = monitorEventLoopDelay({ resolution: 10 });
		delay.enable();
		const { input_tokens } = await anthropic().messages.countTokens({ model: "claude-haiku-4-5", messages });
		delay.disable();
		const worstMs = delay.max / 1e6;
		assert.ok(worstMs < 400, `the event loop stalled ${worstMs.toFixed(0)} ms while counting`);
		assert.equal(input_tokens, countCallTokens({ messages: [{ role: "user", content: messages[0].content as string }] }));
	});

	it("a big body to /v1/messages is counted off the event loop too (the walk's count held it as long), and answered", async () => {
		const blob = randomBytes(576 * 1024).toString("base64");
		const delay = monitorEventLoopDelay({ resolution: 10 });
		delay.enable();
		const msg = await anthropic().messages.create({
			model: "claude-haiku-4-5",
			max_tokens: 20,
			messages: [{ role: "user", content: `what is in this file?\n${blob}` }],
		});
		delay.disable();
		const worstMs = delay.max / 1e6;
		assert.ok(worstMs < 400, `the event loop stalled ${worstMs.toFixed(0)} ms while answering`);
		assert.deepEqual(msg.content, [{ type: "text", text: "answer from anthropic claude-haiku-4-5" }]);
		assert.equal(vendors.anthropic.completions.length, 1);
	});

	// Last: rate-limited vendors count against their breakers.
	it("when every vendor reached is rate-limiting, the answer is a 429 (the SDKs' RateLimitError), not a 502", async () => {
		vendors.always({ kind: "error", status: 429 });
		await assert.rejects(openai().chat.completions.create({ model: "gpt-4.1-mini", messages: HI }), (e: unknown) => {
			assert.ok(e instanceof OpenAI.RateLimitError, String(e));
			assert.equal(e.type, "requests");
			assert.match(e.message, /rate_limited/);
			return true;
		});
		await assert.rejects(anthropic().messages.create({ model: "claude-haiku-4-5", max_tokens: 20, messages: HI }), (e: unknown) => {
			assert.ok(e instanceof Anthropic.RateLimitError, String(e));
			assert.equal((e.error as any).error.type, "rate_limit_error");
			return true;
		});
	});
});
