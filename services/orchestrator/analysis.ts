/**
 * The orchestrator's pure parts: an Analysis assembled from the stages' answers, what a cached
 * analysis charges a new request, and the result an orchestrate call starts from. No broker.
 */
import type { Analysis, ComplexityResult, Estimate, IntentResult, Optimized, OrchestrateResult, Route, Selection } from "../../lib/contracts";
import { roundUsd } from "../models/pricing";

export interface StageAnswers {
	intent: IntentResult;
	complexity: ComplexityResult;
	route: Route;
	prompt: Optimized;
	/** models.select, when the route needs an LLM. */
	selection?: Selection;
	/** models.estimate of the baseline prompt on the baseline model. */
	baseline: Pick<Estimate, "input_token_ratio" | "estimated_cost_usd">;
}

/** Whether the route ends at a model (an LLM route, or a tool whose result goes to one). */
export function needsLlm(route: Route): boolean {
	return route.kind === "llm" || !!route.then_llm;
}

/** The Analysis of a request from what each stage answered. */
export function assembleAnalysis({ intent, complexity, route, prompt, selection, baseline }: StageAnswers): Analysis {
	const chosen = selection?.candidates[0];
	const llm = needsLlm(route);
	const rewriteCost = prompt.rewrite_cost_usd ?? 0;
	const assistCost = intent.cost_usd ?? 0;
	return {
		intent: intent.intent,
		intent_confidence: intent.confidence,
		intent_source: intent.source ?? "model",
		...(intent.note ? { intent_note: intent.note } : {}),
		complexity: complexity.complexity,
		complexity_score: complexity.score,
		...(complexity.strong_need !== undefined ? { strong_need: complexity.strong_need } : {}),
		route: route.kind === "llm" ? { kind: "llm", provider: chosen?.provider, model: chosen?.model } : route,
		...(selection?.route_note ? { route_note: selection.route_note } : {}),
		model: chosen?.model ?? null,
		fallbacks: selection?.fallbacks ?? [],
		system_prompt: prompt.system,
		optimized_prompt: prompt.prompt,
		max_tokens: prompt.max_tokens,
		// A tool-answered request spends no LLM tokens.
		input_tokens: llm ? prompt.input_tokens : 0,
		estimated_input_tokens: chosen?.input_tokens ?? 0,
		baseline_input_tokens: prompt.baseline_input_tokens,
		estimated_cost_usd: roundUsd((chosen?.estimated_cost_usd ?? 0) + rewriteCost + assistCost),
		baseline_cost_usd: baseline.estimated_cost_usd,
		rewrite_cost_usd: rewriteCost,
		intent_assist_cost_usd: assistCost,
		helper_charges: [...(intent.charges ?? []), ...(prompt.rewrite_charges ?? [])],
		token_accounting: { counted_with: "o200k_base", input_ratio: chosen?.input_token_ratio ?? null, baseline_input_ratio: baseline.input_token_ratio },
		dropped: prompt.dropped,
		// A chain's fetched file joins the prompt at execution: the estimate cannot hold it, the vendor's usage will.
		prompt_notes: route.then_llm ? [...prompt.notes, `input_tokens excludes the ${route.tool} result added to the prompt at execution`] : prompt.notes,
	};
}

/** What an analysis paid to helper LLM calls (the prompt rewrite, the intent assist) for its own request. */
export function helperCostUsd(a: Pick<Analysis, "rewrite_cost_usd" | "intent_assist_cost_usd">): number {
	return roundUsd((a.rewrite_cost_usd ?? 0) + (a.intent_assist_cost_usd ?? 0));
}

/** A cached analysis's helper calls were paid when it was made, not by the request that reads it. */
export function fromCacheAnalysis(analysis: Analysis): Analysis {
	const helperCost = helperCostUsd(analysis);
	if (!helperCost) return analysis;
	return {
		...analysis,
		estimated_cost_usd: roundUsd(analysis.estimated_cost_usd - helperCost),
		rewrite_cost_usd: 0,
		intent_assist_cost_usd: 0,
		helper_charges: [],
		prompt_notes: [...analysis.prompt_notes, "analysis from the cache: its helper LLM calls were paid when it was made, not by this request"],
	};
}

/**
 * The result an orchestrate call starts from: nothing executed yet, the helper calls made for this request already paid.
 * Object.assign onto a fresh object rather than a spread (`{ ...analysis, output: null, ... }`): the same keys in the same
 * order, but V8 gives a spread's copy a map of its own, so each key added after it made a new map on every request
 * (about 13 us per call, against 2 us here; README "Gateway overhead").
 */
export function initialResult(analysis: Analysis, dryRun: boolean): OrchestrateResult {
	const start: Omit<OrchestrateResult, keyof Analysis> & Pick<OrchestrateResult, "token_accounting"> = {
		token_accounting: { ...analysis.token_accounting, usage_source: "none" },
		output: null,
		usage: { input_tokens: 0, output_tokens: 0 },
		// A rewrite or intent assist made for this request was paid, whatever happens next (dry run included).
		cost_usd: helperCostUsd(analysis),
		charges: [...(analysis.helper_charges ?? [])],
		latency_ms: 0,
		attempts: [],
		cached: false,
		dry_run: dryRun,
	};
	return Object.assign({}, analysis, start);
}
