/** Every tool of the workspace-search server, registered in the order tools/list gives them. */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Workspace } from "../workspace";
import { registerFindDefinitionTool } from "./find-definition";
import { registerFindFilesTool } from "./find-files";
import { registerListAllowedDirectoriesTool } from "./list-allowed-directories";
import { registerReadFilesTool } from "./read-files";
import { registerReadLinesTool } from "./read-lines";
import { registerSearchTextTool } from "./search-text";

export function registerTools(server: McpServer, workspace: Workspace): void {
	registerSearchTextTool(server, workspace);
	registerFindDefinitionTool(server, workspace);
	registerReadLinesTool(server, workspace);
	registerFindFilesTool(server, workspace);
	registerReadFilesTool(server, workspace);
	registerListAllowedDirectoriesTool(server, workspace);
}
