import { SYNC_STAGE_ACTION } from "../lib/action-options";
import type { Context, Service, ServiceSchema, ServiceSettingSchema } from "moleculer";
import { errorMessage } from "../lib/errors";
import { ANALYSIS_SPEND, ORCHESTRATOR_REQUEST, type AnalysisSpend, type RequestRecord } from "../lib/contracts";
import { liveServices, nodesOf, serviceMetadata, type McpMetadata, type ProviderMetadata } from "../lib/registry";
import { CircuitTable, type CircuitEvent, type CircuitState } from "./metrics/circuits";
import { liveSummary, providerZeroSeries, staticZeroSeries, type ZeroSeries } from "./metrics/live";
import { PERIODS, ROLLUP_MS, savings, SHORT_PERIODS, summarizeRollups, type Period, type Rollup } from "./metrics/summary";
import { MetricsWindows, SECOND_MS } from "./metrics/window";
/**
 * Longest wait for one node's answer to get_metrics: a node that crashed is otherwise waited for
 * until its heartbeats are missed. No retries either: Moleculer re-balances a retried call without
 * its nodeID, so another node's records would be counted twice under the lost node's name.
 */
const LOCAL_TIMEOUT_MS = 5_000;
/** Window of the orchestrator_cache_hit_rate gauge. */
const HIT_RATE_WINDOW_MS = PERIODS["5m"];
const HIT_RATE_REFRESH_MS = 10_000;

/** Every metric this service registers; the dashboards may only use these and Moleculer's own. */
export const METRIC_DEFINITIONS = [
	{
		type: "counter",
		name: "orchestrator_requests_total",
		labelNames: ["intent", "complexity", "route", "status", "key"],
		description: "Orchestrated requests (key: the caller's key name)",
	},
	{
		type: "histogram",
		name: "orchestrator_request_duration_seconds",
		labelNames: ["stage"],
		description: "Request duration; stage=total for the whole request, else one pipeline stage",
		buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
		// Quantiles over the last minute give the series min/mean/max (and _sum/_count): without them the
		// REPL's `metrics` printed NaN latencies, reading fields a bucket-only histogram does not have.
		quantiles: [0.5, 0.95, 0.99],
		maxAgeSeconds: 60,
	},
	{ type: "counter", name: "orchestrator_tokens_total", labelNames: ["model", "direction"], description: "LLM tokens used (direction=input|output)" },
	{
		type: "counter",
		name: "orchestrator_tokens_saved_total",
		labelNames: [],
		description: "Input tokens saved against the raw request on the baseline model",
	},
	{ type: "counter", name: "orchestrator_cost_usd_total", labelNames: ["model", "key"], description: "LLM cost in USD (key: the caller's key name)" },
	{ type: "counter", name: "orchestrator_cost_saved_usd_total", labelNames: [], description: "USD saved against the raw request on the baseline model" },
	{
		type: "gauge",
		name: "orchestrator_cache_hit_rate",
		labelNames: [],
		description: "Share of LLM-needing requests answered from the completion cache, last 5 minutes, requests recorded on this node",
	},
	{
		type: "counter",
		name: "orchestrator_cache_requests_total",
		labelNames: ["result"],
		description: "LLM-needing requests by completion cache result (hit|miss)",
	},
	{ type: "counter", name: "orchestrator_fallbacks_total", labelNames: ["from", "to", "reason"], description: "Fallbacks from one model to the next" },
	{
		type: "gauge",
		name: "orchestrator_circuit_state",
		labelNames: ["provider"],
		description: "Circuit breaker state, worst endpoint: 0 closed, 0.5 half-open, 1 open",
	},
] as const;

/** Moleculer's metric as far as reading it is concerned (metrics/types/base.js). */
interface SnapshotMetric {
	snapshot(): unknown;
}

/**
 * A gauge whose value is computed when it is read, not kept current by every request: Moleculer's registry and
 * reporters read a metric through `snapshot` (the Prometheus scrape, `list` for the REPL's `metrics`, the Event
 * and Datadog reporters), so `refresh` runs just before each of those reads. The 5-minute hit-rate scan (302
 * one-second slots) ran once per recorded request before. Set from the prototype's `snapshot`, so a service
 * created again on the same broker replaces the refresher instead of stacking a second one.
 */
export function refreshOnRead(metric: SnapshotMetric, refresh: () => void): void {
	const snapshot = (Object.getPrototypeOf(metric) as SnapshotMetric).snapshot;
	metric.snapshot = function (this: SnapshotMetric) {
		refresh();
		return snapshot.call(this);
	};
}

/** Fallback reasons are short categories; anything else (a raw message) would explode the label set. */
export function reasonLabel(reason: string): string {
	return /^[a-z0-9_.-]{1,32}$/i.test(reason) ? reason : "other";
}

interface LocalAnswer {
	rollups: Rollup[];
	circuits: CircuitEvent[];
}

type CircuitParams = { nodeID: string; service: string; action: string };

/** The service's own methods (below), so that `this` is typed in handlers. */
interface MetricsMethods {
	tokenCorrections(ctx: Context): Promise<{ model: string; ratio: number; observed_ratio: number; samples: number }[] | null>;
	refreshHitRate(): void;
	metricsNodes(): string[];
	providerOf(service: string): Pick<CircuitEvent, "provider" | "kind">;
	onCircuit(caller: string, p: CircuitParams, state: CircuitState | "closed"): void;
	addZeroSeries(series: ZeroSeries[]): void;
	setCircuitGauge(provider: string): void;
	countSpend(spend: AnalysisSpend): void;
}

/** `this` in the metrics service: its state (set in created/started) and its methods. */
type MetricsThis = Service &
	MetricsMethods & {
		windows: MetricsWindows;
		circuits: CircuitTable;
		hitRateTimer?: NodeJS.Timeout;
	};

function circuitHandler(state: CircuitState | "closed") {
	return function (this: MetricsThis, ctx: Context<CircuitParams>) {
		this.onCircuit(ctx.nodeID ?? this.broker.nodeID, ctx.params, state);
	};
}

/**
 * Records every finished request (balanced event, so once per cluster), feeds the Prometheus
 * metrics, follows the cluster's circuit breakers, and answers get_metrics by merging the
 * windows of every metrics node.
 */
const MetricsService: ServiceSchema<ServiceSettingSchema, MetricsThis> = {
	name: "metrics",
	actions: {
		get: {
			params: { period: { type: "enum", values: Object.keys(PERIODS), default: "5m" } },
			async handler(this: MetricsThis, ctx: Context<{ period: Period }>) {
				const now = Date.now();
				const { period } = ctx.params;
				const since = now - PERIODS[period];
				const kind = SHORT_PERIODS.includes(period) ? "seconds" : "minutes";
				const nodes: string[] = this.metricsNodes();
				const answers = await Promise.all(
					nodes.map((nodeID: string) =>
						ctx
							.call<LocalAnswer, { since: number; kind: string }>(
								"metrics.local",
								{ since, kind },
								{ nodeID, retries: 0, timeout: LOCAL_TIMEOUT_MS },
							)
							.then(answer => ({ nodeID, answer }))
							.catch((err: Error) => {
								this.logger.warn(`metrics node ${nodeID} did not answer; its requests are missing from get_metrics: ${errorMessage(err)}`);
								return { nodeID, answer: null };
							}),
					),
				);
				const circuits = new CircuitTable();
				circuits.merge(this.circuits.events());
				const rollups: Rollup[] = [];
				for (const { answer } of answers) {
					if (!answer) continue;
					for (const r of answer.rollups) rollups.push(r);
					circuits.merge(answer.circuits);
				}
				const extra = {
					now,
					open_circuits: circuits.open(),
					nodes: { reporting: answers.filter(a => a.answer).map(a => a.nodeID), missing: answers.filter(a => !a.answer).map(a => a.nodeID) },
				};
				const summary = summarizeRollups(rollups, period, extra, kind === "seconds" ? SECOND_MS : ROLLUP_MS);
				// Which providers and tool servers are live, so a failing figure can be read (no key set, no MCP node).
				const live = liveSummary(liveServices<ProviderMetadata>(this.broker, "provider"), liveServices<McpMetadata>(this.broker, "mcp"), p =>
					circuits.providerState(p),
				);
				return { ...summary, ...live, token_corrections: await this.tokenCorrections(ctx) };
			},
		},
		/** This node's per-second (short windows) or per-minute rollups (long ones) since a time, and its view of the breakers; get merges these from every node. */
		local: {
			visibility: "public",
			params: { since: "number", kind: { type: "enum", values: ["seconds", "minutes"], default: "seconds" } },
			handler(this: MetricsThis, ctx: Context<{ since: number; kind: "seconds" | "minutes" }>): LocalAnswer {
				const { since, kind } = ctx.params;
				const windows = this.windows;
				return { rollups: (kind === "seconds" ? windows.seconds : windows.minutes).since(since), circuits: this.circuits.events() };
			},
		},
	},
	events: {
		[ORCHESTRATOR_REQUEST]: {
			// Synchronous bookkeeping in memory: nothing for a bulkhead to cap (lib/action-options.ts).
			...SYNC_STAGE_ACTION,
			handler(this: MetricsThis, ctx: Context<RequestRecord>) {
				const r = ctx.params;
				const saved = savings(r);
				this.windows.add(r, saved);
				const m = this.broker.metrics;
				m.increment("orchestrator_requests_total", { intent: r.intent, complexity: r.complexity, route: r.route, status: r.status, key: r.key ?? "" });
				m.observe("orchestrator_request_duration_seconds", r.latency_ms / 1000, { stage: "total" });
				const stages = r.stages_ms;
				for (const stage in stages) m.observe("orchestrator_request_duration_seconds", stages[stage] / 1000, { stage });
				// Every vendor call the request paid for under the model it went to: the answer's, the helper calls' (a dry run's
				// intent assist too) and a failed try's the vendor may have billed, so the cost metric sums to what the ledger does.
				this.countSpend(r);
				m.increment("orchestrator_tokens_saved_total", {}, saved.tokens);
				m.increment("orchestrator_cost_saved_usd_total", {}, saved.usd);
				for (const f of r.fallbacks) m.increment("orchestrator_fallbacks_total", { from: f.from, to: f.to, reason: reasonLabel(f.reason) });
				if (r.llm && r.status !== "dry_run") m.increment("orchestrator_cache_requests_total", { result: r.cached ? "hit" : "miss" });
				// orchestrator_cache_hit_rate is computed when read (refreshOnRead), not here: requests are many, scrapes rare.
				// Events cross the bus after the request has returned; this local event says when a record
				// is in, for whoever on this node must wait for it (tests, a live view).
				this.broker.broadcastLocal("metrics.recorded", r);
			},
		},
		/** An analysis asked for on its own (/api/analyze, analyze_request) paid helper calls no record counts. */
		[ANALYSIS_SPEND]: {
			...SYNC_STAGE_ACTION,
			handler(this: MetricsThis, ctx: Context<AnalysisSpend>) {
				this.countSpend(ctx.params);
			},
		},
		"$circuit-breaker.opened": circuitHandler("open"),
		"$circuit-breaker.half-opened": circuitHandler("half-open"),
		"$circuit-breaker.closed": circuitHandler("closed"),
		"$node.disconnected"(this: MetricsThis, ctx: Context<{ node: { id: string } }>) {
			for (const provider of this.circuits.dropNode(ctx.params.node.id)) this.setCircuitGauge(provider);
		},
		/** A provider that joins brings its series at 0 (closed breaker, no tokens yet). */
		"$services.changed"(this: MetricsThis) {
			this.addZeroSeries(providerZeroSeries(liveServices<ProviderMetadata>(this.broker, "provider")));
		},
	},
	methods: {
		/** Tokens and cost of vendor calls, each under the model it went to and the caller's key. */
		countSpend({ spend, key }: AnalysisSpend) {
			const m = this.broker.metrics;
			for (const c of spend) {
				m.increment("orchestrator_tokens_total", { model: c.model, direction: "input" }, c.input_tokens);
				m.increment("orchestrator_tokens_total", { model: c.model, direction: "output" }, c.output_tokens);
				m.increment("orchestrator_cost_usd_total", { model: c.model, key: key ?? "" }, c.cost_usd);
			}
		},
		/**
		 * The learned vendor/o200k_base input-token ratios per model (a models service's view; every
		 * one learns from the same broadcast reports). Null when no models service answers.
		 */
		async tokenCorrections(this: MetricsThis, ctx: Context): Promise<{ model: string; ratio: number; observed_ratio: number; samples: number }[] | null> {
			try {
				const c = await ctx.call<{ models: { model: string; ratio: number; observed_ratio: number; samples: number }[] }, unknown>(
					"models.corrections",
					{},
					{ retries: 0, timeout: LOCAL_TIMEOUT_MS },
				);
				return c.models.map(({ model, ratio, observed_ratio, samples }) => ({ model, ratio, observed_ratio, samples }));
			} catch (err) {
				this.logger.debug(`token corrections unavailable: ${errorMessage(err)}`);
				return null;
			}
		},
		refreshHitRate(this: MetricsThis) {
			this.broker.metrics.set("orchestrator_cache_hit_rate", this.windows.hitRate(HIT_RATE_WINDOW_MS));
		},
		metricsNodes(this: MetricsThis): string[] {
			return nodesOf(this.broker, "metrics");
		},
		/** The provider behind a service (its metadata), for the provider label; the service name otherwise. */
		providerOf(this: MetricsThis, service: string): Pick<CircuitEvent, "provider" | "kind"> {
			const metadata = serviceMetadata(this.broker, service);
			if (metadata?.provider?.name) return { provider: metadata.provider.name, kind: "provider" };
			if (metadata?.mcp?.server) return { provider: `mcp:${metadata.mcp.server}`, kind: "tool" };
			return { provider: service, kind: "service" };
		},
		onCircuit(this: MetricsThis, caller: string, p: CircuitParams, state: CircuitState | "closed") {
			const who = this.providerOf(p.service);
			for (const name of this.circuits.apply({ caller, nodeID: p.nodeID, service: p.service, action: p.action, state, ...who, ts: Date.now() })) {
				this.setCircuitGauge(name);
			}
		},
		/** Creates the series that do not exist yet at 0; existing ones keep their counts. */
		addZeroSeries(this: MetricsThis, series: ZeroSeries[]) {
			const m = this.broker.metrics;
			for (const s of series) if (!m.getMetric(s.name)?.get(s.labels)) m.increment(s.name, s.labels, 0);
		},
		setCircuitGauge(this: MetricsThis, provider: string) {
			this.broker.metrics.set("orchestrator_circuit_state", this.circuits.providerState(provider), { provider });
		},
	},
	created() {
		this.windows = new MetricsWindows();
		this.circuits = new CircuitTable();
		const m = this.broker.metrics;
		for (const def of METRIC_DEFINITIONS) {
			if (!m.getMetric(def.name)) m.register({ ...def, labelNames: [...def.labelNames] } as any);
		}
		this.addZeroSeries(staticZeroSeries());
		refreshOnRead(m.getMetric("orchestrator_cache_hit_rate") as unknown as SnapshotMetric, () => this.refreshHitRate());
	},
	started() {
		this.addZeroSeries(providerZeroSeries(liveServices<ProviderMetadata>(this.broker, "provider")));
		this.refreshHitRate();
		// The gauge is a moving window: it must fall back as old hits age out even when no request comes.
		this.hitRateTimer = setInterval(() => this.refreshHitRate(), HIT_RATE_REFRESH_MS);
		this.hitRateTimer.unref();
	},
	stopped() {
		clearInterval(this.hitRateTimer);
	},
};

// broker.createService takes the untyped schema (its `this` is a bare Service): widened here, once.
export default MetricsService as ServiceSchema;
