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
	/** Anthropic: indexes of messages carrying cache_control (never compacted). */
	cache_control?: Set<number>;
}
