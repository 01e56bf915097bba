/**
 * Token benchmark: every request of requests-dev.jsonl (and MT-Bench's first turns) through the
 * real analysis pipeline (orchestrator.analyze = orchestrate in dry run), then per intent, per tier
 * and overall: input-token reduction, cost reduction and key-term retention against the fixed
 * baseline (request + whole context verbatim, one user message, complex tier's preferred model,
 * output priced at the same max_tokens). Then the ceiling on the same requests
 * (scripts/eval/ceiling.ts): the best any optimizer could reach under that baseline, using the labels.
 *
 *   npm run bench:tokens [-- --json]      DATA_DIR=path/to/shared/data (default ../shared/data)
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { ServiceBroker } from "moleculer";
import { ConfigError, loadConfig, type Config } from "../lib/config";
import { createBroker } from "../lib/runner";
import type { Analysis } from "../lib/contracts";
import { ceilingOf } from "./eval/ceiling";
import { loadIntentMix, mixLine, mixWeightedRatio } from "./eval/intent-mix";
import { scriptArgs } from "./cli-args";

interface Row {
	id: string;
	request: string;
	context?: Record<string, unknown>;
	intent: string;
	complexity: string;
	tool_answerable?: boolean;
	key_terms?: string[];
}

interface Totals {
	n: number;
	tool_routes: number;
	input_tokens: number;
	baseline_input_tokens: number;
	cost_usd: number;
	baseline_cost_usd: number;
	key_terms: number;
	key_terms_kept: number;
	/** Requests whose chosen model is the baseline model itself: only their input tokens can be saved. */
	on_baseline_model: number;
	on_baseline_model_baseline_cost_usd: number;
}

const empty = (): Totals => ({
	n: 0,
	tool_routes: 0,
	input_tokens: 0,
	baseline_input_tokens: 0,
	cost_usd: 0,
	baseline_cost_usd: 0,
	key_terms: 0,
	key_terms_kept: 0,
	on_baseline_model: 0,
	on_baseline_model_baseline_cost_usd: 0,
});

function readJsonl<T>(path: string): T[] {
	return readFileSync(path, "utf8")
		.split("\n")
		.filter(l => l.trim())
		.map((l, i) => {
			try {
				return JSON.parse(l) as T;
			} catch (err) {
				throw new Error(`${path}:${i + 1}: not JSON (${(err as Error).message})`);
			}
		});
}

/** Every string inside a tool's arguments, where a key term may also survive. */
function strings(value: unknown): string[] {
	if (typeof value === "string") return [value];
	if (Array.isArray(value)) return value.flatMap(strings);
	if (value && typeof value === "object") return Object.values(value).flatMap(strings);
	return [];
}

/** Set in main() once config.yaml is read: the complex tier's preferred model prices the baseline. */
let BASELINE_MODEL = "";

function add(t: Totals, a: Analysis, keyTerms: string[]) {
	t.n++;
	if (a.model === BASELINE_MODEL && (a.route.kind === "llm" || a.route.then_llm)) {
		t.on_baseline_model++;
		t.on_baseline_model_baseline_cost_usd += a.baseline_cost_usd;
	}
	if (a.route.kind === "mcp" && !a.route.then_llm) t.tool_routes++;
	t.input_tokens += a.input_tokens;
	t.baseline_input_tokens += a.baseline_input_tokens;
	t.cost_usd += a.estimated_cost_usd;
	t.baseline_cost_usd += a.baseline_cost_usd;
	const haystack = [a.optimized_prompt, ...strings(a.route.arguments)];
	t.key_terms += keyTerms.length;
	t.key_terms_kept += keyTerms.filter(k => haystack.some(h => h.includes(k))).length;
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
/** Share of `base` saved by `x`; null when there is no base to save from. */
const reduction = (x: number, base: number) => (base ? round(1 - x / base) : null);

function summary(t: Totals) {
	return {
		n: t.n,
		tool_routes: t.tool_routes,
		input_tokens: t.input_tokens,
		baseline_input_tokens: t.baseline_input_tokens,
		input_token_reduction: reduction(t.input_tokens, t.baseline_input_tokens),
		cost_usd: round(t.cost_usd, 6),
		baseline_cost_usd: round(t.baseline_cost_usd, 6),
		cost_reduction: reduction(t.cost_usd, t.baseline_cost_usd),
		key_terms: t.key_terms,
		key_term_retention: t.key_terms ? round(t.key_terms_kept / t.key_terms) : null,
		on_baseline_model: t.on_baseline_model,
		on_baseline_model_share_of_baseline_cost: t.baseline_cost_usd ? round(t.on_baseline_model_baseline_cost_usd / t.baseline_cost_usd) : null,
	};
}

const ROOT = resolve(__dirname, "..");

/**
 * The attached-files workload: where IDE agents spend their tokens. Built from this repository's
 * own source at run time, so nothing in it is chosen by hand: for every source file under lib/
 * and services/ that exports a function, one request names that function (three phrasings in
 * turn) and attaches every file of the same folder, as an agent attaches the open files.
 */
function attachedFilesWorkload(): Row[] {
	const files: string[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir).sort()) {
			const full = join(dir, entry);
			if (statSync(full).isDirectory()) walk(full);
			else if (entry.endsWith(".ts")) files.push(full);
		}
	};
	["lib", "services"].forEach(d => walk(join(ROOT, d)));
	const phrasings = [
		(n: string) => `Can you explain what \`${n}\` does and when it is called?`,
		(n: string) => `${n} gives a wrong result for an empty input, please fix it`,
		(n: string) => `where is ${n} used, and is every caller handling its errors?`,
	];
	const rows: Row[] = [];
	for (const file of files) {
		const name = /^export (?:async )?function (\w+)/m.exec(readFileSync(file, "utf8"))?.[1];
		if (!name) continue;
		const folder = dirname(file);
		const attached = files.filter(f => dirname(f) === folder).map(f => ({ path: relative(ROOT, f), content: readFileSync(f, "utf8") }));
		rows.push({
			id: relative(ROOT, file),
			request: phrasings[rows.length % phrasings.length](name),
			context: { files: attached },
			intent: "-",
			complexity: "-",
			key_terms: [name],
		});
	}
	return rows;
}

/**
 * The MCP services connect in the background; tool routes need them connected, or the first requests
 * would go to the LLM and the figures would depend on how fast the servers started.
 */
async function mcpConnected(broker: ServiceBroker, config: Config, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (const name of Object.keys(config.mcp_services).filter(n => config.mcp_services[n].enabled)) {
		await broker.waitForServices([`mcp.${name}`], timeoutMs);
		for (;;) {
			// Listen before asking, so a change between the two is not missed.
			const changed = new Promise(r => broker.localBus.once("$services.changed", r));
			if ((await broker.call<{ connected: boolean }, unknown>(`mcp.${name}.status`, {})).connected) break;
			if (Date.now() > deadline) throw new Error(`mcp.${name} did not connect within ${timeoutMs} ms`);
			await Promise.race([changed, new Promise(r => setTimeout(r, deadline - Date.now()).unref())]);
		}
	}
}

/** The ceiling (scripts/eval/ceiling.ts) summed over requests-dev, against the same baseline sums. */
interface Ceiling {
	n: number;
	tool_answerable: number;
	labeled_complex: number;
	baseline_input_tokens: number;
	baseline_cost_usd: number;
	pruned_input_tokens: number;
	bare_input_tokens: number;
	cost_usd: number;
}

function ceilingSummary(c: Ceiling) {
	return {
		n: c.n,
		tool_answerable: c.tool_answerable,
		labeled_complex: c.labeled_complex,
		baseline_input_tokens: c.baseline_input_tokens,
		input_tokens_pruned_context: c.pruned_input_tokens,
		input_token_reduction_pruned_context: reduction(c.pruned_input_tokens, c.baseline_input_tokens),
		input_tokens_no_context: c.bare_input_tokens,
		input_token_reduction_no_context: reduction(c.bare_input_tokens, c.baseline_input_tokens),
		baseline_cost_usd: round(c.baseline_cost_usd, 6),
		cost_usd: round(c.cost_usd, 6),
		cost_reduction: reduction(c.cost_usd, c.baseline_cost_usd),
	};
}

const pct = (x: number | null) => (x === null ? "n/a" : `${(x * 100).toFixed(1)}%`);

/**
 * The savings on requests-dev re-weighted per labeled intent: uniform (each intent counts the same,
 * as the 40-per-intent workload does) and in the realistic mix of data/intent-mix/ (weighting only).
 */
function mixWeighted(byIntent: Map<string, Totals>) {
	const groups = Object.fromEntries(byIntent);
	const mix = loadIntentMix();
	const figures = (shares: Record<string, number>) => {
		const ratio = (num: (t: Totals) => number, den: (t: Totals) => number) => {
			const r = mixWeightedRatio(groups, shares, num, den);
			return r === null ? null : round(r);
		};
		const saved = (x: (t: Totals) => number, base: (t: Totals) => number) => {
			const r = ratio(x, base);
			return r === null ? null : round(1 - r);
		};
		return {
			input_token_reduction: saved(
				t => t.input_tokens,
				t => t.baseline_input_tokens,
			),
			cost_reduction: saved(
				t => t.cost_usd,
				t => t.baseline_cost_usd,
			),
			key_term_retention: ratio(
				t => t.key_terms_kept,
				t => t.key_terms,
			),
			tool_route_share: ratio(
				t => t.tool_routes,
				t => t.n,
			),
		};
	};
	const uniform = figures(Object.fromEntries([...byIntent.keys()].map(k => [k, 1 / byIntent.size])));
	const realistic = figures(mix.shares);
	const lines = [
		`Re-weighted per labeled intent (weighting only): uniform, and the realistic mix ${mixLine(mix)}`,
		`${"mix".padEnd(10)} ${"in-red".padStart(7)} ${"cost-red".padStart(8)} ${"key terms".padStart(9)} ${"tool routes".padStart(11)}`,
		...(
			[
				["uniform", uniform],
				["realistic", realistic],
			] as const
		).map(
			([name, f]) =>
				`${name.padEnd(10)} ${pct(f.input_token_reduction).padStart(7)} ${pct(f.cost_reduction).padStart(8)} ${pct(f.key_term_retention).padStart(9)} ${pct(f.tool_route_share).padStart(11)}`,
		),
	];
	return { text: lines.join("\n"), json: { shares: mix.shares, dropped: round(mix.dropped), source: mix.source, uniform, realistic } };
}

function table(title: string, groups: [string, Totals][]) {
	const lines = [
		title,
		`${"group".padEnd(10)} ${"n".padStart(4)} ${"tools".padStart(5)} ${"input".padStart(7)} ${"baseline".padStart(8)} ${"in-red".padStart(7)} ${"cost $".padStart(9)} ${"base $".padStart(9)} ${"cost-red".padStart(8)} ${"key terms".padStart(13)}`,
	];
	for (const [name, t] of groups) {
		const s = summary(t);
		lines.push(
			`${name.padEnd(10)} ${String(s.n).padStart(4)} ${String(s.tool_routes).padStart(5)} ${String(s.input_tokens).padStart(7)} ${String(s.baseline_input_tokens).padStart(8)} ${pct(s.input_token_reduction).padStart(7)} ${s.cost_usd.toFixed(4).padStart(9)} ${s.baseline_cost_usd.toFixed(4).padStart(9)} ${pct(s.cost_reduction).padStart(8)} ${`${pct(s.key_term_retention)} of ${s.key_terms}`.padStart(13)}`,
		);
	}
	return lines.join("\n");
}

async function main() {
	const { values } = scriptArgs(
		`npm run bench:tokens [-- --json] [-- --strategy=default|llm]\n  Tokens and dollars of the pipeline against the baseline on the labeled requests (DATA_DIR for the evaluation mixes).`,
		{ json: { type: "boolean", default: false }, strategy: { type: "string", default: "default" } },
	);
	const dataDir = resolve(process.env.DATA_DIR || join(__dirname, "..", "..", "shared", "data"));
	const requestsPath = join(dataDir, "requests-dev.jsonl");
	if (!existsSync(requestsPath)) {
		console.error(
			`bench:tokens: ${requestsPath} not found. The data sets live in the project's shared/ folder next to the repository ` +
				`(shared/data/requests-dev.jsonl, shared/data/mt_bench/question.jsonl); set DATA_DIR to that data folder.`,
		);
		process.exit(2);
	}
	const config = loadConfig();
	BASELINE_MODEL = config.tiers.complex.preferred;
	const rows = readJsonl<Row>(requestsPath);
	const mtPath = join(dataDir, "mt_bench", "question.jsonl");
	const mt = existsSync(mtPath) ? readJsonl<{ question_id: number; turns: string[] }>(mtPath) : [];

	const broker = createBroker({
		exclude: ["gateway"],
		env: { ...process.env, METRICS_PORT: "off", LOGLEVEL: process.env.LOGLEVEL ?? "warn", TRANSPORTER: "", NAMESPACE: `bench-${process.pid}` },
	});
	await broker.start();
	try {
		await broker.waitForServices(["orchestrator"], 30_000);
		await mcpConnected(broker, loadConfig());
		const options = { dry_run: true, cache: false, prompt_strategy: values.strategy };
		const byIntent = new Map<string, Totals>();
		const byTier = new Map<string, Totals>();
		const overall = empty();
		const lost: { id: string; terms: string[] }[] = [];
		const ceiling: Ceiling = {
			n: 0,
			tool_answerable: 0,
			labeled_complex: 0,
			baseline_input_tokens: 0,
			baseline_cost_usd: 0,
			pruned_input_tokens: 0,
			bare_input_tokens: 0,
			cost_usd: 0,
		};
		for (const row of rows) {
			const a = await broker.call<Analysis, unknown>("orchestrator.analyze", { request: row.request, context: row.context, options });
			const best = ceilingOf(row, config.models[BASELINE_MODEL], a.max_tokens);
			ceiling.n++;
			ceiling.tool_answerable += row.tool_answerable ? 1 : 0;
			ceiling.labeled_complex += row.complexity === "complex" ? 1 : 0;
			ceiling.baseline_input_tokens += a.baseline_input_tokens;
			ceiling.baseline_cost_usd += a.baseline_cost_usd;
			ceiling.pruned_input_tokens += best.pruned_input_tokens;
			ceiling.bare_input_tokens += best.bare_input_tokens;
			ceiling.cost_usd += best.cost_usd;
			const terms = row.key_terms ?? [];
			for (const [map, key] of [
				[byIntent, row.intent],
				[byTier, row.complexity],
			] as const) {
				if (!map.has(key)) map.set(key, empty());
				add(map.get(key)!, a, terms);
			}
			add(overall, a, terms);
			const haystack = [a.optimized_prompt, ...strings(a.route.arguments)];
			const missing = terms.filter(k => !haystack.some(h => h.includes(k)));
			if (missing.length) lost.push({ id: row.id, terms: missing });
		}
		const mtTotals = empty();
		for (const q of mt) {
			const a = await broker.call<Analysis, unknown>("orchestrator.analyze", { request: q.turns[0], options });
			add(mtTotals, a, []);
		}
		const ide = attachedFilesWorkload();
		const ideTotals = empty();
		for (const row of ide) {
			const a = await broker.call<Analysis, unknown>("orchestrator.analyze", { request: row.request, context: row.context, options });
			add(ideTotals, a, row.key_terms ?? []);
		}
		const order = (m: Map<string, Totals>, keys: string[]) => keys.filter(k => m.has(k)).map(k => [k, m.get(k)!] as [string, Totals]);
		const intents = order(byIntent, ["READ", "WRITE", "SEARCH", "ANALYZE", "MANAGE"]);
		const tiers = order(byTier, ["simple", "moderate", "complex"]);
		console.log(`Token benchmark, dry run, prompt_strategy ${values.strategy}; ${rows.length} requests from ${requestsPath}`);
		console.log("Groups use the data set's labels; routing, tiers and prices come from the pipeline's own predictions.");
		console.log("Baseline: request + whole context (compact JSON) as one user message to the complex tier's preferred model, same max_tokens.\n");
		console.log(table("by intent", intents));
		console.log();
		console.log(table("by labeled tier", tiers));
		console.log();
		console.log(table("overall", [["all", overall]]));
		const mixed = mixWeighted(byIntent);
		console.log();
		console.log(mixed.text);
		const o = summary(overall);
		console.log(
			`${o.on_baseline_model} of ${o.n} requests run on the baseline model itself (${BASELINE_MODEL}, the complex tier's preferred model): ` +
				`${pct(o.on_baseline_model_share_of_baseline_cost)} of the baseline cost, of which only input tokens can be saved.`,
		);
		const c = ceilingSummary(ceiling);
		console.log();
		console.log(
			[
				"Ceiling on the same requests (not a result: what no optimizer can beat under this baseline; it uses the labels, scripts/eval/ceiling.ts)",
				`  input: the ${c.tool_answerable} requests labeled tool_answerable at 0 tokens, every other one sent as its key_terms alone, no system prompt`,
				`    with the context pruned as today: ${c.input_tokens_pruned_context} of ${c.baseline_input_tokens} baseline tokens = ${pct(c.input_token_reduction_pruned_context)} reduction (target 70%)`,
				`    with no context at all:           ${c.input_tokens_no_context} of ${c.baseline_input_tokens} baseline tokens = ${pct(c.input_token_reduction_no_context)} reduction`,
				`  cost: the ${c.labeled_complex} requests labeled complex on ${BASELINE_MODEL} at the same max_tokens (input shrunk as above), every other request free:`,
				`    ${c.cost_usd.toFixed(4)} of ${c.baseline_cost_usd.toFixed(4)} USD = ${pct(c.cost_reduction)} reduction (target 80%)`,
			].join("\n"),
		);
		if (mt.length) {
			console.log();
			console.log(table(`MT-Bench first turns (${mtPath}; no key terms)`, [["mt-bench", mtTotals]]));
		}
		console.log();
		console.log(
			table(
				`Attached-files workload (${ide.length} requests built from this repository's lib/ and services/: each names one exported function and attaches every file of its folder; not part of the targets)`,
				[["attached", ideTotals]],
			),
		);
		if (lost.length) console.log(`\nkey terms lost: ${lost.map(l => `${l.id} ${JSON.stringify(l.terms)}`).join("; ")}`);
		if (values.json) {
			const obj = {
				data: requestsPath,
				strategy: values.strategy,
				overall: summary(overall),
				by_intent: Object.fromEntries(intents.map(([k, t]) => [k, summary(t)])),
				by_tier: Object.fromEntries(tiers.map(([k, t]) => [k, summary(t)])),
				intent_mix: mixed.json,
				mt_bench_first_turns: mt.length ? summary(mtTotals) : null,
				attached_files_workload: summary(ideTotals),
				key_terms_lost: lost,
				ceiling: c,
			};
			console.log(JSON.stringify(obj));
		}
	} finally {
		await broker.stop();
	}
}

main().catch(err => {
	// A bad or missing config.yaml is the user's to fix: its message, not a stack.
	if (err instanceof ConfigError) {
		console.error(`bench:tokens: ${err.message} (run from the repository root, or set CONFIG)`);
		process.exit(2);
	}
	console.error(`bench:tokens failed: ${(err as Error).stack ?? err}`);
	process.exit(1);
});
