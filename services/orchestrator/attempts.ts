import type { Attempt, RequestRecord } from "../../lib/contracts";

/**
 * Fallbacks of a request: each move to another model or provider service, with why the previous one
 * failed. A model no live provider serves was never tried: skipping it is not a fallback (with nothing
 * configured, every request would otherwise count as several).
 */
export function fallbackEdges(all: Attempt[]): { from: string; to: string; reason: string }[] {
	const attempts = all.filter(a => a.reason !== "no_provider");
	const edges: { from: string; to: string; reason: string }[] = [];
	for (let i = 1; i < attempts.length; i++) {
		const prev = attempts[i - 1];
		const cur = attempts[i];
		if (prev.model === cur.model && prev.provider === cur.provider) continue; // a retry, not a fallback
		edges.push({ from: prev.model, to: cur.model, reason: prev.reason ?? "error" });
	}
	return edges;
}

/**
 * The model a finished request is counted under in the metrics: the one that answered (or, cancelled, the one its
 * cancelled call was sent to), else the last one a provider was actually asked (a failed request no provider could take
 * is credited to none).
 */
export function creditedModel(status: RequestRecord["status"], model: string | null, attempts: Attempt[]): string | null {
	if (status === "ok" || status === "dry_run") return model;
	// A call cancelled after it reached its vendor is credited to that model (its cost is counted, lib/cancel.ts).
	if (status === "cancelled" && model) return model;
	const tried = attempts.filter(a => a.reason !== "no_provider");
	return tried.length ? tried[tried.length - 1].model : null;
}
