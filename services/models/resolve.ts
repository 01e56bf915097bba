import { Errors, type ServiceBroker } from "moleculer";
import type { Config } from "../../lib/config";
import { providersServing } from "../../lib/registry";

export interface Resolved {
	model: string;
	provider: string;
	/** Live provider services serving it. */
	services: readonly string[];
	/** The id the vendor's API expects. */
	api_model: string;
}

/** A catalog model and the live services serving it, or a clear error naming what to configure. */
export function resolveModel(config: Config, model: string, services: readonly string[]): Resolved {
	const info = config.models[model];
	if (!info) throw new Errors.MoleculerClientError(`model '${model}' is not in the catalog`, 404, "UNKNOWN_MODEL", { model });
	if (!services.length) {
		const vars = config.providers[info.provider]?.env ?? [];
		// The key may well be set: a provider node that is stopping (a rollout, a scale-down) has left the registry too.
		const hint = vars.length
			? `; set ${vars.join(" or ")} to enable the ${info.provider} provider (if it is set, its nodes are stopping or unreachable)`
			: "";
		throw new Errors.MoleculerClientError(`no live provider serves model '${model}'${hint}`, 503, "NO_PROVIDER", { model, env: vars });
	}
	return { model, provider: info.provider, services, api_model: info.api_model ?? model };
}

/** A vendor's dated snapshot suffix: Anthropic's `-20250929`, OpenAI's `-2025-04-14`. */
const SNAPSHOT_SUFFIX = /-(\d{8}|\d{4}-\d{2}-\d{2})$/;

/**
 * The catalog id a client's model name means: the id itself, the catalog model whose `api_model` it is, or a dated
 * snapshot of a catalog id (`claude-haiku-4-5-20251001`, as Claude Code sends ids; `gpt-4.1-2025-04-14`),
 * answered as that model (its price, its key limits, the catalog's `api_model` to the vendor). Undefined when none.
 */
export function catalogModelId(config: Config, model: string): string | undefined {
	if (config.models[model]) return model;
	for (const [id, m] of Object.entries(config.models)) if (m.api_model === model) return id;
	const base = model.replace(SNAPSHOT_SUFFIX, "");
	return base !== model && config.models[base] ? base : undefined;
}

/**
 * The model a client names, as catalogModelId reads it, or else one a live provider found on its server (Ollama's
 * `qwen2.5-coder:7b`, which config.yaml does not list): GET /v1/models lists it, so `model` may name it. A registry read, no call.
 */
export function servedModelId(broker: ServiceBroker, config: Config, model: string): string | undefined {
	return catalogModelId(config, model) ?? (providersServing(broker, model).length ? model : undefined);
}
