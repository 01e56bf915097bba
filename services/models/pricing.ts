import type { ModelInfo } from "../../lib/config";

/** USD for a call at catalog prices (per million tokens), rounded to a micro-dollar. */
export function priceUsd(model: ModelInfo | undefined, inputTokens: number, outputTokens: number): number {
	if (!model) return 0;
	const usd = (inputTokens * model.input_per_mtok + outputTokens * model.output_per_mtok) / 1_000_000;
	return Math.round(usd * 1e6) / 1e6;
}
