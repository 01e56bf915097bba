import { Errors, type Context, type ServiceSchema } from "moleculer";
import type { Tier } from "../lib/config";
import { errorMessage } from "../lib/errors";
import { contextBytes, requestParams } from "../lib/params";
import { actionAvailable } from "../lib/registry";
import type { ServiceFactoryContext } from "../lib/runner";
import { TRIES_META_KEY, type CompleteParams, type Completion, type ProviderTry } from "../mixins/provider.mixin";
import type { Analysis, Intent, OrchestrateResult, RequestContext, RequestOptions, Route } from "../lib/types";
import { priceUsd } from "./models/pricing";
import type { Selection } from "./models/select";
import { callAttempts, failureSummary, fallbackEdges } from "./orchestrator/attempts";
import type { Optimized } from "./prompt/optimize";

interface RequestParams {
	request: string;
	context?: RequestContext;
	options?: RequestOptions;
}

/** What the metrics service records for every finished request (event `orchestrator.request`). */
export interface RequestRecord {
	ts: number;
	intent: Intent;
	complexity: Tier;
	route: Route["kind"];
	model: string | null;
	status: "ok" | "error";
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

	return {
		name: "orchestrator",
		dependencies: ["intent", "complexity", "router", "prompt", "models"],
		actions: {
			analyze: {
				params,
				async handler(ctx: Context<RequestParams>): Promise<Analysis> {
					return (await this.analyzeRequest(ctx)).analysis;
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
				async handler(ctx: Context<RequestParams>): Promise<OrchestrateResult> {
					const started = Date.now();
					const { analysis, stages } = await this.analyzeRequest(ctx);
					const result: OrchestrateResult = {
						...analysis,
						output: null,
						usage: { input_tokens: 0, output_tokens: 0 },
						cost_usd: 0,
						latency_ms: 0,
						attempts: [],
						cached: false,
						dry_run: !!ctx.params.options?.dry_run,
					};
					if (result.dry_run) {
						result.latency_ms = Date.now() - started;
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
						{ field: "context.files", message: "expected [{path, content}]" },
					]);
				}
			},

			async analyzeRequest(ctx: Context<RequestParams>): Promise<{ analysis: Analysis; stages: Record<string, number> }> {
				this.checkLimits(ctx.params);
				const { request, context, options = {} } = ctx.params;
				const stages: Record<string, number> = {};
				const timed = async <T>(stage: string, p: Promise<T>): Promise<T> => {
					const t = Date.now();
					try {
						return await p;
					} finally {
						stages[stage] = Date.now() - t;
					}
				};
				const [intent, complexity] = await Promise.all([
					timed("intent", ctx.call<{ intent: Intent; confidence: number }, unknown>("intent.classify", { request, context })),
					timed("complexity", ctx.call<{ complexity: Tier; score: number }, unknown>("complexity.analyze", { request, context })),
				]);
				const route = await timed("router", ctx.call<Route, unknown>("router.route", { request, context, intent: intent.intent }));
				const prompt = await timed(
					"prompt",
					ctx.call<Optimized, unknown>("prompt.optimize", {
						request,
						context,
						intent: intent.intent,
						complexity: complexity.complexity,
						strategy: options.prompt_strategy,
					}),
				);
				const needsLlm = route.kind === "llm" || !!route.then_llm;
				let selection: Selection | undefined;
				if (needsLlm) {
					selection = await timed(
						"models",
						ctx.call<Selection, unknown>("models.select", {
							tier: complexity.complexity,
							input_tokens: prompt.input_tokens,
							max_tokens: prompt.max_tokens,
							preferred_models: options.preferred_models,
							max_cost: options.max_cost,
						}),
					);
				}
				const chosen = selection?.candidates[0];
				const analysis: Analysis = {
					intent: intent.intent,
					intent_confidence: intent.confidence,
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
					baseline_input_tokens: prompt.baseline_input_tokens,
					estimated_cost_usd: chosen?.estimated_cost_usd ?? 0,
					baseline_cost_usd: priceUsd(config.models[baselineModel], prompt.baseline_input_tokens, prompt.max_tokens),
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
				await this.callModels(ctx, analysis, prompt, result);
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
							result.model = model;
							result.route = { ...result.route, provider: resolved.provider, model };
							result.cost_usd = priceUsd(config.models[model], completion.usage.input_tokens, completion.usage.output_tokens);
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

			record(ctx: Context, result: OrchestrateResult, status: "ok" | "error", stages: Record<string, number>) {
				const fallbacks = fallbackEdges(result.attempts);
				const record: RequestRecord = {
					ts: Date.now(),
					intent: result.intent,
					complexity: result.complexity,
					route: result.route.kind,
					model: result.model,
					status,
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
	};
}
