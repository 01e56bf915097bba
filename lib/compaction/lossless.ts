import { plainCallId } from "../tool-call-id";

/**
 * The lossless level: removes only what a model cannot use. Escape sequences a terminal would
 * interpret (colours, cursor moves) and progress bars overwritten with carriage returns (only the
 * last state is what a terminal shows); and a tool output that repeats an earlier one exactly
 * becomes a reference to it. Every other byte stays, whitespace included: a tool output is often a
 * file an agent will edit by exact match (Claude Code's Edit, SWE-agent's str_replace), and a line's
 * trailing blanks, PEP 8's two blank lines between functions or a file's CRLF ends are what its
 * next `old_str` must repeat (they were removed here until 2026-12-02, for 0.2 % of the tokens).
 * Each message depends only on itself and the messages before it, so a conversation's earlier
 * messages compact to the same bytes on every later call.
 */

// CSI (colours, cursor moves), OSC (titles, hyperlinks) and single-character escapes.
// ANSI escape sequences are control characters by definition: matching them is the point.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Terminal noise only; never longer than the input. */
export function losslessText(text: string): string {
	let out = text.includes("\x1b") ? text.replace(ANSI, "") : text;
	if (out.includes("\r")) {
		// "50%\r75%\r100%" is what a progress bar prints; the terminal shows the last state. A line's CRLF end is the
		// file's, not an overwrite: kept.
		out = out
			.split("\n")
			.map(line => {
				const crlf = line.endsWith("\r");
				const body = crlf ? line.slice(0, -1) : line;
				if (!body.includes("\r")) return line;
				const shown = lastNonEmpty(body.split("\r"));
				return crlf ? `${shown}\r` : shown;
			})
			.join("\n");
	}
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
