import { SYNC_STAGE_ACTION, waitingBulkhead } from "../lib/action-options";
import { providerLimits } from "../lib/provider-limits";
import { answerMarginMs, attemptBudgetMs, DeadlineError, MIN_ATTEMPT_MS, remainingMs, within } from "../lib/deadline";
import { BusDownError, busOf, watchNodeLeaving } from "../lib/bus";
import { join } from "node:path";
import { PassThrough, type Readable } from "node:stream";
import { OpenStreams, shutdownCutMessage } from "../lib/open-streams";
import { Errors, type Context, type ServiceSchema } from "moleculer";
import type { Config } from "../lib/config";
import {
	ModelsCompleteParamsSchema,
	ModelsCountParamsSchema,
	type Attempt,
	type Completion,
	type ModelsCompleteFailure,
	type ModelsCompleteParams,
	type ModelsCompleteResult,
	type ModelsCountParams,
	type ModelsStreamEvent,
	type ProviderCompleteParams,
	type ProviderStreamEvent,
	type Usage,
} from "../lib/contracts/complete";
import { EstimateParamsSchema, SelectParamsSchema, type EstimateParams, type SelectParams } from "../lib/contracts/stages";
import { zodParams } from "../lib/contracts/validator";
import { checkedCall } from "../lib/validator";
import { actionAvailable, nodesOf, providersServing, servable } from "../lib/registry";
import type { ServiceFactoryContext } from "../lib/runner";
import { errorMessage } from "../lib/errors";
import { callChars, COUNT_OFFLOAD_CHARS, countCallTokens, countTokens, loadTokenizer } from "../lib/tokens";
import { WorkerPool } from "../lib/offload";
import type { TriesCallingOptions, TryObserver } from "../middlewares/call-tries.middleware";
import { correctedTokens, CORRECTIONS_CHANGED, TokenCorrections, TOKENS_USAGE, type ModelCorrection, type UsageSample } from "./models/correction";
import { cheapestLive, priceUsd, type CatalogEntry } from "./models/pricing";
import { liveConfig } from "./models/live-catalog";
import { resolveModel, type Resolved } from "./models/resolve";
import { fallbackProviders } from "./models/fallback-providers";
import { selectModels, SelectionError } from "./models/select";
import { allowedModels, keyName, type KeyMeta } from "../lib/auth/keys";
import { CHARS_PER_TOKEN } from "../lib/compaction/compact";
import { DEFAULT_MAX_TOKENS } from "../mixins/provider.mixin";
import { budgetedCall, isAccessError } from "./budget/guard";
import { isCancelled, type CancelCharge } from "../lib/cancel";
import { busHeld, failureSummary, mayBeBilled, outcomeUnknown, TryLog } from "./models/tries";

/** How much longer than its provider's own silence limit (LLM_TIMEOUT_MS) a relayed stream may stay silent (the bus hop). */
const STREAM_SILENCE_MARGIN_MS = 5_000;

/** What `complete` and `stream` (the one walk, two ways out) declare alike. */
const WALK_ACTION = {
	params: zodParams(ModelsCompleteParamsSchema),
	// Provider calls carry their own timeouts; deadline_ms bounds the walk for callers that need it.
	timeout: 0,
	// Its failures are the providers' (each behind its own breaker) or the caller's; retrying
	// the walk would multiply the tries. Booleans, so remote callers' middlewares see them too.
	circuitBreaker: { enabled: false },
	retryPolicy: { enabled: false },
};

/** Where a walk was answered. */
type AnsweringAt = { provider: string; model: string; service: string };
/** The call the walk makes, without the chain and the deadline. */
type WalkCall = Omit<ModelsCompleteParams, "models" | "deadline_ms">;

/** The gauge this service registers (Prometheus: one series per model that has reports). */
export const CORRECTION_METRIC = {
	type: "gauge",
	name: "orchestrator_token_correction_ratio",
	labelNames: ["model"],
	description: "Learned ratio of vendor-reported to o200k_base-estimated input tokens, applied to the model's estimates (1 until enough reports)",
} as const;

/**
 * Model catalog, tiers and live providers: which model to call, and which service serves it.
 * Every instance learns from `tokens.usage` (broadcast after each provider call) how far the
 * o200k_base count is from each vendor's own, and corrects its estimates by that ratio.
 */
export default function modelsService({ config, env }: ServiceFactoryContext): ServiceSchema {
	// The walk waits on vendors: a bulkhead for waiting, not the CPU-bound default (lib/action-options.ts).
	const waiting = waitingBulkhead(env);
	// How long a relayed stream may stay silent, per provider: read once each (the environment and config.yaml are fixed).
	const silences = new Map<string, number>();
	const silenceMs = (provider: string) => {
		let ms = silences.get(provider);
		if (ms === undefined) silences.set(provider, (ms = providerLimits(provider, config, env).timeoutMs + STREAM_SILENCE_MARGIN_MS));
		return ms;
	};
	const correction = config.token_correction;
	return {
		name: "models",
		actions: {
			select: {
				...SYNC_STAGE_ACTION,
				params: zodParams(SelectParamsSchema),
				handler(ctx: Context<SelectParams>) {
					try {
						const live = this.liveCatalog();
						return selectModels(live.config, { ...ctx.params, live_models: live.live, input_ratio: (m: string) => this.ratio(m) });
					} catch (err) {
						if (err instanceof SelectionError) {
							throw new Errors.MoleculerClientError(err.message, 422, "MODEL_SELECTION", { field: err.field });
						}
						throw err;
					}
				},
			},
			/** Live provider services serving a model, or a clear error naming what to configure. */
			resolve: {
				params: { model: "string" },
				handler(ctx: Context<{ model: string }>): Resolved {
					return resolveModel(this.liveCatalog().config, ctx.params.model, providersServing(this.broker, ctx.params.model));
				},
			},
			/**
			 * The one walk to a model (lib/contracts/complete.ts): each model of the chain in order,
			 * through every live provider service serving it, skipping a service whose breaker is open,
			 * until one answers; every try recorded (Moleculer's retries included), the answer priced
			 * once at catalog prices, and vendor-reported usage taught to the token correction.
			 */
			complete: {
				...WALK_ACTION,
				...waiting,
				handler(ctx: Context<ModelsCompleteParams>): Promise<ModelsCompleteResult> {
					return this.walk(ctx, "complete", (at: AnsweringAt, call: WalkCall, completion: Completion, tries: Attempt[], sentTokens: number) => {
						const answer = this.answered(ctx, at, call, completion, tries, sentTokens);
						return { answer, usage: answer.usage };
					});
				},
			},
			/**
			 * The same walk, streamed (`<service>.stream`): a model or provider failing before its first
			 * content is replaced as in `complete`, invisibly to the reader; the stream of
			 * ModelsStreamEvent then starts with `start`, relays the deltas and ends with `done` (the
			 * priced result) or, when the provider failed after content, an `error` event.
			 */
			stream: {
				...WALK_ACTION,
				...waiting,
				handler(ctx: Context<ModelsCompleteParams>): Promise<PassThrough> {
					return this.walk(ctx, "stream", (at: AnsweringAt, call: WalkCall, source: Readable, tries: Attempt[], sentTokens: number) =>
						this.relay(ctx, at, call, source, tries, sentTokens),
					);
				},
			},
			/** A call's cost on one catalog model, its input count corrected like select's (the baseline's price). */
			estimate: {
				...SYNC_STAGE_ACTION,
				params: zodParams(EstimateParamsSchema),
				handler(ctx: Context<EstimateParams>) {
					const { model, input_tokens, output_tokens } = ctx.params;
					const info = this.liveCatalog().config.models[model];
					if (!info) throw new Errors.MoleculerClientError(`model '${model}' is not in the catalog`, 404, "UNKNOWN_MODEL", { model });
					const ratio = this.ratio(model);
					const corrected = correctedTokens(input_tokens, ratio);
					return { model, input_tokens: corrected, input_token_ratio: ratio, estimated_cost_usd: priceUsd(info, corrected, output_tokens) };
				},
			},
			/**
			 * Input tokens of a call, counted here with lib/tokens (o200k_base) and sent to no vendor: the
			 * tokenizer lives on this service's nodes, so a gateway node never builds it (1.7 s of CPU); a big
			 * call on a worker thread (countCall).
			 */
			count: {
				params: zodParams(ModelsCountParamsSchema),
				async handler(ctx: Context<ModelsCountParams>): Promise<{ input_tokens: number }> {
					return { input_tokens: await this.countCall(ctx.params) };
				},
			},
			/** What this node has learned per model: the applied ratio, the observed one and the reports behind them. */
			corrections: {
				handler(): { enabled: boolean; min_samples: number; range: [number, number]; applied: Record<string, number>; models: ModelCorrection[] } {
					const corrections = this.corrections as TokenCorrections;
					return {
						enabled: correction.enabled,
						min_samples: correction.min_samples,
						range: [correction.min_ratio, correction.max_ratio],
						// The ratios estimates use now (models past min_samples; none when disabled).
						applied: correction.enabled ? corrections.applied() : {},
						models: corrections.snapshot(),
					};
				},
			},
			/** The catalog with each model's liveness; `only: "live_cheapest_first"` is the chain of helper calls. */
			catalog: {
				params: { only: { type: "enum", values: ["live_cheapest_first"], optional: true } },
				handler(ctx: Context<{ only?: "live_cheapest_first" }>): CatalogEntry[] {
					const { config: current, live } = this.liveCatalog() as { config: Config; live: ReadonlySet<string> };
					const entries = Object.entries(current.models).map(([id, m]) => ({ id, ...m, live: live.has(id) }));
					return ctx.params.only ? cheapestLive(entries) : entries;
				},
			},
		},
		events: {
			/** Broadcast by the orchestrator and the prompt service after every completed provider call. */
			[TOKENS_USAGE]: {
				// Synchronous bookkeeping in memory, as the pure stages' actions.
				...SYNC_STAGE_ACTION,
				handler(ctx: Context<UsageSample>) {
					this.learn(ctx.params);
				},
			},
			/** Peers are often discovered after this service started: the first one met is asked. */
			"$node.connected"() {
				void this.adoptFromPeer();
			},
		},
		methods: {
			/**
			 * countCallTokens (o200k_base) of a call, on a worker thread when it is big (lib/tokens.ts
			 * COUNT_OFFLOAD_CHARS): 7.5 MiB took 0.8 s (source code) to 11 s (base64) of CPU, and on the event loop every other
			 * request and /health waited that long.
			 */
			countCall(call: ModelsCountParams): number | Promise<number> {
				return callChars(call) > COUNT_OFFLOAD_CHARS ? (this.counter as WorkerPool<ModelsCountParams, number>).run(call) : countCallTokens(call);
			},
			/**
			 * The one walk to a model: each model of the chain in order, through every live provider service
			 * serving it, skipping a service whose breaker is open, until `<service>.<action>` answers; every
			 * try recorded (Moleculer's retries included). `finish` turns the provider's answer into the
			 * walk's, with the usage (or its promise, for a stream) the budget settles to.
			 */
			async walk<R, T>(
				ctx: Context<ModelsCompleteParams>,
				action: "complete" | "stream",
				finish: (at: AnsweringAt, call: WalkCall, raw: R, tries: Attempt[], sentTokens: number) => { answer: T; usage: Usage | Promise<Usage> },
			): Promise<T> {
				const { models: asked, deadline_ms, ...call } = ctx.params;
				// The caller's key (ctx.meta.key) may be limited to some models: the others are left out.
				const models = allowedModels(config, ctx.meta as KeyMeta, asked);
				// The caller's deadline_ms, and the request's deadline this context carries (REQUEST_DEADLINE_MS,
				// handed down by Moleculer's distributed timeouts), whichever comes first.
				const total = Math.min(deadline_ms ?? Infinity, remainingMs(ctx));
				// A little before it, so the walk's answer reaches the caller within the deadline (lib/deadline.ts).
				const deadline = Date.now() + total - answerMarginMs(total);
				const deadlineMs = deadline_ms ?? (Number.isFinite(total) ? Math.round(total) : undefined);
				const walkStarted = Date.now();
				const canServe = (m: string) => servable(this.broker, m, action);
				const timedOutAfter = () => (deadlineMs === undefined ? undefined : { deadlineMs, waitedMs: Date.now() - walkStarted });
				const tries: Attempt[] = [];
				// What is sent, counted as o200k_base once per walk, off the event loop when it is big: a keyed call's reservation
				// input, so such a call waits for it; otherwise only the estimate the answer's usage is compared with or stands in
				// for, counted while the vendor answers (on a 100k-token agent history the count is tens of ms the caller waited).
				// The tool calls and the tools offered count too: a keyed agent's reservation left out its file writes' arguments,
				// and the learned vendor/o200k ratio compared the vendor's count of them with ours of none.
				const sending = {
					...(call.system ? { system: call.system } : {}),
					messages: call.messages.map(m => ({ role: m.role, content: m.content, ...(m.tool_calls?.length ? { tool_calls: m.tool_calls } : {}) })),
					...(call.tools?.length ? { tools: call.tools } : {}),
				};
				// A stream counts first too: awaited between the provider's answer and the relay's listeners, an error the stream
				// emitted in that gap would have no listener.
				const countFirst = !!keyName(ctx) || action === "stream";
				const counting = Promise.resolve(this.countCall(sending));
				let sentTokens = countFirst ? await counting : 0;
				// A count that fails after the vendor answered must not fail the try (the walk would ask another vendor): the
				// estimate stands in.
				if (!countFirst) counting.catch(() => undefined);
				const sent = async (): Promise<number> =>
					countFirst ? sentTokens : (sentTokens = await counting.catch(() => Math.ceil(callChars(sending) / CHARS_PER_TOKEN)));
				// With the models live providers found on their servers (a local Ollama's), read once per walk.
				const catalog = this.liveCatalog().config;
				// Vendors that may already have this request (a try's node went away mid-call, or the try timed out): never sent it again.
				const mayHave = new Set<string>();
				// Whether every try that reached a provider ended without its answer (timed out, or its node went away):
				// then the walk ran out of vendors to ask without a second send, and the caller hears a timeout (504).
				let onlyUnanswered = true;
				for (const [mi, model] of models.entries()) {
					if (Date.now() >= deadline) return this.walkFailed(models, tries, timedOutAfter());
					let resolved: Resolved;
					try {
						resolved = resolveModel(catalog, model, providersServing(this.broker, model));
					} catch (err) {
						tries.push({
							provider: catalog.models[model]?.provider ?? "unknown",
							model,
							ok: false,
							reason: "no_provider",
							error: errorMessage(err),
						});
						continue;
					}
					for (let si = 0; si < resolved.services.length; si++) {
						const service = resolved.services[si];
						// One candidate's tries (Moleculer's retries included) get part of what is left, so that a hanging vendor
						// leaves time to the providers after it that could answer (lib/deadline.ts); all of it when there are none.
						const budget = attemptBudgetMs(
							deadline - Date.now(),
							1 + fallbackProviders(catalog, models.slice(mi + 1), resolved.provider, mayHave, canServe),
						);
						if (budget < MIN_ATTEMPT_MS) return this.walkFailed(models, tries, timedOutAfter());
						const base = { provider: resolved.provider, model, service };
						if (mayHave.has(resolved.provider)) {
							tries.push({
								...base,
								ok: false,
								reason: "unavailable",
								error: `${resolved.provider} may already have this request (a node went away with it in flight, or the try timed out): not sent to it again`,
							});
							continue;
						}
						if (!actionAvailable(this.broker, `${service}.${action}`)) {
							tries.push({ ...base, ok: false, reason: "circuit_open", error: `${service}: circuit breaker open on every node` });
							continue;
						}
						const log = new TryLog(base);
						// Any try of this candidate (Moleculer's retries included) whose node went away mid-call marks the vendor.
						const observeTries: TryObserver = start => {
							const end = log.observe(start);
							return outcome => {
								if (!outcome.ok && outcomeUnknown(outcome.error, action)) mayHave.add(resolved.provider);
								end(outcome);
							};
						};
						// The call is this walk's own params (parsed by models.complete's validator, or marked checked by its caller) on the
						// provider's model id: the provider contract's fields, which a provider on this node does not parse again.
						const options: TriesCallingOptions = checkedCall({ observeTries, ...(Number.isFinite(budget) ? { timeout: budget } : {}) });
						// A keyed call reserves its worst case before the provider and settles to the answer's usage after: the input
						// as this vendor counts it (the learned vendor/o200k ratio; Claude's tokenizer counts more), so the vendor's
						// usage does not outgrow the reservation as often.
						const bound = { model, input_tokens: this.vendorInput(model, sentTokens), max_tokens: call.max_tokens ?? DEFAULT_MAX_TOKENS };
						try {
							const done = await budgetedCall(
								ctx,
								bound,
								async () => {
									const raw = await within(
										ctx.call<R, ProviderCompleteParams>(
											`${service}.${action}`,
											// A stream's budget is for its first content; once content flows it runs while its vendor keeps sending
											// (mixins/provider.mixin.ts vendorCall).
											{ ...call, model: resolved.api_model },
											options,
										),
										budget,
										// While the bus is down or just back, the bus (not the vendor) is the likelier cause: the walk asks
										// the same call again rather than a new vendor (below).
										() =>
											busOf(this.broker)?.recovering()
												? new BusDownError(`${service}.${action}`, budget, true)
												: new DeadlineError(`${service}.${action}`, budget),
									);
									tries.push(...log.close());
									return finish(base, call, raw, tries, await sent());
								},
								answer => answer.usage,
								// Timed out, lost with its node or cut off after it may have reached the vendor: billed, for all the budget knows.
								err => mayBeBilled(err, action),
							);
							return done.answer;
						} catch (err) {
							// Over budget or rate: no other model or provider would be let through either. The caller gave up
							// (lib/cancel.ts): no other model is asked for an answer nobody waits for.
							if (isAccessError(err)) throw err;
							if (isCancelled(err)) {
								// Sent before its caller gave up: the vendor bills the input, and the budget settled to it (budgetedCall);
								// the request's metrics record counts the same cost (lib/cancel.ts CancelCharge).
								const data = (err as { data?: { sent?: boolean; charged?: CancelCharge; tries?: Attempt[] } }).data;
								// The input as the budget settled it (the vendor's count, learned ratio applied), so the record and the ledger agree.
								if (data?.sent) data.charged = this.charge(model, { input_tokens: this.vendorInput(model, await sent()), output_tokens: 0 });
								// And the tries before it, whose billed ones (a timed-out try's worst case) the budget settled too.
								if (data) data.tries = tries;
								throw err;
							}
							const closed = log.close(err);
							// The vendor may have billed it (timed out, lost with its node, cut off): charged at the worst case the budget
							// kept counted (budgetedCall), on its last try, so the answer's cost and the metrics count it too.
							if (closed.length && mayBeBilled(err, action)) {
								// A keyed call's bound, as the budget reserved and settled it (the learned ratio may have moved since); a
								// keyless one counted what it sent beside the vendor call.
								const input = countFirst ? bound.input_tokens : this.vendorInput(model, await sent());
								const worst = { input_tokens: input, output_tokens: bound.max_tokens };
								closed[closed.length - 1].charged = this.charge(model, worst);
							}
							tries.push(...closed);
							if (outcomeUnknown(err, action)) mayHave.add(resolved.provider);
							// The bus held this call past its share of the time: not the provider's fault, and its answer may be
							// waiting on the provider's node. The same call again (the provider's ledger answers a repeat of a call
							// it has without a second vendor call, lib/call-ledger.ts) rather than a new vendor.
							else if (action === "complete" && busHeld(err) && deadline - Date.now() >= MIN_ATTEMPT_MS) si--;
							else if (!busHeld(err)) onlyUnanswered = false;
						}
					}
				}
				const timedOut = Date.now() >= deadline - MIN_ATTEMPT_MS || (onlyUnanswered && mayHave.size > 0);
				return this.walkFailed(models, tries, timedOut ? timedOutAfter() : undefined);
			},
			/**
			 * A provider's stream as the walk's: `start` first, the deltas as they come, then `done` with
			 * the answer priced like `complete`'s, or `error`. A stream that ends without either (the
			 * provider's node went away) ends with an error too: never a clean end over a truncated answer.
			 * The usage promise settles the budget: the vendor's, or on failure our count of what was sent and
			 * relayed, which the `error` event carries as its charge (a reader that left reads it to count the cost).
			 */
			relay(
				ctx: Context,
				at: AnsweringAt,
				call: WalkCall,
				source: Readable,
				tries: Attempt[],
				sentTokens: number,
			): { answer: PassThrough; usage: Promise<Usage> } {
				const out = new PassThrough({ objectMode: true });
				const write = (e: ModelsStreamEvent) => out.write(e);
				write({ type: "start", ...at, tries, node: this.broker.nodeID });
				let text = "";
				let settled = false;
				let settle!: (u: Usage) => void;
				const usage = new Promise<Usage>(resolve => (settle = resolve));
				// The provider ends a stream its vendor left silent for LLM_TIMEOUT_MS; a stream whose provider node went away
				// (stopped, killed) ends never: Moleculer settles the call, not the stream it returned, and the reader hung. Silent
				// for longer than the provider's own limit (plus a margin for the bus), it is failed here.
				const silentMs = silenceMs(at.provider);
				const silent = setTimeout(
					() => fail(`${at.service}: the stream stopped (nothing for ${silentMs} ms: its node may have gone)`, 502, "network"),
					silentMs,
				);
				silent.unref();
				// Its node leaving says so at once (a stop's goodbye, or missed heartbeats).
				const node = tries.at(-1)?.node;
				const unwatch = watchNodeLeaving(this.broker, node, () =>
					fail(`${at.service}: its node ${node} left in the middle of the answer`, 502, "network"),
				);
				// The stream's last event: no watch left behind.
				const last = () => {
					settled = true;
					clearTimeout(silent);
					unwatch();
				};
				const fail = (message: string, code: number, reason?: string) => {
					if (settled) return;
					last();
					const spent: Usage = { input_tokens: sentTokens, output_tokens: countTokens(text) };
					settle(spent);
					const charged: CancelCharge = this.charge(at.model, spent);
					out.end({ type: "error", message, code, ...(reason ? { reason } : {}), charged } satisfies ModelsStreamEvent);
				};
				source.on("data", (e: ProviderStreamEvent) => {
					if (settled) return;
					silent.refresh();
					// What the vendor generated, counted for the charge of a stream cut short: its reasoning too.
					if (e.type === "text") text += e.text;
					else if (e.type === "thinking") text += e.thinking ?? "";
					if (e.type === "text" || e.type === "tool_call" || e.type === "thinking") write(e);
					else if (e.type === "end") {
						last();
						const result: ModelsCompleteResult = this.answered(ctx, at, call, e.completion, tries, sentTokens);
						settle(result.usage);
						out.end({ type: "done", result } satisfies ModelsStreamEvent);
					} else fail(e.message, e.code, e.reason);
				});
				// In flight until its last event is read: a stopping node (a pipeline rollout) relays it to its end within its
				// shutdown wait, and ends it with an error event if it still runs then (lib/open-streams.ts).
				(this.openRelays as OpenStreams).add(ctx, out, () => fail(shutdownCutMessage(this.name, this.broker), 503, "unavailable"));
				source.on("end", () => fail(`${at.service}: the stream ended before the answer was complete`, 502, "network"));
				source.on("error", err => fail(`${at.service}: ${errorMessage(err)}`, 502, "network"));
				// The reader went away (the client closed its connection): stop reading the provider.
				out.on("close", () => {
					if (!settled) fail("the reader closed the stream", 499);
					source.destroy();
				});
				return { answer: out, usage };
			},
			/** A call that reached its vendor and ended without its answer: the usage the budget settles to, priced. */
			charge(model: string, usage: Usage): CancelCharge {
				return { model, ...usage, cost_usd: priceUsd(config.models[model], usage.input_tokens, usage.output_tokens) };
			},
			/** Prices an answer once and, when the vendor reported its usage, teaches it to every models service. */
			answered(
				ctx: Context,
				at: { provider: string; model: string; service: string },
				call: Omit<ModelsCompleteParams, "models" | "deadline_ms">,
				completion: Completion,
				tries: Attempt[],
				/** What was sent, counted by the walk (countMessageTokens). */
				sentTokens: number,
			): ModelsCompleteResult {
				// A vendor that reported no usage is priced on our own count, marked estimated, and teaches nothing.
				const usage = completion.usage ?? { input_tokens: sentTokens, output_tokens: countTokens(completion.text) };
				if (completion.usage && !call.tools?.length && call.messages.every(m => !m.tool_calls?.length)) {
					// Text-only conversations: our count of what was sent compares with the vendor's (tool schemas it frames its own way).
					const sample: UsageSample = {
						model: at.model,
						estimated_input_tokens: sentTokens,
						reported_input_tokens: completion.usage.input_tokens,
					};
					ctx.broadcast(TOKENS_USAGE, sample);
				}
				return {
					...at,
					text: completion.text,
					...(completion.tool_calls?.length ? { tool_calls: completion.tool_calls } : {}),
					...(completion.thinking?.length ? { thinking: completion.thinking } : {}),
					finish_reason: completion.finish_reason,
					...(completion.stop_sequence !== undefined ? { stop_sequence: completion.stop_sequence } : {}),
					usage,
					usage_source: completion.usage ? "vendor" : "estimated",
					cost_usd: priceUsd(config.models[at.model], usage.input_tokens, usage.output_tokens),
					tries,
				};
			},
			/** The walk's one error: what to configure when nothing serves the chain, else every try and why it failed. */
			walkFailed(models: string[], tries: Attempt[], timedOut?: { deadlineMs: number; waitedMs: number }): never {
				const summary = failureSummary(tries, config);
				const data: ModelsCompleteFailure = { models, env: summary.env, tries };
				if (timedOut) {
					const { deadlineMs, waitedMs } = timedOut;
					// Stopped before the deadline when every provider that could answer may hold the request already (its
					// call timed out): the time waited is said, not the deadline's.
					const when =
						waitedMs < deadlineMs - answerMarginMs(deadlineMs) - MIN_ATTEMPT_MS
							? `no answer after ${waitedMs} ms from any provider that could answer within the request's deadline (${deadlineMs} ms)`
							: `no answer within ${deadlineMs} ms, the request's deadline`;
					throw new Errors.MoleculerError(`${when}${tries.length ? ` (${summary.message})` : ""}`, 504, "DEADLINE_EXCEEDED", data);
				}
				if (summary.noProvider) throw new Errors.MoleculerError(summary.message, 503, "NO_PROVIDER", data);
				// Every provider that was reached refused a parameter of the request: the caller's to change, named.
				const reached = tries.filter(t => t.reason !== "no_provider" && t.reason !== "circuit_open");
				if (reached.length && reached.every(t => t.params?.length)) {
					throw new Errors.MoleculerClientError(summary.message, 400, "UNSUPPORTED_PARAMS", { ...data, field: reached[0].params![0] });
				}
				// Every provider reached refused the request itself (a vendor's 400: a context too long, a schema it rejects): the
				// caller's to change, not a failure of ours. As a 502 an SDK retried it (openai's twice), walking the chain again.
				if (reached.length && reached.every(t => t.reason === "bad_request")) {
					throw new Errors.MoleculerClientError(summary.message, 400, "REQUEST_REFUSED", data);
				}
				// Every provider reached is rate-limiting (after Moleculer's retries; a retry its breaker, opened by those 429s,
				// refused aside): slow down, a 429 (LiteLLM's and OpenRouter's answer too), which clients back off on, not a 502.
				const limited = reached.filter(t => t.reason !== "unavailable");
				if (limited.length && limited.every(t => t.reason === "rate_limited")) {
					throw new Errors.MoleculerClientError(summary.message, 429, "RATE_LIMITED", data);
				}
				throw new Errors.MoleculerError(summary.message, 502, "ALL_MODELS_FAILED", data);
			},
			ratio(model: string): number {
				return correction.enabled ? (this.corrections as TokenCorrections).ratio(model) : 1;
			},
			/**
			 * A call's input as its vendor counts it, for what the budget reserves and settles a cancelled call to: our
			 * o200k_base count with the learned ratio applied (Claude's tokenizer counts more), never below our own count.
			 */
			vendorInput(model: string, tokens: number): number {
				return Math.max(tokens, correctedTokens(tokens, this.ratio(model)));
			},
			learn(sample: UsageSample) {
				const corrections = this.corrections as TokenCorrections;
				if (!config.models[sample?.model]) return;
				const before = corrections.appliedRatio(sample.model);
				if (!corrections.observe(sample)) return;
				this.broker.metrics.set(CORRECTION_METRIC.name, this.ratio(sample.model), { model: sample.model });
				// A report moves its own model's entry only: when that stands, so does applied() and what was announced
				// (announceIfChanged sorts and serialises every model's state: ~1 % of a request's CPU when run per report).
				if (corrections.appliedRatio(sample.model) !== before) this.announceIfChanged();
			},
			/** Tells the cluster when an applied ratio moved (at most once per `step`), not on every report. */
			announceIfChanged() {
				const applied = correction.enabled ? (this.corrections as TokenCorrections).applied() : {};
				const key = JSON.stringify(applied);
				if (key === this.announced) return;
				this.announced = key;
				this.broker.broadcast(CORRECTIONS_CHANGED, { ratios: applied });
			},
			/**
			 * A node joining a running cluster starts from what a peer has learned, not from nothing,
			 * so every models service prices alike. Best effort: no peer, or none answering, is fine.
			 */
			async adoptFromPeer() {
				if (this.adopted) return;
				const peers = nodesOf(this.broker, "models").filter(nodeID => nodeID !== this.broker.nodeID);
				for (const nodeID of peers) {
					try {
						const peer = await this.broker.call<{ models: ModelCorrection[] }, unknown>(
							"models.corrections",
							{},
							{ nodeID, retries: 0, timeout: 2000 },
						);
						if (this.adopted) return;
						this.adopted = true;
						const taken = (this.corrections as TokenCorrections).adopt(peer.models.filter(c => config.models[c.model]));
						for (const model of taken) this.broker.metrics.set(CORRECTION_METRIC.name, this.ratio(model), { model });
						if (taken.length) this.logger.info(`token corrections adopted from ${nodeID}: ${taken.join(", ")}`);
						this.announceIfChanged();
						return;
					} catch (err) {
						this.logger.debug(`token corrections not adopted from ${nodeID}: ${errorMessage(err)}`);
					}
				}
			},
			/** config.yaml with the catalog and tiers the live providers make now (services/models/live-catalog.ts liveConfig). */
			liveCatalog(): { config: Config; live: ReadonlySet<string> } {
				return liveConfig(this.broker, config);
			},
		},
		created() {
			// Before the node joins the bus, not on its first request (lib/tokens.ts loadTokenizer).
			loadTokenizer();
			this.counter = new WorkerPool<ModelsCountParams, number>(join(__dirname, "..", "lib", "tokens.ts"), "countCallTokens");
			this.corrections = new TokenCorrections(correction);
			this.announced = "{}";
			this.openRelays = new OpenStreams();
			this.adopted = false;
			if (!this.broker.metrics.getMetric(CORRECTION_METRIC.name))
				this.broker.metrics.register({ ...CORRECTION_METRIC, labelNames: [...CORRECTION_METRIC.labelNames] } as any);
		},
		async started() {
			await this.adoptFromPeer();
		},
		async stopped() {
			// Relays still running at the end of the shutdown wait end with an error event (lib/open-streams.ts).
			await (this.openRelays as OpenStreams).endAll(this.logger);
			await (this.counter as WorkerPool<ModelsCountParams, number>).stop();
		},
	};
}
