import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import type { ServiceBroker } from "moleculer";
import OpenAI from "openai";
import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";
import { loadConfig } from "../../lib/config";
import { startVendors, type Vendors } from "../fixtures/vendors";
import { freePort, testBroker } from "../helpers";

const config = loadConfig();
const NO_COMPLETION_CACHE = { ...config, cache: { ttl_seconds: { ...config.cache.ttl_seconds, completion: 0 } } };

/**
 * The OpenAI- and Anthropic-compatible endpoints driven by the official SDKs, exactly as an
 * existing application would after changing its base URL, with the real provider services
 * (official SDKs too) behind them talking to the vendor fakes.
 */
describe("/v1 endpoints (official openai and @anthropic-ai/sdk clients)", function () {
	this.timeout(30_000);
	let vendors: Vendors;
	let broker: ServiceBroker;
	let openai: OpenAI;
	let anthropic: Anthropic;

	before(async () => {
		vendors = await startVendors();
		const port = await freePort();
		broker = testBroker({
			services: ["gateway", "orchestrator", "intent", "complexity", "router", "prompt", "models", "metrics", "llm-*"],
			env: { ...vendors.env, PORT: String(port), HOST: "127.0.0.1", LLM_TIMEOUT_MS: "2000" },
			broker: { dependencyInterval: 50 },
			config: NO_COMPLETION_CACHE,
		});
		await broker.start();
		openai = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "unused", maxRetries: 0 });
		anthropic = new Anthropic({ baseURL: `http://127.0.0.1:${port}`, apiKey: "unused", maxRetries: 0 });
	});
	after(async () => {
		await broker?.stop();
		await vendors?.stop();
	});
	beforeEach(() => vendors.reset());

	it("GET /v1/models lists the live catalog plus auto", async () => {
		const ids: string[] = [];
		for await (const m of openai.models.list()) ids.push(m.id);
		assert.ok(ids.includes("auto"));
		assert.ok(ids.includes("gpt-4.1-mini") && ids.includes("claude-haiku-4-5") && ids.includes("gemini-2.5-flash"));
	});

	it("GET /v1/models/:id (models.retrieve) answers the object /v1/models lists, auto too; an unlisted id is a 404 model_not_found", async () => {
		const listed: OpenAI.Models.Model[] = [];
		for await (const m of openai.models.list()) listed.push(m);
		for (const id of ["auto", "gpt-4.1-mini", "claude-haiku-4-5", "gemini-2.5-flash"]) {
			const want = listed.find(m => m.id === id);
			assert.ok(want, `${id} is listed`);
			assert.deepEqual({ ...(await openai.models.retrieve(id)) }, { ...want });
		}
		// In the catalog but with no live provider: not listed, so not found either.
		const unlisted = Object.keys(config.models).find(id => !listed.some(m => m.id === id));
		for (const id of [unlisted ?? "llama-unlisted", "gpt-9", "vendor/model-x"]) {
			await assert.rejects(openai.models.retrieve(id), (e: unknown) => {
				assert.ok(e instanceof OpenAI.NotFoundError, String(e));
				assert.equal(e.code, "model_not_found");
				assert.ok(e.message.includes(`'${id}'`), e.message);
				return true;
			});
		}
		// A slash sent raw is part of the id, as the SDK's %2F is.
		const raw = await fetch(`${openai.baseURL}/models/vendor/model-x`);
		assert.equal(raw.status, 404);
		assert.match((await raw.json()).error.message, /'vendor\/model-x'/);
	});

	it("POST /v1/messages/count_tokens (the Anthropic SDK's countTokens) counts with o200k_base and calls no vendor", async () => {
		const reference = new Tiktoken(o200k);
		const system = "You are a careful coding agent.";
		const messages: Anthropic.MessageParam[] = [
			{ role: "user", content: "Why does login fail in src/auth.ts?" },
			{ role: "assistant", content: [{ type: "text", text: "Let me read the file first." }] },
			{ role: "user", content: "It throws TypeError: x is undefined at line 42." },
		];
		// o200k_base per message plus the chat framing (3, and 4 a message), as lib/tokens counts what the walk sends.
		const texts = [system, "Why does login fail in src/auth.ts?", "Let me read the file first.", "It throws TypeError: x is undefined at line 42."];
		const expected = 3 + texts.reduce((n, t) => n + reference.encode(t).length + 4, 0);
		for (const model of ["claude-haiku-4-5", "gpt-4.1-mini", "auto"]) {
			assert.deepEqual(await anthropic.messages.countTokens({ model, system, messages }), { input_tokens: expected }, model);
		}
		const tools: Anthropic.Tool[] = [
			{ name: "read_file", description: "Read a file of the workspace", input_schema: { type: "object", properties: { path: { type: "string" } } } },
		];
		const withTools = await anthropic.messages.countTokens({ model: "claude-haiku-4-5", system, messages, tools });
		assert.ok(withTools.input_tokens > expected + 10, `${withTools.input_tokens} with a tool vs ${expected}`);
		for (const v of [vendors.openai, vendors.anthropic, vendors.gemini]) assert.equal(v.completions.length, 0);

		await assert.rejects(anthropic.messages.countTokens({ model: "claude-9", messages }), (e: unknown) => {
			assert.ok(e instanceof Anthropic.NotFoundError, String(e));
			assert.equal((e.error as any).error.type, "not_found_error");
			return true;
		});
		await assert.rejects(anthropic.messages.countTokens({ model: "auto", messages: [] }), (e: unknown) => {
			assert.ok(e instanceof Anthropic.BadRequestError, String(e));
			assert.equal((e.error as any).error.type, "invalid_request_error");
			assert.match((e.error as any).error.message, /messages/);
			return true;
		});
	});

	it("an OpenAI client's tools and tool results reach a Gemini model as function declarations and responses, streamed back as tool_calls", async () => {
		vendors.gemini.next({ kind: "ok", toolCalls: [{ name: "get_weather", arguments: '{"city":"Lyon"}' }] });
		const stream = await openai.chat.completions.create({
			model: "gemini-2.5-flash",
			stream: true,
			tools: [
				{
					type: "function",
					function: { name: "get_weather", description: "weather now", parameters: { type: "object", properties: { city: { type: "string" } } } },
				},
			],
			tool_choice: "required",
			messages: [
				{ role: "user", content: "weather in Paris, then Lyon?" },
				{
					role: "assistant",
					content: null,
					tool_calls: [{ id: "call_p", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
				},
				{ role: "tool", tool_call_id: "call_p", content: "sunny" },
			],
		});
		const calls: { id?: string; name?: string; arguments: string }[] = [];
		let finish: string | null = null;
		for await (const chunk of stream) {
			for (const d of chunk.choices[0]?.delta?.tool_calls ?? []) {
				const c = (calls[d.index] ??= { arguments: "" });
				c.id ??= d.id;
				c.name ??= d.function?.name;
				c.arguments += d.function?.arguments ?? "";
			}
			finish = chunk.choices[0]?.finish_reason ?? finish;
		}
		assert.equal(finish, "tool_calls");
		assert.equal(calls.length, 1);
		assert.equal(calls[0].name, "get_weather");
		assert.deepEqual(JSON.parse(calls[0].arguments), { city: "Lyon" });
		// Gemini sent no id: ours is unique to the answer, never a call_0 that every turn would repeat; the call's thought
		// signature rides in it (lib/tool-call-id.ts).
		assert.match(calls[0].id!, /^call_[0-9a-f]{12}_0__thought__c2lnbmF0dXJl$/);
		const sent = vendors.gemini.completions[0].body;
		assert.deepEqual(sent.tools, [
			{
				functionDeclarations: [
					{ name: "get_weather", description: "weather now", parametersJsonSchema: { type: "object", properties: { city: { type: "string" } } } },
				],
			},
		]);
		assert.equal(sent.toolConfig.functionCallingConfig.mode, "ANY");
		assert.deepEqual(sent.contents[1], { role: "model", parts: [{ functionCall: { id: "call_p", name: "get_weather", args: { city: "Paris" } } }] });
		assert.deepEqual(sent.contents[2], {
			role: "user",
			parts: [{ functionResponse: { id: "call_p", name: "get_weather", response: { content: "sunny" } } }],
		});
	});

	it("an Anthropic client's tools and cache_control reach a Claude model; its tool_use streams back as input_json_delta", async () => {
		vendors.anthropic.next({ kind: "ok", toolCalls: [{ name: "read_file", arguments: '{"path":"src/app.ts"}' }] });
		const stream = anthropic.messages.stream({
			model: "claude-haiku-4-5",
			max_tokens: 100,
			tools: [{ name: "read_file", description: "read", input_schema: { type: "object", properties: { path: { type: "string" } } } }],
			tool_choice: { type: "any" },
			messages: [{ role: "user", content: [{ type: "text", text: "open the app", cache_control: { type: "ephemeral" } }] }],
		});
		const deltas: string[] = [];
		stream.on("inputJson", partial => deltas.push(partial));
		const final = await stream.finalMessage();
		assert.equal(final.stop_reason, "tool_use");
		const block = final.content.find(b => b.type === "tool_use");
		assert.ok(block && block.type === "tool_use");
		assert.equal(block.name, "read_file");
		assert.deepEqual(block.input, { path: "src/app.ts" });
		assert.ok(deltas.length >= 2, "the arguments arrived in pieces, as the vendor sent them");
		const sent = vendors.anthropic.completions[0].body;
		assert.deepEqual(sent.tools, [{ name: "read_file", description: "read", input_schema: { type: "object", properties: { path: { type: "string" } } } }]);
		assert.deepEqual(sent.tool_choice, { type: "any" });
		assert.deepEqual(sent.messages[0].content, [{ type: "text", text: "open the app", cache_control: { type: "ephemeral" } }]);
	});

	it("a streamed Claude tool call without arguments reaches an OpenAI client as {}, as the unstreamed answer says it", async () => {
		// Claude streams a tool taking no input as a tool_use block whose input_json_delta pieces are empty.
		vendors.anthropic.next({ kind: "ok", toolCalls: [{ name: "git_status", arguments: "" }] });
		const stream = openai.chat.completions.stream({
			model: "claude-haiku-4-5",
			tools: [{ type: "function", function: { name: "git_status", parameters: { type: "object", properties: {} } } }],
			messages: [{ role: "user", content: "what changed?" }],
		});
		const final = await stream.finalChatCompletion();
		const call = final.choices[0].message.tool_calls?.[0];
		assert.ok(call && call.type === "function", JSON.stringify(final.choices[0].message));
		assert.equal(call.function.name, "git_status");
		assert.equal(call.function.arguments, "{}");
		assert.deepEqual(JSON.parse(call.function.arguments), {});
	});

	it("Claude's in-stream overloaded_error after content reaches an Anthropic client as overloaded_error, not api_error", async () => {
		const overloaded = 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
		vendors.anthropic.next({ kind: "ok", text: "one two three four five", errorEventAfter: { after: 5, event: overloaded } });
		const stream = anthropic.messages.stream({ model: "claude-haiku-4-5", max_tokens: 50, messages: [{ role: "user", content: "count" }] });
		let text = "";
		stream.on("text", t => (text += t));
		await assert.rejects(stream.finalMessage(), (err: { error?: { error?: { type?: string; message?: string } } }) => {
			assert.equal(err.error?.error?.type, "overloaded_error", JSON.stringify(err.error));
			assert.match(String(err.error?.error?.message), /Overloaded/);
			return true;
		});
		assert.ok(text.length > 0, "content came before the error");
	});

	it("an Anthropic client's system blocks keep their cache_control to a Claude model; another vendor gets them as instructions", async () => {
		const system: Anthropic.TextBlockParam[] = [
			{ type: "text", text: "You are a careful code reviewer. ".repeat(40), cache_control: { type: "ephemeral" } },
			{ type: "text", text: "Answer in one line." },
		];
		const messages: Anthropic.MessageParam[] = [{ role: "user", content: "review: let x = 1" }];
		await anthropic.messages.create({ model: "claude-haiku-4-5", max_tokens: 50, system, messages });
		assert.deepEqual(vendors.anthropic.completions[0].body.system, system, "the blocks, their breakpoint and their text as sent");
		await anthropic.messages.create({ model: "gpt-4.1-mini", max_tokens: 50, system, messages });
		const sent = vendors.openai.completions[0].body.messages;
		assert.deepEqual(
			sent.slice(0, 2).map((m: { role: string; content: string }) => [m.role, m.content]),
			system.map(b => ["system", b.text]),
		);
		assert.ok(
			sent.every((m: Record<string, unknown>) => !("cache_control" in m)),
			"an OpenAI target gets no Anthropic field",
		);
	});

	it("answers a concrete model with the vendor's usage, the answering model and the x-orchestrator headers", async () => {
		vendors.openai.next({ kind: "ok", text: "TCP is reliable.", input_tokens: 31, output_tokens: 5 });
		const { data, response } = await openai.chat.completions
			.create({
				model: "gpt-4.1-mini",
				messages: [
					{ role: "system", content: "Be brief." },
					{ role: "user", content: "TCP vs UDP?" },
				],
				max_tokens: 50,
			})
			.withResponse();
		assert.equal(data.choices[0].message.content, "TCP is reliable.");
		assert.equal(data.model, "gpt-4.1-mini");
		assert.deepEqual([data.usage?.prompt_tokens, data.usage?.completion_tokens], [31, 5]);
		for (const h of ["intent", "complexity", "route", "cost-usd", "baseline-cost-usd", "overhead-ms", "compaction"])
			assert.ok(response.headers.get(`x-orchestrator-${h}`), h);
		assert.match(response.headers.get("x-orchestrator-route")!, /; requested$/);
		assert.match(response.headers.get("x-orchestrator-compaction")!, /^lossless/);
		const sent = vendors.openai.completions[0].body;
		assert.equal(sent.messages[0].role, "system");
		assert.equal(sent.max_completion_tokens, 50);
	});

	it("model auto runs the pipeline and keeps the conversation on the model it started on", async () => {
		const messages = [{ role: "user" as const, content: "Write a detailed design for a distributed rate limiter with Redis, covering failure modes." }];
		const first = await openai.chat.completions.create({ model: "auto", messages }).withResponse();
		assert.ok(first.response.headers.get("x-orchestrator-intent"));
		assert.match(first.response.headers.get("x-orchestrator-complexity")!, /score=/);
		const model = first.data.model;
		const second = await openai.chat.completions.create({
			model: "auto",
			messages: [...messages, { role: "assistant", content: first.data.choices[0].message.content ?? "" }, { role: "user", content: "ok" }],
		});
		assert.equal(second.model, model, "sticky by conversation");
	});

	it("model auto with a blank last user turn is answered by a model, empty or whitespace alike, as the vendor's API would", async () => {
		for (const content of ["", " \n\t "]) {
			const res = await openai.chat.completions.create({ model: "auto", messages: [{ role: "user", content }] });
			assert.match(res.choices[0].message.content ?? "", /^answer from /, JSON.stringify(content));
		}
		assert.equal(vendors.openai.completions.length + vendors.anthropic.completions.length + vendors.gemini.completions.length, 2);
	});

	it("streams chat.completion.chunk events ending in [DONE], falling back invisibly when a vendor drops before content", async () => {
		vendors.gemini.next({ kind: "drop" }, { kind: "drop" }, { kind: "drop" });
		vendors.openai.next({ kind: "ok", text: "from the fallback" });
		const { data: stream, response } = await openai.chat.completions
			.create({
				model: "gemini-2.5-flash",
				messages: [{ role: "user", content: "hi" }],
				stream: true,
				stream_options: { include_usage: true },
			})
			.withResponse();
		assert.equal(response.headers.get("x-orchestrator-route"), "llm:openai/gpt-4.1-mini; fallback for gemini-2.5-flash");
		let text = "";
		let model = "";
		let usage: OpenAI.CompletionUsage | undefined | null;
		for await (const chunk of stream) {
			text += chunk.choices[0]?.delta?.content ?? "";
			model = chunk.model;
			usage = chunk.usage ?? usage;
		}
		assert.equal(text, "from the fallback");
		assert.equal(model, "gpt-4.1-mini");
		assert.ok(vendors.gemini.completions.length >= 1, "the dropping vendor was tried first");
		assert.ok(usage && usage.completion_tokens > 0);
	});

	it("passes OpenAI tools through and returns the tool call", async () => {
		vendors.openai.next({ kind: "ok", toolCalls: [{ name: "get_weather", arguments: '{"city":"Paris"}' }] });
		const res = await openai.chat.completions.create({
			model: "gpt-4.1-mini",
			messages: [{ role: "user", content: "weather in Paris?" }],
			tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }],
		});
		assert.equal(res.choices[0].finish_reason, "tool_calls");
		const call = res.choices[0].message.tool_calls?.[0];
		assert.ok(call && call.type === "function");
		assert.equal(call.function.name, "get_weather");
		assert.equal(vendors.openai.completions[0].body.tools[0].function.name, "get_weather");
	});

	it("an unknown model is a 404 model_not_found; an unsupported parameter a 400 naming it", async () => {
		await assert.rejects(
			openai.chat.completions.create({ model: "gpt-9", messages: [{ role: "user", content: "hi" }] }),
			(e: any) => e instanceof OpenAI.NotFoundError && e.code === "model_not_found" && /gpt-9/.test(e.message),
		);
		await assert.rejects(
			openai.chat.completions.create({ model: "gpt-4.1-mini", messages: [{ role: "user", content: "hi" }], logprobs: true }),
			(e: any) => e instanceof OpenAI.BadRequestError && e.param === "logprobs",
		);
		await assert.rejects(
			openai.chat.completions.create(
				{ model: "gpt-4.1-mini", messages: [{ role: "user", content: "hi" }] },
				{ headers: { "x-orchestrator-compaction": "extreme" } },
			),
			(e: any) => e instanceof OpenAI.BadRequestError && e.param === "x-orchestrator-compaction",
		);
		await assert.rejects(
			anthropic.messages.create({ model: "claude-9", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }),
			(e: any) => e instanceof Anthropic.NotFoundError && (e.error as any)?.error?.type === "not_found_error",
		);
	});

	it("an Anthropic client is answered in the Messages format, by an OpenAI model too", async () => {
		vendors.openai.next({ kind: "ok", text: "hello from gpt", input_tokens: 12, output_tokens: 4 });
		const msg = await anthropic.messages.create({
			model: "gpt-4.1-mini",
			max_tokens: 20,
			system: "Be brief.",
			messages: [{ role: "user", content: "hello" }],
		});
		assert.equal(msg.type, "message");
		assert.equal(msg.model, "gpt-4.1-mini");
		assert.deepEqual(msg.content, [{ type: "text", text: "hello from gpt" }]);
		assert.equal(msg.stop_reason, "end_turn");
		assert.deepEqual([msg.usage.input_tokens, msg.usage.output_tokens], [12, 4]);
		const sent = vendors.openai.completions[0].body;
		assert.deepEqual(sent.messages[0], { role: "system", content: "Be brief." });
	});

	it("streams the Anthropic SSE sequence and translates tool_use / tool_result to OpenAI tools", async () => {
		vendors.openai.next({ kind: "ok", toolCalls: [{ name: "read_file", arguments: '{"path":"a.py"}' }] });
		const stream = anthropic.messages.stream({
			model: "gpt-4.1-mini",
			max_tokens: 50,
			tools: [{ name: "read_file", description: "read", input_schema: { type: "object", properties: { path: { type: "string" } } } }],
			messages: [
				{ role: "user", content: "open a.py" },
				{ role: "assistant", content: [{ type: "tool_use", id: "tu_1", name: "read_file", input: { path: "b.py" } }] },
				{ role: "user", content: [{ type: "tool_result", tool_use_id: "tu_1", content: "print(1)" }] },
			],
		});
		const events: string[] = [];
		stream.on("streamEvent", e => events.push(e.type));
		const final = await stream.finalMessage();
		assert.equal(events[0], "message_start");
		assert.equal(events[events.length - 1], "message_stop");
		assert.equal(final.stop_reason, "tool_use");
		const block = final.content.find(b => b.type === "tool_use");
		assert.ok(block && block.type === "tool_use" && block.name === "read_file");
		assert.deepEqual(block.input, { path: "a.py" });
		const sent = vendors.openai.completions[0].body;
		assert.equal(sent.tools[0].function.name, "read_file");
		assert.equal(sent.messages[1].tool_calls[0].id, "tu_1");
		assert.deepEqual(
			{ role: sent.messages[2].role, tool_call_id: sent.messages[2].tool_call_id, content: sent.messages[2].content },
			{ role: "tool", tool_call_id: "tu_1", content: "print(1)" },
		);
	});

	it("budget compaction shortens what is forwarded and says so in the header", async () => {
		const output = Array.from({ length: 200 }, (_, i) => `line ${i} of a long build log with nothing in it`).join("\n");
		const messages: OpenAI.ChatCompletionMessageParam[] = [
			{ role: "system", content: "agent" },
			{ role: "user", content: "fix the build" },
		];
		for (let s = 0; s < 12; s++)
			messages.push({ role: "assistant", content: `step ${s}: make build` }, { role: "user", content: `${output}\nstep ${s} done` });
		const { response } = await openai.chat.completions
			.create({ model: "gpt-4.1-mini", messages }, { headers: { "x-orchestrator-compaction": "budget" } })
			.withResponse();
		const m = /^budget; stage=(\d+); received=(\d+); forwarded=(\d+)$/.exec(response.headers.get("x-orchestrator-compaction")!);
		assert.ok(m, response.headers.get("x-orchestrator-compaction")!);
		assert.ok(Number(m[3]) <= Number(m[2]) / 2);
		const sent = JSON.stringify(vendors.openai.completions[0].body.messages);
		assert.ok(sent.includes("lines elided"));
		assert.ok(sent.length < JSON.stringify(messages).length / 2);
	});

	// These make vendors fail: last, so the breakers they open do not reroute the tests above.
	it("relays the vendor's stream as it comes; a vendor dropping after content ends the OpenAI stream with an error, not [DONE]", async () => {
		// Role chunk + the first two words, then a connection reset: content already reached our client.
		vendors.openai.next({ kind: "ok", text: "one two three four five", dropAfterEvents: 3 });
		const stream = await openai.chat.completions.create({ model: "gpt-4.1-mini", messages: [{ role: "user", content: "count" }], stream: true });
		let text = "";
		let finish: string | null | undefined;
		await assert.rejects(
			(async () => {
				for await (const chunk of stream) {
					text += chunk.choices[0]?.delta?.content ?? "";
					finish = chunk.choices[0]?.finish_reason ?? finish;
				}
			})(),
			(e: any) => e instanceof OpenAI.APIError && /network|reset|terminated|socket|ended/i.test(e.message),
		);
		assert.equal(text, "one two ", "the content sent before the failure was relayed as it came");
		assert.equal(finish, undefined, "no finish_reason over a truncated answer");
		assert.equal(vendors.openai.completions.length, 1, "no fallback after content was sent");
	});

	it("a vendor dropping mid-stream ends the Anthropic stream with event: error, never message_stop", async () => {
		// message_start, content_block_start, ping, the first word, then a connection reset.
		vendors.anthropic.next({ kind: "ok", text: "alpha beta gamma", dropAfterEvents: 4 });
		const stream = anthropic.messages.stream({ model: "claude-haiku-4-5", max_tokens: 50, messages: [{ role: "user", content: "go" }] });
		const events: string[] = [];
		let text = "";
		stream.on("streamEvent", e => events.push(e.type));
		stream.on("text", t => (text += t));
		await assert.rejects(stream.finalMessage(), (e: any) => e instanceof Anthropic.APIError);
		assert.equal(text, "alpha ");
		assert.ok(!events.includes("message_stop"));
	});

	it("a vendor failing before its first content is replaced invisibly, on a real stream", async () => {
		// Headers and message_start but no content, then a reset: every try of the model fails before content.
		vendors.anthropic.always({ kind: "ok", text: "never seen", dropAfterEvents: 2 });
		vendors.gemini.next({ kind: "ok", text: "steady answer" });
		vendors.openai.next({ kind: "ok", text: "steady answer" });
		const stream = anthropic.messages.stream({ model: "claude-haiku-4-5", max_tokens: 50, messages: [{ role: "user", content: "go" }] });
		const final = await stream.finalMessage();
		assert.deepEqual(final.content, [{ type: "text", text: "steady answer" }]);
		assert.equal(final.stop_reason, "end_turn");
		assert.notEqual(final.model, "claude-haiku-4-5");
		assert.ok(vendors.anthropic.completions.length >= 1, "the failing vendor was tried first");
	});
});
