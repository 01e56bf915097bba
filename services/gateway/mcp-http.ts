import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_BATCH_SIZE } from "@modelcontextprotocol/sdk/server/requestBody.js";
import { isJsonContentType } from "@modelcontextprotocol/sdk/shared/mediaType.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
	isInitializeRequest,
	JSONRPCMessageSchema,
	SUPPORTED_PROTOCOL_VERSIONS,
	type JSONRPCMessage,
	type JSONRPCRequest,
	type MessageExtraInfo,
	type RequestId,
} from "@modelcontextprotocol/sdk/types.js";
import { plainRequest, type DirectCall } from "./tool-call";
import { sendJsonText } from "../../lib/json-body";

/** The HTTP request a server is answering: the ids it still owes an answer and the answers so far. */
interface Exchange {
	res: ServerResponse;
	ids: Set<RequestId>;
	answers: Map<RequestId, JSONRPCMessage>;
}

/** The SDK's own Content-Type (no charset), so answers match its transport's byte for byte. */
const sendJson = (res: ServerResponse, status: number, body: string | undefined) => sendJsonText(res, status, body, "application/json");

function jsonRpcError(res: ServerResponse, status: number, code: number, message: string) {
	sendJson(res, status, JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }));
}

/**
 * The protocol versions whose Streamable HTTP POST body may be a JSON-RPC batch: 2025-03-26 brought the
 * transport with batches, 2025-06-18 removed them ("The body of the POST request MUST be a single JSON-RPC
 * request, notification, or response", basic/transports, also 2025-11-25). Without an MCP-Protocol-Version
 * header the server assumes 2025-03-26, as the transport says, so a batch is served; the SDK's own
 * transport serves one under every version.
 */
export const BATCHING_VERSIONS = new Set(["2025-03-26", "2024-11-05", "2024-10-07"]);

/** A JSON-RPC refusal of a whole message: its HTTP status, its code and message (answered with id null). */
export interface Refusal {
	status: number;
	code: number;
	message: string;
}

/**
 * The messages of a body lib/json-body.ts mcpBodyProblem let through, as the SDK's transports check them: the batch's
 * size (-32600), each message against JSONRPCMessageSchema (-32700), one initialize per batch (-32600). Shared by /mcp
 * and stdio (mcp-stdio.ts), so both answer the same input the same way.
 */
export function readMessages(body: unknown): JSONRPCMessage[] | Refusal {
	if (Array.isArray(body) && body.length > MAX_BATCH_SIZE)
		return { status: 400, code: -32600, message: `Invalid Request: Batch must not exceed ${MAX_BATCH_SIZE} messages` };
	let messages: JSONRPCMessage[];
	try {
		messages = (Array.isArray(body) ? body : [body]).map(m => (plainRequest(m) ? m : JSONRPCMessageSchema.parse(m)));
	} catch {
		return { status: 400, code: -32700, message: "Parse error: Invalid JSON-RPC message" };
	}
	const initializes = messages.some(m => isRequest(m) && m.method === "initialize" && isInitializeRequest(m));
	if (initializes && messages.length > 1) return { status: 400, code: -32600, message: "Invalid Request: Only one initialization request is allowed" };
	return messages;
}

/** A batch under a protocol version that has none (BATCHING_VERSIONS): -32600. undefined: the version is not known yet. `unit`: what carries one message. */
export function batchRefusal(version: string | undefined, unit = "POST"): Refusal | null {
	if (version === undefined || BATCHING_VERSIONS.has(version)) return null;
	return {
		status: 400,
		code: -32600,
		message: `Invalid Request: MCP ${version} takes one JSON-RPC message per ${unit}, not a batch (batches are part of 2025-03-26 only)`,
	};
}

const isRequest = (m: JSONRPCMessage): m is JSONRPCMessage & { id: RequestId; method: string } => "method" in m && "id" in m;

/**
 * Stateless MCP Streamable HTTP on Node's own request and response, every POST answered with one JSON
 * body (the SDK's `enableJsonResponse`, which its client reads as it reads SSE), one HTTP request at a
 * time, and kept connected to its server across requests.
 *
 * The SDK's StreamableHTTPServerTransport wraps its web-standard transport: per request it turned Node's
 * request into a fetch `Request` (@hono/node-server), built a `Response` and read it back as a stream
 * to write it, built the transport and connected and closed it (the close creating an McpError with its
 * stack), and told a request from a notification or a response by re-parsing each message with zod,
 * several times over: about 0.3 ms of CPU per request over REST's (scripts/bench/threads.ts). The checks
 * it makes on a POST are made here in the same order with the same answers: Accept (406), JSON content
 * type (415), batch size (-32600), each message against the SDK's JSONRPCMessageSchema (-32700), one
 * initialize per batch (-32600), a supported MCP-Protocol-Version (400); then, unlike the SDK, a batch
 * under a version that has none (-32600, BATCHING_VERSIONS); 202 for notifications and
 * responses alone. GET and DELETE are refused by the caller (no session, no SSE stream). Notifications
 * a tool sends while running are dropped, as the SDK's JSON mode drops them. A message of the shape every
 * client sends (plainRequest) is taken as the schema would leave it, unparsed; a body of one `tools/call`
 * of the server's own tools is answered by `direct` (services/gateway/tool-call.ts) without the Protocol.
 *
 * Reusing it across requests is what the SDK forbids for its stateless transport, because JSON-RPC ids
 * of different clients would collide in its maps. Here they cannot: `handle` takes a request only once
 * the previous one is answered in full (`busy`), and an answer goes to the HTTP request whose id it
 * carries only while that request is the current one.
 */
export class NodeJsonTransport implements Transport {
	onclose?: () => void;
	onerror?: (error: Error) => void;
	onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
	private exchange: Exchange | undefined;
	private closed = false;

	/** `direct`: answers some single requests without the server's Protocol (directToolCall); the others go to onmessage. */
	constructor(private readonly direct?: DirectCall) {}

	async start(): Promise<void> {}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		this.exchange = undefined;
		this.onclose?.();
	}

	/** Whether a request is being answered. */
	get busy(): boolean {
		return this.exchange !== undefined;
	}

	/** One POST whose body is already parsed (lib/json-body.ts mcpJsonBody); the answer is written to `res`. */
	handle(req: IncomingMessage, res: ServerResponse, body: unknown, extra: Pick<MessageExtraInfo, "authInfo"> = {}): void {
		if (this.closed) throw new Error("transport closed");
		if (this.exchange) throw new Error("transport busy: one HTTP request at a time");
		const accept = req.headers.accept;
		if (!accept?.includes("application/json") || !accept.includes("text/event-stream"))
			return jsonRpcError(res, 406, -32000, "Not Acceptable: Client must accept both application/json and text/event-stream");
		if (!isJsonContentType(req.headers["content-type"]))
			return jsonRpcError(res, 415, -32000, "Unsupported Media Type: Content-Type must be application/json");
		const messages = readMessages(body);
		if (!Array.isArray(messages)) return jsonRpcError(res, messages.status, messages.code, messages.message);
		const initializes = messages.some(m => isRequest(m) && m.method === "initialize" && isInitializeRequest(m));
		const version = req.headers["mcp-protocol-version"];
		if (!initializes && version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(String(version)))
			return jsonRpcError(
				res,
				400,
				-32000,
				`Bad Request: Unsupported protocol version: ${version} (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")})`,
			);
		const refused = Array.isArray(body) ? batchRefusal(version === undefined ? undefined : String(version)) : null;
		if (refused) return jsonRpcError(res, refused.status, refused.code, refused.message);
		const info: MessageExtraInfo = { authInfo: extra.authInfo, requestInfo: new RequestInfo(req) };
		const ids = new Set(messages.filter(isRequest).map(m => m.id));
		if (!ids.size) {
			for (const m of messages) this.onmessage?.(m, info);
			return sendJson(res, 202, undefined);
		}
		const exchange: Exchange = { res, ids, answers: new Map() };
		this.exchange = exchange;
		const answer = messages.length === 1 ? this.direct?.(messages[0] as JSONRPCRequest, info) : undefined;
		if (!answer) {
			for (const m of messages) this.onmessage?.(m, info);
			return;
		}
		// Once the transport is closed (the client left, the server was dropped) the answer goes nowhere, as the SDK's would.
		answer.then(message => (this.exchange === exchange ? this.send(message) : undefined)).catch((err: Error) => this.onerror?.(err));
	}

	async send(message: JSONRPCMessage): Promise<void> {
		// A notification or a request of the server's: JSON mode has no stream to carry it.
		if (!("result" in message || "error" in message)) return;
		const exchange = this.exchange;
		const id = message.id;
		if (!exchange || id === undefined || !exchange.ids.has(id)) throw new Error(`No connection established for request ID: ${String(id)}`);
		exchange.answers.set(id, message);
		if (exchange.answers.size < exchange.ids.size) return;
		this.exchange = undefined;
		const answers = [...exchange.ids].map(i => exchange.answers.get(i));
		sendJson(exchange.res, 200, JSON.stringify(answers.length === 1 ? answers[0] : answers));
	}
}

/**
 * What the SDK hands a handler as `requestInfo`: the headers, and the URL only if read. A class, not an object
 * literal with `get url()`: V8 gives each such literal its own accessor pair, allocated in the old generation, so
 * the getter's closure kept the whole HTTP request (its body, response, Moleculer context) alive through every
 * scavenge until the next full GC: the heap grew ~1.9 MB a scavenge under load (docs/overhead.md, "s13-mcp").
 */
class RequestInfo implements NonNullable<MessageExtraInfo["requestInfo"]> {
	readonly headers: IncomingMessage["headers"];

	constructor(private readonly req: IncomingMessage) {
		this.headers = req.headers;
	}

	get url(): URL {
		return new URL(this.req.url ?? "/", `http://${this.req.headers.host ?? "localhost"}`);
	}
}
