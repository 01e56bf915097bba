/** read_lines: a range of lines of one file, streamed. */
import { stat } from "node:fs/promises";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { readLines, shown } from "../files";
import { LIMITS } from "../limits";
import { answering, failure, InputError, READ_ONLY } from "../results";
import type { Workspace } from "../workspace";

/** The arguments of read_lines; each field's description is what the model reads. */
export const ReadLinesSchema = z.object({
	path: z.string().min(1).describe("The file, relative to the workspace root"),
	start: z.number().int().min(1).describe("First line to return (1-based)"),
	end: z
		.number()
		.int()
		.min(1)
		.describe(`Last line to return (inclusive); at most start + ${LIMITS.max_range_lines - 1}`),
});

/** What read_lines returns (structuredContent). */
const ReadLinesOutput = z.object({
	file: z.string(),
	start: z.number().int(),
	end: z.number().int().describe("The last line returned: below the end asked for when the file is shorter"),
	lines: z.array(z.object({ line: z.number().int(), text: z.string() })).describe("The lines, untrimmed"),
	file_ended: z.boolean().describe("True when the file ends before the end asked for"),
});

const config = {
	title: "Read a range of lines",
	description:
		"Lines start..end (1-based, inclusive) of one text file, each prefixed with its number as `N: text`. " +
		`At most ${LIMITS.max_range_lines} lines per call; the file is streamed, so large files (logs) are fine.`,
	inputSchema: ReadLinesSchema.shape,
	outputSchema: ReadLinesOutput.shape,
	annotations: READ_ONLY,
};

export function registerReadLinesTool(server: McpServer, { roots, start }: Workspace): void {
	server.registerTool(
		"read_lines",
		config,
		answering(async ({ path, start: first, end }) => {
			if (end < first) return failure(`end (${end}) is before start (${first})`);
			if (end - first + 1 > LIMITS.max_range_lines)
				return failure(`end: at most ${LIMITS.max_range_lines} lines per call (asked for ${end - first + 1})`);
			const file = await start(path);
			if (!(await stat(file)).isFile()) return failure(`path '${shown(file, roots)}' is a folder, not a file`);
			const res = await readLines(file, first, end).catch((err: Error) => {
				throw new InputError(`path '${shown(file, roots)}' ${err.message}`);
			});
			const last = res.lines[res.lines.length - 1].line;
			const text = res.lines.map(l => `${l.line}: ${l.text}`);
			if (res.ended) text.push(`(the file ends at line ${last})`);
			return {
				content: [{ type: "text", text: text.join("\n") }],
				structuredContent: { file: shown(file, roots), start: first, end: last, lines: res.lines, file_ended: res.ended },
			};
		}),
	);
}
