import { strict as assert } from "node:assert";
import { inspect } from "node:util";
import { Loggers } from "moleculer";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { gatewayWithOpenAI, type GatewayUnderTest } from "../fixtures/gateway";

const KEY = "v1-edge-test-key-0123456789";
const QUESTION = "Explain the difference between TCP and UDP in two sentences.";

class CaptureLogger extends Loggers.Base {
	readonly lines: string[] = [];
	getLogHandler() {
		return (type: string, args: unknown[]) => this.lines.push(`${type} ${args.map(a => (typeof a === "string" ? a : inspect(a))).join(" ")}`);
	}
}

/**
 * Refusals made before a /v1 handler runs (the key, the body's media type, JSON and depth, an
 * unknown path, the pipeline down) answered in the caller's API format, as the handlers' own errors
 * are: OpenAI's `{error: {message, type, param, code}}` on the OpenAI endpoints, Anthropic's
 * `{type: "error", error: {type, message}}` on /v1/messages and for any client sending
 * `anthropic-version` (what the Anthropic SDK always sends).
 */
describe("/v1 refusals at the edge, in the caller's API format", function () {
	this.timeout(30_000);
	let gw: GatewayUnderTest;
	const logger = new CaptureLogger();

	before(async () => {
		gw = await gatewayWithOpenAI({ API_KEYS: KEY }, { logger: logger as any, logLevel: "warn" });
	});
	after(async () => {
		await gw?.stop();
	});

	const anthropicShaped = (body: any, type: string) => {
		assert.equal(body.type, "error", JSON.stringify(body));
		assert.equal(body.error.type, type, JSON.stringify(body));
		assert.equal(typeof body.error.message, "string");
	};

	it("a wrong key is the SDKs' AuthenticationError with their own error body; REST keeps its shape", async () => {
		const anthropic = new Anthropic({ baseURL: gw.base, apiKey: "not-the-key-at-all", maxRetries: 0 });
		await assert.rejects(anthropic.messages.create({ model: "gpt-4.1-mini", max_tokens: 50, messages: [{ role: "user", content: QUESTION }] }), err => {
			assert.ok(err instanceof Anthropic.AuthenticationError, String(err));
			anthropicShaped(err.error, "authentication_error");
			assert.match((err.error as any).error.message, /unknown API key/);
			return true;
		});
		// Token counting sends nothing to a vendor, and is refused the same.
		await assert.rejects(anthropic.messages.countTokens({ model: "gpt-4.1-mini", messages: [{ role: "user", content: QUESTION }] }), err => {
			assert.ok(err instanceof Anthropic.AuthenticationError, String(err));
			anthropicShaped(err.error, "authentication_error");
			return true;
		});
		const counted = await new Anthropic({ baseURL: gw.base, apiKey: KEY, maxRetries: 0 }).messages.countTokens({
			model: "gpt-4.1-mini",
			messages: [{ role: "user", content: QUESTION }],
		});
		assert.ok(counted.input_tokens > 0);
		const openai = new OpenAI({ baseURL: `${gw.base}/v1`, apiKey: "not-the-key-at-all", maxRetries: 0 });
		await assert.rejects(openai.chat.completions.create({ model: "gpt-4.1-mini", messages: [{ role: "user", content: QUESTION }] }), err => {
			assert.ok(err instanceof OpenAI.AuthenticationError, String(err));
			assert.equal(err.type, "invalid_request_error");
			assert.equal(err.code, "unauthorized");
			assert.match(err.message, /unknown API key/);
			return true;
		});
		const raw = await fetch(`${gw.base}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
		assert.equal(raw.status, 401);
		assert.equal(raw.headers.get("www-authenticate"), "Bearer");
		const rest = await fetch(`${gw.base}/api/analyze`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
		assert.deepEqual(await rest.json(), {
			error: { type: "unauthorized", message: "missing API key: send Authorization: Bearer <key> or x-api-key: <key>" },
		});
	});

	it("bodies refused by the edge (media type, JSON, depth) are answered in the endpoint's format", async () => {
		const post = (path: string, body: string, contentType = "application/json") =>
			fetch(`${gw.base}${path}`, { method: "POST", headers: { "content-type": contentType, "x-api-key": KEY }, body });
		const plain = await post("/v1/messages", "{}", "text/plain");
		assert.equal(plain.status, 415);
		anthropicShaped(await plain.json(), "invalid_request_error");
		const broken = await post("/v1/messages", "{");
		assert.equal(broken.status, 400);
		anthropicShaped(await broken.json(), "invalid_request_error");
		const deep = await post("/v1/messages", `{"model":"auto","messages":${"[".repeat(100)}${"]".repeat(100)}}`);
		assert.equal(deep.status, 400);
		anthropicShaped(await deep.json(), "invalid_request_error");
		const openaiBroken = await post("/v1/chat/completions", "{");
		assert.equal(openaiBroken.status, 400);
		const body = await openaiBroken.json();
		assert.equal(body.error.type, "invalid_request_error");
		assert.equal(body.error.code, "invalid_json");
		assert.equal(body.error.param, null);
		assert.match(body.error.message, /not valid JSON/);
	});

	it("document blocks (a PDF, a text document with citations) are a 400 invalid_request_error naming the block, for every model, never a 500 or a silent drop", async () => {
		const anthropic = new Anthropic({ baseURL: gw.base, apiKey: KEY, maxRetries: 0 });
		const text = {
			type: "document",
			source: { type: "text", media_type: "text/plain", data: "The grass is green." },
			title: "Grass",
			citations: { enabled: true },
		};
		const pdf = { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0xLjQK" } };
		gw.vendor.reset();
		for (const [model, block] of [
			["claude-haiku-4-5", text],
			["gpt-4.1-mini", text],
			["auto", pdf],
		] as const) {
			const messages = [{ role: "user" as const, content: [{ type: "text", text: "What colour is the grass?" }, block] as any }];
			for (const call of [
				() => anthropic.messages.create({ model, max_tokens: 50, messages }),
				() => anthropic.messages.countTokens({ model, messages }),
			]) {
				await assert.rejects(call(), err => {
					assert.ok(err instanceof Anthropic.BadRequestError, `${model}: ${String(err)}`);
					anthropicShaped(err.error, "invalid_request_error");
					const message = (err.error as any).error.message as string;
					assert.match(message, /^messages\[0\]\.content\[1\]: content blocks of type 'document' are not supported/, message);
					// What to send instead, so a person can act on it.
					assert.match(message, /send its text in a text block/, message);
					return true;
				});
			}
		}
		assert.equal(gw.vendor.completions.length, 0, "a vendor was called");
	});

	it("an unknown /v1 path is the SDKs' NotFoundError in their format", async () => {
		const anthropic = new Anthropic({ baseURL: gw.base, apiKey: KEY, maxRetries: 0 });
		await assert.rejects(anthropic.messages.batches.list(), err => {
			assert.ok(err instanceof Anthropic.NotFoundError, String(err));
			anthropicShaped(err.error, "not_found_error");
			return true;
		});
		const openai = new OpenAI({ baseURL: `${gw.base}/v1`, apiKey: KEY, maxRetries: 0 });
		await assert.rejects(openai.embeddings.create({ model: "gpt-4.1-mini", input: "x" }), err => {
			assert.ok(err instanceof OpenAI.NotFoundError, String(err));
			assert.equal(err.type, "invalid_request_error");
			return true;
		});
	});

	// Last: it takes the orchestrator down for good (the gateway is stopped after).
	it("a pipeline action with no live node is a 503 (retry later), not a 404 the SDK reads as a wrong URL, and is logged", async () => {
		const openai = new OpenAI({ baseURL: `${gw.base}/v1`, apiKey: KEY, maxRetries: 0 });
		await gw.broker.destroyService(gw.broker.getLocalService("orchestrator"));
		await assert.rejects(openai.chat.completions.create({ model: "auto", messages: [{ role: "user", content: QUESTION }] }), err => {
			assert.ok(err instanceof OpenAI.APIError, String(err));
			assert.equal(err.status, 503, String(err));
			return true;
		});
		// Logged as REST's 5xx are (a /v1 handler answered its own errors and logged none), the key nowhere.
		assert.ok(
			logger.lines.some(l => /^warn POST \/v1\/chat\/completions failed: .*orchestrator\.analyze/.test(l)),
			logger.lines.join("\n"),
		);
		assert.ok(!logger.lines.some(l => l.includes(KEY)), "the API key in a log line");
	});
});
