import { strict as assert } from "node:assert";
import { attemptBudgetMs, DEFAULT_REQUEST_DEADLINE_MS, remainingMs, requestDeadlineMs, within } from "../../../lib/deadline";

describe("request deadline helpers", () => {
	it("REQUEST_DEADLINE_MS: default 55 s, a positive number, else a start-up error naming it", () => {
		assert.equal(requestDeadlineMs({}), DEFAULT_REQUEST_DEADLINE_MS);
		assert.equal(requestDeadlineMs({ REQUEST_DEADLINE_MS: "1500" }), 1500);
		assert.throws(() => requestDeadlineMs({ REQUEST_DEADLINE_MS: "-1" }), /REQUEST_DEADLINE_MS/);
		assert.throws(() => requestDeadlineMs({ REQUEST_DEADLINE_MS: "soon" }), /REQUEST_DEADLINE_MS/);
	});

	it("a candidate gets half of what is left while others remain, the last one all of it", () => {
		assert.equal(attemptBudgetMs(10_000, 3), 5_000);
		assert.equal(attemptBudgetMs(10_000, 1), 10_000);
		assert.equal(attemptBudgetMs(-5, 2), 0);
		assert.equal(attemptBudgetMs(Infinity, 2), Infinity);
	});

	it("what is left of a context's timeout, counted from when it started", () => {
		assert.equal(remainingMs({ options: {} } as any), Infinity);
		assert.equal(remainingMs({ options: { timeout: 0 } } as any), Infinity);
		const started = process.hrtime();
		const left = remainingMs({ options: { timeout: 1000 }, startHrTime: [started[0] - 1, started[1]] } as any);
		assert.ok(left <= 0 && left > -100, String(left));
	});

	it("within: the promise's value in time, the timeout's error after", async () => {
		assert.equal(await within(Promise.resolve(7), 50, () => new Error("late")), 7);
		await assert.rejects(
			within(new Promise(() => {}), 20, () => new Error("late")),
			/late/,
		);
	});
});
