import { Errors, type Context, type Service, type ServiceSchema, type ServiceSettingSchema } from "moleculer";
import { keyTable, modelAllowed, modelNotAllowed, rateLimited, type KeyMeta, type KeyTable } from "../lib/auth/keys";
import { errorMessage } from "../lib/errors";
import type { ServiceFactoryContext } from "../lib/runner";
import { SpendLedger } from "./budget/ledger";
import { liveConfig } from "./models/live-catalog";
import { costNano, limitsOf, refusal } from "./budget/policy";
import { RedisBudgetStore } from "./budget/redis-store";
import { MemoryBudgetStore, NANO, periodsAt, slidingRetryAfter, toUsd, type BudgetStore, type Periods, type Reservation } from "./budget/store";
import {
	AdmitParamsSchema,
	ReleaseParamsSchema,
	ReserveParamsSchema,
	SettleParamsSchema,
	SpendParamsSchema,
	type ReserveParams,
	type SettleParams,
} from "../lib/contracts";
import { zodParams } from "../lib/contracts/validator";

/** Where the counters live: Redis when the cluster has one (`REDIS_URL`, else `CACHER=redis://`), else this process. */
export function budgetRedisUrl(env: NodeJS.ProcessEnv): string | undefined {
	if (env.REDIS_URL?.trim()) return env.REDIS_URL.trim();
	const cacher = env.CACHER?.trim();
	return cacher && /^rediss?:\/\//.test(cacher) ? cacher : undefined;
}

/** What `this` holds in the budget service: its state (set in created) and its method. */
type BudgetThis = Service & {
	keys: KeyTable;
	store: BudgetStore;
	ledger?: SpendLedger;
	rebuildFromLedger(): Promise<void>;
	reseed(key: string, at: Periods, now: number): Promise<void>;
	/** Rebuilds under way, by key name. */
	reseeding: Map<string, Promise<void>>;
	flushTimer?: NodeJS.Timeout;
};

/** A key's settled spend of the UTC day and month in the ledger, in the counters' unit (nano-USD). */
async function settledNano(ledger: SpendLedger, key: string, now: number): Promise<{ day: number; month: number }> {
	const [day, month] = await Promise.all([ledger.spend(key, "day", now), ledger.spend(key, "month", now)]);
	return { day: Math.round(day.cost_usd * NANO), month: Math.round(month.cost_usd * NANO) };
}

/** How often rows the ledger could not write are tried again. */
const LEDGER_RETRY_MS = 5_000;

/**
 * Per-key budgets and rate limits (issue 14). A model call reserves its worst-case cost here
 * before the provider is called (`reserve`) and settles to the vendor-reported usage after
 * (`settle`, or `release` when it failed); the check and the count are one atomic step, in Redis
 * (a Lua script) when the cluster shares one, so concurrent requests on any number of nodes never
 * overspend. Settled calls go to the PostgreSQL spend ledger (`DATABASE_URL`), from which the
 * counters are rebuilt at start.
 */
export default function budgetService({ config, env }: ServiceFactoryContext): ServiceSchema<ServiceSettingSchema, BudgetThis> {
	const redisUrl = budgetRedisUrl(env);
	const databaseUrl = env.DATABASE_URL?.trim() || undefined;
	return {
		name: "budget",
		actions: {
			/** One more request for the key's requests_per_minute (the gateway asks once per HTTP request). */
			admit: {
				params: zodParams(AdmitParamsSchema),
				async handler(this: BudgetThis, ctx: Context<{ key: string }>) {
					const policy = this.keys.policy(ctx.params.key);
					const limit = policy?.requests_per_minute;
					if (!limit) return { ok: true };
					const now = Date.now();
					const at = periodsAt(now);
					const admitted = await this.store.admit(ctx.params.key, limit, at);
					// retry-after: when the sliding minute has room again (the minute's end was too early, and was refused again).
					if (!admitted.ok)
						throw rateLimited(ctx.params.key, "requests", limit, slidingRetryAfter(limit, admitted.previous, admitted.current, at.elapsed));
					return { ok: true };
				},
			},
			reserve: {
				params: zodParams(ReserveParamsSchema),
				async handler(this: BudgetThis, ctx: Context<ReserveParams>): Promise<Reservation> {
					const { key, model, input_tokens, max_tokens } = ctx.params;
					const policy = this.keys.policy(key);
					if (!modelAllowed(policy, model)) throw modelNotAllowed(key, model, policy!.models!);
					// A model a live provider found on its server (a local Ollama's) is priced as the walk prices it: from the live catalog.
					const info = liveConfig(this.broker, config).config.models[model];
					if (!info) throw new Errors.MoleculerClientError(`model '${model}' is not in the catalog`, 404, "UNKNOWN_MODEL", { model });
					const nano = costNano(info, input_tokens, max_tokens);
					const tokens = input_tokens + max_tokens;
					const now = Date.now();
					const limits = limitsOf(policy);
					const at = periodsAt(now);
					// With a ledger, a budget's counters missing from the store (Redis restarted or evicted them) are rebuilt first.
					const seeded = !!this.ledger && (limits.day !== undefined || limits.month !== undefined);
					let res = await this.store.reserve(key, limits, nano, tokens, at, seeded);
					if (!res.ok && res.kind === "unseeded") {
						await this.reseed(key, at, now);
						res = await this.store.reserve(key, limits, nano, tokens, at);
					}
					if (!res.ok) throw refusal(key, res as Exclude<typeof res, { kind: "unseeded" }>, nano, tokens, now);
					return res.reservation;
				},
			},
			settle: {
				params: zodParams(SettleParamsSchema),
				async handler(this: BudgetThis, ctx: Context<SettleParams>) {
					const { reservation, model, input_tokens, output_tokens } = ctx.params;
					const info = liveConfig(this.broker, config).config.models[model];
					const nano = info ? costNano(info, input_tokens, output_tokens) : 0;
					await this.store.settle(reservation, nano, input_tokens + output_tokens);
					if (this.ledger) {
						// The counters hold it already; a row the database cannot take now is kept and written when it is back.
						await this.ledger.record({ key_name: reservation.key, model, input_tokens, output_tokens, cost_usd: toUsd(nano) }, err =>
							this.logger.warn(`spend ledger write failed, kept for a retry (${this.ledger!.pendingRows} rows waiting): ${errorMessage(err)}`),
						);
					}
					return { cost_usd: toUsd(nano) };
				},
			},
			release: {
				params: zodParams(ReleaseParamsSchema),
				async handler(this: BudgetThis, ctx: Context<{ reservation: Reservation }>) {
					await this.store.settle(ctx.params.reservation, 0, 0);
					return { ok: true };
				},
			},
			/**
			 * Every configured key with its limits and what it has used today and this month (counters: settled calls and
			 * those in flight), for the REPL's `keys`; never a secret (the table's policies hold none).
			 */
			keys: {
				async handler(this: BudgetThis) {
					const now = Date.now();
					return Promise.all(
						this.keys.names.map(async name => {
							const policy = this.keys.policy(name)!;
							const used = await this.store.used(name, periodsAt(now));
							return { ...policy, used_today_usd: toUsd(used.day), used_month_usd: toUsd(used.month) };
						}),
					);
				},
			},
			/** `GET /api/spend?key=…&period=day|month`: a key reads its own spend. */
			spend: {
				params: zodParams(SpendParamsSchema),
				async handler(this: BudgetThis, ctx: Context<{ key?: string; period?: "day" | "month" }, KeyMeta>) {
					const caller = ctx.meta.key?.name;
					const key = ctx.params.key ?? caller;
					if (!key)
						throw new Errors.ValidationError("key is required", "VALIDATION_ERROR", [{ field: "key", message: "The 'key' field is required." }]);
					if (caller && key !== caller)
						throw new Errors.MoleculerClientError(`key '${caller}' may read its own spend only`, 403, "forbidden", { key: caller });
					const period = ctx.params.period ?? "day";
					const now = Date.now();
					const policy = this.keys.policy(key);
					const budget = period === "day" ? policy?.budget_usd_per_day : policy?.budget_usd_per_month;
					const used = await this.store.used(key, periodsAt(now));
					// Counters hold settled calls plus those in flight: what the budget is checked against.
					const held = toUsd(period === "day" ? used.day : used.month);
					// The ledger unreachable: the counters still answer, saying why (not a 500).
					let ledgerError: string | undefined;
					const ledger = this.ledger
						? await this.ledger.spend(key, period, now).catch((err: unknown) => void (ledgerError = errorMessage(err)))
						: undefined;
					return {
						key,
						period,
						source: ledger ? "ledger" : "counters",
						...(ledgerError ? { ledger_error: `spend ledger unreadable: ${ledgerError}` } : {}),
						spent_usd: ledger ? ledger.cost_usd : held,
						reserved_and_spent_usd: held,
						budget_usd: budget ?? null,
						left_usd: budget !== undefined ? Math.max(0, Number((budget - held).toFixed(9))) : null,
						...(ledger
							? { requests: ledger.requests, input_tokens: ledger.input_tokens, output_tokens: ledger.output_tokens, by_model: ledger.by_model }
							: {}),
					};
				},
			},
		},
		methods: {
			/**
			 * A key's counters for the day and month, missing from the store, set from the ledger's settled spend; one rebuild
			 * per key at a time on this node, however many reservations found them missing.
			 * The ledger unreadable too, they start from zero, as without a ledger, and that is logged.
			 */
			reseed(this: BudgetThis, key: string, at: Periods, now: number): Promise<void> {
				const running = this.reseeding.get(key);
				if (running) return running;
				const ledger = this.ledger!;
				// Only the ledger's failure counts from zero: a store that fails the rebuild fails the reservation (as any store failure).
				const work = settledNano(ledger, key, now)
					.then(
						settled => {
							this.logger.info(
								`budget counters of key '${key}' were missing from the store: rebuilt from the spend ledger (${toUsd(settled.day)} USD today)`,
							);
							return settled;
						},
						(err: unknown) => {
							this.logger.warn(
								`budget counters of key '${key}' were missing from the store and the spend ledger is unreadable, counting from zero: ${errorMessage(err)}`,
							);
							return { day: 0, month: 0 };
						},
					)
					.then(({ day, month }) => this.store.rebuild(key, at, day, month))
					.finally(() => this.reseeding.delete(key));
				this.reseeding.set(key, work);
				return work;
			},

			/** The day's and month's settled spend from the ledger, for every key with a budget. */
			async rebuildFromLedger(this: BudgetThis) {
				const ledger = this.ledger;
				if (!ledger) return;
				const now = Date.now();
				const at = periodsAt(now);
				for (const name of this.keys.names) {
					const { day, month } = await settledNano(ledger, name, now);
					if (!day && !month) continue;
					await this.store.seed(name, at, day, month);
					this.logger.info(`budget of key '${name}' rebuilt from the spend ledger: ${toUsd(day)} USD today, ${toUsd(month)} USD this month`);
				}
			},
		},
		created() {
			this.keys = keyTable(config, env);
			this.reseeding = new Map();
			this.store = redisUrl ? new RedisBudgetStore(redisUrl, `BUDGET-${env.NAMESPACE || ""}-`) : new MemoryBudgetStore();
			this.ledger = databaseUrl ? new SpendLedger(databaseUrl) : undefined;
			const keys = this.keys;
			const budgeted = keys.names.some(n => {
				const limits = limitsOf(keys.policy(n));
				return limits.day !== undefined || limits.month !== undefined || limits.tokensPerMinute !== undefined;
			});
			if (!redisUrl && env.TRANSPORTER && budgeted) {
				this.logger.warn(
					"budgets and rate limits are counted in this process only (no REDIS_URL or CACHER=redis://): budget services on other nodes do not share them",
				);
			}
		},
		async started() {
			if (!this.ledger) return;
			try {
				await this.ledger.init();
				await this.rebuildFromLedger();
			} catch (err) {
				// The URL may hold a password: errorMessage redacts it.
				throw new Error(`spend ledger (DATABASE_URL) unusable: ${errorMessage(err)}`);
			}
			const ledger = this.ledger;
			this.flushTimer = setInterval(() => void ledger.flush(), LEDGER_RETRY_MS).unref();
		},
		async stopped() {
			clearInterval(this.flushTimer);
			await this.store.close();
			if (this.ledger) {
				// A last try for rows an outage held back; what is still waiting is said, not silently lost.
				await this.ledger.flush();
				if (this.ledger.pendingRows) this.logger.error(`spend ledger: ${this.ledger.pendingRows} settled calls could not be written before the stop`);
				await this.ledger.close();
			}
		},
	};
}
