import { Cachers, type ServiceBroker } from "moleculer";
import { errorMessage } from "./errors";

/** ioredis connection options parsed from a redis:// or rediss:// URL. */
export function redisOptionsFromUrl(url: string): Record<string, unknown> {
	const u = new URL(url);
	const db = Number(u.pathname.replace(/^\//, "") || 0);
	return {
		host: u.hostname || "127.0.0.1",
		port: Number(u.port || 6379),
		...(u.username ? { username: decodeURIComponent(u.username) } : {}),
		...(u.password ? { password: decodeURIComponent(u.password) } : {}),
		...(Number.isInteger(db) && db > 0 ? { db } : {}),
		...(u.protocol === "rediss:" ? { tls: {} } : {}),
	};
}

export interface ResilientRedisOptions {
	/** redis:// URL, or ioredis options. */
	redis: string | Record<string, unknown>;
	prefix?: string;
	maxParamsLength?: number;
	/** Longest a cache read or write may take before the request goes on uncached. */
	commandTimeoutMs?: number;
}

/**
 * Moleculer's Redis cacher, made to survive Redis going away.
 *
 * Why a subclass and not configuration alone: Moleculer 0.14's RedisCacher logs every ioredis
 * `error` event (one per reconnect attempt, i.e. a flood while Redis is down), and its cache
 * middleware fires `set()` without a catch, so a failed write while Redis drops becomes an
 * unhandled rejection. The ioredis options below make commands fail fast instead of queueing
 * behind a dead connection (`enableOfflineQueue: false`, `maxRetriesPerRequest: 0`,
 * `commandTimeout`) and keep reconnecting forever; this class turns those failures into cache
 * misses, keeps Moleculer's `connected` flag right (its middleware skips the cache while it is
 * false), and logs one warning when Redis goes and one line when it comes back.
 */
export class ResilientRedisCacher extends Cachers.Redis {
	/** null until the first connection attempt settles; then whether Redis answers. */
	private healthy: boolean | null = null;
	private closing = false;
	private probe?: NodeJS.Timeout;

	constructor(opts: ResilientRedisOptions) {
		const base = typeof opts.redis === "string" ? redisOptionsFromUrl(opts.redis) : opts.redis;
		super({
			prefix: opts.prefix,
			maxParamsLength: opts.maxParamsLength,
			// redlock is not installed; Moleculer's cache lock stays off.
			redlock: false,
			redis: {
				...base,
				enableOfflineQueue: false,
				maxRetriesPerRequest: 0,
				commandTimeout: opts.commandTimeoutMs ?? 2000,
				connectTimeout: 2000,
				// Reconnect forever, at most every 2 s, so the cache comes back on its own.
				retryStrategy: (times: number) => Math.min(times * 100, 2000),
			},
		} as any);
	}

	init(broker: ServiceBroker) {
		super.init(broker);
		const client = (this as any).client as import("ioredis").default;
		// Replaces Moleculer's per-event error logger with the one-warning state machine below.
		client.removeAllListeners("error");
		client.on("error", (err: Error) => this.markDown(err));
		client.on("close", () => this.markDown());
		client.on("ready", () => this.markUp());
	}

	/** True while Redis answers; what the tests and /health can read. */
	get available(): boolean {
		return this.healthy === true;
	}

	private markDown(err?: Error) {
		(this as any).connected = false;
		if (this.closing) return;
		const client = (this as any).client as import("ioredis").default;
		// A Redis that keeps the socket open but stops answering (command timeouts) never triggers
		// ioredis' reconnect and its "ready" event, so a PING probe tells when it answers again.
		if (client.status === "ready" && !this.probe) {
			this.probe = setInterval(
				() =>
					client.ping().then(
						() => this.markUp(),
						() => undefined,
					),
				1000,
			);
			this.probe.unref();
		}
		if (this.healthy === false) return;
		this.healthy = false;
		(this as any).logger?.warn(`Redis cache unreachable${err ? ` (${errorMessage(err)})` : ""}: requests go on uncached until it is back`);
	}

	private markUp() {
		clearInterval(this.probe);
		this.probe = undefined;
		const wasDown = this.healthy === false;
		this.healthy = true;
		(this as any).connected = true;
		if (wasDown) (this as any).logger?.info("Redis cache reachable again: caching resumed");
	}

	/** Runs a cache command; a failure counts as Redis being down and the caller gets `fallback`. */
	private guard<T>(op: () => Promise<T>, fallback: T): Promise<T> {
		if ((this as any).connected === false) return Promise.resolve(fallback);
		let p: Promise<T>;
		try {
			p = op();
		} catch (err) {
			this.markDown(err as Error);
			return Promise.resolve(fallback);
		}
		return p.catch((err: Error) => {
			this.markDown(err);
			return fallback;
		});
	}

	get(key: string) {
		return this.guard(() => super.get(key), null);
	}

	getWithTTL(key: string) {
		return this.guard(() => super.getWithTTL(key), { data: null, ttl: null } as any);
	}

	set(key: string, data: any, ttl?: number) {
		return this.guard(() => super.set(key, data, ttl), null);
	}

	del(key: string | string[]) {
		return this.guard(() => super.del(key), null);
	}

	clean(match?: string | string[]) {
		return this.guard(() => super.clean(match), null);
	}

	/**
	 * Writes `value` (JSON) at `key` unless the key holds something already, atomically (SET NX PX): what two
	 * nodes racing for one job need. `{ claimed: true }`, or `{ claimed: false, current }` with what the key
	 * holds; null while Redis does not answer. Outside Moleculer's cache keys (own `prefix` + `key`).
	 */
	claim(key: string, value: unknown, ttlMs: number): Promise<{ claimed: true } | { claimed: false; current: unknown } | null> {
		const client = (this as any).client as import("ioredis").default;
		const full = `${(this as any).prefix}${key}`;
		return this.guard(async () => {
			const ok = await client.set(full, JSON.stringify(value), "PX", Math.max(1, Math.round(ttlMs)), "NX");
			if (ok === "OK") return { claimed: true as const };
			const raw = await client.get(full);
			return { claimed: false as const, current: raw === null ? null : JSON.parse(raw) };
		}, null);
	}

	/** Reads what `claim` wrote (null when absent or Redis does not answer). */
	peek(key: string): Promise<unknown> {
		const client = (this as any).client as import("ioredis").default;
		return this.guard(async () => {
			const raw = await client.get(`${(this as any).prefix}${key}`);
			return raw === null ? null : JSON.parse(raw);
		}, null);
	}

	/** Overwrites (or, with `undefined`, deletes) what `claim` wrote. */
	record(key: string, value: unknown, ttlMs: number): Promise<unknown> {
		const client = (this as any).client as import("ioredis").default;
		const full = `${(this as any).prefix}${key}`;
		return this.guard<unknown>(
			() => (value === undefined ? client.del(full) : client.set(full, JSON.stringify(value), "PX", Math.max(1, Math.round(ttlMs)))),
			null,
		);
	}

	/** QUIT needs a live connection; a cacher whose Redis is gone just drops the socket. */
	async close() {
		this.closing = true;
		clearInterval(this.probe);
		const client = (this as any).client as import("ioredis").default | undefined;
		if (client && client.status !== "ready") {
			client.disconnect();
			return;
		}
		try {
			await super.close();
		} catch {
			client?.disconnect();
		}
	}
}
