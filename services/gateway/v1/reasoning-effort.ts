/**
 * OpenAI's reasoning effort (chat/completions `reasoning_effort`, Responses `reasoning.effort`) as the neutral call's
 * `thinking`, the one field that already carries an Anthropic client's `thinking` (lib/contracts/complete.ts): Claude
 * models get it as extended thinking, Gemini 2.5 models as a thinking budget, OpenAI's catalog models (gpt-4.1 and
 * gpt-4o-mini, none a reasoning model: the API refuses the field for them) none, as LiteLLM's drop_params leaves it out.
 *
 * The budgets are LiteLLM's (litellm/constants.py DEFAULT_REASONING_EFFORT_{LOW,MEDIUM,HIGH}_THINKING_BUDGET: 1024,
 * 2048, 4096, used by AnthropicConfig._map_reasoning_effort); `minimal` is Anthropic's least budget, 1024, where
 * LiteLLM now sends it too (its 128 for minimal is below what the Messages API takes).
 * @see https://github.com/BerriAI/litellm/blob/main/litellm/llms/anthropic/chat/transformation.py
 * @see https://platform.openai.com/docs/api-reference/chat/create#chat-create-reasoning_effort
 */
import type { ThinkingConfig } from "../../../lib/contracts/complete";
import { ApiError, shown } from "./api-error";

export const THINKING_BUDGETS: Record<string, number> = { minimal: 1024, low: 1024, medium: 2048, high: 4096 };

/**
 * The thinking a reasoning effort asks for; none for `none` (no reasoning) or no value. `param` names the field in
 * errors; `maxTokens` is the caller's output budget, which must leave room above the thinking budget (the Messages API
 * refuses max_tokens ≤ budget_tokens). Without one the gateway's default output budget is raised by the thinking budget
 * (answer.ts), as LiteLLM's update_optional_params_with_thinking_tokens adds it.
 */
export function thinkingForEffort(effort: unknown, param: string, maxTokens: number | undefined, maxTokensParam: string): ThinkingConfig | undefined {
	if (effort == null || effort === "none") return undefined;
	const budget = typeof effort === "string" ? THINKING_BUDGETS[effort] : undefined;
	if (budget === undefined)
		throw new ApiError(
			400,
			`'${param}' '${shown(effort)}' is not supported by this gateway (none, minimal, low, medium or high)`,
			"unsupported_value",
			param,
		);
	if (maxTokens !== undefined && maxTokens <= budget)
		throw new ApiError(
			400,
			`'${maxTokensParam}' must be greater than ${budget} with ${param} '${effort}' (its thinking budget, which Claude models count in the output) or be left out`,
			"invalid_value",
			maxTokensParam,
		);
	return { type: "enabled", budget_tokens: budget };
}
