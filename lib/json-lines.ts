import { TopLevelId } from "./json-top-level-id";

/**
 * Newline-delimited JSON-RPC read from a stream, one line at a time, kept as its pieces and joined once (the SDK's
 * ReadBuffer concatenated its whole buffer with every chunk: quadratic in a line's size). A line over `maxLineBytes` is
 * dropped as it arrives, never held whole, and reported with its size and the top-level `id` it carried, so the reader
 * can answer or fail that one request. Both stdio readers use it: `orchestrator mcp`'s server transport
 * (services/gateway/mcp-stdio.ts) and the client of a downstream server (lib/mcp-read-buffer.ts).
 */
export class JsonLines {
	private pieces: Buffer[] = [];
	private size = 0;
	private oversized: { bytes: number; id: TopLevelId } | undefined;

	constructor(
		private readonly maxLineBytes: number,
		private readonly handlers: {
			/** A whole line, without its newline (possibly empty, or ending in \r). */
			line(line: Buffer): void;
			/** A line over the limit, dropped: its size and its top-level id (undefined when none could be read). */
			oversized(bytes: number, id: string | number | undefined): void;
			/** Each piece of a line kept, as it arrives (a depth check that runs as the line is read). */
			piece?(piece: Buffer): void;
		},
	) {}

	feed(chunk: Buffer): void {
		let rest = chunk;
		for (let nl = rest.indexOf(10); nl !== -1; nl = rest.indexOf(10)) {
			this.add(rest.subarray(0, nl));
			this.end();
			rest = rest.subarray(nl + 1);
		}
		if (rest.length) this.add(rest);
	}

	/** Forgets the line being read. */
	reset(): void {
		this.pieces = [];
		this.size = 0;
		this.oversized = undefined;
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
		this.handlers.piece?.(piece);
		this.pieces.push(piece);
		this.size += piece.length;
	}

	private end() {
		const { oversized, pieces, size } = this;
		this.reset();
		if (oversized) return this.handlers.oversized(oversized.bytes, oversized.id.value);
		this.handlers.line(pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, size));
	}
}
