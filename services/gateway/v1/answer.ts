import { createHash } from "node:crypto";
import { Errors, type ServiceBroker } from "moleculer";
import { compact, type CompactionResult } from "../../../lib/compaction";
import type { Config } from "../../../lib/config";
import type { ChatMessage, ModelsCompleteParams, ModelsCompleteResult } from "../../../lib/contracts/complete";
import type { Analysis } from "../../../lib/contracts";
import { priceUsd } from "../../models/pricing";
import { ApiError, modelNotFound } from "./api-error";
import { compactionHeader, compactionOptions } from "./compaction-headers";
import type { NeutralRequest } from "./neutral";

/** Default output budget when the client sets none (OpenAI's API has none; Anthropic's requires one). */
const DEFAULT_MAX_TOKENS = 4096;
/** Earlier turns passed to the analysis as context for the last user turn. */
const CONTEXT_CHARS = 4000;
const STICKY_ENTRIES = 10_000;

export interface Answer {
	result: ModelsCompleteResult;
	headers: Record<string, string>;
}

/**
 * A conversation keeps the model it started on while that model answers, so the vendor's prompt
 * cache keeps hitting: keyed by a hash of the conversation's first messages (system and task),
 * in memory on this gateway node, oldest forgotten first.
 */
export class StickyModels {
	private readonly map = new Map<string, string>();
	key(messages: ChatMessage[]): string {
		// The system prompt(s) and the task: what every later call of the conversation repeats.
		const task = messages.findIndex(m => m.role === "user");
		const head = messages.filter((m, i) => m.role === "system" || i === task).map(m => [m.role, m.content]);
		return createHash("sha256").update(JSON.stringify(head)).digest("hex");
	}
	get(key: string): string | undefined {
		return this.map.get(key);
	}
	set(key: string, model: string) {
		this.map.delete(key);
		if (this.map.size >= STICKY_ENTRIES) this.map.delete(this.map.keys().next().value!);
		this.map.set(key, model);
	}
}

/** A concrete model's configured fallbacks: the rest of the tier chain it belongs to. */
export function chainFor(config: Config, model: string): string[] {
	for (const tier of Object.values(config.tiers)) {
		const chain = [tier.preferred, ...tier.fallback];
		if (chain.includes(model)) return [model, ...chain.filter(m => m !== model)];
	}
	return [model];
}

function lastUserTurn(messages: ChatMessage[]): { text: string; earlier: string } {
	let i = messages.length - 1;
	while (i >= 0 && messages[i].role !== "user") i--;
	const text = i >= 0 ? messages[i].content : "";
	const earlier = messages
		.slice(0, Math.max(0, i))
		.filter(m => m.role !== "system")
		.map(m => `${m.role}: ${m.content}`)
		.join("\n");
	return { text, earlier: earlier.slice(-CONTEXT_CHARS) };
}

/** Moleculer errors of the walk and the pipeline, in API terms. */
export function apiErrorOf(err: unknown): ApiError {
	if (err instanceof ApiError) return err;
	if (err instanceof Errors.MoleculerError) {
		const data = err.data as { field?: string; model?: string } | undefined;
		if (err.type === "UNKNOWN_MODEL") return modelNotFound(data?.model ?? "?");
		if (err.code === 422 || err.type === "VALIDATION_ERROR") return new ApiError(400, err.message, "invalid_value", data?.field ?? null);
		if (err.code === 413) return new ApiError(413, err.message, "request_too_large", null);
		if (err.code >= 400 && err.code < 600) return new ApiError(err.code, err.message, err.type?.toLowerCase() ?? null, null);
	}
	return new ApiError(500, err instanceof Error ? err.message : String(err), "internal_error", null);
}

/**
 * One /v1 call, whichever wire format it came in: compaction of the conversation, the model
 * chain (`auto`: the pipeline's analysis of the last user turn, sticky per conversation; a
 * concrete id: that model and its tier's fallbacks), and the one walk, models.complete.
 */
export async function answer(broker: ServiceBroker, config: Config, sticky: StickyModels, req: NeutralRequest, headers: Record<string, string | string[] | undefined>): Promise<Answer> {
	const started = performance.now();
	const copts = compactionOptions(headers, config);
	const compactable = req.messages.map((m, i) => (req.cache_control?.has(i) ? { ...m, cache_control: true } : m));
	const compacted: CompactionResult<ChatMessage & { cache_control?: unknown }> = compact(compactable, copts);
	const messages: ChatMessage[] = compacted.messages.map(({ cache_control: _c, ...m }: ChatMessage & { cache_control?: unknown }) => m);

	let chain: string[];
	let analysis: Analysis | undefined;
	const stickyKey = sticky.key(req.messages);
	if (req.model === "auto") {
		const turn = lastUserTurn(req.messages);
		analysis = await broker.call<Analysis, unknown>("orchestrator.analyze", {
			request: turn.text.slice(0, config.limits.max_request_chars) || "(empty)",
			...(turn.earlier ? { context: { conversation: turn.earlier } } : {}),
		});
		const planned = [analysis.model, ...analysis.fallbacks].filter((m): m is string => !!m);
		const kept = sticky.get(stickyKey);
		chain = kept ? [kept, ...planned.filter(m => m !== kept)] : planned;
		if (!chain.length) throw new ApiError(503, "no live model can answer: set a provider key (see GET /v1/models)", "no_provider", null);
	} else {
		if (!config.models[req.model]) throw modelNotFound(req.model);
		chain = chainFor(config, req.model);
	}

	const params: ModelsCompleteParams = {
		models: chain,
		...(req.system ? { system: req.system } : {}),
		messages,
		...req.options,
		max_tokens: req.options.max_tokens ?? DEFAULT_MAX_TOKENS,
	} as ModelsCompleteParams;
	const callStarted = performance.now();
	const result = await broker.call<ModelsCompleteResult, ModelsCompleteParams>("models.complete", params);
	const callMs = performance.now() - callStarted;
	if (req.model === "auto") sticky.set(stickyKey, result.model);

	const baselineModel = config.models[config.tiers.complex.preferred];
	const baselineCost = priceUsd(baselineModel, compacted.received_tokens, result.usage.output_tokens);
	return {
		result,
		headers: {
			"x-orchestrator-intent": analysis?.intent ?? "n/a",
			"x-orchestrator-complexity": analysis ? `${analysis.complexity}; score=${analysis.complexity_score.toFixed(3)}` : "n/a",
			"x-orchestrator-route": `llm:${result.provider}/${result.model}${req.model === "auto" ? "" : "; requested"}`,
			"x-orchestrator-cost-usd": String(result.cost_usd),
			"x-orchestrator-baseline-cost-usd": String(baselineCost),
			"x-orchestrator-overhead-ms": (performance.now() - started - callMs).toFixed(2),
			"x-orchestrator-compaction": compactionHeader(compacted),
		},
	};
}
