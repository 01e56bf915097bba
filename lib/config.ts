import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { INTENTS, TIERS } from "./contracts/request";
import { COMPACTION_LEVELS } from "./compaction/types";

// Declared with the request contract (lib/contracts/request.ts); re-exported for config readers.
export { TIERS, type Tier } from "./contracts/request";

const positive = z.number().positive();

/**
 * A flag that config.yaml may take from the environment (`${VAR:-false}` yields a string):
 * 1/true/yes/on and 0/false/no/off/empty, any case; anything else is an error naming the key.
 */
const envBoolean = z.preprocess(
	v => {
		if (typeof v !== "string") return v;
		if (/^\s*(1|true|yes|on)\s*$/i.test(v)) return true;
		if (/^\s*(0|false|no|off|)\s*$/i.test(v)) return false;
		return v;
	},
	z.boolean({ error: "expected true or false (1/0, yes/no, on/off)" }),
);

/** Off by default; with it on, intents the local model is unsure of are asked of the cheapest live model. */
const LLM_ASSIST_DEFAULTS = { enabled: false, below_confidence: 0.8, timeout_ms: 3000, max_tokens: 5 };
const LlmAssistSchema = z
	.strictObject({
		enabled: envBoolean.default(LLM_ASSIST_DEFAULTS.enabled),
		// Asked when the local model's confidence is strictly below this.
		below_confidence: z.number().min(0).max(1).default(LLM_ASSIST_DEFAULTS.below_confidence),
		// The longest the classification waits for the model; past it the local answer stands.
		timeout_ms: z.number().int().positive().default(LLM_ASSIST_DEFAULTS.timeout_ms),
		// Output room: one label is one to three tokens.
		max_tokens: z.number().int().positive().max(64).default(LLM_ASSIST_DEFAULTS.max_tokens),
	})
	.strict()
	.default(LLM_ASSIST_DEFAULTS);

const COMPACTION_DEFAULTS = { default: "lossless" as const, budget_fraction: 0.5, keep_last: 6, step: 8 };

const ModelSchema = z.strictObject({
	provider: z.string().min(1),
	input_per_mtok: z.number().nonnegative(),
	output_per_mtok: z.number().nonnegative(),
	// Input served from the vendor's prompt cache (a repeated prefix), USD per million tokens.
	cached_input_per_mtok: z.number().nonnegative().optional(),
	context_window: z.number().int().positive(),
	// The id the vendor's API expects when it differs from the catalog key.
	api_model: z.string().optional(),
	// Tiers this model also serves (a local model): placed first in them when free, after the tier's own models otherwise.
	tiers: z.array(z.enum(TIERS)).optional(),
});

/**
 * The model catalog keyed by id, with no prototype: every lookup is by a caller's model name
 * (/v1 `model`, `preferred_models`, `models.complete`'s chain), and on a plain object
 * `constructor`, `toString` or `__proto__` would find Object.prototype's members and pass as
 * catalog models (a 503 "no live provider serves constructor" instead of an unknown model).
 */
export function modelCatalog<T>(entries: Record<string, T>): Record<string, T> {
	return Object.assign(Object.create(null) as Record<string, T>, entries);
}

const TierSchema = z.strictObject({
	preferred: z.string().min(1),
	fallback: z.array(z.string().min(1)).default([]),
});

/** What every downstream MCP service entry shares, whatever its transport. */
const mcpCommon = {
	// Intents this service serves (read, write, search, analyze, manage): the router only picks its tools for these.
	capabilities: z.array(z.string().min(1)).default([]),
	// Tools that change files or systems run only when the entry allows them.
	allow_write: z.boolean().default(false),
	allow_manage: z.boolean().default(false),
	enabled: z.boolean().default(true),
	// Directories the service may touch; path arguments outside them are refused before the call.
	// Left out, a server offering `list_allowed_directories` (the file-system server) is asked.
	roots: z.array(z.string().min(1)).optional(),
	timeout_ms: z.number().int().positive().default(30_000),
	// An MCP ping this often notices a dead HTTP server before a request does (stdio notices at once); 0 turns it off.
	ping_interval_ms: z.number().int().nonnegative().default(15_000),
	// Reconnect backoff after the server dies: doubles from the first delay up to the cap.
	reconnect: z
		.strictObject({ initial_ms: z.number().int().positive().default(250), max_ms: z.number().int().positive().default(30_000) })
		.default({ initial_ms: 250, max_ms: 30_000 }),
};

const McpServiceSchema = z.discriminatedUnion("type", [
	z.strictObject({
		type: z.literal("stdio"),
		command: z.string().min(1),
		args: z.array(z.string()).default([]),
		env: z.record(z.string(), z.string()).default({}),
		cwd: z.string().optional(),
		...mcpCommon,
	}),
	z.strictObject({
		type: z.literal("http"),
		url: z.string().url(),
		headers: z.record(z.string(), z.string()).default({}),
		...mcpCommon,
	}),
]);

/** One gateway key (issue 14): who calls, what it may spend and how fast. */
const AuthKeySchema = z
	.strictObject({
		// What logs, metrics, errors and the spend ledger call the key; never the secret.
		name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "key names are letters, digits, '.', '_' and '-' (at most 64)"),
		// The secret itself (usually `${VAR}`), or its SHA-256 in hex so the file holds no secret.
		key: z.preprocess(v => (v === "" ? undefined : v), z.string().optional()),
		key_sha256: z
			.string()
			.regex(/^[0-9a-fA-F]{64}$/, "expected 64 hex digits")
			.optional(),
		budget_usd_per_day: z.number().positive().optional(),
		budget_usd_per_month: z.number().positive().optional(),
		requests_per_minute: z.number().int().positive().optional(),
		tokens_per_minute: z.number().int().positive().optional(),
		// Catalog models this key may call; left out, every model.
		models: z.array(z.string().min(1)).min(1).optional(),
	})
	// Whether a key has its secret is checked where keys are used (lib/auth/keys.ts keyTable): a provider
	// node reads this file too, without the gateway's secrets in its environment.
	.strict()
	.refine(k => !(k.key && k.key_sha256), { path: ["key"], message: "give one of key and key_sha256, not both" });

export const ConfigSchema = z
	.strictObject({
		limits: z
			.strictObject({
				max_request_chars: z.number().int().positive().default(100_000),
				max_context_bytes: z
					.number()
					.int()
					.positive()
					.default(4 * 1024 * 1024),
				max_body_bytes: z
					.number()
					.int()
					.positive()
					.default(8 * 1024 * 1024),
				// Messages in one /v1 request body (`messages`); more is a 413 at the edge (lib/json-body.ts).
				max_messages: z.number().int().positive().default(10_000),
				// Time to receive a whole request, headers and body (Node's server.requestTimeout, 300 s by default):
				// a client that never finishes its body gets a 408 and its connection closed within 1.25 x this
				// (services/gateway/server-timeouts.ts).
				request_timeout_ms: z.number().int().positive().default(60_000),
			})
			.default({
				max_request_chars: 100_000,
				max_context_bytes: 4 * 1024 * 1024,
				max_body_bytes: 8 * 1024 * 1024,
				max_messages: 10_000,
				request_timeout_ms: 60_000,
			}),
		routing: z.strictObject({
			complexity_thresholds: z.strictObject({ moderate: z.number().min(0).max(1), complex: z.number().min(0).max(1) }),
		}),
		output_budget: z.strictObject({
			simple: positive,
			moderate: positive,
			complex: positive,
			// Optional per-intent budgets: a list of locations needs fewer tokens than generated code.
			by_intent: z
				.partialRecord(
					z.enum(INTENTS),
					z.strictObject({ simple: positive.optional(), moderate: positive.optional(), complex: positive.optional() }).strict(),
				)
				.optional(),
		}),
		tiers: z.strictObject({ simple: TierSchema, moderate: TierSchema, complex: TierSchema }),
		models: z.record(z.string(), ModelSchema).transform(modelCatalog),
		providers: z
			.record(
				z.string(),
				z.strictObject({
					env: z.array(z.string()).default([]),
					// Per-call deadline (LLM_TIMEOUT_MS overrides), longest retry-after honoured before
					// failing over (LLM_RETRY_AFTER_MAX_MS), and whether answers are read as SSE (LLM_STREAM).
					timeout_ms: z.number().int().positive().optional(),
					retry_after_max_ms: z.number().int().nonnegative().optional(),
					stream: z.boolean().optional(),
					// How long a stream whose content flows may run in all (LLM_STREAM_MAX_MS overrides); between its deltas timeout_ms.
					stream_max_ms: z.number().int().positive().optional(),
					// Context window given to a model the server lists (GET /v1/models) that the catalog does not have.
					default_context_window: z.number().int().positive().optional(),
					// How often the server's model list is read again (0: only at start and after failures).
					discovery_interval_ms: z.number().int().nonnegative().optional(),
				}),
			)
			.default({}),
		cache: z
			.strictObject({ ttl_seconds: z.strictObject({ analysis: z.number().int().nonnegative(), completion: z.number().int().nonnegative() }) })
			.default({ ttl_seconds: { analysis: 3600, completion: 86400 } }),
		// Learned vendor/o200k_base ratio per model for input-token estimates (services/models/correction.ts).
		token_correction: z
			.strictObject({
				enabled: z.boolean().default(true),
				decay: z.number().gt(0).max(1).default(0.9),
				min_samples: z.number().int().positive().default(5),
				min_ratio: z.number().gt(0).max(1).default(0.5),
				max_ratio: z.number().min(1).default(2),
				step: z.number().positive().default(0.05),
			})
			.default({ enabled: true, decay: 0.9, min_samples: 5, min_ratio: 0.5, max_ratio: 2, step: 0.05 }),
		intent: z.strictObject({ llm_assist: LlmAssistSchema }).strict().default({ llm_assist: LLM_ASSIST_DEFAULTS }),
		// Compaction of conversations forwarded by the /v1 endpoints (lib/compaction).
		compaction: z
			.strictObject({
				default: z.enum(COMPACTION_LEVELS).default(COMPACTION_DEFAULTS.default),
				budget_fraction: z.number().gt(0).max(1).default(COMPACTION_DEFAULTS.budget_fraction),
				keep_last: z.number().int().nonnegative().default(COMPACTION_DEFAULTS.keep_last),
				step: z.number().int().positive().default(COMPACTION_DEFAULTS.step),
			})
			.strict()
			.default(COMPACTION_DEFAULTS),
		mcp_services: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, "service names are letters, digits, _ and -"), McpServiceSchema).default({}),
		// Re-export every live downstream tool through our own MCP server as <service>__<tool>.
		gateway: z.strictObject({ reexport_tools: z.boolean().default(false) }).default({ reexport_tools: false }),
		auth: z
			.strictObject({ keys: z.array(AuthKeySchema).default([]) })
			.strict()
			.default({ keys: [] }),
	})
	.superRefine((cfg, ctx) => {
		// Cross-references zod cannot express field by field: every tier model must be in the catalog.
		for (const tier of TIERS) {
			const t = cfg.tiers[tier];
			[t.preferred, ...t.fallback].forEach((model, i) => {
				if (!cfg.models[model]) {
					ctx.addIssue({
						code: "custom",
						path: ["tiers", tier, i === 0 ? "preferred" : `fallback.${i - 1}`],
						message: `model '${model}' is not in the models catalog`,
					});
				}
			});
		}
		// A model's provider must be one the file declares (a typo, `provider: mistrall`, left the model silently unserved).
		const providers = Object.keys(cfg.providers);
		if (providers.length) {
			for (const [id, m] of Object.entries(cfg.models)) {
				if (!Object.hasOwn(cfg.providers, m.provider))
					ctx.addIssue({
						code: "custom",
						path: ["models", id, "provider"],
						message: `provider '${m.provider}' has no entry under providers (${providers.join(", ")})`,
					});
			}
		}
		const names = new Set<string>();
		cfg.auth.keys.forEach((k, i) => {
			if (names.has(k.name)) ctx.addIssue({ code: "custom", path: ["auth", "keys", i, "name"], message: `key name '${k.name}' is used twice` });
			names.add(k.name);
			(k.models ?? []).forEach((m, j) => {
				if (!cfg.models[m])
					ctx.addIssue({ code: "custom", path: ["auth", "keys", i, "models", j], message: `model '${m}' is not in the models catalog` });
			});
		});
		const th = cfg.routing.complexity_thresholds;
		if (th.moderate >= th.complex) {
			ctx.addIssue({ code: "custom", path: ["routing", "complexity_thresholds"], message: "moderate must be below complex" });
		}
	});

export type Config = z.infer<typeof ConfigSchema>;
export type ModelInfo = z.infer<typeof ModelSchema>;
export type McpServiceConfig = z.infer<typeof McpServiceSchema>;
export type AuthKeyConfig = z.infer<typeof AuthKeySchema>;

export class ConfigError extends Error {}

/**
 * `${VAR}` / `${VAR:-default}` in any string value reads the environment at load time. As in the shell, `:-` takes the
 * default when VAR is unset or empty: `WORKSPACE_DIR=` in an .env file (or a bench's env) must root the MCP servers at
 * `.`, not at "" (which they refuse, so mcp.search reconnected forever).
 */
export function interpolateEnv(value: unknown, env: NodeJS.ProcessEnv = process.env): unknown {
	if (typeof value === "string") {
		return value.replace(/\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/gi, (_m, name: string, def?: string) =>
			def !== undefined && !env[name] ? def : (env[name] ?? ""),
		);
	}
	if (Array.isArray(value)) return value.map(v => interpolateEnv(v, env));
	if (value && typeof value === "object") {
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateEnv(v, env)]));
	}
	return value;
}

/** The project's own directory, offered to config.yaml as ${PROJECT_ROOT} (e.g. for servers installed as dependencies). */
export const PROJECT_ROOT = resolve(__dirname, "..");

export function parseConfig(text: string, source = "config.yaml", env: NodeJS.ProcessEnv = process.env): Config {
	let raw: unknown;
	try {
		raw = parse(text);
	} catch (err) {
		throw new ConfigError(`${source}: not valid YAML: ${(err as Error).message}`);
	}
	const result = ConfigSchema.safeParse(interpolateEnv(raw ?? {}, { PROJECT_ROOT, ...env }));
	if (!result.success) {
		const lines = result.error.issues.map(i => `  ${i.path.join(".") || "(root)"}: ${i.message}`);
		throw new ConfigError(`${source} is invalid:\n${lines.join("\n")}`);
	}
	return result.data;
}

let cached: { path: string; text: string; config: Config } | undefined;

/**
 * `CONFIG`, else the project's own config.yaml, never the working directory's: a desktop client starts `orchestrator mcp`
 * in a directory of its choosing, where an application's own config.yaml stopped the server before `initialize`.
 */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
	return env.CONFIG || resolve(PROJECT_ROOT, "config.yaml");
}

/** Reads the config file (see configPath) once per process. */
export function loadConfig(path = configPath()): Config {
	const abs = resolve(path);
	if (cached?.path === abs) return cached.config;
	let text: string;
	try {
		text = readFileSync(abs, "utf8");
	} catch (err) {
		throw new ConfigError(`cannot read config file ${abs}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
	}
	cached = { path: abs, text, config: parseConfig(text, abs) };
	return cached.config;
}

/** The config file's text as written (before its ${VAR}s are filled in), read once with its config (loadConfig). */
export function configText(path = configPath()): string {
	const abs = resolve(path);
	if (cached?.path !== abs) loadConfig(abs);
	return cached!.text;
}
