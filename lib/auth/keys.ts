import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { isIP } from "node:net";
import { Errors } from "moleculer";
import type { AuthKeyConfig, Config } from "../config";

/** What a key may do: everything of its config entry but the secret. */
export type KeyPolicy = Omit<AuthKeyConfig, "key" | "key_sha256">;

/** The caller's key as every service sees it in `ctx.meta.key`: its name, never its secret. */
export interface KeyMeta {
	key?: { name: string };
}

/** The caller's key name, never the secret (none without keys): the tenant of the caches, the key of records and metrics. */
export function keyName(ctx: { meta: unknown }): string | undefined {
	return (ctx.meta as KeyMeta).key?.name;
}

interface KeyEntry {
	policy: KeyPolicy;
	/** SHA-256 of the secret: every comparison is between two 32-byte digests, so timing says nothing about the secret. */
	digest: Buffer;
}

export interface KeyTable {
	/** No key configured: the gateway is open (and should listen on loopback only). */
	readonly open: boolean;
	readonly names: string[];
	policy(name: string): KeyPolicy | undefined;
	/** The key whose secret is `presented`, compared in constant time against every configured key. */
	authenticate(presented: string | undefined): KeyPolicy | undefined;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** `API_KEYS` entries are named by position (`api-key-1`, ...): the name must never be the secret. */
export function apiKeysFromEnv(value: string | undefined): AuthKeyConfig[] {
	return (value ?? "")
		.split(",")
		.map(s => s.trim())
		.filter(Boolean)
		.map((key, i) => ({ name: `api-key-${i + 1}`, key }));
}

/** The keys of config.yaml `auth.keys` plus `API_KEYS`; built once per service. */
export function keyTable(config: Pick<Config, "auth">, env: NodeJS.ProcessEnv = process.env): KeyTable {
	const entries: KeyEntry[] = [];
	const policies = new Map<string, KeyPolicy>();
	config.auth.keys.forEach((k, i) => {
		// Starting without a secret the file names would leave that key locked out, or (if it was the only one) the gateway open.
		if (!k.key && !k.key_sha256) throw new Error(`config.yaml auth.keys.${i} ('${k.name}'): key is empty (is its \${VAR} set?) and there is no key_sha256`);
	});
	for (const k of [...config.auth.keys, ...apiKeysFromEnv(env.API_KEYS)]) {
		const { key, key_sha256, ...policy } = k;
		if (policies.has(policy.name)) throw new Error(`key name '${policy.name}' is configured twice (config.yaml auth.keys and API_KEYS)`);
		const digest = key_sha256 ? Buffer.from(key_sha256, "hex") : sha256(key!);
		entries.push({ policy, digest });
		policies.set(policy.name, policy);
	}
	return {
		open: entries.length === 0,
		names: [...policies.keys()],
		policy: name => policies.get(name),
		authenticate(presented) {
			if (!presented) return undefined;
			const digest = sha256(presented);
			let found: KeyPolicy | undefined;
			// No early exit: the time taken does not depend on which key (if any) matched.
			for (const e of entries) if (timingSafeEqual(digest, e.digest) && !found) found = e.policy;
			return found;
		},
	};
}

/** `Authorization: Bearer <key>` (OpenAI clients, curl) or `x-api-key: <key>` (Anthropic clients). */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
	const auth = headers.authorization;
	const bearer = typeof auth === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1] : undefined;
	if (bearer) return bearer;
	const x = headers["x-api-key"];
	return typeof x === "string" && x.trim() ? x.trim() : undefined;
}

export function modelAllowed(policy: KeyPolicy | undefined, model: string): boolean {
	return !policy?.models || policy.models.includes(model);
}

/** Whether the gateway's bind address reaches only this machine. */
export function isLoopback(host: string): boolean {
	if (host === "localhost") return true;
	if (isIP(host) === 4) return host.startsWith("127.");
	return host === "::1";
}

/** The one warning for a gateway that anyone on the network could spend through. */
export function openGatewayWarning(host: string): string | undefined {
	if (isLoopback(host)) return undefined;
	return `UNPROTECTED: the HTTP gateway listens on ${host} with no API key configured; anyone who can reach it spends your provider keys. Set API_KEYS or config.yaml auth.keys, or HOST=127.0.0.1.`;
}

// The caller-facing refusals. Types are lower case like the vendors' own (OpenAI's `rate_limit_exceeded`).

export function unauthorized(presented: boolean): Errors.MoleculerClientError {
	const message = presented ? "unknown API key" : "missing API key: send Authorization: Bearer <key> or x-api-key: <key>";
	return new Errors.MoleculerClientError(message, 401, "unauthorized");
}

export function modelNotAllowed(name: string, model: string, allowed: string[]): Errors.MoleculerClientError {
	return new Errors.MoleculerClientError(`model '${model}' is not allowed for key '${name}' (allowed: ${allowed.join(", ")})`, 403, "model_not_allowed", {
		key: name,
		model,
		allowed,
	});
}

/**
 * `retry_after_s` becomes the `retry-after` header; `retryable: false` (a refusal no retry can cure) also
 * `x-should-retry: false`, which the openai and anthropic SDKs obey before they sleep out a retry-after.
 */
export function rateLimited(
	name: string,
	what: "requests" | "tokens",
	limit: number,
	retryAfterS: number,
	extra = "",
	retryable = true,
): Errors.MoleculerClientError {
	return new Errors.MoleculerClientError(
		`key '${name}' is over its ${what}_per_minute limit of ${limit}${extra}; retry in ${retryAfterS} s`,
		429,
		"rate_limited",
		{ key: name, limit, [`${what}_per_minute`]: limit, retry_after_s: retryAfterS, ...(retryable ? {} : { retryable: false }) },
	);
}

export function budgetExceeded(
	name: string,
	period: "day" | "month",
	budgetUsd: number,
	leftUsd: number,
	neededUsd: number,
	retryAfterS: number,
): Errors.MoleculerClientError {
	return new Errors.MoleculerClientError(
		`budget_exceeded: key '${name}' has ${leftUsd} USD left of its budget_usd_per_${period} of ${budgetUsd} USD; this call may cost up to ${neededUsd} USD`,
		429,
		"budget_exceeded",
		// Not retryable: its retry-after is the rest of the day or month, which both SDKs slept out at their default retries.
		{ key: name, period, budget_usd: budgetUsd, left_usd: leftUsd, needed_usd: neededUsd, retry_after_s: retryAfterS, retryable: false },
	);
}

/** The caller's key's entry in config.yaml `auth.keys` (API_KEYS entries have none: no limits beyond the key). */
function keyPolicy(config: Pick<Config, "auth">, meta: KeyMeta) {
	const name = meta.key?.name;
	return name ? config.auth.keys.find(k => k.name === name) : undefined;
}

/** The models the caller's key may call (`auth.keys[].models`), or undefined when it may call any. */
export function keyModels(config: Pick<Config, "auth">, meta: KeyMeta): string[] | undefined {
	return keyPolicy(config, meta)?.models;
}

/**
 * The models of a walk (preferred, then fallbacks) the caller's key may call, for services that
 * have the config but not the key table. None allowed is a 403 naming the first.
 */
export function allowedModels(config: Pick<Config, "auth">, meta: KeyMeta, chain: string[], requested: string[] = []): string[] {
	const policy = keyPolicy(config, meta);
	if (!policy?.models) return chain;
	// A model the caller named (options.preferred_models) is refused, not silently replaced.
	const named = requested.find(m => !policy.models!.includes(m));
	if (named) throw modelNotAllowed(policy.name, named, policy.models);
	const allowed = chain.filter(m => policy.models!.includes(m));
	if (chain.length && !allowed.length) throw modelNotAllowed(policy.name, chain[0], policy.models);
	return allowed;
}
