/**
 * The model-call contract: `models.complete` (the one walk to a model, owned by the models
 * service) and `<provider>.complete` (one vendor call, answered by every provider service).
 * Message, tool and option shapes follow OpenAI's Chat Completions, the lingua franca the
 * provider services translate from (an OpenAI-compatible endpoint can pass its body through).
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
import { z } from "zod";
import { FAILURE_REASONS } from "../provider-errors";

export const ToolCallSchema = z.object({
	id: z.string(),
	type: z.literal("function"),
	function: z.object({ name: z.string(), arguments: z.string().describe("JSON text of the arguments, as the model wrote it") }),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

/**
 * Claude's reasoning before (or between) its answer's blocks: Anthropic `thinking` blocks with their `signature`, and
 * `redacted_thinking`. Passed back to Claude exactly as received (the API checks the signature, and needs them before a
 * tool_use it is continuing with thinking on); never sent to another vendor, whose models cannot read them.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 */
export const ThinkingBlockSchema = z.discriminatedUnion("type", [
	z.object({ type: z.literal("thinking"), thinking: z.string(), signature: z.string() }),
	z.object({ type: z.literal("redacted_thinking"), data: z.string() }),
]);
export type ThinkingBlock = z.infer<typeof ThinkingBlockSchema>;

/** Anthropic's `thinking` request field: extended thinking with a budget, or adaptive (the model decides). */
export const ThinkingConfigSchema = z.discriminatedUnion("type", [
	z.object({ type: z.literal("enabled"), budget_tokens: z.number().int().min(1) }),
	z.object({ type: z.literal("adaptive") }),
]);
export type ThinkingConfig = z.infer<typeof ThinkingConfigSchema>;

export const ChatMessageSchema = z.object({
	role: z.enum(["system", "user", "assistant", "tool"]),
	content: z.string(),
	/** An assistant turn that called tools. */
	tool_calls: z.array(ToolCallSchema).optional(),
	/** An assistant turn's reasoning blocks, in their order before its text and tool calls (Claude's; see ThinkingBlockSchema). */
	thinking: z.array(ThinkingBlockSchema).optional(),
	/** A tool turn: which call it answers. */
	tool_call_id: z.string().optional(),
	/**
	 * A tool turn whose tool failed (Anthropic's tool_result `is_error`): Claude gets the flag, Gemini the text as its
	 * functionResponse's `error`, OpenAI (no such field) `[error] ` before the text.
	 */
	is_error: z.boolean().optional(),
	/**
	 * An Anthropic prompt-cache breakpoint after this message (the client's `cache_control`), passed on
	 * when the target is Anthropic; other vendors cache prefixes on their own and ignore it.
	 */
	cache_control: z.object({ type: z.literal("ephemeral"), ttl: z.enum(["5m", "1h"]).optional() }).optional(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

export const ToolSchema = z.object({
	type: z.literal("function"),
	function: z.object({
		name: z.string().min(1),
		description: z.string().optional(),
		parameters: z.record(z.string(), z.unknown()).optional().describe("JSON Schema of the arguments"),
		strict: z.boolean().optional().describe("Arguments held to the schema exactly (OpenAI function.strict, Anthropic tool strict)"),
	}),
});
export type Tool = z.infer<typeof ToolSchema>;

export const ToolChoiceSchema = z.union([
	z.enum(["auto", "none", "required"]),
	z.object({ type: z.literal("function"), function: z.object({ name: z.string() }) }),
]);

export const ResponseFormatSchema = z.union([
	z.object({ type: z.literal("text") }),
	z.object({ type: z.literal("json_object") }),
	z.object({ type: z.literal("json_schema"), json_schema: z.looseObject({ name: z.string() }) }),
]);

/** The most stop sequences a call may carry: a bound on the request, far above what any vendor behind the gateway uses. */
export const MAX_STOP_SEQUENCES = 256;

/** Generation options a caller may set, passed to the vendor by each provider where it maps them. */
export const GenerationOptionsShape = {
	max_tokens: z.number().int().positive().describe("Output budget of the call"),
	temperature: z.number().min(0).max(2).optional(),
	top_p: z.number().min(0).max(1).optional(),
	/** Sampling knobs OpenAI's API takes; Gemini takes the seed, Claude none (their providers leave the rest out). */
	seed: z.number().int().optional(),
	frequency_penalty: z.number().min(-2).max(2).optional(),
	presence_penalty: z.number().min(-2).max(2).optional(),
	/** At most 4 on OpenAI's API and 5 on Gemini's (a provider refuses more, mixins/provider.mixin.ts); Anthropic's sets no such limit. */
	stop: z.union([z.string(), z.array(z.string()).max(MAX_STOP_SEQUENCES)]).optional(),
	tools: z.array(ToolSchema).optional(),
	tool_choice: ToolChoiceSchema.optional(),
	parallel_tool_calls: z
		.boolean()
		.optional()
		.describe("false: at most one tool call per answer (OpenAI parallel_tool_calls, Anthropic disable_parallel_tool_use)"),
	response_format: ResponseFormatSchema.optional(),
	thinking: ThinkingConfigSchema.optional().describe(
		"Claude's extended thinking (Anthropic `thinking`); left out for other vendors, whose models reason or not on their own",
	),
	user: z.string().max(256).optional().describe("End-user id passed to the vendor for abuse monitoring"),
	anthropic_beta: z
		.array(
			z
				.string()
				.regex(/^[A-Za-z0-9._-]+$/)
				.max(100),
		)
		.max(32)
		.optional()
		.describe("Anthropic beta features the client asked for (its anthropic-beta header), sent on to Claude models only"),
};

export const UsageSchema = z.object({ input_tokens: z.number().int().min(0), output_tokens: z.number().int().min(0) });
export type Usage = z.infer<typeof UsageSchema>;

export const FinishReasonSchema = z.enum(["stop", "length", "content_filter", "tool_calls", "other"]);
export type FinishReason = z.infer<typeof FinishReasonSchema>;

/** `<provider>.complete` params: one vendor call on the vendor's model id. */
export const ProviderCompleteParamsSchema = z.object({
	model: z.string().min(1).describe("The vendor's model id (the catalog's api_model)"),
	system: z.string().optional(),
	messages: z.array(ChatMessageSchema).min(1),
	...GenerationOptionsShape,
	max_tokens: GenerationOptionsShape.max_tokens.optional(),
});
export type ProviderCompleteParams = z.infer<typeof ProviderCompleteParamsSchema>;

/** `<provider>.complete` result. `usage` is null when the vendor reported none: never made up here. */
export const CompletionSchema = z.object({
	text: z.string(),
	model: z.string(),
	usage: UsageSchema.nullable(),
	finish_reason: FinishReasonSchema,
	/** The stop sequence the answer ended on, when the vendor says which (Anthropic's stop_sequence). */
	stop_sequence: z.string().optional(),
	tool_calls: z.array(ToolCallSchema).optional(),
	/** The model's reasoning blocks (Claude with thinking on), signatures intact, for the client to send back. */
	thinking: z.array(ThinkingBlockSchema).optional(),
});
export type Completion = z.infer<typeof CompletionSchema>;

/**
 * What a call that reached its vendor but ended without its answer is charged: the usage the budget settled to (a
 * cancelled call's: the input it was sent; a stream cut short: that and the output relayed before the cut), priced at
 * catalog prices; a try whose outcome nobody knows (it timed out, its node went away, its answer broke off), at the worst case
 * the budget keeps counted. The request's metrics record counts every charge (services/models/spend.ts), so the cost
 * metric, the answer's cost and the budget agree.
 */
export const ChargeSchema = z.object({
	model: z.string().describe("Catalog id of the model the call was sent to"),
	...UsageSchema.shape,
	cost_usd: z.number().min(0).describe("Catalog price of the usage"),
});
export type Charge = z.infer<typeof ChargeSchema>;

/** One try of one model: a provider call (each Moleculer retry is its own try) or a skip. */
export const AttemptSchema = z.object({
	provider: z.string(),
	model: z.string().describe("Catalog id"),
	ok: z.boolean(),
	error: z.string().optional(),
	reason: z.enum(FAILURE_REASONS).optional().describe("Short failure category (lib/provider-errors.ts)"),
	service: z.string().optional().describe("Provider service that took the try, when one did"),
	node: z.string().optional().describe("Node that ran it"),
	ms: z.number().optional(),
	cached: z.boolean().optional().describe("Answered from the completion cache: no provider was called"),
	params: z.array(z.string()).optional().describe("Request parameters the provider cannot take (reason bad_request)"),
	charged: ChargeSchema.optional().describe(
		"A failed try the vendor may have billed (timed out, lost with its node, cut off): its worst case (input and max_tokens), as the budget counts it",
	),
});
export type Attempt = z.infer<typeof AttemptSchema>;

/**
 * `models.complete` params: the model chain and the conversation. The walk tries `models` in
 * order, each through every live provider service serving it, skipping services whose circuit
 * breaker is open, until one answers.
 */
export const ModelsCompleteParamsSchema = z.object({
	models: z.array(z.string().min(1)).min(1).describe("Catalog ids, the preferred first, then the fallbacks"),
	system: z.string().optional(),
	messages: z.array(ChatMessageSchema).min(1),
	...GenerationOptionsShape,
	deadline_ms: z
		.number()
		.int()
		.positive()
		.optional()
		.describe("After this many ms no further model or provider is tried (the call under way finishes on its own deadline)"),
});
export type ModelsCompleteParams = z.infer<typeof ModelsCompleteParamsSchema>;

/** `models.count` params: a conversation as `models.complete` sends it, with the tools offered to the model. */
export const ModelsCountParamsSchema = ModelsCompleteParamsSchema.pick({ system: true, messages: true, tools: true });
export type ModelsCountParams = z.infer<typeof ModelsCountParamsSchema>;

/**
 * `models.complete` result. usage_source "vendor": the provider reported the usage; "estimated":
 * it did not, and usage is our o200k_base count (priced, never learned from).
 */
export const ModelsCompleteResultSchema = z.object({
	model: z.string().describe("Catalog id of the model that answered"),
	provider: z.string(),
	service: z.string(),
	text: z.string(),
	tool_calls: z.array(ToolCallSchema).optional(),
	thinking: z.array(ThinkingBlockSchema).optional(),
	finish_reason: FinishReasonSchema.optional(),
	stop_sequence: z.string().optional().describe("The stop sequence the answer ended on, when the vendor says which"),
	usage: UsageSchema,
	usage_source: z.enum(["vendor", "estimated"]),
	cost_usd: z.number().describe("Catalog price of usage (the answer's; a failed try's charge is on the try)"),
	tries: z.array(AttemptSchema).describe("Every try in order, the answering one last"),
});
export type ModelsCompleteResult = z.infer<typeof ModelsCompleteResultSchema>;

/**
 * `data` of the error `models.complete` throws when no try answered (type NO_PROVIDER 503, ALL_MODELS_FAILED 502, or
 * 400 UNSUPPORTED_PARAMS / REQUEST_REFUSED when every provider reached refused the request, 429 RATE_LIMITED when every
 * one reached was rate-limiting).
 */
export interface ModelsCompleteFailure {
	models: string[];
	/** Variables that would enable a provider, when none serves the chain. */
	env: string[];
	tries: Attempt[];
}

/**
 * Streamed answers (`<provider>.stream`, `models.stream`): Node object-mode streams of these
 * events, which Moleculer carries across the transporter chunk by chunk. A failure after content
 * is an in-band `error` event (the stream itself ends normally), so every consumer sees the same
 * thing whether the provider ran on its node or on another.
 */
export const StreamDeltaSchema = z.discriminatedUnion("type", [
	z.object({ type: z.literal("text"), text: z.string() }),
	/** A fragment of a tool call, keyed by index: id and name once, the arguments in pieces. */
	z.object({
		type: z.literal("tool_call"),
		index: z.number().int().min(0),
		id: z.string().optional(),
		name: z.string().optional(),
		arguments: z.string().optional(),
	}),
	/**
	 * A fragment of a reasoning block, keyed by its index among the answer's reasoning blocks: `thinking` text in pieces,
	 * then its `signature`; a redacted block whole, as `data`.
	 */
	z.object({
		type: z.literal("thinking"),
		index: z.number().int().min(0),
		thinking: z.string().optional(),
		signature: z.string().optional(),
		data: z.string().optional(),
	}),
]);
export type StreamDelta = z.infer<typeof StreamDeltaSchema>;

export const StreamErrorSchema = z.object({ type: z.literal("error"), message: z.string(), code: z.number().int(), reason: z.string().optional() });
export type StreamError = z.infer<typeof StreamErrorSchema>;

/** `models.stream`'s `error`: the provider's, with what the call was charged (the usage the walk settled the budget to). */
export const ModelsStreamErrorSchema = StreamErrorSchema.extend({ charged: ChargeSchema.optional() });
export type ModelsStreamError = z.infer<typeof ModelsStreamErrorSchema>;

/** `<provider>.stream`: deltas, then `end` with the whole completion (usage included) or `error`. */
export type ProviderStreamEvent = StreamDelta | { type: "end"; completion: Completion } | StreamError;

/**
 * `models.stream`: `start` (which model answers, the tries before it) once the provider has sent
 * its first content, the deltas, then `done` with the priced result or `error`.
 */
export type ModelsStreamEvent =
	| {
			type: "start";
			model: string;
			provider: string;
			service: string;
			tries: Attempt[];
			/** The node relaying the stream (the models walk's), for its reader to see it leave; none for a replayed answer. */
			node?: string;
	  }
	| StreamDelta
	| { type: "done"; result: ModelsCompleteResult }
	| ModelsStreamError;
