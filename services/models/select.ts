import type { Config, Tier } from "../../lib/config";
import type { Candidate, Selection } from "../../lib/contracts";
import { correctedTokens } from "./correction";
import { priceUsd } from "./pricing";

export interface SelectInput {
	tier: Tier;
	input_tokens: number;
	max_tokens: number;
	/** Models some live provider serves right now; undefined means "do not filter by liveness". */
	live_models?: Set<string>;
	preferred_models?: string[];
	max_cost?: number;
	/** The calling key's models: the only candidates (its own list, in its order, when the tier names none of them). */
	allowed_models?: string[];
	/** Learned vendor/o200k_base ratio of a model's input count (services/models/correction.ts); 1 when absent. */
	input_ratio?: (model: string) => number;
}

export type { Candidate, Selection } from "../../lib/contracts";

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
	let order = [...new Set([...preferred, tier.preferred, ...tier.fallback])];
	const allowed = input.allowed_models;
	if (allowed) {
		// A key limited to some models is planned on those only, so the analysis, a dry run's estimate and the answer cache
		// never name another; a tier without any of them is served by the key's own models, not refused.
		const within = order.filter(m => allowed.includes(m));
		order = within.length ? within : allowed.filter(m => config.models[m]);
		if (!order.length) throw new SelectionError(`none of the key's models (${allowed.join(", ")}) is in the model catalog`, "auth.keys.models");
	}
	const estimates = order.map(m => {
		const ratio = input.input_ratio?.(m) ?? 1;
		return { model: m, ratio, input_tokens: correctedTokens(input.input_tokens, ratio) };
	});
	const candidates: Candidate[] = estimates
		.filter(e => config.models[e.model].context_window >= e.input_tokens + input.max_tokens)
		.map(e => ({
			model: e.model,
			provider: config.models[e.model].provider,
			input_tokens: e.input_tokens,
			input_token_ratio: e.ratio,
			estimated_cost_usd: priceUsd(config.models[e.model], e.input_tokens, input.max_tokens),
			live: input.live_models ? input.live_models.has(e.model) : true,
		}));
	if (!candidates.length) {
		const needed = Math.min(...estimates.map(e => e.input_tokens)) + input.max_tokens;
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
	const note = routeNote(config, input.tier, affordable);
	return { model: ranked[0].model, fallbacks: ranked.slice(1).map(c => c.model), candidates: ranked, ...(note ? { route_note: note } : {}) };
}

/** "set OPENAI_API_KEY (openai), GOOGLE_API_KEY or GEMINI_API_KEY (google)": what enables the providers of these models. */
function enableHint(config: Config, candidates: Candidate[]): string {
	const providers = [...new Set(candidates.map(c => c.provider))];
	return providers.map(p => (config.providers[p]?.env.length ? `${config.providers[p].env.join(" or ")} (${p})` : `a ${p} provider`)).join(", ");
}

/**
 * Says when the preferred route cannot run: the models ahead of the first live one have no live
 * provider, so another model answers (or, with none live, orchestrate will answer 503 NO_PROVIDER).
 * `ordered` is in preference order, before live models are moved first.
 */
export function routeNote(config: Config, tier: Tier, ordered: Candidate[]): string | undefined {
	const first = ordered.findIndex(c => c.live);
	if (first === 0) return undefined;
	const list = (cs: Candidate[]) => cs.map(c => c.model).join(", ");
	if (first < 0) {
		return `no live provider serves any ${tier}-tier candidate (${list(ordered)}); orchestrate will answer 503 NO_PROVIDER. Set ${enableHint(config, ordered)}, or OPENAI_COMPATIBLE_BASE_URL for a local OpenAI-compatible server (its models are found by GET /v1/models)`;
	}
	const skipped = ordered.slice(0, first);
	const chosen = ordered[first];
	return `${list(skipped)} ${skipped.length === 1 ? "has" : "have"} no live provider (set ${enableHint(config, skipped)} to enable); ${chosen.model} (${chosen.provider}) will answer instead`;
}
