import { Errors, type Context, type ServiceSchema } from "moleculer";
import type { Tier } from "../lib/config";
import { errorMessage } from "../lib/errors";
import { contextBytes, requestParams } from "../lib/params";
import { actionAvailable, liveServices, type McpMetadata, type ProviderMetadata } from "../lib/registry";
import type { ServiceFactoryContext } from "../lib/runner";
import { TRIES_META_KEY, type CompleteParams, type Completion, type ProviderTry } from "../mixins/provider.mixin";
import type { Analysis, Intent, OrchestrateResult, RequestContext, RequestOptions, Route } from "../lib/types";
import { countMessageTokens } from "../lib/tokens";
import { CORRECTIONS_CHANGED, TOKENS_USAGE, type UsageSample } from "./models/correction";
import { helperCostUsd, priceUsd, roundUsd } from "./models/pricing";
import { analysisCacheKey, completionCacheKey, digest } from "./orchestrator/cache-keys";
import type { Selection } from "./models/select";
import { callAttempts, failureSummary, fallbackEdges } from "./orchestrator/attempts";
import type { IntentResult } from "./intent.service";
import type { Optimized } from "./prompt/optimize";

interface RequestParams {
	request: string;
	context?: RequestContext;
	options?: RequestOptions;
}

/** A completion as kept in the cache: the answer and who gave it, never an error. */
interface CachedCompletion {
	text: string;
	model: string;
	provider: string;
	finish_reason?: string;
}

/** What the metrics service records for every finished request (event `orchestrator.request`). */
export interface RequestRecord {
	ts: number;
	intent: Intent;
	complexity: Tier;
	route: Route["kind"];
	model: string | null;
	/** dry_run: analysed only, nothing executed. */
	status: "ok" | "error" | "dry_run";
	/** The request needed an LLM answer (the denominator of the cache hit rate). */
	llm: boolean;
	latency_ms: number;
	stages_ms: Record<string, number>;
	input_tokens: number;
	output_tokens: number;
	baseline_input_tokens: number;
	cost_usd: number;
	baseline_cost_usd: number;
	cached: boolean;
	fallbacks: { from: string; to: string; reason: string }[];
}

/** Chains the pipeline stages with broker.call: intent + complexity, route, prompt, model, execution. */
export default function orchestratorService({ config }: ServiceFactoryContext): ServiceSchema {
	const params = requestParams(config);
	const baselineModel = config.tiers.complex.preferred;
	const ttl = config.cache.ttl_seconds;
	// A changed config.yaml (prices, tiers) must not read analyses made under the old one.
	const configDigest = digest(config);
	// The learned input-token ratios in force (models.corrections.changed): estimates made under others are stale.
	let tokenRatios: Record<string, number> = {};

	/** Moleculer cache key of an analysis; `this` is the cacher, so the live cluster is at hand. */
	function analysisKeygen(this: { broker: import("moleculer").ServiceBroker }, action: string, p: RequestParams): string {
		const providers = liveServices<ProviderMetadata>(this.broker, "provider");
		// A service reconnecting to its server offers no tools to the router: it must not share keys with a connected one.
		const tools = liveServices<McpMetadata>(this.broker, "mcp").filter(s => s.meta.connected !== false);
		return `${action}:${analysisCacheKey({
			request: p.request,
			context: p.context,
			options: p.options as Record<string, unknown> | undefined,
			live_models: [...new Set(providers.flatMap(s => s.meta.models))],
			live_tools: tools.flatMap(s => [s.service, ...(s.meta.tools ?? []).map(t => `${s.service}.${t.name}`)]),
			config: configDigest,
			token_ratios: tokenRatios,
		})}`;
	}

	return {
		name: "orchestrator",
		dependencies: ["intent", "complexity", "router", "prompt", "models"],
		actions: {
			analyze: {
				params,
				// Its stage calls retry themselves; see orchestrate.
				retryPolicy: { enabled: false },
				// Moleculer's cacher (Redis with CACHER=redis://): the same normalized request is analysed once per TTL.
				cache: {
					enabled: (ctx: Context<RequestParams>) => ttl.analysis > 0 && ctx.params.options?.cache !== false,
					ttl: ttl.analysis,
					keygen: analysisKeygen as any,
				},
				async handler(ctx: Context<RequestParams, { $stages?: Record<string, number> }>): Promise<Analysis> {
					const { analysis, stages } = await this.analyzeRequest(ctx);
					// orchestrate reads the stage timings here: Moleculer merges a sub-call's meta into the caller's.
					ctx.meta.$stages = stages;
					return analysis;
				},
			},
			orchestrate: {
				params,
				// Provider calls carry their own timeouts; this bounds the whole fallback walk.
				timeout: 0,
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
					let analysis = await ctx.call<Analysis, RequestParams>("orchestrator.analyze", ctx.params);
					// A cached analysis ran no stage: only its total is known.
					const fromCache = !ctx.meta.$stages;
					const stages: Record<string, number> = { ...(ctx.meta.$stages ?? {}), analysis: Date.now() - started };
					delete ctx.meta.$stages;
					const helperCost = helperCostUsd(analysis);
					if (fromCache && helperCost) {
						// Its rewrite and intent assist were paid when the analysis was made, not by this request.
						analysis = {
							...analysis,
							estimated_cost_usd: roundUsd(analysis.estimated_cost_usd - helperCost),
							rewrite_cost_usd: 0,
							intent_assist_cost_usd: 0,
							prompt_notes: [...analysis.prompt_notes, "analysis from the cache: its helper LLM calls were paid when it was made, not by this request"],
						};
					}
					const result: OrchestrateResult = {
						...analysis,
						token_accounting: { ...analysis.token_accounting, usage_source: "none" },
						output: null,
						usage: { input_tokens: 0, output_tokens: 0 },
						// A rewrite or intent assist made for this request was paid, whatever happens next (dry run included).
						cost_usd: helperCostUsd(analysis),
						latency_ms: 0,
						attempts: [],
						cached: false,
						dry_run: !!ctx.params.options?.dry_run,
					};
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
						this.record(ctx, result, "error", stages);
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
				const files = p.context?.files;
				if (files !== undefined && (!Array.isArray(files) || files.some(f => !f || typeof f.path !== "string" || typeof f.content !== "string"))) {
					throw new Errors.ValidationError("context.files must be an array of {path: string, content: string}", "VALIDATION_ERROR", [
						{ field: "context.files", message: "The 'context.files' field must be an array of {path: string, content: string}." },
					]);
				}
			},

			async analyzeRequest(ctx: Context<RequestParams>): Promise<{ analysis: Analysis; stages: Record<string, number> }> {
				this.checkLimits(ctx.params);
				const { request, context, options = {} } = ctx.params;
				const stages: Record<string, number> = {};
				const noCache = options.cache === false ? { meta: { $cache: false } } : undefined;
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
					timed("intent", ctx.call<IntentResult, unknown>("intent.classify", { request, context }, noCache)),
					timed("complexity", ctx.call<{ complexity: Tier; score: number }, unknown>("complexity.analyze", { request, context })),
				]);
				const route = await timed("router", ctx.call<Route, unknown>("router.route", { request, context, intent: intent.intent, intent_confidence: intent.confidence }));
				const prompt = await timed(
					"prompt",
					ctx.call<Optimized, unknown>(
						"prompt.optimize",
						{ request, context, intent: intent.intent, complexity: complexity.complexity, strategy: options.prompt_strategy },
						// options.cache: false also skips the cached LLM rewrite, on analyze as on orchestrate.
						noCache,
					),
				);
				const needsLlm = route.kind === "llm" || !!route.then_llm;
				const [selection, baseline] = await timed(
					"models",
					Promise.all([
						needsLlm
							? ctx.call<Selection, unknown>("models.select", {
									tier: complexity.complexity,
									input_tokens: prompt.input_tokens,
									max_tokens: prompt.max_tokens,
									preferred_models: options.preferred_models,
									max_cost: options.max_cost,
								})
							: undefined,
						// The baseline is priced with the same learned correction as the optimized call, so the two compare.
						ctx.call<{ input_token_ratio: number; estimated_cost_usd: number }, unknown>("models.estimate", {
							model: baselineModel,
							input_tokens: prompt.baseline_input_tokens,
							output_tokens: prompt.max_tokens,
						}),
					]),
				);
				const chosen = selection?.candidates[0];
				const rewriteCost = prompt.rewrite_cost_usd ?? 0;
				const assistCost = intent.cost_usd ?? 0;
				const analysis: Analysis = {
					intent: intent.intent,
					intent_confidence: intent.confidence,
					intent_source: intent.source ?? "model",
					...(intent.note ? { intent_note: intent.note } : {}),
					complexity: complexity.complexity,
					complexity_score: complexity.score,
					route: route.kind === "llm" ? { kind: "llm", provider: chosen?.provider, model: chosen?.model } : route,
					model: chosen?.model ?? null,
					fallbacks: selection?.fallbacks ?? [],
					system_prompt: prompt.system,
					optimized_prompt: prompt.prompt,
					max_tokens: prompt.max_tokens,
					// A tool-answered request spends no LLM tokens.
					input_tokens: needsLlm ? prompt.input_tokens : 0,
					estimated_input_tokens: chosen?.input_tokens ?? 0,
					baseline_input_tokens: prompt.baseline_input_tokens,
					estimated_cost_usd: roundUsd((chosen?.estimated_cost_usd ?? 0) + rewriteCost + assistCost),
					baseline_cost_usd: baseline.estimated_cost_usd,
					rewrite_cost_usd: rewriteCost,
					intent_assist_cost_usd: assistCost,
					token_accounting: { counted_with: "o200k_base", input_ratio: chosen?.input_token_ratio ?? null, baseline_input_ratio: baseline.input_token_ratio },
					dropped: prompt.dropped,
					// A chain's fetched file joins the prompt at execution: the estimate cannot hold it, the vendor's usage will.
					prompt_notes: route.then_llm
						? [...prompt.notes, `input_tokens excludes the ${route.tool} result added to the prompt at execution`]
						: prompt.notes,
				};
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
							throw new Errors.MoleculerClientError(`${analysis.route.service}.${analysis.route.tool} could not answer: ${tool.text}`, 422, "TOOL_ERROR", {
								service: analysis.route.service,
								tool: analysis.route.tool,
							});
						}
						result.output = tool.text;
						return;
					}
					// The fetched file obeys the same limit as an attached context.
					const limit = config.limits.max_context_bytes;
					const text = Buffer.byteLength(tool.text) > limit ? `${Buffer.from(tool.text).subarray(0, limit).toString()}\n[truncated at ${limit} bytes]` : tool.text;
					prompt = tool.isError ? `${prompt}\n\n(${analysis.route.tool} could not fetch it: ${text})` : `${prompt}\n\n${analysis.route.tool} result:\n${text}`;
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
				const keyOf = (model: string) =>
					useCache ? completionCacheKey({ model, system: analysis.system_prompt, prompt, max_tokens: analysis.max_tokens, temperature }) : null;
				const chain = [analysis.model, ...analysis.fallbacks].filter((m): m is string => !!m);
				const found = await Promise.all(chain.map(keyOf).map(key => (key ? (cacher!.get(key).catch(() => null) as Promise<CachedCompletion | null>) : null)));
				// Mirrors the walk below: a model's cached answer serves only if no model before it could answer now.
				for (const [i, hit] of found.entries()) {
					if (!hit?.text) {
						if (this.servable(chain[i])) break;
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
				await this.callModels(ctx, analysis, prompt, result);
				const key = result.model ? keyOf(result.model) : null;
				if (key && result.output != null) {
					// Only answers reach this line: a failed walk threw above, so errors are never cached.
					const entry: CachedCompletion = { text: result.output, model: result.model!, provider: result.route.provider ?? "unknown" };
					await cacher!.set(key, entry, ttl.completion).catch((err: Error) => this.logger.debug("completion not cached:", err.message));
				}
			},

			/** Some provider of the model is up and its breaker lets calls through (registry reads, no call). */
			servable(model: string): boolean {
				return liveServices<ProviderMetadata>(this.broker, "provider").some(
					p => p.meta.models.includes(model) && actionAvailable(this.broker, `${p.service}.complete`),
				);
			},

			/**
			 * Walks the chosen model then its fallbacks, across providers, until one answers. Retries on
			 * one provider are Moleculer's (retry policy, per-call timeout); a provider service whose
			 * every endpoint has an open circuit breaker is skipped without a call.
			 */
			async callModels(ctx: Context<RequestParams>, analysis: Analysis, prompt: string, result: OrchestrateResult) {
				const chain = [analysis.model, ...analysis.fallbacks].filter((m): m is string => !!m);
				for (const model of chain) {
					let resolved: { provider: string; services: string[]; api_model: string };
					try {
						resolved = await ctx.call("models.resolve", { model });
					} catch (err) {
						result.attempts.push({ provider: config.models[model]?.provider ?? "unknown", model, ok: false, reason: "no_provider", error: errorMessage(err) });
						continue;
					}
					for (const service of resolved.services) {
						const base = { provider: resolved.provider, model, service };
						if (!actionAvailable(this.broker, `${service}.complete`)) {
							result.attempts.push({ ...base, ok: false, reason: "circuit_open", error: `${service}: circuit breaker open on every node` });
							continue;
						}
						const tries: ProviderTry[] = [];
						const meta = ctx.meta as Record<string, unknown>;
						try {
							const completion = await ctx.call<Completion, CompleteParams>(
								`${service}.complete`,
								{
									model: resolved.api_model,
									system: analysis.system_prompt,
									messages: [{ role: "user", content: prompt }],
									max_tokens: analysis.max_tokens,
									temperature: 0,
								},
								// The provider appends one entry per try (Moleculer retries included); meta comes back merged.
								{ meta: { [TRIES_META_KEY]: tries } },
							);
							result.attempts.push(...callAttempts(base, (meta[TRIES_META_KEY] as ProviderTry[]) ?? tries));
							result.output = completion.text;
							result.usage = completion.usage;
							result.token_accounting.usage_source = "vendor";
							result.model = model;
							result.route = { ...result.route, provider: resolved.provider, model };
							const callCost = priceUsd(config.models[model], completion.usage.input_tokens, completion.usage.output_tokens);
							result.cost_usd = roundUsd(result.cost_usd + callCost);
							// Every models service learns how this vendor counts against our estimate of what was sent.
							const sample: UsageSample = {
								model,
								estimated_input_tokens:
									prompt === analysis.optimized_prompt
										? analysis.input_tokens
										: countMessageTokens([
												{ role: "system", content: analysis.system_prompt },
												{ role: "user", content: prompt },
											]),
								reported_input_tokens: completion.usage.input_tokens,
							};
							ctx.broadcast(TOKENS_USAGE, sample);
							return;
						} catch (err) {
							result.attempts.push(...callAttempts(base, (meta[TRIES_META_KEY] as ProviderTry[]) ?? tries, err));
						} finally {
							delete meta[TRIES_META_KEY];
						}
					}
				}
				const summary = failureSummary(result.attempts, config);
				if (summary.noProvider) {
					throw new Errors.MoleculerError(summary.message, 503, "NO_PROVIDER", { models: chain, env: summary.env, attempts: result.attempts });
				}
				throw new Errors.MoleculerError(summary.message, 502, "ALL_MODELS_FAILED", { attempts: result.attempts });
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
					model: result.model,
					status,
					llm: result.route.kind === "llm" || !!result.route.then_llm,
					latency_ms: result.latency_ms,
					stages_ms: stages,
					input_tokens: result.usage.input_tokens,
					output_tokens: result.usage.output_tokens,
					baseline_input_tokens: result.baseline_input_tokens,
					cost_usd: result.cost_usd,
					baseline_cost_usd: result.baseline_cost_usd,
					cached: result.cached,
					fallbacks,
				};
				// Balanced event: exactly one metrics instance in the cluster records each request.
				ctx.emit("orchestrator.request", record);
			},
		},
		async started() {
			await this.loadTokenRatios();
		},
	};
}
