import type { Config, Tier } from "../../lib/config";
import { priceUsd } from "./pricing";

export interface SelectInput {
	tier: Tier;
	input_tokens: number;
	max_tokens: number;
	/** Models some live provider serves right now; undefined means "do not filter by liveness". */
	live_models?: Set<string>;
	preferred_models?: string[];
	max_cost?: number;
}

export interface Candidate {
	model: string;
	provider: string;
	estimated_cost_usd: number;
	live: boolean;
}

export interface Selection {
	model: string;
	fallbacks: string[];
	candidates: Candidate[];
}

export class SelectionError extends Error {
	constructor(
		message: string,
		readonly field: string,
	) {
		super(message);
	}
}

/**
 * The tier's preferred model then its fallbacks, with the caller's preferred models first,
 * minus models over max_cost or whose context window cannot hold the call. Live models come
 * before ones no provider serves yet, so a plan is still shown when nothing is configured.
 */
export function selectModels(config: Config, input: SelectInput): Selection {
	const tier = config.tiers[input.tier];
	const preferred = (input.preferred_models ?? []).filter(m => config.models[m]);
	if (input.preferred_models?.length && !preferred.length) {
		throw new SelectionError(
			`options.preferred_models: none of ${input.preferred_models.join(", ")} is in the model catalog (known: ${Object.keys(config.models).join(", ")})`,
			"options.preferred_models",
		);
	}
	const order = [...new Set([...preferred, tier.preferred, ...tier.fallback])];
	const needed = input.input_tokens + input.max_tokens;
	const candidates: Candidate[] = order
		.filter(m => config.models[m].context_window >= needed)
		.map(m => ({
			model: m,
			provider: config.models[m].provider,
			estimated_cost_usd: priceUsd(config.models[m], input.input_tokens, input.max_tokens),
			live: input.live_models ? input.live_models.has(m) : true,
		}));
	if (!candidates.length) {
		throw new SelectionError(`request needs ${needed} tokens, more than the context window of every candidate model`, "request");
	}
	const affordable = input.max_cost === undefined ? candidates : candidates.filter(c => c.estimated_cost_usd <= input.max_cost!);
	if (!affordable.length) {
		const cheapest = Math.min(...candidates.map(c => c.estimated_cost_usd));
		throw new SelectionError(
			`options.max_cost: no model fits ${input.max_cost} USD; the cheapest candidate is estimated at ${cheapest} USD`,
			"options.max_cost",
		);
	}
	// Stable partition: live first, each group keeps its preference order.
	const ranked = [...affordable.filter(c => c.live), ...affordable.filter(c => !c.live)];
	return { model: ranked[0].model, fallbacks: ranked.slice(1).map(c => c.model), candidates: ranked };
}
