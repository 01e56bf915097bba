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
 */
import { createReadStream } from "node:fs";
import { open, readdir, readFile, realpath, stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { join, relative, sep } from "node:path";
import { Worker } from "node:worker_threads";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { escapeRegExp } from "../lib/regex";
import { resolveInRoots, within } from "../lib/guard";

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
	/** search_text with value_block: most continuation lines shown under one match. */
	max_block_lines: 40,
	/** read_lines returns at most this many lines per call, each cut at max_read_line_chars. */
	max_range_lines: 2000,
	max_read_line_chars: 4000,
	/** read_files stops after this many files or this many bytes in all, whichever comes first. */
	default_read_files: 20,
	max_read_files: 100,
	max_read_bytes: 1024 * 1024,
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
	/** The function, method or class the line is in, or "top level" (search_text with enclosing). */
	in?: string;
	/** The lines that continue the value the matched line opens (search_text with value_block). */
	block?: { line: number; text: string }[];
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
 * Every file under `start` (or `start` itself when it is a file), depth first, in name order (stable
 * output): a folder's files, then its subfolders. Symlinks are followed only when their real path
 * stays inside a root, and never into folders (no cycles). Stops after LIMITS.max_files files.
 */
async function* walkFiles(start: string, roots: string[], walk: Walk, glob?: string): AsyncGenerator<string> {
	if ((await stat(start)).isFile()) {
		yield start;
		return;
	}
	let seen = 0;
	const stack = [start];
	while (stack.length) {
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
			if (++seen > LIMITS.max_files) {
				walk.truncated = true;
				return;
			}
			yield p;
			if (walk.truncated) return;
		}
		// Pushed in reverse so that they are popped in name order.
		stack.push(...subdirs.reverse());
	}
}

/** The text files of the walk: binary files and files over the size cap are counted in files_skipped. */
async function* textFiles(start: string, roots: string[], walk: Walk, glob?: string): AsyncGenerator<{ path: string; text: string }> {
	for await (const path of walkFiles(start, roots, walk, glob)) {
		const text = await readText(path, walk);
		if (text !== null) yield { path, text };
	}
}

async function readText(path: string, walk: Walk): Promise<string | null> {
	const info = await stat(path).catch(() => null);
	if (!info || info.size > LIMITS.max_file_bytes) {
		walk.files_skipped++;
		return null;
	}
	const buf = await readFile(path).catch(() => null);
	if (!buf) return null;
	walk.files_scanned++;
	if (binary(buf)) {
		walk.files_skipped++;
		return null;
	}
	return buf.toString("utf8");
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

const indentOf = (line: string) => line.length - line.trimStart().length;

/** A line that leaves its value to the lines below: `key:`, `KEY = [`, `env: {`, a YAML block scalar `key: |`. */
const OPENS_VALUE = /(?::|=|\{|\[|\(|:\s*[|>][-+]?)\s*$/;

/**
 * The lines that hold the value line `i` opens: those indented deeper below it (YAML, Python,
 * pretty JSON), blank lines inside, and the bracket that closes it at its own indentation.
 * Nothing when the line holds its value itself (`replicas: 3`, `MAX = 10`).
 */
export function valueBlock(lines: string[], i: number, max = LIMITS.max_block_lines): { line: number; text: string }[] {
	if (!OPENS_VALUE.test(lines[i])) return [];
	const base = indentOf(lines[i]);
	const out: { line: number; text: string }[] = [];
	for (let j = i + 1; j < lines.length && out.length < max; j++) {
		const l = lines[j];
		if (!l.trim()) {
			const next = lines.slice(j + 1).find(x => x.trim());
			if (next === undefined || indentOf(next) <= base) break;
			continue;
		}
		if (indentOf(l) > base) {
			out.push({ line: j + 1, text: l.slice(base).trimEnd().slice(0, LIMITS.max_line_chars) });
			continue;
		}
		if (/^\s*[}\])]/.test(l) && indentOf(l) === base) out.push({ line: j + 1, text: l.slice(base).trimEnd() });
		break;
	}
	return out;
}

interface ScanOptions {
	glob?: string;
	/** Name the function each match is in (known languages). */
	enclosing?: boolean;
	/** Add the lines that continue the value a matched line opens. */
	valueBlock?: boolean;
}

/** Matches line by line under `start`, at most `max`. */
async function scan(start: string, roots: string[], match: LineMatcher, max: number, opts: ScanOptions = {}): Promise<{ matches: Match[] } & Walk> {
	const { glob, enclosing = false } = opts;
	const walk: Walk = { files_scanned: 0, files_skipped: 0, truncated: false };
	const matches: Match[] = [];
	for await (const f of textFiles(start, roots, walk, glob)) {
		const lines = f.text.split(/\r?\n/);
		const within = enclosing ? enclosingFinder(f.path) : null;
		for (const i of await match(lines, f.path)) {
			if (matches.length >= max) {
				walk.truncated = true;
				return { matches, ...walk };
			}
			const block = opts.valueBlock ? valueBlock(lines, i) : [];
			matches.push({
				file: shown(f.path, roots),
				line: i + 1,
				text: clip(lines[i]),
				...(within ? { in: within(lines, i) } : {}),
				...(block.length ? { block } : {}),
			});
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

/**
 * Definition patterns per language, by file extension; `n` is the escaped name. `scopes` are the
 * indexes of the patterns whose declaration opens a body (functions, methods, classes): the ones
 * that can enclose a match.
 */
const DEFINITIONS: { exts: string[]; patterns: ((n: string) => RegExp)[]; scopes: number[] }[] = [
	{
		exts: ["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"],
		scopes: [0, 1, 3, 4, 5],
		patterns: [
			n => new RegExp(`\\bfunction\\s*\\*?\\s*${n}\\s*[<(]`),
			// Not the `type N` of `import { type N }`, `{ type N as M }` or `import type N from`.
			n => new RegExp(`\\b(class|interface|type|enum|namespace)\\s+${n}\\b(?!\\s*(?:[,}]|as\\b|from\\b))`),
			n => new RegExp(`\\b(const|let|var)\\s+${n}\\s*[=:]`),
			// A method or object member: `name(...) {`, `async name(`, `name: function`, `name = (...) =>`.
			n => new RegExp(`^\\s*(?:(?:public|private|protected|static|async|readonly|override|get|set)\\s+)*${n}\\s*(?:<[^>]*>)?\\s*\\([^;]*\\)\\s*(?::\\s*[^=;]+)?\\{\\s*$`),
			n => new RegExp(`^\\s*(?:(?:public|private|protected|static|readonly)\\s+)*${n}\\s*[:=]\\s*(?:async\\s+)?(?:function\\b|\\([^)]*\\)\\s*=>|\\w+\\s*=>)`),
			// A function held in a variable: `const send = async (msg) => {`.
			n => new RegExp(`\\b(?:const|let|var)\\s+${n}\\s*(?::[^=]+)?=\\s*(?:async\\s+)?(?:function\\b|\\([^)]*\\)\\s*(?::[^=]+)?=>|[\\w$]+\\s*=>)`),
		],
	},
	{
		exts: ["py", "pyi"],
		scopes: [0, 1],
		patterns: [n => new RegExp(`^\\s*(?:async\\s+)?def\\s+${n}\\s*\\(`), n => new RegExp(`^\\s*class\\s+${n}\\b`), n => new RegExp(`^${n}\\s*(?::[^=]+)?=(?!=)`)],
	},
	{
		exts: ["go"],
		scopes: [0, 1],
		patterns: [n => new RegExp(`^func\\s+(?:\\([^)]*\\)\\s*)?${n}\\s*[\\[(]`), n => new RegExp(`^\\s*type\\s+${n}\\b`), n => new RegExp(`^\\s*(?:var|const)\\s+${n}\\b`)],
	},
	{
		exts: ["java", "kt", "scala", "cs"],
		scopes: [0, 1, 2],
		patterns: [
			n => new RegExp(`\\b(class|interface|enum|record|object|trait|struct)\\s+${n}\\b`),
			// A method declaration: modifiers and a return type, the name, a parameter list, not a call statement.
			n => new RegExp(`^\\s*(?:(?:public|private|protected|internal|static|final|abstract|synchronized|override|suspend|fun|def|async|virtual)\\s+)+[\\w<>\\[\\],.? ]*\\b${n}\\s*\\(`),
			n => new RegExp(`^\\s*fun\\s+${n}\\s*\\(`),
		],
	},
	{
		exts: ["rs"],
		scopes: [0, 1],
		patterns: [
			n => new RegExp(`\\bfn\\s+${n}\\s*[<(]`),
			n => new RegExp(`\\b(struct|enum|trait|type|mod|union)\\s+${n}\\b`),
			n => new RegExp(`\\b(const|static)\\s+(?:mut\\s+)?${n}\\s*:`),
			n => new RegExp(`\\bmacro_rules!\\s*${n}\\b`),
		],
	},
];

function languageOf(file: string): (typeof DEFINITIONS)[number] | undefined {
	const ext = file.slice(file.lastIndexOf(".") + 1).toLowerCase();
	return DEFINITIONS.find(d => d.exts.includes(ext));
}

export function definitionTest(file: string, name: string): ((line: string) => boolean) | null {
	const lang = languageOf(file);
	if (!lang) return null;
	const regexes = lang.patterns.map(p => p(escapeRegExp(name)));
	return line => line.includes(name) && regexes.some(r => r.test(line));
}

/** Words the method pattern would take for a name: `if (x) {` is not a method called if. */
const KEYWORDS = new Set("if for while switch catch with return function else do try new typeof await yield super this constructor".split(" "));
const COMMENT = /^\s*(#|\/\/|\/\*|\*)/;

/**
 * For a file in a known language, a function naming the declaration a line is inside: the nearest
 * function, method or class above it that is indented less (so a function that closed before the
 * line does not count), the line's own one-line function, or "top level". By declaration patterns and indentation, no parsing:
 * candidates, like find_definition's. Null for other languages.
 */
export function enclosingFinder(file: string): ((lines: string[], i: number) => string) | null {
	const lang = languageOf(file);
	if (!lang) return null;
	const scopes = lang.scopes.map(k => lang.patterns[k]("(?<name>[A-Za-z_$][\\w$]*)"));
	const declared = (line: string) => {
		for (const re of scopes) {
			const name = re.exec(line)?.groups?.name;
			if (name && !KEYWORDS.has(name)) return name;
		}
		return undefined;
	};
	return (lines, i) => {
		// A one-line function (`const show = (id) => load(id);`, `def f(): return g()`) encloses its own body;
		// a line opening a body (`function load(id) {`) is the declaration itself, inside what is above it.
		const own = declared(lines[i]);
		if (own && !/[{:(,]$/.test(lines[i].replace(/\s*(\/\/.*|#.*)$/, "").trimEnd())) return own;
		let limit = indentOf(lines[i]);
		for (let j = i - 1; j >= 0 && limit > 0; j--) {
			const line = lines[j];
			if (!line.trim() || COMMENT.test(line) || indentOf(line) >= limit) continue;
			limit = indentOf(line);
			const name = declared(line);
			if (name) return name;
		}
		return "top level";
	};
}

const DEFINITION_GLOB = `**/*.{${[...new Set(DEFINITIONS.flatMap(d => d.exts))].join(",")}}`;

/** Lines `from`..`to` (1-based, inclusive) of a text file, read as a stream so that a large log costs only what is asked. */
export async function readLines(file: string, from: number, to: number): Promise<{ lines: { line: number; text: string }[]; ended: boolean }> {
	const fh = await open(file, "r");
	try {
		const head = Buffer.alloc(8192);
		const { bytesRead } = await fh.read(head, 0, head.length, 0);
		if (binary(head.subarray(0, bytesRead))) throw new Error("is a binary file");
	} finally {
		await fh.close();
	}
	const stream = createReadStream(file, { encoding: "utf8" });
	const reader = createInterface({ input: stream, crlfDelay: Infinity });
	const lines: { line: number; text: string }[] = [];
	let n = 0;
	let ended = true;
	try {
		for await (const text of reader) {
			n++;
			if (n < from) continue;
			if (n > to) {
				ended = false;
				break;
			}
			lines.push({ line: n, text: text.length > LIMITS.max_read_line_chars ? `${text.slice(0, LIMITS.max_read_line_chars)}…` : text });
		}
	} finally {
		reader.close();
		stream.destroy();
	}
	if (!lines.length) throw new Error(`has ${n} lines, none from line ${from}`);
	return { lines, ended: ended && lines[lines.length - 1].line < to };
}

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

const DAY_MS = 24 * 60 * 60 * 1000;

function failure(message: string): CallToolResult {
	return { isError: true, content: [{ type: "text", text: message }] };
}

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** The caller's mistake (a path outside the roots, a missing file, a bad range): an error result saying so. */
class InputError extends Error {}

/** A tool handler whose InputErrors become `isError` results, as MCP tools report bad input. */
function answering<A>(handler: (args: A) => Promise<CallToolResult>): (args: A) => Promise<CallToolResult> {
	return async args => {
		try {
			return await handler(args);
		} catch (err) {
			if (err instanceof InputError) return failure(err.message);
			throw err;
		}
	};
}

function listing(matches: Match[], truncated: boolean, what: string): string {
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
const resultShape = {
	matches: z.array(matchShape).describe("One entry per matching line, in file then line order"),
	truncated: z.boolean().describe("True when a limit stopped the search before it covered everything"),
	files_scanned: z.number().int(),
	files_skipped: z.number().int().describe("Binary files and files over the size cap"),
};

const fileShape = z.object({
	file: z.string().describe("Path relative to the workspace root"),
	bytes: z.number().int(),
	modified: z.string().describe("Last modification time, ISO 8601 UTC"),
});

export function createSearchServer(roots: string[]): McpServer {
	const server = new McpServer({ name: "workspace-search", version: "0.1.0" });

	/** The search start inside the roots, or a message saying why not. */
	async function start(path: string | undefined): Promise<string> {
		const abs = await resolveInRoots("path", path ?? ".", roots).catch((err: Error) => {
			throw new InputError(err.message);
		});
		return realpath(abs).catch(() => {
			throw new InputError(`path '${path}' does not exist in ${roots.join(", ")}`);
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
			},
			outputSchema: resultShape,
			annotations: READ_ONLY,
		},
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
				res = await scan(from, roots, lineTest(line => line.includes(pattern)), max, scanOpts);
			} else {
				const lower = pattern.toLowerCase();
				res = await scan(from, roots, lineTest(line => line.toLowerCase().includes(lower)), max, scanOpts);
			}
			return { content: [{ type: "text", text: listing(res.matches, res.truncated, "matches") }], structuredContent: { ...res } };
		}),
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
			annotations: READ_ONLY,
		},
		answering(async ({ name, path, max_results }) => {
			const from = await start(path);
			const glob = (await stat(from)).isFile() ? undefined : DEFINITION_GLOB;
			const match: LineMatcher = (lines, file) => {
				const test = definitionTest(file, name);
				return test ? lineTest(test)(lines, file) : [];
			};
			const res = await scan(from, roots, match, max_results ?? LIMITS.default_results, { glob });
			return { content: [{ type: "text", text: listing(res.matches, res.truncated, "definitions") }], structuredContent: { ...res } };
		}),
	);

	server.registerTool(
		"read_lines",
		{
			title: "Read a range of lines",
			description:
				"Lines start..end (1-based, inclusive) of one text file, each prefixed with its number as `N: text`. " +
				`At most ${LIMITS.max_range_lines} lines per call; the file is streamed, so large files (logs) are fine.`,
			inputSchema: {
				path: z.string().min(1).describe("The file, relative to the workspace root"),
				start: z.number().int().min(1).describe("First line to return (1-based)"),
				end: z.number().int().min(1).describe(`Last line to return (inclusive); at most start + ${LIMITS.max_range_lines - 1}`),
			},
			outputSchema: {
				file: z.string(),
				start: z.number().int(),
				end: z.number().int().describe("The last line returned: below the end asked for when the file is shorter"),
				lines: z.array(z.object({ line: z.number().int(), text: z.string() })).describe("The lines, untrimmed"),
				file_ended: z.boolean().describe("True when the file ends before the end asked for"),
			},
			annotations: READ_ONLY,
		},
		answering(async ({ path, start: first, end }) => {
			if (end < first) return failure(`end (${end}) is before start (${first})`);
			if (end - first + 1 > LIMITS.max_range_lines) return failure(`end: at most ${LIMITS.max_range_lines} lines per call (asked for ${end - first + 1})`);
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

	server.registerTool(
		"find_files",
		{
			title: "Find files by size, age and content",
			description:
				"List the files under a folder that pass every filter given: a glob on the path, a size range, modified within the last N days, containing a string. " +
				"One `file (size, modified time)` line per file, in path order. Skips node_modules, .git and build output; the content filter reads text files up to 1 MB.",
			inputSchema: {
				path: z.string().optional().describe("Folder to look in, relative to the workspace root; default the whole workspace"),
				glob: z.string().max(200).optional().describe("Only files whose path below `path` matches this glob, e.g. **/*.ts or *.{yaml,yml}"),
				min_bytes: z.number().int().min(0).optional().describe("Only files at least this large, in bytes (50 MB = 52428800)"),
				max_bytes: z.number().int().min(0).optional().describe("Only files at most this large, in bytes"),
				modified_within_days: z.number().positive().max(36500).optional().describe("Only files whose last modification time is within this many days of now"),
				contains: z.string().min(1).max(1000).optional().describe("Only text files containing this exact text"),
				case_sensitive: z.boolean().optional().describe("For contains; default true"),
				max_results: z.number().int().min(1).max(LIMITS.max_results).optional().describe(`Most files to return; default ${LIMITS.default_results}`),
			},
			outputSchema: {
				files: z.array(fileShape).describe("The files that pass every filter, in path order"),
				truncated: z.boolean().describe("True when a limit stopped the walk before it covered everything"),
				files_scanned: z.number().int().describe("Files whose contents were read (contains only)"),
				files_skipped: z.number().int().describe("Binary files and files over 1 MB the contains filter could not read"),
			},
			annotations: READ_ONLY,
		},
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

	server.registerTool(
		"read_files",
		{
			title: "Read every file matching a glob",
			description:
				"The contents of every text file under a folder whose path matches a glob, one after another in path order, each under a `==> file <==` header. " +
				`At most max_files files and ${LIMITS.max_read_bytes / 1024 / 1024} MB in all; binary files and files over 1 MB are skipped.`,
			inputSchema: {
				path: z.string().min(1).describe("Folder to read from, relative to the workspace root"),
				glob: z.string().max(200).optional().describe("Only files whose path below `path` matches this glob, e.g. *.{yaml,yml}; default every file"),
				max_files: z.number().int().min(1).max(LIMITS.max_read_files).optional().describe(`Most files to return; default ${LIMITS.default_read_files}`),
			},
			outputSchema: {
				files: z.array(z.object({ file: z.string(), text: z.string() })).describe("The files read, in path order"),
				truncated: z.boolean().describe("True when max_files or the byte budget stopped the reading before every matching file"),
				files_scanned: z.number().int(),
				files_skipped: z.number().int().describe("Binary files and files over the size cap"),
			},
			annotations: READ_ONLY,
		},
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

	// The same answer as the file-system server's tool: our MCP client reads its roots from it.
	server.registerTool(
		"list_allowed_directories",
		{
			title: "List allowed directories",
			description: "The directories this server searches; paths outside them are refused.",
			inputSchema: {},
			annotations: READ_ONLY,
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
