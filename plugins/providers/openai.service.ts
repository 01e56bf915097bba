import type { ServiceSchema } from "moleculer";
import type { ServiceFactoryContext } from "../../lib/runner";
import ProviderMixin, { providerEnv, providerLimits } from "../../mixins/provider.mixin";
import { openaiClient, openaiComplete, openaiListModels } from "./openai/chat";

const DEFAULT_BASE_URL = "https://api.openai.com/v1";

/** OpenAI through the official `openai` SDK; OPENAI_API_KEY enables it, OPENAI_BASE_URL redirects it. */
export default function openaiService(ctx: ServiceFactoryContext): ServiceSchema | null {
	const env = providerEnv(ctx, { service: "llm-openai", required: ["OPENAI_API_KEY"], optional: { baseURL: ["OPENAI_BASE_URL"] } });
	if (!env) return null;
	const baseURL = env.baseURL ?? DEFAULT_BASE_URL;
	const { timeoutMs } = providerLimits("openai", ctx.config, ctx.env);
	return {
		name: "llm-openai",
		mixins: [
			ProviderMixin({
				provider: "openai",
				config: ctx.config,
				env: ctx.env,
				baseUrl: baseURL,
				client: () => openaiClient({ apiKey: env.OPENAI_API_KEY!, baseURL, timeoutMs }),
				complete: openaiComplete({ maxTokensField: "max_completion_tokens" }),
				// Our contract is OpenAI's shape: tools and response formats pass through.
				supports: ["tools", "response_format", "parallel_tool_calls"],
				maxStopSequences: 4,
				listModels: openaiListModels,
			}),
		],
	};
}
