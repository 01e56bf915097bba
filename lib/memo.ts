/** The characters a string key and a string value hold (a value that is its key, once); other values count nothing. */
function stringChars(key: unknown, value: unknown): number {
	return (typeof key === "string" ? key.length : 0) + (typeof value === "string" && value !== key ? value.length : 0);
}

/**
 * A copy of `s` that holds nothing else. A substring of a longer text (what `match`, `slice` and `replace`'s callback
 * hand out, 13 characters or more) is a V8 sliced string that keeps its whole parent alive: a 20-character word kept as
 * a key kept the whole request, or the whole 2 MB file, it was cut from. Exact for any UTF-16 (lone surrogates too).
 */
export function ownString(s: string): string {
	return s.length < 13 ? s : Buffer.from(s, "utf16le").toString("utf16le");
}

export interface MemoOptions<K, V> {
	/** Characters the memo may hold (default: no bound but the entries). */
	chars?: number;
	/** What an entry holds, in characters: by default its string key's and string value's (a value that is its key, once). */
	weigh?: (key: K, value: V) => number;
	/** Keep a string key as an own copy (ownString): for keys cut from a longer text, which would keep it alive. */
	ownKeys?: boolean;
}

/**
 * A bounded memo of a pure function: at most `entries` values, and at most `chars` characters of string keys and
 * values, the least recently made or used forgotten first, half of them at a time. Two generations (Maps): a value is
 * made into the young one, a hit in the old one is moved back to the young one, and when the young one is full (half
 * the entries, or half the characters) the old one is dropped whole and the young one becomes old. A value whose key
 * and value alone weigh more than half the characters is made and not remembered.
 *
 * Why not one Map evicting its oldest key (`map.delete(map.keys().next().value)`) on every insert:
 * V8 leaves a deleted entry as a hole until the table is rebuilt, and `keys().next()` walks every hole
 * from the start, so each eviction cost up to the memo's size. A conversation of 200,000 distinct
 * messages made ~600,000 such evictions across the compaction memos: ~5 s of CPU on the event loop,
 * during which /health did not answer. Here an insert is O(1).
 *
 * Why characters too: a memo keyed by what callers send holds their text. Bounded by entries alone, the compaction
 * memos (20,000 message texts each) grew the heap by ~100 KB per /v1 call carrying a new 100 KB tool output, linearly,
 * towards gigabytes (1,500 such calls: heap used 129 → 279 MB, against 129 → 129 with compaction off).
 */
export class Memo<K, V> {
	private young = new Map<K, V>();
	private old = new Map<K, V>();
	private youngChars = 0;
	private oldChars = 0;
	private readonly half: number;
	private readonly halfChars: number;
	private readonly weigh: (key: K, value: V) => number;
	private readonly ownKeys: boolean;
	constructor(entries: number, opts: MemoOptions<K, V> = {}) {
		this.half = Math.max(1, Math.floor(entries / 2));
		this.halfChars = (opts.chars ?? Infinity) / 2;
		this.weigh = opts.weigh ?? stringChars;
		this.ownKeys = opts.ownKeys ?? false;
	}
	/** The value remembered for `key`, or undefined. */
	peek(key: K): V | undefined {
		return this.young.get(key) ?? this.old.get(key);
	}
	/** The value remembered for `key`, or undefined; a hit counts as a use (it is kept as the newest). */
	find(key: K): V | undefined {
		const v = this.young.get(key);
		if (v !== undefined) return v;
		const kept = this.old.get(key);
		if (kept !== undefined) this.set(key, kept);
		return kept;
	}
	/** The value for `key`: remembered, or made by `make` and remembered. */
	get(key: K, make: () => V): V {
		let v = this.young.get(key);
		if (v !== undefined) return v;
		v = this.old.get(key);
		if (v === undefined) v = make();
		this.set(key, v);
		return v;
	}
	set(key: K, value: V): void {
		const chars = this.weigh(key, value);
		if (chars > this.halfChars) return;
		if (this.young.size >= this.half || this.youngChars + chars > this.halfChars) {
			this.old = this.young;
			this.oldChars = this.youngChars;
			this.young = new Map();
			this.youngChars = 0;
		}
		this.young.set(this.ownKeys && typeof key === "string" ? (ownString(key) as K) : key, value);
		this.youngChars += chars;
	}
	/**
	 * `chars` more held by the entry just got (a value that grows after it was remembered, such as a map of results filled
	 * in later): counted in the young generation, where that entry is.
	 */
	grow(chars: number): void {
		this.youngChars += chars;
	}
	get size(): number {
		return this.young.size + this.old.size;
	}
	/** Characters of the string keys and values remembered (an entry in both generations counted twice). */
	get chars(): number {
		return this.youngChars + this.oldChars;
	}
}
