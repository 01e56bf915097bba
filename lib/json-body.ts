import type { IncomingMessage, ServerResponse } from "node:http";
import { Errors } from "moleculer";

/**
 * Deepest nesting of arrays and objects a request body may have. The public request shape is a few
 * levels deep (context.files[i].content); anything near this limit is hostile, and left through it
 * overflows the stack of every recursive walk behind the edge (validators, JSON.stringify, cache keys).
 */
export const MAX_JSON_DEPTH = 64;

/** A body the edge refuses, with the HTTP status and a type naming why. */
export class BodyError extends Errors.MoleculerClientError {
	/** `field`: the body field at fault, when one is (an OpenAI error's `param`). */
	constructor(message: string, status: number, type: string, field?: string) {
		super(message, status, type, field ? { field } : undefined);
	}
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/** The bytes of `messages`, the key whose array JsonScanner counts. */
const MESSAGES_KEY = Buffer.from("messages");

/**
 * One pass over a JSON body without parsing it, fed its bytes as they arrive: its deepest nesting (stopping as soon
 * as it passes `max`) and the entries of the top-level object's `messages` array, so that a conversation over
 * limits.max_messages is refused before JSON.parse builds it (150,000 tiny messages in 5 MB made 300,000 objects for
 * the collector, and held the event loop, /health included, while four such bodies were parsed), and before the rest
 * of it is even buffered, decoded and scanned (readJsonBody: the work a refused body costs is bounded by the limit,
 * spread over its chunks). The count is the array's commas at its own depth: exact for valid JSON; a key spelled with
 * escapes is missed here and counted after the parse (shapeProblem). UTF-8 bytes, not characters: every byte this
 * reads is ASCII, which no byte of a multi-byte character is.
 */
export class JsonScanner {
	/** Nested deeper than `max`: the scan stopped there. */
	tooDeep = false;
	/** Entries of the top-level `messages` array: its count once closed; while it is open, the entries seen so far. */
	messages: number | undefined;
	private depth = 0;
	private inString = false;
	private escaped = false;
	/** Bytes of the string being read that still match `messages` (-1: it does not, or is not a depth-1 string). */
	private keyMatch = -1;
	// After the top-level key "messages" (and its colon): its value opens the array counted.
	private afterKey = false;
	private counting = false;
	private commas = 0;

	constructor(private readonly max: number) {}

	/** Reads the next bytes (nothing once too deep: no more can change the answer). */
	feed(bytes: Uint8Array): void {
		if (this.tooDeep) return;
		for (let i = 0; i < bytes.length; i++) {
			const c = bytes[i];
			if (this.inString) {
				if (this.escaped) this.escaped = false;
				else if (c === 92 /* \ */) {
					this.escaped = true;
					this.keyMatch = -1;
				} else if (c === 34 /* " */) {
					this.inString = false;
					this.afterKey = this.keyMatch === MESSAGES_KEY.length;
				} else if (this.keyMatch >= 0) this.keyMatch = MESSAGES_KEY[this.keyMatch] === c ? this.keyMatch + 1 : -1;
				continue;
			}
			if (isSpace(c)) continue;
			// Any token at the array's own depth but its `]` is in an entry: the count so far is its commas + 1.
			if (this.counting && this.depth === 2 && c !== 93 /* ] */) {
				if (c === 44 /* , */) this.commas++;
				this.messages = this.commas + 1;
			}
			if (c === 34) {
				this.inString = true;
				this.keyMatch = this.depth === 1 ? 0 : -1;
			} else if (c === 123 /* { */ || c === 91 /* [ */) {
				if (++this.depth > this.max) {
					this.tooDeep = true;
					return;
				}
				if (this.afterKey && c === 91 && this.depth === 2) {
					this.counting = true;
					this.commas = 0;
					this.messages = 0;
				}
			} else if (c === 125 /* } */ || c === 93 /* ] */) {
				// The array's `]`: `messages` already holds its count (0 for an empty one).
				if (this.counting && this.depth === 2) this.counting = false;
				this.depth--;
			}
			if (c !== 58 /* : */) this.afterKey = false;
		}
	}
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** JSON.parse, dropping `__proto__` keys: merged into another object they would replace its prototype. */
export function parseJson(text: string): unknown {
	if (!text.includes('"__proto__"')) return JSON.parse(text);
	return JSON.parse(text, (key, value) => (key === "__proto__" ? undefined : value));
}

export function isJsonContentType(header: string | undefined): boolean {
	return !!header && /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(header.trim());
}

/**
 * Reads the whole body up to `limit` bytes; refuses more as soon as it is seen, and a body `check` refuses as soon as
 * a chunk it reads says so. The rest is read and dropped, not buffered: closing the connection instead would cut the
 * client off mid-upload (EPIPE) before it reads the 413.
 */
export function readBody(req: IncomingMessage, limit: number, check?: (chunk: Buffer) => BodyError | undefined): Promise<Buffer> {
	const declared = Number(req.headers["content-length"]);
	const tooLarge = () => new BodyError(`HTTP body is over limits.max_body_bytes (${limit} bytes) in config.yaml`, 413, "REQUEST_TOO_LARGE");
	if (declared > limit) {
		req.resume();
		return Promise.reject(tooLarge());
	}
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let done = false;
		req.on("data", (chunk: Buffer) => {
			if (done) return;
			size += chunk.length;
			if (size > limit) {
				done = true;
				chunks.length = 0;
				reject(tooLarge());
				return;
			}
			const refused = check?.(chunk);
			if (refused) {
				done = true;
				chunks.length = 0;
				reject(refused);
				return;
			}
			chunks.push(chunk);
		});
		req.on("end", () => {
			if (!done) resolve(Buffer.concat(chunks, size));
			done = true;
		});
		req.on("error", err => {
			if (!done) reject(new BodyError(`HTTP body could not be read: ${err.message}`, 400, "BAD_REQUEST"));
			done = true;
		});
	});
}

/**
 * The request body as a JSON value, checked before anything runs: JSON content type and no
 * Content-Encoding (415: a compressed body is not inflated, which would also let a small upload
 * expand past max_body_bytes), size (413), valid UTF-8 and JSON (400), nesting depth (422).
 */
export async function readJsonBody(req: IncomingMessage, limit: number, maxMessages = Infinity): Promise<unknown> {
	if (!isJsonContentType(req.headers["content-type"])) {
		throw new BodyError(`${req.method} takes a JSON body: send it with 'Content-Type: application/json'`, 415, "UNSUPPORTED_MEDIA_TYPE");
	}
	const encoding = req.headers["content-encoding"]?.trim().toLowerCase();
	if (encoding && encoding !== "identity") {
		req.resume();
		throw new BodyError(`Content-Encoding '${encoding}' is not supported: send the JSON body uncompressed`, 415, "UNSUPPORTED_MEDIA_TYPE");
	}
	// Scanned as it arrives (JsonScanner): too deep, or a conversation over the limit, is refused at the chunk that
	// shows it, before the rest is buffered, decoded or parsed.
	const scanner = new JsonScanner(MAX_JSON_DEPTH);
	const raw = await readBody(req, limit, chunk => {
		scanner.feed(chunk);
		if (scanner.tooDeep) return new BodyError(`JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`, 422, "TOO_DEEP");
		if (scanner.messages !== undefined && scanner.messages > maxMessages) return tooManyMessages(undefined, maxMessages);
		return undefined;
	});
	let text: string;
	try {
		text = utf8.decode(raw);
	} catch {
		throw new BodyError("HTTP body is not valid UTF-8", 400, "INVALID_JSON");
	}
	try {
		return parseJson(text);
	} catch (err) {
		throw new BodyError(`HTTP body is not valid JSON: ${(err as Error).message}`, 400, "INVALID_JSON");
	}
}

type Next = (err?: unknown) => void;

/** What moleculer-web sets on a request before a route's middlewares: the route (its CORS settings) and the gateway service. */
type Alias = { method: string; match(url: string): unknown };
type GatewayRequest = IncomingMessage & {
	$route?: { cors?: unknown };
	$service?: { aliases?: readonly Alias[]; writeCorsHeaders(route: unknown, req: IncomingMessage, res: ServerResponse, isPreFlight: boolean): void };
	originalUrl?: string;
};

/**
 * The methods the gateway serves on a path, from moleculer-web's aliases: what a 405 names in its
 * Allow header when a known path is asked with another method (moleculer-web itself answers 404).
 */
export function methodsServed(aliases: readonly Alias[], path: string): string[] {
	const url = path.length > 1 ? path.replace(/\/+$/, "") : path;
	return [...new Set(aliases.filter(a => a.method !== "*" && a.match(url)).map(a => a.method))].sort();
}

/**
 * A CORS preflight (any OPTIONS) answered 204 with the methods served, running nothing: true when it
 * was one. CORS headers only for an origin CORS allows (ALLOWED_ORIGINS, moleculer-web's own
 * writeCorsHeaders, which refuses any other by throwing): a listed origin's page can then send its
 * call, every other cross-site page gets no access. moleculer-web answers preflights only after a
 * route's middlewares, which is too late here.
 */
function answeredPreflight(req: GatewayRequest, res: ServerResponse, allow: string): boolean {
	if (req.method !== "OPTIONS") return false;
	if (req.$route?.cors && req.headers.origin) {
		try {
			req.$service?.writeCorsHeaders(req.$route, req, res, true);
		} catch {
			// An origin CORS does not allow: no CORS headers.
		}
	}
	// The methods this path serves (what its 405 names), else the route's.
	const path = (req.originalUrl ?? req.url ?? "").split("?")[0];
	const served = req.$service?.aliases ? methodsServed(req.$service.aliases, path) : [];
	res.writeHead(204, { Allow: served.length ? served.join(", ") : allow });
	res.end();
	return true;
}

/** moleculer-web route middleware for routes without a body (the status page, /health): a preflight runs nothing. */
export function preflightOnly(allow: string) {
	return function preflightOnlyMiddleware(req: IncomingMessage, res: ServerResponse, next: Next) {
		if (!answeredPreflight(req, res, allow)) next();
	};
}

/** The edge's limits (config.yaml `limits`). */
export interface EdgeLimits {
	max_body_bytes: number;
	/** Most entries in a body's `messages` array (the /v1 conversations). */
	max_messages: number;
}

/**
 * What the body's shape makes too large, though its bytes fit: a conversation of more than
 * `max_messages` messages. Every later step (format conversion, compaction, token estimates, the
 * sticky key) walks the messages on the event loop; 200,000 tiny ones fit in 8 MB.
 */
function shapeProblem(body: Record<string, unknown>, limits: EdgeLimits): BodyError | undefined {
	const messages = body.messages;
	if (Array.isArray(messages) && messages.length > limits.max_messages) return tooManyMessages(messages.length, limits.max_messages);
	return undefined;
}

/** `entries`: the count, when the body was read whole; undefined when it was refused at the first entry over `max`. */
function tooManyMessages(entries: number | undefined, max: number): BodyError {
	const has = entries === undefined ? `more than ${max}` : String(entries);
	return new BodyError(`'messages' has ${has} entries, over limits.max_messages (${max}) in config.yaml`, 413, "REQUEST_TOO_LARGE", "messages");
}

/**
 * moleculer-web route middleware for the REST actions: a POST's parameters are its JSON object body
 * alone (the query string would let a plain HTML form or a link set them), and a CORS preflight is
 * answered here, running nothing (no CORS headers: cross-site pages get no access).
 */
export function restJsonBody(limits: EdgeLimits) {
	return function restJsonBodyMiddleware(req: IncomingMessage & { body?: unknown; query?: unknown }, res: ServerResponse, next: Next) {
		if (answeredPreflight(req, res, "GET, POST")) return;
		if (req.method !== "POST") return next();
		req.query = {};
		readJsonBody(req, limits.max_body_bytes, limits.max_messages).then(body => {
			if (body === null || typeof body !== "object" || Array.isArray(body)) {
				return next(new BodyError("HTTP body must be a JSON object of the action's parameters", 422, "INVALID_BODY"));
			}
			const problem = shapeProblem(body as Record<string, unknown>, limits);
			if (problem) return next(problem);
			req.body = body;
			next();
		}, next);
	};
}

/** JSON-RPC error codes of the MCP edge. */
export const JSONRPC = { PARSE_ERROR: -32700, INVALID_REQUEST: -32600, INVALID_PARAMS: -32602, INTERNAL_ERROR: -32603 } as const;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The members JSON-RPC 2.0 defines for a request or notification, and for a response. */
const REQUEST_MEMBERS = new Set(["jsonrpc", "id", "method", "params"]);
const RESPONSE_MEMBERS = new Set(["jsonrpc", "id", "result", "error"]);

/**
 * What is wrong with one JSON-RPC message, before the MCP SDK sees it: an envelope that is not a
 * request or notification, or a request whose id is not a string or an integer, is -32600 (the
 * SDK's schema check reports those as a parse error, -32700, though the JSON parsed); `tools/call` params without a tool name or with non-object
 * arguments are -32602 (the SDK's own schema check reports those as an internal error, -32603).
 */
export function jsonRpcProblem(msg: unknown): { code: number; message: string; id: string | number | null } | null {
	if (!isObject(msg)) return { code: JSONRPC.INVALID_REQUEST, message: "a JSON-RPC message must be an object", id: null };
	const validId = typeof msg.id === "string" || Number.isSafeInteger(msg.id);
	const id = validId ? (msg.id as string | number) : null;
	if (msg.jsonrpc !== "2.0") return { code: JSONRPC.INVALID_REQUEST, message: `'jsonrpc' must be "2.0"`, id };
	// MCP's request ids: a string or an integer (null is JSON-RPC's id of an error answering no request).
	if ("method" in msg && msg.id !== undefined && !validId) return { code: JSONRPC.INVALID_REQUEST, message: "'id' must be a string or an integer", id };
	// The SDK's schemas are strict: a member JSON-RPC does not define was answered -32700, though the JSON parsed.
	const members = "method" in msg ? REQUEST_MEMBERS : RESPONSE_MEMBERS;
	const stray = Object.keys(msg).find(k => !members.has(k));
	if (stray !== undefined) return { code: JSONRPC.INVALID_REQUEST, message: `'${stray.slice(0, 64)}' is not a member of a JSON-RPC message`, id };
	if ("method" in msg) {
		if (typeof msg.method !== "string" || !msg.method) return { code: JSONRPC.INVALID_REQUEST, message: "'method' must be a non-empty string", id };
		if (msg.params !== undefined && !isObject(msg.params)) return { code: JSONRPC.INVALID_PARAMS, message: "'params' must be an object", id };
		const meta = (msg.params as Record<string, unknown> | undefined)?._meta;
		if (meta !== undefined && !isObject(meta)) return { code: JSONRPC.INVALID_PARAMS, message: "'params._meta' must be an object", id };
		if (msg.method === "tools/call") {
			const p = (msg.params ?? {}) as Record<string, unknown>;
			if (typeof p.name !== "string" || !p.name) return { code: JSONRPC.INVALID_PARAMS, message: "tools/call needs 'params.name', the tool's name", id };
			if (p.arguments !== undefined && !isObject(p.arguments))
				return { code: JSONRPC.INVALID_PARAMS, message: "tools/call 'params.arguments' must be an object", id };
		}
		return null;
	}
	// A response from the client (to a server request) carries a result object or an error {code, message}.
	if ("result" in msg) return isObject(msg.result) ? null : { code: JSONRPC.INVALID_REQUEST, message: "'result' must be an object", id };
	if ("error" in msg) {
		const e = msg.error as Record<string, unknown>;
		return isObject(e) && Number.isInteger(e.code) && typeof e.message === "string"
			? null
			: { code: JSONRPC.INVALID_REQUEST, message: "'error' must be an object with an integer 'code' and a string 'message'", id };
	}
	return { code: JSONRPC.INVALID_REQUEST, message: "a JSON-RPC message needs a 'method' (or a 'result'/'error')", id };
}

/**
 * What refuses a parsed MCP message or batch (/mcp's body, a stdio line) before the SDK sees it: the first message's
 * jsonRpcProblem, an empty batch, or a batch no single answer could serve (batchProblem). `answers`: the problem is the
 * answer to the request it names (bad params of a request sent alone), not a refusal of the whole message.
 */
export function mcpBodyProblem(body: unknown): { code: number; message: string; id: string | number | null; answers: boolean } | null {
	for (const msg of Array.isArray(body) ? body : [body]) {
		const problem = jsonRpcProblem(msg);
		if (problem) return { ...problem, answers: problem.code === JSONRPC.INVALID_PARAMS && problem.id !== null && !Array.isArray(body) };
	}
	if (Array.isArray(body) && !body.length) return { code: JSONRPC.INVALID_REQUEST, message: "an empty batch", id: null, answers: false };
	const unanswerable = Array.isArray(body) ? batchProblem(body) : null;
	return unanswerable ? { code: JSONRPC.INVALID_REQUEST, message: unanswerable, id: null, answers: false } : null;
}

/**
 * What makes a body of several messages one the server could not answer in a single JSON response:
 * a request id used twice (one answer would complete the POST while the other request still runs on
 * a server the pool hands to the next client, who would get that answer under the same id), or a
 * request cancelled by a `notifications/cancelled` of the same body (a cancelled request is never
 * answered, so the POST would wait forever). Both are -32600: MCP forbids reusing an id, and a
 * request cancelled before it is sent is no request.
 */
export function batchProblem(messages: readonly Record<string, unknown>[]): string | null {
	const ids = new Set<unknown>();
	for (const m of messages) {
		if (typeof m.method !== "string" || m.id === undefined) continue;
		if (ids.has(m.id)) return `request id ${JSON.stringify(m.id)} is used twice in one batch`;
		ids.add(m.id);
	}
	for (const m of messages) {
		if (m.method !== "notifications/cancelled") continue;
		const id = (m.params as { requestId?: unknown } | undefined)?.requestId;
		if (ids.has(id)) return `request id ${JSON.stringify(id)} is cancelled in its own batch`;
	}
	return null;
}

/**
 * One write of a whole JSON answer with its length (no body: an empty answer). Headers written by writeHead before the
 * body is known make Node frame the answer as `Transfer-Encoding: chunked` (a size line, the body and a closing chunk:
 * more pieces to write and for the client to parse), where moleculer-web's /api answers carry a Content-Length.
 */
export function sendJsonText(res: ServerResponse, status: number, body: string | undefined, contentType = "application/json; charset=utf-8") {
	if (body === undefined) res.writeHead(status, { "Content-Length": 0 }).end();
	else res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) }).end(body);
}

/** A JSON-RPC error with no request to answer for (id null unless given), as the /mcp edge answers refusals. */
export function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string, id: string | number | null = null) {
	sendJsonText(res, status, JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id }));
}

/**
 * moleculer-web route middleware for /mcp: the same checks as the REST edge, answered the way a
 * JSON-RPC client reads them (-32700 for a body that is not JSON, -32600 for one it may not send or
 * a batch it could not answer (batchProblem), -32602 for tools/call params without a name or with
 * non-object arguments).
 */
export function mcpJsonBody(limit: number) {
	return function mcpJsonBodyMiddleware(req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: Next) {
		if (answeredPreflight(req, res, "POST")) return;
		if (req.method !== "POST") return next();
		readJsonBody(req, limit).then(
			body => {
				const problem = mcpBodyProblem(body);
				// Bad params of a request alone are that request's JSON-RPC answer (200): over HTTP 400 the SDK's client
				// throws a transport error and never matches the -32602 to its request. Anything else refuses the POST.
				if (problem) return sendJsonRpcError(res, problem.answers ? 200 : 400, problem.code, problem.message, problem.id);
				req.body = body;
				next();
			},
			(err: BodyError) => sendJsonRpcError(res, err.code, err.type === "INVALID_JSON" ? JSONRPC.PARSE_ERROR : JSONRPC.INVALID_REQUEST, err.message),
		);
	};
}
