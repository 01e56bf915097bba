import { deserializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { JsonLines } from "./json-lines";

/**
 * What a stdio MCP client reads its server's messages with, in place of the SDK's ReadBuffer (same interface: append,
 * readMessage, clear). The SDK's concatenated its whole buffer with every chunk and searched it again for a newline, so
 * a big answer took time quadratic in its size (a 20 MB answer 2.3 s); and a line over its limit threw, which closed the
 * transport and restarted the server, failing every call in flight on it. Here lines are read by JsonLines, and a line
 * over `maxLineBytes` fails the request it answers (its top-level `id`) with an error naming the limit; the connection
 * goes on.
 */
export class LineReadBuffer {
	/** Complete lines (parsed in readMessage, whose errors the SDK reports) and the answers made for lines too big. */
	private ready: (string | JSONRPCMessage)[] = [];
	private readonly lines: JsonLines;

	constructor(
		maxLineBytes: number,
		/** Told of a line dropped for its size, and the id it answered (undefined when it had none). */
		onDropped: (bytes: number, id: string | number | undefined) => void = () => undefined,
	) {
		this.lines = new JsonLines(maxLineBytes, {
			line: line => {
				if (line.length) this.ready.push(line.toString("utf8"));
			},
			oversized: (bytes, id) => {
				onDropped(bytes, id);
				// JSON-RPC's internal error, under the request's id: the client's call fails at once rather than at its timeout.
				if (id !== undefined)
					this.ready.push({
						jsonrpc: "2.0",
						id,
						error: {
							code: -32603,
							message: `the server's answer (${bytes} bytes) is over the ${maxLineBytes} bytes read from a tool server: not read`,
						},
					});
			},
		});
	}

	append(chunk: Buffer): void {
		this.lines.feed(chunk);
	}

	readMessage(): JSONRPCMessage | null {
		const next = this.ready.shift();
		if (next === undefined) return null;
		if (typeof next !== "string") return next;
		// A line may end in \r\n, as the SDK's ReadBuffer allows.
		return deserializeMessage(next.endsWith("\r") ? next.slice(0, -1) : next);
	}

	clear(): void {
		this.lines.reset();
		this.ready = [];
	}
}
