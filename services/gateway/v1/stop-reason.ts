/**
 * Stop reasons between the two wire formats, through the neutral finish reason the providers
 * report (mixins/provider.mixin.ts FinishReason).
 *
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices (finish_reason)
 * @see https://docs.anthropic.com/en/api/messages#response-stop-reason (stop_reason)
 */
import type { FinishReason } from "../../../mixins/provider.mixin";

export function toOpenAIFinishReason(reason: FinishReason | undefined): "stop" | "length" | "content_filter" | "tool_calls" {
	return reason === "length" || reason === "content_filter" || reason === "tool_calls" ? reason : "stop";
}

/**
 * `stopSequence`: the stop sequence the vendor says the answer ended on (Anthropic reports it; OpenAI and
 * Gemini end a stop sequence's answer with their plain "stop", which reads as end_turn).
 */
export function toAnthropicStopReason(
	reason: FinishReason | undefined,
	stopSequence?: string,
): "end_turn" | "max_tokens" | "stop_sequence" | "tool_use" | "refusal" {
	if (reason === "length") return "max_tokens";
	if (reason === "tool_calls") return "tool_use";
	if (reason === "content_filter") return "refusal";
	return reason === "stop" && stopSequence !== undefined ? "stop_sequence" : "end_turn";
}
