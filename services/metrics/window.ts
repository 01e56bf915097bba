import type { RequestRecord } from "../../lib/contracts";
import { addRecord, emptyRollup, hitRate, latencyBucket, PERIODS, ROLLUP_MS, savings, type Rollup } from "./summary";

/**
 * Width of the fine buckets that serve the short windows (1m, 5m). One second keeps a window's edge
 * within a second of the asked one, and the 1m series (2 s a point) and the 5m one (10 s) whole.
 */
export const SECOND_MS = 1_000;
/** Fine buckets kept: the 5m window plus the one in progress and one straddling the start. */
const SECOND_SLOTS = PERIODS["5m"] / SECOND_MS + 2;
/** Minute rollups kept for the long windows: a day and the minute in progress. */
const MINUTE_SLOTS = PERIODS["1d"] / ROLLUP_MS + 2;

/**
 * A fixed ring of rollups, one per bucket of `width` ms: adding a request touches one slot, so the
 * work per request and the memory held do not grow with the requests served (the earlier metrics
 * service kept the raw records and filtered all of them on every request).
 */
export class RollupRing {
	private readonly slots: (Rollup | undefined)[];
	constructor(
		readonly width: number,
		readonly size: number,
	) {
		this.slots = new Array(size);
	}

	/** The slot's rollup for the bucket holding `ts`, recycled when it still holds an older bucket. */
	private slot(ts: number): Rollup {
		const t = Math.floor(ts / this.width) * this.width;
		const i = Math.floor(t / this.width) % this.size;
		let r = this.slots[i];
		if (!r || r.t !== t) {
			r = emptyRollup(t);
			this.slots[i] = r;
		}
		return r;
	}

	/** `saved` and `bucket`: the record's savings and latency bucket, when the caller has them already. */
	add(rec: RequestRecord, saved = savings(rec), bucket = String(latencyBucket(rec.latency_ms))): void {
		addRecord(this.slot(rec.ts), rec, saved, bucket);
	}

	/** Live buckets that overlap [since, now], oldest first. */
	since(since: number, now = Date.now()): Rollup[] {
		const out: Rollup[] = [];
		for (const r of this.slots) if (r && r.t + this.width > since && r.t <= now) out.push(r);
		return out.sort((a, b) => a.t - b.t);
	}

	/** LLM-needing requests and cache hits over the buckets overlapping [since, now], without copying them. */
	cacheCounts(since: number, now = Date.now()): { llm: number; cached: number } {
		let llm = 0;
		let cached = 0;
		for (const r of this.slots) {
			if (r && r.t + this.width > since && r.t <= now) {
				llm += r.llm;
				cached += r.cached;
			}
		}
		return { llm, cached };
	}
}

/** What a metrics node keeps: per-second rollups for 5 minutes and per-minute rollups for a day. */
export class MetricsWindows {
	readonly seconds = new RollupRing(SECOND_MS, SECOND_SLOTS);
	readonly minutes = new RollupRing(ROLLUP_MS, MINUTE_SLOTS);

	/** One record into both rings, its savings and latency bucket computed once for the two. */
	add(rec: RequestRecord, saved = savings(rec)): void {
		const bucket = String(latencyBucket(rec.latency_ms));
		this.seconds.add(rec, saved, bucket);
		this.minutes.add(rec, saved, bucket);
	}

	/** Cache hit rate of the last `windowMs` (at most 5 minutes), as orchestrator_cache_hit_rate reports it. */
	hitRate(windowMs: number, now = Date.now()): number {
		const { llm, cached } = this.seconds.cacheCounts(now - windowMs, now);
		return hitRate({ llm, cached });
	}
}
