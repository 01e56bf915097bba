import type { ChatMessage, ModelsCompleteParams } from "../../../lib/contracts/complete";

/** A /v1 request read from either wire format: what models.complete needs, plus how to answer. */
export interface NeutralRequest {
	model: string;
	system?: string;
	messages: ChatMessage[];
	stream: boolean;
	/** OpenAI stream_options.include_usage. */
	include_usage?: boolean;
	options: Partial<Omit<ModelsCompleteParams, "models" | "system" | "messages" | "deadline_ms">>;
	/** Anthropic: messages carrying cache_control (never compacted; the breakpoint passed on to an Anthropic target), by index. */
	cache_control?: Map<number, NonNullable<ChatMessage["cache_control"]>>;
}
