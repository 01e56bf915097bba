import type { Context, ServiceSchema } from "moleculer";
import type { ServiceFactoryContext } from "../lib/runner";
import type { RequestContext } from "../lib/contracts";
import { scoreComplexity } from "./complexity/scorer";

interface AnalyzeParams {
	request: string;
	context?: RequestContext;
}

/** How much a request needs a strong model: a score in [0,1] and its tier (thresholds from config.yaml). */
export default function complexityService({ config }: ServiceFactoryContext): ServiceSchema {
	return {
		name: "complexity",
		actions: {
			analyze: {
				params: { request: "string", context: { type: "object", optional: true } },
				cache: { keys: ["request", "context"], ttl: config.cache.ttl_seconds.analysis },
				handler(ctx: Context<AnalyzeParams>) {
					return scoreComplexity(ctx.params.request, ctx.params.context, config.routing.complexity_thresholds);
				},
			},
		},
	};
}
