import type { Config } from "./config";
import { flagEnv, nonNegativeEnv, positiveEnv } from "./env-number";

const DEFAULT_TIMEOUT_MS = 60_000;
/** How long a stream whose content flows may run in all: the OpenAI and Anthropic SDKs' own default timeout (10 minutes). */
const DEFAULT_STREAM_MAX_MS = 600_000;
const DEFAULT_RETRY_AFTER_MAX_MS = 2_000;

export interface ProviderLimits {
	timeoutMs: number;
	retryAfterMaxMs: number;
	stream: boolean;
	streamMaxMs: number;
}

/**
 * The LLM_* overrides, each checked: a bad value is a start-up error naming the variable (LLM_TIMEOUT_MS=abc was the
 * 60 s default without a word). Unset or blank: config.yaml decides. LLM_RETRY_AFTER_MAX_MS=0 is "never wait", as
 * `providers.*.retry_after_max_ms: 0` is.
 */
export function llmEnvLimits(env: NodeJS.ProcessEnv): Partial<ProviderLimits> {
	const ms = { unit: "milliseconds" };
	return {
		timeoutMs: positiveEnv(env, "LLM_TIMEOUT_MS", undefined, ms),
		retryAfterMaxMs: nonNegativeEnv(env, "LLM_RETRY_AFTER_MAX_MS", undefined, ms),
		stream: flagEnv(env, "LLM_STREAM", undefined),
		streamMaxMs: positiveEnv(env, "LLM_STREAM_MAX_MS", undefined, ms),
	};
}

/** Per-call limits: LLM_* environment variables win over config.yaml `providers.<name>`, then defaults. */
export function providerLimits(provider: string, config: Pick<Config, "providers">, env: NodeJS.ProcessEnv): ProviderLimits {
	const p = config.providers[provider];
	const e = llmEnvLimits(env);
	return {
		timeoutMs: e.timeoutMs ?? p?.timeout_ms ?? DEFAULT_TIMEOUT_MS,
		retryAfterMaxMs: e.retryAfterMaxMs ?? p?.retry_after_max_ms ?? DEFAULT_RETRY_AFTER_MAX_MS,
		stream: e.stream ?? p?.stream ?? false,
		streamMaxMs: e.streamMaxMs ?? p?.stream_max_ms ?? DEFAULT_STREAM_MAX_MS,
	};
}

/** A provider call's Moleculer timeout: its deadline, plus the longest retry-after it waits before failing, plus 2 s. */
export function vendorCallTimeoutMs(limits: Pick<ProviderLimits, "timeoutMs" | "retryAfterMaxMs">): number {
	return limits.timeoutMs + limits.retryAfterMaxMs + 2_000;
}

/** The longest a provider call of this config may run (vendorCallTimeoutMs), over every provider it configures. */
export function longestVendorCallMs(config: Pick<Config, "providers">, env: NodeJS.ProcessEnv): number {
	const names = Object.keys(config.providers);
	// No provider configured: the defaults (and LLM_*) are what a provider would run with.
	return Math.max(...(names.length ? names : [""]).map(name => vendorCallTimeoutMs(providerLimits(name, config, env))));
}
