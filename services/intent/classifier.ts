import type { Intent, RequestContext } from "../../lib/types";

/**
 * First-cut intent rules: the leading verb and a few phrases decide, weighted by position.
 * Replaced by a trained model; the signature stays.
 */
const CUES: Record<Intent, RegExp[]> = {
	READ: [/\b(show|display|print|cat|open|view|read|get|pull up|tail|list|contents? of)\b/i],
	WRITE: [/\b(write|create|generate|implement|add|fix|refactor|update|change|make|convert|translate|draft|build)\b/i],
	SEARCH: [/\b(find|search|locate|where is|where are|which files?|grep|look ?up|usages?|occurrences?|references? to)\b/i],
	ANALYZE: [/\b(explain|why|analy[sz]e|review|compare|diagnose|summari[sz]e|assess|evaluate|what does|how does|estimate)\b/i],
	MANAGE: [/\b(deploy|restart|scale|install|configure|schedule|grant|revoke|delete|remove|rename|move|merge|rollback|roll back|release|upgrade|provision)\b/i],
};

export function classifyIntent(request: string, context?: RequestContext): { intent: Intent; confidence: number } {
	const text = request.slice(0, 2000);
	const scores = new Map<Intent, number>();
	for (const [intent, patterns] of Object.entries(CUES) as [Intent, RegExp[]][]) {
		for (const re of patterns) {
			const m = re.exec(text);
			// Earlier cues weigh more: the main verb usually comes first.
			if (m) scores.set(intent, (scores.get(intent) ?? 0) + 1 / (1 + m.index / 40));
		}
	}
	if (context?.error && !scores.size) scores.set("ANALYZE", 0.5);
	const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
	if (!ranked.length) return { intent: "ANALYZE", confidence: 0.2 };
	const total = ranked.reduce((s, [, v]) => s + v, 0);
	return { intent: ranked[0][0], confidence: Math.round((ranked[0][1] / total) * 1000) / 1000 };
}
