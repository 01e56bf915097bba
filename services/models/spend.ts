/**
 * What a request paid its vendors, call by call: the answer, the helper calls made for it (the intent assist, the prompt
 * rewrite) and every failed try the vendor may have billed. The answer's cost, `x-orchestrator-cost-usd`, the metrics
 * record and the budget all read these, so they agree. Pure: no broker.
 */
import type { Attempt, Charge, ModelsCompleteResult } from "../../lib/contracts/complete";
import { roundUsd } from "./pricing";

/** The tries the vendor may have billed (their `charged`), in order. */
export function triesCharges(tries: readonly Attempt[] | undefined): Charge[] {
	const out: Charge[] = [];
	for (const t of tries ?? []) if (t.charged) out.push(t.charged);
	return out;
}

/** The answer's own call, as a charge. */
export function answerCharge(result: ModelsCompleteResult): Charge {
	return { model: result.model, ...result.usage, cost_usd: result.cost_usd };
}

/** A walk's answer as the charges it made: its failed-but-billed tries, then the answer itself (none for a cache hit). */
export function answerCharges(result: ModelsCompleteResult, cached = false): Charge[] {
	const out = triesCharges(result.tries);
	if (!cached) out.push(answerCharge(result));
	return out;
}

/** The USD of some charges, rounded as prices are. */
export function chargedUsd(charges: readonly Charge[]): number {
	let usd = 0;
	for (const c of charges) usd += c.cost_usd;
	return roundUsd(usd);
}
