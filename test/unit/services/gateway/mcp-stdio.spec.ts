import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioJsonRpcTransport } from "../../../../services/gateway/mcp-stdio";

/** The official SDK's server on our stdio transport, over in-memory pipes: what a client writes, and the lines it reads. */
async function serve() {
	const stdin = new PassThrough();
	const stdout = new PassThrough();
	const lines: string[] = [];
	let buf = "";
	stdout.on("data", (c: Buffer) => {
		buf += c.toString();
		for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
			lines.push(buf.slice(0, nl));
			buf = buf.slice(nl + 1);
		}
	});
	const server = new McpServer({ name: "t", version: "1" });
	// A tool that answers only when cancelled (never, here), and one that answers at once.
	server.registerTool("slow", {}, () => new Promise(() => undefined));
	server.registerTool("fast", {}, async () => ({ content: [{ type: "text", text: "fast" }] }));
	const transport = new StdioJsonRpcTransport(1 << 20, "limit", () => undefined, stdin, stdout);
	await server.connect(transport);
	const send = (m: unknown) => stdin.write(JSON.stringify(m) + "\n");
	const until = async (check: () => boolean, what: string) => {
		const deadline = Date.now() + 2_000;
		while (!check()) {
			if (Date.now() > deadline) assert.fail(`not within 2 s: ${what} (lines: ${lines.join(" | ")})`);
			await new Promise(r => setTimeout(r, 10));
		}
	};
	send({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "c", version: "1" } } });
	await until(() => lines.length === 1, "initialize answered");
	send({ jsonrpc: "2.0", method: "notifications/initialized" });
	return { server, transport, lines, send, until };
}

const call = (id: number, name: string) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: {} } });

describe("services/gateway/mcp-stdio: batches in a 2025-03-26 session", () => {
	it("answers a batch whose other request the client cancelled: the cancelled one gets no answer, the rest theirs", async () => {
		const { server, transport, lines, send, until } = await serve();
		send([call(1, "slow"), call(2, "fast")]);
		send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 1, reason: "user" } });
		await until(() => lines.length === 2, "the batch answered");
		const answers = JSON.parse(lines[1]) as { id: number; result: { content: { text: string }[] } }[];
		assert.deepEqual(
			answers.map(a => [a.id, a.result.content[0].text]),
			[[2, "fast"]],
		);
		assert.equal((transport as unknown as { batches: Map<unknown, unknown> }).batches.size, 0, "nothing held for the session");
		await server.close();
	});

	it("refuses a batch that repeats a request id (-32600), which could not be answered under it twice", async () => {
		const { server, lines, send, until } = await serve();
		send([call(3, "fast"), call(3, "fast")]);
		await until(() => lines.length === 2, "the batch refused");
		const refusal = JSON.parse(lines[1]) as { id: null; error: { code: number; message: string } };
		assert.deepEqual([refusal.id, refusal.error.code], [null, -32600]);
		assert.match(refusal.error.message, /request id 3 is used twice in one batch/);
		await server.close();
	});
});
