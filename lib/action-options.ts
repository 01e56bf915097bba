import { positiveEnv } from "./env-number";

/**
 * Options for the pipeline's synchronous handlers: the pure stages (a classifier, a scorer, a route, a
 * price) and the in-memory bookkeeping of per-request events. They answer from memory within the call,
 * so no two executions ever overlap and Moleculer's bulkhead has nothing to cap; it still cost four
 * gauge updates per call (moleculer_request_bulkhead_* / moleculer_event_bulkhead_*), 28 of the ~130
 * metric updates an orchestrate request made (README "Gateway overhead"). The actions callers reach
 * (orchestrator.orchestrate/analyze, the MCP tools) keep their bulkheads, and those bound every stage
 * call made beneath them.
 */
export const SYNC_STAGE_ACTION = { bulkhead: { enabled: false } } as const;

/** Calls queued past an action's bulkhead before it refuses more (429 QUEUE_FULL), as moleculer.config.ts sets for all. */
export const BULKHEAD_QUEUE = 500;

/**
 * The bulkhead of an action that spends its time waiting on a vendor or a tool server (a provider's call, the model
 * walk, orchestrate and analyze, a downstream tool call, the LLM assist and rewrite): BULKHEAD_IO_CONCURRENCY (512) at
 * once per node, where the CPU-bound default (BULKHEAD_CONCURRENCY, 32) capped a node at 32 vendor calls in flight:
 * with a vendor taking 1 s, 128 concurrent /v1 calls took 4.2 s (30 req/s a process), queued behind idle waits.
 */
export function waitingBulkhead(env: NodeJS.ProcessEnv): { bulkhead: { enabled: true; concurrency: number; maxQueueSize: number } } {
	return { bulkhead: { enabled: true, concurrency: positiveEnv(env, "BULKHEAD_IO_CONCURRENCY", 512, { integer: true }), maxQueueSize: BULKHEAD_QUEUE } };
}
