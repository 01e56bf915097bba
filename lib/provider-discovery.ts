import { TIERS, type Config, type Tier } from "./config";
import type { DiscoveredModel } from "./registry";

/** Context window given to a listed model the catalog does not know (an OpenAI-compatible /v1/models says none). */
export const DEFAULT_CONTEXT_WINDOW = 8192;

/**
 * Reads a tier assignment such as `qwen2.5-coder:7b=moderate,llama3.1:8b=simple+moderate`:
 * comma-separated `<model id>=<tier>` pairs, several tiers joined by `+`; spaces around items are
 * ignored. Throws an error naming the variable and the bad item, so a typo stops the start.
 */
export function parseTierAssignments(text: string | undefined, source = "OPENAI_COMPATIBLE_TIERS"): Record<string, Tier[]> {
	const out: Record<string, Tier[]> = {};
	for (const item of (text ?? "")
		.split(",")
		.map(s => s.trim())
		.filter(Boolean)) {
		const eq = item.lastIndexOf("=");
		const model = eq > 0 ? item.slice(0, eq).trim() : "";
		const tiers =
			eq > 0
				? item
						.slice(eq + 1)
						.split("+")
						.map(t => t.trim())
				: [];
		const bad = tiers.filter(t => !(TIERS as readonly string[]).includes(t));
		if (!model || !tiers.length || bad.length) {
			throw new Error(
				`${source}: '${item}' is not <model>=<tier>[+<tier>] with tiers among ${TIERS.join(", ")} (example: qwen2.5-coder:7b=moderate,llama3.1:8b=simple)`,
			);
		}
		out[model] = [...new Set([...(out[model] ?? []), ...(tiers as Tier[])])];
	}
	return out;
}

/** Names that are embedding models on Ollama-like servers: listed by /v1/models, but they cannot chat. */
const EMBEDDING = /(^|[^a-z])embed/i;

export interface ServedModels {
	/** Catalog ids (or the server's ids for models the catalog lacks) this provider serves. */
	models: string[];
	/** Models served that config.yaml does not list: free, with a default context window. */
	extra: Record<string, DiscoveredModel>;
}

/**
 * What a provider serves once the server has said which models it has. A catalog model whose id
 * (or api_model) the server lists is served under its catalog id; a listed model the catalog lacks
 * is served at price 0 with a default context window, since a server the user points us at is
 * theirs (Ollama, vLLM, LM Studio). `only` (OPENAI_COMPATIBLE_MODELS) narrows both. Before any
 * listing (`listed` undefined) the catalog's models (and `only`'s other names) are assumed.
 */
export function servedModels(config: Config, provider: string, opts: { listed?: string[]; only?: string[]; defaultContextWindow?: number }): ServedModels {
	const contextWindow = opts.defaultContextWindow ?? config.providers[provider]?.default_context_window ?? DEFAULT_CONTEXT_WINDOW;
	const wanted = (id: string) => !opts.only?.length || opts.only.includes(id);
	const catalog = Object.entries(config.models).filter(([, m]) => m.provider === provider);
	const available = opts.listed ? new Set(opts.listed) : undefined;
	const models = catalog.filter(([id, m]) => wanted(id) && (!available || available.has(m.api_model ?? id))).map(([id]) => id);
	const taken = new Set(catalog.flatMap(([id, m]) => [id, m.api_model ?? id]));
	const candidates = opts.listed ?? opts.only ?? [];
	const extra: Record<string, DiscoveredModel> = {};
	for (const id of candidates) {
		if (taken.has(id) || config.models[id] || !wanted(id) || EMBEDDING.test(id)) continue;
		extra[id] = { input_per_mtok: 0, output_per_mtok: 0, context_window: contextWindow };
		models.push(id);
	}
	return { models, extra };
}

/**
 * What to say beside a model list the server answered 404: a base URL without its `/v1` (Ollama's `http://host:11434`
 * rather than `http://host:11434/v1`) asks for `/models`, which such a server does not have, and a real one answers a
 * bare "404 page not found" that names neither. Empty when the URL already ends in a version segment or the failure is
 * another.
 */
export function baseUrlHint(baseUrl: string | undefined, status: number | undefined): string {
	if (status !== 404 || !baseUrl) return "";
	let path: string;
	try {
		path = new URL(baseUrl).pathname.replace(/\/+$/, "");
	} catch {
		return "";
	}
	return /\/v\d+[a-z0-9]*$/i.test(path)
		? ""
		: ` (the base URL ${baseUrl} has no version path: OpenAI-compatible servers serve /v1, e.g. http://127.0.0.1:11434/v1)`;
}
