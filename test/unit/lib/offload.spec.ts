import { strict as assert } from "node:assert";
import { setTimeout as sleep } from "node:timers/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WorkerPool } from "../../../lib/offload";

const MODULE = join(__dirname, "offload-thread-id.ts");

describe("lib/offload WorkerPool", function () {
	// Starting a thread loads tsx there: ~0.3-2 s on a loaded machine.
	this.timeout(30_000);
	let pool: WorkerPool<number, { threadId: number; input: number }> | undefined;
	afterEach(async () => {
		await pool?.stop();
	});

	it("starts its threads from any working directory (an MCP client starts the server in /)", async () => {
		const cwd = process.cwd();
		pool = new WorkerPool(MODULE, "whichThread", 1, 5_000);
		process.chdir(tmpdir());
		try {
			assert.equal((await pool.run(7)).input, 7);
		} finally {
			process.chdir(cwd);
		}
	});

	it("keeps a thread between jobs that come within idleMs", async () => {
		pool = new WorkerPool(MODULE, "whichThread", 1, 5_000);
		const first = await pool.run(1);
		const second = await pool.run(2);
		assert.equal(second.input, 2);
		assert.equal(second.threadId, first.threadId);
		assert.equal(pool.threads, 1);
	});

	it("ends a thread idle for idleMs (its heap with it) and starts a new one for the next job", async () => {
		pool = new WorkerPool(MODULE, "whichThread", 1, 200);
		const first = await pool.run(1);
		assert.equal(pool.threads, 1);
		await sleep(1_000);
		assert.equal(pool.threads, 0, "the idle thread was ended");
		const next = await pool.run(2);
		assert.equal(next.input, 2);
		assert.notEqual(next.threadId, first.threadId, "a new thread ran the next job");
		assert.equal(pool.threads, 1);
	});

	it("does not end a thread while a job is on it", async () => {
		pool = new WorkerPool(MODULE, "whichThread", 1, 200);
		const first = await pool.run(1);
		// Jobs back to back for longer than idleMs: each one resets the idle timer.
		for (let i = 0; i < 8; i++) {
			await sleep(50);
			assert.equal((await pool.run(i)).threadId, first.threadId);
		}
	});
});
