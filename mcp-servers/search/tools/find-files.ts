/** find_files: the files passing every filter given (glob, size, age, content). */
import { stat } from "node:fs/promises";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { readText, shown, walkFiles, type Walk } from "../files";
import { LIMITS } from "../limits";
import { answering, READ_ONLY } from "../results";
import type { Workspace } from "../workspace";

const DAY_MS = 24 * 60 * 60 * 1000;

const fileShape = z.object({
	file: z.string().describe("Path relative to the workspace root"),
	bytes: z.number().int(),
	modified: z.string().describe("Last modification time, ISO 8601 UTC"),
});

function humanSize(bytes: number): string {
	const units = ["B", "KB", "MB", "GB", "TB"];
	let v = bytes;
	let u = 0;
	while (v >= 1024 && u < units.length - 1) {
		v /= 1024;
		u++;
	}
	return u === 0 ? `${bytes} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** The arguments of find_files; each field's description is what the model reads. */
export const FindFilesSchema = z.object({
	path: z.string().optional().describe("Folder to look in, relative to the workspace root; default the whole workspace"),
	glob: z.string().max(200).optional().describe("Only files whose path below `path` matches this glob, e.g. **/*.ts or *.{yaml,yml}"),
	min_bytes: z.number().int().min(0).optional().describe("Only files at least this large, in bytes (50 MB = 52428800)"),
	max_bytes: z.number().int().min(0).optional().describe("Only files at most this large, in bytes"),
	modified_within_days: z.number().positive().max(36500).optional().describe("Only files whose last modification time is within this many days of now"),
	contains: z.string().min(1).max(1000).optional().describe("Only text files containing this exact text"),
	case_sensitive: z.boolean().optional().describe("For contains; default true"),
	max_results: z.number().int().min(1).max(LIMITS.max_results).optional().describe(`Most files to return; default ${LIMITS.default_results}`),
});

/** What find_files returns (structuredContent). */
const FindFilesOutput = z.object({
	files: z.array(fileShape).describe("The files that pass every filter, in path order"),
	truncated: z.boolean().describe("True when a limit stopped the walk before it covered everything"),
	files_scanned: z.number().int().describe("Files whose contents were read (contains only)"),
	files_skipped: z.number().int().describe("Binary files and files over 1 MB the contains filter could not read"),
});

const config = {
	title: "Find files by size, age and content",
	description:
		"List the files under a folder that pass every filter given: a glob on the path, a size range, modified within the last N days, containing a string. " +
		"One `file (size, modified time)` line per file, in path order. Skips node_modules, .git and build output; the content filter reads text files up to 1 MB.",
	inputSchema: FindFilesSchema.shape,
	outputSchema: FindFilesOutput.shape,
	annotations: READ_ONLY,
};

export function registerFindFilesTool(server: McpServer, { roots, start }: Workspace): void {
	server.registerTool(
		"find_files",
		config,
		answering(async ({ path, glob, min_bytes, max_bytes, modified_within_days, contains, case_sensitive, max_results }) => {
			const from = await start(path);
			const max = max_results ?? LIMITS.default_results;
			const since = modified_within_days === undefined ? undefined : Date.now() - modified_within_days * DAY_MS;
			const needle = contains === undefined ? undefined : case_sensitive === false ? contains.toLowerCase() : contains;
			const walk: Walk = { files_scanned: 0, files_skipped: 0, truncated: false };
			const files: z.infer<typeof fileShape>[] = [];
			for await (const p of walkFiles(from, roots, walk, glob)) {
				const info = await stat(p).catch(() => null);
				if (!info) continue;
				if ((min_bytes !== undefined && info.size < min_bytes) || (max_bytes !== undefined && info.size > max_bytes)) continue;
				if (since !== undefined && info.mtimeMs < since) continue;
				if (needle !== undefined) {
					const text = await readText(p, walk);
					if (text === null || !(case_sensitive === false ? text.toLowerCase() : text).includes(needle)) continue;
				}
				if (files.length >= max) {
					walk.truncated = true;
					break;
				}
				files.push({ file: shown(p, roots), bytes: info.size, modified: info.mtime.toISOString() });
			}
			const lines = files.map(f => `${f.file} (${humanSize(f.bytes)}, modified ${f.modified.slice(0, 16).replace("T", " ")} UTC)`);
			if (!lines.length) lines.push("No files found.");
			if (walk.truncated) lines.push(`(stopped at ${files.length} files; narrow the search with path or glob)`);
			return { content: [{ type: "text", text: lines.join("\n") }], structuredContent: { files, ...walk } };
		}),
	);
}
