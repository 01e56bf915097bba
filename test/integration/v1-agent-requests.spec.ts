import { strict as assert } from "node:assert";
import Anthropic from "@anthropic-ai/sdk";
import type { ServiceBroker } from "moleculer";
import { loadConfig } from "../../lib/config";
import { startVendors, type Vendors } from "../fixtures/vendors";
import { freePort, testBroker } from "../helpers";

const config = loadConfig();
const HI = [{ role: "user" as const, content: "hi" }];

/**
 * Requests as coding agents send them (Claude Code with ANTHROPIC_BASE_URL pointed here, OpenAI-SDK agents), through
 * the official SDKs against the fake vendors: what the vendor received and what the client got back.
 */
describe("/v1 as coding agents call it", function () {
	this.timeout(30_000);
	let vendors: Vendors;
	let broker: ServiceBroker;
	let base: string;
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

	it("a dated snapshot id (Claude Code's default claude-sonnet-4-5-20250929) is its catalog model; an unknown one stays a 404", async () => {
		const msg = await anthropic().messages.create({ model: "claude-sonnet-4-5-20250929", max_tokens: 50, messages: HI });
		assert.equal(msg.model, "claude-sonnet-4-5");
		assert.equal(vendors.anthropic.completions.length, 1);
		assert.equal(vendors.anthropic.completions[0].body.model, "claude-sonnet-4-5");
		const counted = await anthropic().messages.countTokens({ model: "claude-haiku-4-5-20251001", messages: HI });
		assert.ok(counted.input_tokens > 0);
		await assert.rejects(anthropic().messages.create({ model: "claude-3-5-haiku-20241022", max_tokens: 50, messages: HI }), Anthropic.NotFoundError);
	});
});
