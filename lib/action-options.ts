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
