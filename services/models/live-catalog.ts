import { modelCatalog, TIERS, type Config, type ModelInfo, type Tier } from "../../lib/config";
import type { ServiceBroker } from "moleculer";
import { fromRegistry, liveServices, type ProviderMetadata } from "../../lib/registry";

/** The catalog and tiers as the live cluster makes them: config.yaml plus what live providers found on their servers. */
export interface LiveCatalog {
	models: Record<string, ModelInfo>;
	tiers: Config["tiers"];
	/** Models some live provider serves now. */
	live: Set<string>;
}

const free = (m: ModelInfo) => m.input_per_mtok === 0 && m.output_per_mtok === 0;

/**
 * Merges the live providers' metadata into config.yaml's catalog and tiers:
 * - a model a provider found on its server (Ollama's `qwen2.5-coder:7b`) joins the catalog as published (price 0, default context window);
 * - a live model assigned to tiers (OPENAI_COMPATIBLE_TIERS on its provider's node, else `models.<id>.tiers`;
 *   a free model named in no tier defaults to `simple`) goes first in them when free, after the tier's own models when not;
 * - every other live free model ends every tier's chain, so a user with only a local server gets answers at every tier.
 * Models nobody serves are left where config.yaml puts them, so a user without a local server sees the configured tiers.
 */
export function liveCatalog(config: Config, providers: readonly { meta: ProviderMetadata }[]): LiveCatalog {
	const models: Record<string, ModelInfo> = modelCatalog(config.models);
	const assigned = new Map<string, Tier[]>();
	const liveOrder: string[] = [];
	for (const { meta } of providers) {
		for (const [id, m] of Object.entries(meta.extra ?? {})) if (!models[id]) models[id] = { provider: meta.name, ...m };
		for (const id of meta.models) if (models[id] && !liveOrder.includes(id)) liveOrder.push(id);
		for (const [id, tiers] of Object.entries(meta.tiers ?? {})) if (meta.models.includes(id)) assigned.set(id, tiers);
	}
	const inTiers = new Set(TIERS.flatMap(t => [config.tiers[t].preferred, ...config.tiers[t].fallback]));
	const tiersOf = (id: string): Tier[] => assigned.get(id) ?? models[id].tiers ?? (free(models[id]) && !inTiers.has(id) ? ["simple"] : []);
	const tiers = {} as Config["tiers"];
	for (const tier of TIERS) {
		const own = [config.tiers[tier].preferred, ...config.tiers[tier].fallback];
		const placed = liveOrder.filter(id => tiersOf(id).includes(tier) && !own.includes(id));
		const lastResort = liveOrder.filter(id => free(models[id]) && !placed.includes(id) && !own.includes(id));
		const chain = [...placed.filter(id => free(models[id])), ...own, ...placed.filter(id => !free(models[id])), ...lastResort];
		tiers[tier] = { preferred: chain[0], fallback: chain.slice(1) };
	}
	return { models, tiers, live: new Set(liveOrder) };
}

/**
 * config.yaml with the catalog and tiers the live providers make now (liveCatalog), rebuilt when the registry changes, not
 * per request (lib/registry.ts fromRegistry): what the model walk resolves and prices against, and what the budget
 * reserves a discovered model at. Shared: read only.
 */
export function liveConfig(broker: ServiceBroker, config: Config): { config: Config; live: ReadonlySet<string> } {
	return fromRegistry(broker, "models:live-catalog", () => {
		const live = liveCatalog(config, liveServices<ProviderMetadata>(broker, "provider"));
		return { config: { ...config, models: live.models, tiers: live.tiers }, live: live.live };
	});
}
