import type { Context, ServiceSchema } from "moleculer";
import { keyName } from "../lib/auth/keys";
import type { Config } from "../lib/config";
import { cancelCharge } from "../lib/cancel";
import type { Charge, ModelsCompleteFailure, ModelsCompleteParams, ModelsCompleteResult } from "../lib/contracts/complete";
import { errorMessage } from "../lib/errors";
import { answerCharges, chargedUsd, triesCharges } from "../services/models/spend";

/**
 * One helper call: everything `models.complete` takes but the chain, which is the live catalog cheapest first, and
 * `until` (epoch ms) for its deadline: after it no further model or provider is tried.
 */
export type CheapestAsk = Omit<ModelsCompleteParams, "models" | "deadline_ms"> & { until?: number };

/** Where helper verdicts are kept; reads and writes never fail (an outage reads as a miss). */
export interface VerdictCache {
	get<T>(key: string): Promise<T | null>;
	set(key: string, value: unknown): Promise<void>;
}

export type CheapestAnswer =
	/** The walk's answer (model and service that answered, text, usage, cost_usd at catalog prices, tries), plus */
	(
		| (ModelsCompleteResult & {
				ok: true;
				/** "input+output tokens, cost USD", for the caller's notes. */
				spent: string;
		  })
		/** no_live_model: nothing to ask; failed: every try failed (errors name them); aborted: deadline_ms passed first. */
		| { ok: false; reason: "no_live_model" | "failed" | "aborted"; errors: string[] }
	) & {
		/**
		 * Every vendor call the helper paid for, failed ones the vendor may have billed included (services/models/spend.ts):
		 * the request that asked for it reports them with its own.
		 */
		charges: Charge[];
	};

/**
 * Helper calls to the cheapest live model (the prompt service's rewrite, the intent service's
 * low-confidence assist): `models.complete` with the live catalog, cheapest first, as the chain.
 * Errors never escape: the answer says what failed, and the caller keeps its own result.
 * Verdicts go to Moleculer's cacher (`verdictCache`) for the completion TTL, so a request is paid for once.
 */
export default function CheapestLlmMixin({ config }: { config: Config }): Partial<ServiceSchema> {
	return {
		methods: {
			/**
			 * options.cache: false reaches a service as Moleculer's $cache meta flag: then no read and no write. With keys, each
			 * key reads only the verdicts it paid for: another key's (note "cached", cost 0) told its caller that the other had
			 * sent exactly this text, and handed it a verdict of a model its own key may not call.
			 */
			verdictCache(ctx: Context): VerdictCache {
				const cacher = (ctx.meta as { $cache?: boolean }).$cache === false ? undefined : this.broker.cacher;
				const tenant = keyName(ctx);
				const scoped = (key: string) => (tenant ? `${key}:key=${tenant}` : key);
				return {
					get: async <T>(key: string) => (cacher ? ((await cacher.get(scoped(key)).catch(() => null)) as T | null) : null),
					set: async (key: string, value: unknown) => {
						if (cacher) await cacher.set(scoped(key), value, config.cache.ttl_seconds.completion).catch(() => undefined);
					},
				};
			},

			async askCheapestLive(ctx: Context, ask: CheapestAsk): Promise<CheapestAnswer> {
				let models: string[];
				try {
					models = (await ctx.call<{ id: string }[], { only: "live_cheapest_first" }>("models.catalog", { only: "live_cheapest_first" })).map(
						m => m.id,
					);
				} catch (err) {
					return { ok: false, reason: "failed", errors: [`models.catalog: ${errorMessage(err)}`], charges: [] };
				}
				if (!models.length) return { ok: false, reason: "no_live_model", errors: [], charges: [] };
				try {
					// What is left of `until` once the catalog has answered: the walk's own answer then comes inside it.
					const { until, ...call } = ask;
					const deadline = until === undefined ? {} : { deadline_ms: Math.max(1, Math.round(until - Date.now())) };
					const answer = await ctx.call<ModelsCompleteResult, ModelsCompleteParams>("models.complete", { ...call, ...deadline, models });
					const { input_tokens, output_tokens } = answer.usage;
					const charges = answerCharges(answer);
					return { ...answer, ok: true, spent: `${input_tokens}+${output_tokens} tokens, ${chargedUsd(charges)} USD`, charges };
				} catch (err) {
					const e = err as { type?: string; data?: Partial<ModelsCompleteFailure> };
					const tries = e.data?.tries ?? [];
					const errors = tries.length
						? tries.map(t => `${t.model}${t.service ? `@${t.service}` : ""}: ${t.error ?? t.reason ?? "error"}`)
						: [errorMessage(err)];
					// A failed walk's tries the vendor may have billed, or the charge of a call its caller gave up on after sending.
					const cancelled = cancelCharge(err);
					const charges = cancelled ? [...triesCharges(tries), cancelled] : triesCharges(tries);
					return { ok: false, reason: e.type === "DEADLINE_EXCEEDED" ? "aborted" : "failed", errors, charges };
				}
			},
		},
	};
}
