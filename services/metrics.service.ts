import type { Context, ServiceSchema } from "moleculer";
import type { RequestRecord } from "./orchestrator.service";
import { PERIODS, summarize, type Period } from "./metrics/summary";

const KEEP_MS = PERIODS["1d"];

/**
 * Records every finished request (balanced event, so once per cluster), feeds the Prometheus
 * metrics and answers get_metrics by merging the windows of every metrics node.
 */
const MetricsService: ServiceSchema = {
	name: "metrics",
	actions: {
		get: {
			rest: "GET /metrics",
			params: { period: { type: "enum", values: Object.keys(PERIODS), default: "5m" } },
			async handler(ctx: Context<{ period: Period }>) {
				const since = Date.now() - PERIODS[ctx.params.period];
				const nodes = this.metricsNodes();
				const parts = await Promise.all(
					nodes.map((nodeID: string) => ctx.call<RequestRecord[], unknown>("metrics.local", { since }, { nodeID }).catch(() => [] as RequestRecord[])),
				);
				return summarize(parts.flat(), ctx.params.period, { open_circuits: this.openCircuits() });
			},
		},
		/** This node's records since a time; get merges these from every node. */
		local: {
			visibility: "public",
			params: { since: "number" },
			handler(ctx: Context<{ since: number }>) {
				return this.records.filter((r: RequestRecord) => r.ts >= ctx.params.since);
			},
		},
	},
	events: {
		"orchestrator.request"(ctx: Context<RequestRecord>) {
			const r = ctx.params;
			this.records.push(r);
			this.prune();
			const m = this.broker.metrics;
			m.increment("orchestrator_requests_total", { intent: r.intent, complexity: r.complexity, route: r.route, status: r.status });
			m.observe("orchestrator_request_duration_seconds", r.latency_ms / 1000, { stage: "total" });
			for (const [stage, ms] of Object.entries(r.stages_ms)) m.observe("orchestrator_request_duration_seconds", ms / 1000, { stage });
			if (r.model) {
				m.increment("orchestrator_tokens_total", { model: r.model, direction: "input" }, r.input_tokens);
				m.increment("orchestrator_tokens_total", { model: r.model, direction: "output" }, r.output_tokens);
				m.increment("orchestrator_cost_usd_total", { model: r.model }, r.cost_usd);
			}
			if (r.status === "ok") {
				m.increment("orchestrator_tokens_saved_total", {}, Math.max(0, r.baseline_input_tokens - r.input_tokens));
				m.increment("orchestrator_cost_saved_usd_total", {}, Math.max(0, r.baseline_cost_usd - r.cost_usd));
			}
			for (const f of r.fallbacks) m.increment("orchestrator_fallbacks_total", f);
			this.hits += r.cached ? 1 : 0;
			this.total += 1;
			m.set("orchestrator_cache_hit_rate", this.hits / this.total);
		},
	},
	methods: {
		prune() {
			const cutoff = Date.now() - KEEP_MS;
			if (this.records.length && this.records[0].ts < cutoff) this.records = this.records.filter((r: RequestRecord) => r.ts >= cutoff);
		},
		metricsNodes(): string[] {
			const list = this.broker.registry.getServiceList({ onlyAvailable: true, withActions: false }) as { name: string; nodeID: string }[];
			return [...new Set(list.filter(s => s.name === "metrics").map(s => s.nodeID))];
		},
		/** Action endpoints whose Moleculer circuit breaker is open, seen from this node. */
		openCircuits(): string[] {
			const out: string[] = [];
			const actions = (this.broker.registry as any).actions.actions as Map<string, any>;
			for (const [name, list] of actions) {
				for (const ep of list.endpoints) if (ep.state === false) out.push(`${name}@${ep.id}`);
			}
			return out;
		},
	},
	created() {
		this.records = [] as RequestRecord[];
		this.hits = 0;
		this.total = 0;
		const m = this.broker.metrics;
		const reg = (type: string, name: string, labelNames: string[], description: string, extra: object = {}) => {
			if (!m.getMetric(name)) m.register({ type, name, labelNames, description, ...extra });
		};
		reg("counter", "orchestrator_requests_total", ["intent", "complexity", "route", "status"], "Orchestrated requests");
		reg("histogram", "orchestrator_request_duration_seconds", ["stage"], "Request duration by pipeline stage", {
			buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
		});
		reg("counter", "orchestrator_tokens_total", ["model", "direction"], "LLM tokens used");
		reg("counter", "orchestrator_tokens_saved_total", [], "Input tokens saved against the baseline");
		reg("counter", "orchestrator_cost_usd_total", ["model"], "LLM cost in USD");
		reg("counter", "orchestrator_cost_saved_usd_total", [], "USD saved against the baseline");
		reg("gauge", "orchestrator_cache_hit_rate", [], "Share of requests answered from cache");
		reg("counter", "orchestrator_fallbacks_total", ["from", "to", "reason"], "Fallbacks between models");
		reg("gauge", "orchestrator_circuit_state", ["provider"], "1 when the provider's circuit is open");
	},
};

export default MetricsService;
