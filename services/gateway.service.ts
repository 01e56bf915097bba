import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { Errors, type ServiceBroker, type ServiceSchema } from "moleculer";
import ApiGateway from "moleculer-web";
import { errorMessage, errorStatus, loggableUrl } from "../lib/errors";
import { mcpJsonBody, methodsServed, preflightOnly, restJsonBody, sendJsonRpcError, sendJsonText } from "../lib/json-body";
import { actionAvailable, liveServices, type McpMetadata, type ProviderMetadata } from "../lib/registry";
import type { ServiceFactoryContext } from "../lib/runner";
import { leavesNoState, McpServerPool, type CallerMeta } from "./gateway/tools";
import { keyTable, openGatewayWarning } from "../lib/auth/keys";
import { allowedOrigins, authenticateWith } from "./gateway/auth";
import { mirrorRequestId, requestIdMiddleware, setRetryAfter, v1Aliases } from "./gateway/v1/routes";
import { requestDeadlineMs } from "../lib/deadline";
import { ApiError, apiFormatOf, errorBody } from "./gateway/v1/api-error";
import { apiErrorOf } from "./gateway/v1/answer";
import { checkingInterval } from "./gateway/server-timeouts";
import { portEnv } from "../lib/env-number";
import { LOG_LEVELS, logLevel } from "../lib/log-level";

/** Actions the pipeline needs somewhere in the cluster before the gateway reports ready. */
const PIPELINE_ACTIONS = [
	"orchestrator.orchestrate",
	"orchestrator.analyze",
	"intent.classify",
	"complexity.analyze",
	"router.route",
	"prompt.optimize",
	"models.select",
	"metrics.get",
];

/** /health and the errors answered outside moleculer-web: with their length, as its own answers are. */
function sendJson(res: ServerResponse, status: number, body: unknown) {
	sendJsonText(res, status, JSON.stringify(body));
}

/** The built-in status page: one self-contained file, read once, no build step and no external assets. */
const STATUS_PAGE = readFileSync(join(__dirname, "gateway", "status-page.html"));

function statusPageAlias(_req: IncomingMessage, res: ServerResponse) {
	res.setHeader("Content-Type", "text/html; charset=utf-8");
	// Inline script and styles only; the page talks to this origin alone.
	res.setHeader(
		"Content-Security-Policy",
		"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:",
	);
	res.setHeader("Cache-Control", "no-cache");
	res.writeHead(200);
	res.end(STATUS_PAGE);
}

function mcpAlias(this: any, req: IncomingMessage, res: ServerResponse) {
	return this.handleMcp(req, res);
}

/**
 * Readiness answered by the gateway itself, not through an action: a `gateway.health` call went through
 * Moleculer's circuit breaker, and probes polling during start-up opened it, so /health answered
 * SERVICE_NOT_AVAILABLE for seconds after the pipeline was up. A registry read cannot trip anything.
 */
function healthAlias(this: any, _req: IncomingMessage, res: ServerResponse) {
	const { status, body } = readiness(this.broker);
	if (status !== 200) this.logger.warn(`GET /health: ${(body.error as { message: string }).message}`);
	sendJson(res, status, body);
}

function readiness(broker: ServiceBroker): { status: number; body: Record<string, unknown> } {
	const missing = PIPELINE_ACTIONS.filter(a => !actionAvailable(broker, a));
	// Which providers and tool servers are live, so an operator sees why requests fail (no key set, no MCP node).
	const providers = liveServices<ProviderMetadata>(broker, "provider").map(p => p.service);
	const tools = liveServices<McpMetadata>(broker, "mcp").map(m => m.service);
	if (missing.length) {
		return {
			status: 503,
			body: { error: { type: "NOT_READY", message: `not ready: unreachable ${missing.join(", ")}` }, missing, providers, tool_servers: tools },
		};
	}
	return { status: 200, body: { status: "ok", nodeID: broker.nodeID, uptime_s: Math.round(process.uptime()), providers, tool_servers: tools } };
}

/**
 * Whether the broker prints info lines, which moleculer-web's per-request lines are ("=> POST /api/orchestrate",
 * "<= 200 POST ..."). moleculer-web builds them (colored status, timing) before the logger drops them: a route
 * whose lines would not be printed turns its logging off rather than build them for nothing.
 */
export function logsRequests(env: NodeJS.ProcessEnv): boolean {
	return LOG_LEVELS.indexOf(logLevel(env)) >= LOG_LEVELS.indexOf("info");
}

/** What moleculer-web adds to a request that its access lines read. */
type RoutedRequest = { originalUrl?: string; $route?: { logging?: boolean }; $startTime?: [number, number] };

/** HTTP entry point: MCP over Streamable HTTP at /mcp, REST under /api, readiness at /health, status page at /. */
export default function gatewayService({ config, env, wanted }: ServiceFactoryContext): ServiceSchema | null {
	// The runner calls every factory on every node: a node that does not host the gateway (llm-*, mcp.*, the REPL) does not
	// have the keys' ${VAR}s in its environment (k8s/: only gateway and pipeline pods get them), and must not read them.
	if (wanted?.("gateway") === false) return null;
	const limits = config.limits;
	const keys = keyTable(config, env);
	const host = env.HOST || "127.0.0.1";
	const origins = allowedOrigins(env);
	// moleculer-web's request and response lines (info), on each route: off when LOGLEVEL would drop them.
	const logging = logsRequests(env);
	return {
		name: "gateway",
		mixins: [ApiGateway],
		settings: {
			// Blank is unset (3000), as for every setting (lib/env-number.ts): `PORT=` listened on a random port.
			port: portEnv(env, "PORT", 3000),
			// Loopback unless told otherwise (the Containerfile and k8s/ set HOST=0.0.0.0).
			ip: host,
			// A request whose body stalls is answered 408 after limits.request_timeout_ms, not after Node's 300 s.
			requestTimeout: limits.request_timeout_ms,
			// CORS only when ALLOWED_ORIGINS names the browser origins that may call.
			...(origins
				? {
						cors: {
							origin: origins,
							methods: ["GET", "POST", "DELETE", "OPTIONS"],
							// No allowedHeaders: the preflight's own list is allowed (moleculer-web reflects it) for the origins named
							// above. The browser SDKs send headers of their own (anthropic-version, the openai and anthropic SDKs'
							// x-stainless-*), which a fixed list refused, and the origin, not a header, is what CORS guards here.
							// The answer's own headers a page may read: the request id and what the orchestrator decided.
							exposedHeaders: [
								"x-request-id",
								"request-id",
								"retry-after",
								"x-should-retry",
								...["intent", "complexity", "route", "cost-usd", "baseline-cost-usd", "overhead-ms", "compaction"].map(
									h => `x-orchestrator-${h}`,
								),
							],
						},
					}
				: {}),
			log4XXResponses: false,
			routes: [
				{
					path: "/api",
					mappingPolicy: "restrict",
					logging,
					authentication: true,
					// Our own edge (lib/json-body.ts): JSON only, size and depth checked before any action runs.
					bodyParsers: false,
					use: [restJsonBody(limits)],
					aliases: {
						"POST orchestrate": "orchestrator.orchestrate",
						"POST analyze": "orchestrator.analyze",
						"GET metrics": "metrics.get",
						"GET spend": "budget.spend",
					},
				},
				{
					// OpenAI- and Anthropic-compatible endpoints (services/gateway/v1).
					path: "/v1",
					mappingPolicy: "restrict",
					logging,
					authentication: true,
					// The same edge as /api: JSON only, size and depth checked before any action runs.
					bodyParsers: false,
					use: [requestIdMiddleware, restJsonBody(limits)],
					aliases: v1Aliases(config, requestDeadlineMs(env)),
				},
				{
					path: "/mcp",
					mappingPolicy: "restrict",
					logging,
					authentication: true,
					bodyParsers: false,
					use: [mcpJsonBody(limits.max_body_bytes)],
					// Served by the MCP SDK's transport, not by an action. Stateless: no GET stream, no session to
					// DELETE; other methods are 405 (onError), which the SDK's client reads as "no SSE stream".
					aliases: { "POST /": mcpAlias },
				},
				{
					path: "/",
					mappingPolicy: "restrict",
					logging,
					// moleculer-web resolves an OPTIONS without Access-Control-Request-Method as a GET: answered here instead.
					use: [preflightOnly("GET, HEAD")],
					// HEAD for monitors and probes: Node sends the headers without the body.
					aliases: { "GET /": statusPageAlias, "HEAD /": statusPageAlias, "GET health": healthAlias, "HEAD health": healthAlias },
				},
			],
			onError(this: any, req: IncomingMessage, res: ServerResponse, error: Error) {
				const path = ((req as { originalUrl?: string }).originalUrl ?? req.url ?? "").split("?")[0];
				const allowed = error instanceof ApiGateway.Errors.NotFoundError ? methodsServed(this.aliases, path) : [];
				let err = error;
				if (allowed.length && !allowed.includes(req.method ?? "")) {
					res.setHeader("Allow", allowed.join(", "));
					// A preflight for a method the path does not serve: answered, nothing run, no CORS headers.
					if (req.method === "OPTIONS") return void res.writeHead(204).end();
					err = new Errors.MoleculerClientError(`${req.method} is not allowed on ${path}: use ${allowed.join(" or ")}`, 405, "METHOD_NOT_ALLOWED");
				}
				const { status, type } = errorStatus(err);
				const message = errorMessage(err);
				if (status >= 500) this.logger.warn(`${req.method} ${loggableUrl(req.url)} failed: ${message}`);
				setRetryAfter(res, err);
				if (status === 401) res.setHeader("WWW-Authenticate", "Bearer");
				// /mcp speaks JSON-RPC even when refused before the MCP server sees the request; /v1 its client's API format.
				const format = apiFormatOf(path, req.headers);
				if (path.startsWith("/mcp")) sendJsonRpcError(res, status, -32001, `${type}: ${message}`);
				else if (format) {
					mirrorRequestId(res);
					// A path /v1 does not serve is named, as OpenAI's "Invalid URL (POST /v1/...)": a client's base URL off by a
					// `/v1` (the Anthropic SDK's takes none) shows in the path.
					const e =
						err instanceof ApiGateway.Errors.NotFoundError
							? new ApiError(
									404,
									`Invalid URL (${req.method} ${path}): /v1 serves chat/completions, responses, messages, messages/count_tokens and models`,
									"not_found",
								)
							: apiErrorOf(err);
					sendJson(res, e.status, errorBody(format, e));
				} else sendJson(res, status, { error: { type, message } });
			},
		},
		actions: {
			// moleculer-web's request handler. Moleculer's retry policy would re-run it on a retryable error
			// (an action with no live node, a timeout) over a request whose body is consumed and whose URL
			// has been rewritten: the retry answered 404 "Not found". The calls it makes are retried themselves.
			// No bulkhead either: it would queue readiness probes and status checks behind slow MCP calls and
			// answer 429 under load. The pipeline actions the gateway calls keep their own bulkheads, so
			// overload is still refused there.
			rest: { retryPolicy: { enabled: false }, bulkhead: { enabled: false } },
			health: {
				bulkhead: { enabled: false },
				// For the REPL and other nodes (`call gateway.health`); HTTP probes use healthAlias, outside any breaker.
				handler() {
					const { status, body } = readiness(this.broker);
					if (status !== 200) throw new Errors.MoleculerError(String((body.error as { message: string }).message), 503, "NOT_READY", body);
					return body;
				},
			},
		},
		created() {
			this.mcpServers = new McpServerPool(this.broker, config);
			// moleculer-web sets the server's requestTimeout from settings, not its headersTimeout (60 s); Node 20
			// expires a stalled request only while headersTimeout <= requestTimeout (seen on 20.20: a 1 s
			// requestTimeout under a 60 s headersTimeout never fired), so both are the configured limit.
			if (this.server && this.server.headersTimeout > limits.request_timeout_ms) this.server.headersTimeout = limits.request_timeout_ms;
			// Node looks for expired requests every connectionsCheckingInterval (30 s, read when the server
			// starts listening): a stalled body was answered up to 30 s after its limit. A quarter of the
			// limit (1-30 s) answers it within 1.25 x the limit; one pass over the open connections each time.
			if (this.server) this.server.connectionsCheckingInterval = checkingInterval(limits.request_timeout_ms);
			const warning = keys.open ? openGatewayWarning(host) : undefined;
			if (warning) this.logger.warn(warning);
			// moleculer-web only logs a listen error and its start never settles: a gateway without a
			// listener would run on, reporting nothing. A port it cannot take ends the process, saying why.
			this.server?.prependListener("error", (err: NodeJS.ErrnoException) => {
				if (this.server.listening) return;
				const where = `${this.settings.ip}:${this.settings.port}`;
				const why =
					err.code === "EADDRINUSE"
						? `${where} is already in use; set PORT (and HOST) to a free address`
						: `cannot listen on ${where}: ${err.message}`;
				this.logger.fatal(`HTTP gateway: ${why}`);
				process.exit(1);
			});
		},
		methods: {
			/**
			 * moleculer-web logs every 5xx at error level with its stack before our onError runs; a probe
			 * hitting /health while a node is gone would print a stack trace every few seconds. onError logs
			 * one warning line per 5xx instead.
			 */
			errorHandler(req: IncomingMessage, res: ServerResponse, err: Error) {
				// Anything that is not a Moleculer error is a bug of ours: keep its stack.
				if (!(err instanceof Errors.MoleculerError)) this.logger.error(`${req.method} ${loggableUrl(req.url)} failed:`, err);
				this.sendError(req, res, err);
			},
			/**
			 * moleculer-web's access lines ("=> GET /api/x?...", "<= 200 GET ...") print the whole URL, query values
			 * included: a key a caller put in the query would be in every log. The same lines, the query's values left out.
			 */
			logRequest(req: IncomingMessage & RoutedRequest) {
				if (req.$route && !req.$route.logging) return;
				this.logger.info(`=> ${req.method} ${loggableUrl(req.originalUrl ?? req.url)}`);
			},
			logResponse(req: IncomingMessage & RoutedRequest, res: ServerResponse) {
				if (req.$route && !req.$route.logging) return;
				const [s, ns] = req.$startTime ? process.hrtime(req.$startTime) : [0, 0];
				const time = req.$startTime ? ` [+${(s * 1000 + ns / 1e6).toFixed(3)} ms]` : "";
				this.logger.info(`<= ${this.coloringStatusCode(res.statusCode)} ${req.method} ${loggableUrl(req.originalUrl ?? req.url)}${time}`);
			},
			authenticate: authenticateWith(keys, origins),
			/**
			 * Stateless Streamable HTTP, answered with one JSON body per POST by a server leased from a pool
			 * with its transport (McpServerPool, NodeJsonTransport: the same isolation as a fresh server per request).
			 */
			handleMcp(req: IncomingMessage & { body?: unknown; $ctx?: { meta: CallerMeta } }, res: ServerResponse) {
				// The caller's key (its name) rides along on every tool's calls, and so does the request's cancel token (lib/cancel.ts).
				const pool = this.mcpServers as McpServerPool;
				const meta = req.$ctx?.meta;
				// Set key by key: two spreads into one literal took V8's slow path, ~1.5 µs (docs/overhead.md, "s13-mcp").
				const caller: CallerMeta = {};
				if (meta?.key) caller.key = meta.key;
				if (meta?.cancel) caller.cancel = meta.cancel;
				const lease = pool.acquire(caller);
				let failed = false;
				res.on("close", () => pool.release(lease, !failed && res.writableFinished && leavesNoState(req.body)));
				try {
					lease.transport.handle(req, res, req.body);
				} catch (err) {
					failed = true;
					this.logger.warn("MCP request failed:", errorMessage(err));
					if (!res.headersSent) sendJsonRpcError(res, 500, -32603, errorMessage(err));
				}
			},
		},
	};
}
