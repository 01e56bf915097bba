import { strict as assert } from "node:assert";
import { Memo } from "../../../lib/memo";
import { liveHeap } from "../../helpers";

describe("lib/memo", () => {
	it("makes a value once, remembers it, and keeps at most its size", () => {
		const memo = new Memo<string, number>(100);
		let made = 0;
		const make = (n: number) => () => (made++, n);
		assert.equal(memo.get("a", make(1)), 1);
		assert.equal(memo.get("a", make(2)), 1);
		assert.equal(made, 1);
		for (let i = 0; i < 1_000; i++) memo.get(`k${i}`, make(i));
		assert.ok(memo.size <= 100, `${memo.size} entries`);
		// The most recent ones are remembered, the oldest are not.
		assert.equal(memo.peek("k999"), 999);
		assert.equal(memo.peek("a"), undefined);
	});

	it("keeps a value in use while newer ones come and go", () => {
		const memo = new Memo<string, number>(10);
		memo.set("hot", 1);
		for (let i = 0; i < 100; i++) {
			memo.get(`k${i}`, () => i);
			assert.equal(
				memo.get("hot", () => -1),
				1,
			);
		}
	});

	/**
	 * One Map evicting its oldest key on every insert (`map.delete(map.keys().next().value)`) walked
	 * every deleted entry V8 still kept as a hole: ~8 µs an insert at 20,000 entries, ~30 times a
	 * plain Map's, and compaction does three inserts per message (a 200,000-message conversation held
	 * the event loop 5 s). The memo's insert costs about what a Map's does, whatever has gone before.
	 */
	it("inserts at about a plain Map's cost once full: no walk over what it forgot", () => {
		const keys = Array.from({ length: 200_000 }, (_, i) => `message ${i} ${Math.random()}`);
		const time = (f: () => void) => {
			const t = performance.now();
			f();
			return performance.now() - t;
		};
		const plain = () => {
			const m = new Map<string, number>();
			for (const k of keys) m.set(k, 1);
		};
		const bounded = () => {
			const memo = new Memo<string, number>(20_000);
			for (const k of keys) memo.get(k, () => 1);
		};
		// Interleaved, best of three each: the machine's load weighs on both alike.
		const plainMs: number[] = [];
		const boundedMs: number[] = [];
		for (let round = 0; round < 3; round++) {
			plainMs.push(time(plain));
			boundedMs.push(time(bounded));
		}
		const ratio = Math.min(...boundedMs) / Math.min(...plainMs);
		assert.ok(ratio < 5, `bounded ${Math.min(...boundedMs).toFixed(0)} ms vs plain Map ${Math.min(...plainMs).toFixed(0)} ms (${ratio.toFixed(1)}x)`);
	});

	it("holds at most its characters of string keys and values, whatever the length of the texts it is given", () => {
		const memo = new Memo<string, string>(20_000, { chars: 100_000 });
		const texts = Array.from({ length: 1_000 }, (_, i) => `${i} `.padEnd(10_000, "x"));
		for (const t of texts) memo.get(t, () => t.toUpperCase());
		// 1,000 entries of 20,000 characters: 20 M characters without the bound.
		assert.ok(memo.chars <= 100_000, `${memo.chars} characters`);
		// The most recent are remembered.
		assert.equal(memo.peek(texts[999]), texts[999].toUpperCase());
		// A text worth more than half the bound alone is made each time and not kept.
		const huge = "y".repeat(60_000);
		assert.equal(
			memo.get(huge, () => "made"),
			"made",
		);
		assert.equal(memo.peek(huge), undefined);
		// Weighed as told: here an entry of 10 characters' worth, so 10 of them fill it.
		const weighed = new Memo<number, object>(1_000, { chars: 100, weigh: () => 10 });
		for (let i = 0; i < 50; i++) weighed.set(i, {});
		assert.ok(weighed.chars <= 100 && weighed.size <= 10, `${weighed.chars} characters, ${weighed.size} entries`);
	});

	it("with ownKeys, keeps a key cut from a longer text without keeping that text alive", () => {
		const memo = new Memo<string, number>(1_000, { ownKeys: true });
		const base = "x".repeat(500_000);
		const before = liveHeap();
		for (let i = 0; i < 100; i++) {
			// A fresh 500 KB text each time, and a 20-character word cut from it (a V8 sliced string of the text).
			const text = `${String(i).padStart(20, "w")} ${base}`;
			const word = text.slice(0, 20);
			memo.get(word, () => i);
		}
		assert.equal(memo.peek(`${"w".repeat(18)}99`), 99);
		const grown = liveHeap() - before;
		// 100 texts of 500 KB: 50 MB if the keys kept them.
		assert.ok(grown < 5 * 2 ** 20, `${(grown / 2 ** 20).toFixed(1)} MB kept`);
	});
});
