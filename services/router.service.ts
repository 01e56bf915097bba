import { SYNC_STAGE_ACTION } from "../lib/action-options";
import type { Context, ServiceSchema } from "moleculer";
import { liveServices, type McpMetadata } from "../lib/registry";
import { RouteParamsSchema, type RouteParams } from "../lib/contracts";
import { zodParams } from "../lib/contracts/validator";
import { gatedRoute } from "./router/gate";
import { shippedAnswerable } from "./router/answerable";

/** Chooses between a downstream MCP tool and the LLM path, from the live services' tools. */
const RouterService: ServiceSchema = {
	name: "router",
	// Before the node joins the bus, not on its first request: parsing the shipped tool-answerable model (300 KB of JSON)
	// takes ~11 ms of CPU that request would wait (as lib/tokens.ts loadTokenizer says of the tokenizer).
	created() {
		shippedAnswerable();
	},
	actions: {
		route: {
			...SYNC_STAGE_ACTION,
			params: zodParams(RouteParamsSchema),
			handler(ctx: Context<RouteParams>) {
				return gatedRoute(ctx.params, liveServices<McpMetadata>(this.broker, "mcp"));
			},
		},
	},
};

export default RouterService;
