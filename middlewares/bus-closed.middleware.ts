import { Transporters, type Middleware, type ServiceBroker } from "moleculer";
import { busOf } from "../lib/bus";
import { redact } from "../lib/errors";
import { isAuthRefusal, NATS_TOKEN_WHERE, type NatsTx } from "./bus-auth.middleware";

/** The NATS v2 client as far as this middleware reads it: `closed()` resolves once it is closed for good, with the error that closed it. */
interface ClosingClient {
	closed(): Promise<void | Error>;
}

/**
 * What a log line and /live say when the NATS client closed for good: why (the error it closed with), where, and, for a
 * refusal of the credentials, what to set. Never the token: `err` is the client's (its code and message), the URL the
 * options' (credentials apart, lib/nats-auth.ts), and both are redacted on top.
 */
export function closedReason(err: unknown, tx: NatsTx | undefined): string {
	const at = redact(tx?.opts?.url ?? "the NATS server");
	if (isAuthRefusal(err))
		return tx?.opts?.authenticator
			? `NATS: ${at} refused this node's credentials after it had joined (Authorization Violation: its token changed, e.g. the Secret rotated and nats-server restarted), and the NATS client gave up for good: set ${NATS_TOKEN_WHERE} to the token nats-server requires`
			: `NATS: ${at} requires authentication since it restarted and this node has none (Authorization Violation), and the NATS client gave up for good: set ${NATS_TOKEN_WHERE}`;
	const why = err instanceof Error || (err && typeof err === "object" && "message" in err) ? ` (${redact(String((err as Error).message))})` : "";
	return `NATS: the client's connection to ${at} closed for good${why}`;
}

/**
 * The NATS v2 client gives up for good on some failures after the node joined: nats-server back from a restart with
 * another token (the operator rotated orchestrator-nats-token) refuses the node twice in a row, and the client closes.
 * A transient outage is not one of them: the client retries that for ever (maxReconnectAttempts -1, Moleculer's default)
 * and middlewares/bus-outage.middleware.ts rides it out. Moleculer 0.14 only logs the v2 client's close ("NATS
 * connection closed.", at info) where, with the v1 client, it ended the process (`broker.fatal`): the node lived on, off
 * the bus for good, /ready 503 but /live 200, so nothing restarted it.
 *
 * On such a close this says why once (fatal) and marks the bus watch closed: /live and /ready answer 503 naming the cause
 * (middlewares/node-health.middleware.ts), and the CLI stops the node and exits 1 (bin/cli.ts exitWhenBusClosed). A close
 * of the broker's own (broker.stop(): `started` is false from its first moment) is none.
 */
export default function BusClosedMiddleware(): Middleware {
	return {
		name: "BusClosed",
		started(broker: ServiceBroker) {
			const tx = broker.transit?.tx as unknown as (NatsTx & { client?: Partial<ClosingClient> }) | undefined;
			const watch = busOf(broker);
			if (!(tx instanceof Transporters.NATS) || typeof tx.client?.closed !== "function" || !watch) return;
			// Resolves at once when it closed while the services started; it is one client for the broker's life.
			void tx.client.closed().then(err => {
				if (!broker.started) return;
				// As Moleculer's own disconnect leaves it: the stop that follows sends nothing and flushes no closed client
				// (that flush failed: CONNECTION_CLOSED and its stack in the log).
				tx.client = undefined;
				const reason = closedReason(err, tx);
				broker.getLogger("bus").fatal(`${reason}. This node is off the bus and will not rejoin it: /live answers 503`);
				watch.markClosed(reason);
			});
		},
	} as unknown as Middleware;
}
