/**
 * The cluster's circuit-breaker states, from Moleculer's `$circuit-breaker.*` events.
 *
 * Moleculer keeps a breaker per endpoint (action on a node) on the node that *calls* it, and
 * broadcasts every change to the whole cluster. Each change is kept here by (caller, action,
 * endpoint node), so a breaker opened on any orchestrator replica shows up on every metrics node.
 */

export type CircuitState = "open" | "half-open";

export interface CircuitEvent {
	/** Node that called the endpoint and holds the breaker. */
	caller: string;
	/** Node of the failing endpoint. */
	nodeID: string;
	service: string;
	action: string;
	state: CircuitState | "closed";
	/** Provider (or downstream MCP server) behind the service, for the provider label. */
	provider: string;
	/**
	 * What the service is: only provider services have an orchestrator_circuit_state series (a
	 * pipeline service's breaker, the gateway's say, is no provider). Absent means provider.
	 */
	kind?: "provider" | "tool" | "service";
	ts: number;
}

/** Whether a breaker belongs on orchestrator_circuit_state (a provider's). */
const gauged = (e: CircuitEvent) => (e.kind ?? "provider") === "provider";

export interface OpenCircuit {
	provider: string;
	action: string;
	node: string;
	state: CircuitState;
	/** Callers whose breaker for this endpoint is not closed. */
	seen_from: string[];
	since: number;
}

/** orchestrator_circuit_state values: 1 open, 0.5 half-open (one probe allowed), 0 closed. */
export const STATE_VALUE: Record<CircuitState | "closed", number> = { open: 1, "half-open": 0.5, closed: 0 };

export class CircuitTable {
	private entries = new Map<string, CircuitEvent>();

	private static key(e: { caller: string; action: string; nodeID: string }) {
		return `${e.caller}|${e.action}|${e.nodeID}`;
	}

	/** Applies one change; returns the providers (provider services only) whose aggregated state may have changed. */
	apply(e: CircuitEvent): string[] {
		const key = CircuitTable.key(e);
		const before = this.entries.get(key);
		// Events from different nodes may cross; an older one never overrides a newer one.
		if (before && before.ts > e.ts) return [];
		// Closed breakers stay as tombstones, so a merge with a node that missed the close cannot reopen them.
		this.entries.set(key, e);
		return [...new Set([e, before].filter((x): x is CircuitEvent => !!x && gauged(x)).map(x => x.provider))];
	}

	/** A node left: its breakers are gone, and so are breakers about its endpoints. */
	dropNode(nodeID: string): string[] {
		const touched = new Set<string>();
		for (const [key, e] of this.entries) {
			if (e.caller === nodeID || e.nodeID === nodeID) {
				this.entries.delete(key);
				if (gauged(e)) touched.add(e.provider);
			}
		}
		return [...touched];
	}

	/** Merges what another metrics node knows (it may have seen events this one missed). */
	merge(events: CircuitEvent[]) {
		for (const e of events) this.apply(e);
	}

	events(): CircuitEvent[] {
		return [...this.entries.values()];
	}

	/** Worst state of a provider across its endpoints and callers. */
	providerState(provider: string): number {
		let v = 0;
		for (const e of this.entries.values()) if (e.provider === provider) v = Math.max(v, STATE_VALUE[e.state]);
		return v;
	}

	/** One line per failing endpoint, whichever callers see it failing. */
	open(): OpenCircuit[] {
		const byEndpoint = new Map<string, OpenCircuit>();
		for (const e of this.entries.values()) {
			if (e.state === "closed") continue;
			const k = `${e.action}@${e.nodeID}`;
			const cur = byEndpoint.get(k);
			if (!cur) {
				byEndpoint.set(k, { provider: e.provider, action: e.action, node: e.nodeID, state: e.state, seen_from: [e.caller], since: e.ts });
				continue;
			}
			cur.seen_from.push(e.caller);
			if (e.state === "open") cur.state = "open";
			cur.since = Math.min(cur.since, e.ts);
		}
		return [...byEndpoint.values()].sort((a, b) => a.provider.localeCompare(b.provider) || a.action.localeCompare(b.action));
	}
}
