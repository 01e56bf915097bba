import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Middleware, ServiceBroker } from "moleculer";
import { busOf } from "../lib/bus";

interface PrometheusReporter {
	server?: Server;
	handler(req: IncomingMessage, res: ServerResponse): void;
}

/** Why this node cannot serve its part of the cluster now, or null when it can. */
export function notReady(broker: ServiceBroker): string | null {
	const state = broker as unknown as { started?: boolean; stopping?: boolean };
	// Stopping (a rollout, a scale-down): no new work should be sent here while the calls in flight finish.
	if (state.stopping) return "the node is stopping";
	const closed = notLive(broker);
	if (closed) return closed;
	if (!state.started) return "the broker has not started (its transporter not connected yet, or its services still starting)";
	if (broker.transit && !broker.transit.connected) return "not connected to the transporter";
	if (busOf(broker)?.down) return "the transporter (NATS) is unreachable";
	return null;
}

/**
 * Why this node should be restarted, or null while it should not: the NATS client closed for good (a rotated token,
 * middlewares/bus-closed.middleware.ts), after which the node would never rejoin the bus. A transient NATS outage is not
 * one: the client reconnects, and a restart would only add the pod's start-up to the outage.
 */
export function notLive(broker: ServiceBroker): string | null {
	return busOf(broker)?.closed ?? null;
}

/** A probe's answer: 200 with `ok`, or 503 with `status`, the reason and the node. */
function probeAnswer(res: ServerResponse, reason: string | null, status: string, node: string, ok: object): void {
	res.writeHead(reason ? 503 : 200, { "content-type": "application/json" });
	res.end(JSON.stringify(reason ? { status, reason, node } : ok));
}

/**
 * `GET /ready` and `GET /live` on the Prometheus port, for the nodes without the gateway's HTTP server (pipeline,
 * providers, MCP): their probes were a TCP check of that port, which listens before the transporter connects and while
 * it cannot, so a node that never joined the cluster (NATS unreachable, a wrong NAMESPACE) passed as Ready and a rollout
 * replaced working pods with it. `/ready` answers 200 once the broker has started (transporter connected, services
 * started) and while the bus is up, else 503 with the reason; `/live` answers 200 while the process serves, 503 with the
 * reason once the NATS client closed for good (notLive), so that the kubelet restarts a node the CLI did not end (bin/cli.ts).
 * Every other path is the reporter's own (`/metrics`).
 */
export default function NodeHealthMiddleware(): Middleware {
	let broker: ServiceBroker;
	return {
		name: "NodeHealth",
		created(b: ServiceBroker) {
			broker = b;
			const reporters = (b.metrics as unknown as { reporter?: PrometheusReporter[] }).reporter ?? [];
			for (const reporter of reporters) {
				const server = reporter.server;
				if (!server) continue;
				// The reporter answers every request itself (404 off its path): ours are taken first, the rest are its.
				server.removeAllListeners("request");
				server.on("request", (req: IncomingMessage, res: ServerResponse) => {
					const path = req.url?.split("?")[0];
					if (path === "/live") return probeAnswer(res, notLive(broker), "not_live", broker.nodeID, { status: "ok" });
					if (path === "/ready") return probeAnswer(res, notReady(broker), "not_ready", broker.nodeID, { status: "ready", node: broker.nodeID });
					reporter.handler(req, res);
				});
			}
		},
	} as unknown as Middleware;
}
