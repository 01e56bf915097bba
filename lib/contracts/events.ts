/** Moleculer event names and payloads, declared once for their emitters and their listeners. */
import { z } from "zod";
import { RouteSchema } from "./analysis";
import { ChargeSchema } from "./complete";
import { IntentSchema, TierSchema } from "./request";

/** Broadcast by models.complete after every provider call whose usage the vendor reported: every models service learns from it. */
export const TOKENS_USAGE = "tokens.usage";
export const UsageSampleSchema = z.object({
	model: z.string().describe("Catalog id"),
	estimated_input_tokens: z.number().describe("Our o200k_base count of exactly what was sent (system + messages, with framing)"),
	reported_input_tokens: z.number().describe("The input tokens the vendor reported for that call"),
});
export type UsageSample = z.infer<typeof UsageSampleSchema>;

/** Broadcast by a models service when its applied ratios change, so analysis cache keys follow them (orchestrator). */
export const CORRECTIONS_CHANGED = "models.corrections.changed";
export const CorrectionsChangedSchema = z.object({ ratios: z.record(z.string(), z.number()) });
export type CorrectionsChanged = z.infer<typeof CorrectionsChangedSchema>;

/**
 * Broadcast when a request's caller gave up (lib/cancel.ts): every provider service aborts its calls under the token.
 * `$`-prefixed as Moleculer's own events: infrastructure, not a pipeline fact.
 */
export const CANCEL_EVENT = "$orchestrator.cancel";
export const CancelEventSchema = z.object({ token: z.string().describe("The request's cancel token (ctx.meta.cancel)") });
export type CancelEvent = z.infer<typeof CancelEventSchema>;

/** Emitted (balanced: one metrics instance records it) by the orchestrator for every finished request. */
export const ORCHESTRATOR_REQUEST = "orchestrator.request";
/**
 * Intent and complexity of a request no analysis ran for: a /v1 call naming a concrete model goes
 * to it without the pipeline, and its record says so rather than guessing a label.
 */
export const NOT_ANALYSED = "none";
export const FallbackEdgeSchema = z.object({ from: z.string(), to: z.string(), reason: z.string() });
export const RequestRecordSchema = z.object({
	ts: z.number(),
	intent: z.union([IntentSchema, z.literal(NOT_ANALYSED)]).describe("none: not analysed (a /v1 call naming a concrete model)"),
	complexity: z.union([TierSchema, z.literal(NOT_ANALYSED)]).describe("none: not analysed (a /v1 call naming a concrete model)"),
	route: RouteSchema.shape.kind,
	model: z.string().nullable(),
	status: z
		.enum(["ok", "error", "cancelled", "dry_run"])
		.describe("dry_run: analysed only, nothing executed; cancelled: its caller gave up (hung up, or MCP notifications/cancelled)"),
	llm: z.boolean().describe("The request needed an LLM answer (the denominator of the cache hit rate)"),
	latency_ms: z.number(),
	stages_ms: z.record(z.string(), z.number()),
	input_tokens: z.number(),
	output_tokens: z.number(),
	baseline_input_tokens: z.number(),
	cost_usd: z.number().describe("What the request paid its vendors: the sum of spend"),
	spend: z
		.array(ChargeSchema)
		.describe(
			"Every vendor call the request paid for (helper calls, failed tries the vendor may have billed, the answer): the token and cost metrics count these",
		),
	baseline_cost_usd: z.number(),
	cached: z.boolean(),
	fallbacks: z.array(FallbackEdgeSchema),
	key: z.string().optional().describe("The caller's key name (empty on an open gateway or stdio): a label, never the secret"),
});
export type RequestRecord = z.infer<typeof RequestRecordSchema>;

/**
 * Emitted (balanced) by `orchestrator.analyze` for the helper calls (intent assist, rewrite) an analysis asked for on its
 * own, with no request to count them: `/api/analyze` and the `analyze_request` tool. The token and cost metrics count
 * them as they count a record's spend; an analysis made for orchestrate or `/v1` is counted in that request's record.
 */
export const ANALYSIS_SPEND = "orchestrator.analysis.spend";
export const AnalysisSpendSchema = RequestRecordSchema.pick({ spend: true, key: true });
export type AnalysisSpend = z.infer<typeof AnalysisSpendSchema>;
