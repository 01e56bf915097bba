import { Transporters, type Middleware, type ServiceBroker } from "moleculer";
import { redact } from "../lib/errors";

/** The NATS client's answer to credentials the server does not take, or to none where it requires some. */
export function isAuthRefusal(err: unknown): boolean {
	const e = err as { code?: unknown; message?: unknown } | null | undefined;
	return e?.code === "AUTHORIZATION_VIOLATION" || /authorization violation/i.test(String(e?.message ?? ""));
}

/** Where the secret is set, for the messages below (and middlewares/bus-closed.middleware.ts). */
export const NATS_TOKEN_WHERE = "NATS_TOKEN (k8s: Secret orchestrator-nats-token from k8s/nats-token.env; compose: NATS_TOKEN in its shell or .env)";

/** host:port of a NATS server on this machine: an open bus there is a developer's, reachable by nothing else. */
const LOOPBACK = /^(127\.[\d.]+|localhost|\[::1\]|::1)(:\d+)?$/i;

export interface NatsTx {
	opts?: { url?: string; authenticator?: unknown };
	client?: { info?: { auth_required?: boolean }; getServer?(): string };
}

/**
 * A nats-server that refuses this node's credentials (or its lack of them) is a start-up error naming the cause: Moleculer's
 * transit retried it every 5 s for ever, logging "Connection is failed. 'Authorization Violation'", so the node never
 * started nor stopped. And a node that joined a bus open to anyone beyond this machine says so once, loudly: any process
 * that reaches that server can join the cluster and call every action (k8s/nats.conf requires the token once it is set).
 */
export default function BusAuthMiddleware(): Middleware {
	return {
		name: "BusAuth",
		starting(broker: ServiceBroker) {
			const transit = broker.transit as unknown as { connect(): Promise<void>; disconnecting: boolean; tx: NatsTx } | undefined;
			if (!transit || !(transit.tx instanceof Transporters.NATS)) return;
			const connect = transit.connect.bind(transit);
			transit.connect = () =>
				new Promise<void>((resolve, reject) => {
					const refused = ({ error }: { error?: unknown }) => {
						if (!isAuthRefusal(error)) return;
						broker.localBus.off("$transporter.error", refused);
						// Read by the transit's retry: no second try in 5 s.
						transit.disconnecting = true;
						const at = redact(transit.tx.opts?.url ?? "the NATS server");
						const why = transit.tx.opts?.authenticator
							? `${at} refused this node's credentials (Authorization Violation): set ${NATS_TOKEN_WHERE} to the token nats-server requires`
							: `${at} requires authentication and this node has none (Authorization Violation): set ${NATS_TOKEN_WHERE}`;
						reject(new Error(`NATS: ${why}`));
					};
					broker.localBus.on("$transporter.error", refused);
					connect().then(() => {
						broker.localBus.off("$transporter.error", refused);
						resolve();
					}, reject);
				});
		},
		started(broker: ServiceBroker) {
			const tx = broker.transit?.tx as unknown as NatsTx | undefined;
			if (!(tx instanceof Transporters.NATS) || !tx.client?.info || tx.client.info.auth_required) return;
			const server = tx.client.getServer?.() ?? "";
			if (LOOPBACK.test(server)) return;
			broker
				.getLogger("bus")
				.warn(
					`the NATS server at ${redact(server)} requires no authentication: any process that reaches it can join this cluster and call every action. Set ${NATS_TOKEN_WHERE} on nats-server and every node`,
				);
		},
	} as unknown as Middleware;
}
