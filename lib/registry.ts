import type { ServiceBroker } from "moleculer";

/** What a provider service declares in its metadata so it is discovered at run time. */
export interface ProviderMetadata {
	name: string;
	models: string[];
}

/** What a downstream MCP service declares in its metadata. */
export interface McpToolInfo {
	name: string;
	description?: string;
	inputSchema?: Record<string, unknown>;
	/** read, write or manage: write and manage tools are only published when the entry allows them. */
	kind?: "read" | "write" | "manage";
}
export interface McpMetadata {
	server: string;
	capabilities: string[];
	tools: McpToolInfo[];
	allow_write?: boolean;
	allow_manage?: boolean;
	/** Directories the service may touch (absolute); relative path arguments resolve against the first. */
	roots?: string[];
	/** False while the service reconnects to its server: its tools are known but calls fail. */
	connected?: boolean;
}

export interface LiveService<M> {
	service: string;
	nodes: string[];
	meta: M;
}

/**
 * Services that are up somewhere in the cluster and carry the given metadata key, merged per
 * service name. Read from Moleculer's registry on every call, so nodes joining or leaving count at once.
 */
export function liveServices<M>(broker: ServiceBroker, key: "provider" | "mcp"): LiveService<M>[] {
	const list = broker.registry.getServiceList({ onlyAvailable: true, skipInternal: true, withActions: false }) as any[];
	const byName = new Map<string, LiveService<M>>();
	for (const svc of list) {
		const meta = svc.metadata?.[key];
		if (!meta) continue;
		const entry: LiveService<M> = byName.get(svc.name) ?? { service: svc.name, nodes: [], meta };
		entry.nodes.push(svc.nodeID);
		byName.set(svc.name, entry);
	}
	return [...byName.values()];
}

/** True when some node can take calls to the action right now (its breaker not open). */
export function actionAvailable(broker: ServiceBroker, action: string): boolean {
	const eps = (broker.registry as any).getActionEndpoints(action);
	return !!eps && eps.hasAvailable();
}

/** Live provider services serving a catalog model (registry read, no call). */
export function providersServing(broker: ServiceBroker, model: string): string[] {
	return liveServices<ProviderMetadata>(broker, "provider")
		.filter(p => p.meta.models.includes(model))
		.map(p => p.service);
}

/** Some provider of the model is up and its breaker lets calls through (registry reads, no call). */
export function servable(broker: ServiceBroker, model: string): boolean {
	return providersServing(broker, model).some(service => actionAvailable(broker, `${service}.complete`));
}
