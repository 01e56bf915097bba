import type { RequestRecord } from "../../lib/contracts";
import type { OpenCircuit } from "./circuits";

export const PERIODS = { "1m": 60_000, "5m": 300_000, "1h": 3_600_000, "1d": 86_400_000 } as const;
export type Period = keyof typeof PERIODS;

/** Windows answered from the per-second rollups; longer ones from per-minute rollups. */
export const SHORT_PERIODS: readonly Period[] = ["1m", "5m"];
export const ROLLUP_MS = 60_000;

/** Points in the time series of a window, for the status page charts. */
export const SERIES_POINTS = 30;

/** Latency histogram of the rollups: bucket i holds (1.1^(i-1), 1.1^i] ms, so a percentile read from it is at most 10% high. */
export const LATENCY_FACTOR = 1.1;

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
	if (!sorted.length) return 0;
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
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
	const r = fold(records);
	return hitRate(r);
}

export const hitRate = (r: Pick<Rollup, "llm" | "cached">) => (r.llm ? round(r.cached / r.llm, 4) : 0);

/**
 * Everything get_metrics reports about a set of requests, in a form that adds up: a metrics node
 * keeps one per minute for a day, and a cluster's answer is the sum of its nodes'.
 */
export interface Rollup {
	/** Start of the minute (or of the series point) it covers, ms since epoch. */
	t: number;
	requests: number;
	by_intent: Record<string, number>;
	by_complexity: Record<string, number>;
	by_route: Record<string, number>;
	by_model: Record<string, number>;
	by_status: Record<string, number>;
	/** Requests by the caller's key name ("none" on an open gateway or stdio). */
	by_key: Record<string, number>;
	input_tokens: number;
	output_tokens: number;
	saved_tokens: number;
	cost_usd: number;
	saved_usd: number;
	/** Executed requests that needed an LLM answer, and those of them served from the cache. */
	llm: number;
	cached: number;
	fallbacks: number;
	fallbacks_by_reason: Record<string, number>;
	/** Sparse latency histogram: bucket index (see LATENCY_FACTOR) -> requests. */
	latency: Record<string, number>;
}

export function emptyRollup(t: number): Rollup {
	return {
		t,
		requests: 0,
		by_intent: {},
		by_complexity: {},
		by_route: {},
		by_model: {},
		by_status: {},
		by_key: {},
		input_tokens: 0,
		output_tokens: 0,
		saved_tokens: 0,
		cost_usd: 0,
		saved_usd: 0,
		llm: 0,
		cached: 0,
		fallbacks: 0,
		fallbacks_by_reason: {},
		latency: {},
	};
}

export function latencyBucket(ms: number): number {
	return ms <= 1 ? 0 : Math.ceil(Math.log(ms) / Math.log(LATENCY_FACTOR));
}

const bump = (m: Record<string, number>, k: string, n = 1) => {
	m[k] = (m[k] ?? 0) + n;
};

/** `saved` and `bucket` (savings(r), its latency bucket's key) may be given by a caller that adds one record to several rollups. */
export function addRecord(into: Rollup, r: RequestRecord, saved = savings(r), bucket = String(latencyBucket(r.latency_ms))): Rollup {
	into.requests++;
	bump(into.by_intent, r.intent);
	bump(into.by_complexity, r.complexity);
	bump(into.by_route, r.route);
	bump(into.by_model, r.model ?? "none");
	bump(into.by_status, r.status);
	bump(into.by_key, r.key || "none");
	into.input_tokens += r.input_tokens;
	into.output_tokens += r.output_tokens;
	into.saved_tokens += saved.tokens;
	into.cost_usd += r.cost_usd;
	into.saved_usd += saved.usd;
	if (r.llm && r.status !== "dry_run") {
		into.llm++;
		if (r.cached) into.cached++;
	}
	into.fallbacks += r.fallbacks.length;
	for (const f of r.fallbacks) bump(into.fallbacks_by_reason, f.reason);
	bump(into.latency, bucket);
	return into;
}

export function mergeRollup(into: Rollup, from: Rollup): Rollup {
	into.requests += from.requests;
	for (const k of ["by_intent", "by_complexity", "by_route", "by_model", "by_status", "by_key", "fallbacks_by_reason", "latency"] as const) {
		// A peer running an older version has no by_key.
		for (const [key, n] of Object.entries(from[k] ?? {})) bump((into[k] ??= {}), key, n);
	}
	for (const k of ["input_tokens", "output_tokens", "saved_tokens", "cost_usd", "saved_usd", "llm", "cached", "fallbacks"] as const) into[k] += from[k];
	return into;
}

export function fold(records: RequestRecord[], t = 0): Rollup {
	const into = emptyRollup(t);
	for (const r of records) addRecord(into, r);
	return into;
}

/** Nearest-rank percentile read from a latency histogram: the upper edge of the bucket holding the rank. */
export function histogramPercentile(hist: Record<string, number>, p: number): number {
	const buckets = Object.entries(hist)
		.map(([i, n]) => [Number(i), n] as const)
		.sort((a, b) => a[0] - b[0]);
	const total = buckets.reduce((s, [, n]) => s + n, 0);
	if (!total) return 0;
	const rank = Math.max(1, Math.ceil((p / 100) * total));
	let seen = 0;
	for (const [i, n] of buckets) {
		seen += n;
		if (seen >= rank) return i === 0 ? 1 : Math.round(LATENCY_FACTOR ** i);
	}
	return 0;
}

export interface SeriesPoint {
	/** Start of the point's interval, ms since epoch. */
	t: number;
	requests: number;
	errors: number;
	p95_ms: number;
	tokens_saved: number;
	cost_saved_usd: number;
}

export interface SummaryExtra {
	open_circuits?: OpenCircuit[];
	now?: number;
	/** Metrics nodes whose records are in the figures, and those that did not answer. */
	nodes?: { reporting: string[]; missing: string[] };
}

/** Index of the series point a time falls in, or -1 outside the window (the newest edge counts in). */
function pointIndex(ts: number, start: number, width: number): number {
	const i = Math.floor((ts - start) / width);
	if (i === SERIES_POINTS) return SERIES_POINTS - 1;
	return i >= 0 && i < SERIES_POINTS ? i : -1;
}

function point(r: Rollup, p95: number): SeriesPoint {
	return {
		t: Math.round(r.t),
		requests: r.requests,
		errors: r.by_status.error ?? 0,
		p95_ms: p95,
		tokens_saved: r.saved_tokens,
		cost_saved_usd: round(r.saved_usd),
	};
}

/** The get_metrics answer from the window's aggregate, its latency percentiles and its series. */
function assemble(period: Period, agg: Rollup, latency: { p50: number; p95: number; p99: number }, points: SeriesPoint[], width: number, extra: SummaryExtra) {
	const ok = agg.by_status.ok ?? 0;
	const executed = ok + (agg.by_status.error ?? 0);
	return {
		period,
		requests: {
			total: agg.requests,
			by_intent: agg.by_intent,
			by_complexity: agg.by_complexity,
			by_route: agg.by_route,
			by_model: agg.by_model,
			by_status: agg.by_status,
			by_key: agg.by_key,
		},
		// Over executed requests; a dry run neither succeeds nor fails.
		success_rate: executed ? round(ok / executed, 4) : 1,
		latency_ms: latency,
		tokens: { input: agg.input_tokens, output: agg.output_tokens, saved: agg.saved_tokens },
		cost_usd: round(agg.cost_usd),
		cost_saved_usd: round(agg.saved_usd),
		cache_hit_rate: hitRate(agg),
		fallbacks: agg.fallbacks,
		fallbacks_by_reason: agg.fallbacks_by_reason,
		open_circuits: extra.open_circuits ?? [],
		series: { bucket_ms: width, points },
		nodes: extra.nodes ?? { reporting: [], missing: [] },
	};
}

/** The get_metrics answer for a short window, from the raw records of every node: exact percentiles. */
export function summarize(records: RequestRecord[], period: Period, extra: SummaryExtra = {}) {
	const now = extra.now ?? Date.now();
	const span = PERIODS[period];
	const start = now - span;
	const width = span / SERIES_POINTS;
	const inWindow = records.filter(r => r.ts >= start && r.ts <= now);
	const buckets: RequestRecord[][] = Array.from({ length: SERIES_POINTS }, () => []);
	for (const r of inWindow) {
		const i = pointIndex(r.ts, start, width);
		if (i >= 0) buckets[i].push(r);
	}
	const sorted = (rs: RequestRecord[]) => rs.map(r => r.latency_ms).sort((a, b) => a - b);
	const all = sorted(inWindow);
	const points = buckets.map((rs, i) => point(fold(rs, start + i * width), percentile(sorted(rs), 95)));
	return assemble(period, fold(inWindow), { p50: percentile(all, 50), p95: percentile(all, 95), p99: percentile(all, 99) }, points, width, extra);
}

/**
 * The get_metrics answer for a window, from the rollups of every node (per-second ones for the short
 * windows, per-minute ones for the long). The window is whole buckets of `rollupMs` (the one in
 * progress included) and percentiles come from the histogram (≤10% high).
 */
export function summarizeRollups(rollups: Rollup[], period: Period, extra: SummaryExtra = {}, rollupMs: number = ROLLUP_MS) {
	const now = extra.now ?? Date.now();
	const span = PERIODS[period];
	const start = now - span;
	const width = span / SERIES_POINTS;
	const inWindow = rollups.filter(r => r.t + rollupMs > start && r.t <= now);
	const agg = inWindow.reduce(mergeRollup, emptyRollup(start));
	const pts = Array.from({ length: SERIES_POINTS }, (_, i) => emptyRollup(start + i * width));
	for (const r of inWindow) {
		// A bucket straddling the window's start counts in its first point.
		const i = r.t < start ? 0 : pointIndex(r.t, start, width);
		if (i >= 0) mergeRollup(pts[i], r);
	}
	const latency = { p50: histogramPercentile(agg.latency, 50), p95: histogramPercentile(agg.latency, 95), p99: histogramPercentile(agg.latency, 99) };
	return assemble(
		period,
		agg,
		latency,
		pts.map(p => point(p, histogramPercentile(p.latency, 95))),
		width,
		extra,
	);
}

export type MetricsSummary = ReturnType<typeof summarize>;
