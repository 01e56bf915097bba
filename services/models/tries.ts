import type { Errors } from "moleculer";
import { anyBusRecovering } from "../../lib/bus";
import type { Config } from "../../lib/config";
import type { Attempt } from "../../lib/contracts/complete";
import { errorMessage } from "../../lib/errors";
import { failureReason } from "../../lib/provider-errors";
import type { TryObserver } from "../../middlewares/call-tries.middleware";

interface Entry {
	service: string;
	node: string;
	started: number;
	ended?: { ok: true; ms: number } | { ok: false; error: unknown; ms: number };
}

/** The parameters a provider refused (its UNSUPPORTED_PARAMS error), so the walk's caller can name them. */
function refused(err: unknown): { params?: string[] } {
	const params = (err as { data?: { params?: unknown } })?.data?.params;
	return Array.isArray(params) && params.every(p => typeof p === "string") ? { params } : {};
}

/**
 * The tries of one provider call, as the CallTries middleware reports them (one per Moleculer
 * retry), turned into attempts when the call settles. A try still running then is one the caller
 * stopped waiting for (Moleculer's timeout); the final error is added when no try ended with it
 * (no endpoint left, the caller's timeout), which only the caller can see.
 */
export class TryLog {
	private readonly entries: Entry[] = [];

	constructor(
		private readonly base: { provider: string; model: string; service: string },
		private readonly now: () => number = Date.now,
	) {}

	/** Pass as the call's `observeTries` option. */
	readonly observe: TryObserver = ({ service, node }) => {
		const entry: Entry = { service, node, started: this.now() };
		this.entries.push(entry);
		return end => {
			if (entry.ended) return;
			const ms = this.now() - entry.started;
			entry.ended = end.ok ? { ok: true, ms } : { ok: false, error: end.error, ms };
		};
	};

	/** The attempts, in order; `err` is the call's final error when it failed. */
	close(err?: unknown): Attempt[] {
		const out: Attempt[] = this.entries.map(e => {
			const at = { ...this.base, service: e.service || this.base.service, ...(e.node ? { node: e.node } : {}) };
			if (!e.ended)
				return { ...at, ok: false, reason: "timeout", error: `${at.service}: no answer before the caller's timeout`, ms: this.now() - e.started };
			if (e.ended.ok) return { ...at, ok: true, ms: e.ended.ms };
			return { ...at, ok: false, reason: failureReason(e.ended.error), error: errorMessage(e.ended.error), ms: e.ended.ms, ...refused(e.ended.error) };
		});
		if (err !== undefined) {
			const last = this.entries[this.entries.length - 1];
			const seen = last && ((last.ended && !last.ended.ok && last.ended.error === err) || (!last.ended && failureReason(err) === "timeout"));
			if (!seen) out.push({ ...this.base, ok: false, reason: failureReason(err), error: errorMessage(err), ...refused(err) });
		}
		return out;
	}
}

/** The final error's text: which models were tried and why each failed, or what to set when none is served. */
export function failureSummary(attempts: Attempt[], config: Config): { message: string; noProvider: boolean; env: string[] } {
	if (!attempts.length) return { message: "no model to try", noProvider: true, env: [] };
	if (attempts.every(a => a.reason === "no_provider")) {
		const providers = [...new Set(attempts.map(a => a.provider))];
		const env = providers.flatMap(p => config.providers[p]?.env ?? []);
		const hints = providers.map(p => {
			const vars = config.providers[p]?.env ?? [];
			return vars.length ? `${vars.join(" or ")} (${p})` : `a ${p} provider`;
		});
		const models = [...new Set(attempts.map(a => a.model))].join(", ");
		return {
			message: `no live provider serves ${models}; set ${hints.join(", ")} to enable one (see docs/providers.md; if set, their nodes are stopping or unreachable)`,
			noProvider: true,
			env,
		};
	}
	const lines = attempts.map(a => `${a.model}@${a.service ?? a.provider}: ${a.reason ?? "error"}${a.error ? ` (${a.error})` : ""}`);
	return { message: `every model failed: ${lines.join("; ")}`, noProvider: false, env: [] };
}

/**
 * The try's node went away with the call in flight (REQUEST_REJECTED, not retried for a vendor call: moleculer.config.ts),
 * or the node that took it did (UNKNOWN_OUTCOME, lib/call-ledger.ts), or the vendor had it and gave no answer within the
 * provider's timeout (PROVIDER_TIMEOUT, not retried either): the vendor may have answered and billed it.
 * So may a try that ran out of its share of the time (Moleculer's REQUEST_TIMEOUT, or the walk's own DEADLINE_EXCEEDED
 * from `within`, whichever timer fires first): the provider's vendor call goes on after the caller stops
 * waiting (and a node that died is seen gone only after its heartbeat timeout, so its calls time out first). While
 * the bus is down or just back, a timeout says nothing about the vendor: the same call is asked again instead.
 */
export function outcomeUnknown(err: unknown, action: "complete" | "stream"): boolean {
	const e = err as Errors.MoleculerError | undefined;
	if (e?.type === "REQUEST_REJECTED" || e?.type === "UNKNOWN_OUTCOME" || e?.type === "PROVIDER_TIMEOUT") return true;
	if ((e?.type === "REQUEST_TIMEOUT" || e?.type === "DEADLINE_EXCEEDED") && !anyBusRecovering()) return true;
	// A stream the bus cut off after it was sent: no ledger answers a repeat of it (a `complete` is asked again instead).
	return action === "stream" && busHeld(err) && !!(e?.data as { sent?: boolean } | undefined)?.sent;
}

/**
 * Whether the vendor may have billed a failed try: its outcome is unknown (above), or its answer broke off after the
 * vendor took the call (PROVIDER_CUT). The budget keeps such a call counted at its worst case.
 */
export function mayBeBilled(err: unknown, action: "complete" | "stream"): boolean {
	return outcomeUnknown(err, action) || (err as Errors.MoleculerError | undefined)?.type === "PROVIDER_CUT";
}

/** The message bus, not the provider, failed the try (middlewares/bus-outage.middleware.ts). */
export function busHeld(err: unknown): boolean {
	return (err as Errors.MoleculerError | undefined)?.type === "TRANSPORTER_DOWN";
}
