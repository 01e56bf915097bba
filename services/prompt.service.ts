import type { Context, ServiceSchema } from "moleculer";
import { TIERS, type Tier } from "../lib/config";
import { errorMessage } from "../lib/errors";
import type { ServiceFactoryContext } from "../lib/runner";
import { countMessageTokens, countTokens } from "../lib/tokens";
import { INTENTS, type Intent, type RequestContext } from "../lib/types";
import { priceUsd } from "./models/pricing";
import { optimizePrompt, outputBudget, type Optimized } from "./prompt/optimize";
import { checkRewrite, cheapestLive, MIN_REWRITE_TOKENS, REWRITE_SYSTEM, rewriteCacheKey, rewriteMaxTokens, type CatalogEntry } from "./prompt/rewrite";

interface OptimizeParams {
	request: string;
	context?: RequestContext;
	intent: Intent;
	complexity: Tier;
	strategy?: "default" | "llm";
}

interface Completion {
	text: string;
	usage: { input_tokens: number; output_tokens: number };
}

/** What the cacher keeps per request: the accepted rewrite, or why the model's answer was refused. */
interface CachedRewrite {
	model: string;
	text?: string;
	reason?: string;
}

/** Builds the prompt actually sent: short system prompt, relevant context, output budget, token counts. */
export default function promptService({ config }: ServiceFactoryContext): ServiceSchema {
	return {
		name: "prompt",
		actions: {
			optimize: {
				params: {
					request: "string",
					context: { type: "object", optional: true },
					intent: { type: "enum", values: [...INTENTS] },
					complexity: { type: "enum", values: [...TIERS] },
					strategy: { type: "enum", values: ["default", "llm"], optional: true },
				},
				// The LLM strategy may call a provider; the provider call carries its own deadline.
				timeout: 0,
				async handler(ctx: Context<OptimizeParams>): Promise<Optimized> {
					const { request, context, intent, complexity, strategy } = ctx.params;
					const input = { request, context, intent, tier: complexity, max_tokens: outputBudget(config.output_budget, intent, complexity) };
					if (strategy !== "llm") return optimizePrompt(input);
					const rewrite: { text?: string; note: string; cost_usd?: number } = await this.llmRewrite(ctx, request, intent, complexity);
					const optimized = optimizePrompt(rewrite.text ? { ...input, rewritten_request: rewrite.text } : input);
					optimized.notes.push(rewrite.note);
					if (rewrite.cost_usd !== undefined) optimized.rewrite_cost_usd = rewrite.cost_usd;
					return optimized;
				},
			},
		},
		methods: {
			/**
			 * The cheapest live model rewrites the request; the answer is used only if it keeps every
			 * protected term and is shorter than the rule-based compression. Verdicts are cached
			 * (Moleculer's cacher, keyed by a hash of the input), so a request is paid for once.
			 */
			async llmRewrite(ctx: Context, request: string, intent: Intent, tier: Tier): Promise<{ text?: string; note: string; cost_usd?: number }> {
				const prefix = "prompt_strategy llm:";
				if (countTokens(request) < MIN_REWRITE_TOKENS) {
					return { note: `${prefix} request under ${MIN_REWRITE_TOKENS} tokens, not worth a rewrite call; default compression used` };
				}
				const key = rewriteCacheKey(request, intent, tier);
				// options.cache: false reaches here as Moleculer's $cache meta flag: no read, no write.
				const cacher = (ctx.meta as { $cache?: boolean }).$cache === false ? undefined : this.broker.cacher;
				// A cache outage costs a rewrite call, never the request.
				const hit = cacher ? ((await cacher.get(key).catch(() => null)) as CachedRewrite | null) : null;
				if (hit) {
					return hit.text
						? { text: hit.text, note: `${prefix} rewrite by ${hit.model} (cached)` }
						: { note: `${prefix} ${hit.reason} (${hit.model}, cached); default compression used` };
				}
				const live = cheapestLive(await ctx.call<CatalogEntry[]>("models.catalog"));
				if (!live.length) return { note: `${prefix} no live provider; default compression used` };
				const errors: string[] = [];
				for (const model of live) {
					let resolved: { provider: string; services: string[]; api_model: string };
					try {
						resolved = await ctx.call("models.resolve", { model: model.id });
					} catch (err) {
						errors.push(`${model.id}: ${errorMessage(err)}`);
						continue;
					}
					for (const service of resolved.services) {
						let completion: Completion;
						try {
							completion = await ctx.call<Completion, unknown>(`${service}.complete`, {
								model: resolved.api_model,
								system: REWRITE_SYSTEM,
								messages: [{ role: "user", content: request }],
								max_tokens: rewriteMaxTokens(request),
								temperature: 0,
							});
						} catch (err) {
							errors.push(`${model.id}@${service}: ${errorMessage(err)}`);
							continue;
						}
						// A paid call teaches the models service this vendor's token count, like any other.
						ctx.broadcast("tokens.usage", {
							model: model.id,
							estimated_input_tokens: countMessageTokens([
								{ role: "system", content: REWRITE_SYSTEM },
								{ role: "user", content: request },
							]),
							reported_input_tokens: completion.usage.input_tokens,
						});
						const verdict = checkRewrite(request, completion.text);
						const cost = priceUsd(config.models[model.id], completion.usage.input_tokens, completion.usage.output_tokens);
						const entry: CachedRewrite = verdict.ok ? { model: model.id, text: verdict.text } : { model: model.id, reason: verdict.reason };
						if (cacher) await cacher.set(key, entry, config.cache.ttl_seconds.completion).catch(() => undefined);
						const spent = `${completion.usage.input_tokens}+${completion.usage.output_tokens} tokens, ${cost} USD`;
						// Paid whether the rewrite is used or refused: the request's cost includes it either way.
						return verdict.ok
							? { text: verdict.text, note: `${prefix} rewrite by ${model.id} (${spent})`, cost_usd: cost }
							: { note: `${prefix} ${verdict.reason} (${model.id}, ${spent}); default compression used`, cost_usd: cost };
					}
				}
				return { note: `${prefix} every rewrite call failed (${errors.join("; ")}); default compression used` };
			},
		},
	};
}
