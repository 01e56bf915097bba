import { strict as assert } from "node:assert";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { JSONRPCMessageSchema, type JSONRPCRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import type { ServiceBroker } from "moleculer";
import { loadConfig } from "../../../../lib/config";
import { analyzeParamsSchema } from "../../../../lib/contracts";
import { PARAMS_CHECKED } from "../../../../lib/validator";
import { directToolCall, plainRequest } from "../../../../services/gateway/tool-call";
import { jsonTransportServer } from "../../../../services/gateway/tools";
import { NodeJsonTransport } from "../../../../services/gateway/mcp-http";

const RESULT = JSON.parse(readFileSync(join(__dirname, "../../../fixtures/orchestrate-result.json"), "utf8"));

describe("the MCP edge's direct tools/call path (services/gateway/tool-call.ts)", () => {
	it("plainRequest takes a message as plain only when the SDK's JSONRPCMessageSchema accepts it unchanged", () => {
		const base = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "orchestrate", arguments: { request: "x" } } };
		const samples: unknown[] = [
			base,
			{ ...base, id: "a" },
			{ ...base, id: 0 },
			{ ...base, id: -3 },
			{ jsonrpc: "2.0", id: 2, method: "ping" },
			{ ...base, id: 1.5 },
			{ ...base, id: 2 ** 53 },
			{ ...base, id: null },
			{ ...base, id: true },
			{ ...base, jsonrpc: "1.0" },
			{ ...base, method: 7 },
			{ ...base, params: [1] },
			{ ...base, params: null },
			{ ...base, params: { ...base.params, _meta: { progressToken: 1 } } },
			{ ...base, params: { ...base.params, _meta: "x" } },
			{ ...base, extra: 1 },
			{ jsonrpc: "2.0", method: "notifications/initialized" },
			{ jsonrpc: "2.0", id: 3, result: {} },
			[base],
			null,
			"text",
			Object.assign(Object.create({ inherited: 1 }), base),
		];
		let plain = 0;
		for (const m of samples) {
			if (!plainRequest(m)) continue;
			plain++;
			const parsed = JSONRPCMessageSchema.safeParse(m);
			assert.ok(parsed.success, JSON.stringify(m));
			assert.deepEqual(parsed.data, m);
		}
		assert.equal(plain, 5);
	});

	it("gives each call a signal of its own, aborted when the server closes, as the SDK does", async () => {
		const server = new McpServer({ name: "t", version: "1" }, { capabilities: { tools: {} } });
		const signals: AbortSignal[] = [];
		const wait = server.registerTool("wait", { inputSchema: z.object({}) }, async (_args, extra) => {
			signals.push(extra.signal);
			await new Promise(resolve => extra.signal.addEventListener("abort", resolve));
			return { content: [{ type: "text", text: "aborted" }] };
		});
		const [, serverSide] = InMemoryTransport.createLinkedPair();
		await server.connect(serverSide);
		const direct = directToolCall(server, { wait });
		const request = (id: number): JSONRPCRequest => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "wait", arguments: {} } });
		const answers = [direct(request(1), {}), direct(request(2), {})];
		await new Promise(resolve => setImmediate(resolve));
		assert.equal(signals.length, 2);
		assert.notEqual(signals[0], signals[1]);
		assert.ok(!signals[0].aborted);
		await server.close();
		assert.ok(signals.every(s => s.aborted));
		for (const answer of await Promise.all(answers))
			assert.deepEqual((answer as { result: unknown }).result, { content: [{ type: "text", text: "aborted" }] });
	});

	it("hands a tool what the SDK's handler gets: its request id, auth, headers and URL, and senders that work off the object", async () => {
		const server = new McpServer({ name: "t", version: "1" }, { capabilities: { tools: {}, logging: {} } });
		let seen: Record<string, unknown> = {};
		const probe = server.registerTool("probe", { inputSchema: z.object({}) }, async (_args, extra) => {
			const { sendNotification } = extra;
			await sendNotification({ method: "notifications/message", params: { level: "info", data: "on the way" } });
			const { requestId, authInfo, requestInfo } = extra;
			seen = { requestId, authInfo, host: requestInfo?.headers.host, url: requestInfo?.url?.href, aborted: extra.signal.aborted };
			return { content: [{ type: "text", text: "ok" }] };
		});
		const transport = new NodeJsonTransport(directToolCall(server, { probe }));
		await server.connect(transport);
		let body: string | undefined;
		const res = {
			writeHead: () => res,
			end: (b: string) => ((body = b), res),
		} as unknown as ServerResponse;
		const headers = { accept: "application/json, text/event-stream", "content-type": "application/json", host: "gateway.test:3000" };
		const authInfo = { token: "t", clientId: "c", scopes: [] };
		const call = { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "probe", arguments: {} } };
		transport.handle({ url: "/mcp?x=1", headers } as unknown as IncomingMessage, res, call, { authInfo });
		while (body === undefined) await new Promise(resolve => setImmediate(resolve));
		assert.deepEqual(JSON.parse(body), { result: { content: [{ type: "text", text: "ok" }] }, jsonrpc: "2.0", id: 7 });
		assert.deepEqual(seen, { requestId: 7, authInfo, host: "gateway.test:3000", url: "http://gateway.test:3000/mcp?x=1", aborted: false });
		await server.close();
	});

	it("leaves a tools/call it does not know how to answer to the SDK", () => {
		const server = new McpServer({ name: "t", version: "1" }, { capabilities: { tools: {} } });
		const echo = server.registerTool("echo", { inputSchema: z.object({}) }, async () => ({ content: [] }));
		const direct = directToolCall(server, { echo });
		const call = (params: unknown, method = "tools/call") => direct({ jsonrpc: "2.0", id: 1, method, params } as JSONRPCRequest, {});
		assert.equal(call({ name: "other" }), undefined);
		assert.equal(call({ name: "toString" }), undefined);
		assert.equal(call({ name: "echo", _meta: {} }), undefined);
		assert.equal(call({ name: "echo", task: {} }), undefined);
		assert.equal(call({ name: "echo", arguments: [] }), undefined);
		assert.equal(call({ name: "echo" }, "tools/list"), undefined);
		echo.disable();
		assert.equal(call({ name: "echo" }), undefined);
		echo.enable();
		assert.ok(call({ name: "echo" }) instanceof Promise);
	});
});

/**
 * The analyze_request and orchestrate tools hand the action their arguments as the tool's input schema parsed
 * them, marked PARAMS_CHECKED (services/gateway/tools/index.ts `checked`), so a local action does not parse them
 * again: that holds only while what the tool's parse makes is a fixed point of the action's contract, the same
 * object the contract's own parse would have made.
 */
describe("the MCP tools' arguments, parsed once", () => {
	const calls: { action: string; params: Record<string, unknown>; opts: Record<PropertyKey, unknown> }[] = [];
	const broker = {
		call: async (action: string, params: Record<string, unknown>, opts: Record<PropertyKey, unknown>) => {
			calls.push({ action, params, opts });
			return RESULT;
		},
		localBus: { on() {}, off() {} },
	} as unknown as ServiceBroker;
	const config = loadConfig();
	const { server, transport } = jsonTransportServer(broker, config);
	after(() => server.close());

	/** One tools/call through the /mcp transport; resolves with the JSON-RPC answer. */
	const toolCall = (name: string, args: unknown) =>
		new Promise<{ result?: { isError?: boolean } }>(resolve => {
			const res = {
				writeHead: () => res,
				end: (body: string) => resolve(JSON.parse(body)),
			} as unknown as ServerResponse;
			const req = { headers: { accept: "application/json, text/event-stream", "content-type": "application/json" } } as IncomingMessage;
			transport.handle(req, res, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } });
		});

	const ARGS: Record<string, unknown>[] = [
		{ request: "explain closures" },
		{ request: "why does this fail?", context: null },
		{ request: "x", options: { dry_run: "true", cache: "false", max_cost: "0.5", preferred_models: ["gpt-4.1-mini"], extra: 1 } },
		{ request: "x", options: { prompt_strategy: "llm", cache: false } },
		{ request: "fix it", context: { files: [{ path: "a.ts", content: "b" }], error: "TypeError", other: 2 }, unknown_key: true },
	];

	for (const [tool, action] of [
		["orchestrate", "orchestrator.orchestrate"],
		["analyze_request", "orchestrator.analyze"],
	] as const)
		it(`${tool}: the action gets the tool's parse, marked checked, which its contract leaves as it is`, async () => {
			const contract = analyzeParamsSchema(config.limits);
			for (const args of ARGS) {
				calls.length = 0;
				const answer = await toolCall(tool, args);
				assert.equal(answer.result?.isError, undefined, JSON.stringify(answer));
				assert.equal(calls.length, 1);
				const [{ action: called, params, opts }] = calls;
				assert.equal(called, action);
				assert.equal(opts[PARAMS_CHECKED], true);
				assert.deepEqual(contract.parse(params), params, JSON.stringify(args));
				// orchestrate's input schema is its contract with `options` optional: the same object the contract makes of the arguments.
				if (tool === "orchestrate") assert.deepEqual(params, contract.parse(args));
			}
			// What the schema refuses never reaches the action.
			calls.length = 0;
			const refused = await toolCall(tool, { request: "x", options: null });
			if (tool === "orchestrate") assert.equal(refused.result?.isError, true);
			assert.equal(calls.length, tool === "orchestrate" ? 0 : 1);
		});
});
