import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import type { ServiceBroker } from "moleculer";
import type { Config } from "../../../lib/config";
import { errorMessage } from "../../../lib/errors";
import type { KeyMeta } from "../../../lib/auth/keys";
import { registerAnalyzeRequestTool } from "./analyze-request";
import { registerDownstreamTools } from "./downstream";
import { registerGetMetricsTool } from "./get-metrics";
import { registerOrchestrateTool } from "./orchestrate";

export interface ToolDeps {
	config: Config;
	/** Calls an action and shapes its answer as structuredContent plus a readable text block. */
	run(action: string, params: unknown, text: (result: any) => string): Promise<CallToolResult>;
}

export function toolDeps(broker: ServiceBroker, config: Config, meta: KeyMeta = {}): ToolDeps {
	return {
		config,
		async run(action, params, text) {
			try {
				const result = await broker.call<Record<string, unknown>, unknown>(action, params, { meta });
				return { structuredContent: result, content: [{ type: "text", text: text(result) }] };
			} catch (err) {
				// A failed tool is a result the client's model can read and act on, not a transport error.
				return { isError: true, content: [{ type: "text", text: errorMessage(err) }] };
			}
		},
	};
}

export const SERVER_INFO = { name: "dynamic-orchestrator", version: "0.1.0" };

/**
 * One JSON Schema validator for every server: the SDK builds a fresh Ajv instance per McpServer when
 * none is given, and stateless HTTP makes a server per request (a fifth of an MCP request's CPU time
 * in the bench:overhead profile). It holds only compiled schemas, nothing of a session.
 */
const jsonSchemaValidator = new AjvJsonSchemaValidator();

/** A fresh MCP server with the orchestrator's tools, bound to a broker (one per HTTP request or stdio session). */
export function createMcpServer(broker: ServiceBroker, config: Config, meta: KeyMeta = {}): McpServer {
	const server = new McpServer(SERVER_INFO, { capabilities: { tools: {}, logging: {} }, jsonSchemaValidator });
	const deps = toolDeps(broker, config, meta);
	registerAnalyzeRequestTool(server, deps);
	registerOrchestrateTool(server, deps);
	registerGetMetricsTool(server, deps);
	if (config.gateway.reexport_tools) {
		const stop = registerDownstreamTools(server, broker);
		const onclose = server.server.onclose;
		server.server.onclose = () => {
			stop();
			onclose?.();
		};
	}
	return server;
}
