import { strict as assert } from "node:assert";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { loadConfig } from "../../lib/config";
import { uncachedSystemWithVendors, type SystemUnderTest } from "../fixtures/gateway";
import type { Vendors } from "../fixtures/vendors";

const config = loadConfig();
const HI = [{ role: "user" as const, content: "hi" }];
const WEATHER = {
	type: "function" as const,
	function: { name: "get_weather", description: "Weather of a city", parameters: { type: "object", properties: { city: { type: "string" } } } },
};

/**
 * Request parameters of the OpenAI and Anthropic wire formats as each vendor gets them, through the official SDKs against
 * the fake vendors: what is passed, mapped, dropped, or refused with a 400 naming the field.
 */
describe("/v1 request parameters: passed, mapped, dropped or refused by name", function () {
	this.timeout(30_000);
	let system: SystemUnderTest;
	let vendors: Vendors;
	let base: string;
	const openai = () => new OpenAI({ baseURL: `${base}/v1`, apiKey: "unused", maxRetries: 0 });
	const anthropic = () => new Anthropic({ baseURL: base, apiKey: "unused", maxRetries: 0 });

	before(async () => {
		system = await uncachedSystemWithVendors(config);
		({ vendors, base } = system);
	});
	after(async () => {
		await system?.stop();
	});
	beforeEach(() => vendors.reset());

	/** A 400 the SDK raises as BadRequestError, naming `param`, in words a person reads: never Moleculer's validation text. */
	const refusedNaming = (param: string, says: RegExp) => (e: unknown) => {
		assert.ok(e instanceof OpenAI.BadRequestError || e instanceof Anthropic.BadRequestError, String(e));
		const message = e instanceof OpenAI.BadRequestError ? e.message : (e.error as any).error.message;
		if (e instanceof OpenAI.BadRequestError) assert.equal(e.param, param, message);
		assert.ok(!/validation error/i.test(message), message);
		assert.match(message, says);
		return true;
	};

	it("a custom tool, a custom or allowed_tools tool_choice, a custom tool call in history: a 400 naming the field and what is taken, on chat/completions and responses", async () => {
		const chat = (body: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming>) =>
			openai().chat.completions.create({ model: "gpt-4.1-mini", messages: HI, ...body });
		await assert.rejects(
			chat({ tools: [WEATHER, { type: "custom", custom: { name: "grammar_tool", description: "free-form input" } }] }),
			refusedNaming("tools[1].type", /'tools\[1\]': tools of type 'custom' are not supported .*function tools/),
		);
		await assert.rejects(
			chat({
				tools: [WEATHER],
				tool_choice: { type: "allowed_tools", allowed_tools: { mode: "auto", tools: [{ type: "function", function: { name: "get_weather" } }] } },
			}),
			refusedNaming("tool_choice", /'tool_choice' of type 'allowed_tools' is not supported .*auto, none, required/),
		);
		await assert.rejects(
			chat({ tools: [WEATHER], tool_choice: { type: "custom", custom: { name: "grammar_tool" } } }),
			refusedNaming("tool_choice", /'tool_choice' of type 'custom' is not supported/),
		);
		await assert.rejects(
			chat({
				messages: [
					...HI,
					{ role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "custom", custom: { name: "grammar_tool", input: "x" } }] },
					{ role: "tool", tool_call_id: "call_1", content: "ok" },
				],
			}),
			refusedNaming("messages[1].tool_calls[0].type", /tool calls of type 'custom' are not supported/),
		);
		await assert.rejects(
			chat({ response_format: { type: "grammar", grammar: "x" } as any }),
			refusedNaming("response_format", /'response_format' of type 'grammar' is not supported .*json_schema/),
		);
		// What only the walk's contract checks is answered in its sentences, the field named as the request names it.
		await assert.rejects(
			chat({ tools: [{ ...WEATHER, function: { ...WEATHER.function, strict: "yes" as any } }] }),
			refusedNaming("tools[0].function.strict", /'tools\[0\]\.function\.strict'/),
		);
		await assert.rejects(
			openai().responses.create({ model: "gpt-4.1-mini", input: "hi", tools: [{ type: "custom", name: "grammar_tool" }] }),
			refusedNaming("tools[0].type", /tools of type 'custom' are not supported/),
		);
		await assert.rejects(
			openai().responses.create({ model: "gpt-4.1-mini", input: "hi", tool_choice: { type: "allowed_tools", mode: "auto", tools: [] } }),
			refusedNaming("tool_choice", /'tool_choice' 'allowed_tools' is not supported/),
		);
		// Anthropic: a server tool, and a value only the contract checks.
		await assert.rejects(
			anthropic().messages.create({
				model: "claude-haiku-4-5",
				max_tokens: 50,
				messages: HI,
				tools: [{ type: "web_search_20250305", name: "web_search" }],
			}),
			refusedNaming("tools[0]", /tools\[0\]: only custom tools/),
		);
		await assert.rejects(
			// API version 2026-10-21 (SDK 1.x) has no top_p field: sent raw, as an older client would.
			anthropic().messages.create({ model: "gpt-4.1-mini", max_tokens: 50, messages: HI, top_p: 1.5 } as any),
			refusedNaming("top_p", /'top_p'/),
		);
		assert.equal(vendors.completions(), 0);
	});

	it("an assistant turn's refusal part (ChatCompletionContentPartRefusal) is that turn's text, for every vendor", async () => {
		const messages: OpenAI.ChatCompletionMessageParam[] = [
			{ role: "user", content: "How do I pick a lock?" },
			{ role: "assistant", content: [{ type: "refusal", refusal: "I can't help with picking locks." }] },
			{ role: "user", content: "Then how do I call a locksmith?" },
		];
		for (const model of ["gpt-4.1-mini", "claude-haiku-4-5", "gemini-2.5-flash"]) {
			vendors.reset();
			const done = await openai().chat.completions.create({ model, messages });
			assert.equal(done.model, model);
			const sent = JSON.stringify([...vendors.openai.completions, ...vendors.anthropic.completions, ...vendors.gemini.completions][0].body);
			assert.ok(sent.includes("I can't help with picking locks."), `${model}: ${sent.slice(0, 400)}`);
		}
		// A user turn has no refusal parts in OpenAI's API: still a 400 naming the part.
		await assert.rejects(
			openai().chat.completions.create({ model: "gpt-4.1-mini", messages: [{ role: "user", content: [{ type: "refusal", refusal: "no" }] as any }] }),
			refusedNaming("messages[0].content[0].type", /type 'refusal' are not supported \(text only\)/),
		);
	});

	it("reasoning_effort is Claude's extended thinking at LiteLLM's budgets, Gemini 2.5's thinking budget, and left out for OpenAI's catalog models (none reasons)", async () => {
		const claude = await openai().chat.completions.create({ model: "claude-sonnet-4-6", messages: HI, reasoning_effort: "medium" });
		assert.equal(claude.model, "claude-sonnet-4-6", "answered by Claude, not a fallback after a refusal");
		let sent = vendors.anthropic.completions[0].body;
		assert.deepEqual(sent.thinking, { type: "enabled", budget_tokens: 2048 });
		// No max_tokens from the client: the default answer budget (4096) above the thinking budget, as LiteLLM sets it.
		assert.equal(sent.max_tokens, 4096 + 2048);
		for (const [effort, budget] of [
			["minimal", 1024],
			["low", 1024],
			["high", 4096],
		] as const) {
			vendors.reset();
			await openai().chat.completions.create({ model: "claude-haiku-4-5", messages: HI, reasoning_effort: effort, max_completion_tokens: 8000 });
			sent = vendors.anthropic.completions[0].body;
			assert.deepEqual(sent.thinking, { type: "enabled", budget_tokens: budget }, effort);
			assert.equal(sent.max_tokens, 8000);
		}
		vendors.reset();
		// Streamed too; the answer's reasoning blocks are not shown to an OpenAI client.
		let streamed = "";
		for await (const c of await openai().chat.completions.create({ model: "claude-haiku-4-5", messages: HI, reasoning_effort: "low", stream: true }))
			streamed += c.choices[0]?.delta?.content ?? "";
		assert.ok(streamed.length > 0);
		assert.deepEqual(vendors.anthropic.completions[0].body.thinking, { type: "enabled", budget_tokens: 1024 });

		// A max_tokens the thinking budget would not fit under is refused naming it, before any vendor.
		vendors.reset();
		await assert.rejects(
			openai().chat.completions.create({ model: "claude-haiku-4-5", messages: HI, reasoning_effort: "high", max_tokens: 4000 }),
			refusedNaming("max_tokens", /'max_tokens' must be greater than 4096 with reasoning_effort 'high'/),
		);
		await assert.rejects(
			openai().chat.completions.create({ model: "claude-haiku-4-5", messages: HI, reasoning_effort: "extreme" as any }),
			refusedNaming("reasoning_effort", /'reasoning_effort' 'extreme' is not supported .*minimal, low, medium or high/),
		);
		assert.equal(vendors.completions(), 0);

		// OpenAI's catalog models refuse the field (the fake answers as the API does): left out, and the model answers.
		const gpt = await openai().chat.completions.create({ model: "gpt-4.1", messages: HI, reasoning_effort: "high" });
		assert.equal(gpt.model, "gpt-4.1");
		assert.equal(vendors.openai.completions[0].body.reasoning_effort, undefined);
		assert.equal(vendors.openai.completions[0].body.max_completion_tokens, 4096 + 4096);

		const gemini = await openai().chat.completions.create({ model: "gemini-2.5-flash", messages: HI, reasoning_effort: "low" });
		assert.equal(gemini.model, "gemini-2.5-flash");
		assert.deepEqual(vendors.gemini.completions[0].body.generationConfig.thinkingConfig, { thinkingBudget: 1024 });
		// `none` asks for no reasoning: nothing is sent.
		vendors.reset();
		await openai().chat.completions.create({ model: "claude-haiku-4-5", messages: HI, reasoning_effort: "none" });
		assert.equal(vendors.anthropic.completions[0].body.thinking, undefined);
	});

	it("Responses reasoning.effort takes the same path: Claude's thinking, echoed in the response", async () => {
		const r = await openai().responses.create({ model: "claude-sonnet-4-6", input: "hi", reasoning: { effort: "high" } });
		assert.equal(r.model, "claude-sonnet-4-6");
		assert.equal(r.reasoning?.effort, "high");
		const sent = vendors.anthropic.completions[0].body;
		assert.deepEqual(sent.thinking, { type: "enabled", budget_tokens: 4096 });
		assert.equal(sent.max_tokens, 4096 + 4096);
		await assert.rejects(
			openai().responses.create({ model: "claude-sonnet-4-6", input: "hi", reasoning: { effort: "low" }, max_output_tokens: 1000 }),
			refusedNaming("max_output_tokens", /'max_output_tokens' must be greater than 1024 with reasoning.effort 'low'/),
		);
		// An Anthropic client's thinking reaches Gemini 2.5 as its thinking budget, held to the model's largest (Flash: 24576).
		vendors.reset();
		await anthropic().messages.create(
			{ model: "gemini-2.5-flash", max_tokens: 32000, messages: HI, thinking: { type: "enabled", budget_tokens: 31999 } },
			{ timeout: 20_000 },
		);
		assert.deepEqual(vendors.gemini.completions[0].body.generationConfig.thinkingConfig, { thinkingBudget: 24576 });
	});

	it("an empty stop list is no stop sequence: no vendor gets an empty array", async () => {
		for (const model of ["gpt-4.1-mini", "claude-haiku-4-5", "gemini-2.5-flash"]) {
			vendors.reset();
			const done = await openai().chat.completions.create({
				model,
				messages: HI,
				stop: [],
			});
			assert.equal(done.model, model, "answered by the model asked, not a fallback after a refusal");
			const [sent] = [...vendors.openai.completions, ...vendors.anthropic.completions, ...vendors.gemini.completions];
			assert.equal(sent.body.stop ?? sent.body.stop_sequences ?? sent.body.generationConfig?.stopSequences, undefined, model);
		}
		vendors.reset();
		await anthropic().messages.create({
			model: "gpt-4.1-mini",
			max_tokens: 50,
			messages: HI,
			stop_sequences: [],
		});
		assert.equal(vendors.openai.completions[0].body.stop, undefined);
	});

	it("GET /v1/models/{dated id} is the catalog model a POST resolves it to, for both SDKs; an unknown one stays a 404", async () => {
		for (const [id, model] of [
			["claude-haiku-4-5-20251001", "claude-haiku-4-5"],
			["gpt-4.1-2025-04-14", "gpt-4.1"],
		]) {
			const o = await openai().models.retrieve(id);
			assert.equal(o.id, model);
			assert.equal(o.object, "model");
			const a = await anthropic().models.retrieve(id);
			assert.equal(a.id, model);
			assert.equal(a.type, "model");
		}
		await assert.rejects(openai().models.retrieve("claude-sonnet-4-5-20250929"), OpenAI.NotFoundError);
		await assert.rejects(anthropic().models.retrieve("gpt-9-2025-01-01"), Anthropic.NotFoundError);
	});
});
