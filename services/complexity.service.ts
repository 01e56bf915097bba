import { SYNC_STAGE_ACTION } from "../lib/action-options";
import type { Context, ServiceSchema } from "moleculer";
import type { ServiceFactoryContext } from "../lib/runner";
import { StageParamsSchema, type StageParams } from "../lib/contracts";
import { zodParams } from "../lib/contracts/validator";
import { scoreComplexity } from "./complexity/scorer";
import { shippedEmbeddings } from "../lib/nlp/embeddings";
import { stageKeygen } from "./orchestrator/cache-keys";

/** How much a request needs a strong model: a score in [0,1] and its tier (thresholds from config.yaml). */
export default function complexityService({ config }: ServiceFactoryContext): ServiceSchema {
	return {
		name: "complexity",
		// Before the node joins the bus, not on its first request: reading and decoding the shipped embeddings (3 MB) takes ~55 ms
		// of CPU (more on a busy machine), which held that request and /health with it (as lib/tokens.ts loadTokenizer says of the tokenizer).
		created() {
			shippedEmbeddings();
		},
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
