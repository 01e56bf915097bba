/** search_text: the lines containing a string or matching a regular expression, with enclosing names and value blocks on request. */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { LIMITS } from "../limits";
import { RegexTimeout, withRegexWorker } from "../regex-worker";
import { answering, failure, listing, READ_ONLY, resultShape } from "../results";
import { lineTest, scan, type ScanOptions } from "../scan";
import type { Workspace } from "../workspace";

/** The arguments of search_text; each field's description is what the model reads. */
export const SearchTextSchema = z.object({
	pattern: z.string().min(1).max(1000).describe("The text to find, exactly as it appears in the files (a regular expression when regex is true)"),
	path: z.string().optional().describe("File or folder to search, relative to the workspace root; default the whole workspace"),
	glob: z.string().max(200).optional().describe("Only files whose path below `path` matches this glob, e.g. **/*.ts or *.{yaml,yml}"),
	regex: z.boolean().optional().describe("Treat pattern as a JavaScript regular expression; default false (plain text)"),
	case_sensitive: z.boolean().optional().describe("Default true"),
	max_results: z.number().int().min(1).max(LIMITS.max_results).optional().describe(`Most matching lines to return; default ${LIMITS.default_results}`),
	enclosing: z
		.boolean()
		.optional()
		.describe(
			"Also name the function, method or class each match is in, as `file:line (in name): text` (JS/TS, Python, Go, Java/Kotlin/C#, Rust; by declaration patterns and indentation: candidates)",
		),
	value_block: z
		.boolean()
		.optional()
		.describe(
			`When a matching line opens a value it does not hold (\`key:\` in YAML, \`KEY = [\`, \`"key": {\`), also show the lines below that hold it (deeper indentation and the closing bracket), as \`file:line- text\`; at most ${LIMITS.max_block_lines}`,
		),
});

const config = {
	title: "Search text in files",
	description:
		"Find the lines that contain a string (or match a regular expression) in the text files under the workspace, as `file:line: text`. " +
		"Skips node_modules, .git, build output, binary files and files over 1 MB.",
	inputSchema: SearchTextSchema.shape,
	outputSchema: resultShape,
	annotations: READ_ONLY,
};

export function registerSearchTextTool(server: McpServer, { roots, start }: Workspace): void {
	server.registerTool(
		"search_text",
		config,
		answering(async ({ pattern, path, glob, regex, case_sensitive, max_results, enclosing, value_block }) => {
			const scanOpts: ScanOptions = { glob, enclosing, valueBlock: value_block };
			const from = await start(path);
			const caseSensitive = case_sensitive !== false;
			const max = max_results ?? LIMITS.default_results;
			let res: Awaited<ReturnType<typeof scan>>;
			if (regex) {
				let re: RegExp;
				try {
					re = new RegExp(pattern, caseSensitive ? "" : "i");
				} catch (err) {
					return failure(`pattern is not a valid regular expression: ${(err as Error).message}`);
				}
				try {
					res = await withRegexWorker(re, LIMITS.regex_ms, match => scan(from, roots, match, max, scanOpts));
				} catch (err) {
					if (!(err instanceof RegexTimeout)) throw err;
					return failure(
						`pattern: the regular expression ran over ${LIMITS.regex_ms} ms and was stopped (nested quantifiers backtrack exponentially); simplify it or search plain text`,
					);
				}
			} else if (caseSensitive) {
				res = await scan(
					from,
					roots,
					lineTest(line => line.includes(pattern)),
					max,
					scanOpts,
				);
			} else {
				const lower = pattern.toLowerCase();
				res = await scan(
					from,
					roots,
					lineTest(line => line.toLowerCase().includes(lower)),
					max,
					scanOpts,
				);
			}
			return { content: [{ type: "text", text: listing(res.matches, res, max, "matches") }], structuredContent: { ...res } };
		}),
	);
}
