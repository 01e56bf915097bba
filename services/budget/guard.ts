import type { Context } from "moleculer";
import { keyName } from "../../lib/auth/keys";
import { errorMessage } from "../../lib/errors";
import { isCancelled } from "../../lib/cancel";
import type { Reservation } from "./store";

type Usage = { input_tokens: number; output_tokens: number };

/** What a model call may cost at most: the counted input and the whole max_tokens of output. */
export interface CallBound {
	/** Catalog id of the model. */
	model: string;
	input_tokens: number;
	max_tokens: number;
}

/** Refusals that end a model walk: another model or provider would be refused the same way. */
export const ACCESS_ERRORS = new Set(["budget_exceeded", "rate_limited", "model_not_allowed"]);
export const isAccessError = (err: unknown) => ACCESS_ERRORS.has((err as { type?: string })?.type ?? "");

/**
 * Every provider call of a keyed request goes through here: its worst-case cost is reserved
 * (`budget.reserve`, refused with 403/429 before any vendor is called), then settled to the
 * vendor-reported usage, or released when the call failed (settled to its input when its caller gave up after sending).
 * A call whose outcome nobody knows (`billedUnknown`: it timed out, or its node went away, after it may have reached the
 * vendor, which goes on and bills it) stays counted at its worst case. Without a key (an open gateway, the stdio MCP
 * server) the call runs as before.
 */
export async function budgetedCall<T>(
	ctx: Context,
	bound: CallBound,
	call: () => Promise<T>,
	usageOf: (answer: T) => Usage | Promise<Usage>,
	billedUnknown: (err: unknown) => boolean = () => false,
): Promise<T> {
	const key = keyName(ctx);
	if (!key) return call();
	const reservation = await ctx.call<Reservation, unknown>("budget.reserve", { key, ...bound }, { retries: 0 });
	const settle = (usage: Usage) =>
		ctx
			.call("budget.settle", { reservation, model: bound.model, input_tokens: usage.input_tokens, output_tokens: usage.output_tokens })
			// The reservation stays counted (at the worst case): the budget errs on the safe side.
			.catch(e => ctx.service?.logger.warn(`budget settle failed: ${errorMessage(e)}`));
	let answer: T;
	try {
		answer = await call();
	} catch (err) {
		// The caller gave up after the request reached the vendor (lib/cancel.ts): the vendor bills what it was sent, so the
		// call settles to its input and no output (none came), as a stream whose reader left settles to what it read.
		if (isCancelled(err) && (err as { data?: { sent?: boolean } }).data?.sent) await settle({ input_tokens: bound.input_tokens, output_tokens: 0 });
		// Released, it was spend the budget never counted: a hanging vendor let a key spend past its budget on every timeout.
		else if (billedUnknown(err)) await settle({ input_tokens: bound.input_tokens, output_tokens: bound.max_tokens });
		else await ctx.call("budget.release", { reservation }).catch(e => ctx.service?.logger.warn(`budget release failed: ${errorMessage(e)}`));
		throw err;
	}
	const usage = usageOf(answer);
	// A streamed answer is handed on at its first content; its usage is known, and settled, when it ends.
	if (usage instanceof Promise) void usage.then(settle);
	else await settle(usage);
	return answer;
}
