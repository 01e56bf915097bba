import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { parseConfig, PROJECT_ROOT } from "../../lib/config";
import type { OrchestrateResult } from "../../lib/contracts";
import { classifyIntent } from "../../services/intent/classifier";
import { systemWithVendors, type SystemUnderTest } from "../fixtures/gateway";
import { testNamespace } from "../helpers";

/**
 * Two API keys are two tenants (README "Keys"): the completion caches (/v1's and orchestrate's) answer a key only with
 * answers that key paid for. A shared cache let one tenant learn, from a hit (usage 0, cost 0), that another had sent
 * exactly that conversation, and be served what the other tenant paid for, its own budget untouched. Within one key a
 * repeat is still a hit. Driven by the official openai and Anthropic clients and REST, against the vendor fakes.
 */
describe("completion caches are per API key (tenant)", function () {
	this.timeout(30_000);
	const secrets = { a: `sk-a-${randomBytes(8).toString("hex")}`, b: `sk-b-${randomBytes(8).toString("hex")}` };
	let sys: SystemUnderTest;
	const openai = (apiKey: string) => new OpenAI({ baseURL: `${sys.base}/v1`, apiKey, maxRetries: 0 });
	const anthropic = (apiKey: string) => new Anthropic({ baseURL: sys.base, apiKey, maxRetries: 0 });

	before(async () => {
		const text = `${readFileSync(`${PROJECT_ROOT}/config.yaml`, "utf8")}\nauth:\n  keys:\n    - { name: team-a, key: "\${TENANT_A_KEY}" }\n    - { name: team-b, key: "\${TENANT_B_KEY}" }\n`;
		const config = parseConfig(text, "config.yaml + auth", { ...process.env, TENANT_A_KEY: secrets.a, TENANT_B_KEY: secrets.b });
		sys = await systemWithVendors(config, { NAMESPACE: testNamespace() });
	});
	after(async () => {
		await sys?.stop();
	});
	beforeEach(() => sys.vendors.reset());

	it("/v1/chat/completions: another key's identical temperature-0 call reaches the vendor; the same key's repeat is a hit", async () => {
		const body = {
			model: "gpt-4.1-mini",
			temperature: 0,
			messages: [
				{ role: "system" as const, content: "You are team A's HR assistant." },
				{ role: "user" as const, content: "Is Jane Roe on the layoff list? (tenant test 1)" },
			],
		};
		const first = await openai(secrets.a).chat.completions.create(body).withResponse();
		const other = await openai(secrets.b).chat.completions.create(body).withResponse();
		assert.equal(sys.vendors.completions(), 2, "team-b's call was answered by the vendor, not from team-a's cache");
		assert.ok(other.data.usage!.prompt_tokens > 0, "team-b is told what its own call spent");
		assert.notEqual(other.response.headers.get("x-orchestrator-cost-usd"), "0");
		const spend = await fetch(`${sys.base}/api/spend`, { headers: { authorization: `Bearer ${secrets.b}` } });
		assert.ok(((await spend.json()) as { spent_usd: number }).spent_usd > 0, "team-b's budget is charged for its own call");
		const again = await openai(secrets.a).chat.completions.create(body).withResponse();
		assert.equal(sys.vendors.completions(), 2, "team-a's repeat is still served from its cache");
		assert.equal(again.data.usage!.prompt_tokens, 0);
		assert.equal(again.data.choices[0].message.content, first.data.choices[0].message.content);
	});

	it("/v1/messages streamed: another key's identical call is not a replay of the first key's answer", async () => {
		const ask = async (apiKey: string) => {
			const stream = anthropic(apiKey).messages.stream({
				model: "claude-haiku-4-5",
				max_tokens: 100,
				temperature: 0,
				messages: [{ role: "user", content: "Summarize our Q3 acquisition plan (tenant test 2)" }],
			});
			return stream.finalMessage();
		};
		await ask(secrets.a);
		const other = await ask(secrets.b);
		assert.equal(sys.vendors.completions(), 2);
		assert.ok(other.usage.input_tokens > 0);
		assert.equal((await ask(secrets.a)).usage.input_tokens, 0, "team-a's repeat is a replay");
		assert.equal(sys.vendors.completions(), 2);
	});

	it("/api/orchestrate: another key's identical request is not cached: true", async () => {
		const orchestrate = async (secret: string) => {
			const res = await fetch(`${sys.base}/api/orchestrate`, {
				method: "POST",
				headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
				body: JSON.stringify({ request: "explain the zebra project's launch risks in two lines (tenant test 3)" }),
			});
			assert.equal(res.status, 200);
			return (await res.json()) as OrchestrateResult;
		};
		assert.equal((await orchestrate(secrets.a)).cached, false);
		const other = await orchestrate(secrets.b);
		assert.equal(other.cached, false, "team-b is not served team-a's answer");
		assert.ok(other.cost_usd > 0);
		assert.equal(sys.vendors.completions(), 2);
		assert.equal((await orchestrate(secrets.a)).cached, true, "team-a's repeat is a hit");
		assert.equal(sys.vendors.completions(), 2);
	});
});

/**
 * The analysis cache and the helper calls' verdict caches (intent assist, LLM rewrite) are per key too: a request whose
 * analysis paid a helper call, sent again by another key, was told "analysis from the cache: its helper LLM calls were paid
 * when it was made" (or an intent note ending "cached") at a helper cost of 0: that another tenant had sent exactly that
 * text, its helper call paid by the other tenant (and its verdict made by a model the caller's key may not call).
 */
describe("analysis and helper verdict caches are per API key (tenant)", function () {
	this.timeout(30_000);
	const secrets = { a: `sk-a-${randomBytes(8).toString("hex")}`, b: `sk-b-${randomBytes(8).toString("hex")}` };
	let sys: SystemUnderTest;

	before(async () => {
		const text = `${readFileSync(`${PROJECT_ROOT}/config.yaml`, "utf8")}\nauth:\n  keys:\n    - { name: team-a, key: "\${TENANT_A_KEY}" }\n    - { name: team-b, key: "\${TENANT_B_KEY}" }\n`;
		const parsed = parseConfig(text, "config.yaml + auth", { ...process.env, TENANT_A_KEY: secrets.a, TENANT_B_KEY: secrets.b, INTENT_LLM_ASSIST: "1" });
		// A loaded CI machine must not turn the assist's 3 s deadline into a skipped call.
		const config = { ...parsed, intent: { llm_assist: { ...parsed.intent.llm_assist, timeout_ms: 20_000 } } };
		sys = await systemWithVendors(config, { NAMESPACE: testNamespace() });
	});
	after(async () => {
		await sys?.stop();
	});

	const orchestrate = async (secret: string, request: string, options: Record<string, unknown> = {}) => {
		const res = await fetch(`${sys.base}/api/orchestrate`, {
			method: "POST",
			headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
			body: JSON.stringify({ request, options }),
		});
		const body = (await res.json()) as OrchestrateResult;
		assert.equal(res.status, 200, JSON.stringify(body));
		return body;
	};
	const fromCache = (r: OrchestrateResult) => r.prompt_notes.some(n => n.startsWith("analysis from the cache"));

	it("another key's identical request pays its own intent assist; the same key's repeat is still a hit", async () => {
		// No cue to any intent: the local model is unsure (checked), so the assist asks the cheapest live model.
		const request = "the stuff (tenant test 4)";
		assert.ok(classifyIntent(request).confidence < 0.8, "precondition: the local model is unsure");
		const first = await orchestrate(secrets.a, request);
		assert.ok(first.intent_assist_cost_usd > 0, JSON.stringify(first));
		const other = await orchestrate(secrets.b, request);
		assert.ok(!fromCache(other), `team-b was served team-a's analysis: ${other.prompt_notes.join("; ")}`);
		assert.ok(other.intent_assist_cost_usd > 0, `team-b's own assist call: ${other.intent_note}`);
		const again = await orchestrate(secrets.a, request);
		assert.ok(fromCache(again), "team-a's repeat is served from its analysis cache");
		assert.equal(again.intent_assist_cost_usd, 0);
	});

	it("another key's assist verdict for the same text (a different analysis) is not reused", async () => {
		const request = "the stuff (tenant test 5)";
		const first = await orchestrate(secrets.a, request);
		assert.ok(first.intent_assist_cost_usd > 0, JSON.stringify(first));
		// Other options: another analysis key, the same assist question.
		const other = await orchestrate(secrets.b, request, { max_cost: 1 });
		assert.ok(!/cached\)/.test(other.intent_note ?? ""), `team-b was given team-a's verdict: ${other.intent_note}`);
		assert.ok(other.intent_assist_cost_usd > 0);
		const again = await orchestrate(secrets.a, request, { max_cost: 1 });
		assert.match(again.intent_note ?? "", /cached\)/, "team-a's own verdict is reused");
	});
});
