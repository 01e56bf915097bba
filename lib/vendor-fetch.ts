import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import zlib from "node:zlib";

/**
 * `fetch` for the vendor SDKs (their `fetch` option): the same requests and answers as the global fetch at less
 * CPU per call.
 *
 * The SDKs' calls (a string or no body, a URL, the SDK's own abort signal) go out through Node's http/https with a
 * keep-alive agent, and come back at the headers as a `Response` (VendorResponse: a JSON answer read straight off the
 * socket's stream, a web stream over it made only for whoever reads `body`). Node's fetch (undici) builds a web-stream pipeline per exchange — the
 * request's body, the response's, their abort wiring — which cost about as much CPU as the rest of the SDK call
 * (README "Gateway overhead": `npx tsx scripts/bench/vendor-fetch.ts`). What fetch does that a vendor can see or
 * the SDK can read is kept: its default headers (`accept`, `accept-encoding`, `user-agent`) where the SDK set none,
 * a `content-length` on the body, gzip/deflate/br answers decoded, a failure as fetch's `TypeError("fetch failed")`
 * with the socket error as its cause, a body cut short as its `TypeError("terminated")`, an abort as the signal's
 * reason, a null body for 204/205/304.
 *
 * A redirect is followed by fetch itself: the same request is sent again through the global fetch as the caller
 * made it (a 3xx answer means the vendor did not run the first one). Anything else (a Request object, a byte or
 * stream body, a redirect mode or dispatcher of the caller's) goes to the global fetch, without its per-request
 * clone of the body when that body can be sent again (`fetchOnce`).
 */
export const vendorFetch: typeof fetch = (input, init) => {
	const url = typeof input === "string" ? input : input instanceof URL ? input.href : undefined;
	if (url === undefined || !init || init.redirect !== undefined || (init.body != null && typeof init.body !== "string") || "dispatcher" in init)
		return fetchOnce(input, init);
	const target = new URL(url);
	const client = target.protocol === "https:" ? https : target.protocol === "http:" ? http : undefined;
	if (!client) return fetchOnce(input, init);
	const signal = init.signal ?? undefined;
	if (signal?.aborted) return Promise.reject(signal.reason);
	const method = (init.method ?? "GET").toUpperCase();
	const headers = requestHeaders(init.headers, client === https);
	const body = init.body as string | null | undefined;
	if (body != null) headers["content-length"] ??= String(Buffer.byteLength(body));
	else if (method === "POST" || method === "PUT" || method === "PATCH") headers["content-length"] ??= "0";
	return new Promise<Response>((resolve, reject) => {
		const fail = (err: unknown) => reject(signal?.aborted ? signal.reason : new TypeError("fetch failed", { cause: err }));
		const req = client.request(target, { method, headers, agent: client === https ? httpsAgent : httpAgent }, res => {
			const status = res.statusCode ?? 0;
			if (REDIRECTS.has(status) && res.headers.location) {
				res.resume();
				resolve(fetch(input, init));
				return;
			}
			try {
				const responseInit = { status, statusText: res.statusMessage, headers: responseHeaders(res.rawHeaders) };
				if (NULL_BODY.has(status) || method === "HEAD") {
					res.resume();
					resolve(withUrl(new Response(null, responseInit), url));
					return;
				}
				// Resolved at the headers with the body still coming, as fetch resolves: an SSE answer is read as it arrives, and a
				// body cut short fails its reading as fetch's does.
				const codings = contentCodings(res.headers["content-encoding"]);
				resolve(new VendorResponse(codings.length ? decoders(res, codings) : res, signal, responseInit, url) as unknown as Response);
			} catch (err) {
				res.destroy();
				fail(err);
			}
		});
		req.on("error", fail);
		if (signal) abortOn(signal, req);
		req.end(body ?? undefined);
	});
};

/**
 * The exchange destroyed when the signal aborts, headers or body, as http.request's `signal` option does (its
 * error is never seen: a failure after an abort is the signal's reason), listened to until the exchange is over.
 * Not that option: it watches the request with `finished()`, eight listeners per call, for the one removal.
 */
function abortOn(signal: AbortSignal, req: http.ClientRequest): void {
	const onAbort = () => req.destroy(new DOMException("This operation was aborted", "AbortError"));
	signal.addEventListener("abort", onAbort, { once: true });
	req.once("close", () => signal.removeEventListener("abort", onAbort));
}

/** Statuses whose Response has no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
/** Statuses fetch follows when the answer names a location. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * One keep-alive agent per scheme, as fetch keeps one connection pool. An idle connection is closed after 4 s,
 * undici's default keep-alive timeout, before a server's usual 5 s can close it under a request being sent.
 */
const IDLE_MS = 4_000;
const httpAgent = new http.Agent({ keepAlive: true, timeout: IDLE_MS });
const httpsAgent = new https.Agent({ keepAlive: true, timeout: IDLE_MS });

/** The request's headers by lower-case name, plus what fetch adds when the caller set none. */
function requestHeaders(given: HeadersInit | undefined, secure: boolean): Record<string, string> {
	const out: Record<string, string> = {};
	// The SDKs hand a Headers: read as it is (its names lower-case, sorted, repeats joined), not copied into another one first.
	if (given) (given instanceof Headers ? given : new Headers(given)).forEach((value, name) => (out[name] = value));
	out.accept ??= "*/*";
	out["accept-language"] ??= "*";
	out["sec-fetch-mode"] ??= "cors";
	out["user-agent"] ??= "node";
	// undici offers brotli over TLS only.
	out["accept-encoding"] ??= secure ? "br, gzip, deflate" : "gzip, deflate";
	return out;
}

/** How fetch fails the reading of a body: with the signal's reason when it was aborted, else `TypeError("terminated")`, the socket's error as its cause. */
function bodyError(err: unknown, signal: AbortSignal | undefined): unknown {
	return signal?.aborted ? signal.reason : new TypeError("terminated", { cause: err });
}

/** Fetch's text of a body: UTF-8, a leading byte-order mark dropped (undici's utf8DecodeBytes). */
function utf8(bytes: Buffer): string {
	return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.toString("utf8", 3) : bytes.toString("utf8");
}

const unusable = () => new TypeError("Body is unusable: Body has already been read");

type ResponseInitOf = { status: number; statusText: string | undefined; headers: Headers };

/**
 * The vendor's answer as fetch's `Response` gives it (an instance of it, every member of it answered), built at
 * less cost for what the SDKs read of a JSON answer. `json()`, `text()` and `arrayBuffer()` read the socket's
 * stream straight into one buffer; the web stream of `body` (what an SSE answer is read through) is made only when
 * `body` is read, and then the methods read that stream, through a standard Response, as fetch's do. A standard
 * Response built per answer cost a web stream (its construction alone ~10 µs: web streams are transferable), the
 * Response's own checks and undici's reading of it back (`fullyReadBody`): ~40 µs of ~1.4 ms per REST request
 * under load (docs/overhead.md, "s14-edge"). `clone()`, `blob()` and `formData()`, which no SDK call of ours
 * reads, go through a standard Response over `body`.
 */
class VendorResponse {
	readonly type: ResponseType = "default";
	readonly redirected = false;
	readonly status: number;
	readonly statusText: string;
	readonly headers: Headers;
	readonly url: string;
	/** The web stream of `body`, once read. */
	private stream: ReadableStream<Uint8Array> | undefined;
	/** A standard Response over `stream`, once a method needed one: the body's methods then go to it. */
	private standard: Response | undefined;
	/** The body was read whole by `json()`, `text()` or `arrayBuffer()`. */
	private read = false;
	/** How the body's reading fails if the socket failed before anything read it. */
	private failure: { error: unknown } | undefined;

	constructor(
		private readonly source: Readable,
		private readonly signal: AbortSignal | undefined,
		init: ResponseInitOf,
		url: string,
	) {
		this.status = init.status;
		this.statusText = init.statusText ?? "";
		this.headers = init.headers;
		this.url = url;
		// Listened from the start (an 'error' with no listener would throw): a failure before the body is read fails its reading.
		source.on("error", err => (this.failure ??= { error: bodyError(err, signal) }));
	}

	get ok(): boolean {
		return this.status >= 200 && this.status <= 299;
	}

	get body(): ReadableStream<Uint8Array> {
		if (this.stream) return this.stream;
		if (!this.read) return (this.stream = webBody(this.source, this.signal, this.failure));
		// Already read whole: a stream as fetch's is then, read and locked.
		this.stream = new ReadableStream<Uint8Array>({ start: controller => controller.close() });
		void this.stream.getReader().read();
		return this.stream;
	}

	get bodyUsed(): boolean {
		// Readable.isDisturbed reads a web stream too (its typings name Node's streams only).
		return this.read || (this.stream !== undefined && Readable.isDisturbed(this.stream as unknown as Readable));
	}

	async json(): Promise<unknown> {
		return this.stream ? this.viaStandard().json() : JSON.parse(utf8(await this.whole()));
	}

	async text(): Promise<string> {
		return this.stream ? this.viaStandard().text() : utf8(await this.whole());
	}

	async arrayBuffer(): Promise<ArrayBuffer> {
		if (this.stream) return this.viaStandard().arrayBuffer();
		const bytes = await this.whole();
		return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
	}

	async bytes(): Promise<Uint8Array> {
		return new Uint8Array(await this.arrayBuffer());
	}

	blob(): Promise<Blob> {
		return this.viaStandard().blob();
	}

	formData(): Promise<FormData> {
		return this.viaStandard().formData();
	}

	clone(): Response {
		if (this.bodyUsed) throw new TypeError("Response.clone: Body has already been consumed.");
		return withUrl(this.viaStandard().clone(), this.url);
	}

	/** The body read whole off the socket's stream, once. */
	private whole(): Promise<Buffer> {
		if (this.read) return Promise.reject(unusable());
		this.read = true;
		if (this.failure) return Promise.reject(this.failure.error);
		const { source, signal } = this;
		return new Promise((resolve, reject) => {
			const chunks: Buffer[] = [];
			source.on("data", (chunk: Buffer) => chunks.push(chunk));
			source.on("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
			source.on("error", err => reject(bodyError(err, signal)));
		});
	}

	/** A standard Response over `body`, for what is read through the web stream. */
	private viaStandard(): Response {
		if (this.standard) return this.standard;
		if (this.bodyUsed || this.body.locked) throw unusable();
		this.standard = new Response(this.body, { status: this.status, statusText: this.statusText, headers: this.headers });
		return this.standard;
	}
}
// An instance of Response for whoever checks (`instanceof Response`); each of Response's members is answered above.
Object.setPrototypeOf(VendorResponse.prototype, Response.prototype);

/**
 * A response body as a web stream over the socket's, read as the reader pulls. A body cut short fails as fetch's does
 * (`TypeError("terminated")`, the socket's error as its cause), an aborted one with the signal's reason.
 */
function webBody(source: Readable, signal: AbortSignal | undefined, failure?: { error: unknown }): ReadableStream<Uint8Array> {
	return new ReadableStream<Uint8Array>({
		start(controller) {
			if (failure) return controller.error(failure.error);
			source.on("data", (chunk: Buffer) => {
				controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
				if ((controller.desiredSize ?? 0) <= 0) source.pause();
			});
			source.on("end", () => controller.close());
			source.on("error", err => controller.error(bodyError(err, signal)));
		},
		pull() {
			source.resume();
		},
		cancel() {
			source.destroy();
		},
	});
}

function responseHeaders(raw: string[]): Headers {
	const out = new Headers();
	for (let i = 0; i < raw.length; i += 2) out.append(raw[i], raw[i + 1]);
	return out;
}

/** A Response's `url` is the one it answered, as fetch's is (the SDKs print it in their debug logs). */
function withUrl(res: Response, url: string): Response {
	return Object.defineProperty(res, "url", { value: url });
}

/** Content codings in the order they were applied, the ones this decodes; anything else leaves the body as sent, as fetch does. */
function contentCodings(header: string | undefined): string[] {
	if (!header) return [];
	const codings = header
		.toLowerCase()
		.split(",")
		.map(c => c.trim())
		.filter(c => c && c !== "identity");
	return codings.every(c => DECODE[c]) ? codings : [];
}

const DECODE: Record<string, () => NodeJS.ReadWriteStream> = {
	gzip: () => zlib.createGunzip(LENIENT),
	"x-gzip": () => zlib.createGunzip(LENIENT),
	// "deflate" is zlib-wrapped by the standard (createUnzip also reads a gzip header, as fetch does).
	deflate: () => zlib.createUnzip(LENIENT),
	br: () => zlib.createBrotliDecompress(),
};
/** Like fetch, a body cut short after its last full block is read as far as it goes. */
const LENIENT = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };

function decoders(source: Readable, codings: string[]): Readable {
	let stream: Readable = source;
	for (let i = codings.length - 1; i >= 0; i--) {
		const decoder = DECODE[codings[i]]();
		stream.on("error", err => decoder.emit("error", err));
		stream = stream.pipe(decoder) as unknown as Readable;
	}
	return stream;
}

/**
 * The global fetch, without its clone of the request. Node's fetch (undici) follows the Fetch standard: unless a
 * request is made with `redirect: "error"`, it is cloned before it is sent, in case a redirect has to send it again,
 * and cloning a request tees its body into two web streams. So a request whose body can be sent again (a string,
 * form parameters or no body) goes out with `redirect: "error"`, without the clone; if the vendor does answer with a
 * redirect, the same request is sent again as the caller made it, which follows the redirect. A request that sets
 * its own `redirect`, or whose body is bytes or a stream, is sent as it is.
 */
function fetchOnce(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): Promise<Response> {
	if (!init || init.redirect !== undefined || !resendable(init.body)) return fetch(input, init);
	return fetch(input, { ...init, redirect: "error" }).catch((err: unknown) => {
		if (!isUnexpectedRedirect(err) || init.signal?.aborted) throw err;
		return fetch(input, init);
	});
}

/** Bodies fetch leaves as they were: a string (the SDKs' JSON), form parameters, none. Bytes are not: fetch detaches their buffer. */
function resendable(body: RequestInit["body"]): boolean {
	return body == null || typeof body === "string" || body instanceof URLSearchParams;
}

/** How undici's fetch fails a `redirect: "error"` request that met a redirect. */
function isUnexpectedRedirect(err: unknown): boolean {
	const cause = (err as { cause?: unknown } | null)?.cause;
	return err instanceof TypeError && cause instanceof Error && cause.message === "unexpected redirect";
}
