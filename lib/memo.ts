/**
 * A bounded memo of a pure function: at most `entries` values, the least recently made or used
 * forgotten first, half of them at a time. Two generations (Maps): a value is made into the young one,
 * a hit in the old one is moved back to the young one, and when the young one is full the old one is
 * dropped whole and the young one becomes old.
 *
 * Why not one Map evicting its oldest key (`map.delete(map.keys().next().value)`) on every insert:
 * V8 leaves a deleted entry as a hole until the table is rebuilt, and `keys().next()` walks every hole
 * from the start, so each eviction cost up to the memo's size. A conversation of 200,000 distinct
 * messages made ~600,000 such evictions across the compaction memos: ~5 s of CPU on the event loop,
 * during which /health did not answer. Here an insert is O(1).
 */
export class Memo<K, V> {
	private young = new Map<K, V>();
	private old = new Map<K, V>();
	private readonly half: number;
	constructor(entries: number) {
		this.half = Math.max(1, Math.floor(entries / 2));
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
		if (this.young.size >= this.half) {
			this.old = this.young;
			this.young = new Map();
		}
		this.young.set(key, value);
	}
	get size(): number {
		return this.young.size + this.old.size;
	}
}
