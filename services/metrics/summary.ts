import type { RequestRecord } from "../orchestrator.service";

export const PERIODS = { "1m": 60_000, "5m": 300_000, "1h": 3_600_000, "1d": 86_400_000 } as const;
export type Period = keyof typeof PERIODS;

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

/** The get_metrics answer for one window, from the records of every node. */
export function summarize(records: RequestRecord[], period: Period, extra: { open_circuits: string[] } = { open_circuits: [] }) {
	const ok = records.filter(r => r.status === "ok");
	const latencies = records.map(r => r.latency_ms).sort((a, b) => a - b);
	const sum = (f: (r: RequestRecord) => number) => records.reduce((s, r) => s + f(r), 0);
	const input = sum(r => r.input_tokens);
	const output = sum(r => r.output_tokens);
	const cost = sum(r => r.cost_usd);
	const okSum = (f: (r: RequestRecord) => number) => ok.reduce((s, r) => s + f(r), 0);
	return {
		period,
		requests: {
			total: records.length,
			by_intent: countBy(records, r => r.intent),
			by_complexity: countBy(records, r => r.complexity),
			by_route: countBy(records, r => r.route),
			by_model: countBy(records, r => r.model),
		},
		success_rate: records.length ? round(ok.length / records.length, 4) : 1,
		latency_ms: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) },
		tokens: {
			input,
			output,
			// Savings count only answered requests: a failed request saved nothing.
			saved: Math.max(0, okSum(r => r.baseline_input_tokens - r.input_tokens)),
		},
		cost_usd: round(cost),
		cost_saved_usd: round(Math.max(0, okSum(r => r.baseline_cost_usd - r.cost_usd))),
		cache_hit_rate: records.length ? round(records.filter(r => r.cached).length / records.length, 4) : 0,
		fallbacks: records.reduce((n, r) => n + r.fallbacks.length, 0),
		open_circuits: extra.open_circuits,
	};
}
