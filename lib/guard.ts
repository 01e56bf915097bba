import { realpath } from "node:fs/promises";
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

/** The tool's arguments with every path argument checked and made absolute; other arguments untouched. */
export async function guardPaths(tool: McpToolInfo, args: Record<string, unknown>, roots: string[]): Promise<Record<string, unknown>> {
	if (!roots.length) return args;
	const out = { ...args };
	for (const key of pathArguments(tool)) {
		const v = out[key];
		if (typeof v === "string") out[key] = await resolveInRoots(`arguments.${key}`, v, roots);
		else if (Array.isArray(v)) {
			out[key] = await Promise.all(v.map((p, i) => (typeof p === "string" ? resolveInRoots(`arguments.${key}.${i}`, p, roots) : p)));
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
