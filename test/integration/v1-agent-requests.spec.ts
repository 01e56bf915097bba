import { strict as assert } from "node:assert";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { loadConfig } from "../../lib/config";
import { FAKE_THINKING, thinkingSignature } from "../fakes/anthropic";
import { uncachedSystemWithVendors, type SystemUnderTest } from "../fixtures/gateway";
import type { Vendors } from "../fixtures/vendors";

const config = loadConfig();
const HI = [{ role: "user" as const, content: "hi" }];
/** Claude Code's headers beside the SDK's own (anthropic-version, x-api-key). */
const CLAUDE_CODE_HEADERS = { "anthropic-beta": "claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14", "x-app": "cli" };
const READ_TOOL = {
	name: "Read",
	description: "Reads a file from the local filesystem. ".repeat(40),
	input_schema: { type: "object" as const, properties: { file_path: { type: "string" } }, required: ["file_path"], additionalProperties: false },
};
/** A Claude Code turn: system blocks with breakpoints, a user turn whose last block carries one, tools, thinking, metadata. */
const claudeCodeTurn = (model: string, messages: Anthropic.MessageParam[]): Anthropic.MessageCreateParamsNonStreaming => ({
	model,
	max_tokens: 32000,
	system: [
		{ type: "text", text: "You are Claude Code, Anthropic's official CLI for Claude.", cache_control: { type: "ephemeral" } },
		{ type: "text", text: "Answer in English. Use the tools.", cache_control: { type: "ephemeral" } },
	],
	messages,
	tools: [READ_TOOL],
	tool_choice: { type: "auto" },
	thinking: { type: "enabled", budget_tokens: 31999 },
	metadata: { user_id: "user_0123_account__session_4567" },
});
const ASK: Anthropic.MessageParam = {
	role: "user",
	content: [
		{ type: "text", text: "<system-reminder>project context</system-reminder>" },
		{ type: "text", text: "what does src/app.ts export?", cache_control: { type: "ephemeral" } },
	],
};

/** A Makefile: TAB recipes, a variable whose trailing spaces are part of its value, blank-line runs. */
const MAKEFILE = "CFLAGS = -O2   \nall: app\n\napp: main.c\n\tgcc $(CFLAGS) -o app main.c\t\n\n\n\nclean:\n\trm -f app\n";
/** Python: indentation, a docstring whose blank lines are its value, CRLF line ends, a `;`, an `a` that is a name. */
const PYTHON = 'def total(a):\r\n    """Sum.\r\n\r\n\r\n\r\n    Returns None when empty."""  \r\n    s = 0;\r\n    return s if a else None\r\n';
/** Text a person typed: CJK, an emoji, right-to-left marks, curly quotes, a markdown hard break. */
const TEXT = "修复这个函数  \n😀 \u202Eright-to-left\u202C “exact” 'string'  \nline two";

/** Whether a vendor's request body carries the text byte for byte (JSON escapes the same whatever the wire format). */
const carries = (body: unknown, text: string) => JSON.stringify(body).includes(JSON.stringify(text).slice(1, -1));

/**
 * Requests as coding agents send them (Claude Code with ANTHROPIC_BASE_URL pointed here, OpenAI-SDK agents), through
 * the official SDKs against the fake vendors: what the vendor received and what the client got back.
 */
describe("/v1 as coding agents call it", function () {
	this.timeout(30_000);
	let system: SystemUnderTest;
	let vendors: Vendors;
	let base: string;
	// A timeout of its own: the SDK refuses an unstreamed call with a max_tokens as large as Claude Code's (32000) without one.
	const anthropic = () => new Anthropic({ baseURL: base, apiKey: "unused", maxRetries: 0, timeout: 20_000 });

	before(async () => {
		system = await uncachedSystemWithVendors(config);
		({ vendors, base } = system);
	});
	after(async () => {
		await system?.stop();
	});
	beforeEach(() => vendors.reset());

	it("a dated snapshot id (claude-haiku-4-5-20251001) is its catalog model; an unknown or retired one stays a 404", async () => {
		const msg = await anthropic().messages.create({ model: "claude-haiku-4-5-20251001", max_tokens: 50, messages: HI });
		assert.equal(msg.model, "claude-haiku-4-5");
		assert.equal(vendors.anthropic.completions.length, 1);
		assert.equal(vendors.anthropic.completions[0].body.model, "claude-haiku-4-5");
		const counted = await anthropic().messages.countTokens({ model: "claude-haiku-4-5-20251001", messages: HI });
		assert.ok(counted.input_tokens > 0);
		await assert.rejects(anthropic().messages.create({ model: "claude-3-5-haiku-20241022", max_tokens: 50, messages: HI }), Anthropic.NotFoundError);
		// Anthropic retired claude-sonnet-4-5 on 2026-11-30: the catalog has claude-sonnet-4-6, and the old snapshot is no alias of it.
		await assert.rejects(anthropic().messages.create({ model: "claude-sonnet-4-5-20250929", max_tokens: 50, messages: HI }), Anthropic.NotFoundError);
	});

	it("Claude Code's thinking turn on a Claude model: thinking, breakpoints and metadata reach Claude; its signed thinking block streams back and, echoed in the next turn, reaches Claude intact", async () => {
		vendors.anthropic.next({ kind: "ok", toolCalls: [{ name: "Read", arguments: JSON.stringify({ file_path: "src/app.ts" }) }] });
		const first = await anthropic()
			.messages.stream({ ...claudeCodeTurn("claude-sonnet-4-6", [ASK]), temperature: 1 }, { headers: CLAUDE_CODE_HEADERS })
			.finalMessage();
		const sent = vendors.anthropic.completions[0].body;
		assert.deepEqual(sent.thinking, { type: "enabled", budget_tokens: 31999 });
		assert.deepEqual(
			sent.system.map((b: any) => b.cache_control),
			[{ type: "ephemeral" }, { type: "ephemeral" }],
		);
		assert.deepEqual(sent.messages[0].content.at(-1).cache_control, { type: "ephemeral" });
		assert.equal(sent.metadata.user_id, "user_0123_account__session_4567");
		assert.deepEqual(
			first.content.map(b => b.type),
			["thinking", "tool_use"],
		);
		const thought = first.content[0] as Anthropic.ThinkingBlock;
		assert.equal(thought.thinking, FAKE_THINKING);
		assert.equal(thought.signature, thinkingSignature(FAKE_THINKING));
		const call = first.content[1] as Anthropic.ToolUseBlock;
		assert.deepEqual(call.input, { file_path: "src/app.ts" });

		// The next turn, as Claude Code sends it: the assistant's content echoed whole, the tool's result as text blocks.
		const second = await anthropic().messages.create(
			claudeCodeTurn("claude-sonnet-4-6", [
				ASK,
				{ role: "assistant", content: first.content as Anthropic.ContentBlockParam[] },
				{ role: "user", content: [{ type: "tool_result", tool_use_id: call.id, content: [{ type: "text", text: "export const x = 1;" }] }] },
			]),
			{ headers: CLAUDE_CODE_HEADERS },
		);
		assert.equal(second.model, "claude-sonnet-4-6", "answered by Claude, not a fallback after a refusal");
		assert.deepEqual(
			second.content.map(b => b.type),
			["thinking", "text"],
		);
		assert.equal(vendors.openai.completions.length + vendors.gemini.completions.length, 0);
		const echoed = vendors.anthropic.completions[1].body;
		assert.deepEqual(echoed.thinking, { type: "enabled", budget_tokens: 31999 });
		assert.deepEqual(echoed.messages[1].content[0], { type: "thinking", thinking: FAKE_THINKING, signature: thinkingSignature(FAKE_THINKING) });
		assert.equal(echoed.messages[1].content[1].type, "tool_use");
	});

	it("the same thinking conversation answered by OpenAI, Gemini or auto: thinking and reasoning blocks are left out for them, the answer comes", async () => {
		const history: Anthropic.MessageParam[] = [
			ASK,
			{
				role: "assistant",
				content: [
					{ type: "thinking", thinking: FAKE_THINKING, signature: thinkingSignature(FAKE_THINKING) },
					{ type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP" },
					{ type: "text", text: "Let me read it." },
					{ type: "tool_use", id: "toolu_01A", name: "Read", input: { file_path: "src/app.ts" } },
				],
			},
			{ role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_01A", content: "ENOENT", is_error: true }] },
		];
		for (const model of ["gpt-4.1", "gemini-2.5-flash", "auto"]) {
			vendors.reset();
			const msg = await anthropic().messages.stream(claudeCodeTurn(model, history), { headers: CLAUDE_CODE_HEADERS }).finalMessage();
			assert.ok(!msg.content.some(b => b.type === "thinking"), `${model}: ${JSON.stringify(msg.content)}`);
			const other = [...vendors.openai.completions, ...vendors.gemini.completions];
			for (const r of other) {
				const body = JSON.stringify(r.body);
				assert.ok(!body.includes(FAKE_THINKING) && !body.includes("redacted") && !body.includes("budget_tokens"), `${model}: ${body.slice(0, 300)}`);
			}
			assert.equal(other.length + vendors.anthropic.completions.length, 1, model);
		}
	});

	it("a tool loop another vendor answered, or a forced tool call, on Claude with thinking on: Claude gets that step without thinking instead of refusing it", async () => {
		const msg = await anthropic().messages.create(
			claudeCodeTurn("claude-sonnet-4-6", [
				ASK,
				{ role: "assistant", content: [{ type: "tool_use", id: "call_abc", name: "Read", input: { file_path: "src/app.ts" } }] },
				{ role: "user", content: [{ type: "tool_result", tool_use_id: "call_abc", content: "export const x = 1;" }] },
			]),
		);
		assert.equal(msg.model, "claude-sonnet-4-6");
		assert.equal(vendors.anthropic.completions.length, 1);
		assert.equal(vendors.anthropic.completions[0].body.thinking, undefined);
		// So does a call forcing a tool, which the API refuses with thinking on.
		const forced = await anthropic().messages.create({ ...claudeCodeTurn("claude-sonnet-4-6", [ASK]), tool_choice: { type: "tool", name: "Read" } });
		assert.equal(forced.model, "claude-sonnet-4-6");
		assert.equal(vendors.anthropic.completions[1].body.thinking, undefined);
		assert.deepEqual(vendors.anthropic.completions[1].body.tool_choice, { type: "tool", name: "Read" });
	});

	it("thinking is checked as the Messages API checks it; count_tokens takes it", async () => {
		const refused = (body: object, param: string) =>
			assert.rejects(anthropic().messages.create({ model: "claude-sonnet-4-6", max_tokens: 2000, messages: HI, ...body } as any), (e: unknown) => {
				assert.ok(e instanceof Anthropic.BadRequestError, String(e));
				assert.match((e.error as any).error.message, new RegExp(`^${param.replace(".", "\\.")}:`));
				return true;
			});
		await refused({ thinking: { type: "enabled", budget_tokens: 100 } }, "thinking.budget_tokens");
		await refused({ thinking: { type: "enabled", budget_tokens: 4000 } }, "max_tokens");
		await refused({ thinking: { type: "sometimes" } }, "thinking");
		assert.equal(vendors.completions(), 0);
		const counted = await anthropic().messages.countTokens({
			model: "claude-sonnet-4-6",
			messages: HI,
			tools: [READ_TOOL],
			thinking: { type: "enabled", budget_tokens: 2000 },
		});
		assert.ok(counted.input_tokens > 0);
		const plain = await anthropic().messages.create({ model: "claude-haiku-4-5", max_tokens: 2000, messages: HI, thinking: { type: "disabled" } });
		assert.equal(plain.content[0].type, "text");
		assert.equal(vendors.anthropic.completions[0].body.thinking, undefined);
	});

	it("Claude Code's anthropic-beta features reach a Claude model (an oauth- one, how the client signed in here, does not); no other vendor gets them", async () => {
		await anthropic()
			.messages.stream(claudeCodeTurn("claude-sonnet-4-6", [ASK]), {
				headers: { ...CLAUDE_CODE_HEADERS, "anthropic-beta": `${CLAUDE_CODE_HEADERS["anthropic-beta"]},oauth-2025-04-20,context-1m-2025-08-07` },
			})
			.finalMessage();
		assert.equal(
			vendors.anthropic.completions[0].headers["anthropic-beta"],
			"claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14,context-1m-2025-08-07",
		);
		await anthropic().messages.create(claudeCodeTurn("gpt-4.1", [ASK]), { headers: CLAUDE_CODE_HEADERS });
		assert.equal(vendors.openai.completions[0].headers["anthropic-beta"], undefined);
		await assert.rejects(
			anthropic().messages.create({ model: "claude-haiku-4-5", max_tokens: 10, messages: HI }, { headers: { "anthropic-beta": "a b;c" } }),
			(e: unknown) => e instanceof Anthropic.BadRequestError && /^anthropic-beta:/.test((e.error as any).error.message),
		);
	});

	it("the structured-outputs beta's output_format (sent raw by clients built on it) is honoured as output_config.format, not dropped", async () => {
		const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false };
		const send = (model: string, extra: object) =>
			fetch(`${base}/v1/messages`, {
				method: "POST",
				headers: {
					"content-type": "application/json",
					"x-api-key": "unused",
					"anthropic-version": "2023-06-01",
					"anthropic-beta": "structured-outputs-2025-11-13",
				},
				body: JSON.stringify({ model, max_tokens: 100, messages: HI, ...extra }),
			});
		assert.equal((await send("claude-sonnet-4-6", { output_format: { type: "json_schema", schema } })).status, 200);
		assert.deepEqual(vendors.anthropic.completions[0].body.output_config, { format: { type: "json_schema", schema } });
		assert.equal((await send("gemini-2.5-flash", { output_format: { type: "json_schema", schema } })).status, 200);
		assert.equal(vendors.gemini.completions[0].body.generationConfig.responseMimeType, "application/json");
		const bad = await send("claude-sonnet-4-6", { output_format: { type: "json_object" } });
		assert.equal(bad.status, 400);
		assert.match(((await bad.json()) as any).error.message, /^output_format:/);
	});

	// What a developer pastes reaches the vendor byte for byte: through /v1 under the default lossless compaction, and through
	// /api/orchestrate, whose request is compressed (fillers go, code stays).
	it("/v1/chat/completions: a Makefile, Python and typed text in later user turns of a chat, as sent", async () => {
		const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: "unused", maxRetries: 0 });
		const messages: OpenAI.ChatCompletionMessageParam[] = [
			{ role: "system", content: "You review code." },
			{ role: "user", content: "I have a build problem." },
			{ role: "assistant", content: "Paste the Makefile." },
			{ role: "user", content: MAKEFILE },
			{ role: "assistant", content: "And the script?" },
			{ role: "user", content: PYTHON },
			{ role: "assistant", content: "Anything else?" },
			{ role: "user", content: TEXT },
		];
		const { response } = await client.chat.completions.create({ model: "gpt-4.1-mini", messages }).withResponse();
		assert.match(response.headers.get("x-orchestrator-compaction")!, /^lossless;/);
		const sent = vendors.openai.completions[0].body.messages;
		assert.deepEqual(sent, messages);
	});

	it("/api/orchestrate: the code pasted in a request survives its compression", async () => {
		const request = `Hi, could you please fix the bug in this Makefile and this Python?\n${MAKEFILE}\n${PYTHON}\nThanks!`;
		const res = await fetch(`${base}/api/orchestrate`, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({ request }),
		});
		assert.equal(res.status, 200, await res.clone().text());
		const done = (await res.json()) as { optimized_prompt: string };
		const bodies = [vendors.openai, vendors.anthropic, vendors.gemini].flatMap(v => v.completions.map(c => c.body));
		assert.equal(bodies.length, 1);
		// Every byte of the code, its CRs included; the newline after it went with the sign-off ("Thanks!").
		for (const code of [MAKEFILE, PYTHON].map(c => c.replace(/\n$/, ""))) {
			assert.ok(done.optimized_prompt.includes(code), done.optimized_prompt);
			assert.ok(carries(bodies[0], code), JSON.stringify(bodies[0]));
		}
		assert.doesNotMatch(done.optimized_prompt, /could you please/);
	});
});
