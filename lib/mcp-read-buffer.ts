import { deserializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { TopLevelId } from "./json-top-level-id";

/**
 * What a stdio MCP client reads its server's messages with, in place of the SDK's ReadBuffer (same interface: append,
 * readMessage, clear). The SDK's concatenated its whole buffer with every chunk and searched it again for a newline, so
 * a big answer took time quadratic in its size (a 20 MB file read took 23 s); and a line over its limit threw, which
 * closed the transport and restarted the server, failing every call in flight on it. Here a line is kept as its pieces
 * and joined once, and a line over `maxLineBytes` is dropped as it arrives: the request it answers (its top-level `id`,
 * found without holding the line) fails with an error naming the limit, and the connection goes on.
 */
export class LineReadBuffer {
	private pieces: Buffer[] = [];
	private size = 0;
	private oversized: { bytes: number; id: TopLevelId } | undefined;
	/** Complete lines (parsed in readMessage, whose errors the SDK reports) and the answers made for lines too big. */
	private ready: (string | JSONRPCMessage)[] = [];

	constructor(
		private readonly maxLineBytes: number,
		/** Told of a line dropped for its size, and the id it answered (undefined when it had none). */
		private readonly onDropped: (bytes: number, id: string | number | undefined) => void = () => undefined,
	) {}

	append(chunk: Buffer): void {
		let rest = chunk;
		for (let nl = rest.indexOf(10); nl !== -1; nl = rest.indexOf(10)) {
			this.add(rest.subarray(0, nl));
			this.endLine();
			rest = rest.subarray(nl + 1);
		}
		if (rest.length) this.add(rest);
	}

	readMessage(): JSONRPCMessage | null {
		const next = this.ready.shift();
		if (next === undefined) return null;
		if (typeof next !== "string") return next;
		// A line may end in \r\n, as the SDK's ReadBuffer allows.
		return deserializeMessage(next.endsWith("\r") ? next.slice(0, -1) : next);
	}

	clear(): void {
		this.pieces = [];
		this.size = 0;
		this.oversized = undefined;
		this.ready = [];
	}

	private add(piece: Buffer) {
		if (!piece.length) return;
		if (this.oversized) {
			this.oversized.bytes += piece.length;
			this.oversized.id.feed(piece);
			return;
		}
		if (this.size + piece.length > this.maxLineBytes) {
			const id = new TopLevelId();
			for (const p of this.pieces) id.feed(p);
			id.feed(piece);
			this.oversized = { bytes: this.size + piece.length, id };
			this.pieces = [];
			this.size = 0;
			return;
		}
		this.pieces.push(piece);
		this.size += piece.length;
	}

	private endLine() {
		const oversized = this.oversized;
		this.oversized = undefined;
		if (oversized) {
			const id = oversized.id.value;
			this.onDropped(oversized.bytes, id);
			// JSON-RPC's internal error, under the request's id: the client's call fails at once rather than at its timeout.
			if (id !== undefined)
				this.ready.push({
					jsonrpc: "2.0",
					id,
					error: {
						code: -32603,
						message: `the server's answer (${oversized.bytes} bytes) is over the ${this.maxLineBytes} bytes read from a tool server: not read`,
					},
				});
			return;
		}
		if (!this.size) return;
		const line = this.pieces.length === 1 ? this.pieces[0] : Buffer.concat(this.pieces, this.size);
		this.pieces = [];
		this.size = 0;
		this.ready.push(line.toString("utf8"));
	}
}
