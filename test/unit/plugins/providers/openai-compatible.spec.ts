import assert from "node:assert/strict";
import { fakeOpenAI } from "../../../fakes/openai";
import type { ServiceBroker } from "moleculer";
import { loadConfig } from "../../../../lib/config";
import { DEFAULT_CONTEXT_WINDOW } from "../../../../lib/provider-discovery";
import type { ProviderMetadata } from "../../../../lib/registry";
import { openaiDialect } from "../../../fakes/openai";
import { FakeVendor } from "../../../fakes/vendor";
import { freePort, testBroker } from "../../../helpers";
import { complete, providerBroker, providerContract, type ProviderUnderTest } from "./contract";

/** An Ollama-like server: OpenAI's wire format under /v1, a key it ignores or checks. */
export const compatible: ProviderUnderTest = {
	service: "llm-openai-compatible",
	model: "llama3.1:8b",
	fake: () => fakeOpenAI({ models: ["llama3.1:8b"] }),
	env: f => ({ OPENAI_COMPATIBLE_BASE_URL: `${f.baseUrl}/v1`, OPENAI_COMPATIBLE_API_KEY: f.apiKey, OPENAI_COMPATIBLE_MODELS: "" }),
	badKeyEnv: f => ({ OPENAI_COMPATIBLE_BASE_URL: `${f.baseUrl}/v1`, OPENAI_COMPATIBLE_API_KEY: "wrong-key-sk-abcdefgh1234", OPENAI_COMPATIBLE_MODELS: "" }),
	noCredentialsEnv: { OPENAI_COMPATIBLE_BASE_URL: "" },
	badKeyStatus: 401,
};

providerContract(compatible);

describe("llm-openai-compatible specifics", () => {
	it("reuses the OpenAI mapping but sends max_tokens, which local servers read", async () => {
		const fake = await compatible.fake();
		const broker = await providerBroker(compatible, fake);
		try {
			const { res } = await complete(broker, "llm-openai-compatible", {
				model: "llama3.1:8b",
				messages: [{ role: "user", content: "hi" }],
				max_tokens: 33,
			});
			assert.equal(res!.text, "answer from openai llama3.1:8b");
			assert.equal(fake.completions[0].path, "/v1/chat/completions");
			assert.equal(fake.completions[0].body.max_tokens, 33);
			assert.equal(fake.completions[0].body.max_completion_tokens, undefined);
		} finally {
			await broker.stop();
			await fake.stop();
		}
	});

	const providerMeta = (broker: ServiceBroker): ProviderMetadata =>
		(broker.registry.getServiceList({}) as any[]).find(s => s.name === "llm-openai-compatible").metadata.provider;

	it("OPENAI_COMPATIBLE_MODELS narrows the models it declares to those the server has", async () => {
		const fake = await compatible.fake();
		const narrowed = await providerBroker(compatible, fake, { OPENAI_COMPATIBLE_MODELS: "qwen-not-on-the-server" });
		try {
			assert.deepEqual(providerMeta(narrowed).models, []);
		} finally {
			await narrowed.stop();
			await fake.stop();
		}
	});

	it("serves what GET /v1/models lists, models config.yaml lacks included (free, default context window), with OPENAI_COMPATIBLE_TIERS", async () => {
		const fake = await fakeOpenAI({ models: ["qwen2.5-coder:7b", "nomic-embed-text:latest"] });
		const broker = await providerBroker(compatible, fake, { OPENAI_COMPATIBLE_TIERS: "qwen2.5-coder:7b=moderate+complex" });
		try {
			assert.ok(
				fake.requests.some(r => r.method === "GET" && r.path === "/v1/models"),
				"the start read the server's model list",
			);
			assert.deepEqual(providerMeta(broker), {
				name: "openai-compatible",
				models: ["qwen2.5-coder:7b"],
				extra: { "qwen2.5-coder:7b": { input_per_mtok: 0, output_per_mtok: 0, context_window: DEFAULT_CONTEXT_WINDOW } },
				tiers: { "qwen2.5-coder:7b": ["moderate", "complex"] },
			});
			const models = await broker.call<{ id: string; discovered?: boolean }[], unknown>("llm-openai-compatible.models", {});
			assert.deepEqual(
				models.map(m => [m.id, m.discovered]),
				[["qwen2.5-coder:7b", true]],
			);
			const { res } = await complete(broker, "llm-openai-compatible", { model: "qwen2.5-coder:7b", messages: [{ role: "user", content: "hi" }] });
			assert.equal(res!.text, "answer from openai qwen2.5-coder:7b");
		} finally {
			await broker.stop();
			await fake.stop();
		}
	});

	it("reads the list again after the interval, and retries with a backoff when the server was down at start", async () => {
		const port = await freePort();
		const config = {
			...loadConfig(),
			providers: { ...loadConfig().providers, "openai-compatible": { env: ["OPENAI_COMPATIBLE_BASE_URL"], discovery_interval_ms: 100 } },
		};
		// Nothing listens yet: the start serves the catalog's models and keeps trying.
		const broker = testBroker({
			services: ["llm-openai-compatible"],
			config,
			env: { OPENAI_COMPATIBLE_BASE_URL: `http://127.0.0.1:${port}/v1`, OPENAI_COMPATIBLE_API_KEY: "k", LLM_TIMEOUT_MS: "500" },
		});
		await broker.start();
		const fake = new FakeVendor(openaiDialect, "k", ["qwen2.5-coder:7b"]);
		try {
			assert.deepEqual(providerMeta(broker).models, ["llama3.1:8b"]);
			const changed = (want: string[]) =>
				new Promise<void>(resolve => {
					const check = () =>
						JSON.stringify(providerMeta(broker).models) === JSON.stringify(want) && (broker.localBus.off("$services.changed", check), resolve());
					broker.localBus.on("$services.changed", check);
				});
			const up = changed(["qwen2.5-coder:7b"]);
			await fake.start(port);
			await up;
			// `ollama pull llama3.1:8b` on the running server: served from the next reading, under its catalog entry.
			const pulled = changed(["llama3.1:8b", "qwen2.5-coder:7b"]);
			fake.modelIds.push("llama3.1:8b");
			await pulled;
			assert.deepEqual(Object.keys(providerMeta(broker).extra ?? {}), ["qwen2.5-coder:7b"]);
		} finally {
			await broker.stop();
			await fake.stop();
		}
	});

	it("refuses a malformed OPENAI_COMPATIBLE_TIERS at start, naming the variable", () => {
		assert.throws(
			() =>
				testBroker({
					services: ["llm-openai-compatible"],
					env: { OPENAI_COMPATIBLE_BASE_URL: "http://127.0.0.1:1/v1", OPENAI_COMPATIBLE_TIERS: "qwen2.5-coder:7b=fast" },
				}),
			/OPENAI_COMPATIBLE_TIERS: 'qwen2.5-coder:7b=fast' is not <model>=<tier>/,
		);
	});

	describe("a server or proxy answering off OpenAI's wire format", function () {
		this.timeout(15_000);
		let fake: FakeVendor;
		let broker: ServiceBroker;
		// A broker each: one test's 5xx and cut answers open the breaker for the next.
		beforeEach(async () => {
			fake = await compatible.fake();
			broker = await providerBroker(compatible, fake);
		});
		afterEach(async () => {
			await broker?.stop();
			await fake?.stop();
		});
		const ask = () => complete(broker, "llm-openai-compatible", { model: "llama3.1:8b", messages: [{ role: "user", content: "hi" }] });
		const raw = (status: number, contentType: string, body: string) => ({ kind: "raw" as const, status, contentType, body });

		it("an error body without OpenAI's `error` (vLLM's, FastAPI's `detail`) keeps the server's sentence", async () => {
			// vLLM's ErrorResponse: the SDK read no `error` in it and said "400 status code (no body)".
			const vllm = { object: "error", message: "This model's maximum context length is 2048 tokens.", type: "BadRequestError", param: null, code: 400 };
			fake.next(raw(400, "application/json", JSON.stringify(vllm)));
			const { err, tries } = await ask();
			assert.equal(err.message, "openai-compatible: HTTP 400: This model's maximum context length is 2048 tokens.");
			assert.equal(err.data.reason, "bad_request");
			assert.equal(tries.length, 1, "a 400 is not retried");
			fake.next(raw(404, "application/json", JSON.stringify({ detail: "Not Found" })));
			assert.equal((await ask()).err.message, "openai-compatible: HTTP 404: Not Found");
			// LM Studio's: `error` is the sentence itself.
			fake.next(raw(400, "application/json", JSON.stringify({ error: "Model is not loaded" })));
			assert.equal((await ask()).err.message, "openai-compatible: HTTP 400: Model is not loaded");
		});

		it("a proxy's HTML error page is its title, not the page, and a 5xx still retried", async () => {
			const page =
				"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
			fake.always(raw(502, "text/html", page));
			const { err, tries } = await ask();
			assert.equal(err.message, "openai-compatible: HTTP 502: 502 Bad Gateway");
			assert.equal(err.data.reason, "server_error");
			assert.ok(tries.length > 1, "retried as any 5xx");
		});

		it("a 200 that is no chat completion (an HTML page, an error, no choice) fails clearly, never answers empty", async () => {
			fake.next(raw(200, "text/html", "<html><body><h1>Sign in to continue</h1></body></html>"));
			let { err, res } = await ask();
			assert.equal(res, undefined);
			assert.equal(err.type, "PROVIDER_CUT");
			assert.equal(err.data.reason, "error");
			assert.match(err.message, /^openai-compatible: the answer is no chat completion \(Sign in to continue\) after the vendor took the call/);
			// OpenRouter-style: a 200 carrying the error.
			fake.next(raw(200, "application/json", JSON.stringify({ error: { message: "Provider returned error", code: 502 } })));
			({ err, res } = await ask());
			assert.equal(res, undefined);
			assert.match(err.message, /^openai-compatible: Provider returned error/);
			// An empty choices array answered "" with finish_reason stop, and was billed as an answer.
			const empty = {
				id: "x",
				object: "chat.completion",
				created: 1,
				model: "llama3.1:8b",
				choices: [],
				usage: { prompt_tokens: 3, completion_tokens: 0 },
			};
			fake.next(raw(200, "application/json", JSON.stringify(empty)));
			({ err, res } = await ask());
			assert.equal(res, undefined);
			assert.equal(err.data.reason, "error");
			assert.match(err.message, /no chat completion \(no choice\)/);
		});

		it("a streamed call answered with one JSON body (a server ignoring stream: true) says so, not 'truncated'", async () => {
			const streaming = await providerBroker(compatible, fake, { LLM_STREAM: "1" });
			try {
				const whole = {
					id: "x",
					object: "chat.completion",
					created: 1,
					model: "llama3.1:8b",
					choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
				};
				fake.next(raw(200, "application/json", JSON.stringify(whole)));
				const { err } = await complete(streaming, "llm-openai-compatible", { model: "llama3.1:8b", messages: [{ role: "user", content: "hi" }] });
				assert.match(err.message, /^openai-compatible: the vendor's stream sent no chunk \(a server that does not stream answers one JSON body\)/);
				assert.equal(err.data.reason, "error");
			} finally {
				await streaming.stop();
			}
		});
	});
});
