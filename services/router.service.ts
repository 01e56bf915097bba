import type { Context, ServiceSchema } from "moleculer";
import { liveServices, type McpMetadata } from "../lib/registry";
import { INTENTS, type Intent, type RequestContext } from "../lib/contracts";
import { gatedRoute } from "./router/gate";

interface RouteParams {
	request: string;
	context?: RequestContext;
	intent: Intent;
	intent_confidence?: number;
}

/** Chooses between a downstream MCP tool and the LLM path, from the live services' tools. */
const RouterService: ServiceSchema = {
	name: "router",
	actions: {
		route: {
			params: {
				request: "string",
				context: { type: "object", optional: true },
				intent: { type: "enum", values: [...INTENTS] },
				intent_confidence: { type: "number", min: 0, max: 1, optional: true },
			},
			handler(ctx: Context<RouteParams>) {
				return gatedRoute(ctx.params, liveServices<McpMetadata>(this.broker, "mcp"));
			},
		},
	},
};

export default RouterService;
