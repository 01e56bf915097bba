/**
 * Contracts, declared once as zod schemas with their types by z.infer: action params and results,
 * event payloads. MCP tool schemas (services/gateway/tools/) and Moleculer validators (zodParams)
 * are made from them.
 */
export * from "./analysis";
export * from "./complete";
export * from "./events";
export * from "./request";
export * from "./stages";
export * from "./budget";
