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
