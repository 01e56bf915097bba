import { strict as assert } from "node:assert";
import { compact, compactOffloaded } from "../../../../lib/compaction";
import { OFFLOAD_CHARS, OFFLOAD_MESSAGES } from "../../../../lib/compaction/offload";
import type { CompactionOptions } from "../../../../lib/compaction";

/** A coding agent's conversation: a task, then tool calls and their long outputs. */
function conversation(turns: number, outputChars = 200) {
	const messages: { role: string; content: string }[] = [
		{ role: "system", content: "You are a coding agent." },
		{ role: "user", content: "fix the failing test in src/auth.ts" },
	];
	for (let i = 0; i < turns; i++) {
		messages.push({ role: "assistant", content: `running step ${i}: cat src/file${i % 37}.ts` });
		messages.push({
			role: "user",
			content: `output ${i}\n` + `line ${i} of src/file${i % 37}.ts: const value${i} = compute(${i});\n`.repeat(Math.ceil(outputChars / 50)),
		});
	}
	return messages;
}

const budget: CompactionOptions = { level: "budget", budgetFraction: 0.5, keepLast: 6, step: 8 };

describe("lib/compaction/offload compactOffloaded", function () {
	this.timeout(20_000);

	it("a big conversation is compacted on a worker thread, to exactly what compact() gives inline", async () => {
		const messages = conversation(OFFLOAD_MESSAGES); // twice OFFLOAD_MESSAGES messages
		const inline = compact(messages, budget);
		const offloaded = await compactOffloaded(messages, budget);
		assert.deepEqual(offloaded, inline);
		assert.ok(offloaded.stage > 0, "the budget shortened something");
		// Plain data back from the thread: no message is the caller's own object.
		const kept = offloaded.messages.findIndex(m => m.content === messages[0].content);
		assert.ok(kept >= 0);
		assert.notEqual(offloaded.messages[kept], messages[0]);
	});

	it("so is a conversation of few messages with much text", async () => {
		const messages = conversation(20, OFFLOAD_CHARS / 10);
		assert.ok(messages.length < OFFLOAD_MESSAGES);
		assert.deepEqual(await compactOffloaded(messages, budget), compact(messages, budget));
	});

	it("a small conversation is compacted inline (the caller's objects kept where compaction keeps them)", async () => {
		const messages = conversation(10);
		const result = await compactOffloaded(messages, { ...budget, level: "off" });
		assert.equal(result.messages[0], messages[0]);
		assert.deepEqual(result, compact(messages, { ...budget, level: "off" }));
	});
});
