import type { McpServer, RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ToolDeps } from "./index";
import { AnalysisSchema, mcpToolInputs } from "../../../lib/contracts";

export function registerAnalyzeRequestTool(server: McpServer, deps: ToolDeps): RegisteredTool {
	return server.registerTool(
		"analyze_request",
		{
			title: "Analyze request",
			description:
				"Classify a request's intent and complexity and show the plan: route (MCP tool or LLM), model, fallbacks, optimized prompt, tokens and estimated cost against the baseline. " +
				(deps.config.intent.llm_assist.enabled
					? "Calls no LLM except the cheapest live one for an intent the local model is unsure of (a few tokens; intent_note says what it cost)."
					: "Never calls an LLM."),
			inputSchema: mcpToolInputs(deps.config.limits).analyze_request,
			outputSchema: AnalysisSchema,
			// With the intent assist on, an uncertain intent is asked of an outside model.
			annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: deps.config.intent.llm_assist.enabled },
		},
		// The input schema is analyze's contract without `options`: not parsed twice.
		async (args, extra) => deps.run("orchestrator.analyze", args, a => summaryLine(a), extra, true),
	);
}

export function summaryLine(a: Record<string, any>): string {
	const route = a.route?.kind === "mcp" ? `tool ${a.route.service}/${a.route.tool}` : `model ${a.model ?? "(none live)"}`;
	return `${a.intent} (${a.intent_confidence}), ${a.complexity} (${a.complexity_score}) → ${route}; input tokens ${a.input_tokens} vs baseline ${a.baseline_input_tokens}; est. $${a.estimated_cost_usd} vs $${a.baseline_cost_usd}`;
}
