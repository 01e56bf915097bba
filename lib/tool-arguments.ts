/**
 * A tool call's arguments as OpenAI carries them (JSON text, as the model wrote it) turned into the
 * object Anthropic's tool_use.input and Gemini's functionCall.args want. Text that is not a JSON
 * object is kept, not lost: under `value` (valid JSON of another type) or `_raw` (invalid JSON).
 */
export function toolArgumentsObject(args: string): Record<string, unknown> {
	try {
		const v: unknown = JSON.parse(args || "{}");
		return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
	} catch {
		return { _raw: args };
	}
}
