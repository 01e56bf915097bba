import { Pool, type PoolClient } from "pg";
import { periodStart } from "./store";

export interface LedgerRow {
	key_name: string;
	model: string;
	input_tokens: number;
	output_tokens: number;
	cost_usd: number;
	at?: Date;
}

export interface SpendSummary {
	requests: number;
	input_tokens: number;
	output_tokens: number;
	cost_usd: number;
	by_model: { model: string; requests: number; input_tokens: number; output_tokens: number; cost_usd: number }[];
}

/** Rows kept for a later write while PostgreSQL is unreachable; past this the oldest is dropped. */
const MAX_PENDING_ROWS = 100_000;

/**
 * The spend ledger in PostgreSQL (`DATABASE_URL`): one row per settled model call. It is what
 * survives a restart (budgets are rebuilt from it) and what `GET /api/spend` reads. The table is
 * created when missing; a schema can be chosen with the URL's `options=-c search_path=<schema>`.
 */
export class SpendLedger {
	private readonly pool: Pool;
	private ready?: Promise<void>;
	/** Settled calls whose write failed, each with the time it was settled, written again by flush(). */
	private readonly pending: LedgerRow[] = [];
	private flushing?: Promise<void>;

	constructor(url: string) {
		this.pool = new Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5000 });
		// An idle client losing its server is reported here; the next query reconnects.
		this.pool.on("error", () => undefined);
	}

	init(): Promise<void> {
		this.ready ??= (async () => {
			// Two nodes starting at once would race on CREATE ... IF NOT EXISTS (a duplicate pg_class row): one at a time.
			const client = await this.pool.connect();
			try {
				await client.query("BEGIN");
				await client.query("SELECT pg_advisory_xact_lock(hashtext('spend_ledger'))");
				await this.createTable(client);
				await client.query("COMMIT");
			} catch (err) {
				await client.query("ROLLBACK").catch(() => undefined);
				throw err;
			} finally {
				client.release();
			}
		})().catch(err => {
			this.ready = undefined;
			throw err;
		});
		return this.ready;
	}

	private async createTable(client: PoolClient) {
		await client.query(`CREATE TABLE IF NOT EXISTS spend_ledger (
			id BIGSERIAL PRIMARY KEY,
			at TIMESTAMPTZ NOT NULL DEFAULT now(),
			key_name TEXT NOT NULL,
			model TEXT NOT NULL,
			input_tokens INTEGER NOT NULL,
			output_tokens INTEGER NOT NULL,
			cost_usd NUMERIC(20, 9) NOT NULL
		)`);
		await client.query("CREATE INDEX IF NOT EXISTS spend_ledger_key_at ON spend_ledger (key_name, at)");
	}

	async write(row: LedgerRow): Promise<void> {
		await this.init();
		await this.pool.query("INSERT INTO spend_ledger (at, key_name, model, input_tokens, output_tokens, cost_usd) VALUES ($1, $2, $3, $4, $5, $6)", [
			row.at ?? new Date(),
			row.key_name,
			row.model,
			row.input_tokens,
			row.output_tokens,
			row.cost_usd,
		]);
	}

	/**
	 * A settled call's row, written now or, while the database cannot take it, kept (with its time) and written by a later
	 * flush: a row lost to an outage was spend a restart no longer knew, and the budget was exceeded by it after the
	 * restart. `onError` hears each failure; this never throws.
	 */
	async record(row: LedgerRow, onError: (err: unknown) => void): Promise<void> {
		const timed = { ...row, at: row.at ?? new Date() };
		try {
			await this.write(timed);
		} catch (err) {
			this.pending.push(timed);
			if (this.pending.length > MAX_PENDING_ROWS) this.pending.shift();
			onError(err);
		}
	}

	/** How many rows wait for the database. */
	get pendingRows(): number {
		return this.pending.length;
	}

	/** Writes the kept rows, oldest first, stopping at the first failure (the database is still away); one flush at a time. */
	flush(): Promise<void> {
		// Cleared in a .finally callback, which runs after the assignment: an async body's own `finally` runs at once when
		// nothing is pending, before `??=` stored its promise, which then stayed stored and turned every later flush into
		// a no-op (the rows of an outage were never written, and were lost at stop).
		this.flushing ??= this.writePending().finally(() => {
			this.flushing = undefined;
		});
		return this.flushing;
	}

	private async writePending(): Promise<void> {
		try {
			while (this.pending.length) {
				await this.write(this.pending[0]);
				this.pending.shift();
			}
		} catch {
			// Still unreachable: the rows stay for the next flush.
		}
	}

	/** Settled spend of a key since the start of the UTC day or month containing `now`. */
	async spend(key: string, period: "day" | "month", now = Date.now()): Promise<SpendSummary> {
		await this.init();
		const { rows } = await this.pool.query(
			`SELECT model, count(*)::int AS requests, sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens, sum(cost_usd)::text AS cost_usd
			 FROM spend_ledger WHERE key_name = $1 AND at >= $2 GROUP BY model ORDER BY model`,
			[key, periodStart(period, now)],
		);
		const by_model = rows.map(r => ({
			model: r.model as string,
			requests: r.requests as number,
			input_tokens: Number(r.input_tokens),
			output_tokens: Number(r.output_tokens),
			cost_usd: Number(r.cost_usd),
		}));
		const sum = (f: "requests" | "input_tokens" | "output_tokens" | "cost_usd") => by_model.reduce((s, m) => s + m[f], 0);
		return {
			requests: sum("requests"),
			input_tokens: sum("input_tokens"),
			output_tokens: sum("output_tokens"),
			cost_usd: Number(sum("cost_usd").toFixed(9)),
			by_model,
		};
	}

	async close() {
		await this.pool.end();
	}
}
