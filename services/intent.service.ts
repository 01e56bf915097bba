import type { Context, ServiceSchema } from "moleculer";
import type { ServiceFactoryContext } from "../lib/runner";
import type { RequestContext } from "../lib/types";
import { classifyIntent } from "./intent/classifier";

interface ClassifyParams {
	request: string;
	context?: RequestContext;
}

/** Intent of a request: READ, WRITE, SEARCH, ANALYZE or MANAGE, with a confidence. */
export default function intentService({ config }: ServiceFactoryContext): ServiceSchema {
	return {
		name: "intent",
		actions: {
			classify: {
				params: { request: "string", context: { type: "object", optional: true } },
				cache: { keys: ["request", "context"], ttl: config.cache.ttl_seconds.analysis },
				handler(ctx: Context<ClassifyParams>) {
					return classifyIntent(ctx.params.request, ctx.params.context);
				},
			},
		},
	};
}
