import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { Errors, type Context, type ServiceBroker } from "moleculer";
import { ChargeSchema, type Charge } from "./contracts/complete";
import { CANCEL_EVENT, CancelEventSchema, type CancelEvent } from "./contracts/events";

export { CANCEL_EVENT };

/**
 * A caller that gives up stops its vendor calls (README "Cancellation"): an HTTP client that hangs up before its
 * answer (/api, /v1, /mcp), an MCP `notifications/cancelled` over stdio.
 *
 * Moleculer 0.14 has no context cancellation (0.15 brings `ctx.cancel`), and an AbortSignal cannot ride a call across
 * the bus. So the request carries a cancel token in `ctx.meta.cancel` (a random UUID the gateway makes per request;
 * meta travels with every `ctx.call` hop, over NATS too), and a caller that gives up broadcasts CANCEL_EVENT with it.
 * Each provider service (mixins/provider.mixin.ts) keeps the token's AbortControllers on its node and aborts them; a
 * call that starts after the cancel (still in the pipeline's earlier stages, or queued in a bulkhead) is refused before
 * its vendor. Not the request id: moleculer-web takes it from the client's X-Request-ID, so two clients may share one,
 * and a client could name another's. In a split (TRANSPORTER=nats://) the broadcast reaches every provider node; one the
 * bus loses leaves the call to run to its end, as before.
 */

export interface CancelMeta {
	/** The request's cancel token, set by the gateway (HTTP) or the MCP tool (stdio). */
	cancel?: string;
}

/** How long a token stays known as cancelled, for calls that start after their caller gave up. */
const CANCELLED_KEEP_MS = 60_000;
/** At most this many cancelled tokens kept (the oldest forgotten first): a flood of hang-ups holds ~1 MB, not a minute's worth. */
const CANCELLED_MAX = 10_000;

/**
 * What a cancelled call that had reached its vendor is charged (the vendor bills the input it was sent; a stream, the
 * output it had relayed too): the model walk adds it to the CancelledError's data, or a stream's final `error` event
 * carries it, so the request's metrics record counts the cost the budget settled to (services/budget/guard.ts).
 */
export type CancelCharge = Charge;

/** A call aborted because its caller gave up: final, never retried, counted by no breaker, and the model walk stops. */
export class CancelledError extends Errors.MoleculerError {
	/** `what`: the call aborted (a vendor call, a downstream MCP tool call). */
	constructor(action: string, sent: boolean, what = "vendor call") {
		super(`${action}: the caller gave up (hung up or cancelled); the ${what} was ${sent ? "aborted" : "not made"}`, 499, "CANCELLED", {
			reason: "cancelled",
			/** Whether the request had reached the vendor (which bills what it was sent): the budget settles on it. */
			sent,
		});
	}
}

export const isCancelled = (err: unknown): boolean => (err as { type?: string } | undefined)?.type === "CANCELLED";

/** The charge a cancelled call carries (it had reached its vendor), if any. */
export function cancelCharge(err: unknown): CancelCharge | undefined {
	if (!isCancelled(err)) return undefined;
	const charged = ChargeSchema.safeParse((err as { data?: { charged?: unknown } }).data?.charged);
	return charged.success ? charged.data : undefined;
}

/** The cancel tokens of one broker: the running calls' controllers and the tokens lately cancelled. */
class Cancels {
	private readonly running = new Map<string, Set<AbortController>>();
	private readonly cancelled = new Map<string, number>();

	/**
	 * A signal aborted when `token` is cancelled (at once if it was), and its controller (the call may abort it for a
	 * reason of its own); `done` when the call ends.
	 */
	watch(token: string | undefined): { signal?: AbortSignal; controller?: AbortController; done(): void } {
		if (!token) return { done() {} };
		const controller = new AbortController();
		if (this.cancelled.has(token)) {
			controller.abort();
			return { signal: controller.signal, controller, done() {} };
		}
		let set = this.running.get(token);
		if (!set) this.running.set(token, (set = new Set()));
		set.add(controller);
		return {
			signal: controller.signal,
			controller,
			done: () => {
				set.delete(controller);
				if (!set.size && this.running.get(token) === set) this.running.delete(token);
			},
		};
	}

	cancel(token: string): void {
		const now = Date.now();
		for (const [t, at] of this.cancelled) {
			if (now - at < CANCELLED_KEEP_MS && this.cancelled.size < CANCELLED_MAX) break;
			this.cancelled.delete(t);
		}
		this.cancelled.set(token, now);
		const set = this.running.get(token);
		this.running.delete(token);
		for (const c of set ?? []) c.abort();
	}

	/** Calls running under a token (for tests). */
	get size(): number {
		return this.running.size;
	}
}

const registries = new WeakMap<ServiceBroker, Cancels>();

/** This broker's cancel tokens. */
export function cancels(broker: ServiceBroker): Cancels {
	let r = registries.get(broker);
	if (!r) registries.set(broker, (r = new Cancels()));
	return r;
}

/** A fresh cancel token. */
export const cancelToken = (): string => randomUUID();

/** The caller gave up: every node's calls under `token` are aborted (CANCEL_EVENT). */
export function cancelCalls(broker: ServiceBroker, token: string): void {
	void Promise.resolve(broker.broadcast(CANCEL_EVENT, { token } satisfies CancelEvent)).catch(() => {});
}

/**
 * One HTTP request's calls carry a fresh cancel token; the client hanging up before its response was written in full
 * (the response's 'close' before its end) cancels them.
 */
export function cancelOnHangUp(broker: ServiceBroker, meta: CancelMeta, res: ServerResponse): void {
	const token = (meta.cancel = cancelToken());
	res.once("close", () => {
		if (!res.writableFinished) cancelCalls(broker, token);
	});
}

/** The event handler each provider service has: aborts this node's calls under the token. */
export const cancelEvents = {
	[CANCEL_EVENT](this: { broker: ServiceBroker }, ctx: Context<unknown>) {
		const event = CancelEventSchema.safeParse(ctx.params);
		if (event.success) cancels(this.broker).cancel(event.data.token);
	},
};
