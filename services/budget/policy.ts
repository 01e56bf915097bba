import type { ModelInfo } from "../../lib/config";
import { budgetExceeded, rateLimited, type KeyPolicy } from "../../lib/auth/keys";
import { secondsLeft, toNano, toUsd, type Limits, type ReserveResult } from "./store";

/**
 * A call's cost in nano-USD at catalog prices, rounded up: a reservation must never be smaller
 * than what it stands for. (The 1e-6 absorbs float noise such as 21 * 0.1 = 2.1000000000000005.)
 */
export function costNano(model: ModelInfo, inputTokens: number, outputTokens: number): number {
	return Math.max(0, Math.ceil((inputTokens * model.input_per_mtok + outputTokens * model.output_per_mtok) * 1000 - 1e-6));
}

export function limitsOf(policy: KeyPolicy | undefined): Limits {
	return {
		day: policy?.budget_usd_per_day !== undefined ? toNano(policy.budget_usd_per_day) : undefined,
		month: policy?.budget_usd_per_month !== undefined ? toNano(policy.budget_usd_per_month) : undefined,
		tokensPerMinute: policy?.tokens_per_minute,
	};
}

/** The caller-facing error for a refused reservation: the key's name, its budget and what is left. */
export function refusal(name: string, res: Exclude<ReserveResult, { ok: true } | { kind: "unseeded" }>, neededNano: number, tokens: number, now: number) {
	if (res.kind === "tokens") {
		const alone = tokens > res.limit ? ` (this call alone needs ${tokens} tokens)` : ` (${res.used} used this minute, this call needs ${tokens})`;
		// A call over the limit on its own is refused in every minute: no retry can cure it.
		return rateLimited(name, "tokens", res.limit, secondsLeft("minute", now), alone, tokens <= res.limit);
	}
	return budgetExceeded(name, res.period, toUsd(res.limit), toUsd(Math.max(0, res.limit - res.used)), toUsd(neededNano), secondsLeft(res.period, now));
}
