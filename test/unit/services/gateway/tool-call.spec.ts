import { strict as assert } from "node:assert";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { JSONRPCMessageSchema, type JSONRPCRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { directToolCall, plainRequest } from "../../../../services/gateway/tool-call";

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
