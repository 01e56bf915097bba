import type { Readable } from "node:stream";
import type { Context, LoggerInstance, ServiceBroker } from "moleculer";
import { trackUntilClosed } from "../middlewares/context-tracker.middleware";

/** How long a stopping node waits for the error events that end its last streams to be read, before it leaves the bus. */
const CUT_FLUSH_MS = 2_000;

/**
 * The streams a node relays now (a provider's from its vendor, the models walk's from a provider), each with what ends it
 * with an error event. Each is a call in flight until it closes (trackUntilClosed): a stopping node waits for it as for an
 * unstreamed call, up to its shutdown wait (SHUTDOWN_TIMEOUT_MS), and keeps the transporter open meanwhile; whatever still
 * runs when that wait is over is ended by endAll, never cut without a word.
 */
export class OpenStreams {
	private readonly open = new Map<Readable, () => void>();

	add(ctx: Context, out: Readable, cut: () => void): void {
		trackUntilClosed(ctx, out);
		this.open.set(out, cut);
		out.once("close", () => this.open.delete(out));
	}

	/**
	 * Ends every stream still open with its error event; resolves once those events are handed on (each stream's `close`),
	 * at most CUT_FLUSH_MS later, so they go out before the node says goodbye; says how many on `logger`.
	 */
	async endAll(logger: LoggerInstance): Promise<void> {
		const open = [...this.open];
		if (!open.length) return;
		logger.warn(`${open.length} stream(s) still running at the end of the shutdown wait: each ends with an error event`);
		await Promise.all(
			open.map(([out, cut]) => {
				const closed = new Promise<void>(resolve => {
					const timer = setTimeout(resolve, CUT_FLUSH_MS);
					out.once("close", () => {
						clearTimeout(timer);
						resolve();
					});
				});
				cut();
				return closed;
			}),
		);
	}
}

/** The message of the error event that ends a stream still running when its stopping node's shutdown wait is over. */
export function shutdownCutMessage(who: string, broker: ServiceBroker): string {
	const waitedMs = broker.options.tracking?.shutdownTimeout ?? 0;
	return `${who}: its node ${broker.nodeID} is shutting down and had waited ${waitedMs} ms (SHUTDOWN_TIMEOUT_MS) for this stream; the answer was cut before its end`;
}
