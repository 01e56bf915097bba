import type { ServiceBroker } from "moleculer";
import type { Tier } from "./config";

/** A model a provider serves that config.yaml does not list (found on the server): how to price and fit it. */
export interface DiscoveredModel {
	input_per_mtok: number;
	output_per_mtok: number;
	context_window: number;
}

/** What a provider service declares in its metadata so it is discovered at run time. */
export interface ProviderMetadata {
	name: string;
	models: string[];
	/** Served models config.yaml does not list (a local server's own), with the figures they are priced at. */
	extra?: Record<string, DiscoveredModel>;
	/** Tiers a model serves as the provider's node was told (OPENAI_COMPATIBLE_TIERS); wins over config.yaml `models.<id>.tiers`. */
	tiers?: Record<string, Tier[]>;
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
	nodes: readonly string[];
	meta: M;
}

/**
 * What changes the registry's answers: a service registered, updated or gone (local or remote,
 * metadata published with publishMetadata included), a node come, updated or gone (a node's
 * services leave with it without a `$services.changed`).
 */
const REGISTRY_EVENTS = ["$services.changed", "$node.connected", "$node.updated", "$node.disconnected"];

/** Values derived from one broker's registry, dropped when it changes. */
const derived = new WeakMap<ServiceBroker, Map<string, unknown>>();

/**
 * `build()`, kept under `key` until the registry changes. For what depends on the registry only
 * (the live services, the catalog they make), read on every request; breaker state is not in it
 * (actionAvailable stays a read per call). The values are shared: callers must not mutate them.
 * The cache is emptied ahead of every other listener (prepended on the local bus, and Moleculer
 * runs the local bus before services' `$` event handlers), so a handler of the same event reads the new state.
 */
export function fromRegistry<T>(broker: ServiceBroker, key: string, build: () => T): T {
	let values = derived.get(broker);
	if (!values) {
		const cache = new Map<string, unknown>();
		const clear = () => cache.clear();
		for (const event of REGISTRY_EVENTS) broker.localBus.prependListener(event, clear);
		derived.set(broker, cache);
		values = cache;
	}
	if (values.has(key)) return values.get(key) as T;
	const value = build();
	values.set(key, value);
	return value;
}

/**
 * Services that are up somewhere in the cluster and carry the given metadata key, merged per
 * service name. Read from Moleculer's registry once per registry change (fromRegistry), so nodes
 * joining or leaving count at once; the list is frozen, being shared by every caller.
 */
export function liveServices<M>(broker: ServiceBroker, key: "provider" | "mcp"): readonly LiveService<M>[] {
	return fromRegistry(broker, `live:${key}`, () => {
		const list = broker.registry.getServiceList({ onlyAvailable: true, skipInternal: true, withActions: false }) as any[];
		const byName = new Map<string, { service: string; nodes: string[]; meta: M }>();
		for (const svc of list) {
			const meta = svc.metadata?.[key];
			if (!meta) continue;
			const entry = byName.get(svc.name) ?? { service: svc.name, nodes: [] as string[], meta };
			entry.nodes.push(svc.nodeID);
			byName.set(svc.name, entry);
		}
		return Object.freeze([...byName.values()].map(e => Object.freeze({ ...e, nodes: Object.freeze(e.nodes) })));
	});
}

/** True when some node can take calls to the action right now (its breaker not open). */
export function actionAvailable(broker: ServiceBroker, action: string): boolean {
	const eps = (broker.registry as any).getActionEndpoints(action);
	return !!eps && eps.hasAvailable();
}

/** Live provider services serving a catalog model (registry read, no call). */
export function providersServing(broker: ServiceBroker, model: string): readonly string[] {
	const byModel = fromRegistry(broker, "providers-by-model", () => {
		const map = new Map<string, string[]>();
		for (const p of liveServices<ProviderMetadata>(broker, "provider")) {
			for (const m of new Set(p.meta.models)) map.set(m, [...(map.get(m) ?? []), p.service]);
		}
		for (const services of map.values()) Object.freeze(services);
		return map;
	});
	return byModel.get(model) ?? NONE;
}
const NONE: readonly string[] = Object.freeze([]);

/** Some provider of the model is up and its breaker lets `action` calls through (registry reads, no call). */
export function servable(broker: ServiceBroker, model: string, action: "complete" | "stream" = "complete"): boolean {
	return providersServing(broker, model).some(service => actionAvailable(broker, `${service}.${action}`));
}

/** Nodes where a service of that name is up (this one included), from the registry, no call. */
export function nodesOf(broker: ServiceBroker, service: string): string[] {
	const list = broker.registry.getServiceList({ onlyAvailable: true, withActions: false }) as { name: string; nodeID: string }[];
	return [...new Set(list.filter(s => s.name === service).map(s => s.nodeID))];
}

/** IDs of the nodes that are up (this one included). `getNodeList` is public in Moleculer but missing from its typings. */
export function liveNodeIds(broker: ServiceBroker): string[] {
	const nodes = (broker.registry as unknown as { getNodeList(o: object): { id: string }[] }).getNodeList({ onlyAvailable: true, withServices: false });
	return nodes.map(n => n.id);
}

/** Metadata of a service known to the registry (up or not), by its name or full name. */
export function serviceMetadata(broker: ServiceBroker, service: string): Record<string, any> | undefined {
	const list = broker.registry.getServiceList({ onlyAvailable: false, withActions: false }) as {
		name: string;
		fullName: string;
		metadata?: Record<string, any>;
	}[];
	return list.find(s => s.fullName === service || s.name === service)?.metadata;
}

/**
 * Publishes a local service's changed metadata to the cluster. Moleculer has no public call for
 * it: the registry item is updated and the node info re-sent (INFO packet), the one private use
 * of Moleculer's registry in this code base.
 */
export function publishMetadata(broker: ServiceBroker, service: { fullName: string; version?: string | number; metadata: Record<string, unknown> }): void {
	const registry = (broker as any).registry;
	const item = registry.services.get(service.fullName, broker.nodeID);
	if (!item) return;
	item.update({ fullName: service.fullName, version: service.version, settings: item.settings, metadata: service.metadata });
	registry.localNodeInfoInvalidated = "seq";
	(broker as any).servicesChanged(true);
}
