import { strict as assert } from "node:assert";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { vendorFetch } from "../../../lib/vendor-fetch";

/** What the server saw of each request. */
interface Seen {
	method: string;
	url: string;
	body: string;
}

/** /moved-307 and /moved-308 keep the method and body, /moved-301 and /moved-303 make a GET, as the Fetch standard says; /answer echoes. */
async function server(): Promise<{ base: string; seen: Seen[]; close: () => Promise<void> }> {
	const seen: Seen[] = [];
	const srv: Server = createServer((req: IncomingMessage, res) => {
		let body = "";
		req.on("data", d => (body += d));
		req.on("end", () => {
			seen.push({ method: req.method!, url: req.url!, body });
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
	await new Promise<void>(r => srv.listen(0, "127.0.0.1", r));
	return {
		base: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
		seen,
		close: () => new Promise(r => srv.close(() => r())),
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
		assert.deepEqual(s.seen, [{ method: "POST", url: "/answer", body: '{"q":1}' }]);
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
		assert.equal(s.seen.length, 0);
		s = await server();
	});

	it("does not send again a request aborted meanwhile", async () => {
		const controller = new AbortController();
		controller.abort();
		await assert.rejects(vendorFetch(`${s.base}/moved-307`, { ...post, signal: controller.signal }), { name: "AbortError" });
		assert.equal(s.seen.length, 0);
	});
});
