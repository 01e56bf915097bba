/**
 * Budget and rate-limit counters. Money is counted in integer nano-USD (1e-9 USD), so that Redis'
 * INCRBY and a JavaScript number add the same way and no float rounding lets a budget slip.
 * A reservation holds a call's worst-case cost before the vendor is called; settling replaces it
 * by what the vendor reported. Counters are per UTC day, per UTC month and per minute.
 */
import type { Reservation } from "../../lib/contracts/budget";

export const NANO = 1e9;
export const toNano = (usd: number) => Math.ceil(usd * NANO);
export const toUsd = (nano: number) => Math.round(nano) / NANO;

export interface Periods {
	day: string;
	month: string;
	/** Minute index since the epoch (one-minute windows). */
	minute: number;
	/** How much of that minute has passed, 0 to 1: requests_per_minute weighs the previous minute's count by what is left. */
	elapsed: number;
}

export function periodsAt(now: number): Periods {
	const iso = new Date(now).toISOString();
	return { day: iso.slice(0, 10), month: iso.slice(0, 7), minute: Math.floor(now / 60_000), elapsed: (now % 60_000) / 60_000 };
}

/** A request admitted, or refused with the previous and this minute's counts (for its retry-after). */
export type Admission = { ok: true } | { ok: false; previous: number; current: number };

/**
 * Whole seconds until a refused caller is admitted (no other request coming): until the previous minute's share has slid
 * out enough, or, when this minute alone holds the limit, into the next minute until this one's share has.
 */
export function slidingRetryAfter(limit: number, previous: number, current: number, elapsed: number): number {
	// Admitted once previous x (1 - elapsed') + current < limit, with current moving into the previous minute at its end.
	const wait = current >= limit ? 60 * (1 - elapsed) + 60 * (1 - limit / current) : previous > 0 ? 60 * (1 - (limit - current) / previous - elapsed) : 0;
	// Past that instant, not at it (at it the count equals the limit and is refused).
	return Math.max(1, Math.floor(wait) + 1);
}

/**
 * Requests counted in the sliding minute before now, estimated from two fixed windows as Cloudflare's and nginx-style
 * limiters do: all of this minute's and the previous minute's share that still overlaps it. Fixed windows alone let twice
 * the limit through across a minute's end (the limit at :59, again at :00).
 */
export function slidingCount(previous: number, current: number, elapsed: number): number {
	return previous * (1 - elapsed) + current;
}

/** Start of the UTC day or month containing `now` (the ledger's lower bound). */
export function periodStart(period: "day" | "month", now: number): Date {
	const d = new Date(now);
	return period === "day"
		? new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()))
		: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

/** Whole seconds until the period containing `now` ends (at least 1): the `retry-after` of a refusal. */
export function secondsLeft(period: "day" | "month" | "minute", now: number): number {
	const d = new Date(now);
	const end =
		period === "minute"
			? (Math.floor(now / 60_000) + 1) * 60_000
			: period === "day"
				? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1)
				: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
	return Math.max(1, Math.ceil((end - now) / 1000));
}

export interface Limits {
	/** nano-USD per UTC day / month; undefined: no budget. */
	day?: number;
	month?: number;
	tokensPerMinute?: number;
}

/** Declared once in the contracts (budget.settle and budget.release take it back). */
export type { Reservation };

export type ReserveResult =
	| { ok: true; reservation: Reservation }
	/** The day's or month's counter is not there (Redis restarted, or evicted it): to be rebuilt from the ledger first. */
	| { ok: false; kind: "unseeded" }
	| { ok: false; kind: "budget"; period: "day" | "month"; limit: number; used: number }
	| { ok: false; kind: "tokens"; limit: number; used: number };

export interface BudgetStore {
	/**
	 * Atomically: refuse if the worst case does not fit every limit, else count it. With `seeded` (a ledger can rebuild
	 * them), a store whose counters can vanish answers `unseeded` instead when the period's counters are not there.
	 */
	reserve(key: string, limits: Limits, nano: number, tokens: number, at: Periods, seeded?: boolean): Promise<ReserveResult>;
	/** Replace a reservation by the actual cost and tokens (0 and 0 releases it). */
	settle(r: Reservation, nano: number, tokens: number): Promise<void>;
	/** One more request, unless the sliding minute holds `limit` already: admitted, or the counts it was refused on. */
	admit(key: string, limit: number, at: Periods): Promise<Admission>;
	/** Reserved plus settled spend of the day and month. */
	used(key: string, at: Periods): Promise<{ day: number; month: number }>;
	/** Raise the counters to at least these (the ledger's settled spend), creating them when missing; never lowers them. */
	seed(key: string, at: Periods, day: number, month: number): Promise<void>;
	/**
	 * `seed` for counters found missing (`unseeded`): each missing one starts a new epoch, since reservations made before
	 * it are in no counter now, so their settle adds their whole cost there instead of the difference (a release, nothing).
	 */
	rebuild(key: string, at: Periods, day: number, month: number): Promise<void>;
	close(): Promise<void>;
}

/** Counters in this process: exact for one process, nothing shared; they go only with the process, rebuilt at start. */
export class MemoryBudgetStore implements BudgetStore {
	private counters = new Map<string, number>();
	/** The minute of the last prune: counters are pruned once a minute, not on every call. */
	private prunedMinute = -1;

	/** Counters held (for tests). */
	get size(): number {
		return this.counters.size;
	}

	private get(k: string) {
		return this.counters.get(k) ?? 0;
	}
	private add(k: string, n: number) {
		this.counters.set(k, this.get(k) + n);
	}

	async reserve(key: string, limits: Limits, nano: number, tokens: number, at: Periods): Promise<ReserveResult> {
		const d = this.get(`${key}:d:${at.day}`);
		const m = this.get(`${key}:m:${at.month}`);
		const t = this.get(`${key}:t:${at.minute}`);
		if (limits.day !== undefined && d + nano > limits.day) return { ok: false, kind: "budget", period: "day", limit: limits.day, used: d };
		if (limits.month !== undefined && m + nano > limits.month) return { ok: false, kind: "budget", period: "month", limit: limits.month, used: m };
		if (limits.tokensPerMinute !== undefined && t + tokens > limits.tokensPerMinute)
			return { ok: false, kind: "tokens", limit: limits.tokensPerMinute, used: t };
		this.add(`${key}:d:${at.day}`, nano);
		this.add(`${key}:m:${at.month}`, nano);
		this.add(`${key}:t:${at.minute}`, tokens);
		this.prune(at);
		return { ok: true, reservation: { key, day: at.day, month: at.month, minute: at.minute, nano, tokens } };
	}

	async settle(r: Reservation, nano: number, tokens: number) {
		this.add(`${r.key}:d:${r.day}`, nano - r.nano);
		this.add(`${r.key}:m:${r.month}`, nano - r.nano);
		this.add(`${r.key}:t:${r.minute}`, tokens - r.tokens);
	}

	async admit(key: string, limit: number, at: Periods): Promise<Admission> {
		const k = `${key}:r:${at.minute}`;
		const [previous, current] = [this.get(`${key}:r:${at.minute - 1}`), this.get(k)];
		if (slidingCount(previous, current, at.elapsed) >= limit) return { ok: false, previous, current };
		this.add(k, 1);
		this.prune(at);
		return { ok: true };
	}

	async used(key: string, at: Periods) {
		return { day: this.get(`${key}:d:${at.day}`), month: this.get(`${key}:m:${at.month}`) };
	}

	async seed(key: string, at: Periods, day: number, month: number) {
		const dk = `${key}:d:${at.day}`;
		const mk = `${key}:m:${at.month}`;
		this.counters.set(dk, Math.max(this.get(dk), day));
		this.counters.set(mk, Math.max(this.get(mk), month));
	}

	/** Counters in this process are never missing while it runs: a rebuild is a seed. */
	async rebuild(key: string, at: Periods, day: number, month: number) {
		await this.seed(key, at, day, month);
	}

	/**
	 * Counters of past periods are dropped, as Redis expires them: minutes before the previous one, days before yesterday,
	 * months before the last (a reservation made before midnight still settles into its own day's counter). Once a minute:
	 * the scan is over every counter. Kept for the process's life before, every call scanned all of them once they were 1,024.
	 */
	private prune(at: Periods) {
		if (at.minute === this.prunedMinute) return;
		this.prunedMinute = at.minute;
		const yesterday = new Date(Date.parse(at.day) - 86_400_000).toISOString().slice(0, 10);
		const month = new Date(Date.parse(`${at.month}-01`));
		const lastMonth = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
		for (const k of this.counters.keys()) {
			const [, kind, when] = /:([trdm]):([^:]+)$/.exec(k) ?? [];
			const past = kind === "t" || kind === "r" ? Number(when) < at.minute - 1 : kind === "d" ? when < yesterday : kind === "m" && when < lastMonth;
			if (past) this.counters.delete(k);
		}
	}

	async close() {}
}
