import type { ServiceSchema } from "moleculer";
import type { ServiceFactoryContext } from "../lib/runner";
import McpClientMixin from "../mixins/mcp-client.mixin";

/** One service `mcp.<name>` per enabled `mcp_services` entry of config.yaml, each holding its own MCP client. */
export default function mcpServices({ config }: ServiceFactoryContext): ServiceSchema[] {
	return Object.entries(config.mcp_services)
		.filter(([, entry]) => entry.enabled)
		.map(([name, entry]) => ({
			name: `mcp.${name}`,
			mixins: [McpClientMixin({ name, entry, maxOutputBytes: config.limits.max_context_bytes })],
		}));
}
