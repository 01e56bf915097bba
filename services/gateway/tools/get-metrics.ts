import type { McpServer, RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ToolDeps } from "./index";

// Built once, as zod objects: stateless /mcp registers the tools on a fresh server per request (lib/contracts mcpToolInputs).
const GET_METRICS_INPUT = z.object({ period: z.enum(["1m", "5m", "1h", "1d"]).describe("Window to report") });
const GET_METRICS_OUTPUT = z.looseObject({
	period: z.string(),
	requests: z.looseObject({ total: z.number() }),
	success_rate: z.number(),
	latency_ms: z.object({ p50: z.number(), p95: z.number(), p99: z.number() }),
	tokens: z.looseObject({ input: z.number(), output: z.number(), saved: z.number() }),
	cost_usd: z.number(),
	cost_saved_usd: z.number(),
	cache_hit_rate: z.number(),
	fallbacks: z.number(),
	token_corrections: z
		.array(z.looseObject({ model: z.string(), ratio: z.number(), observed_ratio: z.number(), samples: z.number() }))
		.nullable()
		.optional()
		.describe("Learned ratio of vendor-reported to o200k_base input tokens per model; ratio is what estimates apply (1 until enough reports)"),
	providers: z
		.array(z.looseObject({ service: z.string(), provider: z.string(), models: z.array(z.string()), circuit: z.enum(["closed", "half-open", "open"]) }))
		.optional()
		.describe("Provider services live now, the models each serves and its worst breaker state; empty when no key or local server is set"),
	tool_servers: z
		.array(z.looseObject({ service: z.string(), server: z.string(), connected: z.boolean(), tools: z.number() }))
		.optional()
		.describe("Downstream MCP services live now: connected or reconnecting, and how many tools they offer"),
	open_circuits: z.array(
		z.looseObject({ provider: z.string(), action: z.string(), node: z.string(), state: z.enum(["open", "half-open"]), seen_from: z.array(z.string()) }),
	),
});

export function registerGetMetricsTool(server: McpServer, deps: ToolDeps): RegisteredTool {
	return server.registerTool(
		"get_metrics",
		{
			title: "Get metrics",
			description:
				"Cluster-wide figures for a window: requests by intent/complexity/route/model, success rate, latency percentiles, tokens and cost used and saved, cache hit rate, fallbacks, open circuits, and the learned token-estimate corrections per model.",
			inputSchema: GET_METRICS_INPUT,
			outputSchema: GET_METRICS_OUTPUT,
			annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
		},
		async args =>
			deps.run(
				"metrics.get",
				args,
				m =>
					`${m.period}: ${m.requests.total} requests, success ${m.success_rate}, p50/p95/p99 ${m.latency_ms.p50}/${m.latency_ms.p95}/${m.latency_ms.p99} ms, tokens saved ${m.tokens.saved}, cost $${m.cost_usd} (saved $${m.cost_saved_usd}), cache hit rate ${m.cache_hit_rate}, fallbacks ${m.fallbacks}, open circuits ${m.open_circuits.length ? m.open_circuits.map((c: { provider: string; action: string; node: string; state: string }) => `${c.provider} (${c.action}@${c.node} ${c.state})`).join(", ") : "none"}, live providers ${m.providers?.length ? m.providers.map((p: { service: string }) => p.service).join(", ") : "none"}, live tool servers ${m.tool_servers?.length ? m.tool_servers.map((t: { service: string }) => t.service).join(", ") : "none"}`,
			),
	);
}
