import { strict as assert } from "node:assert";
import { compact, lossless } from "../../../../lib/compaction";
import { memoChars } from "../../../../lib/compaction/compact";
import { losslessText } from "../../../../lib/compaction/lossless";
import { MEMO_CHARS } from "../../../../lib/compaction/types";
import { cachedPrefixTokens, identifierRetention } from "../../../../scripts/bench-agent/measure";

type M = {
	role: string;
	content: string;
	cache_control?: unknown;
	tool_call_id?: string;
	tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
};

const opts = { budgetFraction: 0.5, keepLast: 4, step: 4 };
const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i + 1)).join("\n");

/** An agent loop: system, task, then (assistant command, tool output) pairs. */
function agentRun(steps: number): M[] {
	const msgs: M[] = [
		{ role: "system", content: "You are an agent. Reply with one bash command." },
		{ role: "user", content: "Fix the rounding bug in src/billing/tax.py where compute_tax() drops cents." },
	];
	for (let s = 1; s <= steps; s++) {
		msgs.push({
			role: "assistant",
			content: `THOUGHT: step ${s}, look at more of the file.\n\n\`\`\`bash\nsed -n '${s * 40},${s * 40 + 40}p' src/billing/tax.py\n\`\`\``,
		});
		msgs.push({
			role: "user",
			content: lines(60, i =>
				i === 30 ? `def compute_tax_${s}(amount):  # helper_${s}` : `    value_${s}_${i} = round(amount * RATE, 2)  # filler line ${i}`,
			),
		});
	}
	return msgs;
}

describe("lib/compaction", () => {
	it("lossless strips colour codes and progress overwrites but keeps every other byte (trailing blanks, blank-line runs, CRLF)", () => {
		const text = "\x1b[32mPASSED\x1b[0m  \n\n\n\n    indented()\r\n10%\r50%\r100%\ndone\r\n7%\r99%\r\n";
		assert.equal(losslessText(text), "PASSED  \n\n\n\n    indented()\r\n100%\ndone\r\n99%\r\n");
	});

	it("lossless forwards a file a tool read byte for byte: an agent's next edit must repeat its exact text", () => {
		// PEP 8's two blank lines between functions, a line's trailing blanks, a CRLF file: what Claude Code's Edit or
		// SWE-agent's str_replace match old_str against.
		const file = "import os\n\n\ndef a():  \n    return 1\n\n\ndef b():\n    return 2\n";
		const crlf = "key: value  \r\nother: 1\r\n";
		const msgs: M[] = [
			{ role: "system", content: "sys" },
			{ role: "user", content: "task" },
			{ role: "assistant", content: "", tool_calls: [{ id: "c1", type: "function", function: { name: "read", arguments: "{}" } }] },
			{ role: "tool", tool_call_id: "c1", content: file },
			{ role: "assistant", content: "", tool_calls: [{ id: "c2", type: "function", function: { name: "read", arguments: "{}" } }] },
			{ role: "tool", tool_call_id: "c2", content: crlf },
		];
		const out = compact(msgs, { level: "lossless", ...opts }).messages;
		assert.equal(out[3].content, file);
		assert.equal(out[5].content, crlf);
	});

	it("lossless replaces a repeated tool output by a reference and never forwards more", () => {
		const output = lines(20, i => `line ${i} of a long listing src/module_${i}.py`);
		const msgs: M[] = [
			{ role: "system", content: "sys" },
			{ role: "user", content: "task" },
			{ role: "assistant", content: "ls" },
			{ role: "user", content: output },
			{ role: "assistant", content: "ls again" },
			{ role: "user", content: output },
		];
		const out = lossless(msgs);
		assert.equal(out[3].content, output);
		assert.equal(out[5].content, "[output identical to the earlier output above that begins: line 1 of a long listing src/module_1.py]");
		const r = compact(msgs, { level: "lossless", ...opts });
		assert.ok(r.forwarded_tokens < r.received_tokens);
		for (let i = 0; i < msgs.length; i++) assert.ok(r.messages[i].content.length <= msgs[i].content.length);
	});

	it("lossless names a repeated tool result by its tool call, never by a position another wire format numbers otherwise", () => {
		const output = lines(20, i => `line ${i} of a long listing src/module_${i}.py`);
		const call = (id: string) => ({ role: "assistant", content: "", tool_calls: [{ id, type: "function", function: { name: "ls", arguments: "{}" } }] });
		const msgs = [
			{ role: "user", content: "task" },
			call("call_1"),
			{ role: "tool", tool_call_id: "call_1", content: output },
			call("call_2"),
			{ role: "tool", tool_call_id: "call_2", content: output },
		];
		const out = lossless(msgs);
		assert.equal(out[2].content, output);
		assert.equal(out[4].content, "[output identical to the result of tool call call_1 above]");
		// The reference depends on the earlier message alone: a system prompt moved in front changes nothing.
		assert.equal(lossless([{ role: "system", content: "sys" }, ...msgs])[5].content, out[4].content);
	});

	it("lossless leaves the system prompt and the task as the caller wrote them (a diff's blank context line keeps its space)", () => {
		const patch = "fix this patch:\n@@ -1,3 +1,3 @@\n a\n \n-b  \n+c";
		const msgs: M[] = [
			{ role: "system", content: "Be brief.  \n\n\n\nReply in French." },
			{ role: "user", content: patch },
			{ role: "assistant", content: "done  " },
		];
		const out = lossless(msgs);
		assert.equal(out[0], msgs[0]);
		assert.equal(out[1], msgs[1]);
		assert.equal(out[2].content, "done  ", "whitespace is kept everywhere");
	});

	it("lossless leaves every user turn as the caller wrote it (a pasted Makefile's trailing space, a Python string's blank lines, CRLF, a carriage return)", () => {
		const makefile = "CFLAGS = -O2   \nall: app\n\napp: main.c\n\tgcc $(CFLAGS) -o app main.c\t\n";
		const python = 'HELP = """\nusage:\n\n\n\n  run\n"""\r\n\r\ndef main():  \r\n    print("10%\\r")\r\n';
		const escapes = "why does my prompt print \x1b[31m literally?\rnot a progress bar";
		const msgs: M[] = [
			{ role: "system", content: "sys" },
			{ role: "user", content: "task" },
			{ role: "assistant", content: "paste it" },
			{ role: "user", content: makefile },
			{ role: "assistant", content: "and the script?" },
			{ role: "user", content: python },
			{ role: "assistant", content: "anything else?" },
			{ role: "user", content: escapes },
		];
		const r = compact(msgs, { level: "lossless", ...opts });
		assert.deepEqual(
			r.messages.filter(m => m.role === "user").map(m => m.content),
			["task", makefile, python, escapes],
		);
	});

	it("counts an assistant turn's tool-call arguments (an agent's file writes), received and forwarded", () => {
		const file = lines(2000, i => `export const value${i} = compute(${i}); // generated line ${i}`);
		const msgs = [
			{ role: "user", content: "Write the generated module." },
			{
				role: "assistant",
				content: null,
				tool_calls: [
					{ id: "call_w", type: "function", function: { name: "write_file", arguments: JSON.stringify({ path: "src/gen.ts", content: file }) } },
				],
			},
			{ role: "tool", tool_call_id: "call_w", content: "ok" },
		];
		for (const level of ["off", "lossless"] as const) {
			const r = compact(msgs, { level, ...opts });
			assert.ok(r.received_tokens > file.length / 5, `${level}: received ${r.received_tokens} tokens for ${file.length} characters of arguments`);
			assert.equal(r.forwarded_tokens, r.received_tokens);
		}
	});

	it("off forwards the messages as received", () => {
		const msgs = agentRun(6);
		const r = compact(msgs, { level: "off", ...opts });
		assert.deepEqual(r.messages, msgs);
		assert.equal(r.forwarded_tokens, r.received_tokens);
	});

	it("budget fits the target, keeps system, task, last turns and cache_control, and marks what it elides", () => {
		const msgs = agentRun(12);
		msgs[5] = { ...msgs[5], cache_control: { type: "ephemeral" } };
		const r = compact(msgs, { level: "budget", ...opts });
		assert.ok(r.forwarded_tokens <= r.target_tokens!, `${r.forwarded_tokens} > ${r.target_tokens}`);
		assert.equal(r.messages[0].content, msgs[0].content);
		assert.equal(r.messages[1].content, msgs[1].content);
		assert.equal(r.messages[5].content, msgs[5].content);
		for (let i = msgs.length - opts.keepLast; i < msgs.length; i++) assert.equal(r.messages[i].content, msgs[i].content);
		assert.equal(r.messages.length, msgs.length, "messages are shortened, never dropped");
		assert.match(r.messages[3].content as string, /\[… \d+ lines elided\]/);
		// Every assistant command survives: it is what the agent did.
		for (let i = 2; i < msgs.length; i += 2) assert.ok((r.messages[i].content as string).includes(`sed -n '${(i / 2) * 40},`));
	});

	it("budget keeps lines naming what the conversation used, longest", () => {
		const msgs = agentRun(12);
		// The assistant later names helper_2: the line of step 2's output that defines it survives.
		msgs[8] = { role: "assistant", content: "THOUGHT: helper_2 looks wrong.\n\n```bash\ngrep -n helper_2 src/billing/tax.py\n```" };
		const r = compact(msgs, { level: "budget", ...opts });
		assert.ok((r.messages[5].content as string).includes("def compute_tax_2(amount):  # helper_2"));
		assert.ok(!(r.messages[5].content as string).includes("filler line 25"));
	});

	it("budget compacts the same history to the same bytes on the next calls until the region steps", () => {
		const run = agentRun(20);
		const calls: ReturnType<typeof compact<M>>[] = [];
		for (let k = 10; k <= run.length; k++) calls.push(compact(run.slice(0, k), { level: "budget", ...opts }));
		let sameStage = 0;
		for (let c = 1; c < calls.length; c++) {
			const prev: M[] = calls[c - 1].messages;
			const cur: M[] = calls[c].messages;
			if (calls[c].stage !== calls[c - 1].stage) continue;
			sameStage++;
			// Within a stage, everything forwarded up to the previous region's end is forwarded again byte for byte.
			const end = Math.floor((prev.length - opts.keepLast) / opts.step) * opts.step;
			assert.deepEqual(cur.slice(0, end), prev.slice(0, end));
		}
		assert.ok(sameStage >= (calls.length - 1) / 2, `the stage moved on ${calls.length - 1 - sameStage} of ${calls.length - 1} calls`);
		// Deterministic: a fresh call over the same history gives the same bytes.
		assert.deepEqual(compact(run, { level: "budget", ...opts }).messages, calls[calls.length - 1].messages);
	});

	it("budget forwards a kept repeat whole when the output it refers to was shortened (a re-run test suite's failure stays in view)", () => {
		const suite = lines(300, i => `tests/test_mod.py::test_case_${i} ${i === 217 ? "FAILED AssertionError: expected 42 got 41" : "PASSED"}`);
		const rerun = [...agentRun(10)];
		rerun.splice(3, 1, { role: "user", content: suite });
		rerun.push({ role: "assistant", content: "Run the tests again.\n\n```bash\npytest -q\n```" }, { role: "user", content: suite });
		const r = compact(rerun, { level: "budget", ...opts });
		assert.ok(r.stage > 0, "the budget shortened the history");
		assert.match(r.messages[3].content, /elided/, "the first run is in the region and shortened");
		assert.equal(r.messages.at(-1)!.content, suite, "the last output, one of the last keep_last, arrives whole");
		assert.ok(r.forwarded_tokens > rerun.length, "and is counted");
		// Lossless alone keeps the reference: the first run is whole there.
		assert.match(compact(rerun, { level: "lossless", ...opts }).messages.at(-1)!.content, /^\[output identical/);
	});

	it("x-orchestrator-max-input-tokens style targets override the fraction", () => {
		const msgs = agentRun(12);
		const loose = compact(msgs, { level: "budget", ...opts, maxInputTokens: 1_000_000 });
		assert.equal(loose.stage, 0);
		const tight = compact(msgs, { level: "budget", ...opts, maxInputTokens: 1500 });
		assert.ok(tight.stage > 1 && tight.forwarded_tokens < loose.forwarded_tokens);
	});

	it("bench measures: cached prefix and identifier retention", () => {
		const a = [
			{ role: "system", content: "same" },
			{ role: "user", content: "abc def" },
		];
		const b = [
			{ role: "system", content: "same" },
			{ role: "user", content: "abc xyz" },
		];
		assert.ok(cachedPrefixTokens(a, b) > cachedPrefixTokens(a, [{ role: "system", content: "other" }]));
		assert.equal(cachedPrefixTokens(undefined, b), 0);
		const ret = identifierRetention(
			[{ role: "user", content: "see src/app/main.py and parse_args()" }],
			[{ role: "user", content: "see src/app/main.py [… 1 line elided]" }],
			"Now edit src/app/main.py to call parse_args with new_flag",
		);
		assert.equal(ret.needed, 2);
		assert.deepEqual(ret.lost, ["parse_args"]);
	});

	/**
	 * The memos are keyed by the callers' texts: bounded by entries alone (20,000 texts each) they kept every new tool
	 * output up to gigabytes, ~100 KB of heap per /v1 call carrying a new 100 KB one. Each holds at most MEMO_CHARS.
	 */
	it("holds at most MEMO_CHARS characters per memo however many distinct big conversations it compacts", () => {
		const memos = 4;
		const output = (n: number) => lines(4_000, i => `run ${n} line ${i}: value_${n}_${i} = compute(${i})  `);
		for (let n = 0; n < 80; n++) {
			const msgs: M[] = [
				{ role: "system", content: "You are an agent." },
				{ role: "user", content: `Fix bug ${n}.` },
				{ role: "assistant", content: `Reading the log of run ${n}.\n${output(n).slice(0, 200_000)}` },
				{ role: "user", content: output(n) },
				{ role: "assistant", content: "done" },
				{ role: "user", content: "and?" },
			];
			compact(msgs, { level: n % 2 ? "budget" : "lossless", ...opts, keepLast: 1, step: 1 });
		}
		// 80 conversations of ~0.4 M characters each, their texts and what was made of them: 115 Mi without the bound.
		assert.ok(memoChars() <= memos * MEMO_CHARS, `${(memoChars() / 2 ** 20).toFixed(1)} Mi characters held`);
	});
});
