import { realpath, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { Errors } from "moleculer";
import type { McpToolInfo } from "./registry";

export type ToolKind = "read" | "write" | "manage";

/** Verbs that act on resources rather than on content: MANAGE in the intent taxonomy. */
const MANAGE_NAME = /(^|[_-])(move|rename|delete|remove|rm|deploy|restart|kill|drop|scale|install|grant|revoke)([_-]|$)/i;
const READ_NAME = /^(get|list|read|search|find|query|fetch|describe|show|view)([_-]|$)/i;

/**
 * What a tool does to the world, from its MCP annotations first (readOnlyHint), its name second.
 * A tool that says nothing and is not named like a read counts as a write: it stays off unless allowed.
 */
export function toolKind(tool: { name: string; annotations?: { readOnlyHint?: boolean } }): ToolKind {
	if (tool.annotations?.readOnlyHint === true) return "read";
	if (MANAGE_NAME.test(tool.name)) return "manage";
	if (tool.annotations?.readOnlyHint === undefined && READ_NAME.test(tool.name)) return "read";
	return "write";
}

export function toolAllowed(kind: ToolKind, entry: { allow_write: boolean; allow_manage: boolean }): boolean {
	return kind === "read" || (kind === "write" && entry.allow_write) || (kind === "manage" && entry.allow_manage);
}

/** Argument names that carry file-system paths, by the conventions of the reference servers. */
const PATH_ARG = /^(path|paths|source|destination|file|files|filename|filepath|file_path|dir|directory|root)$/i;

export function pathArguments(tool: McpToolInfo): string[] {
	const props = (tool.inputSchema?.properties ?? {}) as Record<string, unknown>;
	return Object.keys(props).filter(k => PATH_ARG.test(k));
}

/** Whether `child` is `root` or below it (both absolute). */
export function within(child: string, root: string): boolean {
	const rel = relative(root, child);
	return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** realpath of the deepest part that exists, with the rest appended: a file about to be written still resolves its links. */
async function realpathNearest(p: string): Promise<string> {
	try {
		return await realpath(p);
	} catch {
		const parent = dirname(p);
		if (parent === p) return p;
		return join(await realpathNearest(parent), basename(p));
	}
}

/**
 * The refusal of a path outside the roots. It names the path as the caller gave it and never the roots themselves: the
 * caller names files relative to the workspace and need not learn where the server keeps it (as hideRoots says).
 */
function outside(field: string, value: string, roots: string[], why: string): Errors.MoleculerClientError {
	const where = roots.length > 1 ? `its ${roots.length} allowed roots` : "its workspace";
	return new Errors.MoleculerClientError(
		`${field} '${value}' ${why}; this service may only touch files under ${where} (name them relative to it, e.g. 'src/index.ts')`,
		403,
		"PATH_OUTSIDE_ROOT",
		{ field, path: value },
	);
}

/**
 * One path argument resolved against the first root (relative paths are relative to it) and refused
 * when it leaves every root: by `..`, by an absolute path elsewhere, or through a symlink pointing out.
 */
export async function resolveInRoots(field: string, value: string, roots: string[]): Promise<string> {
	if (value.includes("\0")) throw outside(field, value, roots, "contains a NUL byte");
	const abs = isAbsolute(value) ? resolve(value) : resolve(roots[0], value);
	if (!roots.some(r => within(abs, r))) throw outside(field, value, roots, "is outside the allowed roots");
	const real = await realpathNearest(abs);
	const realRoots = await Promise.all(roots.map(r => realpath(r).catch(() => r)));
	if (!realRoots.some(r => within(real, r))) throw outside(field, value, roots, "resolves through a symlink to a place outside the allowed roots");
	return abs;
}

/**
 * A tool's error text with the roots' absolute paths said relative to them ("ENOENT: ... '/srv/ws/src/a.ts'" ->
 * "'src/a.ts'", the root itself "."): an error goes back to the caller, who names files relative to the workspace
 * and need not learn where the server keeps it. Longest root first, so a nested root is not cut at its parent.
 */
export function hideRoots(text: string, roots: readonly string[]): string {
	let out = text;
	for (const root of [...roots].sort((a, b) => b.length - a.length)) {
		if (root.length < 2) continue;
		const r = root.endsWith(sep) ? root.slice(0, -1) : root;
		out = out
			.split(r + sep)
			.join("")
			.split(r)
			.join(".");
	}
	return out;
}

/** Tools that only stat what they are given (the file-system server's get_file_info): a pipe's or a device's size and times are safe. */
const METADATA_NAME = /(^|[_-])(info|stat|stats)([_-]|$)/i;
/** The file-system server's readers that read every byte before they answer (no streaming), unless asked for a head or tail. */
const WHOLE_READ_NAME = /^read_(?:file|text_file|media_file|multiple_files)$/i;

/** What a path that is neither a file nor a folder is, for the refusal. */
function specialKind(info: Stats): string | null {
	if (info.isFIFO()) return "a named pipe";
	if (info.isCharacterDevice()) return "a character device";
	if (info.isBlockDevice()) return "a block device";
	if (info.isSocket()) return "a socket";
	return null;
}

export interface GuardOptions {
	/**
	 * Largest file a whole-file read may be asked for. The reference server reads it all into memory and answers it twice
	 * (content and structuredContent): past what one answer can carry, the read only holds the one-threaded server (a
	 * 500 MB log: over 30 s, every other caller's read waiting) before its answer is dropped.
	 */
	maxWholeReadBytes?: number;
}

/**
 * Refuses what a read tool must not be handed though it is inside the roots: a named pipe, device or socket (an open of a
 * pipe waits for a writer and holds one of the server's four libuv threads for good: four such calls and every later read
 * hung; /dev/zero-like devices never end), and, for a whole-file read, a file larger than `maxWholeReadBytes`.
 */
async function refuseUnreadable(
	tool: McpToolInfo,
	field: string,
	value: string,
	abs: string,
	opts: GuardOptions,
	args: Record<string, unknown>,
): Promise<void> {
	if (METADATA_NAME.test(tool.name)) return;
	const info = await stat(abs).catch(() => null);
	if (!info) return;
	const kind = specialKind(info);
	if (kind)
		throw new Errors.MoleculerClientError(
			`${field} '${value}' is ${kind}, not a regular file: reading it could wait forever or never end`,
			400,
			"NOT_A_REGULAR_FILE",
			{ field, path: value },
		);
	const max = opts.maxWholeReadBytes;
	if (max !== undefined && info.isFile() && info.size > max && WHOLE_READ_NAME.test(tool.name) && args.head === undefined && args.tail === undefined)
		throw new Errors.MoleculerClientError(
			`${field} '${value}' is ${info.size} bytes, more than a whole read can answer (${max}); ask for its first or last lines, or a range of lines`,
			413,
			"FILE_TOO_LARGE",
			{ field, path: value, bytes: info.size, limit: max },
		);
}

/**
 * The tool's arguments with every path argument checked and made absolute; other arguments untouched. A path that is
 * there must also be one the tool can read (refuseUnreadable).
 */
export async function guardPaths(tool: McpToolInfo, args: Record<string, unknown>, roots: string[], opts: GuardOptions = {}): Promise<Record<string, unknown>> {
	if (!roots.length) return args;
	const out = { ...args };
	const checked = async (field: string, value: string): Promise<string> => {
		const abs = await resolveInRoots(field, value, roots);
		await refuseUnreadable(tool, field, value, abs, opts, args);
		return abs;
	};
	for (const key of pathArguments(tool)) {
		const v = out[key];
		if (typeof v === "string") out[key] = await checked(`arguments.${key}`, v);
		else if (Array.isArray(v)) {
			out[key] = await Promise.all(v.map((p, i) => (typeof p === "string" ? checked(`arguments.${key}.${i}`, p) : p)));
		}
	}
	return out;
}

/** The directories in a `list_allowed_directories` answer ("Allowed directories:\n/a\n/b"). */
export function parseAllowedDirectories(text: string): string[] {
	return text
		.split("\n")
		.map(l => l.trim())
		.filter(l => isAbsolute(l));
}
