import { strict as assert } from "node:assert";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { LineReadBuffer } from "../../../lib/mcp-read-buffer";

const drain = (b: LineReadBuffer): JSONRPCMessage[] => {
	const out: JSONRPCMessage[] = [];
	for (let m = b.readMessage(); m !== null; m = b.readMessage()) out.push(m);
	return out;
};

describe("lib/mcp-read-buffer LineReadBuffer", () => {
	it("reads messages split across chunks and several in one chunk, \\r\\n endings too, as the SDK's ReadBuffer does", () => {
		const b = new LineReadBuffer(1_000);
		const text = '{"jsonrpc":"2.0","id":1,"result":{"a":"é"}}\n{"jsonrpc":"2.0","method":"notifications/x"}\r\n{"jsonrpc":"2.0","id":2,"result":{}}\n';
		const bytes = Buffer.from(text);
		// One byte at a time: a split inside the multi-byte é too.
		for (const byte of bytes) b.append(Buffer.from([byte]));
		assert.deepEqual(drain(b), [
			{ jsonrpc: "2.0", id: 1, result: { a: "é" } },
			{ jsonrpc: "2.0", method: "notifications/x" },
			{ jsonrpc: "2.0", id: 2, result: {} },
		]);
		b.append(Buffer.from('{"jsonrpc":"2.0","id":3,"res'));
		assert.equal(b.readMessage(), null, "no message before its newline");
	});

	it("drops a line over the limit as it arrives and answers its request with an error; the next line is read", () => {
		const dropped: unknown[] = [];
		const b = new LineReadBuffer(100, (bytes, id) => dropped.push([bytes, id]));
		const big = `{"jsonrpc":"2.0","id":"req-7","result":{"content":[{"type":"text","text":"${"x".repeat(500)}","id":9}]}}`;
		for (let i = 0; i < big.length; i += 64) b.append(Buffer.from(big.slice(i, i + 64)));
		b.append(Buffer.from('\n{"jsonrpc":"2.0","id":8,"result":{}}\n'));
		const [error, next] = drain(b) as [{ id: unknown; error: { code: number; message: string } }, JSONRPCMessage];
		assert.equal(error.id, "req-7", "the top-level id, not one inside the result");
		assert.equal(error.error.code, -32603);
		assert.match(error.error.message, new RegExp(`answer \\(${big.length} bytes\\) is over the 100 bytes`));
		assert.deepEqual(next, { jsonrpc: "2.0", id: 8, result: {} });
		assert.deepEqual(dropped, [[big.length, "req-7"]]);
	});

	it("a line that is not a JSON-RPC message throws from readMessage, where the SDK reports it, and reading goes on", () => {
		const b = new LineReadBuffer(1_000);
		b.append(Buffer.from('not json\n{"jsonrpc":"2.0","id":1,"result":{}}\n'));
		assert.throws(() => b.readMessage());
		assert.deepEqual(b.readMessage(), { jsonrpc: "2.0", id: 1, result: {} });
	});
});
