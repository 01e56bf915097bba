import { Errors, type BrokerOptions, type ServiceBroker } from "moleculer";
import { ContractValidator } from "./lib/contracts/validator";
import { nodeCacheControl } from "./lib/cache-control";
import { ResilientRedisCacher } from "./lib/redis-cacher";
import { cloneData } from "./lib/clone-data";
import { anyBusRecovering } from "./lib/bus";
import { positiveEnv } from "./lib/env-number";
import { logLevel } from "./lib/log-level";
import { requestDeadlineMs } from "./lib/deadline";
import { longestVendorCallMs } from "./lib/provider-limits";
import type { Config } from "./lib/config";
import BusOutageMiddleware from "./middlewares/bus-outage.middleware";
import CallTriesMiddleware from "./middlewares/call-tries.middleware";
import NoMetricRatesMiddleware from "./middlewares/no-metric-rates.middleware";
import MetricLabelKeysMiddleware from "./middlewares/metric-label-keys.middleware";
import HistogramBucketKeysMiddleware from "./middlewares/histogram-bucket-keys.middleware";
import BoundedQuantilesMiddleware from "./middlewares/bounded-quantiles.middleware";
import { BULKHEAD_QUEUE } from "./lib/action-options";
import NodeHealthMiddleware from "./middlewares/node-health.middleware";
import BusAuthMiddleware from "./middlewares/bus-auth.middleware";
import BusClosedMiddleware from "./middlewares/bus-closed.middleware";
import { useRequestMetrics } from "./middlewares/request-metrics.middleware";
import { useCallTimeout } from "./middlewares/call-timeout.middleware";
import { useContextTracker } from "./middlewares/context-tracker.middleware";
import { uuid } from "./lib/uid";
import { natsConnection } from "./lib/nats-auth";
import { redactedNodeOptions } from "./lib/node-options";
import { redact } from "./lib/errors";

/**
 * CACHER: unset = in-process LRU memory (CACHER_MAX_ENTRIES, default 1000); "redis://host:6379[/db]" = Redis shared by every node, through
 * Moleculer's Redis cacher made outage-tolerant (lib/redis-cacher.ts); any other value is handed
 * to Moleculer as is ("Memory", "MemoryLRU"...). CACHER_PREFIX sets the Redis key prefix, CACHER_TIMEOUT_MS
 * the longest a Redis command may take before the request goes on without it (default 2000).
 */
export function cacherOption(env: NodeJS.ProcessEnv): BrokerOptions["cacher"] {
	const value = env.CACHER?.trim();
	// Both checked whichever cacher is chosen: a bad value is a mistake to say, not one to keep until CACHER changes.
	const maxEntries = positiveEnv(env, "CACHER_MAX_ENTRIES", 1000, { integer: true, unit: "entries" });
	const commandTimeoutMs = positiveEnv(env, "CACHER_TIMEOUT_MS", undefined, { unit: "milliseconds" });
	// Long params (2 MB contexts) are hashed into the key instead of becoming the key.
	const maxParamsLength = 80;
	// clone: handlers may decorate what they get back, which must not alter the cached copy. cloneData copies as
	// `clone: true` (lodash's cloneDeep) does, faster for the plain data cached here (lib/clone-data.ts).
	// LRU-bounded by default: an analysis can hold a multi-MB prompt and a completion lives a day.
	if (!value || value === "MemoryLRU") {
		return { type: "MemoryLRU", options: { max: maxEntries, clone: cloneData, maxParamsLength } };
	}
	if (value === "Memory") return { type: "Memory", options: { clone: cloneData, maxParamsLength } };
	if (/^rediss?:\/\//i.test(value)) {
		return new ResilientRedisCacher({
			redis: value,
			prefix: env.CACHER_PREFIX || undefined,
			maxParamsLength,
			commandTimeoutMs,
		});
	}
	return { type: value, options: { maxParamsLength } };
}

/**
 * TRANSPORTER as Moleculer takes it; a nats:// URL with the client's reconnect wait cut from 2 s to 500 ms, so
 * that after a NATS restart every node is back within half a second of the server (middlewares/bus-outage.middleware.ts
 * holds the requests meanwhile). The client never gives up reconnecting to a server it cannot reach (Moleculer's default for
 * NATS); one that refuses its credentials twice in a row closes it for good (middlewares/bus-closed.middleware.ts).
 * NATS_TOKEN: the token a nats-server with `authorization { token }` requires (k8s/nats.conf); it, or credentials in the
 * URL, reach the client as an authenticator, never as a string in the options (lib/nats-auth.ts). Blank is unset;
 * set with a TRANSPORTER other than nats://, a start-up error. Without TRANSPORTER (one process, no bus) it is not used.
 */
export function transporterOption(env: NodeJS.ProcessEnv): BrokerOptions["transporter"] {
	const url = env.TRANSPORTER?.trim();
	const token = env.NATS_TOKEN?.trim() ? env.NATS_TOKEN : undefined;
	if (!url) return null;
	if (!/^nats:\/\//i.test(url)) {
		if (token) throw new Error(`NATS_TOKEN is for a nats:// TRANSPORTER, not '${redact(url)}'`);
		return url;
	}
	return { type: "NATS", options: { ...natsConnection(url, token), reconnectTimeWait: 500 } };
}

/** A provider's vendor-calling actions (plugins/providers: services named llm-<vendor>). */
const VENDOR_CALL = /^llm-[^.]+\.(complete|stream)$/;
/** A downstream MCP server's tool call (mixins/mcp-client.mixin.ts): it may act, and no ledger tells whether it ran. */
const TOOL_CALL = /^mcp\..+\.callTool$/;

/**
 * Which failed calls Moleculer's retry sends again: the retryable ones (429, 5xx, timeouts, a node gone), except
 * a vendor call the vendor left unanswered past its timeout (PROVIDER_TIMEOUT) or whose node went away while it ran
 * (REQUEST_REJECTED): the vendor may have answered and billed it.
 * With a shared Redis (CACHER=redis://) a `complete` is still retried, since the provider that takes the retry
 * reads in Redis whether the dead node had called the vendor (lib/call-ledger.ts); without one nothing can tell.
 */
export function retryCheck(env: NodeJS.ProcessEnv): (err: Error) => boolean {
	const sharedLedger = /^rediss?:\/\//i.test(env.CACHER?.trim() ?? "");
	return (err: Error) => {
		const e = err as Errors.MoleculerError;
		if (!e?.retryable) return false;
		// The vendor got the request and did not answer in time: it may still answer and bill it, so the same call is
		// not sent there again (the walk falls back to the next vendor); a hung vendor would also hold the caller
		// (1 + retries) x its timeout (issue 15).
		if (e.type === "PROVIDER_TIMEOUT") return false;
		const action = String((e.data as { action?: unknown } | undefined)?.action ?? "");
		// A downstream tool call its caller stopped waiting for, or whose node went away while it ran, may have run
		// (written a file, called a vendor): not sent again (the mixin's own MCP_TIMEOUT and MCP_SERVER_LOST are not
		// retryable either). Nothing like the provider's call ledger can tell, whatever the cacher.
		if ((e.type === "REQUEST_TIMEOUT" || e.type === "REQUEST_REJECTED") && TOOL_CALL.test(action)) return false;
		if (e.type !== "REQUEST_REJECTED") return true;
		if (!VENDOR_CALL.test(action)) return true;
		return sharedLedger && action.endsWith(".complete");
	};
}

/**
 * The broker's `created` option: once every middleware is registered (their `created` hooks run) and before the services'
 * handlers are wrapped, some of Moleculer's per-call hooks are swapped, in place, for ones that do the same with less work
 * per call: Metrics (the same series, labels and keys built once per action and caller; middlewares/request-metrics.middleware.ts),
 * Timeout (the same timeouts and errors with one promise and one timer; middlewares/call-timeout.middleware.ts) and
 * ContextTracker (the same tracked contexts, one promise less; middlewares/context-tracker.middleware.ts).
 */
export function brokerCreated(broker: ServiceBroker): void {
	for (const use of Object.values(LEAN_HOOKS)) use(broker);
	exitOnMetricsPortError(broker);
}

/**
 * Moleculer's Prometheus reporter listens with no 'error' listener: a METRICS_PORT in use crashed the process with
 * Node's stack trace. Said as the gateway says a PORT in use (services/gateway.service.ts), then exit 1.
 */
function exitOnMetricsPortError(broker: ServiceBroker): void {
	const reporters = (broker.metrics as unknown as { reporter?: { server?: import("node:http").Server; opts?: { host?: string; port?: number } }[] })
		?.reporter;
	for (const r of reporters ?? []) {
		r.server?.on("error", (err: NodeJS.ErrnoException) => {
			const where = `${r.opts?.host ?? ""}:${r.opts?.port}`;
			const why =
				err.code === "EADDRINUSE" ? `${where} is already in use; set METRICS_PORT (or METRICS_PORT=off)` : `cannot listen on ${where}: ${err.message}`;
			broker.logger.fatal(`Prometheus metrics: ${why}`);
			process.exit(1);
		});
	}
}

/** The Moleculer middlewares (by name) whose per-call hooks brokerCreated swaps, and what swaps each. */
export const LEAN_HOOKS: Record<string, (broker: ServiceBroker) => void> = {
	Metrics: useRequestMetrics,
	Timeout: useCallTimeout,
	ContextTracker: useContextTracker,
};

/** METRICS_PORT: 9090 when unset, a port number, or `off` (no reporter); anything else a start-up error naming it. */
function metricsPortOf(raw: string | undefined): number {
	const value = raw?.trim();
	if (!value) return 9090;
	const port = Number(value);
	if (value !== "off" && !(Number.isInteger(port) && port >= 0 && port <= 65_535))
		throw new Error(`METRICS_PORT must be a port number (0-65535) or 'off', not '${value}'`);
	return port;
}

/** What a stopping node waits beyond its longest call: for the answer to go back over the bus. */
export const SHUTDOWN_MARGIN_MS = 3_000;

/**
 * How long a stopping node waits for the calls in flight (Moleculer's tracking.shutdownTimeout, per service and for the
 * broker), the streams it relays included (mixins/provider.mixin.ts: a stream stays a call in flight until its last event):
 * SHUTDOWN_TIMEOUT_MS when set, else the longest vendor call (LLM_TIMEOUT_MS or `providers.*.timeout_ms`, plus the
 * retry-after it may wait, as the providers run them) or the longest request (REQUEST_DEADLINE_MS), whichever is longer,
 * plus a margin. At a fixed 10 s, a provider node stopped (a rollout, an HPA scaling down) dropped every call older than
 * that, which its vendor billed, and cut every stream it relayed. A stream still running when the wait ends ends with an
 * error event.
 * k8s/orchestrator-pod.yaml terminationGracePeriodSeconds and compose.yaml stop_grace_period allow for it (test/unit/k8s.spec.ts).
 */
export function shutdownTimeoutMs(env: NodeJS.ProcessEnv, config: Pick<Config, "providers">): number {
	const set = positiveEnv(env, "SHUTDOWN_TIMEOUT_MS", undefined, { unit: "milliseconds" });
	return set ?? Math.max(longestVendorCallMs(config, env), requestDeadlineMs(env)) + SHUTDOWN_MARGIN_MS;
}

/**
 * Broker options shared by every node. Environment overrides make the same code run as one
 * embedded process (no transporter, memory cacher) or as a NATS cluster with a Redis cacher.
 * A function so that tests and the CLI can build options from an explicit environment.
 */
export function brokerOptions(env: NodeJS.ProcessEnv = process.env, config: Pick<Config, "providers"> = { providers: {} }): BrokerOptions {
	const metricsPort = metricsPortOf(env.METRICS_PORT);
	return {
		// Separates clusters sharing one NATS server (tests use a random one per run).
		namespace: env.NAMESPACE ?? "",
		// Unique per process; Moleculer derives hostname-pid when unset.
		nodeID: env.NODE_ID || undefined,
		// Console logger; the stdio MCP command routes console output to stderr.
		logger: { type: "Console", options: { level: logLevel(env), colors: !!process.stdout.isTTY, formatter: "short", objectPrinter: undefined } },
		// Unset: everything in one process. "nats://host:4222": distributed over NATS (NATS_TOKEN: its token).
		transporter: transporterOption(env),
		// Memory cacher by default; "redis://host:6379" for a shared Redis cache (see cacherOption).
		cacher: cacherOption(env),
		// JSON keeps messages readable on the bus and in the REPL, and encodes and decodes the real REQ/RES faster than
		// CBOR, Notepack or MessagePack (README "A bus hop, step by step"). Every node of a cluster must use the same one.
		serializer: "JSON",
		// Default timeout of every broker.call; provider calls override it per call.
		requestTimeout: positiveEnv(env, "REQUEST_TIMEOUT_MS", 30_000, { unit: "milliseconds" }),
		// Moleculer's retry policy: only errors flagged retryable (429, 5xx, timeouts) are retried, except a vendor call
		// that timed out at its vendor or whose node went away while it ran (docs/providers.md, "A vendor call at most once"),
		// and a downstream MCP tool call that timed out or lost its node (docs/mcp-services.md).
		retryPolicy: {
			enabled: true,
			retries: 2,
			delay: 200,
			maxDelay: 2_000,
			factor: 2,
			check: retryCheck(env),
		},
		// Guards against call loops between services.
		maxCallLevel: 50,
		// Node liveness on the transporter. A node that dies without a goodbye (SIGKILL, lost host) is only
		// noticed by missing heartbeats: Moleculer checks every heartbeatTimeout, so it is seen gone after
		// timeout..2 x timeout, and only then are the requests pending on it rejected (retryable: Moleculer's
		// retry moves them to a live node). At 5/15 s that took 16-30 s, past half the 55 s request deadline
		// a first provider candidate gets, so requests in flight on a killed provider node failed although a
		// replica was up (test/integration/faults.spec.ts). 2/8 s: seen gone within 9-16 s, inside that budget.
		heartbeatInterval: positiveEnv(env, "HEARTBEAT_INTERVAL_S", 2, { unit: "seconds" }),
		heartbeatTimeout: positiveEnv(env, "HEARTBEAT_TIMEOUT_S", 8, { unit: "seconds" }),
		// The CLI owns SIGTERM/SIGINT and stops the broker exactly once (bin/cli.ts shutdownOnce).
		skipProcessEventRegistration: true,
		// Lets in-flight requests and relayed streams finish on shutdown, the longest vendor call included (shutdownTimeoutMs).
		tracking: { enabled: true, shutdownTimeout: shutdownTimeoutMs(env, config) },
		// Round-robin over endpoints, local ones first.
		registry: { strategy: "RoundRobin", preferLocal: true },
		// Moleculer's circuit breaker, per endpoint: opens after half the calls in 30 s fail.
		circuitBreaker: {
			enabled: true,
			threshold: 0.5,
			minRequestCount: 4,
			windowTime: 30,
			halfOpenTime: positiveEnv(env, "BREAKER_HALF_OPEN_MS", 10_000, { unit: "milliseconds" }),
			// A client error is an answer (bad input, "no provider serves this model"), even when its
			// code is 5xx: counting it would take a healthy endpoint offline for everyone.
			check: (err: Error) => {
				const e = err as Errors.MoleculerError;
				if (!e || e instanceof Errors.MoleculerClientError) return false;
				// The bus was down, not the endpoint (middlewares/bus-outage.middleware.ts); a timeout while it is down or just
				// back is the bus' too.
				if (e.type === "TRANSPORTER_DOWN" || (e.type === "REQUEST_TIMEOUT" && anyBusRecovering())) return false;
				return e.retryable || (typeof e.code === "number" && e.code >= 500);
			},
		},
		// Moleculer's bulkhead: caps concurrent executions of each action, queues the rest.
		// Actions that wait on a vendor or a tool server take a wider one (lib/action-options.ts waitingBulkhead).
		bulkhead: { enabled: true, concurrency: positiveEnv(env, "BULKHEAD_CONCURRENCY", 32, { integer: true }), maxQueueSize: BULKHEAD_QUEUE },
		// Checks every action's params, errors naming the field: zod for the contracts of lib/contracts/
		// (zodParams), fastest-validator for the rest; a check that throws is a 422, never a bulkhead slot held
		// for good (lib/validator.ts). fastest's own enum message puts the allowed values where the caller's value belongs ("field value '1m, 5m, 1h, 1d' does not match").
		validator: new ContractValidator({ messages: { enumValue: "The '{field}' field must be one of {expected}, not '{actual}'." } }),
		// BusOutage (innermost, so that its re-sends stay one try): rides out a NATS restart, holding calls while the bus is
		// down and sending again, once, those an outage may have dropped. CallTries reports each try of a call (Moleculer's
		// retries included) to callers that ask (models.complete). NoMetricRates: Moleculer's metrics without their per-series
		// rate trackers (middlewares/no-metric-rates.middleware.ts: they kept V8 re-optimising the metric code forever).
		// MetricLabelKeys: each series' key built once, not on every metric update (middlewares/metric-label-keys.middleware.ts).
		// HistogramBucketKeys: a histogram's bucket counts in a typed array behind the same keys, not looked up by bound on every observation (middlewares/histogram-bucket-keys.middleware.ts).
		// BoundedQuantiles: a histogram's last-minute quantile window keeps at most 1,000 values per 6 s, not every one
		// (middlewares/bounded-quantiles.middleware.ts: memory that grew with the request rate).
		// NodeHealth: GET /ready and /live on the Prometheus port, the probes of nodes without the gateway's HTTP server.
		// BusAuth: a nats-server refusing this node's credentials is a start-up error, not a retry every 5 s for ever; an open
		// bus beyond loopback is a warning (middlewares/bus-auth.middleware.ts). BusClosed: a NATS client closed for good after
		// the node joined (nats-server back with another token) is said once, fatal; /live then answers 503 and the CLI exits 1.
		middlewares: [
			BusOutageMiddleware(),
			CallTriesMiddleware(),
			NoMetricRatesMiddleware(),
			MetricLabelKeysMiddleware(),
			HistogramBucketKeysMiddleware(),
			BoundedQuantilesMiddleware(),
			NodeHealthMiddleware(),
			BusAuthMiddleware(),
			BusClosedMiddleware(),
		],
		// Once the middlewares are registered: some of Moleculer's per-call hooks swapped, in place, for leaner ones (brokerCreated).
		created: brokerCreated,
		// Context (and packet) ids: random UUIDs in the format of Moleculer's own (tracing exporters read their hex digits), built as
		// one string rather than out of 20 concatenations (lib/uid.ts).
		uidGenerator: uuid,
		// Moleculer's metrics with its Prometheus reporter (METRICS_PORT=off disables it), on HOST like the gateway:
		// loopback when HOST is unset (Moleculer's reporter would otherwise take every interface).
		metrics: {
			enabled: true,
			reporter:
				env.METRICS_PORT?.trim() === "off"
					? []
					: [
							{
								type: "Prometheus",
								options: {
									port: metricsPort,
									host: env.HOST || "127.0.0.1",
									path: "/metrics",
									defaultLabels: (registry: any) => ({ namespace: registry.broker.namespace, nodeID: registry.broker.nodeID }),
								},
							},
						],
		},
		// Moleculer's $node service on every node, plus clearCache (the REPL's `cache clear` reaches each node's cacher), and
		// its `options` answer without the credentials Moleculer's carried (lib/node-options.ts).
		internalServices: { $node: { actions: { ...nodeCacheControl().actions, options: redactedNodeOptions() } } },
		// Tracing stays off until an exporter is configured.
		tracing: { enabled: false },
	};
}

export default brokerOptions();
