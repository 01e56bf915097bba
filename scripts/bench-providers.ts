/**
 * npm run bench:providers — what the provider layer costs and how fast it fails over, measured
 * through the real pipeline and the vendors' real SDKs against the local fake vendor servers
 * (test/fakes), so the figures are ours, not the network's. Prints a table; asserts nothing.
 *
 *   N=200 LLM_TIMEOUT_MS=1000 npm run bench:providers
 */
import type { ServiceBroker } from "moleculer";
import OpenAI from "openai";
import type { OrchestrateResult } from "../lib/contracts";
import type { FakeVendor } from "../test/fakes/vendor";
import { startVendors } from "../test/fixtures/vendors";
import { testBroker } from "../test/helpers";

const N = Number(process.env.N ?? 200);
const TIMEOUT_MS = process.env.LLM_TIMEOUT_MS ?? "1000";
const REQUEST = "Explain the difference between TCP and UDP in two sentences.";
const PIPELINE = ["orchestrator", "intent", "complexity", "router", "prompt", "models", "metrics", "llm-*"];

function stats(ms: number[]) {
	const s = [...ms].sort((a, b) => a - b);
	const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
	return { n: s.length, p50: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}

const fmt = (x: number) => x.toFixed(1).padStart(8);

async function timed(fn: () => Promise<unknown>): Promise<number> {
	const t = process.hrtime.bigint();
	await fn();
	return Number(process.hrtime.bigint() - t) / 1e6;
}

async function main() {
	const vendors = await startVendors();
	const { openai, anthropic, gemini } = vendors;
	const fakes: FakeVendor[] = [openai, anthropic, gemini];
	const env = { ...vendors.env, LLM_TIMEOUT_MS: TIMEOUT_MS };
	const fresh = async (): Promise<ServiceBroker> => {
		const b = testBroker({ services: PIPELINE, env, broker: { dependencyInterval: 50 } });
		await b.start();
		return b;
	};
	const orchestrate = (b: ServiceBroker, preferred: string[]) =>
		b.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request: REQUEST, options: { preferred_models: preferred, cache: false } });

	const rows: [string, ReturnType<typeof stats>][] = [];
	const sdk = new OpenAI({ apiKey: openai.apiKey, baseURL: `${openai.baseUrl}/v1`, maxRetries: 0 });
	const direct: number[] = [];
	for (let i = 0; i < N; i++)
		direct.push(await timed(() => sdk.chat.completions.create({ model: "gpt-4.1-mini", messages: [{ role: "user", content: REQUEST }] })));
	rows.push(["openai SDK straight to the fake (floor)", stats(direct)]);

	let broker = await fresh();
	for (const [label, model] of [
		["orchestrate -> llm-openai", "gpt-4.1-mini"],
		["orchestrate -> llm-anthropic", "claude-haiku-4-5"],
		["orchestrate -> llm-google", "gemini-2.5-flash"],
	] as const) {
		const ms: number[] = [];
		await orchestrate(broker, [model]); // warm-up: tokenizer ranks, SDK clients
		for (let i = 0; i < N; i++) ms.push(await timed(() => orchestrate(broker, [model])));
		rows.push([label, stats(ms)]);
	}
	const direct2: number[] = [];
	for (let i = 0; i < N; i++)
		direct2.push(await timed(() => broker.call("llm-openai.complete", { model: "gpt-4.1-mini", messages: [{ role: "user", content: REQUEST }] })));
	rows.push(["llm-openai.complete alone (broker.call)", stats(direct2)]);
	await broker.stop();

	// Failure paths: each on a fresh broker so breaker state does not carry over.
	const scenario = async (label: string, setup: () => void, runs = 5) => {
		const ms: number[] = [];
		for (let i = 0; i < runs; i++) {
			fakes.forEach(f => f.reset());
			setup();
			broker = await fresh();
			ms.push(await timed(() => orchestrate(broker, ["gpt-4.1-mini", "claude-haiku-4-5"])));
			await broker.stop();
		}
		rows.push([label, stats(ms)]);
	};
	await scenario("500 then ok: one Moleculer retry", () => openai.next({ kind: "error", status: 500 }));
	await scenario("429 retry-after 1 s then ok", () => openai.next({ kind: "error", status: 429, retryAfter: "1" }));
	await scenario("401 -> fallback to anthropic", () => openai.always({ kind: "error", status: 401 }));
	await scenario("500 x3 -> fallback to anthropic", () => openai.always({ kind: "error", status: 500 }));
	await scenario("dropped connection x3 -> fallback", () => openai.always({ kind: "drop" }));
	await scenario(`no answer x3 (LLM_TIMEOUT_MS=${TIMEOUT_MS}) -> fallback`, () => openai.always({ kind: "hang" }), 2);

	// Breaker open: the failing provider is skipped without a call.
	fakes.forEach(f => f.reset());
	openai.always({ kind: "error", status: 503 });
	broker = await fresh();
	await orchestrate(broker, ["gpt-4.1-mini", "claude-haiku-4-5"]);
	await orchestrate(broker, ["gpt-4.1-mini", "claude-haiku-4-5"]);
	const skipped: number[] = [];
	for (let i = 0; i < N; i++) skipped.push(await timed(() => orchestrate(broker, ["gpt-4.1-mini", "claude-haiku-4-5"])));
	rows.push(["breaker open: skip openai -> anthropic", stats(skipped)]);
	await broker.stop();

	console.log(`\nProvider layer against local fake vendors (ms; N=${N} for steady paths)\n`);
	console.log(`${"path".padEnd(48)}${"n".padStart(6)}${"p50".padStart(9)}${"p95".padStart(9)}${"max".padStart(9)}`);
	for (const [label, s] of rows) console.log(`${label.padEnd(48)}${String(s.n).padStart(6)} ${fmt(s.p50)} ${fmt(s.p95)} ${fmt(s.max)}`);
	await Promise.all(fakes.map(f => f.stop()));
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
