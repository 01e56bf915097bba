import { hash } from "node:crypto";

/**
 * The same question asked with different spacing is the same question: trims, unifies line ends,
 * drops trailing spaces and blank-line runs, and collapses spaces between words. Case and
 * leading indentation stay, since identifiers and indented code carry meaning.
 */
export function normalizeRequest(text: string): string {
	// One line (most requests): its indent is trimmed at the end anyway, so what normalizeLines makes of it without the
	// split, the map and the join (the same string: test/unit/services/orchestrator/cache-keys.spec.ts).
	if (!text.includes("\n") && !text.includes("\r")) return text.replace(/[ \t]+/g, " ").trim();
	return normalizeLines(text);
}

/** normalizeRequest line by line, as every text with a line break is normalized. */
export function normalizeLines(text: string): string {
	return text
		.replace(/\r\n?/g, "\n")
		.split("\n")
		.map(line => {
			const indent = /^[ \t]*/.exec(line)![0];
			return (
				indent +
				line
					.slice(indent.length)
					.replace(/[ \t]+/g, " ")
					.trimEnd()
			);
		})
		.join("\n")
		.replace(/\n{3,}/g, "\n\n")
		.trim();
}

/** JSON with object keys sorted, so equal values always hash alike. */
export function stableStringify(value: unknown): string {
	if (value === undefined) return "null";
	if (value === null || typeof value !== "object") return JSON.stringify(value);
	if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
	const obj = value as Record<string, unknown>;
	const keys = Object.keys(obj)
		.filter(k => obj[k] !== undefined)
		.sort();
	return `{${keys.map(k => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(",")}}`;
}

/**
 * Hex SHA-256 of a text (UTF-8), as `createHash("sha256").update(text).digest("hex")` makes it, by Node's one-shot
 * `crypto.hash`: no Hash object per call. A `/v1` `auto` request hashes its analysis key, its stage keys and its
 * sticky key, and each Hash object cost ~1 µs more than the hash itself (docs/overhead.md, "s14-auto").
 */
export function sha256Hex(text: string): string {
	return hash("sha256", text, "hex");
}

export function digest(value: unknown): string {
	return sha256Hex(stableStringify(value));
}

/** digest(null): the context digest of every request without a context (most), made once. */
const NO_CONTEXT_DIGEST = digest(null);

/** The request contexts already serialised, by object: their digest and their JSON's length (see contextDigest). */
const contextDigests = new WeakMap<object, { digest: string; chars: number }>();

function serialised(context: object): { digest: string; chars: number } {
	let s = contextDigests.get(context);
	if (s === undefined) {
		const text = stableStringify(context);
		contextDigests.set(context, (s = { digest: sha256Hex(text), chars: text.length }));
	}
	return s;
}

/**
 * The digest of a request's context, made once per context object: one request's context (2 MB of files, say) is keyed by
 * the analysis cache and by each cached stage (intent, complexity), which are handed the same object, and each of them
 * serialising and hashing it again on the event loop held /health (8 concurrent 2 MB contexts: 1.7-2.3 s at load 6).
 * Params are not changed once an action has them; a context that is not an object is digested as it is.
 */
export function contextDigest(context: unknown): string {
	if (context === null || context === undefined) return NO_CONTEXT_DIGEST;
	if (typeof context !== "object") return digest(context);
	return serialised(context).digest;
}

/** Characters of the context's JSON, from the same one serialisation as its digest (contextDigest). */
export function contextChars(context: unknown): number {
	if (context === null || typeof context !== "object") return 0;
	return serialised(context).chars;
}

/**
 * Largest context (characters of its JSON) whose analysis is cached. An analysis holds the optimized prompt, context
 * included, and the in-process cacher is bounded by entries (CACHER_MAX_ENTRIES, 1000), not bytes: 1000 distinct 2.5 MB
 * contexts would have held 2.5 GB for the analysis TTL (an hour). Above this the analysis runs each time (it is the
 * request's own work, off the event loop where heavy); below it, 1000 entries hold at most ~230 MB with the request.
 */
export const MAX_CACHED_CONTEXT_CHARS = 128 * 1024;

/** The last stage key's request text, context digest and key digest (stageKeygen). */
let lastStage: { request: string; context: string; digest: string } | undefined;

/**
 * Moleculer keygen of a stage cached on its request and context (intent.classify, complexity.analyze): the action, the
 * request and the context's digest (contextDigest), instead of Moleculer's default key, which concatenates every
 * parameter's text (the whole context) before hashing it. The digest of `stableStringify({ request, context })`,
 * written out in its sorted order; the orchestrator asks both stages the same text and context one call after the
 * other, so the last digest is kept (with the text and the context's digest, never the context itself) and the second
 * stage's key reuses it.
 */
export function stageKeygen(action: string, params: { request?: unknown; context?: unknown } | null | undefined): string {
	const request = params?.request ?? null;
	const context = contextDigest(params?.context);
	const last = lastStage;
	if (last !== undefined && last.request === request && last.context === context) return `${action}:${last.digest}`;
	const made = sha256Hex(`{"context":${JSON.stringify(context)},"request":${stableStringify(request)}}`);
	if (typeof request === "string") lastStage = { request, context, digest: made };
	return `${action}:${made}`;
}

/** Options that change how a request is executed but not how it is analysed. */
const EXECUTION_ONLY_OPTIONS = new Set(["dry_run", "cache"]);

export interface AnalysisKeyInput {
	request: unknown;
	context?: unknown;
	options?: Record<string, unknown>;
	/** Model names some provider serves and MCP services up now: an analysis depends on both. */
	live_models: string[];
	live_tools: string[];
	/** Digest of config.yaml, so a new price list or tier table never reads old analyses. */
	config: string;
	/** Learned input-token ratios in force (models.corrections.changed): a moved ratio changes every estimate. */
	token_ratios?: Record<string, number>;
	/** The calling key's models, when it is limited to some (the plan names only those). */
	allowed_models?: string[];
	/**
	 * The caller's key name, when the gateway has keys (never the secret): an analysis that paid a helper call (intent
	 * assist, rewrite) served to another key told it, at a helper cost of 0, that the other had sent exactly this.
	 */
	tenant?: string;
}

/** The key's parts that are the same for every request until the cluster, the config or a learned ratio changes. */
interface ClusterParts {
	/** Copies of what they were made from: a list or ratio changed in place is seen changed. */
	live_models: string[];
	live_tools: string[];
	config: string;
	token_ratios: [string, number][];
	/** `{"config":...` up to the context. */
	head: string;
	/** `,"live_models":[...],"live_tools":[...]` between the context and the options. */
	middle: string;
	/** `,"token_ratios":{...}` or nothing, before the closing brace. */
	tail: string;
}

let lastParts: ClusterParts | undefined;

const sameList = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameRatios = (a: [string, number][], b: Record<string, number> | undefined) =>
	a.length === (b ? Object.keys(b).length : 0) && a.every(([k, v]) => Object.is(b?.[k], v));

/**
 * The stable JSON of the key's cluster parts, remade only when one of them differs from the last call's (compared
 * element by element, a few string comparisons): sorting and stringifying the live models and tools on every request
 * was most of the key's cost (49 us of a `/v1` auto request in the gateway's profile, README "Gateway overhead").
 */
function clusterParts(input: AnalysisKeyInput): ClusterParts {
	const p = lastParts;
	if (
		p &&
		p.config === input.config &&
		sameList(p.live_models, input.live_models) &&
		sameList(p.live_tools, input.live_tools) &&
		sameRatios(p.token_ratios, input.token_ratios)
	)
		return p;
	// Left out while nothing is learned, so keys made before any report stay the same.
	const ratios = input.token_ratios && Object.keys(input.token_ratios).length ? input.token_ratios : undefined;
	return (lastParts = {
		live_models: [...input.live_models],
		live_tools: [...input.live_tools],
		config: input.config,
		token_ratios: Object.entries(input.token_ratios ?? {}),
		head: `{"config":${stableStringify(input.config)}`,
		middle: `,"live_models":${stableStringify([...input.live_models].sort())},"live_tools":${stableStringify([...input.live_tools].sort())}`,
		tail: ratios ? `,"token_ratios":${stableStringify(ratios)}` : "",
	});
}

/**
 * Cache key of an analysis: the normalized request plus everything else the analysis depends on. The digest of
 * `stableStringify({ request, context (its digest), options, live_models (sorted), live_tools (sorted), config, token_ratios })`,
 * its keys in their sorted order, assembled from the cluster's parts made once (clusterParts): the same string, so
 * the same keys as ever (test/unit/services/orchestrator/cache-keys.spec.ts).
 */
export function analysisCacheKey(input: AnalysisKeyInput): string {
	const options = Object.fromEntries(Object.entries(input.options ?? {}).filter(([k]) => !EXECUTION_ONLY_OPTIONS.has(k)));
	// The cacher looks up before the validator runs: a malformed request must still make a key.
	const request = typeof input.request === "string" ? normalizeRequest(input.request) : (input.request ?? null);
	const { head, middle, tail } = clusterParts(input);
	const allowed = input.allowed_models ? `,"allowed_models":${JSON.stringify(input.allowed_models)}` : "";
	const tenant = input.tenant ? `,"tenant":${JSON.stringify(input.tenant)}` : "";
	const json = `${head},"context":${stableStringify(contextDigest(input.context))}${middle},"options":${stableStringify(options)},"request":${stableStringify(request)}${tail}${allowed}${tenant}}`;
	return sha256Hex(json);
}

export interface CompletionKeyInput {
	model: string;
	system: string;
	prompt: string;
	max_tokens: number;
	temperature: number;
	/** The caller's key name, when the gateway has keys: one tenant's answers never serve another (never the secret). */
	tenant?: string;
}

/**
 * Cache key of an LLM completion, or null when the answer must not be cached: only a
 * temperature-0 completion is the answer to its prompt; anything else is a sample. Scoped to the
 * caller's key name: a hit on another tenant's entry (cached, cost 0) told its caller that the
 * other had asked exactly this; without keys the key is as it always was.
 */
export function completionCacheKey(input: CompletionKeyInput): string | null {
	if (input.temperature !== 0) return null;
	const { model, system, prompt, max_tokens, tenant } = input;
	return `orchestrator.completion:${digest({ model, system, prompt, max_tokens, ...(tenant ? { tenant } : {}) })}`;
}

/**
 * Whether an answer that ended this way is kept by a completion cache (orchestrate's and /v1's). "other" is every end a
 * mapping does not know as an answer's (OpenRouter's `error`, Gemini's MALFORMED_FUNCTION_CALL or OTHER): the vendor's
 * failure to answer, which the next call may not repeat, so it is served once and never again from the cache.
 */
export function keepsAnswer(finishReason: string | undefined): boolean {
	return finishReason !== "other";
}
