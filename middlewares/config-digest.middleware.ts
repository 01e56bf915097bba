import type { Middleware, ServiceBroker } from "moleculer";
import type { Config } from "../lib/config";
import { digest } from "../services/orchestrator/cache-keys";

interface NodeInfo {
	id: string;
	local?: boolean;
	metadata?: { config_digest?: unknown };
}

/**
 * Every node announces a digest of the config.yaml it runs (`source`: the file's text, before its ${VAR}s are filled in;
 * a config given as an object, as tests do, is digested as it is) (its metadata, in Moleculer's INFO packet), and says when a
 * peer's differs. Nodes with different configs disagree without a word: a pipeline without `auth.keys` behind a gateway
 * with them enforced no budget, and a model one node's catalog lacks was "not served" with a hint to set a key that was
 * set. During a rollout a difference is expected and passes; one that stays is a misconfiguration.
 */
export default function ConfigDigestMiddleware(source: string | Config): Middleware {
	const ours = digest(source).slice(0, 16);
	let broker: ServiceBroker;
	const warned = new Set<string>();
	const check = (node: NodeInfo | undefined) => {
		if (!node || node.local || node.id === broker.nodeID) return;
		const theirs = node.metadata?.config_digest;
		// A node of a build without the digest says nothing either way.
		if (typeof theirs !== "string" || theirs === ours) return void warned.delete(node.id);
		if (warned.has(node.id)) return;
		warned.add(node.id);
		broker
			.getLogger("config")
			.warn(
				`node ${node.id} runs another config.yaml (digest ${theirs}, this node's ${ours}): expected while a rollout replaces nodes; otherwise give every node the same file (keys, budgets, catalog and limits must agree)`,
			);
	};
	return {
		name: "ConfigDigest",
		created(b: ServiceBroker) {
			broker = b;
			// The object the registry's local node holds (its INFO packet sends it): set in place.
			(b.metadata as Record<string, unknown>).config_digest = ours;
		},
		started() {
			broker.localBus.on("$node.connected", ({ node }: { node: NodeInfo }) => check(node));
			broker.localBus.on("$node.updated", ({ node }: { node: NodeInfo }) => check(node));
			for (const node of (broker.registry as unknown as { nodes: { toArray(): NodeInfo[] } }).nodes.toArray()) check(node);
		},
	} as unknown as Middleware;
}
