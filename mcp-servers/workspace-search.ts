/**
 * A content-search MCP server over stdio: finds strings and definitions inside the files under the
 * directories named on the command line (the reference file-system server only matches file names).
 *
 *   node <project>/mcp-servers/workspace-search.js <root> [<root>...]
 *
 * Pure Node: no ripgrep binary. Read-only, bounded (results, file size, files scanned), and every path
 * stays inside the roots (symlinks resolved). Logs go to stderr: stdout is the protocol.
 */
import { open, readdir, realpath, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { Worker } from "node:worker_threads";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { escapeRegExp } from "../lib/regex";
import { resolveInRoots, within } from "../services/mcp/guard";

// minimatch 3 ships no types; this is the one call we make.
const minimatch: (path: string, pattern: string, options?: { dot?: boolean; nocase?: boolean; matchBase?: boolean }) => boolean = require("minimatch");

export const LIMITS = {
	/** Larger files are skipped (logs, dumps, bundles): reading them would be slow and rarely what is asked. */
	max_file_bytes: 1024 * 1024,
	/** A walk stops after this many files, so a huge tree answers instead of hanging. */
	max_files: 20_000,
	default_results: 100,
	max_results: 1000,
	/** A matched line is cut to this many characters (minified code has megabyte lines). */
	max_line_chars: 240,
	/**
	 * A caller's regular expression runs in a worker thread with this much time for the whole search:
	 * JavaScript cannot interrupt a backtracking RegExp, so a pattern like (a+)+$ would otherwise
	 * freeze this server for every later call too. On expiry the worker is terminated.
	 */
	regex_ms: Number(process.env.SEARCH_REGEX_TIMEOUT_MS ?? 3000),
};

/** Folders nobody means when they search their code. */
const SKIP_DIRS = new Set(["node_modules", ".git", ".hg", ".svn", "dist", "build", "coverage", ".next", ".venv", "venv", "__pycache__", "target", "vendor"]);

export interface Match {
	file: string;
	line: number;
	text: string;
}

interface Walk {
	files_scanned: number;
	files_skipped: number;
	truncated: boolean;
}

/** How a result names a file: relative to its root when there is one root, absolute otherwise. */
function shown(file: string, roots: string[]): string {
	if (roots.length === 1 && within(file, roots[0])) return relative(roots[0], file) || ".";
	return file;
}

/** A file holding a NUL byte in its first 8 KB is binary. */
function binary(buf: Buffer): boolean {
	return buf.subarray(0, 8192).includes(0);
}

/**
 * Every searchable text file under `start`, depth first, in name order (stable output). Symlinks are
 * followed only when their real path stays inside a root, and never into folders (no cycles).
 */
async function* textFiles(start: string, roots: string[], walk: Walk, glob?: string): AsyncGenerator<{ path: string; text: string }> {
	if ((await stat(start)).isFile()) {
		yield* readable(start, walk);
		return;
	}
	const stack = [start];
	while (stack.length && !walk.truncated) {
		const dir = stack.pop()!;
		const entries = (await readdir(dir, { withFileTypes: true }).catch(() => [])).sort((a, b) => (a.name < b.name ? -1 : 1));
		const subdirs: string[] = [];
		for (const e of entries) {
			const p = join(dir, e.name);
			if (e.isDirectory()) {
				if (!SKIP_DIRS.has(e.name)) subdirs.push(p);
				continue;
			}
			if (e.isSymbolicLink()) {
				const real = await realpath(p).catch(() => null);
				if (!real || !roots.some(r => within(real, r)) || !(await stat(real).catch(() => null))?.isFile()) continue;
			} else if (!e.isFile()) continue;
			if (glob && !minimatch(relative(start, p).split(sep).join("/"), glob, { dot: true, matchBase: !glob.includes("/") })) continue;
			yield* readable(p, walk);
			if (walk.truncated) return;
		}
		// Pushed in reverse so that they are popped in name order.
		stack.push(...subdirs.reverse());
	}
}

async function* readable(path: string, walk: Walk): AsyncGenerator<{ path: string; text: string }> {
	if (walk.files_scanned >= LIMITS.max_files) {
		walk.truncated = true;
		return;
	}
	const info = await stat(path).catch(() => null);
	if (!info || info.size > LIMITS.max_file_bytes) {
		walk.files_skipped++;
		return;
	}
	const fh = await open(path, "r").catch(() => null);
	if (!fh) return;
	try {
		const buf = await fh.readFile();
		walk.files_scanned++;
		if (binary(buf)) {
			walk.files_skipped++;
			return;
		}
		yield { path, text: buf.toString("utf8") };
	} finally {
		await fh.close();
	}
}

function clip(line: string): string {
	const t = line.trim();
	return t.length > LIMITS.max_line_chars ? `${t.slice(0, LIMITS.max_line_chars)}…` : t;
}

/** Indexes of the lines of one file that match, computed here or in a worker. */
type LineMatcher = (lines: string[], path: string) => number[] | Promise<number[]>;

const lineTest =
	(test: (line: string) => boolean): LineMatcher =>
	lines =>
		lines.flatMap((l, i) => (test(l) ? [i] : []));

/** Matches line by line under `start`, at most `max`. */
async function scan(start: string, roots: string[], match: LineMatcher, max: number, glob?: string): Promise<{ matches: Match[] } & Walk> {
	const walk: Walk = { files_scanned: 0, files_skipped: 0, truncated: false };
	const matches: Match[] = [];
	for await (const f of textFiles(start, roots, walk, glob)) {
		const lines = f.text.split(/\r?\n/);
		for (const i of await match(lines, f.path)) {
			if (matches.length >= max) {
				walk.truncated = true;
				return { matches, ...walk };
			}
			matches.push({ file: shown(f.path, roots), line: i + 1, text: clip(lines[i]) });
		}
	}
	return { matches, ...walk };
}

const REGEX_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const re = new RegExp(workerData.source, workerData.flags);
parentPort.on("message", lines => {
	const hits = [];
	for (let i = 0; i < lines.length; i++) if (re.test(lines[i])) hits.push(i);
	parentPort.postMessage(hits);
});
`;

class RegexTimeout extends Error {}

/** Runs `fn` with a line matcher for `re` that executes in a worker thread, terminated after `budgetMs`. */
async function withRegexWorker<T>(re: RegExp, budgetMs: number, fn: (match: LineMatcher) => Promise<T>): Promise<T> {
	const worker = new Worker(REGEX_WORKER, { eval: true, workerData: { source: re.source, flags: re.flags } });
	const deadline = Date.now() + budgetMs;
	let timer: NodeJS.Timeout | undefined;
	const expired = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new RegexTimeout()), budgetMs);
	});
	expired.catch(() => undefined);
	const match: LineMatcher = lines =>
		Date.now() >= deadline
			? Promise.reject(new RegexTimeout())
			: Promise.race([
					new Promise<number[]>((resolve, reject) => {
						worker.once("message", resolve);
						worker.once("error", reject);
						worker.postMessage(lines);
					}),
					expired,
				]);
	try {
		return await fn(match);
	} finally {
		clearTimeout(timer);
		await worker.terminate();
	}
}

/** Definition patterns per language, by file extension; `N` is the escaped name. */
const DEFINITIONS: { exts: string[]; patterns: ((n: string) => RegExp)[] }[] = [
	{
		exts: ["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"],
		patterns: [
			n => new RegExp(`\\bfunction\\s*\\*?\\s*${n}\\s*[<(]`),
			n => new RegExp(`\\b(class|interface|type|enum|namespace)\\s+${n}\\b`),
			n => new RegExp(`\\b(const|let|var)\\s+${n}\\s*[=:]`),
			// A method or object member: `name(...) {`, `async name(`, `name: function`, `name = (...) =>`.
			n => new RegExp(`^\\s*(?:(?:public|private|protected|static|async|readonly|override|get|set)\\s+)*${n}\\s*(?:<[^>]*>)?\\s*\\([^;]*\\)\\s*(?::\\s*[^=;]+)?\\{\\s*$`),
			n => new RegExp(`^\\s*(?:(?:public|private|protected|static|readonly)\\s+)*${n}\\s*[:=]\\s*(?:async\\s+)?(?:function\\b|\\([^)]*\\)\\s*=>|\\w+\\s*=>)`),
		],
	},
	{
		exts: ["py", "pyi"],
		patterns: [n => new RegExp(`^\\s*(?:async\\s+)?def\\s+${n}\\s*\\(`), n => new RegExp(`^\\s*class\\s+${n}\\b`), n => new RegExp(`^${n}\\s*(?::[^=]+)?=(?!=)`)],
	},
	{
		exts: ["go"],
		patterns: [n => new RegExp(`^func\\s+(?:\\([^)]*\\)\\s*)?${n}\\s*[\\[(]`), n => new RegExp(`^\\s*type\\s+${n}\\b`), n => new RegExp(`^\\s*(?:var|const)\\s+${n}\\b`)],
	},
	{
		exts: ["java", "kt", "scala", "cs"],
		patterns: [
			n => new RegExp(`\\b(class|interface|enum|record|object|trait|struct)\\s+${n}\\b`),
			// A method declaration: modifiers and a return type, the name, a parameter list, not a call statement.
			n => new RegExp(`^\\s*(?:(?:public|private|protected|internal|static|final|abstract|synchronized|override|suspend|fun|def|async|virtual)\\s+)+[\\w<>\\[\\],.? ]*\\b${n}\\s*\\(`),
			n => new RegExp(`^\\s*fun\\s+${n}\\s*\\(`),
		],
	},
	{
		exts: ["rs"],
		patterns: [
			n => new RegExp(`\\bfn\\s+${n}\\s*[<(]`),
			n => new RegExp(`\\b(struct|enum|trait|type|mod|union)\\s+${n}\\b`),
			n => new RegExp(`\\b(const|static)\\s+(?:mut\\s+)?${n}\\s*:`),
			n => new RegExp(`\\bmacro_rules!\\s*${n}\\b`),
		],
	},
];

function definitionTest(file: string, name: string): ((line: string) => boolean) | null {
	const ext = file.slice(file.lastIndexOf(".") + 1).toLowerCase();
	const lang = DEFINITIONS.find(d => d.exts.includes(ext));
	if (!lang) return null;
	const regexes = lang.patterns.map(p => p(escapeRegExp(name)));
	return line => line.includes(name) && regexes.some(r => r.test(line));
}

const DEFINITION_GLOB = `**/*.{${[...new Set(DEFINITIONS.flatMap(d => d.exts))].join(",")}}`;

function failure(message: string): CallToolResult {
	return { isError: true, content: [{ type: "text", text: message }] };
}

function listing(matches: Match[], truncated: boolean, what: string): string {
	if (!matches.length) return `No ${what} found.`;
	const lines = matches.map(m => `${m.file}:${m.line}: ${m.text}`);
	if (truncated) lines.push(`(stopped at ${matches.length} ${what}; narrow the search with path or glob)`);
	return lines.join("\n");
}

const matchShape = z.object({ file: z.string(), line: z.number().int(), text: z.string() });
const resultShape = {
	matches: z.array(matchShape).describe("One entry per matching line, in file then line order"),
	truncated: z.boolean().describe("True when a limit stopped the search before it covered everything"),
	files_scanned: z.number().int(),
	files_skipped: z.number().int().describe("Binary files and files over the size cap"),
};

export function createSearchServer(roots: string[]): McpServer {
	const server = new McpServer({ name: "workspace-search", version: "0.1.0" });

	/** The search start inside the roots, or a message saying why not. */
	async function start(path: string | undefined): Promise<string> {
		const abs = await resolveInRoots("path", path ?? ".", roots);
		return realpath(abs).catch(() => {
			throw new Error(`path '${path}' does not exist in ${roots.join(", ")}`);
		});
	}

	server.registerTool(
		"search_text",
		{
			title: "Search text in files",
			description:
				"Find the lines that contain a string (or match a regular expression) in the text files under the workspace, as `file:line: text`. " +
				"Skips node_modules, .git, build output, binary files and files over 1 MB.",
			inputSchema: {
				pattern: z.string().min(1).max(1000).describe("The text to find, exactly as it appears in the files (a regular expression when regex is true)"),
				path: z.string().optional().describe("File or folder to search, relative to the workspace root; default the whole workspace"),
				glob: z.string().max(200).optional().describe("Only files whose path below `path` matches this glob, e.g. **/*.ts or *.{yaml,yml}"),
				regex: z.boolean().optional().describe("Treat pattern as a JavaScript regular expression; default false (plain text)"),
				case_sensitive: z.boolean().optional().describe("Default true"),
				max_results: z.number().int().min(1).max(LIMITS.max_results).optional().describe(`Most matching lines to return; default ${LIMITS.default_results}`),
			},
			outputSchema: resultShape,
			annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
		},
		async ({ pattern, path, glob, regex, case_sensitive, max_results }) => {
			let from: string;
			try {
				from = await start(path);
			} catch (err) {
				return failure((err as Error).message);
			}
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
					res = await withRegexWorker(re, LIMITS.regex_ms, match => scan(from, roots, match, max, glob));
				} catch (err) {
					if (!(err instanceof RegexTimeout)) throw err;
					return failure(
						`pattern: the regular expression ran over ${LIMITS.regex_ms} ms and was stopped (nested quantifiers backtrack exponentially); simplify it or search plain text`,
					);
				}
			} else if (caseSensitive) {
				res = await scan(from, roots, lineTest(line => line.includes(pattern)), max, glob);
			} else {
				const lower = pattern.toLowerCase();
				res = await scan(from, roots, lineTest(line => line.toLowerCase().includes(lower)), max, glob);
			}
			return { content: [{ type: "text", text: listing(res.matches, res.truncated, "matches") }], structuredContent: { ...res } };
		},
	);

	server.registerTool(
		"find_definition",
		{
			title: "Find a definition",
			description:
				"Find where an identifier is defined (function, class, interface, type, const/let/var, def, func, struct, trait, fn...) in JS/TS, Python, Go, Java/Kotlin/C#, and Rust files, " +
				"by declaration patterns (no type analysis): results are candidate `file:line: text` lines.",
			inputSchema: {
				name: z
					.string()
					.regex(/^[A-Za-z_$][\w$]*$/, "name must be a single identifier (letters, digits, _ or $)")
					.max(200)
					.describe("The identifier, e.g. calculateTax or UserService"),
				path: z.string().optional().describe("File or folder to search, relative to the workspace root; default the whole workspace"),
				max_results: z.number().int().min(1).max(LIMITS.max_results).optional().describe(`Most definitions to return; default ${LIMITS.default_results}`),
			},
			outputSchema: resultShape,
			annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
		},
		async ({ name, path, max_results }) => {
			let from: string;
			try {
				from = await start(path);
			} catch (err) {
				return failure((err as Error).message);
			}
			const glob = (await stat(from)).isFile() ? undefined : DEFINITION_GLOB;
			const match: LineMatcher = (lines, file) => {
				const test = definitionTest(file, name);
				return test ? lineTest(test)(lines, file) : [];
			};
			const res = await scan(from, roots, match, max_results ?? LIMITS.default_results, glob);
			return { content: [{ type: "text", text: listing(res.matches, res.truncated, "definitions") }], structuredContent: { ...res } };
		},
	);

	// The same answer as the file-system server's tool: our MCP client reads its roots from it.
	server.registerTool(
		"list_allowed_directories",
		{
			title: "List allowed directories",
			description: "The directories this server searches; paths outside them are refused.",
			inputSchema: {},
			annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
		},
		async () => ({ content: [{ type: "text", text: `Allowed directories:\n${roots.join("\n")}` }] }),
	);

	return server;
}

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
