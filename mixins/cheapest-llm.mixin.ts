import type { Context, ServiceSchema } from "moleculer";
import type { Config } from "../lib/config";
import { errorMessage } from "../lib/errors";
import { actionAvailable } from "../lib/registry";
import { countMessageTokens } from "../lib/tokens";
import { TOKENS_USAGE, type UsageSample } from "../services/models/correction";
import { cheapestLive, priceUsd, type CatalogEntry } from "../services/models/pricing";
import { DEFAULT_MAX_TOKENS, type CompleteParams, type Completion } from "./provider.mixin";
import { budgetedCall } from "../services/budget/guard";

/** One helper call: everything `complete` takes but the model, which this mixin picks. */
export interface CheapestAsk extends Omit<CompleteParams, "model"> {
	/** Once aborted, no further model or provider is tried (the call under way finishes on its own deadline). */
	signal?: AbortSignal;
}

/** Where helper verdicts are kept; reads and writes never fail (an outage reads as a miss). */
export interface VerdictCache {
	get<T>(key: string): Promise<T | null>;
	set(key: string, value: unknown): Promise<void>;
}

export type CheapestAnswer =
	| {
			ok: true;
			/** Catalog id of the model that answered, and the provider service that served it. */
			model: string;
			service: string;
			completion: Completion;
			cost_usd: number;
			/** "input+output tokens, cost USD", for the caller's notes. */
			spent: string;
	  }
	/** no_live_model: nothing to ask; failed: every try failed (errors name them); aborted: the signal fired first. */
	| { ok: false; reason: "no_live_model" | "failed" | "aborted"; errors: string[] };

/**
 * Helper calls to the cheapest live model (the prompt service's rewrite, the intent service's
 * low-confidence assist): live catalog models cheapest first, each through the provider services
 * serving it (`models.resolve`), skipping a service whose circuit breaker is open, until one answers.
 * Errors never escape: the answer says what failed, and the caller keeps its own result.
 * Verdicts go to Moleculer's cacher (`verdictCache`) for the completion TTL, so a request is paid for once.
 */
export default function CheapestLlmMixin({ config }: { config: Config }): Partial<ServiceSchema> {
	return {
		methods: {
			/** options.cache: false reaches a service as Moleculer's $cache meta flag: then no read and no write. */
			verdictCache(ctx: Context): VerdictCache {
				const cacher = (ctx.meta as { $cache?: boolean }).$cache === false ? undefined : this.broker.cacher;
				return {
					get: async <T>(key: string) => (cacher ? ((await cacher.get(key).catch(() => null)) as T | null) : null),
					set: async (key: string, value: unknown) => {
						if (cacher) await cacher.set(key, value, config.cache.ttl_seconds.completion).catch(() => undefined);
					},
				};
			},

			async askCheapestLive(ctx: Context, ask: CheapestAsk): Promise<CheapestAnswer> {
				const { signal, ...params } = ask;
				const errors: string[] = [];
				const aborted = () => ({ ok: false as const, reason: "aborted" as const, errors });
				let live: CatalogEntry[];
				try {
					live = cheapestLive(await ctx.call<CatalogEntry[]>("models.catalog"));
				} catch (err) {
					return { ok: false, reason: "failed", errors: [`models.catalog: ${errorMessage(err)}`] };
				}
				if (!live.length) return { ok: false, reason: "no_live_model", errors };
				const sent = countMessageTokens(params.system ? [{ role: "system", content: params.system }, ...params.messages] : params.messages);
				for (const model of live) {
					if (signal?.aborted) return aborted();
					let resolved: { services: string[]; api_model: string };
					try {
						resolved = await ctx.call("models.resolve", { model: model.id });
					} catch (err) {
						errors.push(`${model.id}: ${errorMessage(err)}`);
						continue;
					}
					for (const service of resolved.services) {
						if (signal?.aborted) return aborted();
						if (!actionAvailable(this.broker, `${service}.complete`)) {
							errors.push(`${model.id}@${service}: circuit breaker open`);
							continue;
						}
						try {
							// Helper calls spend the caller's budget like the answer itself: reserved before, settled after.
							const completion = await budgetedCall(ctx, { model: model.id, input_tokens: sent, max_tokens: params.max_tokens ?? DEFAULT_MAX_TOKENS }, () =>
								ctx.call<Completion, CompleteParams>(`${service}.complete`, { ...params, model: resolved.api_model }),
							);
							const { input_tokens, output_tokens } = completion.usage;
							// A paid call teaches every models service this vendor's count against our estimate (docs/tokens.md).
							const sample: UsageSample = {
								model: model.id,
								estimated_input_tokens: sent,
								reported_input_tokens: input_tokens,
							};
							ctx.broadcast(TOKENS_USAGE, sample);
							const cost_usd = priceUsd(config.models[model.id], input_tokens, output_tokens);
							return { ok: true, model: model.id, service, completion, cost_usd, spent: `${input_tokens}+${output_tokens} tokens, ${cost_usd} USD` };
						} catch (err) {
							errors.push(`${model.id}@${service}: ${errorMessage(err)}`);
						}
					}
				}
				return { ok: false, reason: "failed", errors };
			},
		},
	};
}
