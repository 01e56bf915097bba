import { Errors } from "moleculer";
import type { Config } from "../../lib/config";

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
