import type { Complexity, RequestContext } from "../../lib/types";

export const DEFAULT_COMPLEXITY_THRESHOLDS = { moderate: 0.35, complex: 0.65 };

const HARD = /\b(architect|design|migrat|scal|security|performance|distributed|concurren|trade-?offs?|refactor the|across|whole|entire|system)\w*/gi;

/** First-cut complexity score from length, hard-topic cues and context; replaced by a trained model. */
export function scoreComplexity(
	request: string,
	context?: RequestContext,
	thresholds = DEFAULT_COMPLEXITY_THRESHOLDS,
): { complexity: Complexity; score: number } {
	const words = request.split(/\s+/).filter(Boolean).length;
	const hard = (request.match(HARD) ?? []).length;
	let score = Math.min(1, words / 80) * 0.4 + Math.min(1, hard / 3) * 0.45;
	if (context?.error) score += 0.1;
	if (Array.isArray(context?.files) && context.files.length > 1) score += 0.05;
	score = Math.max(0, Math.min(1, score));
	return { complexity: tierOf(score, thresholds), score: Math.round(score * 1000) / 1000 };
}

export function tierOf(score: number, thresholds = DEFAULT_COMPLEXITY_THRESHOLDS): Complexity {
	return score >= thresholds.complex ? "complex" : score >= thresholds.moderate ? "moderate" : "simple";
}
