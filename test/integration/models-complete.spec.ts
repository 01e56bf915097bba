import assert from "node:assert/strict";
import { Errors, type Middleware, type ServiceBroker } from "moleculer";
import { brokerOptions } from "../../moleculer.config";
import { loadConfig } from "../../lib/config";
import type { ModelsCompleteResult } from "../../lib/contracts/complete";
import { priceUsd } from "../../services/models/pricing";
import { countCallTokens, countMessageTokens, countTokens } from "../../lib/tokens";
import { fakeAnthropic } from "../fakes/anthropic";
import { fakeOpenAI } from "../fakes/openai";
import { providerEnvFor, type Fakes } from "../fixtures/vendors";
import { standaloneEnv, testBroker } from "../helpers";

const config = loadConfig();
const SYSTEM = "Be brief.";
const MESSAGES = [{ role: "user" as const, content: "Explain TCP vs UDP in one sentence." }];
const SENT = countMessageTokens([{ role: "system", content: SYSTEM }, ...MESSAGES]);

/** The models service and the real provider services (official SDKs) against the vendors' fakes. */
describe("models.complete: the one walk to a model", function () {
	this.timeout(20_000);
	const fakes = {} as Pick<Fakes, "openai" | "anthropic">;
	let broker: ServiceBroker;
	const usageEvents: unknown[] = [];

	before(async () => {
		[fakes.openai, fakes.anthropic] = await Promise.all([fakeOpenAI(), fakeAnthropic()]);
	});
	after(async () => {
		await Promise.all(Object.values(fakes).map(f => f.stop()));
	});
	beforeEach(async () => {
		Object.values(fakes).forEach(f => f.reset());
		usageEvents.length = 0;
		broker = testBroker({
			services: ["models", "llm-*"],
			env: providerEnvFor(fakes, { LLM_TIMEOUT_MS: "400", LLM_RETRY_AFTER_MAX_MS: "1500" }),
		});
		broker.createService({ name: "usage-listener", events: { "tokens.usage": (ctx: { params: unknown }) => void usageEvents.push(ctx.params) } });
		await broker.start();
	});
	afterEach(async () => {
		await broker.stop();
	});

	const complete = (params: Record<string, unknown>) =>
		broker.call<ModelsCompleteResult, unknown>("models.complete", { system: SYSTEM, messages: MESSAGES, max_tokens: 64, temperature: 0, ...params });

	it("answers with the vendor's usage priced once, every try (Moleculer's retry included) and one usage report", async () => {
		fakes.openai.next({ kind: "error", status: 500 }, { kind: "ok", text: "TCP is reliable.", input_tokens: 30, output_tokens: 5 });
		const res = await complete({ models: ["gpt-4.1-mini"] });
		assert.equal(res.text, "TCP is reliable.");
		assert.deepEqual([res.model, res.provider, res.service], ["gpt-4.1-mini", "openai", "llm-openai"]);
		assert.deepEqual(res.usage, { input_tokens: 30, output_tokens: 5 });
		assert.equal(res.usage_source, "vendor");
		assert.equal(res.cost_usd, priceUsd(config.models["gpt-4.1-mini"], 30, 5));
		assert.deepEqual(
			res.tries.map(t => [t.service, t.node, t.ok, t.reason]),
			[
				["llm-openai", broker.nodeID, false, "server_error"],
				["llm-openai", broker.nodeID, true, undefined],
			],
		);
		assert.deepEqual(usageEvents, [{ model: "gpt-4.1-mini", estimated_input_tokens: SENT, reported_input_tokens: 30 }]);
	});

	it("counts an assistant's tool calls and the tools offered in what it sends, not a Gemini signature riding in an id", async () => {
		const write = { path: "src/gen.ts", content: "export const x = 1;\n".repeat(400) };
		const tools = [
			{ type: "function" as const, function: { name: "write_file", parameters: { type: "object", properties: { path: { type: "string" } } } } },
		];
		const call = (id: string) => [
			{ role: "user" as const, content: "Generate the module." },
			{
				role: "assistant" as const,
				content: "",
				tool_calls: [{ id, type: "function" as const, function: { name: "write_file", arguments: JSON.stringify(write) } }],
			},
			{ role: "tool" as const, tool_call_id: id, content: "written" },
		];
		fakes.openai.next({ kind: "ok", text: "Done.", noUsage: true });
		const res = await complete({ models: ["gpt-4.1-mini"], messages: call(`call_1__thought__${"c2ln".repeat(200)}`), tools });
		const expected = countCallTokens({ system: SYSTEM, messages: call("call_1"), tools });
		assert.equal(res.usage.input_tokens, expected, "the estimate stands in for the vendor's count");
		assert.ok(expected > countCallTokens({ system: SYSTEM, messages: call("call_1").map(m => ({ role: m.role, content: m.content })) }) + 1000);
	});

	it("marks usage the vendor did not report as estimated, prices our count and learns nothing from it", async () => {
		fakes.openai.next({ kind: "ok", text: "UDP is not.", noUsage: true });
		const res = await complete({ models: ["gpt-4.1-mini"] });
		assert.equal(res.usage_source, "estimated");
		assert.deepEqual(res.usage, { input_tokens: SENT, output_tokens: countTokens("UDP is not.") });
		assert.equal(res.cost_usd, priceUsd(config.models["gpt-4.1-mini"], SENT, countTokens("UDP is not.")));
		assert.deepEqual(usageEvents, []);
		const learned = await broker.call<{ models: unknown[] }>("models.corrections");
		assert.deepEqual(learned.models, []);
	});

	it("passes tools to OpenAI and returns the model's tool calls", async () => {
		fakes.openai.next({ kind: "ok", toolCalls: [{ name: "get_weather", arguments: '{"city":"Oslo"}' }] });
		const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
		const res = await complete({ models: ["gpt-4.1-mini"], tools, tool_choice: "auto" });
		assert.equal(res.finish_reason, "tool_calls");
		assert.deepEqual(
			res.tool_calls?.map(c => c.function),
			[{ name: "get_weather", arguments: '{"city":"Oslo"}' }],
		);
		assert.deepEqual(fakes.openai.completions[0].body.tools, tools);
		assert.equal(fakes.openai.completions[0].body.tool_choice, "auto");
		// Tool schemas are framed the vendor's way: such a call teaches the correction nothing.
		assert.deepEqual(usageEvents, []);
	});

	it("translates tools, tool calls, tool results and cache_control to Anthropic's tool_use / tool_result", async () => {
		fakes.anthropic.next({ kind: "ok", toolCalls: [{ name: "get_weather", arguments: '{"city":"Bergen"}' }] });
		const tools = [
			{
				type: "function",
				function: { name: "get_weather", description: "weather now", parameters: { type: "object", properties: { city: { type: "string" } } } },
			},
		];
		const messages = [
			{ role: "user", content: "weather in Oslo, then Bergen?", cache_control: { type: "ephemeral" } },
			{
				role: "assistant",
				content: "",
				tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }],
			},
			{ role: "tool", tool_call_id: "call_1", content: "rain" },
		];
		const res = await complete({ models: ["claude-haiku-4-5"], messages, tools, tool_choice: { type: "function", function: { name: "get_weather" } } });
		assert.equal(res.finish_reason, "tool_calls");
		assert.deepEqual(
			res.tool_calls?.map(c => c.function),
			[{ name: "get_weather", arguments: '{"city":"Bergen"}' }],
		);
		const body = fakes.anthropic.completions[0].body;
		assert.deepEqual(body.tools, [{ name: "get_weather", description: "weather now", input_schema: tools[0].function.parameters }]);
		assert.deepEqual(body.tool_choice, { type: "tool", name: "get_weather" });
		assert.deepEqual(body.messages, [
			{ role: "user", content: [{ type: "text", text: "weather in Oslo, then Bergen?", cache_control: { type: "ephemeral" } }] },
			{ role: "assistant", content: [{ type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Oslo" } }] },
			{ role: "user", content: [{ type: "tool_result", tool_use_id: "call_1", content: "rain" }] },
		]);
	});

	it("a provider that cannot take a parameter is skipped, not retried; when none can, a 400 names it", async () => {
		// JSON mode without a schema: Claude takes a json_schema (output_config.format), not this.
		const format = { type: "json_object" };
		const res = await complete({ models: ["claude-haiku-4-5", "gpt-4.1-mini"], response_format: format });
		assert.deepEqual(
			res.tries.map(t => [t.model, t.ok, t.reason]),
			[
				["claude-haiku-4-5", false, "bad_request"],
				["gpt-4.1-mini", true, undefined],
			],
		);
		assert.match(res.tries[0].error!, /anthropic provider cannot take response_format/);
		assert.equal(fakes.anthropic.completions.length, 0);
		await assert.rejects(
			complete({ models: ["claude-haiku-4-5"], response_format: format }),
			(e: any) => e.code === 400 && e.type === "UNSUPPORTED_PARAMS" && e.data.field === "response_format",
		);
	});

	it("more stop sequences than OpenAI's API takes (4) skip its models for Claude, which takes them all", async () => {
		const stop = ["a", "b", "c", "d", "e"];
		const res = await complete({ models: ["gpt-4.1-mini", "claude-haiku-4-5"], stop });
		assert.deepEqual(
			res.tries.map(t => [t.model, t.ok, t.reason]),
			[
				["gpt-4.1-mini", false, "bad_request"],
				["claude-haiku-4-5", true, undefined],
			],
		);
		assert.match(res.tries[0].error!, /openai provider cannot take stop/);
		assert.equal(fakes.openai.completions.length, 0);
		assert.deepEqual(fakes.anthropic.completions[0].body.stop_sequences, stop);
	});

	it("fails with every try in data.tries and the summary the orchestrator reports", async () => {
		fakes.openai.always({ kind: "error", status: 401 });
		const err = await complete({ models: ["gpt-4.1-mini", "gemini-2.5-flash"] }).then(
			() => assert.fail("no model should answer"),
			e => e,
		);
		assert.equal(err.type, "ALL_MODELS_FAILED");
		assert.equal(err.code, 502);
		assert.deepEqual(
			err.data.tries.map((t: { model: string; reason: string }) => [t.model, t.reason]),
			[
				["gpt-4.1-mini", "auth"],
				["gemini-2.5-flash", "no_provider"],
			],
		);
		assert.match(err.message, /gpt-4\.1-mini@llm-openai: auth/);
	});

	it("names the variables to set when nothing serves the chain (NO_PROVIDER, 503)", async () => {
		const err = await complete({ models: ["gemini-2.5-flash"] }).then(
			() => assert.fail("no provider should serve it"),
			e => e,
		);
		assert.equal(err.type, "NO_PROVIDER");
		assert.equal(err.code, 503);
		assert.deepEqual(err.data.env, ["GOOGLE_API_KEY", "GEMINI_API_KEY"]);
		assert.match(err.message, /no live provider serves gemini-2\.5-flash; set GOOGLE_API_KEY or GEMINI_API_KEY \(google\)/);
	});

	it("refuses a bad call naming the field, before any provider", async () => {
		await assert.rejects(
			complete({ models: [] }),
			(e: { type: string; data: { field: string }[] }) => e.type === "VALIDATION_ERROR" && e.data[0].field === "models",
		);
		await assert.rejects(
			complete({ models: ["gpt-4.1-mini"], messages: [{ role: "robot", content: "x" }] }),
			(e: { data: { field: string }[] }) => e.data[0].field === "messages.0.role",
		);
		assert.equal(fakes.openai.completions.length, 0);
	});

	describe("a try whose provider node went away with the call in flight", () => {
		let lossy: ServiceBroker;
		afterEach(async () => {
			await lossy?.stop();
		});

		it("is not sent to that vendor again (its other models included); the walk falls back to another vendor", async () => {
			// The node "dies" after the vendor answered: the vendor has the request (and billed it), the caller hears REQUEST_REJECTED.
			const diesAfterVendor = {
				name: "DiesAfterVendor",
				localAction(handler: (ctx: any) => Promise<unknown>, action: { name: string }) {
					if (action.name !== "llm-openai.complete") return handler;
					return async (ctx: any) => {
						await handler(ctx);
						throw new Errors.RequestRejectedError({ action: action.name, nodeID: "gone" });
					};
				},
			} as unknown as Middleware;
			const env = providerEnvFor(fakes, { LLM_TIMEOUT_MS: "400", LLM_RETRY_AFTER_MAX_MS: "1500" });
			lossy = testBroker({
				services: ["models", "llm-*"],
				env,
				// First: innermost, so the tries report sees the rejection as the caller does.
				broker: { middlewares: [diesAfterVendor, ...(brokerOptions(standaloneEnv(env)).middlewares ?? [])] },
			});
			await lossy.start();
			const res = await lossy.call<ModelsCompleteResult, unknown>("models.complete", {
				system: SYSTEM,
				messages: MESSAGES,
				max_tokens: 64,
				models: ["gpt-4.1-mini", "gpt-4.1-nano", "claude-haiku-4-5"],
			});
			assert.equal(res.model, "claude-haiku-4-5");
			assert.equal(fakes.openai.completions.length, 1, "the vendor that may have the request got it once");
			assert.equal(fakes.anthropic.completions.length, 1);
			assert.deepEqual(
				res.tries.map(t => [t.model, t.ok, t.reason]),
				[
					["gpt-4.1-mini", false, "unavailable"],
					["gpt-4.1-nano", false, "unavailable"],
					["claude-haiku-4-5", true, undefined],
				],
			);
			assert.match(res.tries[1].error ?? "", /openai may already have this request/);
		});
	});
});
