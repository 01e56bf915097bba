/**
 * The file walker and readers: which files a search visits (skipped folders, symlinks kept inside the
 * roots, a glob, the file cap) and how a file is read (binary and oversized files skipped, ranges streamed).
 */
import { createReadStream, type Dirent } from "node:fs";
import { open, readdir, readFile, realpath, stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { join, relative, sep } from "node:path";
import { within } from "../../lib/guard";
import { Memo } from "../../lib/memo";
import { LIMITS } from "./limits";

export interface GlobOptions {
	dot?: boolean;
	nocase?: boolean;
	matchBase?: boolean;
}
// minimatch 3 ships no types; its compiled pattern is the one thing we use.
const { Minimatch } = require("minimatch") as { Minimatch: new (pattern: string, options?: GlobOptions) => { match(path: string): boolean } };

/** Compiled patterns: a walk tests one glob against every entry, and a search server sees the same few globs again. */
const compiledGlobs = new Memo<string, { match(path: string): boolean }>(256);

/**
 * minimatch(path, pattern, options) with the pattern compiled once: minimatch's own function compiles it on every call,
 * 72 µs for find_definition's brace glob, so a walk over a folder of 200,000 files spent ~14 s on compiling alone.
 */
export function minimatch(path: string, pattern: string, options: GlobOptions = {}): boolean {
	const key = `${options.dot ? 1 : 0}${options.nocase ? 1 : 0}${options.matchBase ? 1 : 0}${pattern}`;
	return compiledGlobs.get(key, () => new Minimatch(pattern, options)).match(path);
}

/** Folders nobody means when they search their code. */
const SKIP_DIRS = new Set(["node_modules", ".git", ".hg", ".svn", "dist", "build", "coverage", ".next", ".venv", "venv", "__pycache__", "target", "vendor"]);

/** What a walk counted; reported with every result. */
export interface Walk {
	files_scanned: number;
	files_skipped: number;
	/** Of files_skipped, those over the size cap: text that may hold what was looked for, so an answer says so. */
	files_too_large?: number;
	truncated: boolean;
}

/** How a result names a file: relative to its root when there is one root, absolute otherwise. */
export function shown(file: string, roots: string[]): string {
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
export async function* walkFiles(start: string, roots: string[], walk: Walk, glob?: string): AsyncGenerator<string> {
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

/** What find_files walks: which kinds of entry it yields, how deep, and which subtrees it prunes. */
/** The kinds of entry that are neither file, folder nor link: devices, sockets, named pipes. */
export type SpecialKind = "block_device" | "char_device" | "socket" | "fifo";

const IS_SPECIAL: Record<SpecialKind, (e: Dirent) => boolean> = {
	block_device: e => e.isBlockDevice(),
	char_device: e => e.isCharacterDevice(),
	socket: e => e.isSocket(),
	fifo: e => e.isFIFO(),
};

export interface EntryWalk {
	/** Yield regular files (and links to files inside the roots). */
	files: boolean;
	/** Yield folders (never `start` itself, as `find -mindepth 1`). */
	directories: boolean;
	/** Yield symbolic links themselves, not followed, wherever they point (find -type l); the other kinds then skip links. */
	links?: boolean;
	/** Yield the special files of this kind (find -type b, c, s, p), never read. */
	special?: SpecialKind;
	/** Deepest level yielded: 1 = the entries of `start` only (find's -maxdepth). */
	maxDepth?: number;
	/** Globs on the path below `start`; a matching folder is not entered, a matching entry not yielded (find's -prune). */
	exclude?: string[];
	/** Stay on `start`'s file system: a folder mounted from another is yielded but not entered (find -xdev). */
	sameDevice?: boolean;
	/**
	 * Follow symbolic links to folders inside the roots as the folders they point to: listed as folders and entered, unless the
	 * folder is one the walk is already inside (a loop: find -L reports it and does not walk it again).
	 */
	followLinks?: boolean;
}

export interface Entry {
	path: string;
	directory: boolean;
	depth: number;
	/** A symbolic link yielded as itself (EntryWalk.links). */
	link?: boolean;
}

/**
 * Like walkFiles, with folders too when asked, a depth limit and pruned subtrees: the walk `find` does.
 * Same order, skipped folders, link rule and file cap (folders count toward it as well).
 */
export async function* walkEntries(start: string, roots: string[], walk: Walk, what: EntryWalk): AsyncGenerator<Entry> {
	if ((await stat(start)).isFile()) {
		if (what.files) yield { path: start, directory: false, depth: 0 };
		return;
	}
	const excluded = (p: string) =>
		(what.exclude ?? []).some(g => minimatch(relative(start, p).split(sep).join("/"), g, { dot: true, matchBase: !g.includes("/") }));
	let seen = 0;
	const device = what.sameDevice ? (await stat(start)).dev : undefined;
	// find -L: the real folders the walk is inside (each entry's ancestors); a link back up the tree is listed, not walked again.
	const follow = what.followLinks === true;
	const stack: { dir: string; depth: number; inside: string[] }[] = [{ dir: start, depth: 0, inside: follow ? [await realpath(start)] : [] }];
	while (stack.length) {
		const { dir, depth, inside } = stack.pop()!;
		const entries = (await readdir(dir, { withFileTypes: true }).catch(() => [])).sort((a, b) => (a.name < b.name ? -1 : 1));
		const subdirs: { dir: string; depth: number; inside: string[] }[] = [];
		for (const e of entries) {
			const p = join(dir, e.name);
			let directory = e.isDirectory();
			if (directory && SKIP_DIRS.has(e.name)) continue;
			if (e.isSymbolicLink() && follow) {
				// find -L: a link is what it points to; one to a folder inside the roots is that folder.
				const real = await realpath(p).catch(() => null);
				const info = real && roots.some(r => within(real, r)) ? await stat(real).catch(() => null) : null;
				if (!info || !(info.isDirectory() || info.isFile())) continue;
				if (info.isDirectory() && SKIP_DIRS.has(e.name)) continue;
				directory = info.isDirectory();
			} else if (e.isSymbolicLink()) {
				if (what.links) {
					if (excluded(p)) continue;
					if (++seen > LIMITS.max_files) {
						walk.truncated = true;
						return;
					}
					yield { path: p, directory: false, depth: depth + 1, link: true };
					continue;
				}
				const real = await realpath(p).catch(() => null);
				if (!real || !roots.some(r => within(real, r)) || !(await stat(real).catch(() => null))?.isFile()) continue;
			} else if (what.special && IS_SPECIAL[what.special](e)) {
				if (excluded(p)) continue;
				if (++seen > LIMITS.max_files) {
					walk.truncated = true;
					return;
				}
				yield { path: p, directory: false, depth: depth + 1 };
				continue;
			} else if (!directory && !e.isFile()) continue;
			if (excluded(p)) continue;
			const real = follow && directory ? await realpath(p).catch(() => p) : undefined;
			if (
				directory &&
				(real === undefined || !inside.includes(real)) &&
				(what.maxDepth === undefined || depth + 1 < what.maxDepth) &&
				(device === undefined || (await stat(p).catch(() => null))?.dev === device)
			)
				subdirs.push({ dir: p, depth: depth + 1, inside: real === undefined ? inside : [...inside, real] });
			if (directory ? !what.directories : !what.files) continue;
			if (++seen > LIMITS.max_files) {
				walk.truncated = true;
				return;
			}
			yield { path: p, directory, depth: depth + 1 };
			if (walk.truncated) return;
		}
		stack.push(...subdirs.reverse());
	}
}

/** The text files of the walk: binary files and files over the size cap are counted in files_skipped. */
export async function* textFiles(start: string, roots: string[], walk: Walk, glob?: string): AsyncGenerator<{ path: string; text: string }> {
	for await (const path of walkFiles(start, roots, walk, glob)) {
		const text = await readText(path, walk);
		if (text !== null) yield { path, text };
	}
}

export async function readText(path: string, walk: Walk): Promise<string | null> {
	const info = await stat(path).catch(() => null);
	if (!info || info.size > LIMITS.max_file_bytes) {
		walk.files_skipped++;
		if (info) walk.files_too_large = (walk.files_too_large ?? 0) + 1;
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
