import type { Context, ServiceSchema } from "moleculer";
import { liveServices, type McpMetadata } from "../lib/registry";
import { INTENTS, type Intent, type RequestContext } from "../lib/contracts";
import { chooseRoute } from "./router/route";

interface RouteParams {
	request: string;
	context?: RequestContext;
	intent: Intent;
}

/** Chooses between a downstream MCP tool and the LLM path, from the live services' tools. */
const RouterService: ServiceSchema = {
	name: "router",
	actions: {
		route: {
			params: { request: "string", context: { type: "object", optional: true }, intent: { type: "enum", values: [...INTENTS] } },
			handler(ctx: Context<RouteParams>) {
				return chooseRoute(ctx.params, liveServices<McpMetadata>(this.broker, "mcp"));
			},
		},
	},
};

export default RouterService;
