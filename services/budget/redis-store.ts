import { randomBytes } from "node:crypto";
import Redis from "ioredis";
import { redisOptionsFromUrl } from "../../lib/redis-cacher";
import type { Admission, BudgetStore, Limits, Periods, Reservation, ReserveResult } from "./store";

/**
 * Check-and-count in one Lua script: Redis runs it atomically, so however many gateway nodes
 * reserve at once, each sees every earlier reservation and none can take the budget past its limit.
 * ARGV: cost, day limit, month limit, tokens, tokens-per-minute limit (-1: none), and 1 when the day's and month's counters
 * must be there: a Redis restarted without persistence, or evicting under maxmemory, loses them, and counting on from zero
 * let a key spend its budget again. Missing, they are rebuilt from the ledger (answer {2}) before anything is counted.
 */
const RESERVE = `
if ARGV[6] == '1' and (redis.call('EXISTS', KEYS[1]) == 0 or redis.call('EXISTS', KEYS[2]) == 0) then return {2} end
local cost = tonumber(ARGV[1])
local d = tonumber(redis.call('GET', KEYS[1]) or '0')
local m = tonumber(redis.call('GET', KEYS[2]) or '0')
local t = tonumber(redis.call('GET', KEYS[3]) or '0')
local dl, ml, tokens, tl = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
if dl >= 0 and d + cost > dl then return {0, 'day', dl, d} end
if ml >= 0 and m + cost > ml then return {0, 'month', ml, m} end
if tl >= 0 and t + tokens > tl then return {0, 'tokens', tl, t} end
redis.call('INCRBY', KEYS[1], cost)
redis.call('EXPIRE', KEYS[1], 172800)
redis.call('INCRBY', KEYS[2], cost)
redis.call('EXPIRE', KEYS[2], 2764800)
redis.call('INCRBY', KEYS[3], tokens)
redis.call('EXPIRE', KEYS[3], 120)
return {1, redis.call('GET', KEYS[4]) or '', redis.call('GET', KEYS[5]) or ''}
`;

/**
 * A reservation replaced by its cost, counter by counter (day KEYS[1], month KEYS[2], each with its epoch, KEYS[4] and
 * KEYS[5]): ARGV[1] (cost - reserved) when the counter is of the epoch the reservation went into (ARGV[4], ARGV[5]), else
 * ARGV[2] (the whole cost: a rebuild since, from the ledger, never counted it); ARGV[3] to the minute's tokens. ARGV[6]
 * is 0 for a reservation that carries no epochs (made by a node before them): by the difference, as it was. A counter
 * that is not there is left alone: created by INCRBY it would hold a negative count with no expiry, which the reserve
 * script would take for a rebuilt counter and never rebuild.
 */
const SETTLE = `
local delta, whole = tonumber(ARGV[1]), tonumber(ARGV[2])
local function settle(counter, epochKey, epoch)
	if redis.call('EXISTS', counter) == 0 then return end
	local add = delta
	if ARGV[6] == '1' and (redis.call('GET', epochKey) or '') ~= epoch then add = whole end
	redis.call('INCRBY', counter, add)
end
settle(KEYS[1], KEYS[4], ARGV[4])
settle(KEYS[2], KEYS[5], ARGV[5])
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('INCRBY', KEYS[3], ARGV[3]) end
return 1
`;

/**
 * One more request unless the sliding minute's count (store.ts slidingCount: this minute's, KEYS[1], and the previous
 * minute's, KEYS[2], weighted by ARGV[2], the share of it still in the window) has reached the limit, ARGV[1].
 */
const ADMIT = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
local p = tonumber(redis.call('GET', KEYS[2]) or '0')
if p * tonumber(ARGV[2]) + n >= tonumber(ARGV[1]) then return {0, p, n} end
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], 120)
return {1}
`;

/**
 * The counters found missing (day KEYS[1], month KEYS[2]) set from the ledger (ARGV[1], ARGV[2]), each in a new epoch
 * (ARGV[3], in KEYS[3] and KEYS[4], kept as long as its counter), in one step. A counter still there is left as it is,
 * with the reservations in flight it holds: the month's at a new day (the day's counter is new at every UTC midnight),
 * or both when another node rebuilt them first.
 */
const REBUILD = `
local n = 0
if redis.call('EXISTS', KEYS[1]) == 0 then
	redis.call('SET', KEYS[3], ARGV[3], 'EX', 172800)
	redis.call('SET', KEYS[1], ARGV[1], 'EX', 172800)
	n = n + 1
end
if redis.call('EXISTS', KEYS[2]) == 0 then
	redis.call('SET', KEYS[4], ARGV[3], 'EX', 2764800)
	redis.call('SET', KEYS[2], ARGV[2], 'EX', 2764800)
	n = n + 1
end
return n
`;

/** Raise a counter to at least ARGV[1], creating it when missing. */
const SEED = `
local c = redis.call('GET', KEYS[1])
if not c or tonumber(ARGV[1]) > tonumber(c) then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
return 1
`;

/**
 * Counters shared by every node of the cluster through Redis. Keys hold the key's name (never its
 * secret) under `prefix`; commands fail fast when Redis is away, and a reservation that cannot be
 * made refuses the call (spending unchecked is not an option).
 */
export class RedisBudgetStore implements BudgetStore {
	private readonly redis: Redis;

	constructor(
		url: string,
		private readonly prefix: string,
	) {
		this.redis = new Redis({
			...redisOptionsFromUrl(url),
			enableOfflineQueue: true,
			maxRetriesPerRequest: 1,
			commandTimeout: 2000,
			connectTimeout: 2000,
			retryStrategy: (times: number) => Math.min(times * 100, 2000),
		} as any);
		// Connection errors surface on the commands that fail; the event itself needs no log per retry.
		this.redis.on("error", () => undefined);
	}

	private k(key: string, kind: string, when: string | number) {
		// {key} is a Redis Cluster hash tag: one key's counters live in one slot, as the script needs.
		return `${this.prefix}{${key}}:${kind}:${when}`;
	}

	async reserve(key: string, limits: Limits, nano: number, tokens: number, at: Periods, seeded = false): Promise<ReserveResult> {
		const res = (await this.redis.eval(
			RESERVE,
			5,
			this.k(key, "d", at.day),
			this.k(key, "m", at.month),
			this.k(key, "t", at.minute),
			this.k(key, "ed", at.day),
			this.k(key, "em", at.month),
			nano,
			limits.day ?? -1,
			limits.month ?? -1,
			tokens,
			limits.tokensPerMinute ?? -1,
			seeded ? 1 : 0,
		)) as [number, string?, number?, number?];
		if (res[0] === 2) return { ok: false, kind: "unseeded" };
		if (res[0] === 1)
			return {
				ok: true,
				reservation: { key, day: at.day, month: at.month, minute: at.minute, nano, tokens, epochs: [String(res[1] ?? ""), String(res[2] ?? "")] },
			};
		const [, what, limit, used] = res;
		if (what === "tokens") return { ok: false, kind: "tokens", limit: Number(limit), used: Number(used) };
		return { ok: false, kind: "budget", period: what as "day" | "month", limit: Number(limit), used: Number(used) };
	}

	async settle(r: Reservation, nano: number, tokens: number) {
		await this.redis.eval(
			SETTLE,
			5,
			this.k(r.key, "d", r.day),
			this.k(r.key, "m", r.month),
			this.k(r.key, "t", r.minute),
			this.k(r.key, "ed", r.day),
			this.k(r.key, "em", r.month),
			nano - r.nano,
			nano,
			tokens - r.tokens,
			r.epochs?.[0] ?? "",
			r.epochs?.[1] ?? "",
			r.epochs ? 1 : 0,
		);
	}

	async admit(key: string, limit: number, at: Periods): Promise<Admission> {
		const [ok, previous, current] = (await this.redis.eval(
			ADMIT,
			2,
			this.k(key, "r", at.minute),
			this.k(key, "r", at.minute - 1),
			limit,
			1 - at.elapsed,
		)) as [number, number?, number?];
		return ok === 1 ? { ok: true } : { ok: false, previous: Number(previous), current: Number(current) };
	}

	async used(key: string, at: Periods) {
		const [d, m] = await this.redis.mget(this.k(key, "d", at.day), this.k(key, "m", at.month));
		return { day: Number(d ?? 0), month: Number(m ?? 0) };
	}

	async seed(key: string, at: Periods, day: number, month: number) {
		await this.redis.eval(SEED, 1, this.k(key, "d", at.day), day, 172800);
		await this.redis.eval(SEED, 1, this.k(key, "m", at.month), month, 2764800);
	}

	async rebuild(key: string, at: Periods, day: number, month: number) {
		const epoch = randomBytes(8).toString("hex");
		const keys = [this.k(key, "d", at.day), this.k(key, "m", at.month), this.k(key, "ed", at.day), this.k(key, "em", at.month)];
		await this.redis.eval(REBUILD, 4, ...keys, day, month, epoch);
	}

	async close() {
		this.redis.disconnect();
	}
}
