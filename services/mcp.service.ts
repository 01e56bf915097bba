import type { ServiceSchema } from "moleculer";
import type { ServiceFactoryContext } from "../lib/runner";
import McpClientMixin from "../mixins/mcp-client.mixin";

/** One service `mcp.<name>` per enabled `mcp_services` entry of config.yaml, each holding its own MCP client. */
export default function mcpServices({ config, env, wanted }: ServiceFactoryContext): ServiceSchema[] {
	const entries = Object.entries(config.mcp_services);
	// A disabled entry is still a service this build knows: asked about, SERVICES naming it is no typo (lib/runner.ts).
	for (const [name, entry] of entries) if (!entry.enabled) wanted?.(`mcp.${name}`);
	return entries
		.filter(([, entry]) => entry.enabled)
		.map(([name, entry]) => ({
			name: `mcp.${name}`,
			mixins: [McpClientMixin({ name, entry, maxOutputBytes: config.limits.max_context_bytes, env })],
		}));
}
