import { Errors, type Context, type ServiceBroker } from "moleculer";
import { ResilientRedisCacher } from "./redis-cacher";

/** What the shared ledger holds per call: who runs it and, once it answered, the answer. */
interface SharedRecord {
	node: string;
	state: "started" | "done";
	result?: unknown;
}

/**
 * The node that took this call died (or restarted) while it ran: the request may have reached the vendor,
 * which may have billed it. It is not sent to the vendor again; the model walk moves on to its next
 * candidate, and the caller hears this when there is none (docs/providers.md, "A vendor call at most once").
 */
export class UnknownOutcomeError extends Errors.MoleculerError {
	constructor(action: string, node: string) {
		super(
			`${action}: the node that took this call (${node}) went away while it ran; the vendor may have answered (and billed) it, so it is not sent again`,
			502,
			"UNKNOWN_OUTCOME",
			{ reason: "unavailable", action, node },
		);
	}
}

/** How long an answer stays for a late repeat of its call (a Moleculer retry after the caller's timeout). */
const KEEP_MS = 10_000;
/** How long a finished call's answer stays in the shared ledger. */
const SHARED_DONE_MS = 60_000;
/** How often a repeat polls the shared ledger for the answer of a call another node runs. */
const POLL_MS = 200;

/**
 * A provider call reaches its vendor at most once per request (lib: used by mixins/provider.mixin.ts).
 *
 * Moleculer's retry sends a failed call again with a new context, to any node of the service. A vendor
 * call is not idempotent (it is billed), so a try whose outcome is unknown must not be repeated blindly:
 * - on the node that runs it, a repeat of the same call (same request, same walk, same action and model)
 *   joins the running call, or gets its answer if it finished in the last KEEP_MS;
 * - with a shared Redis (CACHER=redis://), the call is claimed there before the vendor is called, so a
 *   repeat on another node waits for the answer while the claiming node lives, gets the answer it recorded,
 *   or, when that node died with the call running, an UnknownOutcomeError instead of a second vendor call;
 *   a repeat of a call no node claimed (sent to a node that was already dead) runs normally.
 * A call that failed with an answer from the vendor (an error) is forgotten, so a retry runs again. So is an answer
 * its caller surely received (`delivered`: a caller in this process, answered within its timeout): no repeat of that
 * call can come, and keeping every answer for KEEP_MS held rate x 10 s of them (~14,000 at 1,400 req/s, ~20 MB of
 * heap that V8 then sizes its old generation by; README "Gateway overhead").
 */
export class CallLedger {
	private readonly local = new Map<string, { answer: Promise<unknown>; doneAt: number }>();
	private prunedAt = 0;

	constructor(private readonly broker: ServiceBroker) {}

	/**
	 * Same request, same model walk (the calling context), same action and model: the same call. Undefined for a call
	 * with no walk above it. A cheap fingerprint of the conversation (message count, text length) keeps two different
	 * calls from one context apart, should a caller other than the walk ever make them: joining those would answer
	 * one with the other's text, far worse than a second bill.
	 */
	static keyOf(ctx: Context<{ model?: string; messages?: { content?: unknown }[]; system?: string }>): string | undefined {
		if (!ctx.requestID || !ctx.parentID) return undefined;
		const messages = Array.isArray(ctx.params?.messages) ? ctx.params.messages : [];
		let size = ctx.params?.system?.length ?? 0;
		for (const m of messages) size += typeof m?.content === "string" ? m.content.length : Array.isArray(m?.content) ? m.content.length : 0;
		return `${ctx.requestID}:${ctx.parentID}:${ctx.action?.name}:${ctx.params?.model ?? ""}:${messages.length}:${size}`;
	}

	/** Calls whose answer is kept (running, or answered within KEEP_MS and maybe not received). */
	get size(): number {
		return this.local.size;
	}

	/**
	 * `run()` once for `key`; `waitMs`: how long a repeat may wait for another node's answer. `delivered`, asked when
	 * the answer is in: whether the caller surely has it (then no repeat can come and it is not kept).
	 */
	async once<T>(key: string | undefined, action: string, waitMs: number, run: () => Promise<T>, delivered?: () => boolean): Promise<T> {
		if (!key) return run();
		const mine = this.local.get(key);
		if (mine) return mine.answer as Promise<T>;
		this.prune();
		const shared = this.shared();
		if (shared && this.broker.transit) {
			const claim = await shared.claim(`call:${key}`, { node: this.broker.nodeID, state: "started" } satisfies SharedRecord, waitMs + KEEP_MS);
			if (claim && !claim.claimed) return this.awaitOther(shared, key, claim.current as SharedRecord | null, action, waitMs, run, delivered);
			// Claimed, or Redis not answering (then this node goes on alone: the cache is an aid, never a dependency).
			return this.runHere(key, run, delivered, shared);
		}
		return this.runHere(key, run, delivered);
	}

	private runHere<T>(key: string, run: () => Promise<T>, delivered?: () => boolean, shared?: ResilientRedisCacher): Promise<T> {
		const answer = run();
		const entry = { answer, doneAt: 0 };
		this.local.set(key, entry);
		answer.then(
			result => {
				entry.doneAt = Date.now();
				if (delivered?.()) this.local.delete(key);
				void shared?.record(`call:${key}`, { node: this.broker.nodeID, state: "done", result } satisfies SharedRecord, SHARED_DONE_MS);
			},
			() => {
				// The vendor answered with an error (or none came before our own deadline): a retry may call again.
				this.local.delete(key);
				void shared?.record(`call:${key}`, undefined, 0);
			},
		);
		return answer;
	}

	/** Another node claimed the call: its answer when it records one, a run here if it gives the call up, else an UnknownOutcomeError. */
	private async awaitOther<T>(
		shared: ResilientRedisCacher,
		key: string,
		first: SharedRecord | null,
		action: string,
		waitMs: number,
		run: () => Promise<T>,
		delivered?: () => boolean,
	): Promise<T> {
		const until = Date.now() + waitMs;
		let rec = first;
		const owner = rec?.node;
		// A node that does not answer a ping within a second is gone, even before its missing heartbeats say so.
		const alive = owner && owner !== this.broker.nodeID ? this.broker.ping(owner, 1_000).then(pong => !!pong) : Promise.resolve(false);
		let ownerGone = false;
		void alive.then(a => (ownerGone = !a));
		for (;;) {
			if (!rec) return this.once(key, action, Math.max(0, until - Date.now()), run, delivered);
			if (rec.state === "done") return rec.result as T;
			if (ownerGone || !this.broker.registry.nodes.get(rec.node)?.available) throw new UnknownOutcomeError(action, rec.node);
			if (Date.now() >= until) throw new UnknownOutcomeError(action, rec.node);
			await new Promise(r => setTimeout(r, POLL_MS));
			rec = (await shared.peek(`call:${key}`)) as SharedRecord | null;
		}
	}

	private shared(): ResilientRedisCacher | undefined {
		const cacher = this.broker.cacher;
		return cacher instanceof ResilientRedisCacher ? cacher : undefined;
	}

	/** Forgets answers older than KEEP_MS, at most once a second. */
	private prune() {
		const now = Date.now();
		if (now - this.prunedAt < 1_000) return;
		this.prunedAt = now;
		for (const [key, e] of this.local) if (e.doneAt && now - e.doneAt > KEEP_MS) this.local.delete(key);
	}
}
