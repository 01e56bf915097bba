import { plainCallId } from "../tool-call-id";

/**
 * The lossless level: removes only what a model cannot use. Escape sequences a terminal would
 * interpret (colours, cursor moves), progress bars overwritten with carriage returns (only the
 * last state is what a terminal shows), trailing blanks, runs of blank lines; and a tool output
 * that repeats an earlier one exactly becomes a reference to it. Leading indentation is kept
 * (it is syntax in Python and YAML). Each message depends only on itself and the messages before
 * it, so a conversation's earlier messages compact to the same bytes on every later call.
 */

// CSI (colours, cursor moves), OSC (titles, hyperlinks) and single-character escapes.
// ANSI escape sequences are control characters by definition: matching them is the point.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Whitespace and terminal noise only; never longer than the input. */
export function losslessText(text: string): string {
	let out = text.includes("\x1b") ? text.replace(ANSI, "") : text;
	if (out.includes("\r")) {
		out = out
			.replace(/\r\n/g, "\n")
			// "50%\r75%\r100%" is what a progress bar prints; the terminal shows the last state.
			.split("\n")
			.map(line => (line.includes("\r") ? lastNonEmpty(line.split("\r")) : line))
			.join("\n");
	}
	out = out.replace(/[ \t]+$/gm, "").replace(/\n{3,}/g, "\n\n");
	return out.length <= text.length ? out : text;
}

function lastNonEmpty(parts: string[]): string {
	for (let i = parts.length - 1; i >= 0; i--) if (parts[i].trim()) return parts[i];
	return "";
}

/** A repeat shorter than this stays: the reference would save nothing worth a lookup. */
export const MIN_REPEAT_CHARS = 200;

/** Longest part of an earlier output's first line quoted in a reference to it. */
const QUOTED_CHARS = 80;

/**
 * The text that stands for a tool output identical to an earlier one of the same request. It names
 * the earlier output by what the model sees in every wire format: the tool call it answered (its id
 * is in the vendor's request whatever the format), else its first line. Never by position: the
 * messages the vendor receives are numbered otherwise (a system prompt moved out of the list or
 * into it, an Anthropic turn's tool results split into tool messages or merged back).
 */
export function repeatReference(earlier: { tool_call_id?: string; content: string }): string {
	// The id as every vendor receives it: without a Gemini signature riding in it (lib/tool-call-id.ts).
	if (earlier.tool_call_id) return `[output identical to the result of tool call ${plainCallId(earlier.tool_call_id)} above]`;
	const first = earlier.content.split("\n").find(line => line.trim()) ?? "";
	const quoted = first.length > QUOTED_CHARS ? `${first.slice(0, QUOTED_CHARS)}…` : first;
	return `[output identical to the earlier output above that begins: ${quoted}]`;
}
