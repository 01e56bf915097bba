import { strict as assert } from "node:assert";
import { request } from "node:http";
import { loadConfig } from "../../lib/config";
import { gatewayWithOpenAI, type GatewayUnderTest } from "../fixtures/gateway";
import { probeHealthWhile } from "../helpers";

/** A conversation of `n` short, distinct turns after a system prompt and a task: what fits 8 MB by the hundred thousand. */
function conversation(n: number): { role: string; content: string }[] {
	const messages = [
		{ role: "system", content: "You are a coding agent." },
		{ role: "user", content: "fix the failing test in src/auth.ts" },
	];
	for (let i = 0; i < n; i++) messages.push({ role: i % 2 ? "user" : "assistant", content: `turn ${i}` });
	return messages;
}

/**
 * A /v1 request of 200,000 tiny messages (7.6 MB, under max_body_bytes) with budget compaction cost
 * ~5 s of CPU on the event loop (compaction's memos evicted by walking V8's deleted-entry holes) and
 * 8 of them held /health for 14 s. Now the edge refuses a conversation over limits.max_messages in
 * the caller's API format before anything reads it (counted by the scan of the body's text, before
 * JSON.parse: four 150,000-message bodies parsed held /health 1.77 s once under load), and one at
 * the limit is compacted in linear time.
 */
describe("/v1 conversations of very many messages", function () {
	this.timeout(60_000);
	const max = loadConfig().limits.max_messages;
	let gw: GatewayUnderTest;

	before(async () => {
		gw = await gatewayWithOpenAI();
	});
	after(async () => {
		await gw?.stop();
	});

	const post = (path: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
		fetch(`${gw.base}${path}`, {
			method: "POST",
			headers: { "content-type": "application/json", "x-orchestrator-compaction": "budget", ...headers },
			body,
		}).then(async res => ({ status: res.status, headers: res.headers, body: await res.json() }));
	/**
	 * The same POST through node:http, which writes the bytes as they are: fetch (undici) copies a Uint8Array body
	 * before sending it (cloneAsUint8Array, 5 MB a request), work of a client that shares this process and its event
	 * loop with the gateway, which a client elsewhere would not add to /health's wait.
	 */
	const postBytes = (path: string, body: Uint8Array) =>
		new Promise<{ status: number; headers: Headers; body: any }>((resolve, reject) => {
			const req = request(
				`${gw.base}${path}`,
				{ method: "POST", headers: { "content-type": "application/json", "x-orchestrator-compaction": "budget", "content-length": body.byteLength } },
				res => {
					const chunks: Buffer[] = [];
					res.on("data", (c: Buffer) => chunks.push(c));
					res.on("error", reject);
					res.on("end", () => {
						const headers = new Headers();
						for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") headers.set(k, v);
						resolve({ status: res.statusCode ?? 0, headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
					});
				},
			);
			req.on("error", reject);
			req.end(body);
		});

	it("over limits.max_messages: 413 in OpenAI's and Anthropic's error format, no vendor call", async () => {
		gw.vendor.reset();
		const messages = conversation(150_000);
		const openai = await post("/v1/chat/completions", JSON.stringify({ model: "gpt-4.1-mini", messages }));
		assert.equal(openai.status, 413, JSON.stringify(openai.body));
		assert.equal(openai.body.error.type, "invalid_request_error");
		assert.equal(openai.body.error.code, "request_too_large");
		assert.equal(openai.body.error.param, "messages");
		assert.match(openai.body.error.message, new RegExp(`more than ${max} entries, over limits.max_messages \\(${max}\\)`));

		const anthropic = await post(
			"/v1/messages",
			JSON.stringify({ model: "gpt-4.1-mini", max_tokens: 16, messages: messages.filter(m => m.role !== "system") }),
			{ "anthropic-version": "2023-06-01" },
		);
		assert.equal(anthropic.status, 413);
		assert.deepEqual(anthropic.body.type, "error");
		assert.equal(anthropic.body.error.type, "request_too_large");
		assert.match(anthropic.body.error.message, /limits\.max_messages/);
		assert.equal(gw.vendor.completions.length, 0);
	});

	it("a conversation over the limit is refused before it is parsed: JSON.parse never builds its 150,000 messages", async () => {
		const body = JSON.stringify({ model: "gpt-4.1-mini", messages: conversation(150_000) });
		const parse = JSON.parse;
		let bigParses = 0;
		JSON.parse = function (this: unknown, text: string, ...rest: unknown[]) {
			if (typeof text === "string" && text.length > 1_000_000) bigParses++;
			return (parse as (...a: unknown[]) => unknown).call(this, text, ...rest);
		} as typeof JSON.parse;
		try {
			const res = await post("/v1/chat/completions", body);
			assert.equal(res.status, 413, JSON.stringify(res.body));
			assert.equal(res.body.error.param, "messages");
		} finally {
			JSON.parse = parse;
		}
		assert.equal(bigParses, 0, "the over-limit body was parsed");
	});

	it("a conversation over the limit is refused at the chunk that passes it, before the rest of its body is sent", async () => {
		gw.vendor.reset();
		const body = Buffer.from(JSON.stringify({ model: "gpt-4.1-mini", messages: conversation(max + 10) }));
		// Content-Length says 1 MB more than is sent: an answer can only come from what was read so far.
		const answer = await new Promise<{ status: number; body: any }>((resolve, reject) => {
			const req = request(
				`${gw.base}/v1/chat/completions`,
				{ method: "POST", headers: { "content-type": "application/json", "content-length": body.byteLength + 1_000_000 } },
				res => {
					const chunks: Buffer[] = [];
					res.on("data", (c: Buffer) => chunks.push(c));
					res.on("end", () => {
						req.destroy();
						resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
					});
				},
			);
			req.on("error", reject);
			req.write(body);
		});
		assert.equal(answer.status, 413, JSON.stringify(answer.body));
		assert.match(answer.body.error.message, new RegExp(`more than ${max} entries`));
		assert.equal(gw.vendor.completions.length, 0);
	});

	it("/health answers within 1 s while 4 requests over the limit and 4 at it run; those at it are compacted and answered", async () => {
		gw.vendor.reset();
		// Encoded once, as bytes: the clients share this process with the gateway, and fetch encoding a 5 MB string per
		// request (20 MB for the four) held the event loop /health is answered on, which a client elsewhere would not.
		const over = new TextEncoder().encode(JSON.stringify({ model: "gpt-4.1-mini", messages: conversation(150_000) }));
		// Two messages besides the turns: exactly max_messages.
		const at = new TextEncoder().encode(JSON.stringify({ model: "gpt-4.1-mini", messages: conversation(max - 2) }));
		const started = Date.now();
		const calls = Promise.all([
			...[1, 2, 3, 4].map(() => postBytes("/v1/chat/completions", over)),
			...[1, 2, 3, 4].map(() => postBytes("/v1/chat/completions", at)),
		]);
		const { result: results, probes } = await probeHealthWhile(gw.base, calls, 20);
		const elapsed = Date.now() - started;
		assert.deepEqual(
			results.map(r => r.status),
			[413, 413, 413, 413, 200, 200, 200, 200],
		);
		for (const r of results.slice(4)) {
			assert.match(r.headers.get("x-orchestrator-compaction") ?? "", /^budget; stage=[1-9]/);
			assert.equal(r.body.object, "chat.completion");
		}
		assert.equal(gw.vendor.completions.length, 4);
		assert.equal(gw.vendor.completions[0].body.messages.length, max);
		const worst = Math.max(...probes);
		assert.ok(probes.length >= 2, `only ${probes.length} probes in ${elapsed} ms`);
		assert.ok(worst < 1_000, `/health took ${worst} ms at worst (probes: ${probes.join(", ")}; all answered in ${elapsed} ms)`);
		assert.ok(elapsed < 10_000, `the 8 requests took ${elapsed} ms`);
	});
});
