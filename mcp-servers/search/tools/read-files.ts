/** read_files: every text file of a folder matching a glob, one after another. */
import { stat } from "node:fs/promises";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { shown, textFiles, type Walk } from "../files";
import { LIMITS } from "../limits";
import { answering, failure, READ_ONLY } from "../results";
import type { Workspace } from "../workspace";

/** The arguments of read_files; each field's description is what the model reads. */
export const ReadFilesSchema = z.object({
	path: z.string().min(1).describe("Folder to read from, relative to the workspace root"),
	glob: z.string().max(200).optional().describe("Only files whose path below `path` matches this glob, e.g. *.{yaml,yml}; default every file"),
	max_files: z.number().int().min(1).max(LIMITS.max_read_files).optional().describe(`Most files to return; default ${LIMITS.default_read_files}`),
});

/** What read_files returns (structuredContent). */
const ReadFilesOutput = z.object({
	files: z.array(z.object({ file: z.string(), text: z.string() })).describe("The files read, in path order"),
	truncated: z.boolean().describe("True when max_files or the byte budget stopped the reading before every matching file"),
	files_scanned: z.number().int(),
	files_skipped: z.number().int().describe("Binary files and files over the size cap"),
});

const config = {
	title: "Read every file matching a glob",
	description:
		"The contents of every text file under a folder whose path matches a glob, one after another in path order, each under a `==> file <==` header. " +
		`At most max_files files and ${LIMITS.max_read_bytes / 1024 / 1024} MB in all; binary files and files over 1 MB are skipped.`,
	inputSchema: ReadFilesSchema.shape,
	outputSchema: ReadFilesOutput.shape,
	annotations: READ_ONLY,
};

export function registerReadFilesTool(server: McpServer, { roots, start }: Workspace): void {
	server.registerTool(
		"read_files",
		config,
		answering(async ({ path, glob, max_files }) => {
			const from = await start(path);
			if (!(await stat(from)).isDirectory()) return failure(`path '${shown(from, roots)}' is a file; read_files reads a folder`);
			const max = max_files ?? LIMITS.default_read_files;
			const walk: Walk = { files_scanned: 0, files_skipped: 0, truncated: false };
			const files: { file: string; text: string }[] = [];
			let bytes = 0;
			for await (const f of textFiles(from, roots, walk, glob)) {
				const size = Buffer.byteLength(f.text);
				if (files.length >= max || bytes + size > LIMITS.max_read_bytes) {
					walk.truncated = true;
					break;
				}
				bytes += size;
				files.push({ file: shown(f.path, roots), text: f.text });
			}
			const parts = files.map(f => `==> ${f.file} <==\n${f.text.replace(/\n$/, "")}`);
			if (!parts.length) parts.push("No files found.");
			if (walk.truncated) parts.push(`(stopped after ${files.length} files; narrow the glob or raise max_files)`);
			return { content: [{ type: "text", text: parts.join("\n\n") }], structuredContent: { files, ...walk } };
		}),
	);
}
