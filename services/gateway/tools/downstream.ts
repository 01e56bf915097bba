import type { McpServer, RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ServiceBroker } from "moleculer";
import { z } from "zod";
import { errorMessage } from "../../../lib/errors";
import { liveServices, type McpMetadata, type McpToolInfo } from "../../../lib/registry";
import type { ToolDeps } from "./index";
import type { ToolAnswer } from "../../../mixins/mcp-client.mixin";

/** `mcp.filesystem` + `read_text_file` -> `filesystem__read_text_file`, the namespacing MCP gateways use. */
export function reexportName(service: string, tool: string): string {
	return `${service.replace(/^mcp\./, "")}__${tool}`;
}

/**
 * Built once per tool description: the registry's lists are rebuilt only when the cluster changes (lib/registry.ts),
 * so the same McpToolInfo object comes back to every MCP request's server, which converted it again each time.
 */
const schemas = new WeakMap<McpToolInfo, z.ZodType>();

/**
 * The downstream JSON Schema as the zod schema McpServer.registerTool wants; our own callTool checks
 * the arguments against the original schema again, so a schema zod cannot express only loosens this layer.
 */
function inputSchema(tool: McpToolInfo): z.ZodType {
	const cached = schemas.get(tool);
	if (cached) return cached;
	let schema: z.ZodType = z.looseObject({});
	try {
		if (tool.inputSchema) schema = z.fromJSONSchema(tool.inputSchema as any);
	} catch {
		// stays an open object
	}
	schemas.set(tool, schema);
	return schema;
}

function signature(service: string, tool: McpToolInfo): string {
	return JSON.stringify([service, tool.description ?? "", tool.inputSchema ?? {}]);
}

/**
 * Registers every live downstream tool on the server as `<service>__<tool>`, forwarding calls to
 * `mcp.<service>.callTool`, and keeps the set in step with the cluster while the server lives
 * (a long stdio session sees services come and go; McpServer tells the client with tools/list_changed).
 */
export function registerDownstreamTools(server: McpServer, broker: ServiceBroker, deps: Pick<ToolDeps, "call">): () => void {
	const registered = new Map<string, { tool: RegisteredTool; signature: string }>();

	const sync = () => {
		const wanted = new Map<string, { service: string; info: McpToolInfo }>();
		for (const svc of liveServices<McpMetadata>(broker, "mcp")) {
			for (const info of svc.meta.tools ?? []) wanted.set(reexportName(svc.service, info.name), { service: svc.service, info });
		}
		for (const [name, entry] of registered) {
			const w = wanted.get(name);
			if (!w || signature(w.service, w.info) !== entry.signature) {
				entry.tool.remove();
				registered.delete(name);
			}
		}
		for (const [name, { service, info }] of wanted) {
			if (registered.has(name)) continue;
			const tool = server.registerTool(
				name,
				{
					description: `[${service}] ${info.description ?? info.name}`,
					inputSchema: inputSchema(info) as any,
					annotations: { readOnlyHint: (info.kind ?? "read") === "read", openWorldHint: false },
				},
				async (args: unknown, extra: { signal: AbortSignal }): Promise<CallToolResult> => {
					try {
						// As the caller: its key, and its cancel (a hang-up, notifications/cancelled) reaches the downstream server.
						const res = await deps.call<ToolAnswer>(`${service}.callTool`, { tool: info.name, arguments: args ?? {} }, extra);
						// The downstream blocks when they are more than text (read_media_file's image), else its text.
						return { content: res.content ?? [{ type: "text", text: res.text }], ...(res.isError ? { isError: true } : {}) };
					} catch (err) {
						return { isError: true, content: [{ type: "text", text: errorMessage(err) }] };
					}
				},
			);
			registered.set(name, { tool, signature: signature(service, info) });
		}
	};

	sync();
	const onChange = () => sync();
	broker.localBus.on("$services.changed", onChange);
	return () => broker.localBus.off("$services.changed", onChange);
}
