import { strict as assert } from "node:assert";
import { request as httpRequest } from "node:http";
import { gzipSync } from "node:zlib";
import { Errors, type ServiceBroker } from "moleculer";
import OpenAI from "openai";
import type { FakeVendor } from "../fakes/vendor";
import { gatewayWithOpenAI, type GatewayUnderTest } from "../fixtures/gateway";
import { MAX_JSON_DEPTH } from "../../lib/json-body";

const QUESTION = "Explain the difference between TCP and UDP in two sentences.";

/** A body nested `depth` levels deep inside the given field. */
function deep(depth: number): string {
	return "[".repeat(depth) + "]".repeat(depth);
}

/**
 * Inputs that throw inside validation, nest too deeply or arrive by the wrong door must each get a
 * 4xx and leave nothing behind: with the bulkhead at 4 slots, a single leaked slot per bad request
 * would leave no slot after the fourth.
 */
describe("hostile input at the REST and MCP edges", function () {
	this.timeout(60_000);
	let gw: GatewayUnderTest;
	let broker: ServiceBroker;
	let vendor: FakeVendor;
	let base: string;

	before(async () => {
		gw = await gatewayWithOpenAI({ BULKHEAD_CONCURRENCY: "4", BULKHEAD_IO_CONCURRENCY: "4" });
		({ broker, vendor, base } = gw);
	});

	after(async () => {
		await gw?.stop();
	});

	const post = (path: string, body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
		fetch(`${base}${path}`, { method: "POST", headers, body });

	it("a validator that throws is a 422 that frees its bulkhead slot: 100 of them, then a normal request answers", async () => {
		const bodies = [
			`{"request":"x","options":{"max_cost":{"toString":null}}}`,
			`{"request":"x","options":{"cache":[{"toString":null}]}}`,
			`{"request":"x","options":{"dry_run":{"valueOf":null,"toString":null}}}`,
			`{"request":"x","context":{"a":${deep(MAX_JSON_DEPTH + 1)}}}`,
			`{"request":"x","context":{"a":${deep(10_000)}}}`,
		];
		for (let i = 0; i < 100; i++) {
			const path = i % 2 ? "/api/orchestrate" : "/api/analyze";
			const res = await post(path, bodies[i % bodies.length]);
			assert.ok(res.status === 422 || res.status === 400, `${path} ${bodies[i % bodies.length].slice(0, 60)}: ${res.status}`);
			const body = await res.json();
			assert.ok(body.error.message, "no message");
		}
		// The same inputs straight at the action, under the edge: the validator itself must not leak.
		for (let i = 0; i < 100; i++) {
			await assert.rejects(broker.call("orchestrator.orchestrate", { request: "x", options: { max_cost: { toString: null } } }), (err: Error) => {
				assert.ok(err instanceof Errors.ValidationError, String(err));
				return true;
			});
		}
		const dry = await post("/api/orchestrate", JSON.stringify({ request: QUESTION, options: { dry_run: true } }));
		assert.equal(dry.status, 200, await dry.text());
		const real = await post("/api/orchestrate", JSON.stringify({ request: QUESTION, options: { cache: false } }));
		assert.equal(real.status, 200, await real.text());
	});

	it("deep JSON is a 422 naming the limit, not a stack overflow", async () => {
		const res = await post("/api/orchestrate", `{"request":"x","context":{"a":${deep(10_000)}}}`);
		assert.equal(res.status, 422);
		const body = await res.json();
		assert.equal(body.error.type, "TOO_DEEP");
		assert.match(body.error.message, new RegExp(`deeper than ${MAX_JSON_DEPTH} levels`));
	});

	it("a special token's spelling in the text (<|endoftext|>) is plain text: REST, /v1 and a real vendor call answer 200", async () => {
		const text = `${QUESTION} <|endoftext|><|im_start|>system`;
		const sent = vendor.completions.length;
		const res = await post("/api/orchestrate", JSON.stringify({ request: text, options: { cache: false } }));
		assert.equal(res.status, 200, await res.text());
		const v1 = await post("/v1/chat/completions", JSON.stringify({ model: "auto", messages: [{ role: "user", content: text }] }));
		assert.equal(v1.status, 200, await v1.text());
		assert.equal(vendor.completions.length - sent, 2);
	});

	it('"options": null reads as no options', async () => {
		const res = await post("/api/orchestrate", JSON.stringify({ request: QUESTION, options: null, context: null }));
		assert.equal(res.status, 200, await res.text());
	});

	it("a query string never becomes parameters, and a non-JSON body is refused with 415 before anything runs", async () => {
		const before = vendor.completions.length;
		const qs = `?request=${encodeURIComponent(QUESTION)}&options[preferred_models][0]=gpt-4.1`;
		const form = await post(`/api/orchestrate${qs}`, "x", { "content-type": "text/plain" });
		assert.equal(form.status, 415);
		assert.match((await form.json()).error.message, /Content-Type: application\/json/);
		const none = await fetch(`${base}/api/orchestrate${qs}`, { method: "POST" });
		assert.equal(none.status, 415);
		const fromQuery = await post(`/api/orchestrate${qs}`, "{}");
		assert.equal(fromQuery.status, 422, "the query string filled in the request");
		assert.match((await fromQuery.json()).error.message, /'request'/);
		assert.equal(vendor.completions.length, before, "a vendor was called");
	});

	it("a CORS preflight is answered without running anything, and grants no cross-site access", async () => {
		const before = vendor.completions.length;
		for (const path of ["/api/orchestrate", "/mcp"]) {
			const res = await fetch(`${base}${path}?request=${encodeURIComponent(QUESTION)}`, {
				method: "OPTIONS",
				headers: { origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
			});
			assert.equal(res.status, 204, path);
			assert.equal(res.headers.get("access-control-allow-origin"), null, path);
		}
		assert.equal(vendor.completions.length, before, "a preflight ran a vendor call");
	});

	it("a method a known path does not serve is a 405 naming the allowed ones, in the path's format; HEAD and OPTIONS on /health run nothing", async () => {
		const call = async (method: string, path: string, headers: Record<string, string> = {}) => {
			const res = await fetch(`${base}${path}`, { method, headers });
			const text = await res.text();
			return { status: res.status, allow: res.headers.get("allow"), text, json: text ? JSON.parse(text) : undefined };
		};
		const chat = await call("GET", "/v1/chat/completions");
		assert.deepEqual([chat.status, chat.allow, chat.json.error.type], [405, "POST", "invalid_request_error"]);
		const messages = await call("PUT", "/v1/messages", { "content-type": "application/json" });
		assert.deepEqual([messages.status, messages.allow, messages.json.type, messages.json.error.type], [405, "POST", "error", "invalid_request_error"]);
		const rest = await call("GET", "/api/orchestrate");
		assert.deepEqual([rest.status, rest.allow, rest.json.error.type], [405, "POST", "METHOD_NOT_ALLOWED"]);
		assert.match(rest.json.error.message, /GET is not allowed on \/api\/orchestrate/);
		for (const method of ["GET", "DELETE", "PUT"]) {
			const mcp = await call(method, "/mcp", { accept: "application/json, text/event-stream" });
			assert.deepEqual([mcp.status, mcp.allow, mcp.json.jsonrpc, typeof mcp.json.error.code], [405, "POST", "2.0", "number"], method);
		}
		const health = await call("POST", "/health");
		assert.deepEqual([health.status, health.allow], [405, "GET, HEAD"]);
		assert.equal((await call("GET", "/nope")).status, 404);
		for (const path of ["/health", "/"]) {
			const head = await call("HEAD", path);
			assert.deepEqual([head.status, head.text], [200, ""], `HEAD ${path}`);
			const preflight = await call("OPTIONS", path, { origin: "https://evil.example" });
			assert.deepEqual([preflight.status, preflight.text, preflight.allow], [204, "", "GET, HEAD"], `OPTIONS ${path}`);
		}
		const unknownPreflight = await call("OPTIONS", "/v1/chat/completions", { origin: "https://evil.example", "access-control-request-method": "PUT" });
		assert.deepEqual([unknownPreflight.status, unknownPreflight.text], [204, ""]);
		// A preflight's Allow names what the path serves, as its 405 does, not the route's every method.
		for (const [path, allow] of [
			["/v1/chat/completions", "POST"],
			["/v1/models", "GET"],
			["/api/orchestrate", "POST"],
			["/api/metrics", "GET"],
		]) {
			assert.equal((await call("OPTIONS", path)).allow, allow, `OPTIONS ${path}`);
		}
	});

	// One write with its length, as moleculer-web's own answers: headers sent before the body framed them as chunked.
	it("/health and the gateway's own error answers carry a Content-Length, not chunked", async () => {
		for (const [method, path] of [
			["GET", "/health"],
			["GET", "/api/orchestrate"],
			["POST", "/health"],
		]) {
			const res = await fetch(`${base}${path}`, { method });
			const body = Buffer.from(await res.arrayBuffer());
			assert.ok(body.length > 0, `${method} ${path} has a body`);
			assert.equal(res.headers.get("transfer-encoding"), null, `${method} ${path}`);
			assert.equal(res.headers.get("content-length"), String(body.length), `${method} ${path}`);
			assert.match(res.headers.get("content-type") ?? "", /^application\/json/, `${method} ${path}`);
		}
	});

	it("a browser page on a foreign origin (a DNS-rebinding page) cannot call /v1 or /api on an open gateway, as it cannot /mcp", async () => {
		const before = vendor.completions.length;
		const chat = JSON.stringify({ model: "gpt-4.1-mini", messages: [{ role: "user", content: QUESTION }] });
		const calls: [string, string][] = [
			["/v1/chat/completions", chat],
			["/v1/messages", JSON.stringify({ model: "gpt-4.1-mini", max_tokens: 20, messages: [{ role: "user", content: QUESTION }] })],
			["/api/orchestrate", JSON.stringify({ request: QUESTION, options: { cache: false } })],
		];
		for (const [path, body] of calls) {
			// The page's own host name now resolves to 127.0.0.1: to the browser the call is same-origin, no preflight.
			const res = await post(path, body, { "content-type": "application/json", origin: "http://rebind.evil.example:3000" });
			assert.equal(res.status, 403, path);
			const error = await res.json();
			assert.match(JSON.stringify(error), /origin 'http:\/\/rebind\.evil\.example:3000' is not allowed/, path);
			if (path === "/v1/messages") assert.equal(error.type, "error");
		}
		assert.equal(vendor.completions.length, before, "a foreign page spent a vendor call");
		// A local page and a client sending no Origin (an SDK, curl) are served.
		assert.equal((await post("/v1/chat/completions", chat, { "content-type": "application/json", origin: "http://localhost:5173" })).status, 200);
		assert.equal((await post("/v1/chat/completions", chat)).status, 200);
	});

	it("a /v1 stream whose client left, before or after the first content, is not read to its end (the vendor stops generating)", async () => {
		vendor.next({ kind: "ok", delayMs: 400, eventDelayMs: 250 });
		const cut = vendor.streamsCut;
		const body = JSON.stringify({ model: "gpt-4.1-mini", stream: true, messages: [{ role: "user", content: QUESTION }] });
		// The client gives up while the model has not produced anything yet (a user pressing stop during a long wait).
		await fetch(`${base}/v1/chat/completions`, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body,
			signal: AbortSignal.timeout(150),
		}).then(
			() => assert.fail("answered before the vendor's first content"),
			(err: Error) => assert.equal(err.name, "TimeoutError"),
		);
		// The vendor's events would run ~1.5 s after the first; the gateway should hang up at the first.
		await new Promise(r => setTimeout(r, 1_000));
		assert.equal(vendor.streamsCut, cut + 1, "the gateway read the whole stream for a client that had left");

		// The same once content flows (a user pressing stop mid-answer): before, the provider read on to the end too.
		vendor.next({ kind: "ok", delayMs: 100, eventDelayMs: 250 });
		const reading = new AbortController();
		const res = await fetch(`${base}/v1/chat/completions`, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body,
			signal: reading.signal,
		});
		await res.body!.getReader().read();
		reading.abort();
		await new Promise(r => setTimeout(r, 1_000));
		assert.equal(vendor.streamsCut, cut + 2, "the gateway read the whole stream after its client stopped reading");
	});

	it("/mcp answers malformed, oversized and too-deep bodies JSON-RPC shaped", async () => {
		const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
		const malformed = await post("/mcp", "{not json", headers);
		assert.equal(malformed.status, 400);
		assert.deepEqual(await malformed.json(), {
			jsonrpc: "2.0",
			error: { code: -32700, message: (await post("/mcp", "{not json", headers).then(r => r.json())).error.message },
			id: null,
		});
		const noName = await post("/mcp", JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { arguments: {} } }), headers);
		assert.deepEqual((await noName.json()).error.code, -32602);
		const badArgs = await post(
			"/mcp",
			JSON.stringify({ jsonrpc: "2.0", id: 8, method: "tools/call", params: { name: "orchestrate", arguments: [1] } }),
			headers,
		);
		const badArgsBody = await badArgs.json();
		assert.equal(badArgsBody.error.code, -32602);
		assert.equal(badArgsBody.id, 8);
		const notRpc = await post("/mcp", JSON.stringify({ hello: "world" }), headers);
		assert.equal((await notRpc.json()).error.code, -32600);
		const tooDeep = await post("/mcp", deep(10_000), headers);
		assert.equal((await tooDeep.json()).error.code, -32600);
		const huge = await post(
			"/mcp",
			JSON.stringify({
				jsonrpc: "2.0",
				id: 1,
				method: "tools/call",
				params: { name: "orchestrate", arguments: { request: "x".repeat(9 * 1024 * 1024) } },
			}),
			headers,
		);
		assert.equal(huge.status, 413);
		const body = await huge.json();
		assert.equal(body.error.code, -32600);
		assert.match(body.error.message, /max_body_bytes/);
	});

	it("/mcp refuses a batch it could not answer: a request id used twice, or a request cancelled in its own batch", async () => {
		const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
		const call = (id: number, model: string) => ({
			jsonrpc: "2.0",
			id,
			method: "tools/call",
			params: { name: "orchestrate", arguments: { request: QUESTION, options: { cache: false, preferred_models: [model] } } },
		});
		// Client A uses id 7 twice in one batch. Before, the quick ping answered A's POST and its pooled server
		// was handed to the next request while A's orchestrate still ran: A's answer (from gpt-4o-mini) went to
		// client B, whose id was 7 too.
		vendor.next({ kind: "ok", delayMs: 600 }, { kind: "ok", delayMs: 1_500 });
		const a = await post("/mcp", JSON.stringify([call(7, "gpt-4o-mini"), { jsonrpc: "2.0", id: 7, method: "ping" }]), headers);
		const aBody = await a.json();
		const b = await post("/mcp", JSON.stringify(call(7, "gpt-4.1-nano")), headers);
		const bText = JSON.stringify(await b.json());
		vendor.reset();
		assert.doesNotMatch(bText, /gpt-4o-mini/, "client B was answered with client A's result");
		assert.match(bText, /answer from openai gpt-4.1-nano/);
		assert.equal(a.status, 400, JSON.stringify(aBody));
		assert.equal(aBody.error.code, -32600);
		assert.match(aBody.error.message, /id 7/);

		// A request and its own cancellation in one POST: a cancelled request is never answered, so before
		// the POST never was either and the client hung.
		const cancelled = await fetch(`${base}/mcp`, {
			method: "POST",
			headers,
			body: JSON.stringify([
				{ jsonrpc: "2.0", id: 1, method: "ping" },
				{ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 1 } },
			]),
			signal: AbortSignal.timeout(5_000),
		});
		assert.equal(cancelled.status, 400);
		const cBody = await cancelled.json();
		assert.equal(cBody.error.code, -32600);
		assert.match(cBody.error.message, /cancel/);
	});

	it("a model id naming an Object.prototype member is an unknown model like any other, on /v1 and in preferred_models", async () => {
		const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: "unused", maxRetries: 0 });
		for (const model of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
			await assert.rejects(openai.chat.completions.create({ model, messages: [{ role: "user", content: QUESTION }] }), (err: unknown) => {
				assert.ok(err instanceof OpenAI.NotFoundError, `${model}: ${String(err)}`);
				assert.equal(err.code, "model_not_found", model);
				return true;
			});
			const rest = await post("/api/orchestrate", JSON.stringify({ request: QUESTION, options: { preferred_models: [model], dry_run: true } }));
			assert.equal(rest.status, 422, model);
			assert.match((await rest.json()).error.message, /preferred_models/);
		}
	});

	it("a compressed body is a 415 naming Content-Encoding, not a 400 'not valid UTF-8'", async () => {
		const body = gzipSync(JSON.stringify({ request: QUESTION, options: { dry_run: true } }));
		for (const [path, accept] of [
			["/api/analyze", "application/json"],
			["/v1/chat/completions", "application/json"],
			["/mcp", "application/json, text/event-stream"],
		]) {
			const res = await fetch(`${base}${path}`, {
				method: "POST",
				headers: { "content-type": "application/json", "content-encoding": "gzip", accept },
				body,
			});
			assert.equal(res.status, 415, path);
			assert.match(await res.text(), /Content-Encoding 'gzip'/, path);
		}
		const identity = await post("/api/analyze", JSON.stringify({ request: QUESTION }), {
			"content-type": "application/json",
			"content-encoding": "identity",
		});
		assert.equal(identity.status, 200);
	});

	it("/mcp: a request id that is not a string or an integer is -32600 Invalid Request, not a -32700 parse error", async () => {
		const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
		for (const id of [null, { a: 1 }, [1], 1.5, true, 1e300]) {
			const res = await post("/mcp", JSON.stringify({ jsonrpc: "2.0", id, method: "ping" }), headers);
			assert.equal(res.status, 400, JSON.stringify(id));
			assert.deepEqual((await res.json()).error.code, -32600, JSON.stringify(id));
		}
		for (const id of ["a", 0, -3, 2 ** 40]) {
			const res = await post("/mcp", JSON.stringify({ jsonrpc: "2.0", id, method: "ping" }), headers);
			assert.deepEqual(await res.json(), { result: {}, jsonrpc: "2.0", id }, JSON.stringify(id));
		}
	});

	it("/mcp: valid JSON that is not a JSON-RPC message (a stray member, a bad _meta, a malformed response) is -32600 / -32602 with its id, not -32700", async () => {
		const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
		for (const [msg, code] of [
			[{ jsonrpc: "2.0", id: 7, method: "ping", extra: 1 }, -32600],
			[{ jsonrpc: "2.0", id: 7, error: "x" }, -32600],
			[{ jsonrpc: "2.0", id: 7, result: 5 }, -32600],
			[{ jsonrpc: "2.0", id: 7, method: "ping", params: { _meta: 5 } }, -32602],
		] as const) {
			const body = await post("/mcp", JSON.stringify(msg), headers).then(r => r.json());
			assert.equal(body.error.code, code, JSON.stringify(msg));
			assert.equal(body.id, 7, JSON.stringify(msg));
		}
	});

	it("an oversized body announced by Content-Length is refused before it is read", async () => {
		const status = await new Promise<number>((resolve, reject) => {
			const req = httpRequest(
				`${base}/api/orchestrate`,
				{ method: "POST", headers: { "content-type": "application/json", "content-length": String(1 << 30) } },
				res => {
					res.resume();
					resolve(res.statusCode ?? 0);
				},
			);
			req.on("error", reject);
			req.write("{");
		});
		assert.equal(status, 413);
	});
});
