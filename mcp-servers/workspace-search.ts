/**
 * A content-search MCP server over stdio: finds strings and definitions inside the files under the
 * directories named on the command line (the reference file-system server only matches file names),
 * and answers what that server cannot in one call: a range of lines (read_lines), files filtered by
 * size, age and content (find_files), every file of a folder matching a glob (read_files).
 *
 *   node <project>/mcp-servers/workspace-search.js <root> [<root>...]
 *
 * Pure Node: no ripgrep binary. Read-only, bounded (results, file size, files scanned), and every path
 * stays inside the roots (symlinks resolved). Logs go to stderr: stdout is the protocol.
 *
 * This file is the entry (roots from the command line, stdio transport). The server is under search/, laid out
 * like the MCP reference servers: server.ts (wiring), tools/ (one file per tool: its zod schema, config with
 * annotations, registerXTool), files.ts (the walker and readers), languages.ts (declaration patterns per
 * language), enclosing.ts (the enclosing-function finder), scan.ts (the line scan and value blocks),
 * regex-worker.ts + regex-thread.js (a caller's regex in a worker thread, on a time budget), workspace.ts
 * (the roots and the path guard, lib/guard.ts).
 */
import { realpath, stat } from "node:fs/promises";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createSearchServer } from "./search/server";

export { createSearchServer } from "./search/server";
export { LIMITS } from "./search/limits";
export { readLines } from "./search/files";
export { definitionTest } from "./search/languages";
export { enclosingFinder } from "./search/enclosing";
export { valueBlock, type Match } from "./search/scan";

export async function main(args: string[]): Promise<void> {
	if (!args.length) {
		console.error("usage: workspace-search <root> [<root>...]");
		process.exit(2);
	}
	const roots: string[] = [];
	for (const a of args) {
		try {
			const real = await realpath(a);
			if (!(await stat(real)).isDirectory()) throw new Error("not a directory");
			roots.push(real);
		} catch (err) {
			console.error(`workspace-search: root ${a} is not a readable directory (${(err as Error).message})`);
			process.exit(2);
		}
	}
	await createSearchServer(roots).connect(new StdioServerTransport());
	console.error(`workspace-search: serving ${roots.join(", ")}`);
}

if (require.main === module) void main(process.argv.slice(2));
