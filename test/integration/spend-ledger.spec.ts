import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { Client as PgClient } from "pg";
import { SpendLedger } from "../../services/budget/ledger";

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** The spend ledger on a real PostgreSQL, in a schema of its own: rows a failed write held back are written later. */
describe("services/budget/ledger: a settled call's row survives a database that cannot take it", function () {
	this.timeout(20_000);
	const schema = `ledger_${randomBytes(4).toString("hex")}`;
	let admin: PgClient;
	let ledger: SpendLedger;

	before(async () => {
		admin = new PgClient({ connectionString: DATABASE_URL });
		await admin.connect();
		await admin.query(`CREATE SCHEMA ${schema}`);
		const sep = DATABASE_URL.includes("?") ? "&" : "?";
		ledger = new SpendLedger(`${DATABASE_URL}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`);
		await ledger.init();
	});
	after(async () => {
		await ledger?.close();
		await admin?.query(`DROP SCHEMA ${schema} CASCADE`);
		await admin?.end();
	});

	it("keeps the rows a failed write could not store, with their time, and writes them once the table takes them again", async () => {
		const row = (n: number) => ({ key_name: "team-a", model: "gpt-4.1-nano", input_tokens: n, output_tokens: 1, cost_usd: 0.000001 * n });
		await ledger.record(row(1), () => assert.fail("the first write should succeed"));
		// A flush with nothing waiting (the timer's every 5 s) leaves the next flush able to run.
		await ledger.flush();
		// The table gone from under it: the writes fail, as while the database refuses connections.
		await admin.query(`ALTER TABLE ${schema}.spend_ledger RENAME TO spend_ledger_away`);
		const failures: unknown[] = [];
		await ledger.record(row(2), err => failures.push(err));
		await ledger.record(row(3), err => failures.push(err));
		assert.equal(failures.length, 2);
		assert.equal(ledger.pendingRows, 2);
		await ledger.flush();
		assert.equal(ledger.pendingRows, 2, "a flush while the table is away keeps the rows");
		await admin.query(`ALTER TABLE ${schema}.spend_ledger_away RENAME TO spend_ledger`);
		await ledger.flush();
		assert.equal(ledger.pendingRows, 0);
		const day = await ledger.spend("team-a", "day");
		assert.equal(day.requests, 3);
		assert.equal(day.input_tokens, 6);
		assert.equal(day.cost_usd, 0.000006);
	});
});
