import type { Context, ServiceSchema } from "moleculer";
import { TIERS, type Tier } from "../lib/config";
import type { ServiceFactoryContext } from "../lib/runner";
import { INTENTS, type Intent, type RequestContext } from "../lib/types";
import { optimizePrompt } from "./prompt/optimize";

interface OptimizeParams {
	request: string;
	context?: RequestContext;
	intent: Intent;
	complexity: Tier;
}

/** Builds the prompt actually sent: short system prompt, relevant context, output budget, token counts. */
export default function promptService({ config }: ServiceFactoryContext): ServiceSchema {
	return {
		name: "prompt",
		actions: {
			optimize: {
				params: {
					request: "string",
					context: { type: "object", optional: true },
					intent: { type: "enum", values: [...INTENTS] },
					complexity: { type: "enum", values: [...TIERS] },
				},
				handler(ctx: Context<OptimizeParams>) {
					const { request, context, intent, complexity } = ctx.params;
					return optimizePrompt({ request, context, intent, tier: complexity, max_tokens: config.output_budget[complexity] });
				},
			},
		},
	};
}
