import type { ServiceSchema } from "moleculer";
import { parseTierAssignments } from "../../lib/provider-discovery";
import type { ServiceFactoryContext } from "../../lib/runner";
import ProviderMixin, { providerEnv, providerLimits } from "../../mixins/provider.mixin";
import { openaiClient, openaiComplete, openaiListModels } from "./openai/chat";

/**
 * Any server speaking OpenAI's Chat Completions (Ollama, vLLM, LM Studio, llama.cpp server),
 * through the `openai` SDK and the OpenAI mapping. OPENAI_COMPATIBLE_BASE_URL enables it
 * (Ollama: http://127.0.0.1:11434/v1); OPENAI_COMPATIBLE_API_KEY when the server wants one.
 * The server's own model list (GET /v1/models) says what it serves, read at start and again
 * periodically: models config.yaml does not list are served free with a default context window.
 * OPENAI_COMPATIBLE_MODELS (comma list) narrows them; OPENAI_COMPATIBLE_TIERS
 * (`model=tier[+tier],...`) says which tiers each serves (docs/providers.md).
 */
export default function openaiCompatibleService(ctx: ServiceFactoryContext): ServiceSchema | null {
	const env = providerEnv(ctx, {
		service: "llm-openai-compatible",
		required: ["OPENAI_COMPATIBLE_BASE_URL"],
		optional: { apiKey: ["OPENAI_COMPATIBLE_API_KEY"], models: ["OPENAI_COMPATIBLE_MODELS"], tiers: ["OPENAI_COMPATIBLE_TIERS"] },
	});
	if (!env) return null;
	const baseURL = env.OPENAI_COMPATIBLE_BASE_URL!;
	const { timeoutMs } = providerLimits("openai-compatible", ctx.config, ctx.env);
	const only = env.models
		?.split(",")
		.map(s => s.trim())
		.filter(Boolean);
	// A malformed assignment stops the start with the variable and the bad item named.
	const tiers = parseTierAssignments(env.tiers);
	return {
		name: "llm-openai-compatible",
		mixins: [
			ProviderMixin({
				provider: "openai-compatible",
				config: ctx.config,
				env: ctx.env,
				baseUrl: baseURL,
				// Local servers ignore the key, but the SDK refuses to build a client without one.
				client: () => openaiClient({ apiKey: env.apiKey ?? "not-needed", baseURL, timeoutMs }),
				complete: openaiComplete({ maxTokensField: "max_tokens" }),
				// Passed through as OpenAI's shape; a server without them answers 400 and the walk moves on.
				supports: ["tools", "response_format", "parallel_tool_calls"],
				listModels: openaiListModels,
				models: only,
				discover: true,
				tiers,
			}),
		],
	};
}
