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
return {1, redis.call('GET', KEYS[4]) or ''}
`;

/**
 * A reservation replaced by its cost: ARGV[1] (cost - reserved) when the counters are of the epoch it went into
 * (ARGV[4]), else ARGV[2] (the whole cost: a rebuild since, from the ledger, never counted it); ARGV[3] to the minute's
 * tokens. A counter that is not there is left alone: created by INCRBY it would hold a negative count with no expiry,
 * which the reserve script would take for a rebuilt counter and never rebuild.
 */
const SETTLE = `
local add = tonumber(ARGV[1])
if (redis.call('GET', KEYS[4]) or '') ~= ARGV[4] then add = tonumber(ARGV[2]) end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('INCRBY', KEYS[1], add) end
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('INCRBY', KEYS[2], add) end
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
 * Counters found missing, set from the ledger (ARGV[1] day, ARGV[2] month; raised only) in a new epoch (ARGV[3], kept a
 * month, the longest a reservation's counter lives), in one step; nothing when both are there again (another node
 * rebuilt them first). A counter still there keeps the reservations in flight, whose settle then adds their whole cost:
 * an over-count, on the safe side.
 */
const REBUILD = `
if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[3], ARGV[3], 'EX', 2764800)
local d = redis.call('GET', KEYS[1])
if not d or tonumber(ARGV[1]) > tonumber(d) then redis.call('SET', KEYS[1], ARGV[1], 'EX', 172800) end
local m = redis.call('GET', KEYS[2])
if not m or tonumber(ARGV[2]) > tonumber(m) then redis.call('SET', KEYS[2], ARGV[2], 'EX', 2764800) end
return 1
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
			4,
			this.k(key, "d", at.day),
			this.k(key, "m", at.month),
			this.k(key, "t", at.minute),
			this.k(key, "e", "epoch"),
			nano,
			limits.day ?? -1,
			limits.month ?? -1,
			tokens,
			limits.tokensPerMinute ?? -1,
			seeded ? 1 : 0,
		)) as [number, string?, number?, number?];
		if (res[0] === 2) return { ok: false, kind: "unseeded" };
		if (res[0] === 1) return { ok: true, reservation: { key, day: at.day, month: at.month, minute: at.minute, nano, tokens, epoch: String(res[1] ?? "") } };
		const [, what, limit, used] = res;
		if (what === "tokens") return { ok: false, kind: "tokens", limit: Number(limit), used: Number(used) };
		return { ok: false, kind: "budget", period: what as "day" | "month", limit: Number(limit), used: Number(used) };
	}

	async settle(r: Reservation, nano: number, tokens: number) {
		await this.redis.eval(
			SETTLE,
			4,
			this.k(r.key, "d", r.day),
			this.k(r.key, "m", r.month),
			this.k(r.key, "t", r.minute),
			this.k(r.key, "e", "epoch"),
			nano - r.nano,
			nano,
			tokens - r.tokens,
			r.epoch ?? "",
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
		await this.redis.eval(REBUILD, 3, this.k(key, "d", at.day), this.k(key, "m", at.month), this.k(key, "e", "epoch"), day, month, epoch);
	}

	async close() {
		this.redis.disconnect();
	}
}
