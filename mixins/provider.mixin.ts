import { remainingMs } from "../lib/deadline";
import type { Context, ServiceSchema } from "moleculer";
import type { Config } from "../lib/config";
import { redact } from "../lib/errors";
import { readVendorError, toMoleculerError, type FailureReason, type VendorFailure } from "../lib/provider-errors";
import type { ProviderMetadata } from "../lib/registry";
import type { ServiceFactoryContext } from "../lib/runner";

export interface ChatMessage {
	role: "user" | "assistant";
	content: string;
}

/** The `complete` contract every provider answers; kept stable so a cacher can key on it. */
export interface CompleteParams {
	model: string;
	system?: string;
	messages: ChatMessage[];
	max_tokens?: number;
	temperature?: number;
}

export type FinishReason = "stop" | "length" | "content_filter" | "tool_calls" | "other";

export interface Completion {
	text: string;
	model: string;
	usage: { input_tokens: number; output_tokens: number };
	finish_reason: FinishReason;
}

export interface CallOptions {
	/** Aborts the HTTP exchange (headers and body) when the call's deadline passes. */
	signal: AbortSignal;
	/** Read the answer as server-sent events instead of one JSON body. */
	stream: boolean;
	timeoutMs: number;
}

/** One call of `complete` as the provider saw it; collected in ctx.meta so the caller sees retries too. */
export interface ProviderTry {
	service: string;
	node: string;
	ok: boolean;
	reason?: FailureReason;
	error?: string;
	ms: number;
}
export const TRIES_META_KEY = "llm_tries";

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
	/** Catalog models this service serves; default: every catalog model whose provider is this one. */
	models?: string[];
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_RETRY_AFTER_MAX_MS = 2_000;
const DEFAULT_MAX_TOKENS = 1024;

function envNumber(value: string | undefined): number | undefined {
	if (value === undefined || value === "") return undefined;
	const n = Number(value);
	return Number.isFinite(n) && n > 0 ? n : undefined;
}

function envFlag(value: string | undefined): boolean | undefined {
	if (value === undefined || value === "") return undefined;
	return /^(1|true|yes|on)$/i.test(value);
}

/** Per-call limits: LLM_* environment variables win over config.yaml `providers.<name>`, then defaults. */
export function providerLimits(provider: string, config: Config, env: NodeJS.ProcessEnv) {
	const p = config.providers[provider];
	return {
		timeoutMs: envNumber(env.LLM_TIMEOUT_MS) ?? p?.timeout_ms ?? DEFAULT_TIMEOUT_MS,
		retryAfterMaxMs: envNumber(env.LLM_RETRY_AFTER_MAX_MS) ?? p?.retry_after_max_ms ?? DEFAULT_RETRY_AFTER_MAX_MS,
		stream: envFlag(env.LLM_STREAM) ?? p?.stream ?? false,
	};
}

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
	const out: Record<string, string | undefined> = { [spec.required[0]]: required };
	for (const [key, names] of Object.entries(spec.optional ?? {})) out[key] = first(names);
	return out;
}

/**
 * The provider contract as a mixin: `complete`, `models`, `health`, the metadata through which
 * the orchestrator discovers the service at run time, one deadline per call, and vendor errors
 * mapped to Moleculer errors so that Moleculer's retry policy and circuit breaker act on them.
 */
export default function ProviderMixin<C>(opts: ProviderMixinOptions<C>): Partial<ServiceSchema> {
	const limits = providerLimits(opts.provider, opts.config, opts.env);
	const served = catalogModels(opts.config, opts.provider, opts.models);
	const metadata: ProviderMetadata = { name: opts.provider, models: served.map(m => m.id) };
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
				params: {
					model: { type: "string", min: 1 },
					system: { type: "string", optional: true },
					messages: {
						type: "array",
						min: 1,
						items: {
							type: "object",
							strict: "remove",
							props: { role: { type: "enum", values: ["user", "assistant"] }, content: { type: "string" } },
						},
					},
					max_tokens: { type: "number", integer: true, positive: true, optional: true, convert: true },
					temperature: { type: "number", min: 0, max: 2, optional: true, convert: true },
				},
				// Moleculer's timeout is the backstop behind the call's own deadline (which also
				// aborts the HTTP exchange) plus the longest retry-after wait we accept.
				timeout: limits.timeoutMs + limits.retryAfterMaxMs + 2_000,
				async handler(ctx: Context<CompleteParams>): Promise<Completion> {
					const started = Date.now();
					const deadline = new AbortController();
					// The vendor's timeout, or sooner when the request's deadline (what the caller has left) comes first.
					const timeoutMs = Math.max(0, Math.min(limits.timeoutMs, remainingMs(ctx)));
					const timer = setTimeout(() => deadline.abort(), timeoutMs);
					try {
						const params = { ...ctx.params, max_tokens: ctx.params.max_tokens ?? DEFAULT_MAX_TOKENS };
						const out = await opts.complete(client, params, { signal: deadline.signal, stream: limits.stream, timeoutMs: limits.timeoutMs });
						this.recordTry(ctx, { ok: true, ms: Date.now() - started });
						return out;
					} catch (err) {
						const failure = (opts.readError ?? readVendorError)(err);
						const mapped = toMoleculerError(failure, {
							provider: opts.provider,
							service: this.name,
							deadlineHit: deadline.signal.aborted,
							timeoutMs: Math.round(timeoutMs),
							retryAfterMaxMs: limits.retryAfterMaxMs,
						});
						// Moleculer's retry middleware waits its own backoff and cannot read retry-after.
						// A short retry-after is honoured here, before the retryable error goes back to the
						// caller's retry middleware; a long one made the error final (toMoleculerError) so the
						// orchestrator moves to another provider instead of blocking the request.
						if (mapped.retryable && failure.retryAfterMs) await new Promise(r => setTimeout(r, failure.retryAfterMs));
						this.recordTry(ctx, { ok: false, ms: Date.now() - started, reason: (mapped.data as { reason: FailureReason }).reason, error: mapped.message });
						throw mapped;
					} finally {
						clearTimeout(timer);
					}
				},
			},
			models: {
				handler() {
					return served;
				},
			},
			health: {
				params: { probe: { type: "boolean", optional: true, convert: true } },
				async handler(ctx: Context<{ probe?: boolean }>) {
					const base = { provider: opts.provider, service: this.name, node: this.broker.nodeID, base_url: this.settings.baseUrl, models: metadata.models };
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
		methods: {
			recordTry(ctx: Context, t: Omit<ProviderTry, "service" | "node">) {
				const tries = (ctx.meta as Record<string, unknown>)[TRIES_META_KEY];
				if (Array.isArray(tries)) tries.push({ service: this.name, node: this.broker.nodeID, ...t });
			},
		},
		created() {
			const unknown = (opts.models ?? []).filter(id => !metadata.models.includes(id));
			if (unknown.length) {
				this.logger.warn(`${unknown.join(", ")}: not in config.yaml models with provider '${opts.provider}'; add them there (with prices) to serve them`);
			}
			client = opts.client();
			this.logger.info(`${opts.provider} provider serving ${metadata.models.join(", ") || "no catalog model"}${opts.baseUrl ? ` at ${redact(opts.baseUrl)}` : ""}`);
		},
	};
}
