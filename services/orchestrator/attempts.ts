import type { Attempt } from "../../lib/types";

/** Fallbacks of a request: each move to another model or provider service, with why the previous one failed. */
export function fallbackEdges(attempts: Attempt[]): { from: string; to: string; reason: string }[] {
	const edges: { from: string; to: string; reason: string }[] = [];
	for (let i = 1; i < attempts.length; i++) {
		const prev = attempts[i - 1];
		const cur = attempts[i];
		if (prev.model === cur.model && prev.provider === cur.provider) continue; // a retry, not a fallback
		edges.push({ from: prev.model, to: cur.model, reason: prev.reason ?? "error" });
	}
	return edges;
}
