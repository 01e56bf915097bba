import assert from "node:assert/strict";
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import type { ServiceBroker } from "moleculer";
import OpenAI from "openai";
import { startVendors, type Vendors } from "../fixtures/vendors";
import { freePort, testBroker } from "../helpers";
import { untilConnected, workspaceConfig } from "./mcp-support";

/**
 * `model: "auto"` on a request a downstream tool answers (the reference file-system MCP server
 * over stdio): a zero-token answer as an ordinary assistant message, unless the client sent tools.
 */
describe("/v1 auto: a zero-token tool answer when the client sent no tools", function () {
	this.timeout(40_000);
	let workspace: string;
	let vendors: Vendors;
	let broker: ServiceBroker;
	let openai: OpenAI;
	let anthropic: Anthropic;
	// A plain read the decisions route to the file-system tool (the terser "read the file src/server.ts", which intent v8 calls MANAGE, is routed too: route.ts's PLAIN_READ).
	const ask = "Show me the contents of src/server.ts";

	before(async () => {
		workspace = await realpath(await mkdtemp(join(tmpdir(), "orch-v1-ws-")));
		await mkdir(join(workspace, "src"), { recursive: true });
		await writeFile(join(workspace, "src/server.ts"), "export const port = 3000;\n");
		vendors = await startVendors();
		const port = await freePort();
		broker = testBroker({ config: workspaceConfig(workspace), env: { ...vendors.env, PORT: String(port), HOST: "127.0.0.1" } });
		await broker.start();
		await untilConnected(broker, "mcp.filesystem");
		openai = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "unused", maxRetries: 0 });
		anthropic = new Anthropic({ baseURL: `http://127.0.0.1:${port}`, apiKey: "unused", maxRetries: 0 });
	});
	after(async () => {
		await broker?.stop();
		await vendors?.stop();
		await rm(workspace, { recursive: true, force: true });
	});
	beforeEach(() => vendors.reset());

	it("answers from the tool with no LLM call, as an assistant message with zero usage", async () => {
		const { data, response } = await openai.chat.completions.create({ model: "auto", messages: [{ role: "user", content: ask }] }).withResponse();
		assert.match(data.choices[0].message.content ?? "", /export const port = 3000;/);
		assert.equal(data.choices[0].message.role, "assistant");
		assert.equal(data.choices[0].finish_reason, "stop");
		assert.deepEqual([data.usage?.prompt_tokens, data.usage?.completion_tokens], [0, 0]);
		assert.match(response.headers.get("x-orchestrator-route")!, /^mcp:mcp\.filesystem\./);
		assert.equal(vendors.openai.completions.length + vendors.anthropic.completions.length + vendors.gemini.completions.length, 0, "no vendor was called");
	});

	it("streams the tool's answer in the Anthropic format too", async () => {
		const final = await anthropic.messages.stream({ model: "auto", max_tokens: 100, messages: [{ role: "user", content: ask }] }).finalMessage();
		const text = final.content.map(b => (b.type === "text" ? b.text : "")).join("");
		assert.match(text, /export const port = 3000;/);
		assert.equal(final.stop_reason, "end_turn");
	});

	it("honours the caller's stop and max_tokens on the tool's output, as a model would", async () => {
		const stopped = await openai.chat.completions.create({ model: "auto", messages: [{ role: "user", content: ask }], stop: ["3000"] });
		assert.equal(stopped.choices[0].message.content, "export const port = ");
		assert.equal(stopped.choices[0].finish_reason, "stop");
		const capped = await anthropic.messages.create({ model: "auto", max_tokens: 2, messages: [{ role: "user", content: ask }] });
		const text = capped.content.map(b => (b.type === "text" ? b.text : "")).join("");
		assert.equal(capped.stop_reason, "max_tokens");
		assert.ok(text.length > 0 && "export const port = 3000;\n".startsWith(text), text);
		assert.equal(vendors.openai.completions.length + vendors.anthropic.completions.length + vendors.gemini.completions.length, 0, "no vendor was called");
	});

	it("a system prompt or a JSON response_format goes to the LLM with the file: the raw file cannot honour either", async () => {
		const french = await openai.chat.completions.create({
			model: "auto",
			messages: [
				{ role: "system", content: "Reply only in French." },
				{ role: "user", content: ask },
			],
		});
		const json = await openai.chat.completions.create({
			model: "auto",
			messages: [{ role: "user", content: ask }],
			response_format: { type: "json_object" },
		});
		for (const res of [french, json]) {
			assert.doesNotMatch(res.choices[0].message.content ?? "", /export const port/);
			assert.doesNotMatch(res.model, /^mcp\./);
		}
		const sent = [...vendors.openai.completions, ...vendors.anthropic.completions, ...vendors.gemini.completions];
		assert.equal(sent.length, 2, "both went to a model");
		for (const call of sent) assert.match(JSON.stringify(call.body), /export const port = 3000;/, "with the file the tool fetched");
	});

	it("a tool-then-LLM route sends the model the file it asks about, as /api does", async () => {
		const { data: res, response } = await openai.chat.completions
			.create({ model: "auto", messages: [{ role: "user", content: "Summarize src/server.ts" }] })
			.withResponse();
		assert.doesNotMatch(res.model, /^mcp\./);
		// The compaction header counts what was forwarded, the fetched file included.
		const [, received, forwarded] = /received=(\d+); forwarded=(\d+)/.exec(response.headers.get("x-orchestrator-compaction")!)!.map(Number);
		assert.ok(forwarded > received, `forwarded ${forwarded}, received ${received}`);
		const sent = [...vendors.openai.completions, ...vendors.anthropic.completions, ...vendors.gemini.completions];
		assert.equal(sent.length, 1, "one LLM call");
		assert.match(JSON.stringify(sent[0].body), /Summarize src\/server\.ts[^"]*read_text_file result:[^"]*export const port = 3000;/);
	});

	it("an agent's own tools win: the request goes to an LLM with them", async () => {
		const res = await openai.chat.completions.create({
			model: "auto",
			messages: [{ role: "user", content: ask }],
			tools: [{ type: "function", function: { name: "read_file", parameters: { type: "object", properties: { path: { type: "string" } } } } }],
		});
		const calls = vendors.openai.completions.length + vendors.anthropic.completions.length + vendors.gemini.completions.length;
		assert.equal(calls, 1, "one LLM call");
		assert.doesNotMatch(res.choices[0].message.content ?? "", /export const port/);
	});
});
