import { strict as assert } from "node:assert";
import { getEventListeners } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import zlib from "node:zlib";
import { vendorFetch } from "../../../lib/vendor-fetch";

/** What the server saw of each request. */
interface Seen {
	method: string;
	url: string;
	body: string;
	headers?: Record<string, string | string[] | undefined>;
}

/** A Headers' entries in its order. */
function listed(headers: Headers): [string, string][] {
	const out: [string, string][] = [];
	headers.forEach((value, name) => out.push([name, value]));
	return out;
}

/** Ends the pending /sse answer. */
let releaseSse: (() => void) | undefined;

const ANSWER = JSON.stringify({ text: "an answer ".repeat(50) });
/** Bodies in each content coding, as a vendor may send them. */
const ENCODED: Record<string, Buffer> = {
	gzip: zlib.gzipSync(ANSWER),
	deflate: zlib.deflateSync(ANSWER),
	br: zlib.brotliCompressSync(ANSWER),
};

/** /moved-307 and /moved-308 keep the method and body, /moved-301 and /moved-303 make a GET, as the Fetch standard says; /answer echoes. */
async function server(): Promise<{ base: string; seen: Seen[]; connections: () => number; close: () => Promise<void> }> {
	const seen: Seen[] = [];
	const sockets = new Set<Socket>();
	let connections = 0;
	const srv: Server = createServer((req: IncomingMessage, res) => {
		let body = "";
		req.on("data", d => (body += d));
		req.on("end", () => {
			seen.push({ method: req.method!, url: req.url!, body, headers: req.headers });
			const coded = /^\/coded-(\w+)$/.exec(req.url!);
			if (coded) {
				res.writeHead(200, { "content-type": "application/json", "content-encoding": coded[1] });
				res.end(ENCODED[coded[1]]);
				return;
			}
			if (req.url === "/sse") {
				// One event, then the rest only once the test has read it: a body read whole first would never come.
				res.writeHead(200, { "content-type": "text/event-stream" });
				res.write("data: first\n\n");
				releaseSse = () => res.end("data: last\n\n");
				return;
			}
			if (req.url === "/cut") {
				res.writeHead(200, { "content-type": "application/json" });
				res.write('{"partial":');
				setTimeout(() => req.socket.destroy(), 20);
				return;
			}
			if (req.url === "/stall") {
				res.writeHead(200, { "content-type": "application/json" });
				res.write('{"partial":');
				return;
			}
			if (req.url === "/bom") {
				// A byte-order mark, then text with multi-byte characters split across two writes.
				res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
				const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":"é → ✓"}')]);
				res.write(bytes.subarray(0, 9));
				setTimeout(() => res.end(bytes.subarray(9)), 5);
				return;
			}
			if (req.url === "/form") {
				res.writeHead(200, { "content-type": "application/x-www-form-urlencoded" });
				res.end("a=1&b=two");
				return;
			}
			if (req.url === "/empty") {
				res.writeHead(204, { "x-empty": "yes" });
				res.end();
				return;
			}
			if (req.url === "/headers") {
				res.writeHead(201, "Made", [
					["content-type", "application/json"],
					["x-twice", "a"],
					["x-twice", "b"],
					["set-cookie", "a=1"],
					["set-cookie", "b=2"],
				]);
				res.end("{}");
				return;
			}
			const moved = /^\/moved-(\d+)$/.exec(req.url!);
			if (moved) {
				res.writeHead(Number(moved[1]), { location: "/answer" });
				res.end();
				return;
			}
			res.setHeader("content-type", "application/json");
			res.end(JSON.stringify({ method: req.method, body }));
		});
	});
	srv.on("connection", (socket: Socket) => {
		connections++;
		sockets.add(socket);
		socket.on("close", () => sockets.delete(socket));
	});
	await new Promise<void>(r => srv.listen(0, "127.0.0.1", r));
	return {
		base: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
		seen,
		connections: () => connections,
		close: () =>
			new Promise(r => {
				srv.close(() => r());
				for (const socket of sockets) socket.destroy();
			}),
	};
}

describe("vendorFetch", () => {
	let s: Awaited<ReturnType<typeof server>>;
	beforeEach(async () => (s = await server()));
	afterEach(() => s.close());

	const post = { method: "POST", headers: { "content-type": "application/json" }, body: '{"q":1}' };

	it("answers a request as fetch does", async () => {
		const res = await vendorFetch(`${s.base}/answer`, post);
		assert.equal(res.status, 200);
		assert.deepEqual(await res.json(), { method: "POST", body: '{"q":1}' });
		assert.deepEqual(
			s.seen.map(({ headers, ...seen }) => seen),
			[{ method: "POST", url: "/answer", body: '{"q":1}' }],
		);
	});

	for (const status of [301, 303, 307, 308]) {
		it(`follows a ${status} redirect to the same answer as fetch`, async () => {
			const viaFetch = await (await fetch(`${s.base}/moved-${status}`, post)).json();
			const viaVendorFetch = await vendorFetch(`${s.base}/moved-${status}`, post);
			assert.equal(viaVendorFetch.status, 200);
			assert.deepEqual(await viaVendorFetch.json(), viaFetch);
			assert.equal(viaVendorFetch.redirected, true);
		});
	}

	it("sends a byte body once, as fetch does", async () => {
		// Not sent twice: fetch detaches a byte body's buffer as it sends it.
		const res = await vendorFetch(`${s.base}/answer`, { method: "POST", body: new TextEncoder().encode("bytes") });
		assert.deepEqual(await res.json(), { method: "POST", body: "bytes" });
		assert.equal(s.seen.length, 1);
	});

	it("sends a stream body once, as fetch does, redirect included", async () => {
		const body = new ReadableStream({
			start(c) {
				c.enqueue(new TextEncoder().encode("streamed"));
				c.close();
			},
		});
		const res = await vendorFetch(`${s.base}/answer`, { method: "POST", body, duplex: "half" } as RequestInit);
		assert.deepEqual(await res.json(), { method: "POST", body: "streamed" });
		assert.equal(s.seen.length, 1);
	});

	it("keeps a redirect mode the caller set", async () => {
		await assert.rejects(vendorFetch(`${s.base}/moved-307`, { ...post, redirect: "error" }), TypeError);
		const manual = await vendorFetch(`${s.base}/moved-307`, { ...post, redirect: "manual" });
		assert.equal(manual.status, 307);
		assert.deepEqual(
			s.seen.map(x => x.url),
			["/moved-307", "/moved-307"],
		);
	});

	it("fails as fetch fails when nothing answers, and does not try twice", async () => {
		await s.close();
		const err = await vendorFetch(`${s.base}/answer`, post).catch((e: unknown) => e);
		assert.ok(err instanceof TypeError, "fetch's own error");
		assert.equal(((err as Error).cause as { code?: string }).code, "ECONNREFUSED");
		assert.equal(s.seen.length, 0);
		s = await server();
	});

	it("does not send again a request aborted meanwhile", async () => {
		const controller = new AbortController();
		controller.abort();
		await assert.rejects(vendorFetch(`${s.base}/moved-307`, { ...post, signal: controller.signal }), { name: "AbortError" });
		assert.equal(s.seen.length, 0);
	});

	it("sends the headers fetch sends, over one kept-alive connection", async () => {
		const sdkLike = {
			method: "POST",
			headers: { "Content-Type": "application/json", Authorization: "Bearer k", "X-Stainless-Lang": "js" },
			body: '{"q":"é"}',
		};
		await fetch(`${s.base}/answer`, sdkLike);
		const before = s.connections();
		for (let i = 0; i < 3; i++) await (await vendorFetch(`${s.base}/answer`, sdkLike)).json();
		const [viaFetch, ...viaVendorFetch] = s.seen.map(x => x.headers!);
		// The connection header differs (fetch keeps its pool's connections alive without saying so).
		const { connection: _c1, ...fromFetch } = viaFetch;
		for (const headers of viaVendorFetch) {
			const { connection: _c2, ...fromVendorFetch } = headers;
			assert.deepEqual(fromVendorFetch, fromFetch);
			assert.equal(fromVendorFetch["content-length"], String(Buffer.byteLength(sdkLike.body)));
		}
		assert.equal(s.connections() - before, 1, "three calls on one connection");
	});

	for (const coding of Object.keys(ENCODED)) {
		it(`decodes a ${coding} answer as fetch does`, async () => {
			const viaFetch = await (await fetch(`${s.base}/coded-${coding}`, post)).text();
			const res = await vendorFetch(`${s.base}/coded-${coding}`, post);
			assert.equal(await res.text(), viaFetch);
			assert.equal(viaFetch, ANSWER);
			assert.equal(res.headers.get("content-encoding"), coding);
		});
	}

	it("answers with the status, status text and headers fetch gives, a 204 with no body", async () => {
		const [a, b] = [await fetch(`${s.base}/headers`, post), await vendorFetch(`${s.base}/headers`, post)];
		assert.deepEqual([b.status, b.statusText, b.ok], [a.status, a.statusText, a.ok]);
		assert.deepEqual(
			listed(b.headers).filter(([k]) => k !== "date"),
			listed(a.headers).filter(([k]) => k !== "date"),
		);
		assert.deepEqual(b.headers.getSetCookie(), ["a=1", "b=2"]);
		assert.equal(b.url, `${s.base}/headers`);
		const empty = await vendorFetch(`${s.base}/empty`, post);
		assert.equal(empty.status, 204);
		assert.equal(empty.body, null);
		assert.equal(empty.headers.get("x-empty"), "yes");
	});

	it("streams an SSE answer as it comes, not once it ends", async () => {
		const res = await Promise.race([
			vendorFetch(`${s.base}/sse`, post),
			new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no answer before the stream ended")), 2_000)),
		]);
		const reader = res.body!.getReader();
		assert.equal(new TextDecoder().decode((await reader.read()).value), "data: first\n\n");
		releaseSse!();
		let rest = "";
		for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
		assert.equal(rest, "data: last\n\n");
	});

	it("fails as fetch fails on an abort: the signal's reason, mid-body too", async () => {
		const viaFetch = await fetch(`${s.base}/stall`, { ...post, signal: AbortSignal.timeout(100) })
			.then(r => r.text())
			.catch((e: unknown) => e);
		const viaVendorFetch = await vendorFetch(`${s.base}/stall`, { ...post, signal: AbortSignal.timeout(100) })
			.then(r => r.text())
			.catch((e: unknown) => e);
		assert.equal((viaVendorFetch as Error).name, "TimeoutError");
		assert.equal((viaVendorFetch as Error).name, (viaFetch as Error).name);
		const controller = new AbortController();
		const pending = vendorFetch(`${s.base}/stall`, { ...post, signal: controller.signal }).then(r => r.text());
		setTimeout(() => controller.abort(), 50);
		await assert.rejects(pending, { name: "AbortError" });
	});

	it("is a Response whose every member answers as fetch's Response's does", async () => {
		const members = Object.getOwnPropertyNames(Response.prototype).filter(k => k !== "constructor");
		const [a, b] = [await fetch(`${s.base}/answer`, post), await vendorFetch(`${s.base}/answer`, post)];
		assert.ok(b instanceof Response);
		// Every member of Response's is answered by the vendor response's own class: none reaches undici's brand check.
		for (const k of members) assert.doesNotThrow(() => (b as unknown as Record<string, unknown>)[k], k);
		assert.deepEqual([b.status, b.ok, b.redirected, b.bodyUsed, b.type], [a.status, a.ok, a.redirected, a.bodyUsed, "default"]);
		assert.equal(typeof b.headers.get, "function");
		assert.deepEqual(await b.json(), await a.json());
		assert.deepEqual([b.bodyUsed, a.bodyUsed], [true, true]);
		// A body read once cannot be read again, as with fetch; its stream is read and locked.
		await assert.rejects(b.text(), TypeError);
		await assert.rejects(a.text(), TypeError);
		assert.equal(b.body!.locked, a.body!.locked);
		assert.throws(() => b.clone(), TypeError);
		assert.throws(() => a.clone(), TypeError);
	});

	it("reads a body by each of Response's methods as fetch's does, a byte-order mark dropped", async () => {
		const read = async (f: typeof fetch) => {
			const at = (path: string) => f(`${s.base}${path}`, post);
			const cloned = await at("/bom");
			const copy = cloned.clone();
			return {
				json: await (await at("/bom")).json(),
				text: await (await at("/bom")).text(),
				arrayBuffer: Buffer.from(await (await at("/bom")).arrayBuffer()).toString("hex"),
				bytes: Buffer.from(await (await at("/bom")).bytes()).toString("hex"),
				blob: await (await at("/bom")).blob().then(async blob => [blob.type, await blob.text()]),
				formData: [...((await (await at("/form")).formData()) as unknown as Iterable<[string, unknown]>)],
				clone: [await cloned.text(), await copy.text(), copy.status, copy.url],
				// The stream taken first, then read by a method: through the stream.
				afterBody: await at("/bom").then(res => (res.body, res.text())),
			};
		};
		const [viaFetch, viaVendorFetch] = [await read(fetch), await read(vendorFetch)];
		assert.deepEqual(viaVendorFetch, viaFetch);
		assert.deepEqual(viaFetch.json, { a: "é → ✓" });
	});

	it("fails the reading of a body whose exchange was aborted before it was read, with the signal's reason", async () => {
		const controller = new AbortController();
		const res = await vendorFetch(`${s.base}/stall`, { ...post, signal: controller.signal });
		controller.abort();
		await new Promise(r => setTimeout(r, 20));
		await assert.rejects(res.json(), { name: "AbortError" });
	});

	it("lets go of the signal once an exchange is over: no listener left on a signal its calls share", async () => {
		const controller = new AbortController();
		for (let i = 0; i < 3; i++) await (await vendorFetch(`${s.base}/answer`, { ...post, signal: controller.signal })).json();
		const failed = await vendorFetch(`${s.base}/cut`, { ...post, signal: controller.signal }).then(r => r.text().catch((e: unknown) => e));
		assert.ok(failed instanceof TypeError);
		await new Promise(r => setImmediate(r));
		assert.equal(getEventListeners(controller.signal, "abort").length, 0);
		controller.abort();
	});

	it("fails a body cut short as fetch fails it: TypeError terminated, after the headers", async () => {
		const read = async (f: typeof fetch) => {
			const res = await f(`${s.base}/cut`, post);
			return res.text().catch((e: unknown) => e);
		};
		const [viaFetch, viaVendorFetch] = [await read(fetch), await read(vendorFetch)];
		assert.ok(viaVendorFetch instanceof TypeError);
		assert.equal((viaVendorFetch as Error).message, (viaFetch as Error).message);
		assert.equal((viaVendorFetch as Error).message, "terminated");
	});
});
