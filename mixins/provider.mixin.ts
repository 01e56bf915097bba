import { waitingBulkhead } from "../lib/action-options";
import { Errors, type Context, type ServiceSchema } from "moleculer";
import type { Config, Tier } from "../lib/config";
import { errorMessage, redact } from "../lib/errors";
import { baseUrlHint, servedModels } from "../lib/provider-discovery";
import { readVendorError, toMoleculerError, type VendorFailure } from "../lib/provider-errors";
import { publishMetadata, type ProviderMetadata } from "../lib/registry";
import { remainingMs } from "../lib/deadline";
import { CallLedger } from "../lib/call-ledger";
import { CancelledError, cancelEvents, cancels, type CancelMeta } from "../lib/cancel";
import type { ServiceFactoryContext } from "../lib/runner";
import { PassThrough } from "node:stream";
import { OpenStreams, shutdownCutMessage } from "../lib/open-streams";
import {
	ProviderCompleteParamsSchema,
	type Completion,
	type ProviderCompleteParams as CompleteParams,
	type ProviderStreamEvent,
	type StreamDelta,
} from "../lib/contracts/complete";
import { zodParams } from "../lib/contracts/validator";
import { providerLimits, vendorCallTimeoutMs } from "../lib/provider-limits";

export type { ChatMessage, Completion, FinishReason, ProviderCompleteParams as CompleteParams } from "../lib/contracts/complete";

export interface CallOptions {
	/** Aborts the HTTP exchange (headers and body) when the call's deadline passes. */
	signal: AbortSignal;
	/** Read the answer as server-sent events instead of one JSON body. */
	stream: boolean;
	timeoutMs: number;
	/**
	 * Set by the `stream` action: the mapping streams from the vendor whatever `stream` says and
	 * hands each text or tool-call fragment here as it arrives, then returns the whole completion.
	 */
	onDelta?: (delta: StreamDelta) => void;
}

export interface ProviderMixinOptions<C> {
	/** Provider name as used in config.yaml (`models.*.provider`, `providers.*`). */
	provider: string;
	config: Config;
	env: NodeJS.ProcessEnv;
	/** Shown by `health`; never a key. */
	baseUrl?: string;
	/** Builds the vendor SDK client once, when the service is created. */
	client: () => C;
	/** Request mapping, SDK call and response mapping for one completion. */
	complete: (client: C, params: CompleteParams, call: CallOptions) => Promise<Completion>;
	/** Model ids the vendor lists, for `health` with probe: true. */
	listModels?: (client: C, signal: AbortSignal) => Promise<string[]>;
	/** Reads a vendor error when the generic reading (status + headers) is not enough. */
	readError?: (err: unknown) => VendorFailure;
	/** Optional features the vendor mapping passes on; a call using another is refused before the vendor. */
	supports?: ProviderFeature[];
	/** The most stop sequences the vendor's API takes (OpenAI 4, Gemini 5); a call with more is refused before the vendor. */
	maxStopSequences?: number;
	/** Catalog models this service serves; default: every catalog model whose provider is this one. */
	models?: string[];
	/**
	 * Read the server's model list (listModels) at start, then every `providers.<name>.discovery_interval_ms`
	 * (default 60 s) and, after a failure, with a backoff of 1 s doubling to 30 s; serve what it lists
	 * (lib/provider-discovery.ts), narrowed by `models`. For servers the user runs (OpenAI-compatible).
	 */
	discover?: boolean;
	/** Tiers per model (OPENAI_COMPATIBLE_TIERS), published in the metadata for the models service. */
	tiers?: Record<string, Tier[]>;
}

const DISCOVERY_INTERVAL_MS = 60_000;
const DISCOVERY_RETRY_MS = { first: 1_000, max: 30_000 };
/** The start waits this long at most for the first listing; a slower server is read by the retries. */
const DISCOVERY_START_WAIT_MS = 5_000;

/** Call features beyond text chat (lib/contracts/complete.ts) that a vendor mapping may or may not translate. */
/** `json_schema`: response_format of that type only (Anthropic's output_config.format has no plain JSON mode). */
export type ProviderFeature = "tools" | "response_format" | "json_schema" | "parallel_tool_calls";

/** The features a call uses that the provider does not support. */
export function unsupportedParams(params: CompleteParams, supports: ProviderFeature[], maxStopSequences = Infinity): string[] {
	const out: string[] = [];
	if (Array.isArray(params.stop) && params.stop.length > maxStopSequences) out.push("stop");
	const usesTools = !!params.tools?.length || params.tool_choice !== undefined || params.messages.some(m => m.role === "tool" || !!m.tool_calls?.length);
	if (usesTools && !supports.includes("tools")) out.push("tools");
	// At most one call per answer, with tools offered: a vendor with no such switch could answer with several.
	if (params.parallel_tool_calls === false && params.tools?.length && !supports.includes("parallel_tool_calls")) out.push("parallel_tool_calls");
	const format = params.response_format?.type;
	if (format && format !== "text" && !supports.includes("response_format") && !(format === "json_schema" && supports.includes("json_schema")))
		out.push("response_format");
	return out;
}

export const DEFAULT_MAX_TOKENS = 1024;

// Read with the LLM_* overrides in one place (lib/provider-limits.ts); re-exported for the provider files.
export { providerLimits };

/** Catalog ids (and prices) of the models a provider serves. */
export function catalogModels(config: Config, provider: string, only?: string[]) {
	return Object.entries(config.models)
		.filter(([id, m]) => m.provider === provider && (!only || only.includes(id)))
		.map(([id, m]) => ({ id, api_model: m.api_model ?? id, ...m }));
}

/**
 * Reads a provider's credentials from the environment, first variable set wins. Returns null
 * (and says once which variable to set, never a value) when the required one is missing, so
 * the service file can return null and the runner does not start it.
 */
export function providerEnv(
	ctx: ServiceFactoryContext,
	spec: { service: string; required: string[]; optional?: Record<string, string[]> },
): Record<string, string | undefined> | null {
	const first = (names: string[]) => names.map(n => ctx.env[n]).find(v => v !== undefined && v !== "");
	const required = first(spec.required);
	if (!required) {
		if (ctx.wanted?.(spec.service) === false) return null;
		ctx.logger.info(`${spec.service} not started: set ${spec.required.join(" or ")} to enable it (see docs/providers.md)`);
		return null;
	}
	// A base URL without its scheme ("api.example.com/v1") served as a live provider whose every call failed with
	// "Invalid URL": a start-up error naming the variable instead (its value is not echoed: a URL may hold credentials).
	// Only on a node that hosts the provider, and only the variable it reads (the first set of its names).
	if (ctx.wanted?.(spec.service) !== false) {
		for (const names of [spec.required, ...Object.values(spec.optional ?? {})]) {
			const name = names.find(n => ctx.env[n] !== undefined && ctx.env[n] !== "");
			if (name?.endsWith("_URL") && !isHttpUrl(ctx.env[name]!))
				throw new Error(`${name} must be an absolute http:// or https:// URL, such as https://api.example.com/v1`);
		}
	}
	const out: Record<string, string | undefined> = { [spec.required[0]]: required };
	for (const [key, names] of Object.entries(spec.optional ?? {})) out[key] = first(names);
	return out;
}

function isHttpUrl(value: string): boolean {
	try {
		return ["http:", "https:"].includes(new URL(value).protocol);
	} catch {
		return false;
	}
}

/**
 * The provider contract as a mixin: `complete`, `models`, `health`, the metadata through which
 * the orchestrator discovers the service at run time, one deadline per call, and vendor errors
 * mapped to Moleculer errors so that Moleculer's retry policy and circuit breaker act on them.
 */
export default function ProviderMixin<C>(opts: ProviderMixinOptions<C>): Partial<ServiceSchema> {
	const limits = providerLimits(opts.provider, opts.config, opts.env);
	const waiting = waitingBulkhead(opts.env);
	const discovery = opts.discover && opts.listModels ? opts.listModels : undefined;
	const interval = opts.config.providers[opts.provider]?.discovery_interval_ms ?? DISCOVERY_INTERVAL_MS;
	/** The provider metadata for a list of served models (catalog ids, plus the server's own when discovering). */
	const describe = (listed?: string[]): ProviderMetadata => {
		if (!opts.discover) return { name: opts.provider, models: catalogModels(opts.config, opts.provider, opts.models).map(m => m.id) };
		const served = servedModels(opts.config, opts.provider, { listed, only: opts.models });
		return {
			name: opts.provider,
			models: served.models,
			...(Object.keys(served.extra).length ? { extra: served.extra } : {}),
			...(opts.tiers && Object.keys(opts.tiers).length ? { tiers: opts.tiers } : {}),
		};
	};
	const metadata = describe();
	let client: C;

	return {
		metadata: { provider: metadata },
		settings: {
			provider: opts.provider,
			// Public facts only: settings travel to every node in INFO packets.
			baseUrl: opts.baseUrl ? redact(opts.baseUrl) : undefined,
			timeoutMs: limits.timeoutMs,
			retryAfterMaxMs: limits.retryAfterMaxMs,
			stream: limits.stream,
		},
		actions: {
			complete: {
				// lib/contracts/complete.ts: OpenAI's message, tool and option shapes; each vendor maps what it supports.
				params: zodParams(ProviderCompleteParamsSchema),
				// A vendor call waits on the vendor: a bulkhead for waiting (lib/action-options.ts).
				...waiting,
				// Moleculer's timeout is the backstop behind the call's own deadline (which also
				// aborts the HTTP exchange) plus the longest retry-after wait we accept.
				timeout: vendorCallTimeoutMs(limits),
				handler(ctx: Context<CompleteParams, CancelMeta>): Promise<Completion> {
					// At most one vendor call per call of a walk, whatever Moleculer's retries send again (lib/call-ledger.ts).
					return (this.ledger as CallLedger).once(
						CallLedger.keyOf(ctx),
						`${this.name}.complete`,
						remainingMs(ctx),
						() => {
							// Aborted when the request's caller gives up (lib/cancel.ts).
							const gaveUp = cancels(this.broker).watch(ctx.meta.cancel);
							return this.vendorCall(ctx.params, undefined, remainingMs(ctx), gaveUp.controller).finally(gaveUp.done);
						},
						// Received for sure: a caller in this process (no bus to lose the answer) that was still waiting.
						// (Moleculer's timeout middleware starts its timer with ctx.startHrTime; a second of margin besides.)
						() => ctx.nodeID === this.broker.nodeID && remainingMs(ctx) > 1_000,
					);
				},
			},
			/**
			 * The same call streamed: resolves with an object-mode stream of ProviderStreamEvent once the
			 * vendor's first content arrived (or the whole answer, if it had none). A failure before that
			 * rejects like `complete` (retried, counted by the breaker, and the walk moves on); one after
			 * it ends the stream with an `error` event, since the caller may already have passed content on.
			 * A stopping node relays the stream to its last event, within its shutdown wait (lib/open-streams.ts).
			 */
			stream: {
				params: zodParams(ProviderCompleteParamsSchema),
				...waiting,
				timeout: vendorCallTimeoutMs(limits),
				handler(ctx: Context<CompleteParams, CancelMeta>): Promise<PassThrough> {
					const out = new PassThrough({ objectMode: true });
					// Nothing after the last event: the answer's end, a failure, or a stopping node's cut (OpenStreams.endAll), whichever comes first.
					const write = (e: ProviderStreamEvent) => void (out.writableEnded || out.write(e));
					const last = (e: ProviderStreamEvent) => void (out.writableEnded || out.end(e));
					// The reader destroyed the stream before its end (the client hung up), or the request's caller gave up
					// (lib/cancel.ts): the vendor call is aborted, so the vendor stops generating (and billing) an answer nobody reads.
					const gaveUp = cancels(this.broker).watch(ctx.meta.cancel);
					// The caller's controller (one signal for both causes), or one of the stream's own when there is no token.
					const stop = gaveUp.controller ?? new AbortController();
					out.on("close", () => {
						if (!out.writableEnded) stop.abort();
					});
					return new Promise((resolve, reject) => {
						let open = false;
						const first = () => {
							if (open) return;
							open = true;
							// In flight until its last event is read: a stopping node waits for it as for an unstreamed call
							// (tracking.shutdownTimeout), and ends it with an error if it still runs when that wait is over.
							(this.openStreams as OpenStreams).add(ctx, out, () => {
								last({
									type: "error",
									message: shutdownCutMessage(this.name, this.broker),
									code: 503,
									reason: "unavailable",
								} satisfies ProviderStreamEvent);
								stop.abort();
							});
							resolve(out);
						};
						// The call's timeout (the walk's budget for this try) bounds the wait for the first content; once content flows,
						// nobody else can take over the answer: it runs while the vendor keeps sending (vendorCall).
						this.vendorCall(
							ctx.params,
							(d: StreamDelta) => {
								write(d);
								first();
							},
							remainingMs(ctx),
							stop,
						)
							.finally(gaveUp.done)
							.then(
								(completion: Completion) => {
									last({ type: "end", completion } satisfies ProviderStreamEvent);
									first();
								},
								(err: Errors.MoleculerError) => {
									if (!open) return reject(err);
									last({
										type: "error",
										message: err.message,
										code: err.code || 502,
										reason: (err.data as { reason?: string } | undefined)?.reason,
									} satisfies ProviderStreamEvent);
								},
							);
					});
				},
			},
			models: {
				handler() {
					const meta = this.metadata.provider as ProviderMetadata;
					const catalog = catalogModels(opts.config, opts.provider).filter(m => meta.models.includes(m.id));
					const extra = Object.entries(meta.extra ?? {}).map(([id, m]) => ({ id, api_model: id, provider: opts.provider, ...m, discovered: true }));
					return [...catalog, ...extra];
				},
			},
			health: {
				params: { probe: { type: "boolean", optional: true, convert: true } },
				async handler(ctx: Context<{ probe?: boolean }>) {
					const base = {
						provider: opts.provider,
						service: this.name,
						node: this.broker.nodeID,
						base_url: this.settings.baseUrl,
						models: (this.metadata.provider as ProviderMetadata).models,
					};
					if (!ctx.params.probe || !opts.listModels) return { ...base, status: "ok", probed: false };
					const started = Date.now();
					try {
						const listed = await opts.listModels(client, AbortSignal.timeout(limits.timeoutMs));
						return { ...base, status: "ok", probed: true, latency_ms: Date.now() - started, vendor_models: listed.length };
					} catch (err) {
						const mapped = toMoleculerError((opts.readError ?? readVendorError)(err), { provider: opts.provider, service: this.name });
						return { ...base, status: "error", probed: true, latency_ms: Date.now() - started, error: mapped.message };
					}
				},
			},
		},
		// A caller gave up: this node's calls under its cancel token are aborted (lib/cancel.ts).
		events: cancelEvents,
		methods: {
			/** One vendor call under the call's deadline, its failure mapped to a Moleculer error; streamed when onDelta is given. */
			/**
			 * `remaining`: what the caller has left of the request's deadline (remainingMs(ctx)); the vendor call never outlives it.
			 * `cancel`: the call's own controller, aborted when its reader is gone (a stream's client hung up) or its caller gave
			 * up; the call then fails with a CancelledError (final: no retry, no other model), and is not sent at all if it is
			 * already aborted. The deadline aborts it too (that failure is the deadline's): one controller and one signal per
			 * call, not a second controller listening to the first.
			 */
			async vendorCall(
				request: CompleteParams,
				onDelta?: (d: StreamDelta) => void,
				/** What the caller has left: it bounds an unstreamed call, and a stream's wait for its first delta. */
				remaining = Infinity,
				cancel?: AbortController,
			): Promise<Completion> {
				const unsupported = unsupportedParams(request, opts.supports ?? [], opts.maxStopSequences);
				if (unsupported.length) {
					// An answer about the request, not a provider failure: not retried, and the walk moves on.
					throw new Errors.MoleculerClientError(`${opts.provider} provider cannot take ${unsupported.join(", ")}`, 400, "UNSUPPORTED_PARAMS", {
						reason: "bad_request",
						provider: opts.provider,
						service: this.name,
						params: unsupported,
					});
				}
				if (cancel?.signal.aborted) throw new CancelledError(`${this.name}.complete`, false);
				// One controller for both ends of the call (AbortSignal.any per call kept every call's signals for V8 to collect later).
				const abort = cancel ?? new AbortController();
				let deadlineHit = false;
				// Which limit fired, for the error's message: the answer's (or a stream's first content's), the silence between
				// a stream's deltas, or a stream's whole length.
				let limit = "answer" as "answer" | "idle" | "length";
				// The vendor's timeout, or sooner when the request's deadline (what the caller has left) comes first.
				let timeoutMs = Math.max(0, Math.min(limits.timeoutMs, remaining));
				const expire = () => {
					deadlineHit = true;
					abort.abort();
				};
				const started = Date.now();
				let timer = setTimeout(expire, timeoutMs);
				let cap: NodeJS.Timeout | undefined;
				// Once content flows nobody else can take over the answer, and a long generation must not be cut at the
				// request's deadline (a healthy 4k-token stream was, at 55 s): the stream runs while its vendor sends something
				// at least every LLM_TIMEOUT_MS, up to LLM_STREAM_MAX_MS in all.
				let flowing = false;
				const relay =
					onDelta &&
					((d: StreamDelta) => {
						if (flowing) timer.refresh();
						else {
							flowing = true;
							clearTimeout(timer);
							limit = "idle";
							timeoutMs = limits.timeoutMs;
							timer = setTimeout(expire, timeoutMs);
							cap = setTimeout(
								() => {
									limit = "length";
									expire();
								},
								Math.max(0, limits.streamMaxMs - (Date.now() - started)),
							);
						}
						onDelta(d);
					});
				try {
					const params = { ...request, max_tokens: request.max_tokens ?? DEFAULT_MAX_TOKENS };
					const out = await opts.complete(client, params, {
						signal: abort.signal,
						stream: limits.stream || !!onDelta,
						timeoutMs: limits.timeoutMs,
						...(relay ? { onDelta: relay } : {}),
					});
					return out;
				} catch (err) {
					if (abort.signal.aborted && !deadlineHit) throw new CancelledError(`${this.name}.complete`, true);
					const failure = (opts.readError ?? readVendorError)(err);
					const mapped = toMoleculerError(failure, {
						provider: opts.provider,
						service: this.name,
						deadlineHit,
						timeoutMs: Math.round(timeoutMs),
						...(limit === "idle" ? { timeoutMessage: `sent nothing for ${Math.round(timeoutMs)} ms in the middle of its answer` } : {}),
						...(limit === "length"
							? {
									timeoutMessage: `the answer ran past ${limits.streamMaxMs} ms (LLM_STREAM_MAX_MS, or providers.${opts.provider}.stream_max_ms)`,
								}
							: {}),
						retryAfterMaxMs: limits.retryAfterMaxMs,
					});
					// Moleculer's retry middleware waits its own backoff and cannot read retry-after.
					// A short retry-after is honoured here, before the retryable error goes back to the
					// caller's retry middleware; a long one made the error final (toMoleculerError) so the
					// orchestrator moves to another provider instead of blocking the request.
					if (mapped.retryable && failure.retryAfterMs) await new Promise(r => setTimeout(r, failure.retryAfterMs));
					throw mapped;
				} finally {
					clearTimeout(timer);
					clearTimeout(cap);
				}
			},
			/**
			 * Reads the server's model list and publishes what it serves when that changed; schedules the
			 * next reading (the interval after a success, a growing backoff after a failure).
			 */
			async discoverModels(waitMs: number = limits.timeoutMs) {
				clearTimeout(this.discoveryTimer);
				// A stopping node publishes nothing: the INFO packet would advertise its services again, which it now refuses.
				if ((this.broker as { stopping?: boolean }).stopping) return;
				let next = interval;
				try {
					const listed = await discovery!(client, AbortSignal.timeout(Math.min(waitMs, limits.timeoutMs)));
					this.discoveryRetryMs = DISCOVERY_RETRY_MS.first;
					const meta = describe(listed);
					const before = this.metadata.provider as ProviderMetadata;
					if (JSON.stringify(meta) !== JSON.stringify(before)) {
						this.metadata.provider = meta;
						publishMetadata(this.broker, this);
						this.logger.info(`${opts.provider}: the server lists ${listed.length} model(s); serving ${meta.models.join(", ") || "none"}`);
						const unserved = Object.keys(opts.tiers ?? {}).filter(id => !meta.models.includes(id));
						if (unserved.length)
							this.logger.warn(`${opts.provider}: tiers are assigned to ${unserved.join(", ")}, which the server does not serve (yet)`);
					}
				} catch (err) {
					next = this.discoveryRetryMs;
					this.discoveryRetryMs = Math.min(DISCOVERY_RETRY_MS.max, next * 2);
					const mapped = toMoleculerError((opts.readError ?? readVendorError)(err), { provider: opts.provider, service: this.name });
					const hint = baseUrlHint(this.settings.baseUrl, (mapped as Errors.MoleculerError).data?.status);
					this.logger.warn(
						`${opts.provider}: cannot list the server's models (${errorMessage(mapped)})${hint}; serving ${(this.metadata.provider as ProviderMetadata).models.join(", ") || "none"}, next try in ${next} ms`,
					);
				}
				if (this.discoveryStopped || next <= 0) return;
				this.discoveryTimer = setTimeout(() => void this.discoverModels(), next);
				this.discoveryTimer.unref?.();
			},
		},
		created() {
			const unknown = (opts.models ?? []).filter(id => !metadata.models.includes(id));
			if (unknown.length && !opts.discover) {
				this.logger.warn(
					`${unknown.join(", ")}: not in config.yaml models with provider '${opts.provider}'; add them there (with prices) to serve them`,
				);
			}
			client = opts.client();
			this.ledger = new CallLedger(this.broker);
			// Streams relayed now (first content sent, last event not yet read), each with what ends it when the node stops.
			this.openStreams = new OpenStreams();
			this.logger.info(
				`${opts.provider} provider serving ${metadata.models.join(", ") || "no catalog model"}${opts.baseUrl ? ` at ${redact(opts.baseUrl)}` : ""}`,
			);
			this.discoveryRetryMs = DISCOVERY_RETRY_MS.first;
			this.discoveryStopped = false;
		},
		async started() {
			// Before the service registers, so the cluster first sees what the server really has.
			if (discovery) await this.discoverModels(DISCOVERY_START_WAIT_MS);
		},
		async stopped() {
			this.discoveryStopped = true;
			clearTimeout(this.discoveryTimer);
			// Streams still running at the end of the shutdown wait end with an error event (lib/open-streams.ts).
			await (this.openStreams as OpenStreams).endAll(this.logger);
		},
	};
}
