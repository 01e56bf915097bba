import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import Redis from "ioredis";
import { Loggers, type ServiceBroker } from "moleculer";
import { Client as PgClient } from "pg";
import { parseConfig, PROJECT_ROOT, type Config } from "../../lib/config";
import { countMessageTokens } from "../../lib/tokens";
import { classifyIntent } from "../../services/intent/classifier";
import { fakeOpenAI } from "../fakes/openai";
import type { FakeVendor } from "../fakes/vendor";
import { providerEnvFor } from "../fixtures/vendors";
import { freePort, NATS_URL, REDIS_URL, testBroker, testNamespace } from "../helpers";

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const SERVICES = ["gateway", "orchestrator", "intent", "complexity", "router", "prompt", "models", "metrics", "budget", "llm-openai"];
const REQUEST = { request: "Explain the difference between TCP and UDP", options: { cache: false, preferred_models: ["gpt-4.1-mini"] } };

/** Every log line a broker writes, at debug level, kept to be searched for secrets. */
class CaptureLogger extends Loggers.Base {
	readonly lines: string[] = [];
	getLogHandler() {
		return (type: string, args: unknown[]) => this.lines.push(`${type} ${args.map(a => (typeof a === "string" ? a : inspect(a, { depth: 6 }))).join(" ")}`);
	}
}

/** A schema of its own in PostgreSQL, so parallel runs never share a ledger. */
async function freshSchema(): Promise<{ schema: string; url: string; drop: () => Promise<void> }> {
	const schema = `keys_${randomBytes(4).toString("hex")}`;
	const pg = new PgClient({ connectionString: DATABASE_URL });
	await pg.connect();
	await pg.query(`CREATE SCHEMA ${schema}`);
	await pg.end();
	const sep = DATABASE_URL.includes("?") ? "&" : "?";
	return {
		schema,
		url: `${DATABASE_URL}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
		drop: async () => {
			const c = new PgClient({ connectionString: DATABASE_URL });
			await c.connect();
			await c.query(`DROP SCHEMA ${schema} CASCADE`);
			await c.end();
		},
	};
}

/** The project's config.yaml with an `auth:` section appended, keys read from `${VAR}`s as a user would write them. */
function configWithKeys(auth: string, env: Record<string, string>): Config {
	const text = `${readFileSync(`${PROJECT_ROOT}/config.yaml`, "utf8")}\nauth:\n  keys:\n${auth}`;
	return parseConfig(text, "config.yaml + auth", { ...process.env, ...env });
}

/** An OpenAI fake that reports honest usage: the prompt's tokens, and all of max_tokens as output (the worst case). */
async function honestVendor(): Promise<FakeVendor> {
	const vendor = await fakeOpenAI();
	vendor.always({
		kind: "ok",
		inputTokensOf: body => countMessageTokens(body.messages),
		outputTokensOf: body => body.max_completion_tokens ?? body.max_tokens,
		delayMs: 20,
	});
	return vendor;
}

async function call(base: string, path: string, key: string | undefined, body?: unknown, headers: Record<string, string> = {}) {
	const res = await fetch(`${base}${path}`, {
		method: body === undefined ? "GET" : "POST",
		headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, headers: res.headers, text, body: JSON.parse(text) as any };
}

describe("keys and budgets across two gateway nodes (NATS, Redis, PostgreSQL)", function () {
	this.timeout(60_000);
	const namespace = testNamespace();
	const secretA = `tk-${randomBytes(16).toString("hex")}`;
	const secretB = `tk-${randomBytes(16).toString("hex")}`;
	const secretC = `tk-${randomBytes(16).toString("hex")}`;
	/** A key with no limit: what an unrestricted caller caches. */
	const secretD = `tk-${randomBytes(16).toString("hex")}`;
	const loggers = [new CaptureLogger(), new CaptureLogger()];
	let vendor: FakeVendor;
	let db: Awaited<ReturnType<typeof freshSchema>>;
	let nodes: ServiceBroker[] = [];
	let bases: string[] = [];
	let metricsPort: number;
	let budget: number;
	let perRequest: number;
	const written: string[] = [];

	before(async () => {
		vendor = await honestVendor();
		db = await freshSchema();
		const env = { TEAM_A_KEY: secretA, TEAM_B_KEY: secretB, TEAM_C_KEY: secretC, TEAM_D_KEY: secretD };
		// First a key without limits learns what one request reserves: the pipeline's own estimate at catalog prices.
		const probeConfig = configWithKeys(`    - { name: team-b, key: "\${TEAM_B_KEY}" }\n`, env);
		const probe = testBroker({
			services: SERVICES,
			config: probeConfig,
			env: { ...providerEnvFor({ openai: vendor }), PORT: String(await freePort()), NAMESPACE: testNamespace() },
		});
		await probe.start();
		const plan = await probe.call<{ model: string; max_tokens: number; input_tokens: number }, unknown>("orchestrator.analyze", REQUEST);
		await probe.stop();
		const info = probeConfig.models[plan.model];
		perRequest = (plan.input_tokens * info.input_per_mtok + plan.max_tokens * info.output_per_mtok) / 1e6;
		// Room for ten and a half worst cases: ten can be answered, never eleven.
		budget = Number((perRequest * 10.5).toFixed(6));
		const config = configWithKeys(
			[
				`    - { name: team-a, key: "\${TEAM_A_KEY}", budget_usd_per_day: ${budget} }`,
				`    - { name: team-b, key: "\${TEAM_B_KEY}", requests_per_minute: 2 }`,
				`    - { name: team-c, key_sha256: "${require("node:crypto").createHash("sha256").update(secretC).digest("hex")}", models: [gpt-4.1-nano] }`,
				`    - { name: team-d, key: "\${TEAM_D_KEY}" }`,
				"",
			].join("\n"),
			env,
		);
		metricsPort = await freePort();
		const ports = [await freePort(), await freePort()];
		bases = ports.map(p => `http://127.0.0.1:${p}`);
		nodes = ports.map((port, i) =>
			testBroker({
				services: SERVICES,
				config,
				env: {
					...providerEnvFor({ openai: vendor }),
					TRANSPORTER: NATS_URL,
					REDIS_URL,
					DATABASE_URL: db.url,
					NAMESPACE: namespace,
					NODE_ID: `${namespace}-gw${i + 1}`,
					PORT: String(port),
					LOGLEVEL: "debug",
					METRICS_PORT: i === 0 ? String(metricsPort) : "off",
				},
				broker: { logger: loggers[i] as any, logLevel: "debug" },
			}),
		);
		await Promise.all(nodes.map(n => n.start()));
		await Promise.all(nodes.map(n => n.waitForServices(["budget", "orchestrator", "llm-openai"], 20_000)));
		// Two nodes of one cluster: each must know the other before the load starts (started together,
		// their first INFO packets can cross before both subscriptions are up; heartbeats then discover).
		const seen = () => nodes.every(n => n.registry.nodes.list({ onlyAvailable: true }).length >= 2);
		for (let i = 0; i < 200 && !seen(); i++) await new Promise(r => setTimeout(r, 100));
		assert.ok(seen(), "the two gateway nodes see each other over NATS");
	});

	after(async () => {
		await Promise.all(nodes.map(n => n.stop()));
		await vendor?.stop();
		await db?.drop();
	});

	it("50 concurrent requests on two nodes never spend more than the key's budget; the refusals name it", async () => {
		const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => call(bases[i % 2], "/api/orchestrate", secretA, REQUEST)));
		const ok = answers.filter(a => a.status === 200);
		const refused = answers.filter(a => a.status !== 200);
		for (const r of refused) {
			assert.equal(r.status, 429, r.text);
			assert.equal(r.body.error.type, "budget_exceeded");
			assert.match(r.body.error.message, new RegExp(`key 'team-a' has [0-9.e-]+ USD left of its budget_usd_per_day of ${budget} USD`));
		}
		const spend = await call(bases[1], "/api/spend?period=day", secretA);
		assert.equal(spend.status, 200, spend.text);
		assert.equal(spend.body.source, "ledger");
		assert.equal(spend.body.requests, ok.length);
		assert.ok(spend.body.spent_usd <= budget, `settled ${spend.body.spent_usd} USD over the budget of ${budget}`);
		// Reservations are released into settled spend: the budget was used, not refused early.
		assert.ok(spend.body.spent_usd + perRequest > budget, `only ${spend.body.spent_usd} of ${budget} USD spent`);
		assert.equal(ok.length, 10);
		assert.equal(vendor.completions.length, ok.length, "a refused request never reached the vendor");
		const paid = ok.reduce((s, a) => s + a.body.cost_usd, 0);
		assert.ok(Math.abs(paid - spend.body.spent_usd) < 1e-5, `answers say ${paid} USD, the ledger ${spend.body.spent_usd}`);
		written.push(...answers.map(a => a.text), spend.text);
	});

	it("a key over its requests_per_minute is answered 429 with retry-after", async () => {
		// Three requests in one clock minute (the sliding minute weighs the previous minute's by what is left of it, so across
		// a minute's end the third may pass): wait out a minute about to close.
		const msLeft = 60_000 - (Date.now() % 60_000);
		if (msLeft < 3000) await new Promise(r => setTimeout(r, msLeft + 50));
		const answers = [];
		for (let i = 0; i < 3; i++) answers.push(await call(bases[i % 2], "/api/analyze", secretB, { request: "what is a mutex?" }));
		assert.deepEqual(
			answers.map(a => a.status),
			[200, 200, 429],
		);
		const refused = answers[2];
		assert.equal(refused.body.error.type, "rate_limited");
		assert.match(refused.body.error.message, /key 'team-b' is over its requests_per_minute limit of 2/);
		const retryAfter = Number(refused.headers.get("retry-after"));
		assert.ok(retryAfter >= 1 && retryAfter <= 60, `retry-after ${refused.headers.get("retry-after")}`);
		written.push(...answers.map(a => a.text));
	});

	it("REST: no key or an unknown key is 401, a model outside the key's list is 403, /health needs no key", async () => {
		const none = await call(bases[0], "/api/analyze", undefined, { request: "hi" });
		assert.equal(none.status, 401);
		assert.equal(none.body.error.type, "unauthorized");
		const wrongKey = `tk-${randomBytes(16).toString("hex")}`;
		const wrong = await call(bases[0], "/api/metrics", wrongKey);
		assert.equal(wrong.status, 401);
		assert.ok(!wrong.text.includes(wrongKey), "the presented key is not echoed");
		// Anthropic clients send x-api-key; key_sha256 holds no secret in the file.
		const viaHeader = await call(bases[1], "/api/analyze", undefined, { request: "what is a mutex?" }, { "x-api-key": secretC });
		assert.equal(viaHeader.status, 200, viaHeader.text);
		const forbidden = await call(bases[0], "/api/orchestrate", secretC, REQUEST);
		assert.equal(forbidden.status, 403, forbidden.text);
		assert.equal(forbidden.body.error.type, "model_not_allowed");
		assert.match(forbidden.body.error.message, /model 'gpt-4\.1-mini' is not allowed for key 'team-c'/);
		// The plan of a limited key names only its models, and no answer another key cached from a model outside them.
		const complex = { request: "Design and implement a multi-tenant billing platform with usage metering, invoicing and dunning" };
		const open = await call(bases[0], "/api/orchestrate", secretD, complex);
		assert.equal(open.status, 200, open.text);
		const again = await call(bases[0], "/api/orchestrate", secretC, complex);
		assert.equal(again.status, 200, again.text);
		assert.equal(again.body.model, "gpt-4.1-nano", again.text);
		for (const path of ["/api/analyze", "/api/orchestrate"]) {
			const plan = await call(bases[1], path, secretC, { ...complex, ...(path.endsWith("orchestrate") ? { options: { dry_run: true } } : {}) });
			assert.equal(plan.status, 200, plan.text);
			assert.equal(plan.body.model, "gpt-4.1-nano", `${path}: ${plan.text}`);
			assert.deepEqual(plan.body.fallbacks, [], path);
		}
		// The REPL's `keys`: every key's limits and use, no secret.
		const table = await nodes[1].call<Record<string, unknown>[]>("budget.keys");
		assert.deepEqual(
			table.map(k => k.name),
			["team-a", "team-b", "team-c", "team-d"],
		);
		assert.deepEqual(table.find(k => k.name === "team-c")!.models, ["gpt-4.1-nano"]);
		assert.ok(Number(table.find(k => k.name === "team-a")!.used_today_usd) > 0);
		written.push(JSON.stringify(table));
		const other = await call(bases[0], "/api/spend?key=team-a", secretC);
		assert.equal(other.status, 403, "a key reads its own spend only");
		const health = await fetch(`${bases[0]}/health`);
		assert.equal(health.status, 200);
		written.push(none.text, wrong.text, viaHeader.text, forbidden.text, other.text);
	});

	it("/v1 auto: a conversation a model-limited key started does not pin another key's same conversation to its model", async () => {
		const body = {
			model: "auto",
			messages: [
				{ role: "system", content: "You are a staff engineer." },
				{ role: "user", content: "Design and implement a multi-tenant billing platform with usage metering, invoicing and dunning" },
			],
		};
		const limited = await call(bases[0], "/v1/chat/completions", secretC, body);
		assert.equal(limited.status, 200, limited.text);
		assert.equal(limited.body.model, "gpt-4.1-nano");
		// The other key, on the other node (the sticky choice is in Redis for both): its own plan's model, as a fresh conversation.
		const open = await call(bases[1], "/v1/chat/completions", secretD, body);
		assert.equal(open.status, 200, open.text);
		assert.notEqual(open.body.model, "gpt-4.1-nano", open.text);
		// Each key's conversation stays on its own model.
		const followUp = (secret: string) =>
			call(bases[1], "/v1/chat/completions", secret, {
				...body,
				messages: [...body.messages, { role: "assistant", content: "Plan." }, { role: "user", content: "go on" }],
			});
		assert.equal((await followUp(secretC)).body.model, "gpt-4.1-nano");
		assert.equal((await followUp(secretD)).body.model, open.body.model);
	});

	it("GET /api/spend answers from the counters, saying why, while the ledger cannot be read", async () => {
		const pg = new PgClient({ connectionString: DATABASE_URL });
		await pg.connect();
		await pg.query(`ALTER TABLE ${db.schema}.spend_ledger RENAME TO spend_ledger_away`);
		try {
			const spend = await call(bases[0], "/api/spend", secretA);
			assert.equal(spend.status, 200, spend.text);
			assert.equal(spend.body.source, "counters");
			assert.match(spend.body.ledger_error, /^spend ledger unreadable: /);
			assert.ok(spend.body.spent_usd > 0);
		} finally {
			await pg.query(`ALTER TABLE ${db.schema}.spend_ledger_away RENAME TO spend_ledger`);
			await pg.end();
		}
	});

	it("/mcp: HTTP 401 without a key, 403 for a foreign Origin, and the budget refusal as a tool error", async () => {
		const unauth = new Client({ name: "no-key", version: "0" });
		await assert.rejects(unauth.connect(new StreamableHTTPClientTransport(new URL(`${bases[0]}/mcp`))), /401|unauthorized/i);
		const foreign = await fetch(`${bases[0]}/mcp`, {
			method: "POST",
			headers: {
				"content-type": "application/json",
				accept: "application/json, text/event-stream",
				origin: "http://evil.example",
				authorization: `Bearer ${secretA}`,
			},
			body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
		});
		assert.equal(foreign.status, 403);
		assert.match(await foreign.text(), /origin 'http:\/\/evil\.example' is not allowed/);
		const local = await fetch(`${bases[0]}/mcp`, {
			method: "POST",
			headers: {
				"content-type": "application/json",
				accept: "application/json, text/event-stream",
				origin: "http://localhost:3000",
				authorization: `Bearer ${secretA}`,
			},
			body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
		});
		assert.equal(local.status, 200, await local.text());
		assert.equal(local.headers.get("access-control-allow-origin"), null, "no CORS unless ALLOWED_ORIGINS is set");
		const client = new Client({ name: "team-a", version: "0" });
		await client.connect(
			new StreamableHTTPClientTransport(new URL(`${bases[1]}/mcp`), { requestInit: { headers: { authorization: `Bearer ${secretA}` } } }),
		);
		const res = (await client.callTool({ name: "orchestrate", arguments: REQUEST })) as CallToolResult;
		await client.close();
		assert.equal(res.isError, true);
		const text = (res.content[0] as { text: string }).text;
		assert.match(text, /budget_exceeded: key 'team-a' has [0-9.e-]+ USD left of its budget_usd_per_day/);
		written.push(text);
	});

	it("secrets appear in no log line, metric, Redis key or answer", async () => {
		const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
		assert.match(metrics, /orchestrator_requests_total\{[^}]*key="team-a"/, "metrics carry the key's name");
		const summary = await call(bases[0], "/api/metrics?period=1h", secretA);
		assert.ok(
			summary.body.requests.by_key["team-a"] >= 50,
			`get_metrics by_key: ${JSON.stringify(summary.body.requests)} ${JSON.stringify(summary.body.nodes)}`,
		);
		written.push(summary.text);
		const redis = new Redis(REDIS_URL);
		const keys = await redis.keys(`BUDGET-${namespace}-*`);
		// Nothing of this run stays in the shared Redis.
		if (keys.length) await redis.del(...keys);
		redis.disconnect();
		assert.ok(
			keys.some(k => k.includes("team-a")),
			JSON.stringify(keys),
		);
		const logs = loggers.flatMap(l => l.lines);
		assert.ok(logs.length > 100, `${logs.length} log lines captured`);
		const haystacks = { logs: logs.join("\n"), metrics, redis: keys.join("\n"), answers: written.join("\n") };
		for (const [where, text] of Object.entries(haystacks)) {
			for (const secret of [secretA, secretB, secretC, secretD]) assert.ok(!text.includes(secret), `a key's secret is in the ${where}`);
		}
	});
});

describe("the day's spend survives a gateway restart (PostgreSQL ledger, one process)", function () {
	this.timeout(30_000);
	const secret = `tk-${randomBytes(16).toString("hex")}`;
	let vendor: FakeVendor;
	let db: Awaited<ReturnType<typeof freshSchema>>;

	before(async () => {
		vendor = await honestVendor();
		db = await freshSchema();
	});
	after(async () => {
		await vendor?.stop();
		await db?.drop();
	});

	it("spends two requests, restarts, reads the same spend and refuses the third", async () => {
		const start = async (budget: number) => {
			const port = await freePort();
			const config = configWithKeys(`    - { name: ops, key: "\${OPS_KEY}", budget_usd_per_day: ${budget} }\n`, { OPS_KEY: secret });
			const broker = testBroker({
				services: SERVICES,
				config,
				env: { ...providerEnvFor({ openai: vendor }), DATABASE_URL: db.url, PORT: String(port), NAMESPACE: testNamespace() },
			});
			await broker.start();
			return { broker, base: `http://127.0.0.1:${port}` };
		};
		// A generous budget first, to learn what one request costs from the ledger itself.
		let gw = await start(100);
		const first = await call(gw.base, "/api/orchestrate", secret, REQUEST);
		assert.equal(first.status, 200, first.text);
		const one = (await call(gw.base, "/api/spend", secret)).body.spent_usd as number;
		await gw.broker.stop();
		// Room for two and a half: one more fits, the third does not.
		gw = await start(Number((one * 2.5).toFixed(9)));
		assert.equal((await call(gw.base, "/api/orchestrate", secret, REQUEST)).status, 200);
		const before = (await call(gw.base, "/api/spend", secret)).body;
		await gw.broker.stop();
		gw = await start(Number((one * 2.5).toFixed(9)));
		try {
			const after = (await call(gw.base, "/api/spend?key=ops&period=day", secret)).body;
			assert.equal(after.spent_usd, before.spent_usd);
			assert.equal(after.requests, 2);
			assert.ok(Math.abs(after.reserved_and_spent_usd - before.spent_usd) < 1e-9, "the counters were rebuilt from the ledger");
			const third = await call(gw.base, "/api/orchestrate", secret, REQUEST);
			assert.equal(third.status, 429, third.text);
			assert.equal(third.body.error.type, "budget_exceeded");
			assert.ok(Number(third.headers.get("retry-after")) >= 1);
			assert.equal(vendor.completions.length, 2);
		} finally {
			await gw.broker.stop();
		}
	});

	it("rebuilds the counters from the ledger when Redis loses them (restarted without persistence) and still refuses the third", async () => {
		const namespace = testNamespace();
		const start = async (budget: number, redis: boolean) => {
			const port = await freePort();
			const config = configWithKeys(`    - { name: night, key: "\${NIGHT_KEY}", budget_usd_per_day: ${budget} }\n`, { NIGHT_KEY: secret });
			const broker = testBroker({
				services: SERVICES,
				config,
				env: {
					...providerEnvFor({ openai: vendor }),
					DATABASE_URL: db.url,
					PORT: String(port),
					NAMESPACE: namespace,
					...(redis ? { REDIS_URL } : {}),
				},
			});
			await broker.start();
			return { broker, base: `http://127.0.0.1:${port}` };
		};
		let gw = await start(100, false);
		assert.equal((await call(gw.base, "/api/orchestrate", secret, REQUEST)).status, 200);
		const one = (await call(gw.base, "/api/spend", secret)).body.spent_usd as number;
		await gw.broker.stop();
		// Room for two and a half, the counters in Redis: one more fits.
		gw = await start(Number((one * 2.5).toFixed(9)), true);
		const redis = new Redis(REDIS_URL);
		try {
			assert.equal((await call(gw.base, "/api/orchestrate", secret, REQUEST)).status, 200);
			// What a Redis restart without persistence (or an eviction) leaves: no counters at all.
			const counters = await redis.keys(`BUDGET-${namespace}-*`);
			assert.ok(counters.length > 0, "the counters live in Redis");
			await redis.del(...counters);
			const third = await call(gw.base, "/api/orchestrate", secret, REQUEST);
			assert.equal(third.status, 429, third.text);
			assert.equal(third.body.error.type, "budget_exceeded");
			const spend = (await call(gw.base, "/api/spend", secret)).body;
			assert.equal(spend.requests, 2);
			assert.ok(Math.abs(spend.reserved_and_spent_usd - spend.spent_usd) < 1e-9, "the counters hold the ledger's spend again");
		} finally {
			redis.disconnect();
			await gw.broker.stop();
		}
	});
});

describe("an open gateway beyond loopback", function () {
	this.timeout(20_000);
	for (const [host, warnings] of [
		["0.0.0.0", 1],
		["127.0.0.1", 0],
	] as const) {
		it(`logs ${warnings} warning when it listens on ${host} with no key configured`, async () => {
			const logger = new CaptureLogger();
			const port = await freePort();
			const broker = testBroker({
				services: ["gateway"],
				env: { HOST: host, PORT: String(port), API_KEYS: "" },
				broker: { logger: logger as any, logLevel: "info" },
			});
			await broker.start();
			try {
				// It does serve: the warning is the only guard.
				assert.equal((await fetch(`http://127.0.0.1:${port}/api/metrics`)).status === 401, false);
			} finally {
				await broker.stop();
			}
			assert.equal(
				logger.lines.filter(l => /^warn UNPROTECTED: .*listens on .* with no API key configured/.test(l)).length,
				warnings,
				logger.lines.join("\n"),
			);
		});
	}
});

describe("helper calls spend the caller's budget too", function () {
	this.timeout(30_000);
	const secret = `tk-${randomBytes(16).toString("hex")}`;
	let vendor: FakeVendor;
	let db: Awaited<ReturnType<typeof freshSchema>>;
	let broker: ServiceBroker;
	let base: string;
	let assistBelow: number;

	before(async () => {
		vendor = await honestVendor();
		db = await freshSchema();
		const port = await freePort();
		base = `http://127.0.0.1:${port}`;
		const withKey = configWithKeys(`    - { name: assisted, key: "\${ASSISTED_KEY}", budget_usd_per_day: 1 }\n`, {
			ASSISTED_KEY: secret,
			INTENT_LLM_ASSIST: "1",
		});
		// A loaded CI machine must not turn the assist's 3 s deadline into a skipped call.
		const config = { ...withKey, intent: { llm_assist: { ...withKey.intent.llm_assist, timeout_ms: 20_000 } } };
		assistBelow = config.intent.llm_assist.below_confidence;
		broker = testBroker({
			services: SERVICES,
			config,
			env: { ...providerEnvFor({ openai: vendor }), DATABASE_URL: db.url, PORT: String(port), NAMESPACE: testNamespace() },
		});
		await broker.start();
		// The first request of a process loads the intent and complexity models: done here, keyless and without an assist.
		await broker.call("orchestrator.analyze", { request: "Show me the contents of README.md" });
	});
	after(async () => {
		await broker?.stop();
		await vendor?.stop();
		await db?.drop();
	});

	it("the intent assist's call is reserved, settled and written to the ledger beside the answer", async () => {
		// No cue to any intent: the local model is unsure (checked), so the assist asks the cheapest live model first.
		const request = "the stuff";
		const local = classifyIntent(request);
		assert.ok(local.confidence < assistBelow, `precondition: the local model should be unsure (${local.confidence})`);
		const res = await call(base, "/api/orchestrate", secret, { request, options: { cache: false } });
		assert.equal(res.status, 200, res.text);
		assert.ok(res.body.intent_assist_cost_usd > 0, `the assist was paid for: ${res.text}`);
		const spend = (await call(base, "/api/spend", secret)).body;
		assert.equal(spend.requests, 2, JSON.stringify(spend));
		assert.equal(vendor.completions.length, 2, "the warm-up reached no vendor");
		assert.ok(
			spend.by_model.some((m: { model: string }) => m.model === "gpt-4.1-nano"),
			JSON.stringify(spend.by_model),
		);
		assert.ok(Math.abs(spend.spent_usd - res.body.cost_usd) < 2e-6, `ledger ${spend.spent_usd} USD, answer ${res.body.cost_usd} USD`);
	});
});
