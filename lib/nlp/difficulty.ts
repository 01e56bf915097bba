/**
 * Domain-general difficulty prior: how much a prompt is likely to need a strong
 * model, from signals that do not depend on developer vocabulary. The learned
 * complexity model only knows 200 developer requests; this prior carries the
 * part that must transfer to prompts unlike them (maths, multi-step reasoning,
 * tight constraints, long inputs, stack traces).
 *
 * The dimensions follow NVIDIA's prompt-task-and-complexity classifier
 * (reasoning, constraints, domain knowledge, contextual knowledge, ...), which
 * ensembles such dimensions into one complexity score. The weights below are a
 * fixed design choice made before any evaluation; the blend between this
 * prior and the learned model is chosen by cross-validation on the dev set.
 */
import { contextShape, type RequestContext } from "./features";
import { clip, countMatches } from "./text";

const MATH_WORDS =
	/\b(calculat\w*|comput\w*|solv\w*|prove|proof|equation\w*|integral|derivativ\w*|probabilit\w*|how many|how much|percent\w*|ratio|average|sum|product|remainder|minimum|maximum|optimal|total|expected value|fraction|divisible|prime|function|polynomial|matrix|vector|theorem|lemma|complexity|o\(n)\b/g;
const LOGIC_WORDS =
	/\b(if|then|therefore|thus|hence|assume|assuming|suppose|given that|implies|unless|except|otherwise|each|every|both|either|neither|only|exactly|at least|at most|more than|less than|fewer than|twice|half|times|after|before|remaining|left)\b/g;
const CONSTRAINT_WORDS =
	/\b(must|should|without|ensure|keep|preserv\w*|no more than|limit\w*|exactly|strictly|format|in \d+ words|step[- ]by[- ]step|explain why|justify|constraint\w*|requirement\w*|edge cases?|trade-?offs?|compare|design|architect\w*|migrat\w*|optimi[sz]\w*|secur\w*|concurren\w*|scal\w*|root cause|why)\b/g;
const OPERATORS = /[=+*/^<>≤≥×÷√∑∫]|\d\s*-\s*\d/g;
const CODE_MARKERS = /```|\bdef |\bfunction\b|=>|\{|\}|;\s*$|\bclass \w|\breturn\b|\bimport\b/gm;

const QUANTITIES = /\d+(?:\.\d+)?/g;
const QUESTION_MARKS = /\?/g;
const LIST_ITEMS = /(^|\n)\s*(\d+[.)]|[-*•])\s/g;
const CLAUSE_BREAKS = /[;:]\s/g;

const saturate = (x: number, half: number) => x / (x + half);

/** Per-dimension signals in [0, 1]; exported for explanation and tests. */
export function difficultySignals(request: string, context?: RequestContext): Record<string, number> {
	const full = request ?? "";
	// Counting signals saturate long before 20 kB; reading more only costs time.
	const text = clip(full, 16000, 4000).toLowerCase();
	const ctx = contextShape(context);
	return {
		// ~4 characters per LLM token; log scale because each doubling matters alike.
		length: Math.min(1, Math.log1p(full.length / 4) / Math.log1p(1000)),
		reasoning: saturate(countMatches(text, MATH_WORDS) + 0.5 * countMatches(text, LOGIC_WORDS), 4),
		quantities: saturate(countMatches(text, QUANTITIES) + countMatches(text, OPERATORS), 6),
		constraints: saturate(countMatches(text, CONSTRAINT_WORDS), 3),
		multipart: saturate(Math.max(0, countMatches(text, QUESTION_MARKS) - 1) + countMatches(text, LIST_ITEMS) + countMatches(text, CLAUSE_BREAKS), 4),
		code: saturate(countMatches(text, CODE_MARKERS), 4),
		context: Math.min(
			1,
			(ctx.hasStackTrace ? 0.6 : ctx.errorLines > 0 ? 0.3 : 0) + saturate(ctx.attachedChars, 3000) * 0.4 + Math.min(0.3, ctx.fileCount * 0.1),
		),
	};
}

/**
 * Weak models fall furthest behind strong ones on maths, multi-step reasoning
 * and code (MT-Bench and GSM8K leaderboards), and any model errs more as the
 * amount of text to integrate grows: those signals weigh most.
 */
const WEIGHTS: Record<string, number> = {
	length: 0.25,
	reasoning: 0.2,
	quantities: 0.15,
	code: 0.1,
	constraints: 0.1,
	multipart: 0.1,
	context: 0.1,
};

/** Weighted mean of the signals, in [0, 1]. */
export function difficultyPrior(request: string, context?: RequestContext): number {
	return priorOfSignals(difficultySignals(request, context));
}

/** The prior from signals already computed (the complexity scorer reads them once for both scores). */
export function priorOfSignals(signals: Record<string, number>): number {
	let score = 0;
	for (const [name, weight] of Object.entries(WEIGHTS)) score += weight * (signals[name] ?? 0);
	return Math.max(0, Math.min(1, score));
}
