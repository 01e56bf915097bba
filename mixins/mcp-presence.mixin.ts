import type { ServiceSchema } from "moleculer";
import type { Config } from "../lib/config";
import { liveServices } from "../lib/registry";

export interface McpPresenceOptions {
	config: Config;
	/** How long after start the cluster may take to show an mcp.* service (WAIT_FOR_SERVICES_MS). */
	graceMs: number;
}

/**
 * One warning when config.yaml lists downstream MCP services but no node of the cluster hosts any
 * `graceMs` after this service started. Without it a cluster whose SERVICES lists leave out `mcp.*`
 * sends "Show me the contents of README.md" to an LLM without the file, and nothing says why.
 */
export default function McpPresenceMixin({ config, graceMs }: McpPresenceOptions): Partial<ServiceSchema> {
	const configured = Object.entries(config.mcp_services)
		.filter(([, e]) => e.enabled)
		.map(([name]) => `mcp.${name}`);
	return {
		started() {
			if (!configured.length) return;
			this.mcpPresenceTimer = setTimeout(() => {
				if (liveServices(this.broker, "mcp").length) return;
				this.logger.warn(
					`no mcp.* service is reachable in the cluster ${graceMs} ms after start (config.yaml lists ${configured.join(", ")}): ` +
						"requests a tool could answer (file contents, searches) go to an LLM without the file; start a node with SERVICES including mcp.*",
				);
			}, graceMs);
			// A process that is otherwise done must not stay up for a log line.
			this.mcpPresenceTimer.unref?.();
		},
		stopped() {
			clearTimeout(this.mcpPresenceTimer);
		},
	};
}
