import type { Context, ServiceSchema } from "moleculer";
import { SYNC_STAGE_ACTION, waitingBulkhead } from "../lib/action-options";
import { errorMessage } from "../lib/errors";
import type { ServiceFactoryContext } from "../lib/runner";
import { stageKeygen } from "./orchestrator/cache-keys";
import { StageParamsSchema, type Intent, type IntentResult, type StageParams } from "../lib/contracts";
import { zodParams } from "../lib/contracts/validator";
import CheapestLlmMixin, { type CheapestAnswer, type VerdictCache } from "../mixins/cheapest-llm.mixin";
import { ASSIST_SYSTEM, assistCacheKey, assistMessage, parseLabel } from "./intent/assist";
import { classifyIntent } from "./intent/classifier";
import { shippedEmbeddings } from "../lib/nlp/embeddings";
import type { Charge } from "../lib/contracts/complete";
import { chargedUsd } from "./models/spend";

/** A cached assist verdict: the model's label, or the answer it gave that was no label. */
interface CachedVerdict {
	model: string;
	intent?: Intent;
	answer?: string;
}

/** The assist's verdict or why there is none, with every vendor call it paid for (a failed walk's billed tries too). */
type Outcome = ({ verdict: CachedVerdict; spent?: string } | { failed: string }) & { charges?: Charge[] };

const NOTE = "intent llm_assist:";

/**
 * Intent of a request: READ, WRITE, SEARCH, ANALYZE or MANAGE, with a confidence. With
 * `intent.llm_assist` on, a label the local model is unsure of is asked of the cheapest live model.
 */
export default function intentService({ config, env }: ServiceFactoryContext): ServiceSchema {
	const assist = config.intent.llm_assist;
	return {
		name: "intent",
		mixins: [CheapestLlmMixin({ config })],
		// Before the node joins the bus, not on its first request: reading and decoding the shipped embeddings (3 MB) takes ~55 ms
		// of CPU (more on a busy machine), which held that request and /health with it (as lib/tokens.ts loadTokenizer says of the tokenizer).
		created() {
			shippedEmbeddings();
		},
		actions: {
			classify: {
				// Without the assist the handler is the local model alone: synchronous, nothing for a bulkhead to cap. With it, it
				// waits on the cheapest LLM: a bulkhead for waiting (lib/action-options.ts).
				...(assist.enabled ? waitingBulkhead(env) : SYNC_STAGE_ACTION),
				params: zodParams(StageParamsSchema),
				// With the assist on, an answer can depend on a provider that failed this once: the assist
				// keeps its own cache of verdicts (never of failures), and the local model costs ~40-60 µs (scripts/bench/decisions.ts).
				cache: assist.enabled ? false : { keygen: stageKeygen as any, ttl: config.cache.ttl_seconds.analysis },
				async handler(ctx: Context<StageParams>): Promise<IntentResult> {
					const { request, context } = ctx.params;
					const local = classifyIntent(request, context);
					if (!assist.enabled || local.confidence >= assist.below_confidence) return { ...local, source: "model" };
					return this.assisted(ctx, local, assistMessage(request, context));
				},
			},
		},
		methods: {
			/**
			 * The local answer unless the model answers one label within `timeout_ms`. Never throws and
			 * never waits longer: what fails (no live provider, errors, a non-label, the deadline) keeps
			 * the local label and says so in the note.
			 */
			async assisted(ctx: Context, local: { intent: Intent; confidence: number }, message: string): Promise<IntentResult> {
				const kept = `local ${local.intent} ${local.confidence} kept`;
				const until = Date.now() + assist.timeout_ms;
				let timer: NodeJS.Timeout | undefined;
				const timedOut = new Promise<Outcome>(resolve => {
					timer = setTimeout(() => {
						resolve({ failed: `no answer within ${assist.timeout_ms} ms` });
					}, assist.timeout_ms);
				});
				const outcome = await Promise.race([this.askLabel(ctx, message, until) as Promise<Outcome>, timedOut]);
				clearTimeout(timer);
				// What the assist paid for, whatever it answered: the request reports it with its own spend.
				const paid = outcome.charges?.length ? { cost_usd: chargedUsd(outcome.charges), charges: outcome.charges } : {};
				if ("failed" in outcome) return { ...local, source: "model", note: `${NOTE} ${outcome.failed}; ${kept}`, ...paid };
				const { verdict, spent = "cached" } = outcome;
				if (verdict.intent) {
					return {
						intent: verdict.intent,
						confidence: local.confidence,
						source: "llm",
						note: `${NOTE} ${verdict.intent} from ${verdict.model} (local ${local.intent} ${local.confidence}; ${spent})`,
						...paid,
					};
				}
				return {
					...local,
					source: "model",
					note: `${NOTE} ${verdict.model} answered ${JSON.stringify(verdict.answer)}, not a label (${spent}); ${kept}`,
					...paid,
				};
			},

			/**
			 * One label from the cheapest live model, or from the cache. Never rejects. A verdict is cached
			 * even when it comes after the deadline, so the next identical request has it at no cost.
			 * `until` is when the assist's time is up.
			 */
			async askLabel(ctx: Context, message: string, until: number): Promise<Outcome> {
				try {
					const key = assistCacheKey(message, assist.max_tokens);
					const cache: VerdictCache = this.verdictCache(ctx);
					const hit = await cache.get<CachedVerdict>(key);
					if (hit) return { verdict: hit };
					const answer: CheapestAnswer = await this.askCheapestLive(ctx, {
						system: ASSIST_SYSTEM,
						messages: [{ role: "user", content: message }],
						max_tokens: assist.max_tokens,
						temperature: 0,
						// The assist's deadline, counted from its start (the lookups take some of it): no further model or
						// provider is tried after it, and the walk's own answer comes before the timer above gives up.
						until,
					});
					if (!answer.ok)
						return {
							failed: answer.reason === "no_live_model" ? "no live provider" : `every call failed (${answer.errors.join("; ")})`,
							charges: answer.charges,
						};
					const intent = parseLabel(answer.text);
					const verdict: CachedVerdict = intent ? { model: answer.model, intent } : { model: answer.model, answer: answer.text.slice(0, 60) };
					await cache.set(key, verdict);
					return { verdict, spent: answer.spent, charges: answer.charges };
				} catch (err) {
					return { failed: errorMessage(err) };
				}
			},
		},
	};
}
