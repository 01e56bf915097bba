import type { Context, ServiceSchema } from "moleculer";

/** What one node answers to `$node.clearCache`. */
export interface CacheClearAnswer {
	nodeID: string;
	/** The cacher's class (MemoryLRU, Redis...), or null when the node has none. */
	cacher: string | null;
	pattern: string;
	cleared: boolean;
}

/**
 * Added to Moleculer's internal `$node` service on every node (broker option `internalServices`).
 *
 * Why there: with the memory cacher each node keeps its own analyses and completions, so clearing
 * "the cache" means clearing every node's, and `$node` is the one service every node hosts whatever
 * SERVICES says. The REPL's `cache clear` calls it once per node; with CACHER=redis:// the nodes
 * share one prefix and the first clean empties it for all.
 */
export function nodeCacheControl(): Partial<ServiceSchema> {
	return {
		actions: {
			clearCache: {
				params: { pattern: { type: "string", optional: true } },
				async handler(ctx: Context<{ pattern?: string }>): Promise<CacheClearAnswer> {
					const cacher = this.broker.cacher;
					const pattern = ctx.params.pattern || "**";
					if (!cacher) return { nodeID: this.broker.nodeID, cacher: null, pattern, cleared: false };
					await cacher.clean(pattern);
					return { nodeID: this.broker.nodeID, cacher: cacher.constructor.name, pattern, cleared: true };
				},
			},
		},
	};
}
