import { Errors, type Middleware, type ServiceBroker } from "moleculer";

/** The limits a request or answer may reach (config.yaml `limits`). */
interface Limits {
	max_body_bytes: number;
	max_context_bytes: number;
}

const TYPE = "BUS_PAYLOAD_TOO_LARGE";

/** The largest message the NATS server takes (its max_payload, from the client's INFO), or undefined on another transporter. */
function maxPayload(broker: ServiceBroker): number | undefined {
	const max = (broker.transit as unknown as { tx?: { client?: { info?: { max_payload?: unknown } } } } | undefined)?.tx?.client?.info?.max_payload;
	return typeof max === "number" && max > 0 ? max : undefined;
}

function tooLarge(bytes: number, max: number): Errors.MoleculerClientError {
	return new Errors.MoleculerClientError(
		`the request or its answer (${bytes} bytes between two nodes) is larger than the message bus takes (NATS max_payload, ${max} bytes): send less, or raise max_payload in nats-server's configuration (k8s/nats.conf sets 16MB)`,
		413,
		TYPE,
		{ bytes, max_payload: max },
	);
}

/**
 * One message on the bus carries a whole request or answer, and NATS refuses one over its max_payload (1 MiB unless
 * configured) while config.yaml's limits let in 8 MiB bodies and 4 MiB tool outputs: such a request failed with a 500
 * `MAX_PAYLOAD_EXCEEDED`, and such an answer never reached its caller, who waited for the deadline. Here a request over
 * it is refused at once with a 413 naming the setting, an answer over it is replaced by that error (its caller hears it
 * at once), and a node whose server takes less than the limits says so when it starts.
 */
export default function BusPayloadMiddleware(limits: Limits): Middleware {
	let broker: ServiceBroker;
	return {
		name: "BusPayload",
		created(b: ServiceBroker) {
			broker = b;
		},
		started() {
			const max = maxPayload(broker);
			const need = Math.max(limits.max_body_bytes, limits.max_context_bytes);
			if (max !== undefined && max < need)
				broker
					.getLogger("bus")
					.warn(
						`NATS takes messages of at most ${max} bytes (max_payload), less than the ${need} bytes a request may carry (limits.max_body_bytes): larger requests and answers between nodes are refused with 413; raise max_payload in nats-server's configuration (k8s/nats.conf sets 16MB)`,
					);
		},
		transporterSend(next: (topic: string, data: Buffer, meta: { packet?: { type?: string; payload?: Record<string, unknown> } }) => Promise<void>) {
			return (topic: string, data: Buffer, meta: { packet?: { type?: string; payload?: Record<string, unknown> } }) => {
				const max = maxPayload(broker);
				if (max === undefined || data.length <= max) return next(topic, data, meta);
				const err = tooLarge(data.length, max);
				const packet = meta?.packet;
				if (packet?.type !== "RES" || !packet.payload) return Promise.reject(err);
				// An answer: its caller gets the error in its place, as Moleculer sends a failed action's (JSON, the cluster's
				// serializer: moleculer.config.ts).
				const { ver, sender, id, meta: ctxMeta } = packet.payload;
				const error = { name: err.name, message: err.message, code: err.code, type: err.type, data: err.data, retryable: false, nodeID: sender };
				const payload = { ver, sender, id, meta: ctxMeta ?? {}, success: false, data: null, error };
				return next(topic, Buffer.from(JSON.stringify(payload)), meta);
			};
		},
	} as unknown as Middleware;
}
