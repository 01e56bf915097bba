/** The server wiring: one McpServer over the given roots with every tool registered (tools/), no transport. */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { registerTools } from "./tools";
import { workspaceOf } from "./workspace";

export function createSearchServer(roots: string[]): McpServer {
	const server = new McpServer({ name: "workspace-search", version: "0.1.0" });
	registerTools(server, workspaceOf(roots));
	return server;
}
