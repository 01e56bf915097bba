import type { ServiceBroker } from "moleculer";
import type { ModelsCompleteParams, ModelsCompleteResult } from "../../../lib/contracts/complete";
import { servable } from "../../../lib/registry";
import { digest, keepsAnswer } from "../../orchestrator/cache-keys";

/**
 * The completion cache of the /v1 endpoints: the gateway's cacher (Moleculer's, Redis with
 * CACHER=redis://) and TTL (cache.ttl_seconds.completion), as orchestrator.orchestrate uses them.
 *
 * Only a deterministic request is cached: `temperature: 0` set by the client. A request without
 * sampling parameters runs at the vendor's default temperature (1 for OpenAI and Anthropic) and is
 * a sample, so a client asking twice expects two draws; serving it the first one would change what
 * the API means. The key is a digest of what the model receives (the forwarded, compacted
 * conversation, the system prompt, every generation option) and the model, scoped to the caller's
 * key name (its tenant) when the gateway has keys: never the secret or any header, and `user` (an
 * end-user id for the vendor's abuse monitoring) is left out since it does not change the answer.
 * A stream is stored only once its `done` event arrived, so a stream cut short is never cached;
 * errors never are.
 */

/** Cacher key prefix, apart from orchestrator.completion (a different request shape). */
const PREFIX = "v1.completion:";

/** What a hit serves: the answer and who gave it; no usage, since nothing was spent. */
export interface CachedAnswer {
	model: string;
	provider: string;
	service: string;
	text: string;
	tool_calls?: ModelsCompleteResult["tool_calls"];
	/** Claude's reasoning blocks, signatures intact: a client continuing the conversation sends them back. */
	thinking?: ModelsCompleteResult["thinking"];
	finish_reason?: ModelsCompleteResult["finish_reason"];
	stop_sequence?: string;
}

/** The answer's own fields, what is stored and what a hit gives back (no usage, cost or tries: those belong to one call). */
function answerOf(r: CachedAnswer): CachedAnswer {
	return {
		model: r.model,
		provider: r.provider,
		service: r.service,
		text: r.text,
		...(r.tool_calls ? { tool_calls: r.tool_calls } : {}),
		...(r.thinking ? { thinking: r.thinking } : {}),
		...(r.finish_reason ? { finish_reason: r.finish_reason } : {}),
		...(r.stop_sequence !== undefined ? { stop_sequence: r.stop_sequence } : {}),
	};
}

/** Whether a request may be served from and stored in the cache (see above). */
export function cacheable(params: Pick<ModelsCompleteParams, "temperature">, ttlSeconds: number, bypass: boolean): boolean {
	return ttlSeconds > 0 && !bypass && params.temperature === 0;
}

/** `Cache-Control: no-cache` or `no-store` on the request: answer from the model and store nothing. */
export function bypassRequested(headers: Record<string, string | string[] | undefined>): boolean {
	const v = headers["cache-control"];
	return /\bno-(cache|store)\b/i.test(Array.isArray(v) ? v.join(",") : (v ?? ""));
}

/**
 * The cacher key of one model's answer to these params, for the caller's key name (`tenant`). Two keys are two tenants
 * (as the sticky map has them, answer.ts): a hit on another key's entry told its caller (usage 0, cost 0) that the other
 * tenant had sent exactly this conversation, and served what the other paid for. Without keys there is one tenant and
 * the key is as it always was.
 */
export function completionKey(model: string, params: ModelsCompleteParams, tenant?: string): string {
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	const { models, user, deadline_ms, ...asked } = params;
	return `${PREFIX}${digest({ model, ...asked, ...(tenant ? { tenant } : {}) })}`;
}

/**
 * The cached answer that may serve, mirroring the walk: a model's cached answer serves only if no
 * model before it in the chain could answer now (as orchestrator.answerWithCache). A cacher that
 * cannot answer (Redis down) is a miss, never a failed call.
 */
export async function lookup(broker: ServiceBroker, params: ModelsCompleteParams, tenant?: string): Promise<CachedAnswer | undefined> {
	const cacher = broker.cacher;
	if (!cacher) return undefined;
	const found = await Promise.all(
		params.models.map(m => Promise.resolve(cacher.get(completionKey(m, params, tenant))).catch(() => null) as Promise<CachedAnswer | null>),
	);
	for (const [i, hit] of found.entries()) {
		if (hit && typeof hit.text === "string") return hit;
		if (servable(broker, params.models[i])) return undefined;
	}
	return undefined;
}

export async function store(
	broker: ServiceBroker,
	params: ModelsCompleteParams,
	result: ModelsCompleteResult,
	ttlSeconds: number,
	tenant?: string,
): Promise<void> {
	const cacher = broker.cacher;
	if (!cacher || !keepsAnswer(result.finish_reason)) return;
	await Promise.resolve(cacher.set(completionKey(result.model, params, tenant), answerOf(result), ttlSeconds)).catch((err: Error) =>
		broker.logger.debug("/v1 completion not cached:", err.message),
	);
}

/** A hit as a walk's result: no tokens spent, nothing paid, no provider tried. */
export function fromCache(hit: CachedAnswer): ModelsCompleteResult {
	return {
		...answerOf(hit),
		usage: { input_tokens: 0, output_tokens: 0 },
		usage_source: "estimated",
		cost_usd: 0,
		tries: [{ provider: hit.provider, model: hit.model, ok: true, cached: true }],
	};
}
