/** list_allowed_directories: the same answer as the file-system server's tool; our MCP client reads its roots from it. */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { READ_ONLY } from "../results";
import type { Workspace } from "../workspace";

const config = {
	title: "List allowed directories",
	description: "The directories this server searches; paths outside them are refused.",
	inputSchema: {},
	annotations: READ_ONLY,
};

export function registerListAllowedDirectoriesTool(server: McpServer, { roots }: Workspace): void {
	server.registerTool("list_allowed_directories", config, async () => ({ content: [{ type: "text", text: `Allowed directories:\n${roots.join("\n")}` }] }));
}
