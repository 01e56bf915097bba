import { McpServer, type RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ErrorCode, McpError, type CallToolRequest, type CallToolResult, type JSONRPCRequest, type MessageExtraInfo } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { getParseErrorMessage } from "@modelcontextprotocol/sdk/server/zod-compat.js";
import type { ServiceBroker } from "moleculer";
import { $ZodError } from "zod/v4/core";
import type { Config } from "../../../lib/config";
import { errorMessage } from "../../../lib/errors";
import type { KeyMeta } from "../../../lib/auth/keys";
import { cancelCalls, cancelToken, type CancelMeta } from "../../../lib/cancel";
import { checkedCall } from "../../../lib/validator";
import { registerAnalyzeRequestTool } from "./analyze-request";
import { registerDownstreamTools } from "./downstream";
import { registerGetMetricsTool } from "./get-metrics";
import { registerOrchestrateTool } from "./orchestrate";
import { NodeJsonTransport } from "../mcp-http";
import { directToolCall } from "../tool-call";

export interface ToolDeps {
	config: Config;
	/**
	 * Calls an action and shapes its answer as structuredContent plus a readable text block. `extra`: the tool call's
	 * (the SDK's), whose signal cancels the call's vendor calls when the caller has no cancel token of its own (stdio).
	 * `checked`: `params` are the tool's arguments as its input schema parsed them, a schema that accepts no more than
	 * the action's contract and whose output that contract leaves as it is (the analyze_request and orchestrate tools
	 * against analyzeParamsSchema): the action does not parse them again if it runs in this process (PARAMS_CHECKED).
	 */
	run(action: string, params: unknown, text: (result: any) => string, extra?: { signal: AbortSignal }, checked?: boolean): Promise<CallToolResult>;
	/** Calls an action as the tool's caller (its key, its cancel token or `extra`'s signal, as `run`), its answer as it is. */
	call<T>(action: string, params: unknown, extra?: { signal: AbortSignal }, checked?: boolean): Promise<T>;
}

/** The caller's key and, over HTTP, the request's cancel token (lib/cancel.ts). */
export type CallerMeta = KeyMeta & CancelMeta;

/** `meta`: the caller's, fixed, or read when a tool runs (a pooled server answers a different caller per request). */
export function toolDeps(broker: ServiceBroker, config: Config, meta: CallerMeta | (() => CallerMeta) = {}): ToolDeps {
	const callerMeta = typeof meta === "function" ? meta : () => meta;
	const deps: ToolDeps = {
		config,
		async run(action, params, text, extra, checked) {
			try {
				const result = await deps.call<Record<string, unknown>>(action, params, extra, checked);
				return { structuredContent: result, content: [{ type: "text", text: text(result) }] };
			} catch (err) {
				// A failed tool is a result the client's model can read and act on, not a transport error.
				return { isError: true, content: [{ type: "text", text: errorMessage(err) }] };
			}
		},
		async call<T>(action: string, params: unknown, extra?: { signal: AbortSignal }, checked?: boolean): Promise<T> {
			let meta = callerMeta();
			// Over HTTP the gateway's token is cancelled when the POST's client hangs up. Over stdio the SDK aborts the
			// handler's signal on `notifications/cancelled` for this request (or the transport's close): the call's own token.
			let unwatch: (() => void) | undefined;
			if (!meta.cancel && extra) {
				const { signal } = extra;
				const token = cancelToken();
				meta = { ...meta, cancel: token };
				const gaveUp = () => cancelCalls(broker, token);
				if (signal.aborted) gaveUp();
				signal.addEventListener("abort", gaveUp, { once: true });
				unwatch = () => signal.removeEventListener("abort", gaveUp);
			}
			try {
				return await broker.call<T, unknown>(action, params, checked ? checkedCall({ meta }) : { meta });
			} finally {
				unwatch?.();
			}
		},
	};
	return deps;
}

export const SERVER_INFO = { name: "dynamic-orchestrator", version: "0.1.0" };

/**
 * One JSON Schema validator for every server: the SDK builds a fresh Ajv instance per McpServer when
 * none is given, and stateless HTTP made a server per request (a fifth of an MCP request's CPU time
 * in the bench:overhead profile; McpServerPool now builds one per concurrent request). It holds only
 * compiled schemas, nothing of a session.
 */
const jsonSchemaValidator = new AjvJsonSchemaValidator();

/** A fresh MCP server with the orchestrator's tools, bound to a broker (one per stdio session, or per HTTP request through McpServerPool). */
export function createMcpServer(broker: ServiceBroker, config: Config, meta: CallerMeta | (() => CallerMeta) = {}): McpServer {
	return buildMcpServer(broker, config, meta).server;
}

/** The server and its own tools by name: never removed or renamed, unlike the downstream ones (what directToolCall answers). */
function buildMcpServer(broker: ServiceBroker, config: Config, meta: CallerMeta | (() => CallerMeta)) {
	const server = new McpServer(SERVER_INFO, { capabilities: { tools: {}, logging: {} }, jsonSchemaValidator });
	const deps = toolDeps(broker, config, meta);
	const tools: Record<string, RegisteredTool> = {
		analyze_request: registerAnalyzeRequestTool(server, deps),
		orchestrate: registerOrchestrateTool(server, deps),
		get_metrics: registerGetMetricsTool(server, deps),
	};
	protocolErrors(server);
	ignoreTaskAugmentation(server);
	if (config.gateway.reexport_tools) {
		const stop = registerDownstreamTools(server, broker, deps);
		const onclose = server.server.onclose;
		server.server.onclose = () => {
			stop();
			onclose?.();
		};
	}
	return { server, tools };
}

type RequestHandler = (request: CallToolRequest, extra: unknown) => Promise<unknown>;

/**
 * Two protocol errors answered as the specification asks rather than as McpServer and Protocol (SDK 1.32) do:
 * - `tools/call` of a tool the server does not have (or has disabled) is the JSON-RPC error -32602
 *   ("Protocol Errors: ... Unknown tools", server/tools#error-handling, 2025-06-18 and 2025-11-25), not a
 *   tool result: McpServer throws its "Tool x not found" inside the try that turns every failure into
 *   `isError: true`, so a client handed its model a result. Checked on McpServer's own table of tools
 *   (downstream tools come and go there too) before its handler runs.
 * - A request whose params fail the method's schema (`logging/setLevel` with an unknown level, `tools/call`
 *   arguments that are not an object over stdio) is -32602 Invalid params, as JSON-RPC defines it: Protocol
 *   parses the request before the handler and answered the ZodError, which has no code, as -32603 Internal
 *   error with the issues' JSON as its message.
 */
function protocolErrors(server: McpServer) {
	// Both tables are private to the SDK; reached by name (TypeScript's element access) rather than re-implementing the handlers.
	const handlers: Map<string, RequestHandler> = server.server["_requestHandlers"];
	const tools: Record<string, RegisteredTool> = server["_registeredTools"];
	for (const [method, handler] of handlers)
		handlers.set(method, async (request, extra) => {
			if (method === "tools/call") {
				// A name that is no string is the parse's to refuse (below).
				const name = request.params?.name;
				if (typeof name === "string" && !(Object.hasOwn(tools, name) && tools[name].enabled))
					throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
			}
			try {
				return await handler(request, extra);
			} catch (err) {
				// Only the request's parse throws a ZodError out of a handler: McpServer turns a tool's own failures into results.
				if (err instanceof $ZodError) throw new McpError(ErrorCode.InvalidParams, `Invalid params for ${method}: ${getParseErrorMessage(err)}`);
				throw err;
			}
		});
}

/**
 * A task-augmented request (`params.task`, MCP 2025-11-25) run as the normal request it wraps, its task ignored: this
 * server declares no `tasks` capability, and "receivers that do not declare the task capability for a request type MUST
 * process requests of that type normally, ignoring any task-augmentation metadata if present" (spec 2025-11-25:
 * basic/utilities/tasks). Protocol (SDK 1.32) refused the request instead, -32603 "Server does not support task creation
 * (required for tools/call)", before any handler ran. Removed before Protocol reads the request, over stdio and HTTP alike.
 */
function ignoreTaskAugmentation(server: McpServer) {
	// Private to the SDK's typings (every transport's message reaches it through `this`); reached by name, as protocolErrors does.
	const protocol = server.server;
	const onrequest: (request: JSONRPCRequest, extra?: MessageExtraInfo) => void = protocol["_onrequest"].bind(protocol);
	protocol["_onrequest"] = (request: JSONRPCRequest, extra?: MessageExtraInfo) => {
		const params = request.params as { task?: unknown } | undefined;
		if (params?.task === undefined || (request.method === "tools/call" && protocol["getCapabilities"]().tasks?.requests?.tools?.call))
			return onrequest(request, extra);
		const { task: _ignored, ...rest } = params;
		return onrequest({ ...request, params: rest }, extra);
	};
}

/**
 * The tools capability without `listChanged`: McpServer advertises it as soon as a tool is registered, but a stateless
 * HTTP server answers each POST with one JSON body and has no stream a notifications/tools/list_changed could ever go
 * down (no GET, no session), and the capability says the server "will emit notifications when the list of available
 * tools changes" (spec: server/tools, capabilities). Over stdio it is advertised, and sent (re-exported downstream tools).
 */
export function noListChanged(server: McpServer): McpServer {
	// Private to the SDK's typings (initialize's answer reads it); reached by name, as protocolErrors does.
	const own = server.server["getCapabilities"].bind(server.server);
	server.server["getCapabilities"] = () => {
		const caps = own();
		if (!caps.tools?.listChanged) return caps;
		const { listChanged: _dropped, ...tools } = caps.tools;
		return { ...caps, tools };
	};
	return server;
}

/**
 * A server connected to a NodeJsonTransport that answers `tools/call` of the server's own tools itself
 * (directToolCall, services/gateway/tool-call.ts), as /mcp serves each request.
 */
export function jsonTransportServer(broker: ServiceBroker, config: Config, meta: CallerMeta | (() => CallerMeta) = {}) {
	const { server, tools } = buildMcpServer(broker, config, meta);
	noListChanged(server);
	const transport = new NodeJsonTransport(directToolCall(server, tools));
	// Protocol.connect takes the transport synchronously; its start() does nothing.
	void server.connect(transport);
	return { server, transport };
}

/**
 * JSON-RPC methods whose handling leaves nothing on the server once its transport is closed: the SDK keeps
 * `initialize`'s client capabilities and `logging/setLevel`'s level on the Server object itself, so a
 * server that answered one of those (or anything else) is never handed to another request.
 */
const LEAVES_NO_STATE = new Set(["tools/call", "tools/list", "ping"]);

/** Whether every message of a POST body is a notification or a request in LEAVES_NO_STATE. */
export function leavesNoState(body: unknown): boolean {
	return (Array.isArray(body) ? body : [body]).every(msg => {
		const m = msg as { id?: unknown; method?: unknown } | null;
		if (!m || typeof m.method !== "string") return false;
		return m.id === undefined ? m.method.startsWith("notifications/") : LEAVES_NO_STATE.has(m.method);
	});
}

/** A pooled server, its transport (connected for the server's life) and the caller it answers for while leased. */
export interface McpLease {
	server: McpServer;
	transport: NodeJsonTransport;
	caller: { meta: CallerMeta };
}

/**
 * MCP servers for stateless Streamable HTTP, each leased to one request at a time and used again by a
 * later one: building a McpServer with its tools took ~0.1 ms of CPU per request (README "Gateway
 * overhead"), and connecting and closing a transport per request most of what was left. Each server
 * keeps one transport of ours (NodeJsonTransport) connected for its life. Isolation holds as with a fresh
 * server: a server goes back to the pool only after its request's response was sent in full (so no
 * handler of it still runs: the JSON response waits for every answer of the body, and the transport takes
 * no other request before that) and only when the request left no state on it (leavesNoState); the
 * caller's key is the lease's and is read when a tool runs. A server that may not serve again is closed
 * (the SDK then aborts its handlers and drops their timers) and dropped. With `gateway.reexport_tools`
 * each server follows the cluster's tools until it is closed (registerDownstreamTools), so nothing is
 * pooled there.
 */
export class McpServerPool {
	private readonly idle: McpLease[] = [];
	/** Servers built so far (for tests and benches). */
	built = 0;

	constructor(
		private readonly broker: ServiceBroker,
		private readonly config: Config,
		/** Idle servers kept at most (more concurrent requests build more, then drop them). */
		private readonly max = 64,
	) {}

	acquire(meta: CallerMeta): McpLease {
		const lease = this.idle.pop() ?? this.build();
		lease.caller.meta = meta;
		return lease;
	}

	/** Once the lease's HTTP response has closed; `reusable`: it was sent in full and the request left no state (leavesNoState). */
	release(lease: McpLease, reusable: boolean) {
		lease.caller.meta = {};
		if (reusable && !this.config.gateway.reexport_tools && this.idle.length < this.max && !lease.transport.busy) this.idle.push(lease);
		else void lease.server.close();
	}

	/** The idle servers (for tests). */
	get idleServers(): readonly McpLease[] {
		return this.idle;
	}

	private build(): McpLease {
		this.built++;
		const caller = { meta: {} as CallerMeta };
		return { ...jsonTransportServer(this.broker, this.config, () => caller.meta), caller };
	}
}
