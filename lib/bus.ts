import { EventEmitter } from "node:events";
import { Errors, type ServiceBroker } from "moleculer";

/**
 * Whether this node's transporter (the bus) is connected, as the NATS client itself reports it.
 *
 * Moleculer 0.14 does not follow a NATS v2 client's reconnections: its transporter logs the client's
 * status and leaves `transit.connected` true, and `broker.call` sends on regardless. While the server
 * is away the client drops what is published (it clears its outbound buffer at every dial), so a
 * request sent then, or an answer to one, is lost silently and its caller waits for its timeout.
 * This watch lets the BusOutage middleware hold new requests until the bus is back and send again
 * the ones an outage may have swallowed, and lets the model walk wait for providers to be seen again.
 */
export class BusWatch extends EventEmitter {
	/** True between the client's `disconnect` and its `reconnect`. */
	down = false;
	/** When the bus last came back (epoch ms), 0 if it never went away. */
	upAt = 0;
	/** Outages seen since start. */
	outages = 0;
	/**
	 * Why the NATS client closed its connection for good while the node ran (a permanent refusal after it had joined), or
	 * undefined: it never reconnects after that (middlewares/bus-closed.middleware.ts).
	 */
	closed: string | undefined = undefined;
	/** Remote calls sent (again) once the bus was back, and repeats this node answered from a request it already had. */
	resent = 0;
	repeats = 0;

	/** `settleMs`: after a reconnection, how long remote nodes may take to be seen again (their heartbeat, then their INFO). */
	constructor(readonly settleMs: number) {
		super();
		this.setMaxListeners(0);
	}

	markDown(): void {
		if (this.down) return;
		this.down = true;
		this.outages++;
		this.emit("down");
	}

	markUp(): void {
		if (!this.down) return;
		this.down = false;
		this.upAt = Date.now();
		this.emit("up");
	}

	/** The client gave up for good: down for ever, `reason` said by /live and /ready; emits `closed`. */
	markClosed(reason: string): void {
		if (this.closed) return;
		this.markDown();
		this.closed = reason;
		this.emit("closed", reason);
	}

	/** Down, or back so recently that remote services may not be known again yet. */
	recovering(now = Date.now()): boolean {
		return this.down || (this.upAt > 0 && now - this.upAt < this.settleMs);
	}

	/** Resolves true once the bus is up (at once if it is), false when `ms` passed first. */
	whenUp(ms: number): Promise<boolean> {
		if (!this.down) return Promise.resolve(true);
		if (!(ms > 0)) return Promise.resolve(false);
		return new Promise(resolve => {
			const done = (up: boolean) => {
				clearTimeout(timer);
				this.off("up", onUp);
				resolve(up);
			};
			const onUp = () => done(true);
			const timer = setTimeout(() => done(false), ms);
			this.once("up", onUp);
		});
	}
}

const watches = new WeakMap<ServiceBroker, BusWatch>();
/** The watches of this process's running brokers (one in production; a test may run several). */
const running = new Set<BusWatch>();

/**
 * Whether a bus of this process is down or just back: a timeout then says nothing about the endpoint called, so
 * the circuit breaker does not count it (moleculer.config.ts). Its check sees the error only, not the broker.
 */
export function anyBusRecovering(): boolean {
	for (const w of running) if (w.recovering()) return true;
	return false;
}

/** Counts the broker's watch in anyBusRecovering while it runs. */
export function trackBus(watch: BusWatch, on: boolean): void {
	if (on) running.add(watch);
	else running.delete(watch);
}

/** The broker's bus watch, created on first use; undefined for a broker without a transporter (one process has no bus to lose). */
export function busOf(broker: ServiceBroker): BusWatch | undefined {
	if (!broker.transit) return undefined;
	let watch = watches.get(broker);
	if (!watch) {
		const opts = broker.options;
		// A remote node's heartbeat comes within one interval of the reconnection, its INFO one round trip later.
		const settleMs = 2 * (opts.heartbeatInterval ?? 5) * 1000 + 1000;
		watch = new BusWatch(settleMs);
		watches.set(broker, watch);
	}
	return watch;
}

/**
 * The bus stayed down through what was left of the call's time: a 503 naming the cause, never counted against
 * the provider. `sent`: the request had gone out before the bus went down, so its receiver may have run it.
 */
export class BusDownError extends Errors.MoleculerError {
	constructor(action: string, ms: number, sent: boolean) {
		super(`${action}: the message bus (TRANSPORTER) was unreachable for the ${Math.round(ms)} ms the call had left`, 503, "TRANSPORTER_DOWN", {
			reason: "unavailable",
			action,
			sent,
		});
	}
}

/**
 * Calls `leave` when the node `nodeID` leaves the cluster (its goodbye, or missed heartbeats): Moleculer settles a call, not
 * the stream it returned, so a reader of a remote node's stream watches that node. Returns what ends the watch; for no
 * node, or this one (a local stream ends with its service), there is nothing to watch.
 */
export function watchNodeLeaving(broker: ServiceBroker, nodeID: string | undefined, leave: () => void): () => void {
	if (!nodeID || nodeID === broker.nodeID) return () => {};
	const left = ({ node }: { node: { id: string } }) => {
		if (node.id === nodeID) leave();
	};
	broker.localBus.on("$node.disconnected", left);
	return () => broker.localBus.off("$node.disconnected", left);
}
