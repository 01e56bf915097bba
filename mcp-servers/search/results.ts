/** What every tool of the server shares: the read-only annotations, error results, the match listing and its output shape. */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { Match } from "./scan";

export function failure(message: string): CallToolResult {
	return { isError: true, content: [{ type: "text", text: message }] };
}

export const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** The caller's mistake (a path outside the roots, a missing file, a bad range): an error result saying so. */
export class InputError extends Error {}

/** A tool handler whose InputErrors become `isError` results, as MCP tools report bad input. */
export function answering<A>(handler: (args: A) => Promise<CallToolResult>): (args: A) => Promise<CallToolResult> {
	return async args => {
		try {
			return await handler(args);
		} catch (err) {
			if (err instanceof InputError) return failure(err.message);
			throw err;
		}
	};
}

export function listing(matches: Match[], truncated: boolean, what: string): string {
	if (!matches.length) return `No ${what} found.`;
	// Continuation lines as grep prints context: `file:line- text`, indentation kept.
	const lines = matches.flatMap(m => [
		`${m.file}:${m.line}${m.in ? (m.in === "top level" ? " (top level)" : ` (in ${m.in})`) : ""}: ${m.text}`,
		...(m.block ?? []).map(b => `${m.file}:${b.line}- ${b.text}`),
	]);
	if (truncated) lines.push(`(stopped at ${matches.length} ${what}; narrow the search with path or glob)`);
	return lines.join("\n");
}

const matchShape = z.object({
	file: z.string(),
	line: z.number().int(),
	text: z.string(),
	in: z.string().optional().describe('With enclosing: the function, method or class the line is in, or "top level"'),
	block: z
		.array(z.object({ line: z.number().int(), text: z.string() }))
		.optional()
		.describe("With value_block: the lines below that hold the value this line opens, indentation relative to it"),
});
/** The output of search_text and find_definition. */
export const resultShape = {
	matches: z.array(matchShape).describe("One entry per matching line, in file then line order"),
	truncated: z.boolean().describe("True when a limit stopped the search before it covered everything"),
	files_scanned: z.number().int(),
	files_skipped: z.number().int().describe("Binary files and files over the size cap"),
};
