import { strict as assert } from "node:assert";
import Anthropic from "@anthropic-ai/sdk";
import type { ServiceBroker } from "moleculer";
import OpenAI from "openai";
import { loadConfig } from "../../lib/config";
import { startVendors, type Vendors } from "../fixtures/vendors";
import { freePort, testBroker } from "../helpers";

const config = loadConfig();
const HI = [{ role: "user" as const, content: "hi" }];

/**
 * Request parameters of the OpenAI and Anthropic wire formats as each vendor gets them, through the official SDKs against
 * the fake vendors: what is passed, mapped, dropped, or refused with a 400 naming the field.
 */
describe("/v1 request parameters: passed, mapped, dropped or refused by name", function () {
	this.timeout(30_000);
	let vendors: Vendors;
	let broker: ServiceBroker;
	let base: string;
	const openai = () => new OpenAI({ baseURL: `${base}/v1`, apiKey: "unused", maxRetries: 0 });
	const anthropic = () => new Anthropic({ baseURL: base, apiKey: "unused", maxRetries: 0 });

	before(async () => {
		vendors = await startVendors();
		const port = await freePort();
		broker = testBroker({
			services: ["gateway", "orchestrator", "intent", "complexity", "router", "prompt", "models", "metrics", "budget", "llm-*"],
			env: { ...vendors.env, PORT: String(port), HOST: "127.0.0.1", LLM_TIMEOUT_MS: "3000" },
			broker: { dependencyInterval: 50 },
			config: { ...config, cache: { ttl_seconds: { ...config.cache.ttl_seconds, completion: 0 } } } as typeof config,
		});
		await broker.start();
		base = `http://127.0.0.1:${port}`;
	});
	after(async () => {
		await broker?.stop();
		await vendors?.stop();
	});
	beforeEach(() => vendors.reset());

	it("GET /v1/models/{dated id} is the catalog model a POST resolves it to, for both SDKs; an unknown one stays a 404", async () => {
		for (const [id, model] of [
			["claude-haiku-4-5-20251001", "claude-haiku-4-5"],
			["gpt-4.1-2025-04-14", "gpt-4.1"],
		]) {
			const o = await openai().models.retrieve(id);
			assert.equal(o.id, model);
			assert.equal(o.object, "model");
			const a = await anthropic().models.retrieve(id);
			assert.equal(a.id, model);
			assert.equal(a.type, "model");
		}
		await assert.rejects(openai().models.retrieve("claude-sonnet-4-5-20250929"), OpenAI.NotFoundError);
		await assert.rejects(anthropic().models.retrieve("gpt-9-2025-01-01"), Anthropic.NotFoundError);
	});
});
