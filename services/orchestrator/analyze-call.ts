import type { Context } from "moleculer";
import { HELPERS_COUNTED, type Analysis } from "../../lib/contracts";
import { checkedCall } from "../../lib/validator";
import { fromCacheAnalysis } from "./analysis";

/**
 * `orchestrator.analyze` for one request (params already checked to its contract: not parsed again), and the stage
 * timings it ran. None means the analysis came from the cache: it ran no stage, and its helper calls (an intent assist,
 * a rewrite) were paid by the request that made it, not by this one (fromCacheAnalysis). The action reports its stages in
 * `ctx.meta.$stages`, which Moleculer merges into the caller's meta; read and taken out here. The caller counts the
 * analysis's helper calls in its own record (HELPERS_COUNTED).
 */
export async function analyzeOnce(ctx: Context, params: unknown): Promise<{ analysis: Analysis; stages?: Record<string, number> }> {
	const meta = ctx.meta as { $stages?: Record<string, number>; [HELPERS_COUNTED]?: boolean };
	delete meta.$stages;
	// This caller's record counts the helper calls: analyze does not report them again.
	meta[HELPERS_COUNTED] = true;
	let analysis: Analysis;
	try {
		analysis = await ctx.call<Analysis, unknown>("orchestrator.analyze", params, checkedCall());
	} finally {
		delete meta[HELPERS_COUNTED];
	}
	const stages = meta.$stages;
	delete meta.$stages;
	return stages ? { analysis, stages } : { analysis: fromCacheAnalysis(analysis) };
}
