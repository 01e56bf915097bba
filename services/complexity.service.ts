import { SYNC_STAGE_ACTION } from "../lib/action-options";
import type { Context, ServiceSchema } from "moleculer";
import type { ServiceFactoryContext } from "../lib/runner";
import { StageParamsSchema, type StageParams } from "../lib/contracts";
import { zodParams } from "../lib/contracts/validator";
import { scoreComplexity } from "./complexity/scorer";
import { stageKeygen } from "./orchestrator/cache-keys";

/** How much a request needs a strong model: a score in [0,1] and its tier (thresholds from config.yaml). */
export default function complexityService({ config }: ServiceFactoryContext): ServiceSchema {
	return {
		name: "complexity",
		actions: {
			analyze: {
				...SYNC_STAGE_ACTION,
				params: zodParams(StageParamsSchema),
				cache: { keygen: stageKeygen as any, ttl: config.cache.ttl_seconds.analysis },
				handler(ctx: Context<StageParams>) {
					return scoreComplexity(ctx.params.request, ctx.params.context, config.routing.complexity_thresholds);
				},
			},
		},
	};
}
