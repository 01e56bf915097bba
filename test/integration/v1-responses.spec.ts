import assert from "node:assert/strict";
import { EventEmitter, once } from "node:events";
import type { ServiceBroker } from "moleculer";
import OpenAI from "openai";
import { loadConfig } from "../../lib/config";
import type { RequestRecord } from "../../lib/contracts";
import { startVendors, type Vendors } from "../fixtures/vendors";
import { freePort, testBroker } from "../helpers";

const config = loadConfig();
const KEY = "v1-responses-app-key-0123456789";
const NARROW_KEY = "v1-responses-narrow-key-0123456789";
const MAX_ITEMS = 20;
const RESPONSES_CONFIG = {
	...config,
	cache: { ttl_seconds: { ...config.cache.ttl_seconds, completion: 0 } },
	limits: { ...config.limits, max_messages: MAX_ITEMS },
	auth: {
		keys: [
			{ name: "app", key: KEY },
			{ name: "narrow", key: NARROW_KEY, models: ["gpt-4.1-nano"] },
		],
	},
} as typeof config;

const WEATHER_TOOL: OpenAI.Responses.FunctionTool = {
	type: "function",
	name: "get_weather",
	description: "weather now",
	parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false },
	strict: true,
};

/** The events of a `responses.stream()` in order, and its final response (or what it failed with). */
async function streamed(stream: ReturnType<OpenAI["responses"]["stream"]>) {
	const events: OpenAI.Responses.ResponseStreamEvent[] = [];
	stream.on("event", e => events.push(e));
	const final = await stream.finalResponse();
	return { events, final };
}

/**
 * The output items' content: without the ids generated per answer (a call's call_id is the vendor's, one per answer
 * too) and the `parsed` fields the SDK's stream helper adds to its final response.
 */
const contentOf = (output: OpenAI.Responses.ResponseOutputItem[]) =>
	JSON.parse(JSON.stringify(output, (k, v) => (["id", "call_id", "parsed", "parsed_arguments"].includes(k) ? undefined : v)));

/**
 * POST /v1/responses (OpenAI's Responses API, stateless) driven by the official openai client's
 * responses.create and responses.stream, with the real provider services behind the gateway
 * talking to the vendor fakes: what each vendor received, what the SDK reads back, and every
 * field refused because the gateway keeps no state or forwards text only.
 */
describe("/v1/responses (official openai client: responses.create and responses.stream)", function () {
	this.timeout(30_000);
	let vendors: Vendors;
	let broker: ServiceBroker;
	let base: string;
	let openai: OpenAI;
	const records: RequestRecord[] = [];
	const recorded = new EventEmitter();

	before(async () => {
		vendors = await startVendors();
		const port = await freePort();
		broker = testBroker({
			services: ["gateway", "orchestrator", "intent", "complexity", "router", "prompt", "models", "metrics", "budget", "llm-*"],
			env: { ...vendors.env, PORT: String(port), HOST: "127.0.0.1", LLM_TIMEOUT_MS: "2000" },
			broker: { dependencyInterval: 50 },
			config: RESPONSES_CONFIG,
		});
		broker.createService({
			name: "record-watch",
			events: {
				"metrics.recorded"(ctx: { params: RequestRecord }) {
					records.push(ctx.params);
					recorded.emit("record");
				},
			},
		});
		await broker.start();
		base = `http://127.0.0.1:${port}`;
		openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: KEY, maxRetries: 0 });
	});
	after(async () => {
		await broker?.stop();
		await vendors?.stop();
	});
	beforeEach(() => vendors.reset());

	it("a concrete OpenAI model: instructions as the system prompt, the input messages, tools and options reach the vendor; a Response comes back", async () => {
		vendors.openai.next({ kind: "ok", text: "Sunny in Paris.", input_tokens: 40, output_tokens: 4 });
		const { data, response } = await openai.responses
			.create({
				model: "gpt-4.1-mini",
				instructions: "Be brief.",
				input: [
					{ role: "developer", content: "Answer in English." },
					{ role: "user", content: [{ type: "input_text", text: "weather in Paris?" }] },
				],
				tools: [WEATHER_TOOL],
				tool_choice: "auto",
				max_output_tokens: 64,
				temperature: 0.2,
				metadata: { app: "test" },
				user: "user-1",
				store: true,
			})
			.withResponse();
		assert.equal(data.object, "response");
		assert.match(data.id, /^resp_[0-9a-f]{32}$/);
		assert.equal(data.status, "completed");
		assert.equal(data.model, "gpt-4.1-mini");
		assert.equal(data.output_text, "Sunny in Paris.");
		assert.equal(data.output.length, 1);
		const msg = data.output[0];
		assert.ok(msg.type === "message" && msg.role === "assistant" && msg.status === "completed");
		assert.deepEqual(
			msg.content.map(c => c.type === "output_text" && c.text),
			["Sunny in Paris."],
		);
		assert.deepEqual(data.usage, {
			input_tokens: 40,
			input_tokens_details: { cached_tokens: 0 },
			output_tokens: 4,
			output_tokens_details: { reasoning_tokens: 0 },
			total_tokens: 44,
		});
		assert.deepEqual([data.instructions, data.max_output_tokens, data.temperature, data.metadata], ["Be brief.", 64, 0.2, { app: "test" }]);
		assert.equal(data.incomplete_details, null);
		assert.match(response.headers.get("x-orchestrator-route")!, /^llm:openai\/gpt-4\.1-mini; requested$/);
		assert.ok(response.headers.get("x-request-id"));

		const sent = vendors.openai.completions[0].body;
		assert.deepEqual(sent.messages, [
			{ role: "system", content: "Be brief." },
			{ role: "system", content: "Answer in English." },
			{ role: "user", content: "weather in Paris?" },
		]);
		assert.deepEqual(sent.tools, [
			{ type: "function", function: { name: "get_weather", description: "weather now", parameters: WEATHER_TOOL.parameters, strict: true } },
		]);
		assert.equal(sent.tool_choice, "auto");
		assert.equal(sent.max_completion_tokens, 64);
		assert.equal(sent.temperature, 0.2);
		assert.equal(sent.user, "user-1");
		assert.equal(sent.store, undefined, "nothing asks the vendor to store the answer either");
	});

	it("a concrete Claude model: instructions as Anthropic's system, tools as input_schema, tool_choice required as any", async () => {
		vendors.anthropic.next({ kind: "ok", text: "Bonjour.", input_tokens: 30, output_tokens: 3 });
		const res = await openai.responses.create({
			model: "claude-haiku-4-5",
			instructions: "Reply in French.",
			input: "hello",
			tools: [WEATHER_TOOL],
			tool_choice: "required",
			max_output_tokens: 100,
		});
		assert.equal(res.model, "claude-haiku-4-5");
		assert.equal(res.output_text, "Bonjour.");
		assert.deepEqual([res.usage?.input_tokens, res.usage?.output_tokens], [30, 3]);
		const sent = vendors.anthropic.completions[0].body;
		assert.equal(typeof sent.system === "string" ? sent.system : sent.system.map((b: { text: string }) => b.text).join(""), "Reply in French.");
		assert.deepEqual(sent.messages, [{ role: "user", content: "hello" }]);
		assert.deepEqual(
			sent.tools.map((t: Record<string, unknown>) => [t.name, t.description, t.input_schema]),
			[["get_weather", "weather now", WEATHER_TOOL.parameters]],
		);
		assert.deepEqual(sent.tool_choice, { type: "any" });
		assert.equal(sent.max_tokens, 100);
	});

	it("model auto runs the pipeline: a catalog model answers, with the intent and complexity headers", async () => {
		const { data, response } = await openai.responses
			.create({ model: "auto", input: "Write a detailed design for a distributed rate limiter with Redis, covering failure modes." })
			.withResponse();
		assert.ok(config.models[data.model], `${data.model} is a catalog model`);
		assert.match(data.output_text, /^answer from /);
		assert.ok(response.headers.get("x-orchestrator-intent") !== "n/a");
		assert.match(response.headers.get("x-orchestrator-complexity")!, /score=/);
		assert.equal(vendors.completions(), 1);
	});

	it("a tool call round trip: the function_call item, then function_call and function_call_output items sent back as the tool turn", async () => {
		vendors.openai.next({ kind: "ok", toolCalls: [{ name: "get_weather", arguments: '{"city":"Paris"}' }] });
		const first = await openai.responses.create({ model: "gpt-4.1-mini", input: "weather in Paris?", tools: [WEATHER_TOOL] });
		assert.equal(first.status, "completed");
		assert.equal(first.output_text, "");
		const call = first.output.find(o => o.type === "function_call");
		assert.ok(call && call.type === "function_call", JSON.stringify(first.output));
		assert.equal(call.name, "get_weather");
		assert.deepEqual(JSON.parse(call.arguments), { city: "Paris" });
		assert.match(call.call_id, /^call_/);
		assert.match(call.id!, /^fc_/);

		vendors.openai.next({ kind: "ok", text: "It is sunny in Paris." });
		const second = await openai.responses.create({
			model: "gpt-4.1-mini",
			tools: [WEATHER_TOOL],
			input: [
				{ role: "user", content: "weather in Paris?" },
				...first.output.filter(o => o.type === "function_call"),
				{ type: "function_call_output", call_id: call.call_id, output: "sunny, 21°C" },
			],
		});
		assert.equal(second.output_text, "It is sunny in Paris.");
		const sent = vendors.openai.completions[1].body.messages;
		assert.deepEqual(sent, [
			{ role: "user", content: "weather in Paris?" },
			{
				role: "assistant",
				content: "",
				tool_calls: [{ id: call.call_id, type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
			},
			{ role: "tool", tool_call_id: call.call_id, content: "sunny, 21°C" },
		]);
	});

	it("a model stopping on its output budget is incomplete (max_output_tokens), answered and streamed alike", async () => {
		vendors.openai.next({ kind: "ok", text: "one two three", finish: "length" }, { kind: "ok", text: "one two three", finish: "length" });
		const res = await openai.responses.create({ model: "gpt-4.1-mini", input: "count", max_output_tokens: 3 });
		assert.equal(res.status, "incomplete");
		assert.deepEqual(res.incomplete_details, { reason: "max_output_tokens" });
		assert.equal(res.output_text, "one two three");
		const { events, final } = await streamed(openai.responses.stream({ model: "gpt-4.1-mini", input: "count", max_output_tokens: 3 }));
		assert.equal(events.at(-1)?.type, "response.incomplete");
		assert.ok(!events.some(e => e.type === "response.completed"));
		assert.equal(final.status, "incomplete");
		assert.deepEqual(final.incomplete_details, { reason: "max_output_tokens" });
		assert.equal(final.output_text, "one two three");
	});

	it("streams the Responses event sequence, numbered, whose final response is the unstreamed one's content", async () => {
		const text = "TCP is reliable and ordered; UDP is neither.";
		vendors.anthropic.next({ kind: "ok", text, input_tokens: 25, output_tokens: 12 }, { kind: "ok", text, input_tokens: 25, output_tokens: 12 });
		const created = await openai.responses.create({ model: "claude-haiku-4-5", input: "TCP vs UDP?" });
		const stream = openai.responses.stream({ model: "claude-haiku-4-5", input: "TCP vs UDP?" });
		const deltas: string[] = [];
		stream.on("response.output_text.delta", e => deltas.push(e.delta));
		const { events, final } = await streamed(stream);
		assert.deepEqual(
			[...new Set(events.map(e => e.type))],
			[
				"response.created",
				"response.in_progress",
				"response.output_item.added",
				"response.content_part.added",
				"response.output_text.delta",
				"response.output_text.done",
				"response.content_part.done",
				"response.output_item.done",
				"response.completed",
			],
		);
		assert.deepEqual(
			events.map(e => e.sequence_number),
			events.map((_, i) => i),
		);
		assert.ok(deltas.length > 1, "the text arrived in pieces, as the vendor sent it");
		assert.equal(deltas.join(""), text);
		assert.equal(final.status, "completed");
		assert.equal(final.output_text, created.output_text);
		assert.deepEqual(contentOf(final.output), contentOf(created.output));
		assert.deepEqual(final.usage, created.usage);
		assert.equal(final.model, "claude-haiku-4-5");
	});

	it("a streamed tool call: function_call_arguments deltas, and the final response's call is the unstreamed one's", async () => {
		const toolCalls = [{ name: "get_weather", arguments: '{"city":"Lyon"}' }];
		vendors.openai.next({ kind: "ok", toolCalls }, { kind: "ok", toolCalls });
		const created = await openai.responses.create({ model: "gpt-4.1-mini", input: "weather in Lyon?", tools: [WEATHER_TOOL] });
		const stream = openai.responses.stream({ model: "gpt-4.1-mini", input: "weather in Lyon?", tools: [WEATHER_TOOL] });
		const { events, final } = await streamed(stream);
		assert.ok(events.filter(e => e.type === "response.function_call_arguments.delta").length >= 2);
		const done = events.find(e => e.type === "response.function_call_arguments.done");
		assert.ok(done && done.type === "response.function_call_arguments.done");
		assert.equal(done.arguments, '{"city":"Lyon"}');
		assert.equal(events.at(-1)?.type, "response.completed");
		assert.deepEqual(contentOf(final.output), contentOf(created.output));
		const call = final.output[0];
		assert.ok(call.type === "function_call" && /^call_/.test(call.call_id));
	});

	it("the SDK's aborted stream stops the vendor call", async () => {
		vendors.openai.always({ kind: "ok", text: Array.from({ length: 40 }, (_, i) => `word${i}`).join(" "), eventDelayMs: 50 });
		const cut = vendors.openai.streamsCut;
		const stream = openai.responses.stream({ model: "gpt-4.1-mini", input: "count slowly" });
		let read = "";
		for await (const e of stream) {
			if (e.type === "response.output_text.delta") read += e.delta;
			if (read.split(" ").length > 3) break;
		}
		// The vendor sees its connection closed once the gateway aborts its call (lib/cancel.ts).
		const until = Date.now() + 5000;
		while (vendors.openai.streamsCut === cut && Date.now() < until) await new Promise(r => setTimeout(r, 20));
		assert.equal(vendors.openai.streamsCut, cut + 1, "the vendor's stream was cut");
		assert.ok(vendors.openai.completions.length === 1, "no other model was asked");
	});

	it("every field the gateway cannot honour is a 400 BadRequestError naming it, before any vendor call", async () => {
		const refused: [Record<string, unknown>, string, RegExp][] = [
			[{ previous_response_id: "resp_123" }, "previous_response_id", /keeps no state/],
			[{ conversation: "conv_123" }, "conversation", /keeps no state/],
			[{ background: true }, "background", /background/],
			[{ prompt: { id: "pmpt_1" } }, "prompt", /prompt templates/],
			[{ tools: [{ type: "web_search" }] }, "tools[0].type", /web_search/],
			[{ tools: [{ type: "file_search", vector_store_ids: ["vs_1"] }] }, "tools[0].type", /file_search/],
			[{ tools: [{ type: "code_interpreter", container: { type: "auto" } }] }, "tools[0].type", /code_interpreter/],
			[{ tool_choice: { type: "web_search_preview" } }, "tool_choice", /web_search_preview/],
			[
				{ input: [{ role: "user", content: [{ type: "input_image", image_url: "https://example.com/a.png", detail: "auto" }] }] },
				"input[0].content[0].type",
				/input_image/,
			],
			[{ input: [{ role: "user", content: [{ type: "input_file", file_id: "file_1" }] }] }, "input[0].content[0].type", /input_file/],
			[{ input: [{ type: "item_reference", id: "msg_1" }] }, "input[0].type", /keeps no state/],
			[{ input: [{ type: "reasoning", id: "rs_1", summary: [] }] }, "input[0].type", /reasoning/],
			[{ include: ["message.output_text.logprobs"] }, "include", /logprobs/],
			[{ truncation: "auto" }, "truncation", /auto/],
			[{ input: [] }, "input", /non-empty/],
		];
		for (const [fields, param, message] of refused) {
			await assert.rejects(openai.responses.create({ model: "gpt-4.1-mini", input: "hi", ...fields } as any), (e: unknown) => {
				assert.ok(e instanceof OpenAI.BadRequestError, `${JSON.stringify(fields)}: ${String(e)}`);
				assert.equal(e.param, param, JSON.stringify(fields));
				assert.equal(e.type, "invalid_request_error");
				assert.match(e.message, message);
				return true;
			});
		}
		// Asking for nothing is accepted, as the API does without the field.
		await openai.responses.create({ model: "gpt-4.1-mini", input: "hi", background: false, truncation: "disabled", store: false });
		assert.equal(vendors.completions(), 1, "only the last call reached a vendor");
	});

	it("text.format json_schema is passed on as the chat path's response_format", async () => {
		vendors.openai.next({ kind: "ok", text: '{"city":"Paris"}' });
		const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
		const res = await openai.responses.create({
			model: "gpt-4.1-mini",
			input: "which city?",
			text: { format: { type: "json_schema", name: "answer", schema, strict: true } },
		});
		assert.deepEqual(JSON.parse(res.output_text), { city: "Paris" });
		assert.deepEqual(vendors.openai.completions[0].body.response_format, { type: "json_schema", json_schema: { name: "answer", schema, strict: true } });
	});

	it("keys and limits as the other /v1 routes: a wrong key 401, a model outside the key's list 403, an input over limits.max_messages 413", async () => {
		await assert.rejects(
			new OpenAI({ baseURL: `${base}/v1`, apiKey: "not-a-key-of-ours", maxRetries: 0 }).responses.create({ model: "gpt-4.1-mini", input: "hi" }),
			(e: unknown) => e instanceof OpenAI.AuthenticationError,
		);
		await assert.rejects(
			new OpenAI({ baseURL: `${base}/v1`, apiKey: NARROW_KEY, maxRetries: 0 }).responses.create({ model: "gpt-4.1-mini", input: "hi" }),
			(e: unknown) => e instanceof OpenAI.PermissionDeniedError && e.code === "model_not_allowed",
		);
		const input = Array.from({ length: MAX_ITEMS + 1 }, (_, i) => ({ role: "user" as const, content: `turn ${i}` }));
		await assert.rejects(openai.responses.create({ model: "gpt-4.1-mini", input }), (e: unknown) => {
			assert.ok(e instanceof OpenAI.APIError && e.status === 413, String(e));
			assert.equal(e.param, "input");
			return true;
		});
		await assert.rejects(
			openai.responses.create({ model: "gpt-9", input: "hi" }),
			(e: unknown) => e instanceof OpenAI.NotFoundError && e.code === "model_not_found",
		);
		assert.equal(vendors.completions(), 0);
	});

	it("emits the request record and the cost headers, as chat/completions does", async () => {
		vendors.openai.next({ kind: "ok", text: "recorded", input_tokens: 1000, output_tokens: 500 });
		const counted = records.length;
		const { response } = await openai.responses.create({ model: "gpt-4.1-mini", input: "record me" }).withResponse();
		assert.ok(Number(response.headers.get("x-orchestrator-cost-usd")) > 0, response.headers.get("x-orchestrator-cost-usd")!);
		assert.ok(Number(response.headers.get("x-orchestrator-baseline-cost-usd")) > 0);
		for (const h of ["intent", "complexity", "overhead-ms", "compaction"]) assert.ok(response.headers.get(`x-orchestrator-${h}`), h);
		while (records.length === counted) await once(recorded, "record");
		const record = records.at(-1)!;
		assert.equal(record.model, "gpt-4.1-mini");
		assert.equal(record.status, "ok");
		assert.ok(record.cost_usd > 0);
	});

	// These make a vendor fail: last, so the breaker they may open does not reroute the tests above.
	it("a vendor failing after content ends the stream with response.failed and an error the SDK raises, never response.completed", async () => {
		// Role chunk and the first two words, then a connection reset: content already reached our client.
		vendors.openai.next({ kind: "ok", text: "one two three four five", dropAfterEvents: 3 });
		const stream = openai.responses.stream({ model: "gpt-4.1-mini", input: "count" });
		const events: string[] = [];
		let text = "";
		stream.on("event", e => events.push(e.type));
		stream.on("response.output_text.delta", e => (text += e.delta));
		await assert.rejects(stream.finalResponse(), (e: unknown) => {
			assert.ok(e instanceof OpenAI.APIError, String(e));
			return true;
		});
		assert.equal(text, "one two ", "the content sent before the failure was relayed as it came");
		assert.ok(events.includes("response.failed"), events.join(" "));
		assert.ok(!events.includes("response.completed"));
		assert.equal(vendors.openai.completions.length, 1, "no fallback after content was sent");

		// Read raw (responses.create with stream: true), the SDK's iterator raises too.
		vendors.openai.next({ kind: "ok", text: "one two three four five", dropAfterEvents: 3 });
		const raw = await openai.responses.create({ model: "gpt-4.1-mini", input: "count", stream: true });
		const seen: string[] = [];
		await assert.rejects(
			(async () => {
				for await (const e of raw) seen.push(e.type);
			})(),
			(e: unknown) => e instanceof OpenAI.APIError,
		);
		assert.equal(seen.at(-1), "response.failed");
	});
});
