import type { Readable, Writable } from "node:stream";
import { serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/sdk/types.js";
import { JSONRPC, JsonScanner, MAX_JSON_DEPTH, mcpBodyProblem, parseJson } from "../../lib/json-body";
import { JsonLines } from "../../lib/json-lines";
import { batchRefusal, readMessages } from "./mcp-http";

/** The requests of one batch still owed an answer, and the answers so far: the batch is answered as one array, in order. */
interface Batch {
	ids: RequestId[];
	answers: Map<RequestId, JSONRPCMessage>;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * MCP over stdio, one JSON-RPC message (or batch) per line, with the checks and answers /mcp gives the same input
 * (lib/json-body.ts mcpBodyProblem, mcp-http.ts readMessages and batchRefusal): a line that is not JSON is -32700, a
 * message JSON-RPC or MCP does not allow -32600 (id null unless it has one), a batch is answered as one array under the
 * versions that have batches, and each refusal is said on stderr.
 *
 * Why not the SDK's StdioServerTransport: its ReadBuffer throws on a line over its `maxBufferSize` (10 MiB by default),
 * and the transport then closes itself: the whole session ended on one big message, with nothing said. Raising the
 * option only moves the cliff, and a line that does not parse or pass its schema is handed to `onerror` unanswered, so
 * the client waits for its own timeout. It also concatenates the buffer with every chunk (quadratic in a long line).
 * Here a line over `maxMessageBytes` is dropped as it arrives (never held whole) and answered -32600 naming the limit,
 * under the request's own id when the line has one at its top level (TopLevelId), so the client's call fails at once.
 */
export class StdioJsonRpcTransport implements Transport {
	onclose?: () => void;
	onerror?: (error: Error) => void;
	onmessage?: (message: JSONRPCMessage) => void;
	/** The lines read (lib/json-lines.ts: a line over the limit is dropped as it arrives, its id kept). */
	private readonly lines: JsonLines;
	/** How deep the line being read nests, checked as it arrives. */
	private depth = new JsonScanner(MAX_JSON_DEPTH);
	/** The protocol version the server answered initialize with: whether a batch is served. */
	private version: string | undefined;
	private batches = new Map<RequestId, Batch>();
	private closed = false;

	/** `limitName`: the setting `maxMessageBytes` comes from, named in the refusal. `log`: one line on stderr. */
	constructor(
		private readonly maxMessageBytes: number,
		private readonly limitName: string,
		private readonly log: (line: string) => void,
		private readonly stdin: Readable = process.stdin,
		private readonly stdout: Writable = process.stdout,
	) {
		this.lines = new JsonLines(maxMessageBytes, {
			line: line => this.endLine(line),
			oversized: (bytes, id) => {
				this.depth = new JsonScanner(MAX_JSON_DEPTH);
				this.refuse(
					JSONRPC.INVALID_REQUEST,
					`message of ${bytes} bytes is over ${this.limitName} (${this.maxMessageBytes} bytes): not read`,
					id ?? null,
				);
			},
			piece: piece => this.depth.feed(piece),
		});
	}

	async start(): Promise<void> {
		this.stdin.on("data", this.ondata);
		this.stdin.on("error", this.onStdinError);
		// Kept after close: a write already under way may still fail.
		this.stdout.on("error", this.onStdoutError);
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		this.stdin.off("data", this.ondata);
		this.stdin.off("error", this.onStdinError);
		if (this.stdin.listenerCount("data") === 0) this.stdin.pause();
		this.lines.reset();
		this.batches.clear();
		this.onclose?.();
	}

	send(message: JSONRPCMessage): Promise<void> {
		if (("result" in message || "error" in message) && message.id !== undefined) {
			const result = "result" in message ? (message.result as { protocolVersion?: unknown }) : undefined;
			if (typeof result?.protocolVersion === "string") this.version = result.protocolVersion;
			const batch = this.batches.get(message.id);
			if (batch) {
				this.batches.delete(message.id);
				batch.answers.set(message.id, message);
				return this.writeIfComplete(batch);
			}
		}
		return this.write(serializeMessage(message));
	}

	/** A batch is answered once every request still owed an answer has one, as one array in the requests' order. */
	private writeIfComplete(batch: Batch): Promise<void> {
		if (batch.answers.size < batch.ids.length) return Promise.resolve();
		return this.write(JSON.stringify(batch.ids.map(id => batch.answers.get(id))) + "\n");
	}

	/**
	 * A request of a batch that its client cancelled gets no answer (the SDK sends none, as the specification asks): the
	 * batch no longer waits for it, or the other requests' answers were never written.
	 */
	private forgetCancelled(message: JSONRPCMessage) {
		if (!("method" in message) || message.method !== "notifications/cancelled") return;
		const id = (message.params as { requestId?: RequestId } | undefined)?.requestId;
		const batch = id === undefined ? undefined : this.batches.get(id);
		if (!batch) return;
		this.batches.delete(id!);
		batch.ids = batch.ids.filter(owed => owed !== id);
		void this.writeIfComplete(batch).catch(err => this.onerror?.(err as Error));
	}

	private write(line: string): Promise<void> {
		return new Promise(resolve => {
			if (this.stdout.write(line)) resolve();
			else this.stdout.once("drain", resolve);
		});
	}

	private readonly onStdinError = (error: Error) => this.onerror?.(error);

	/**
	 * The client no longer reads stdout (it died, or a pipeline's reader ended): a write fails with EPIPE. The session is
	 * over, as when stdin closes: the transport closes (the server's close aborts its calls in flight, and `orchestrator
	 * mcp` stops). Unheard, the 'error' event killed the process at once with a stack trace, nothing closed or stopped.
	 */
	private readonly onStdoutError = (error: Error) => {
		if (this.closed) return;
		this.onerror?.(error);
		void this.close();
	};

	private readonly ondata = (chunk: Buffer) => this.lines.feed(chunk);

	private endLine(line: Buffer) {
		const tooDeep = this.depth.tooDeep;
		this.depth = new JsonScanner(MAX_JSON_DEPTH);
		if (isBlank(line)) return;
		if (tooDeep) return this.refuse(JSONRPC.INVALID_REQUEST, `message is nested deeper than ${MAX_JSON_DEPTH} levels`, null);
		let body: unknown;
		try {
			// A line may end in \r\n (the SDK's ReadBuffer takes both); JSON.parse skips the \r as white space.
			body = parseJson(utf8.decode(line));
		} catch (err) {
			const why = err instanceof SyntaxError ? err.message : "not valid UTF-8";
			return this.refuse(JSONRPC.PARSE_ERROR, `Parse error: the line is not JSON (${why})`, null);
		}
		const problem = mcpBodyProblem(body);
		if (problem) return this.refuse(problem.code, problem.message, problem.id);
		const messages = readMessages(body);
		if (!Array.isArray(messages)) return this.refuse(messages.code, messages.message, null);
		if (Array.isArray(body)) {
			const refused = batchRefusal(this.version, "line");
			if (refused) return this.refuse(refused.code, refused.message, null);
			const ids = messages.flatMap(m => ("method" in m && "id" in m ? [m.id] : []));
			const batch: Batch = { ids, answers: new Map() };
			for (const id of ids) this.batches.set(id, batch);
		}
		for (const m of messages) {
			this.forgetCancelled(m);
			this.onmessage?.(m);
		}
	}

	/** Answers a message the server does not take, and says so on stderr (the client may show neither). */
	private refuse(code: number, message: string, id: RequestId | null) {
		this.log(`orchestrator mcp: refused a stdio message${id === null ? "" : ` (id ${JSON.stringify(id)})`}: ${code} ${message}`);
		this.write(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id }) + "\n").catch(err => this.onerror?.(err as Error));
	}
}

const isBlank = (line: Buffer) => line.every(c => c === 32 || c === 9 || c === 13);
