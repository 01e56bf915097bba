/**
 * What the REPL's project commands print, as rows of text: pure functions of what the cluster
 * answered, so they test without a broker or a terminal.
 */
import type { Config } from "../../lib/config";
import type { OpenCircuit } from "../../services/metrics/circuits";

export type Rows = string[][];

/** One entry of `models.catalog`: a catalog model and whether a live provider serves it. */
export interface CatalogEntry {
	id: string;
	provider: string;
	input_per_mtok: number;
	output_per_mtok: number;
	live: boolean;
}

/** Provider services up in the cluster, by provider name: service and nodes. */
export type LiveProviders = Map<string, { service: string; nodes: readonly string[] }[]>;

/** "simple (preferred), complex (fallback 2)": where the tiers of config.yaml place a model. */
export function tiersOf(config: Pick<Config, "tiers">, model: string): string {
	const places: string[] = [];
	for (const [tier, t] of Object.entries(config.tiers)) {
		if (t.preferred === model) places.push(`${tier} (preferred)`);
		const i = t.fallback.indexOf(model);
		if (i >= 0) places.push(`${tier} (fallback ${i + 1})`);
	}
	return places.join(", ") || "-";
}

/** Worst breaker state of a provider's endpoints; `undefined` circuits: the metrics service did not answer. */
export function breakerState(provider: string, circuits: OpenCircuit[] | undefined): string {
	if (!circuits) return "unknown (no metrics service)";
	const mine = circuits.filter(c => c.provider === provider);
	if (mine.some(c => c.state === "open")) return "open";
	if (mine.length) return "half-open";
	return "closed";
}

const usd = (n: number) => `$${n.toFixed(2)}`;

/** `models`: the live models, cheapest input first, with where they sit in the tiers and their breaker. */
export function modelRows(config: Pick<Config, "tiers">, catalog: CatalogEntry[], live: LiveProviders, circuits: OpenCircuit[] | undefined): Rows {
	const rows: Rows = [["model", "provider", "served by", "USD / Mtok in, out", "tier", "breaker"]];
	const liveModels = catalog.filter(m => m.live).sort((a, b) => a.input_per_mtok - b.input_per_mtok || a.id.localeCompare(b.id));
	for (const m of liveModels) {
		const servedBy = (live.get(m.provider) ?? []).map(s => `${s.service}@${s.nodes.join("+")}`).join(", ") || "-";
		rows.push([
			m.id,
			m.provider,
			servedBy,
			`${usd(m.input_per_mtok)}, ${usd(m.output_per_mtok)}`,
			tiersOf(config, m.id),
			breakerState(m.provider, circuits),
		]);
	}
	return rows;
}

/** `breakers`: every endpoint whose breaker is not closed somewhere in the cluster. */
export function breakerRows(circuits: OpenCircuit[], now = Date.now()): Rows {
	const rows: Rows = [["provider", "action", "endpoint node", "state", "seen from", "since"]];
	for (const c of circuits) rows.push([c.provider, c.action, c.node, c.state, c.seen_from.join(", "), `${Math.round((now - c.since) / 1000)} s ago`]);
	return rows;
}

/** Field names that may hold a secret: never printed, whatever the budget service answers. */
const SECRET_FIELD = /secret|token(?!s)|hash|password|api_?key$|^key$|value/i;

/**
 * `keys`: names, budgets and spend from `budget.keys`. The columns come from the answer (the budget
 * service owns its shape), minus any field whose name could carry the key itself.
 */
export function keyRows(keys: Record<string, unknown>[]): Rows {
	const columns: string[] = [];
	for (const k of keys) for (const field of Object.keys(k)) if (!SECRET_FIELD.test(field) && !columns.includes(field)) columns.push(field);
	// The name first, whatever order the answer has.
	columns.sort((a, b) => Number(b === "name") - Number(a === "name"));
	const cell = (v: unknown) => (v === undefined || v === null ? "-" : typeof v === "object" ? JSON.stringify(v) : String(v));
	return [columns, ...keys.map(k => columns.map(c => cell(k[c])))];
}

/** How `token_accounting.usage_source` reads in the tokens row. */
const USAGE_SOURCE: Record<string, string> = {
	vendor: "vendor-reported",
	estimated: "our count: the vendor reported none",
	cache: "from the cache: nothing spent",
	none: "no model was called",
};

/** `orchestrate` / `analyze`: the figures an operator looks at first, against the baseline. */
export function resultRows(r: Record<string, any>): Rows {
	const route = r.route
		? r.route.kind === "mcp"
			? `tool ${r.route.service}.${r.route.tool}`
			: `llm ${r.route.provider ?? ""} ${r.route.model ?? ""}`.trim()
		: "-";
	const rows: Rows = [
		["intent", `${r.intent} (${Number(r.intent_confidence).toFixed(2)}, ${r.intent_source ?? "model"})`],
		["tier", `${r.complexity} (score ${Number(r.complexity_score).toFixed(2)})`],
		["route", route],
		["model", r.route?.kind === "mcp" ? "none (answered by a tool)" : (r.model ?? "-")],
	];
	// A dry run (and analyze) spent nothing: its figures are the estimates, said as such, not a usage of 0.
	const spent = r.usage && !r.dry_run;
	if (r.dry_run) rows.push(["dry run", "nothing was called; the figures below are estimates"]);
	if (spent)
		rows.push([
			"tokens",
			`${r.usage.input_tokens} in, ${r.usage.output_tokens} out (${USAGE_SOURCE[r.token_accounting?.usage_source] ?? "vendor-reported"})`,
		]);
	else rows.push(["tokens", `${r.estimated_input_tokens ?? r.input_tokens} in (estimated)`]);
	rows.push(["baseline tokens", String(r.baseline_input_tokens)]);
	const cost = spent ? (r.cost_usd ?? r.estimated_cost_usd) : r.estimated_cost_usd;
	rows.push([spent && r.cost_usd !== undefined ? "cost USD" : "estimated cost USD", `${cost} (baseline ${r.baseline_cost_usd})`]);
	if (r.cached !== undefined) rows.push(["cached", String(r.cached)]);
	if (r.latency_ms !== undefined) rows.push(["latency", `${r.latency_ms} ms`]);
	if (Array.isArray(r.attempts) && r.attempts.length)
		rows.push(["attempts", r.attempts.map((a: any) => `${a.model}@${a.provider} ${a.ok ? "ok" : `failed: ${a.error ?? a.reason}`}`).join("; ")]);
	return rows;
}

/** Rows as aligned text columns, the first underlined when it is a header: what the REPL prints. */
export function renderRows(rows: Rows, header = true): string {
	const widths = rows[0].map((_, i) => Math.max(...rows.map(r => (r[i] ?? "").length)));
	const line = (r: string[]) =>
		r
			.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
			.join("  ")
			.trimEnd();
	if (!header) return rows.map(line).join("\n");
	return [line(rows[0]), widths.map(w => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}
