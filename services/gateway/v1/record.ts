import type { Context } from "moleculer";
import { keyName } from "../../../lib/auth/keys";
import type { Config } from "../../../lib/config";
import { NOT_ANALYSED, ORCHESTRATOR_REQUEST, type RequestRecord } from "../../../lib/contracts";
import type { Attempt, Charge, ChatMessage, ModelsCompleteResult } from "../../../lib/contracts/complete";
import type { CompactionResult } from "../../../lib/compaction";
import type { CancelCharge } from "../../../lib/cancel";
import type { Analysis } from "../../../lib/contracts";
import { creditedModel, fallbackEdges } from "../../orchestrator/attempts";
import { priceUsd } from "../../models/pricing";
import { answerCharge, chargedUsd, triesCharges } from "../../models/spend";

export interface V1Outcome {
	p: { analysis?: Analysis; compacted: CompactionResult<ChatMessage>; started: number; stages: Record<string, number> };
	status: "ok" | "error" | "cancelled";
	result?: ModelsCompleteResult;
	/**
	 * A call that had reached its vendor and ended without an answer (cancelled, or a stream cut after content): what it
	 * is charged, the usage the budget settled to (lib/cancel.ts).
	 */
	charged?: CancelCharge;
	cached?: boolean;
	tries: Attempt[];
	/** Time in the model walk (or the cache lookup that replaced it). */
	modelMs: number;
}

/**
 * The input tokens the request would have cost uncompacted, in the vendor's count: its reported
 * input scaled by our received/forwarded estimate (both counted the same way), so the saving the
 * metrics show is compaction's and not the gap between two tokenizers. Without a vendor count (a
 * cache hit, an error) it is our estimate of what was received.
 */
function baselineInputTokens(o: V1Outcome): number {
	const { received_tokens: received, forwarded_tokens: forwarded } = o.p.compacted;
	const reported = o.result?.usage.input_tokens ?? 0;
	if (!o.result || o.cached || o.result.usage_source !== "vendor" || forwarded <= 0) return received;
	return Math.round((reported * received) / forwarded);
}

/**
 * Every vendor call the request paid for: the analysis's helper calls (none when it came from the cache), the tries the
 * vendor may have billed, then the answer (none from the completion cache) or what an unfinished call was charged.
 */
export function v1Spend(o: V1Outcome): Charge[] {
	const spend: Charge[] = [...(o.p.analysis?.helper_charges ?? []), ...triesCharges(o.tries)];
	if (o.result && !o.cached) spend.push(answerCharge(o.result));
	if (o.charged) spend.push(o.charged);
	return spend;
}

/**
 * The record every orchestrated request emits (`orchestrator.request`, balanced: one metrics
 * instance counts it), for a /v1 call. A concrete model id was not analysed: its intent and
 * complexity are `none` rather than a guess. The baseline is the raw conversation on the
 * configured baseline model (tiers.complex.preferred), as for /api/orchestrate.
 */
export function v1Record(ctx: Context, config: Config, o: V1Outcome): RequestRecord {
	const baselineInput = baselineInputTokens(o);
	const output = o.result?.usage.output_tokens ?? o.charged?.output_tokens ?? 0;
	const spend = v1Spend(o);
	return {
		ts: Date.now(),
		intent: o.p.analysis?.intent ?? NOT_ANALYSED,
		complexity: o.p.analysis?.complexity ?? NOT_ANALYSED,
		route: "llm",
		// A charged call (cancelled, or a stream cut after content) is credited to the model that charged it.
		model: o.charged ? o.charged.model : creditedModel(o.status, o.result?.model ?? null, o.tries),
		status: o.status,
		llm: true,
		latency_ms: performance.now() - o.p.started,
		stages_ms: { ...o.p.stages, model: o.modelMs },
		input_tokens: o.result?.usage.input_tokens ?? o.charged?.input_tokens ?? 0,
		output_tokens: output,
		baseline_input_tokens: baselineInput,
		cost_usd: chargedUsd(spend),
		spend,
		baseline_cost_usd: o.status === "ok" ? priceUsd(config.models[config.tiers.complex.preferred], baselineInput, output) : 0,
		cached: !!o.cached,
		fallbacks: fallbackEdges(o.tries),
		key: keyName(ctx) ?? "",
	};
}

/** Emits the request's record; returns it, for the headers that say what the request cost. */
export function emitRecord(ctx: Context, config: Config, o: V1Outcome): RequestRecord {
	const record = v1Record(ctx, config, o);
	// Balanced event: exactly one metrics instance in the cluster records each request.
	ctx.emit(ORCHESTRATOR_REQUEST, record);
	return record;
}
