import { Errors, type ActionHandler, type ActionSchema, type Context, type Middleware, type ServiceBroker } from "moleculer";
import { BusDownError, busOf, trackBus, type BusWatch } from "../lib/bus";
import { remainingMs } from "../lib/deadline";

/** A remote call waiting for its answer. */
interface Pending {
	nodeID: string;
	/** The bus went down after it was sent (or before it could be): its request or its answer may be lost. */
	interrupted: boolean;
	/** It went out at least once. */
	sent: boolean;
	/** Sends it (again), same context id: the receiver answers a repeat from what it has (see `received`). */
	send: () => void;
	/** Gives up with a BusDownError shortly before the call's own timeout, if the bus is still in the way then. */
	guard: () => void;
}

/** A request this node received from a remote caller: its answer, kept a little while for a repeat of it. */
interface Received {
	answer: Promise<unknown>;
	/** When it was answered (epoch ms); 0 while running. */
	doneAt: number;
}

const isStream = (v: unknown): boolean => typeof (v as { pipe?: unknown } | null)?.pipe === "function";

/**
 * How long before the call's own timeout a call the bus holds gives up with its own, clearer error. Generous: the
 * caller's own timer (the model walk's `within`) may have started a little before the context's.
 */
const GUARD_MS = 250;

/**
 * Rides out a restart of the message bus (NATS) without losing a request or answering one twice.
 *
 * Moleculer 0.14 follows reconnections of the NATS v1 client only: with the v2 client its transporter
 * keeps sending while the server is away (the client drops those messages), keeps checking remote
 * heartbeats that cannot arrive (after heartbeatTimeout every remote node is dropped), and sends no
 * INFO when the client is back. This middleware gives the v2 client the v1 behaviour: on the client's
 * `disconnect` it pauses the heartbeat checks as Moleculer does on `$transporter.disconnected`, on its
 * `reconnect` it runs Moleculer's own reconnect path (`onConnected(true)`: INFO, DISCOVER, heartbeats).
 *
 * Then, per remote call:
 * - sent while the bus is down, it is held until the bus is back, within what is left of its timeout;
 * - in flight when the bus went down, it is sent again with the same context id once its node is heard
 *   from after the reconnection (its heartbeat, INFO or any packet), since the request or the answer may
 *   have been dropped;
 * - the receiving node answers a repeat of a request it already has (same sender and context id) with
 *   that request's answer, running or done, never by running the action a second time: a provider call
 *   reaches its vendor once.
 * A call the bus still holds when its time is up fails with a 503 TRANSPORTER_DOWN just before Moleculer's
 * timeout would, an error the circuit breaker does not count against the endpoint (moleculer.config.ts).
 */
export default function BusOutageMiddleware(): Middleware {
	let broker: ServiceBroker;
	let watch: BusWatch | undefined;
	const pending = new Map<string, Pending>();
	/** Interrupted calls, by the node they wait for. */
	const waiting = new Map<string, Set<Pending>>();
	const received = new Map<string, Received>();
	let prunedAt = 0;

	function interrupt(p: Pending) {
		if (p.interrupted) return;
		p.interrupted = true;
		let set = waiting.get(p.nodeID);
		if (!set) waiting.set(p.nodeID, (set = new Set()));
		set.add(p);
		p.guard();
	}

	/** A packet came from `nodeID` while the bus is up: it is reachable again, so what waits for it is sent again. */
	function heardFrom(nodeID: string) {
		const set = waiting.get(nodeID);
		if (!set || watch?.down) return;
		waiting.delete(nodeID);
		for (const p of set) {
			p.interrupted = false;
			watch!.resent++;
			p.send();
		}
	}

	function onDown() {
		for (const p of pending.values()) interrupt(p);
		// What Moleculer does on $transporter.disconnected: silence from the other nodes says nothing about them now.
		(broker.registry as any).discoverer?.stopHeartbeatTimers?.();
		const tx = (broker.transit as any)?.tx;
		if (tx) tx.connected = false;
	}

	function onUp() {
		// The other nodes' silence while this one was away says nothing about them: each gets a full heartbeatTimeout
		// from now to be heard, as after a first connection, instead of being dropped for the gap (nodes reconnect one by one).
		const uptime = Math.round(process.uptime());
		for (const node of (broker.registry as any).nodes?.toArray?.() ?? []) if (!node.local && node.available) node.lastHeartbeatTime = uptime;
		const tx = (broker.transit as any)?.tx;
		// Moleculer's reconnect path (what its NATS v1 code runs): INFO and DISCOVER to every node, heartbeat timers again.
		tx?.onConnected?.(true)?.catch?.((err: Error) => broker.logger.warn(`after the bus reconnection: ${err.message}`));
		// Ask the nodes calls wait for: their PONG (or INFO) says they are back.
		for (const nodeID of waiting.keys()) (broker.transit as any)?.sendPing?.(nodeID)?.catch?.(() => {});
	}

	/** Follows the NATS v2 client's own status (Moleculer only logs it). */
	function follow(client: any) {
		if (typeof client?.status !== "function") return;
		void (async () => {
			for await (const s of client.status()) {
				if (s.type === "disconnect") watch?.markDown();
				else if (s.type === "reconnect") watch?.markUp();
			}
		})().catch(() => {});
	}

	/** Caller side: hold, track and, after an outage, send again. */
	function remote(handler: ActionHandler, action: ActionSchema) {
		const name = String(action.name);
		return function busOutage(ctx: Context) {
			if (!watch) return handler(ctx);
			return new broker.Promise((resolve, reject) => {
				let settled = false;
				let timer: NodeJS.Timeout | undefined;
				const finish = (fn: (v: any) => void, v: unknown) => {
					if (settled) return;
					settled = true;
					clearTimeout(timer);
					pending.delete(ctx.id);
					waiting.get(p.nodeID)?.delete(p);
					fn(v);
				};
				const p: Pending = {
					nodeID: ctx.nodeID ?? "",
					interrupted: false,
					sent: false,
					send: () => {
						p.sent = true;
						return (handler(ctx) as Promise<unknown>).then(
							v => finish(resolve, v),
							e => finish(reject, e),
						);
					},
					guard: () => {
						const left = remainingMs(ctx);
						if (timer || !Number.isFinite(left)) return;
						timer = setTimeout(
							() => {
								if (p.interrupted) finish(reject, new BusDownError(name, ctx.options?.timeout ?? left, p.sent));
							},
							// Never at once: a short call still waits most of its time for the bus (and a caller asking again is not spun).
							Math.max(left - GUARD_MS, left * 0.8, 0),
						);
					},
				};
				pending.set(ctx.id, p);
				// Down now: sent once the bus is back and the node heard from (interrupt() queues it).
				if (watch!.down) interrupt(p);
				else p.send();
			});
		};
	}

	/** Receiver side: a repeat of a request this node has (same sender, same context id) gets that request's answer. */
	function local(handler: ActionHandler) {
		return function busOutageRepeat(ctx: Context) {
			if (!watch || !ctx.nodeID || ctx.nodeID === broker.nodeID) return handler(ctx);
			const key = `${ctx.nodeID}\u0000${ctx.id}`;
			const seen = received.get(key);
			// A stream is read once: its repeat is told so (the model walk treats it as the provider's failure).
			if (seen) watch.repeats++;
			if (seen)
				return seen.answer.then(v => {
					if (isStream(v)) throw new Errors.MoleculerError(`${ctx.action?.name}: a streamed answer cannot be sent twice`, 502, "STREAM_REPEAT");
					return v;
				});
			prune();
			const answer = handler(ctx) as Promise<unknown>;
			const entry: Received = { answer, doneAt: 0 };
			received.set(key, entry);
			answer.then(
				v => (isStream(v) ? received.delete(key) : (entry.doneAt = Date.now())),
				() => (entry.doneAt = Date.now()),
			);
			return answer;
		};
	}

	/**
	 * Forgets answers older than the settle time (a repeat comes within it of the reconnection); keeps them all
	 * while the bus is recovering. At most once a second.
	 */
	function prune() {
		const now = Date.now();
		if (now - prunedAt < 1_000 || !watch || watch.recovering(now)) return;
		prunedAt = now;
		for (const [key, r] of received) if (r.doneAt && now - r.doneAt > watch.settleMs) received.delete(key);
	}

	return {
		name: "BusOutage",
		created(b: ServiceBroker) {
			broker = b;
			watch = busOf(b);
			watch?.on("down", onDown);
			watch?.on("up", onUp);
		},
		started() {
			if (watch) trackBus(watch, true);
			follow((broker.transit as any)?.tx?.client);
		},
		stopped() {
			if (watch) trackBus(watch, false);
		},
		transitMessageHandler(next: (cmd: string, packet: any) => unknown) {
			return (cmd: string, packet: any) => {
				const handled = next(cmd, packet);
				const sender = waiting.size ? packet?.payload?.sender : undefined;
				// After the packet has done its work: when it is the answer a call waits for, that call is settled, not sent again.
				if (sender) setImmediate(() => heardFrom(sender));
				return handled;
			};
		},
		remoteAction: remote,
		localAction: local,
	} as unknown as Middleware;
}
