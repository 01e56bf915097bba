import type { McpServer, RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import { summaryLine } from "./analyze-request";
import type { ToolDeps } from "./index";
import { mcpToolInputs, OrchestrateResultSchema } from "../../../lib/contracts";

export function registerOrchestrateTool(server: McpServer, deps: ToolDeps): RegisteredTool {
	return server.registerTool(
		"orchestrate",
		{
			title: "Orchestrate request",
			description:
				"Run the full pipeline: answer with a downstream MCP tool when one can, otherwise call the cheapest good-enough model (with fallbacks across providers). dry_run returns the plan without executing.",
			inputSchema: mcpToolInputs(deps.config.limits).orchestrate,
			outputSchema: OrchestrateResultSchema,
			annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
		},
		async ({ request, context, options }, extra) =>
			deps.run(
				"orchestrator.orchestrate",
				// The input object keeps unknown keys (for the misplaced-option check): only the contract's go on.
				{ request, ...(context !== undefined ? { context } : {}), ...(options !== undefined ? { options } : {}) },
				r => (r.output != null ? `${r.output}\n\n---\n${summaryLine(r)}; cost $${r.cost_usd}` : summaryLine(r)),
				extra,
				// The input schema is orchestrate's contract with `options` optional rather than nullish: not parsed twice.
				true,
			),
	);
}
