/** What every tool of the server shares: the read-only annotations, error results, the match listing and its output shape. */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { Walk } from "./files";
import { LIMITS } from "./limits";
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

/**
 * What an answer leaves out, said under it: the results cap (`max` reached), the walk's file cap (LIMITS.max_files: the
 * files past it were never looked at, so "No matches found." alone would claim an absence nobody checked), and, when
 * nothing was found, the files over the size cap that were not read.
 */
export function walkNotes(shown: number, max: number, walk: Walk, what: string): string[] {
	const notes: string[] = [];
	if (walk.truncated)
		notes.push(
			shown >= max
				? `(stopped at ${shown} ${what}; narrow the search with path or glob)`
				: `(stopped after ${LIMITS.max_files} files, the most one search walks: the files past them were not searched; narrow the search with path or glob)`,
		);
	// Said under "No ... found.", the one answer they could make untrue; with places listed they would only repeat, under
	// every search of a repository holding a big lockfile, what the tool's description says it skips.
	if (walk.files_too_large && !shown)
		notes.push(`(${walk.files_too_large} file${walk.files_too_large === 1 ? "" : "s"} over ${LIMITS.max_file_bytes / (1024 * 1024)} MB not searched)`);
	return notes;
}

export function listing(matches: Match[], walk: Walk, max: number, what: string): string {
	// Continuation lines as grep prints context: `file:line- text`, indentation kept.
	const lines = matches.flatMap(m => [
		`${m.file}:${m.line}${m.in ? (m.in === "top level" ? " (top level)" : ` (in ${m.in})`) : ""}: ${m.text}`,
		...(m.block ?? []).map(b => `${m.file}:${b.line}- ${b.text}`),
	]);
	if (!lines.length) lines.push(`No ${what} found.`);
	return [...lines, ...walkNotes(matches.length, max, walk, what)].join("\n");
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
	files_too_large: z.number().int().optional().describe("Of files_skipped, the files over the size cap (1 MB), not searched"),
};
