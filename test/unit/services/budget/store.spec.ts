import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import Redis from "ioredis";
import { RedisBudgetStore } from "../../../../services/budget/redis-store";
import { costNano } from "../../../../services/budget/policy";
import { MemoryBudgetStore, periodsAt, secondsLeft, slidingRetryAfter, toNano, type BudgetStore } from "../../../../services/budget/store";
import { REDIS_URL } from "../../../helpers";

/** The same contract for the memory counters and the Redis Lua script. */
function storeContract(name: string, make: () => BudgetStore) {
	describe(name, () => {
		let store: BudgetStore;
		beforeEach(() => (store = make()));
		afterEach(() => store.close());
		const at = periodsAt(Date.UTC(2026, 10, 29, 12, 0, 30));

		it("lets 200 concurrent reservations take a budget exactly up to its limit, never past it", async () => {
			const results = await Promise.all(Array.from({ length: 200 }, () => store.reserve("k", { day: 1000 }, 7, 0, at)));
			assert.equal(results.filter(r => r.ok).length, 142);
			assert.equal((await store.used("k", at)).day, 994);
			const refused = results.find(r => !r.ok)!;
			assert.deepEqual({ ...refused, used: 0 }, { ok: false, kind: "budget", period: "day", limit: 1000, used: 0 });
		});

		it("settles a reservation to the actual cost, releases one to zero, and checks month and tokens", async () => {
			const r = await store.reserve("k", { day: 100, month: 150 }, 60, 10, at);
			assert.ok(r.ok);
			await store.settle(r.reservation, 25, 4);
			assert.deepEqual(await store.used("k", at), { day: 25, month: 25 });
			const r2 = await store.reserve("k", { day: 100, month: 150, tokensPerMinute: 20 }, 70, 16, at);
			assert.ok(r2.ok);
			assert.deepEqual(await store.reserve("k", { day: 1000, month: 150 }, 60, 0, at), {
				ok: false,
				kind: "budget",
				period: "month",
				limit: 150,
				used: 95,
			});
			assert.deepEqual(await store.reserve("k", { tokensPerMinute: 20 }, 0, 1, at), { ok: false, kind: "tokens", limit: 20, used: 20 });
			await store.settle(r2.reservation, 0, 0);
			assert.deepEqual(await store.used("k", at), { day: 25, month: 25 });
		});

		it("admits requests_per_minute over a sliding minute, and seeding only raises counters", async () => {
			const admitted = await Promise.all(Array.from({ length: 5 }, () => store.admit("k", 3, at)));
			assert.equal(admitted.filter(a => a.ok).length, 3);
			// At the minute's end the last minute's three still count (a fixed window let three more through at once).
			assert.equal((await store.admit("k", 3, { ...at, minute: at.minute + 1, elapsed: 0 })).ok, false);
			// Half a minute on, half of them count: two more fit (1.5 + 0, 1.5 + 1 < 3), a third does not (1.5 + 2 >= 3).
			const half = { ...at, minute: at.minute + 1, elapsed: 0.5 };
			const three = [await store.admit("k", 3, half), await store.admit("k", 3, half), await store.admit("k", 3, half)];
			assert.deepEqual(
				three.map(a => a.ok),
				[true, true, false],
			);
			// Two minutes on, the window holds none of them.
			assert.equal((await store.admit("k", 3, { ...at, minute: at.minute + 2, elapsed: 0.01 })).ok, true);
			await store.seed("k", at, 500, 800);
			await store.seed("k", at, 100, 100);
			assert.deepEqual(await store.used("k", at), { day: 500, month: 800 });
		});
	});
}

describe("budget counters (services/budget)", () => {
	storeContract("memory", () => new MemoryBudgetStore());
	const prefix = `BUDGET-unit-${randomBytes(4).toString("hex")}-`;
	storeContract("Redis (Lua)", () => new RedisBudgetStore(REDIS_URL, `${prefix}${randomBytes(2).toString("hex")}-`));
	after(async () => {
		// The shared Redis keeps nothing of this run.
		const redis = new Redis(REDIS_URL);
		const keys = await redis.keys(`${prefix}*`);
		if (keys.length) await redis.del(...keys);
		redis.disconnect();
	});

	it("Redis: counters lost with calls in flight are rebuilt, and those calls settle into them by their whole cost", async () => {
		const keyPrefix = `${prefix}lost-`;
		const store = new RedisBudgetStore(REDIS_URL, keyPrefix);
		const redis = new Redis(REDIS_URL);
		try {
			const at = periodsAt(Date.UTC(2026, 10, 29, 12, 0, 30));
			const limits = { day: 1000 };
			await store.rebuild("k", at, 900, 900);
			const a = await store.reserve("k", limits, 50, 1, at, true);
			const b = await store.reserve("k", limits, 30, 1, at, true);
			assert.ok(a.ok && b.ok);
			// Redis restarted without persistence: nothing of the key is left.
			await redis.del(...(await redis.keys(`${keyPrefix}*`)));
			// A call settling now creates no counter (one holding -30 with no expiry passed for rebuilt, and never was).
			await store.settle(a.reservation, 20, 1);
			assert.deepEqual(await store.reserve("k", limits, 10, 1, at, true), { ok: false, kind: "unseeded" });
			// Rebuilt from the ledger, which has the 900 and a's 20: b, reserved before, is in no counter and adds its whole cost.
			await store.rebuild("k", at, 920, 920);
			await store.settle(b.reservation, 25, 1);
			assert.deepEqual(await store.used("k", at), { day: 945, month: 945 });
			// A reservation of the new epoch settles by the difference, as always.
			const c = await store.reserve("k", limits, 40, 1, at, true);
			assert.ok(c.ok);
			await store.settle(c.reservation, 10, 1);
			assert.deepEqual(await store.used("k", at), { day: 955, month: 955 });
			// Another node's rebuild of counters already there changes nothing.
			await store.rebuild("k", at, 0, 0);
			assert.deepEqual(await store.used("k", at), { day: 955, month: 955 });
		} finally {
			redis.disconnect();
			await store.close();
		}
	});

	/**
	 * The memory counters kept every day's and month's counter of every key for the process's life, and once they were
	 * 1,024 every reservation and admission scanned them all (a regex each): memory and work per call growing with the
	 * days served. Past periods go now, as Redis expires them.
	 */
	it("memory: holds the counters of the current and previous periods only, however many days it runs", async () => {
		const store = new MemoryBudgetStore();
		const keys = ["team-a", "team-b", "team:c"];
		const start = Date.UTC(2026, 0, 1, 9, 0, 0);
		for (let day = 0; day < 400; day++) {
			for (const minute of [0, 1, 600]) {
				const at = periodsAt(start + day * 86_400_000 + minute * 60_000);
				for (const key of keys) {
					const r = await store.reserve(key, { day: 10 ** 12, month: 10 ** 13 }, 5, 10, at);
					assert.ok(r.ok);
					await store.settle(r.reservation, 3, 8);
					assert.deepEqual(await store.admit(key, 1000, at), { ok: true });
				}
			}
		}
		// Per key: a day counter for today and yesterday, a month counter for this month and the last, token and request
		// counters for this minute and the one before.
		assert.ok(store.size <= keys.length * 8, `${store.size} counters after 400 days of ${keys.length} keys`);
		const today = periodsAt(start + 399 * 86_400_000 + 600 * 60_000);
		assert.equal((await store.used("team:c", today)).day, 9, "today's counter is intact");
	});

	it("requests_per_minute's retry-after is when the sliding minute admits again, and the store then admits", async () => {
		const store = new MemoryBudgetStore();
		// Three at :50 fill a limit of three; refused at :59, the clock minute's end (a second away) would be too early.
		const t0 = Date.UTC(2026, 10, 29, 12, 0, 50);
		for (let i = 0; i < 3; i++) assert.deepEqual(await store.admit("k", 3, periodsAt(t0)), { ok: true });
		const refused = await store.admit("k", 3, periodsAt(t0 + 9_000));
		assert.ok(!refused.ok);
		const wait = slidingRetryAfter(3, refused.previous, refused.current, periodsAt(t0 + 9_000).elapsed);
		assert.equal((await store.admit("k", 3, periodsAt(t0 + 9_000 + (wait - 1) * 1000))).ok, false, "a second early is refused");
		assert.equal((await store.admit("k", 3, periodsAt(t0 + 9_000 + wait * 1000))).ok, true, `admitted after the ${wait} s it says`);
		// Refused on the previous minute's share: its part must slide out.
		assert.equal(slidingRetryAfter(4, 8, 1, 0.25), 23);
	});

	it("Redis: a new UTC day rebuilds its own counter only; yesterday's calls and an older node's settle by the difference", async () => {
		const keyPrefix = `${prefix}midnight-`;
		const store = new RedisBudgetStore(REDIS_URL, keyPrefix);
		try {
			const before = periodsAt(Date.UTC(2026, 10, 29, 23, 59, 50));
			const after = periodsAt(Date.UTC(2026, 10, 30, 0, 0, 5));
			const limits = { month: 100_000 };
			await store.rebuild("k", before, 0, 0);
			const late = await store.reserve("k", limits, 1000, 1, before, true);
			assert.ok(late.ok);
			// Past midnight the day's counter is new: rebuilt (the ledger's 0 today), the month's left with the call it holds.
			assert.deepEqual(await store.reserve("k", limits, 10, 1, after, true), { ok: false, kind: "unseeded" });
			await store.rebuild("k", after, 0, 1000);
			await store.settle(late.reservation, 100, 1);
			assert.equal((await store.used("k", after)).month, 100, "the month holds the call's cost, not its reservation too");
			// A node from before the epochs sends a reservation without them: by the difference, as that node expected.
			const fresh = await store.reserve("k", limits, 500, 1, after, true);
			assert.ok(fresh.ok);
			const { epochs: _epochs, ...older } = fresh.reservation;
			await store.settle(older, 50, 1);
			assert.deepEqual(await store.used("k", after), { day: 50, month: 150 });
		} finally {
			await store.close();
		}
	});

	it("prices in nano-USD rounded up, and retry-after counts to the end of the period", () => {
		const nano = { provider: "openai", input_per_mtok: 0.1, output_per_mtok: 0.4, context_window: 1 };
		assert.equal(costNano(nano, 21, 0), 2100);
		assert.equal(costNano(nano, 1, 1), 500);
		assert.equal(toNano(5), 5e9);
		assert.equal(secondsLeft("minute", Date.UTC(2026, 0, 1, 0, 0, 59, 500)), 1);
		assert.equal(secondsLeft("day", Date.UTC(2026, 0, 1, 23, 0, 0)), 3600);
		assert.equal(secondsLeft("month", Date.UTC(2026, 0, 31, 23, 59, 0)), 60);
	});
});
