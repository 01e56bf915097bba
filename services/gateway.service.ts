import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { Errors, type ServiceSchema } from "moleculer";
import ApiGateway from "moleculer-web";
import { errorMessage, errorStatus } from "../lib/errors";
import { mcpJsonBody, restJsonBody } from "../lib/json-body";
import { actionAvailable } from "../lib/registry";
import type { ServiceFactoryContext } from "../lib/runner";
import { createMcpServer } from "./gateway/tools";

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

function sendJson(res: ServerResponse, status: number, body: unknown) {
	res.setHeader("Content-Type", "application/json; charset=utf-8");
	res.writeHead(status);
	res.end(JSON.stringify(body));
}

/** The built-in status page: one self-contained file, read once, no build step and no external assets. */
const STATUS_PAGE = readFileSync(join(__dirname, "gateway", "status-page.html"));

function statusPageAlias(_req: IncomingMessage, res: ServerResponse) {
	res.setHeader("Content-Type", "text/html; charset=utf-8");
	// Inline script and styles only; the page talks to this origin alone.
	res.setHeader("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:");
	res.setHeader("Cache-Control", "no-cache");
	res.writeHead(200);
	res.end(STATUS_PAGE);
}

function mcpAlias(this: any, req: IncomingMessage, res: ServerResponse) {
	return this.handleMcp(req, res);
}

/** HTTP entry point: MCP over Streamable HTTP at /mcp, REST under /api, readiness at /health, status page at /. */
export default function gatewayService({ config, env }: ServiceFactoryContext): ServiceSchema {
	const bodyLimit = config.limits.max_body_bytes;
	return {
		name: "gateway",
		mixins: [ApiGateway],
		settings: {
			port: Number(env.PORT ?? 3000),
			ip: env.HOST ?? "0.0.0.0",
			log4XXResponses: false,
			routes: [
				{
					path: "/api",
					mappingPolicy: "restrict",
					// Our own edge (lib/json-body.ts): JSON only, size and depth checked before any action runs.
					bodyParsers: false,
					use: [restJsonBody(bodyLimit)],
					aliases: {
						"POST orchestrate": "orchestrator.orchestrate",
						"POST analyze": "orchestrator.analyze",
						"GET metrics": "metrics.get",
					},
				},
				{
					path: "/mcp",
					mappingPolicy: "restrict",
					bodyParsers: false,
					use: [mcpJsonBody(bodyLimit)],
					// Served by the MCP SDK's transport, not by an action.
					aliases: { "POST /": mcpAlias, "GET /": mcpAlias, "DELETE /": mcpAlias },
				},
				{
					path: "/",
					mappingPolicy: "restrict",
					aliases: { "GET /": statusPageAlias, "GET health": "gateway.health" },
				},
			],
			onError(this: any, req: IncomingMessage, res: ServerResponse, err: Error) {
				const { status, type } = errorStatus(err);
				const message = errorMessage(err);
				if (status >= 500) this.logger.warn(`${req.method} ${req.url} failed: ${message}`);
				sendJson(res, status, { error: { type, message } });
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
				handler() {
					const missing = PIPELINE_ACTIONS.filter(a => !actionAvailable(this.broker, a));
					if (missing.length) {
						throw new Errors.MoleculerError(`not ready: unreachable ${missing.join(", ")}`, 503, "NOT_READY", { missing });
					}
					return { status: "ok", nodeID: this.broker.nodeID, uptime_s: Math.round(process.uptime()) };
				},
			},
		},
		created() {
			// moleculer-web only logs a listen error and its start never settles: a gateway without a
			// listener would run on, reporting nothing. A port it cannot take ends the process, saying why.
			this.server?.prependListener("error", (err: NodeJS.ErrnoException) => {
				if (this.server.listening) return;
				const where = `${this.settings.ip}:${this.settings.port}`;
				const why = err.code === "EADDRINUSE" ? `${where} is already in use; set PORT (and HOST) to a free address` : `cannot listen on ${where}: ${err.message}`;
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
				if (!(err instanceof Errors.MoleculerError)) this.logger.error(`${req.method} ${req.url} failed:`, err);
				this.sendError(req, res, err);
			},
			/** Stateless Streamable HTTP: a fresh server and transport per request, as the SDK's stateless example does. */
			async handleMcp(req: IncomingMessage & { body?: unknown }, res: ServerResponse) {
				if (req.method !== "POST") {
					sendJson(res, 405, { jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed: this server is stateless, use POST" }, id: null });
					return;
				}
				const server = createMcpServer(this.broker, config);
				const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
				res.on("close", () => {
					void transport.close();
					void server.close();
				});
				try {
					await server.connect(transport);
					await transport.handleRequest(req, res, req.body);
				} catch (err) {
					this.logger.warn("MCP request failed:", errorMessage(err));
					if (!res.headersSent) sendJson(res, 500, { jsonrpc: "2.0", error: { code: -32603, message: errorMessage(err) }, id: null });
				}
			},
		},
	};
}
