/**
 * Learned correction of input-token estimates. Every count is made with o200k_base (lib/tokens.ts):
 * exact for OpenAI's models, an estimate for Anthropic's and Google's, whose tokenizers are not
 * published. After each call the vendor reports how many input tokens it counted; the ratio of the
 * two, per model, corrects the next estimates (pricing, max_cost, context windows).
 *
 * The ratio is one of exponentially decayed sums, reported / estimated: long prompts weigh more
 * than short ones (whose count is mostly message framing), and old samples fade, so a vendor that
 * changes its tokenizer is followed. It is applied only after `min_samples` reports, clamped to
 * [min_ratio, max_ratio] so that one odd vendor figure cannot make a model look free or unusable,
 * and rounded to `step` so that cached analyses stay valid while the ratio jitters.
 */

import type { UsageSample } from "../../lib/contracts";

// Event names and the tokens.usage payload are declared with the other contracts (lib/contracts/events.ts).
export { CORRECTIONS_CHANGED, TOKENS_USAGE, type UsageSample } from "../../lib/contracts";

/** An o200k_base input count corrected by a model's ratio: whole tokens, never below 0. */
export function correctedTokens(tokens: number, ratio: number): number {
	return Math.max(0, Math.round(tokens * ratio));
}

export interface CorrectionSettings {
	/** Weight the past keeps at each new report (0.9: the last ~10 reports dominate). */
	decay: number;
	/** Reports of a model before its ratio is applied; until then the ratio is 1. */
	min_samples: number;
	min_ratio: number;
	max_ratio: number;
	/** The applied ratio is a multiple of this. */
	step: number;
}

/** One model's learned state, as an operator sees it and as a peer node adopts it. */
export interface ModelCorrection {
	model: string;
	/** The ratio applied to this model's estimates: 1 until min_samples, then clamped and rounded. */
	ratio: number;
	/** reported / estimated over the decayed sums, unclamped and unrounded. */
	observed_ratio: number;
	samples: number;
	/** The decayed sums behind observed_ratio. */
	estimated_sum: number;
	reported_sum: number;
}

interface State {
	estimated: number;
	reported: number;
	samples: number;
}

/** A report is unusable when either side is missing (a server that reports no usage says 0). */
export function usableSample(s: Partial<UsageSample>): s is UsageSample {
	const ok = (n: unknown) => typeof n === "number" && Number.isFinite(n) && n > 0;
	return typeof s.model === "string" && s.model.length > 0 && ok(s.estimated_input_tokens) && ok(s.reported_input_tokens);
}

export class TokenCorrections {
	private readonly state = new Map<string, State>();

	/** settings: config.yaml `token_correction` (defaults in lib/config.ts). */
	constructor(readonly settings: CorrectionSettings) {
		const { decay, min_samples, min_ratio, max_ratio, step } = settings;
		if (!(decay > 0 && decay <= 1)) throw new RangeError("decay must be in (0, 1]");
		if (!(Number.isInteger(min_samples) && min_samples >= 1)) throw new RangeError("min_samples must be a positive integer");
		if (!(min_ratio > 0 && min_ratio <= 1 && max_ratio >= 1)) throw new RangeError("min_ratio must be in (0, 1] and max_ratio at least 1");
		if (!(step > 0)) throw new RangeError("step must be positive");
	}

	/** Takes one vendor report; false (and nothing learned) when it is unusable. */
	observe(sample: Partial<UsageSample>): boolean {
		if (!usableSample(sample)) return false;
		const s = this.state.get(sample.model) ?? { estimated: 0, reported: 0, samples: 0 };
		const d = this.settings.decay;
		s.estimated = s.estimated * d + sample.estimated_input_tokens;
		s.reported = s.reported * d + sample.reported_input_tokens;
		s.samples++;
		this.state.set(sample.model, s);
		return true;
	}

	/** The factor for this model's o200k_base input counts. */
	ratio(model: string): number {
		const s = this.state.get(model);
		if (!s || s.samples < this.settings.min_samples) return 1;
		const { min_ratio, max_ratio, step } = this.settings;
		const clamped = Math.min(max_ratio, Math.max(min_ratio, s.reported / s.estimated));
		// Rounded to the step, then to 6 digits so that 1.3 is 1.3 and not 1.3000000000000003.
		return Math.round(Math.round(clamped / step) * step * 1e6) / 1e6;
	}

	/** This model's entry in applied(): its ratio once past min_samples, else undefined (absent there). */
	appliedRatio(model: string): number | undefined {
		const s = this.state.get(model);
		return s && s.samples >= this.settings.min_samples ? this.ratio(model) : undefined;
	}

	/** An o200k_base input count corrected for this model. */
	estimate(model: string, tokens: number): number {
		return correctedTokens(tokens, this.ratio(model));
	}

	snapshot(): ModelCorrection[] {
		return [...this.state.entries()]
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([model, s]) => ({
				model,
				ratio: this.ratio(model),
				observed_ratio: Math.round((s.reported / s.estimated) * 1e4) / 1e4,
				samples: s.samples,
				estimated_sum: Math.round(s.estimated * 100) / 100,
				reported_sum: Math.round(s.reported * 100) / 100,
			}));
	}

	/** Applied ratios only (models past min_samples), sorted: what an analysis made now depends on. */
	applied(): Record<string, number> {
		return Object.fromEntries(
			this.snapshot()
				.filter(c => c.samples >= this.settings.min_samples)
				.map(c => [c.model, c.ratio]),
		);
	}

	/** Adopts a peer's state for the models this one has not seen yet (a node joining a running cluster). */
	adopt(peer: ModelCorrection[]): string[] {
		const taken: string[] = [];
		for (const c of peer) {
			if (this.state.has(c.model) || !(c.estimated_sum > 0 && c.reported_sum > 0 && c.samples > 0)) continue;
			this.state.set(c.model, { estimated: c.estimated_sum, reported: c.reported_sum, samples: c.samples });
			taken.push(c.model);
		}
		return taken;
	}
}
