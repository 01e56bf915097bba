/**
 * A tool-then-LLM chain's prompt: the optimized prompt followed by what the tool fetched (or why it
 * could not), the fetched text held to the same byte limit as an attached context.
 */
export function withToolResult(prompt: string, tool: string, text: string, isError: boolean, limitBytes: number): string {
	const held = Buffer.byteLength(text) > limitBytes ? `${Buffer.from(text).subarray(0, limitBytes).toString()}\n[truncated at ${limitBytes} bytes]` : text;
	return isError ? `${prompt}\n\n(${tool} could not fetch it: ${held})` : `${prompt}\n\n${tool} result:\n${held}`;
}
