import { once, EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { freePort } from "../helpers";

/**
 * A scriptable local HTTP server speaking one vendor's wire format, so tests run the vendors'
 * real SDKs against it. Each request takes the next scripted behaviour, or the default one.
 */
export type Behaviour =
	| {
			kind: "ok";
			text?: string;
			input_tokens?: number;
			/** Input tokens computed from the request body (a vendor whose tokenizer counts differently); wins over input_tokens. */
			inputTokensOf?: (body: any) => number;
			output_tokens?: number;
			/** Output tokens computed from the request body (e.g. all of its max_tokens); wins over output_tokens. */
			outputTokensOf?: (body: any) => number;
			finish?: string;
			delayMs?: number;
			/** No usage in the answer, as some OpenAI-compatible servers do (OpenAI dialect). */
			noUsage?: boolean;
			/** The model calls these function tools instead of answering in text (each dialect in its own shape). */
			toolCalls?: { name: string; arguments: string }[];
			/** Streamed answers only: send this many events (the headers and some content), then reset the connection. */
			dropAfterEvents?: number;
			/** Streamed answers only: wait this long between events (a model generating). */
			eventDelayMs?: number;
			/** Streamed answers only: once, after this many events, wait `ms` (a model stalling in the middle of its answer). */
			pauseAfterEvents?: { after: number; ms: number };
			/** Streamed answers only: after this many events, send `event` (the vendor's in-stream error, raw SSE) and end. */
			errorEventAfter?: { after: number; event: string };
	  }
	/** retryAfter goes in the retry-after header, and in the body where the vendor puts it (Gemini RetryInfo); bodyOnly leaves the header out. */
	| { kind: "error"; status: number; message?: string; retryAfter?: string; bodyOnly?: boolean }
	/**
	 * Exactly this status, content type and body, off the vendor's wire format: what a proxy in front of it (nginx's HTML
	 * 502), or a server that only half speaks it (vLLM's `{"object":"error",...}`), answers.
	 */
	| { kind: "raw"; status: number; contentType: string; body: string }
	/** Never answers: no status line, no headers. */
	| { kind: "hang" }
	/** Sends the status line and headers, then never the body. */
	| { kind: "stall-body" }
	/** Closes the TCP connection without an HTTP answer (a connection reset for the client). */
	| { kind: "drop" }
	/**
	 * A 200 whose answer is half sent (non-streamed: half of its JSON; streamed: half of its events): `reset` then resets the
	 * connection (the body cut off), else the body ends there (an answer that does not parse).
	 */
	| { kind: "half-body"; reset: boolean };

export interface RecordedRequest {
	method: string;
	path: string;
	headers: IncomingMessage["headers"];
	body: any;
}

export interface Route {
	kind: "complete" | "models";
	model?: string;
	stream: boolean;
}

/** What makes one vendor's dialect: routing, auth, and the bodies it answers with. */
export interface Dialect {
	name: string;
	route(method: string, url: URL): Route | undefined;
	/** The key the client sent, read the vendor's way. */
	apiKey(req: IncomingMessage, url: URL): string | undefined;
	success(route: Route, body: any, b: Extract<Behaviour, { kind: "ok" }>): unknown;
	/** Server-sent events for a streamed answer. */
	stream(route: Route, body: any, b: Extract<Behaviour, { kind: "ok" }>): string[];
	error(status: number, message: string | undefined, retryAfter?: string): { body: unknown; headers?: Record<string, string> };
	/** The vendor's answer to a bad key (OpenAI/Anthropic 401, Gemini 400 API_KEY_INVALID). */
	badKey(key: string | undefined): { status: number; body: unknown };
	/** A completion request the vendor's validation refuses (a field its API version does not take), before any behaviour. */
	invalid?(req: IncomingMessage, body: any): { status: number; body: unknown } | undefined;
	models(ids: string[]): unknown;
	notFound(path: string): { status: number; body: unknown };
}

export class FakeVendor {
	readonly requests: RecordedRequest[] = [];
	/** Streamed answers whose client closed the connection before the last event (it stopped reading: the vendor stops generating). */
	streamsCut = 0;
	/** Held requests (`hang`) whose client closed the connection while it waited (it gave the call up). */
	heldAbandoned = 0;
	/** Requests whose client went away before their body was whole (nothing recorded, nothing answered). */
	uploadsAborted = 0;
	/** Completion requests open now (arrived, not yet answered or gone), and the most ever open at once. */
	inFlight = 0;
	maxInFlight = 0;
	private readonly arrivals = new EventEmitter();
	private script: Behaviour[] = [];
	private fallback: Behaviour = { kind: "ok" };
	private server?: Server;
	private sockets = new Set<Socket>();
	port = 0;

	constructor(
		private readonly dialect: Dialect,
		readonly apiKey = `test-key-${dialect.name}`,
		readonly modelIds: string[] = [],
	) {}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Behaviours for the next requests, in order; then `always` (default: success). */
	next(...behaviours: Behaviour[]): this {
		this.script.push(...behaviours);
		return this;
	}

	always(b: Behaviour): this {
		this.fallback = b;
		return this;
	}

	reset(): this {
		this.script = [];
		this.fallback = { kind: "ok" };
		this.requests.length = 0;
		this.maxInFlight = this.inFlight;
		return this;
	}

	/** Completion requests only (not model listings). */
	get completions(): RecordedRequest[] {
		return this.requests.filter(r => r.method === "POST");
	}

	/** Resolves when the next completion request arrives (before it is answered). */
	async nextCompletion(): Promise<RecordedRequest> {
		const [r] = await once(this.arrivals, "completion");
		return r as RecordedRequest;
	}

	/** On a free port, or on the given one (a server coming up where a client already points). */
	async start(port?: number): Promise<this> {
		this.port = port ?? (await freePort());
		this.server = createServer((req, res) => void this.handle(req, res));
		this.server.on("connection", s => {
			this.sockets.add(s);
			s.on("close", () => this.sockets.delete(s));
		});
		await new Promise<void>(resolve => this.server!.listen(this.port, "127.0.0.1", resolve));
		return this;
	}

	async stop(): Promise<void> {
		for (const s of this.sockets) s.destroy();
		await new Promise<void>(resolve => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	private async handle(req: IncomingMessage, res: ServerResponse) {
		const chunks: Buffer[] = [];
		try {
			for await (const c of req) chunks.push(c as Buffer);
		} catch {
			// The client went away mid-upload (ECONNRESET "aborted"), as a real vendor sees a cancelled call:
			// no request to record or answer. Thrown from this un-awaited handler, it ended the test process.
			res.destroy();
			this.uploadsAborted++;
			return;
		}
		const raw = Buffer.concat(chunks).toString("utf8");
		const url = new URL(req.url ?? "/", this.baseUrl);
		let body: any;
		try {
			body = raw ? JSON.parse(raw) : undefined;
		} catch {
			body = raw;
		}
		const recorded = { method: req.method ?? "", path: url.pathname + url.search, headers: req.headers, body };
		this.requests.push(recorded);
		if (recorded.method === "POST") {
			this.arrivals.emit("completion", recorded);
			this.inFlight++;
			this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
			res.once("close", () => this.inFlight--);
		}

		const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
			res.writeHead(status, { "content-type": "application/json", ...headers });
			res.end(JSON.stringify(payload));
		};
		const found = this.dialect.route(req.method ?? "", url);
		// OpenAI and Anthropic stream when the body says so; Gemini has a streaming path.
		const route = found && { ...found, stream: found.stream || body?.stream === true };
		if (!route) {
			const nf = this.dialect.notFound(url.pathname);
			return send(nf.status, nf.body);
		}
		const key = this.dialect.apiKey(req, url);
		if (key !== this.apiKey) {
			const bad = this.dialect.badKey(key);
			return send(bad.status, bad.body);
		}
		if (route.kind === "models") return send(200, this.dialect.models(this.modelIds));
		const invalid = this.dialect.invalid?.(req, body);
		if (invalid) return send(invalid.status, invalid.body);

		const b = this.script.shift() ?? this.fallback;
		switch (b.kind) {
			case "hang":
				// The socket stays open until the client gives up or stop() destroys it.
				res.on("close", () => this.heldAbandoned++);
				return;
			case "stall-body":
				res.writeHead(200, { "content-type": route.stream ? "text/event-stream" : "application/json" });
				res.flushHeaders();
				return;
			case "drop":
				req.socket.destroy();
				return;
			case "raw":
				res.writeHead(b.status, { "content-type": b.contentType });
				return void res.end(b.body);
			case "half-body": {
				const whole = route.stream
					? this.dialect.stream(route, body, { kind: "ok" }).join("")
					: JSON.stringify(this.dialect.success(route, body, { kind: "ok" }));
				res.writeHead(200, { "content-type": route.stream ? "text/event-stream" : "application/json" });
				res.write(whole.slice(0, Math.floor(whole.length / 2)));
				await new Promise(r => setTimeout(r, 50));
				if (b.reset) req.socket.destroy();
				else res.end();
				return;
			}
			case "error": {
				const e = this.dialect.error(b.status, b.message, b.retryAfter);
				return send(b.status, e.body, { ...(b.retryAfter && !b.bodyOnly ? { "retry-after": b.retryAfter } : {}), ...e.headers });
			}
			case "ok": {
				// Counted from the request's arrival: a client that gives up while the model has produced nothing yet (the
				// delay) cuts the stream too; a reset of the fake's own (dropAfterEvents) is not counted.
				if (route.stream && b.dropAfterEvents === undefined)
					res.on("close", () => {
						if (!res.writableEnded) this.streamsCut++;
					});
				if (b.delayMs) await new Promise(r => setTimeout(r, b.delayMs));
				const ok = {
					...b,
					...(b.inputTokensOf ? { input_tokens: b.inputTokensOf(body) } : {}),
					...(b.outputTokensOf ? { output_tokens: b.outputTokensOf(body) } : {}),
				};
				if (!route.stream) return send(200, this.dialect.success(route, body, ok));
				res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
				const events = this.dialect.stream(route, body, ok);
				if (ok.dropAfterEvents !== undefined) {
					for (const event of events.slice(0, ok.dropAfterEvents)) res.write(event);
					// Let the written events reach the client before the reset, as a vendor failing mid-answer does.
					await new Promise(r => setTimeout(r, 50));
					req.socket.destroy();
					return;
				}
				for (const [i, event] of events.entries()) {
					if (res.destroyed) return;
					res.write(event);
					if (ok.eventDelayMs) await new Promise(r => setTimeout(r, ok.eventDelayMs));
					if (ok.pauseAfterEvents?.after === i + 1) await new Promise(r => setTimeout(r, ok.pauseAfterEvents!.ms));
					if (ok.errorEventAfter?.after === i + 1) return void res.end(ok.errorEventAfter.event);
				}
				if (!res.destroyed) res.end();
			}
		}
	}
}

/** Text the fakes answer with when a test does not script one: names the vendor and model it came from. */
export function defaultText(vendor: string, model: string | undefined): string {
	return `answer from ${vendor} ${model ?? ""}`.trim();
}

/** Splits a text into a few stream deltas. */
export function deltas(text: string): string[] {
	const words = text.split(/(?<= )/);
	return words.length ? words : [""];
}
