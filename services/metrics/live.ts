import { TIERS } from "../../lib/config";
import { FAILURE_REASONS } from "../../lib/provider-errors";
import type { LiveService, McpMetadata, ProviderMetadata } from "../../lib/registry";
import { INTENTS } from "../../lib/contracts";

/** One Prometheus series to create at 0, so a dashboard or alert reads 0 instead of "no data". */
export interface ZeroSeries {
	name: string;
	labels: Record<string, string>;
}

const ROUTES = ["llm", "mcp"] as const;
const STATUSES = ["ok", "error", "cancelled", "dry_run"] as const;

/**
 * The counter series known before any request: every intent/complexity/route/status combination,
 * the label-less totals, the cache results, and one fallback series per reason (no from/to: which
 * models fall back to which is known only when it happens; sums and `by (reason)` read 0 meanwhile).
 * Moleculer's Prometheus reporter leaves out a family with no series at all, HELP and TYPE included.
 */
export function staticZeroSeries(): ZeroSeries[] {
	const out: ZeroSeries[] = [];
	for (const intent of INTENTS)
		for (const complexity of TIERS)
			for (const route of ROUTES)
				for (const status of STATUSES) out.push({ name: "orchestrator_requests_total", labels: { intent, complexity, route, status, key: "" } });
	out.push({ name: "orchestrator_tokens_saved_total", labels: {} }, { name: "orchestrator_cost_saved_usd_total", labels: {} });
	for (const result of ["hit", "miss"]) out.push({ name: "orchestrator_cache_requests_total", labels: { result } });
	// A model no live provider serves is skipped, not fallen back from: no_provider is never a fallback reason.
	for (const reason of FAILURE_REASONS.filter(r => r !== "no_provider")) out.push({ name: "orchestrator_fallbacks_total", labels: { reason } });
	return out;
}

/** The series a live provider brings: its breaker (closed) and its models' tokens and cost. */
export function providerZeroSeries(providers: readonly { meta: ProviderMetadata }[]): ZeroSeries[] {
	const out: ZeroSeries[] = [];
	for (const { meta } of providers) {
		out.push({ name: "orchestrator_circuit_state", labels: { provider: meta.name } });
		for (const model of meta.models) {
			out.push(
				{ name: "orchestrator_tokens_total", labels: { model, direction: "input" } },
				{ name: "orchestrator_tokens_total", labels: { model, direction: "output" } },
			);
			out.push({ name: "orchestrator_cost_usd_total", labels: { model, key: "" } });
		}
	}
	return out;
}

export interface LiveProvider {
	service: string;
	provider: string;
	nodes: string[];
	models: string[];
	/** Worst breaker state of the provider as any caller sees it. */
	circuit: "closed" | "half-open" | "open";
}

export interface LiveToolServer {
	service: string;
	server: string;
	nodes: string[];
	/** False while the service reconnects to its server: its tools are known but calls fail. */
	connected: boolean;
	tools: number;
}

/** Which providers and tool servers are live now, for get_metrics and the status page (why requests fail). */
export function liveSummary(
	providers: readonly LiveService<ProviderMetadata>[],
	tools: readonly LiveService<McpMetadata>[],
	circuitOf: (provider: string) => number,
): { providers: LiveProvider[]; tool_servers: LiveToolServer[] } {
	const state = (v: number): LiveProvider["circuit"] => (v >= 1 ? "open" : v > 0 ? "half-open" : "closed");
	return {
		providers: providers
			.map(p => ({
				service: p.service,
				provider: p.meta.name,
				nodes: [...p.nodes].sort(),
				models: p.meta.models,
				circuit: state(circuitOf(p.meta.name)),
			}))
			.sort((a, b) => a.service.localeCompare(b.service)),
		tool_servers: tools
			.map(t => ({
				service: t.service,
				server: t.meta.server,
				nodes: [...t.nodes].sort(),
				connected: t.meta.connected !== false,
				tools: t.meta.tools?.length ?? 0,
			}))
			.sort((a, b) => a.service.localeCompare(b.service)),
	};
}
