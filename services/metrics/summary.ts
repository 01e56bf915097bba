import type { RequestRecord } from "../orchestrator.service";
import type { OpenCircuit } from "./circuits";

export const PERIODS = { "1m": 60_000, "5m": 300_000, "1h": 3_600_000, "1d": 86_400_000 } as const;
export type Period = keyof typeof PERIODS;

/** Points in the time series of a window, for the status page charts. */
export const SERIES_POINTS = 30;

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
	if (!sorted.length) return 0;
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function countBy(records: RequestRecord[], key: (r: RequestRecord) => string | null): Record<string, number> {
	const out: Record<string, number> = {};
	for (const r of records) {
		const k = key(r) ?? "none";
		out[k] = (out[k] ?? 0) + 1;
	}
	return out;
}

const round = (x: number, digits = 6) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Input tokens and dollars a request saved against sending the raw request to the baseline model. Failed and dry runs saved nothing. */
export function savings(r: RequestRecord): { tokens: number; usd: number } {
	if (r.status !== "ok") return { tokens: 0, usd: 0 };
	return { tokens: Math.max(0, r.baseline_input_tokens - r.input_tokens), usd: Math.max(0, r.baseline_cost_usd - r.cost_usd) };
}

/**
 * Share of the requests that needed an LLM answer and got it from the completion cache. Dry runs
 * and tool-answered requests never consult it, so they are left out of both sides.
 */
export function cacheHitRate(records: RequestRecord[]): number {
	const llm = records.filter(r => r.llm && r.status !== "dry_run");
	return llm.length ? round(llm.filter(r => r.cached).length / llm.length, 4) : 0;
}

export interface SeriesPoint {
	/** Start of the bucket, ms since epoch. */
	t: number;
	requests: number;
	errors: number;
	p95_ms: number;
	tokens_saved: number;
	cost_saved_usd: number;
}

/** The window cut into SERIES_POINTS equal buckets, oldest first. */
export function series(records: RequestRecord[], period: Period, now: number): { bucket_ms: number; points: SeriesPoint[] } {
	const span = PERIODS[period];
	const bucket = span / SERIES_POINTS;
	const start = now - span;
	const buckets: RequestRecord[][] = Array.from({ length: SERIES_POINTS }, () => []);
	for (const r of records) {
		const i = Math.floor((r.ts - start) / bucket);
		if (i >= 0 && i < SERIES_POINTS) buckets[i].push(r);
		else if (i === SERIES_POINTS) buckets[SERIES_POINTS - 1].push(r);
	}
	const points = buckets.map((rs, i) => {
		const saved = rs.map(savings);
		return {
			t: Math.round(start + i * bucket),
			requests: rs.length,
			errors: rs.filter(r => r.status === "error").length,
			p95_ms: percentile(
				rs.map(r => r.latency_ms).sort((a, b) => a - b),
				95,
			),
			tokens_saved: saved.reduce((s, x) => s + x.tokens, 0),
			cost_saved_usd: round(saved.reduce((s, x) => s + x.usd, 0)),
		};
	});
	return { bucket_ms: bucket, points };
}

export interface SummaryExtra {
	open_circuits?: OpenCircuit[];
	now?: number;
	/** Metrics nodes whose records are in the figures, and those that did not answer. */
	nodes?: { reporting: string[]; missing: string[] };
}

/** The get_metrics answer for one window, from the records of every node. */
export function summarize(records: RequestRecord[], period: Period, extra: SummaryExtra = {}) {
	const now = extra.now ?? Date.now();
	const inWindow = records.filter(r => r.ts >= now - PERIODS[period] && r.ts <= now);
	const finished = inWindow.filter(r => r.status !== "dry_run");
	const ok = finished.filter(r => r.status === "ok");
	const latencies = inWindow.map(r => r.latency_ms).sort((a, b) => a - b);
	const sum = (f: (r: RequestRecord) => number) => inWindow.reduce((s, r) => s + f(r), 0);
	const saved = inWindow.map(savings);
	const fallbackReasons: Record<string, number> = {};
	for (const r of inWindow) for (const f of r.fallbacks) fallbackReasons[f.reason] = (fallbackReasons[f.reason] ?? 0) + 1;
	return {
		period,
		requests: {
			total: inWindow.length,
			by_intent: countBy(inWindow, r => r.intent),
			by_complexity: countBy(inWindow, r => r.complexity),
			by_route: countBy(inWindow, r => r.route),
			by_model: countBy(inWindow, r => r.model),
			by_status: countBy(inWindow, r => r.status),
		},
		// Over executed requests; a dry run neither succeeds nor fails.
		success_rate: finished.length ? round(ok.length / finished.length, 4) : 1,
		latency_ms: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) },
		tokens: {
			input: sum(r => r.input_tokens),
			output: sum(r => r.output_tokens),
			saved: saved.reduce((s, x) => s + x.tokens, 0),
		},
		cost_usd: round(sum(r => r.cost_usd)),
		cost_saved_usd: round(saved.reduce((s, x) => s + x.usd, 0)),
		cache_hit_rate: cacheHitRate(inWindow),
		fallbacks: inWindow.reduce((n, r) => n + r.fallbacks.length, 0),
		fallbacks_by_reason: fallbackReasons,
		open_circuits: extra.open_circuits ?? [],
		series: series(inWindow, period, now),
		nodes: extra.nodes ?? { reporting: [], missing: [] },
	};
}

export type MetricsSummary = ReturnType<typeof summarize>;
