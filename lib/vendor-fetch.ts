import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import zlib from "node:zlib";

/**
 * `fetch` for the vendor SDKs (their `fetch` option): the same requests and answers as the global fetch at less
 * CPU per call.
 *
 * The SDKs' calls (a string or no body, a URL, the SDK's own abort signal) go out through Node's http/https with a
 * keep-alive agent, and come back as a standard `Response` at the headers, its body a web stream over the socket's. Node's fetch (undici) builds a web-stream pipeline per exchange — the
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
		const req = client.request(target, { method, headers, agent: client === https ? httpsAgent : httpAgent, signal }, res => {
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
				resolve(withUrl(new Response(webBody(codings.length ? decoders(res, codings) : res, signal), responseInit), url));
			} catch (err) {
				res.destroy();
				fail(err);
			}
		});
		req.on("error", fail);
		req.end(body ?? undefined);
	});
};

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
	if (given) new Headers(given).forEach((value, name) => (out[name] = value));
	out.accept ??= "*/*";
	out["accept-language"] ??= "*";
	out["sec-fetch-mode"] ??= "cors";
	out["user-agent"] ??= "node";
	// undici offers brotli over TLS only.
	out["accept-encoding"] ??= secure ? "br, gzip, deflate" : "gzip, deflate";
	return out;
}

/**
 * A response body as a web stream over the socket's, read as the reader pulls. A body cut short fails as fetch's does
 * (`TypeError("terminated")`, the socket's error as its cause), an aborted one with the signal's reason.
 */
function webBody(source: Readable, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
	return new ReadableStream<Uint8Array>({
		start(controller) {
			source.on("data", (chunk: Buffer) => {
				controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
				if ((controller.desiredSize ?? 0) <= 0) source.pause();
			});
			source.on("end", () => controller.close());
			source.on("error", err => controller.error(signal?.aborted ? signal.reason : new TypeError("terminated", { cause: err })));
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
