import { waitingBulkhead } from "../lib/action-options";
import { Errors, type Context, type ServiceSchema } from "moleculer";
import { waitForServicesMs } from "../lib/mcp-ready";
import { errorMessage } from "../lib/errors";
import { requestDeadlineMs } from "../lib/deadline";
import { cancelCharge, isCancelled } from "../lib/cancel";
import type { Charge, FinishReason, ModelsCompleteFailure, ModelsCompleteParams, ModelsCompleteResult } from "../lib/contracts/complete";
import { fromRegistry, liveServices, servable, type McpMetadata, type ProviderMetadata } from "../lib/registry";
import type { ServiceFactoryContext } from "../lib/runner";
import {
	ANALYSIS_SPEND,
	analyzeParamsSchema,
	contextBytes,
	HELPERS_COUNTED,
	ORCHESTRATOR_REQUEST,
	type AnalysisSpend,
	type Analysis,
	type ComplexityResult,
	type Estimate,
	PAID_HELPERS,
	type EstimateParams,
	type OptimizeParams,
	type RouteParams,
	type SelectParams,
	type StageParams,
	type IntentResult,
	type Optimized,
	type OrchestrateResult,
	type RequestParams,
	type RequestRecord,
	type Route,
	type Selection,
} from "../lib/contracts";
import { zodParams } from "../lib/contracts/validator";
import { checkedCall } from "../lib/validator";
import { CORRECTIONS_CHANGED } from "./models/correction";
import { roundUsd } from "./models/pricing";
import { answerCharges, chargedUsd, triesCharges } from "./models/spend";
import { assembleAnalysis, initialResult, needsLlm } from "./orchestrator/analysis";
import { analyzeOnce } from "./orchestrator/analyze-call";
import McpPresenceMixin from "../mixins/mcp-presence.mixin";
import { analysisCacheKey, completionCacheKey, contextChars, digest, keepsAnswer, MAX_CACHED_CONTEXT_CHARS } from "./orchestrator/cache-keys";
import { creditedModel, fallbackEdges } from "./orchestrator/attempts";
import { allowedModels, keyModels, keyName, type KeyMeta } from "../lib/auth/keys";

/** A completion as kept in the cache: the answer and who gave it, never an error. */
interface CachedCompletion {
	text: string;
	model: string;
	provider: string;
	finish_reason?: string;
}

/**
 * Call options of a stage call that skips the stages' caches (options.cache: false), built once: Moleculer copies call
 * options into each call's own and merges `meta` into a new object, never writing to either (lib/validator.ts checkedCall).
 */
const NO_CACHE_CHECKED = checkedCall({ meta: { $cache: false } });

/** Chains the pipeline stages with broker.call: intent + complexity, then route + prompt, model, execution. */
export default function orchestratorService({ config, env }: ServiceFactoryContext): ServiceSchema {
	// lib/contracts/request.ts, checked by Moleculer's validator (context.files included).
	const params = zodParams(analyzeParamsSchema(config.limits));
	const baselineModel = config.tiers.complex.preferred;
	const ttl = config.cache.ttl_seconds;
	// A changed config.yaml (prices, tiers) must not read analyses made under the old one.
	const configDigest = digest(config);
	// The learned input-token ratios in force (models.corrections.changed): estimates made under others are stale.
	let tokenRatios: Record<string, number> = {};

	/** Moleculer cache key of an analysis; `this` is the cacher, so the live cluster is at hand. */
	function analysisKeygen(this: { broker: import("moleculer").ServiceBroker }, action: string, p: RequestParams, meta: KeyMeta): string {
		// What the live cluster adds to the key, rebuilt when the registry changes, not per request.
		const live = fromRegistry(this.broker, "orchestrator:analysis-key", () => {
			const providers = liveServices<ProviderMetadata>(this.broker, "provider");
			// A service reconnecting to its server offers no tools to the router: it must not share keys with a connected one.
			const tools = liveServices<McpMetadata>(this.broker, "mcp").filter(s => s.meta.connected !== false);
			return {
				// A model's tiers (OPENAI_COMPATIBLE_TIERS) change the selection as much as the model set does.
				live_models: [...new Set(providers.flatMap(s => s.meta.models.map(m => (s.meta.tiers?.[m] ? `${m}=${s.meta.tiers[m].join("+")}` : m))))],
				live_tools: tools.flatMap(s => [s.service, ...(s.meta.tools ?? []).map(t => `${s.service}.${t.name}`)]),
			};
		});
		return `${action}:${analysisCacheKey({
			request: p.request,
			context: p.context,
			options: p.options as Record<string, unknown> | undefined,
			live_models: live.live_models,
			live_tools: live.live_tools,
			config: configDigest,
			token_ratios: tokenRatios,
			// A key limited to some models is planned on them.
			allowed_models: keyModels(config, meta ?? {}),
			// Each key's analyses are its own, as its completions are (its name, never the secret).
			tenant: meta?.key?.name,
		})}`;
	}

	return {
		name: "orchestrator",
		mixins: [McpPresenceMixin({ config, graceMs: waitForServicesMs(env) })],
		dependencies: ["intent", "complexity", "router", "prompt", "models"],
		actions: {
			analyze: {
				params,
				// It may wait on an LLM (the intent assist, the rewrite): a bulkhead for waiting (lib/action-options.ts).
				...waitingBulkhead(env),
				// Its stage calls retry themselves; see orchestrate.
				retryPolicy: { enabled: false },
				// Moleculer's cacher (Redis with CACHER=redis://): the same normalized request is analysed once per TTL.
				cache: {
					// Not for a big context (MAX_CACHED_CONTEXT_CHARS): entries would hold it whole. (Nor for params the contract
					// refuses: the validator adds that, lib/validator.ts checkBeforeCache.)
					enabled: (ctx: Context<RequestParams>) =>
						ttl.analysis > 0 && ctx.params.options?.cache !== false && contextChars(ctx.params.context) <= MAX_CACHED_CONTEXT_CHARS,
					ttl: ttl.analysis,
					keygen: analysisKeygen as any,
				},
				async handler(ctx: Context<RequestParams, { $stages?: Record<string, number>; [HELPERS_COUNTED]?: boolean; key?: string }>): Promise<Analysis> {
					const { analysis, stages } = await this.analyzeRequest(ctx);
					// orchestrate reads the stage timings here: Moleculer merges a sub-call's meta into the caller's.
					ctx.meta.$stages = stages;
					// Asked for on its own (/api/analyze, analyze_request): no request record will count what its helper calls paid.
					const spend = analysis.helper_charges ?? [];
					if (!ctx.meta[HELPERS_COUNTED] && spend.length) {
						const event: AnalysisSpend = { spend };
						if (ctx.meta.key) event.key = ctx.meta.key;
						ctx.emit(ANALYSIS_SPEND, event);
					}
					return analysis;
				},
			},
			orchestrate: {
				params,
				// Most of a request's time is the vendor's or the tool server's: a bulkhead for waiting (lib/action-options.ts).
				...waitingBulkhead(env),
				// The request's deadline (lib/deadline.ts): Moleculer gives every call underneath what is left of it.
				timeout: requestDeadlineMs(env),
				// Its failures are its providers' (each behind its own breaker, per endpoint) or the
				// caller's: counting them here would take the whole orchestrator offline when, say, no
				// provider serves the asked model. A boolean, so the remote callers' breakers see it too.
				circuitBreaker: { enabled: false },
				// Every stage and provider call inside is retried on its own; retrying the whole walk on
				// top would multiply the tries (3 x 3) and record one request three times.
				retryPolicy: { enabled: false },
				async handler(ctx: Context<RequestParams, { $stages?: Record<string, number>; $cache?: boolean }>): Promise<OrchestrateResult> {
					const started = Date.now();
					// options.cache: false bypasses every cache on the way, through Moleculer's own $cache meta flag.
					if (ctx.params.options?.cache === false) ctx.meta.$cache = false;
					delete ctx.meta.$stages;
					let analysis: Analysis;
					let stages: Record<string, number>;
					if (ctx.meta.$cache === false || ttl.analysis <= 0) {
						// No cache to look in: the analysis runs here, without a second pass through the
						// action's middlewares and its validator over params this action has just checked.
						({ analysis, stages } = await this.analyzeRequest(ctx));
						stages.analysis = Date.now() - started;
					} else {
						// Params orchestrate's own validator has just parsed to the same contract. A cached analysis ran no stage:
						// only its total is known.
						let ran: Record<string, number> | undefined;
						({ analysis, stages: ran } = await analyzeOnce(ctx, ctx.params));
						stages = { ...ran, analysis: Date.now() - started };
					}
					const result = initialResult(analysis, !!ctx.params.options?.dry_run);
					// What the caller's own analysis of this request paid (a /v1 tool answer's intent assist): counted here too.
					const paid = (ctx.meta as Record<string, unknown>)[PAID_HELPERS];
					if (Array.isArray(paid)) {
						delete (ctx.meta as Record<string, unknown>)[PAID_HELPERS];
						this.charged(result, paid as Charge[]);
					}
					if (result.dry_run) {
						result.latency_ms = Date.now() - started;
						this.record(ctx, result, "dry_run", stages);
						return result;
					}
					const execStart = Date.now();
					try {
						await this.execute(ctx, analysis, result);
						stages.execute = Date.now() - execStart;
						result.latency_ms = Date.now() - started;
						this.record(ctx, result, "ok", stages);
						return result;
					} catch (err) {
						stages.execute = Date.now() - execStart;
						result.latency_ms = Date.now() - started;
						if (isCancelled(err)) {
							// The caller gave up: not a failure of ours, and a call that had reached its vendor is paid (the
							// budget settled to its input): the record counts that cost, under the model it was sent to.
							const charge = cancelCharge(err);
							result.model = charge?.model ?? null;
							// The walk's tries before the cancel, a billed one (timed out) with them: the budget settled it too.
							const tries = (err as { data?: { tries?: unknown } }).data?.tries;
							if (Array.isArray(tries)) this.tried(result, tries);
							if (charge) {
								result.usage = { input_tokens: charge.input_tokens, output_tokens: charge.output_tokens };
								this.charged(result, [charge]);
							}
							this.record(ctx, result, "cancelled", stages);
						} else this.record(ctx, result, "error", stages);
						throw err;
					}
				},
			},
		},
		events: {
			/** Broadcast by every models service when an applied ratio moves. */
			[CORRECTIONS_CHANGED](ctx: Context<{ ratios: Record<string, number> }>) {
				tokenRatios = ctx.params.ratios ?? {};
			},
		},
		methods: {
			checkLimits(p: RequestParams) {
				const bytes = contextBytes(p.context);
				if (bytes > config.limits.max_context_bytes) {
					throw new Errors.MoleculerClientError(
						`context is ${bytes} bytes, over the limit of ${config.limits.max_context_bytes} bytes (limits.max_context_bytes in config.yaml)`,
						413,
						"CONTEXT_TOO_LARGE",
						{ field: "context", limit: config.limits.max_context_bytes, size: bytes },
					);
				}
			},

			async analyzeRequest(ctx: Context<RequestParams>): Promise<{ analysis: Analysis; stages: Record<string, number> }> {
				this.checkLimits(ctx.params);
				const { request } = ctx.params;
				// JSON null is "not given", as the validator reads it for an optional field (a stage's context is an object or absent).
				const context = ctx.params.context ?? undefined;
				const options = ctx.params.options ?? {};
				const stages: Record<string, number> = {};
				// Every stage call below carries params built here, to the stage's contract (lib/contracts/stages.ts), from the
				// request parsed at this action's edge and the stages' typed answers: a stage on this node does not parse them
				// again, one on another node does (lib/validator.ts, PARAMS_CHECKED).
				const checked = checkedCall();
				const noCache = options.cache === false ? NO_CACHE_CHECKED : checked;
				// The key's models (auth.keys[].models): the plan names no other; a preferred model outside them is a 403 now.
				const allowed = keyModels(config, ctx.meta as KeyMeta);
				if (allowed && options.preferred_models?.length) allowedModels(config, ctx.meta as KeyMeta, [], options.preferred_models);
				const timed = async <T>(stage: string, p: Promise<T>): Promise<T> => {
					const t = Date.now();
					try {
						return await p;
					} finally {
						stages[stage] = Date.now() - t;
					}
				};
				const [intent, complexity] = await Promise.all([
					// options.cache: false also skips the cached LLM assist verdict, as for the rewrite below.
					timed("intent", ctx.call<IntentResult, StageParams>("intent.classify", { request, context }, noCache)),
					timed("complexity", ctx.call<ComplexityResult, StageParams>("complexity.analyze", { request, context }, checked)),
				]);
				// The route reads the intent only, the prompt the intent and the tier: neither waits for the other (two
				// round trips at once when the stages are on other nodes).
				const [route, prompt] = await Promise.all([
					timed(
						"router",
						ctx.call<Route, RouteParams>(
							"router.route",
							{ request, context, intent: intent.intent, intent_confidence: intent.confidence },
							checked,
						),
					),
					timed(
						"prompt",
						ctx.call<Optimized, OptimizeParams>(
							"prompt.optimize",
							{ request, context, intent: intent.intent, complexity: complexity.complexity, strategy: options.prompt_strategy },
							// options.cache: false also skips the cached LLM rewrite, on analyze as on orchestrate.
							noCache,
						),
					),
				]);
				const [selection, baseline] = await timed(
					"models",
					Promise.all([
						needsLlm(route)
							? ctx.call<Selection, SelectParams>(
									"models.select",
									{
										tier: complexity.complexity,
										input_tokens: prompt.input_tokens,
										max_tokens: prompt.max_tokens,
										preferred_models: options.preferred_models,
										max_cost: options.max_cost,
										...(allowed ? { allowed_models: allowed } : {}),
									},
									checked,
								)
							: undefined,
						// The baseline is priced with the same learned correction as the optimized call, so the two compare.
						ctx.call<Estimate, EstimateParams>(
							"models.estimate",
							{ model: baselineModel, input_tokens: prompt.baseline_input_tokens, output_tokens: prompt.max_tokens },
							checked,
						),
					]),
				);
				const analysis = assembleAnalysis({ intent, complexity, route, prompt, selection, baseline });
				return { analysis, stages };
			},

			async execute(ctx: Context<RequestParams>, analysis: Analysis, result: OrchestrateResult) {
				let prompt = analysis.optimized_prompt;
				if (analysis.route.kind === "mcp") {
					const tool = await ctx.call<{ text: string; isError?: boolean }, unknown>(`${analysis.route.service}.callTool`, {
						tool: analysis.route.tool,
						arguments: analysis.route.arguments ?? {},
					});
					if (!analysis.route.then_llm) {
						// A tool that answers with an error (no such file...) is not an answer to show as one.
						if (tool.isError) {
							throw new Errors.MoleculerClientError(
								`${analysis.route.service}.${analysis.route.tool} could not answer: ${tool.text}`,
								422,
								"TOOL_ERROR",
								{
									service: analysis.route.service,
									tool: analysis.route.tool,
								},
							);
						}
						result.output = tool.text;
						return;
					}
					// The prompt service builds every prompt text, this one included.
					({ prompt } = await ctx.call<{ prompt: string }, unknown>("prompt.withToolResult", {
						prompt,
						tool: analysis.route.tool,
						text: tool.text,
						is_error: !!tool.isError,
					}));
				}
				await this.answerWithCache(ctx, analysis, prompt, result);
			},

			/**
			 * The completion cache around the provider calls, here rather than on each provider's
			 * `complete` so that a cached answer is found before any provider is resolved (it holds
			 * while that provider is down) and a hit is known for certain: it is our own lookup.
			 */
			async answerWithCache(ctx: Context<RequestParams, { $cache?: boolean }>, analysis: Analysis, prompt: string, result: OrchestrateResult) {
				const cacher = this.broker.cacher;
				const options = (ctx.params.options ?? {}) as Record<string, unknown>;
				const temperature = typeof options.temperature === "number" ? options.temperature : 0;
				const useCache = !!cacher && ttl.completion > 0 && ctx.meta.$cache !== false;
				const tenant = keyName(ctx);
				const keyOf = (model: string) =>
					useCache
						? completionCacheKey({ model, system: analysis.system_prompt, prompt, max_tokens: analysis.max_tokens, temperature, tenant })
						: null;
				const chain = [analysis.model, ...analysis.fallbacks].filter((m): m is string => !!m);
				// No cache to read (options.cache: false, a TTL of 0): nothing to wait for before the walk.
				const found = useCache
					? await Promise.all(chain.map(keyOf).map(key => (key ? (cacher!.get(key).catch(() => null) as Promise<CachedCompletion | null>) : null)))
					: [];
				// Mirrors the walk below: a model's cached answer serves only if no model before it could answer now.
				for (const [i, hit] of found.entries()) {
					if (!hit?.text) {
						if (servable(this.broker, chain[i])) break;
						continue;
					}
					// A cached answer spends no tokens: usage and cost are 0, the answer is the one first paid for.
					result.output = hit.text;
					result.model = hit.model;
					result.route = { ...result.route, provider: hit.provider, model: hit.model };
					result.usage = { input_tokens: 0, output_tokens: 0 };
					result.token_accounting.usage_source = "cache";
					result.cached = true;
					result.attempts.push({ provider: hit.provider, model: hit.model, ok: true, cached: true });
					return;
				}
				const finish = await this.callModels(ctx, analysis, prompt, result);
				const key = result.model && keepsAnswer(finish) ? keyOf(result.model) : null;
				if (key && result.output != null) {
					// Only answers reach this line: a failed walk threw above, so errors are never cached.
					const entry: CachedCompletion = { text: result.output, model: result.model!, provider: result.route.provider ?? "unknown" };
					await cacher!.set(key, entry, ttl.completion).catch((err: Error) => this.logger.debug("completion not cached:", err.message));
				}
			},

			/**
			 * The chosen model then its fallbacks through `models.complete`, the one walk to a model
			 * (resolve, skip open breakers, complete, record tries, price, learn usage).
			 */
			/** Fills the result from the walk's answer; returns how the answer ended (whether the completion cache keeps it). */
			async callModels(ctx: Context<RequestParams>, analysis: Analysis, prompt: string, result: OrchestrateResult): Promise<FinishReason | undefined> {
				// A model the key may not call is left out of the walk; one the caller named is a 403.
				const chain = allowedModels(
					config,
					ctx.meta as KeyMeta,
					[analysis.model, ...analysis.fallbacks].filter((m): m is string => !!m),
					ctx.params.options?.preferred_models,
				);
				if (!chain.length)
					throw new Errors.MoleculerError("no model to try", 503, "NO_PROVIDER", { models: chain, env: [], attempts: result.attempts });
				let answer: ModelsCompleteResult;
				try {
					answer = await ctx.call<ModelsCompleteResult, ModelsCompleteParams>(
						"models.complete",
						{
							models: chain,
							system: analysis.system_prompt,
							messages: [{ role: "user", content: prompt }],
							max_tokens: analysis.max_tokens,
							temperature: 0,
						},
						checkedCall(),
					);
				} catch (err) {
					const e = err as Errors.MoleculerError;
					const failure = e.data as Partial<ModelsCompleteFailure> | undefined;
					// A cancel carries its charge and tries for orchestrate's cancel branch: passed on as it is.
					if (!Array.isArray(failure?.tries) || isCancelled(err)) throw err;
					// No answer, but a try the vendor may have billed is paid all the same.
					this.tried(result, failure.tries);
					if (e.type === "NO_PROVIDER")
						throw new Errors.MoleculerError(e.message, e.code, e.type, { models: chain, env: failure.env ?? [], attempts: result.attempts });
					throw new Errors.MoleculerError(e.message, e.code, e.type, { attempts: result.attempts });
				}
				result.attempts.push(...answer.tries);
				result.output = answer.text;
				result.usage = answer.usage;
				result.token_accounting.usage_source = answer.usage_source;
				result.model = answer.model;
				result.route = { ...result.route, provider: answer.provider, model: answer.model };
				this.charged(result, answerCharges(answer));
				return answer.finish_reason;
			},

			/** A walk's tries that ended without an answer, in the result's attempts, and those the vendor may have billed in its charges. */
			tried(result: OrchestrateResult, tries: OrchestrateResult["attempts"]) {
				result.attempts.push(...tries);
				this.charged(result, triesCharges(tries));
			},

			/** Vendor calls this request paid for, added to its charges and its cost (services/models/spend.ts). */
			charged(result: OrchestrateResult, charges: Charge[]) {
				if (!charges.length) return;
				result.charges.push(...charges);
				result.cost_usd = roundUsd(result.cost_usd + chargedUsd(charges));
			},

			/** The ratios a models service applies now, for the analysis cache key. */
			async loadTokenRatios() {
				try {
					tokenRatios = (await this.broker.call<{ applied: Record<string, number> }, unknown>("models.corrections", {})).applied;
				} catch (err) {
					this.logger.debug(`token ratios not loaded: ${errorMessage(err)}`);
				}
			},

			record(ctx: Context, result: OrchestrateResult, status: RequestRecord["status"], stages: Record<string, number>) {
				const fallbacks = fallbackEdges(result.attempts);
				const record: RequestRecord = {
					ts: Date.now(),
					intent: result.intent,
					complexity: result.complexity,
					route: result.route.kind,
					model: creditedModel(status, result.model, result.attempts),
					status,
					llm: result.route.kind === "llm" || !!result.route.then_llm,
					latency_ms: result.latency_ms,
					stages_ms: stages,
					input_tokens: result.usage.input_tokens,
					output_tokens: result.usage.output_tokens,
					baseline_input_tokens: result.baseline_input_tokens,
					cost_usd: result.cost_usd,
					spend: result.charges,
					baseline_cost_usd: result.baseline_cost_usd,
					cached: result.cached,
					fallbacks,
					key: keyName(ctx) ?? "",
				};
				// Balanced event: exactly one metrics instance in the cluster records each request.
				ctx.emit(ORCHESTRATOR_REQUEST, record);
			},
		},
		async started() {
			await this.loadTokenRatios();
		},
	};
}
