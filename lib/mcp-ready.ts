import type { ServiceBroker } from "moleculer";
import { liveServices, type McpMetadata } from "./registry";
import { positiveEnv } from "./env-number";

/**
 * WAIT_FOR_SERVICES_MS (default 30 s): how long `orchestrator mcp` and `analyze` wait for the services they need, and the
 * orchestrator for an mcp.* service. A start-up error naming it when not a positive number (`abc` warned at once, "NaN ms").
 */
export function waitForServicesMs(env: NodeJS.ProcessEnv): number {
	return positiveEnv(env, "WAIT_FOR_SERVICES_MS", 30_000, { unit: "milliseconds" });
}

export interface McpReadiness {
	connected: string[];
	/** Expected services not up or not connected when the wait ended. */
	waiting: string[];
}

/** Which of `expected` are live and connected to their MCP server right now; with no list, every live mcp.* service. */
export function mcpReadiness(broker: ServiceBroker, expected?: string[]): McpReadiness {
	const live = liveServices<McpMetadata>(broker, "mcp");
	const names = expected ?? live.map(s => s.service);
	const connected = names.filter(n => live.some(s => s.service === n && s.meta.connected));
	return { connected, waiting: names.filter(n => !connected.includes(n)) };
}

/**
 * Waits, at most `ms`, until the downstream MCP services are connected. The router sends a request
 * to a tool only when a connected server offers one, so analysing before they connect routes the
 * same input differently run to run. `expected` undefined: whatever mcp.* services the cluster
 * shows (none: nothing to wait for). Re-checked on every registry change, never polled.
 */
export function waitForMcpServices(broker: ServiceBroker, ms: number, expected?: string[]): Promise<McpReadiness> {
	return new Promise(resolve => {
		const finish = () => {
			clearTimeout(timer);
			broker.localBus.off("$services.changed", check);
			resolve(mcpReadiness(broker, expected));
		};
		function check() {
			if (!mcpReadiness(broker, expected).waiting.length) finish();
		}
		const timer: NodeJS.Timeout = setTimeout(finish, ms);
		broker.localBus.on("$services.changed", check);
		check();
	});
}
