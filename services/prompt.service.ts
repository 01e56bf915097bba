import { waitingBulkhead } from "../lib/action-options";
import type { Context, ServiceSchema } from "moleculer";
import type { Tier } from "../lib/config";
import type { ServiceFactoryContext } from "../lib/runner";
import { countTokens, loadTokenizer } from "../lib/tokens";
import { OptimizeParamsSchema, WithToolResultParamsSchema, type Intent, type OptimizeParams, type WithToolResultParams } from "../lib/contracts";
import { zodParams } from "../lib/contracts/validator";
import CheapestLlmMixin, { type CheapestAnswer, type VerdictCache } from "../mixins/cheapest-llm.mixin";
import { contextBytes } from "../lib/contracts";
import { PromptOffload, optimizeOffloaded } from "./prompt/offload";
import { outputBudget, type Optimized } from "./prompt/optimize";
import { withToolResult } from "./prompt/tool-result";
import { checkRewrite, MIN_REWRITE_TOKENS, REWRITE_SYSTEM, rewriteCacheKey, rewriteMaxTokens } from "./prompt/rewrite";
import type { Charge } from "../lib/contracts/complete";
import { chargedUsd } from "./models/spend";

/** What the cacher keeps per request: the accepted rewrite, or why the model's answer was refused. */
interface CachedRewrite {
	model: string;
	text?: string;
	reason?: string;
}

/** A rewrite's text when one was accepted, what happened, and the vendor calls it paid for (used or not). */
interface Rewrite {
	text?: string;
	note: string;
	charges?: Charge[];
}

/** Builds the prompt actually sent: short system prompt, relevant context, output budget, token counts. */
export default function promptService({ config, env }: ServiceFactoryContext): ServiceSchema {
	return {
		name: "prompt",
		mixins: [CheapestLlmMixin({ config })],
		actions: {
			optimize: {
				params: zodParams(OptimizeParamsSchema),
				// The LLM strategy may call a provider; the provider call carries its own deadline. It waits on it, and the
				// rest of its work runs on worker threads (prompt/offload.ts): a bulkhead for waiting (lib/action-options.ts).
				timeout: 0,
				...waitingBulkhead(env),
				async handler(ctx: Context<OptimizeParams>): Promise<Optimized> {
					const { request, context, intent, complexity, strategy } = ctx.params;
					const input = { request, context, intent, tier: complexity, max_tokens: outputBudget(config.output_budget, intent, complexity) };
					const bytes = contextBytes(context);
					if (strategy !== "llm") return optimizeOffloaded(this.offload, input, bytes);
					const rewrite: Rewrite = await this.llmRewrite(ctx, request, intent, complexity);
					const optimized = await optimizeOffloaded(this.offload, rewrite.text ? { ...input, rewritten_request: rewrite.text } : input, bytes);
					optimized.notes.push(rewrite.note);
					if (rewrite.charges?.length) {
						optimized.rewrite_cost_usd = chargedUsd(rewrite.charges);
						optimized.rewrite_charges = rewrite.charges;
					}
					return optimized;
				},
			},
			/** A tool-then-LLM chain: the prompt with the tool's result (limits.max_context_bytes, like an attached context). */
			withToolResult: {
				params: zodParams(WithToolResultParamsSchema),
				handler(ctx: Context<WithToolResultParams>): { prompt: string } {
					const { prompt, tool, text, is_error } = ctx.params;
					return { prompt: withToolResult(prompt, tool, text, !!is_error, config.limits.max_context_bytes) };
				},
			},
		},
		methods: {
			/**
			 * The cheapest live model rewrites the request; the answer is used only if it keeps every
			 * protected term and is shorter than the rule-based compression. Verdicts are cached
			 * (Moleculer's cacher, keyed by a hash of the input), so a request is paid for once.
			 */
			async llmRewrite(ctx: Context, request: string, intent: Intent, tier: Tier): Promise<Rewrite> {
				const prefix = "prompt_strategy llm:";
				if (countTokens(request) < MIN_REWRITE_TOKENS) {
					return { note: `${prefix} request under ${MIN_REWRITE_TOKENS} tokens, not worth a rewrite call; default compression used` };
				}
				const key = rewriteCacheKey(request, intent, tier);
				const cache: VerdictCache = this.verdictCache(ctx);
				// A cache outage costs a rewrite call, never the request.
				const hit = await cache.get<CachedRewrite>(key);
				if (hit) {
					return hit.text
						? { text: hit.text, note: `${prefix} rewrite by ${hit.model} (cached)` }
						: { note: `${prefix} ${hit.reason} (${hit.model}, cached); default compression used` };
				}
				const answer: CheapestAnswer = await this.askCheapestLive(ctx, {
					system: REWRITE_SYSTEM,
					messages: [{ role: "user", content: request }],
					max_tokens: rewriteMaxTokens(request),
					temperature: 0,
				});
				if (!answer.ok) {
					return answer.reason === "no_live_model"
						? { note: `${prefix} no live provider; default compression used` }
						: { note: `${prefix} every rewrite call failed (${answer.errors.join("; ")}); default compression used`, charges: answer.charges };
				}
				const verdict = checkRewrite(request, answer.text);
				const entry: CachedRewrite = verdict.ok ? { model: answer.model, text: verdict.text } : { model: answer.model, reason: verdict.reason };
				await cache.set(key, entry);
				// Paid whether the rewrite is used or refused: the request's cost includes it either way.
				return verdict.ok
					? { text: verdict.text, note: `${prefix} rewrite by ${answer.model} (${answer.spent})`, charges: answer.charges }
					: { note: `${prefix} ${verdict.reason} (${answer.model}, ${answer.spent}); default compression used`, charges: answer.charges };
			},
		},
		created() {
			this.offload = new PromptOffload();
			// Before the node joins the bus, not on its first request (lib/tokens.ts loadTokenizer).
			loadTokenizer();
		},
		async stopped() {
			await this.offload.stop();
		},
	};
}
