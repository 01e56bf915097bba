/**
 * Anthropic's Messages API and Gemini refuse a turn or a text block without text (400: "all messages must have non-empty
 * content", "text content blocks must contain non-whitespace text"; Gemini's "required oneof field 'data'"), where
 * OpenAI takes them. Agents send both: an empty assistant turn after a max_tokens or tool-only answer, a blank "go on"
 * turn. Their translations leave out a text that is blank, drop an assistant turn left empty, and send a user turn left
 * empty as the ask it stands for, as LiteLLM does.
 */
export const BLANK_USER_TURN = "Please continue.";

/** Whether a text has anything but whitespace: the only texts these vendors take. */
export function hasText(text: string | null | undefined): text is string {
	return !!text && /\S/.test(text);
}
