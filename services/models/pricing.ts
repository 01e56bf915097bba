import type { ModelInfo } from "../../lib/config";

/**
 * Rounded to a nano-dollar, so sums of prices do not print float noise; the spend ledger's unit (services/budget). At a
 * micro-dollar a small model's call (4 input tokens of gpt-4.1-nano: 0.4 µUSD) priced 0 or 1 µUSD, and the answer's
 * cost, the cost metric and the ledger disagreed.
 */
export function roundUsd(usd: number): number {
	return Math.round(usd * 1e9) / 1e9;
}

/** USD for a call at catalog prices (per million tokens), rounded to a nano-dollar. */
export function priceUsd(model: ModelInfo | undefined, inputTokens: number, outputTokens: number): number {
	if (!model) return 0;
	return roundUsd((inputTokens * model.input_per_mtok + outputTokens * model.output_per_mtok) / 1_000_000);
}

/** A `models.catalog` entry: a catalog model, its prices and whether some provider serves it now. */
export interface CatalogEntry {
	id: string;
	live: boolean;
	input_per_mtok: number;
	output_per_mtok: number;
}

/** Live models, cheapest first. Helper calls (a rewrite, an intent label) are priced on both sides, so both prices count. */
export function cheapestLive(catalog: CatalogEntry[]): CatalogEntry[] {
	return catalog.filter(m => m.live).sort((a, b) => a.input_per_mtok + a.output_per_mtok - (b.input_per_mtok + b.output_per_mtok));
}
