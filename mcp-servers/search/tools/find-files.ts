/** find_files: the files (or folders, or links) passing every filter given (name, glob, type, depth, size, age, owner, permissions, emptiness, content): what `find` answers. */
import { lstat, readdir, readFile, readlink, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { basename, relative, sep } from "node:path";
import { z } from "zod";
import { escapeRegExp } from "../../../lib/regex";
import { minimatch, readText, shown, walkEntries, type Walk } from "../files";
import { LIMITS } from "../limits";
import { RegexTimeout, withRegexWorker } from "../regex-worker";
import { answering, InputError, READ_ONLY, walkNotes } from "../results";
import type { Workspace } from "../workspace";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The name -> id entries of /etc/passwd or /etc/group (Node has no getpwnam); none when the file cannot be read. */
async function accounts(db: "/etc/passwd" | "/etc/group"): Promise<Map<string, number>> {
	const text = await readFile(db, "utf8").catch(() => "");
	const out = new Map<string, number>();
	for (const line of text.split("\n")) {
		const [name, , id] = line.split(":");
		if (name && id !== undefined && /^\d+$/.test(id)) out.set(name, Number(id));
	}
	return out;
}

/** A user or group named as find's -user/-group take it: a number is the id, a name is looked up. An unknown name is the caller's mistake. */
async function idOf(name: string, db: "/etc/passwd" | "/etc/group"): Promise<number> {
	if (/^\d+$/.test(name)) return Number(name);
	const id = (await accounts(db)).get(name);
	if (id === undefined)
		throw new InputError(`${db === "/etc/passwd" ? "owner" : "group"}: no ${db === "/etc/passwd" ? "user" : "group"} named '${name}' on this machine`);
	return id;
}

/** Every id /etc/passwd (or /etc/group) names: an entry whose uid (gid) is none of them has no user (group), as find -nouser (-nogroup) says. */
async function knownIds(db: "/etc/passwd" | "/etc/group"): Promise<Set<number>> {
	return new Set((await accounts(db)).values());
}

/** What the conditions need from the call: where "within N days" starts (daystart), a reference file's mtime, how globs match. */
interface ConditionContext {
	since: (days: number | undefined) => number | undefined;
	mtimeOf: (file: string | undefined) => Promise<number | undefined>;
	globOptions: { dot: boolean; nocase: boolean };
}

/** One entry against a set of conditions that must all hold: the top-level arguments, or one alternative of any_of. */
async function conditionTest(c: Conditions, ctx: ConditionContext): Promise<(info: Stats, base: string, directory: boolean) => boolean> {
	const [modifiedSince, modifiedBefore] = [ctx.since(c.modified_within_days), ctx.since(c.modified_before_days)];
	const [accessedSince, accessedBefore] = [ctx.since(c.accessed_within_days), ctx.since(c.accessed_before_days)];
	const [changedSince, changedBefore] = [ctx.since(c.changed_within_days), ctx.since(c.changed_before_days)];
	const [newerThan, olderThan] = [await ctx.mtimeOf(c.newer_than), await ctx.mtimeOf(c.older_than)];
	const [accessedAfter, changedAfter] = [await ctx.mtimeOf(c.accessed_after), await ctx.mtimeOf(c.changed_after)];
	const uid = c.owner === undefined ? undefined : await idOf(c.owner, "/etc/passwd");
	const notUid = c.not_owner === undefined ? undefined : await idOf(c.not_owner, "/etc/passwd");
	const gid = c.group === undefined ? undefined : await idOf(c.group, "/etc/group");
	// A size bound holds for files only: find -size on a folder measures the folder's own entry, which find_files never lists by size.
	const sized = c.min_bytes !== undefined || c.max_bytes !== undefined;
	const after = (t: number, bound: number | undefined) => bound === undefined || t >= bound;
	const before = (t: number, bound: number | undefined) => bound === undefined || t < bound;
	return (info, base, directory) =>
		(c.name === undefined || minimatch(base, c.name, ctx.globOptions)) &&
		(!sized || (!directory && (c.min_bytes === undefined || info.size >= c.min_bytes) && (c.max_bytes === undefined || info.size <= c.max_bytes))) &&
		after(info.mtimeMs, modifiedSince) &&
		before(info.mtimeMs, modifiedBefore) &&
		after(info.atimeMs, accessedSince) &&
		before(info.atimeMs, accessedBefore) &&
		after(info.ctimeMs, changedSince) &&
		before(info.ctimeMs, changedBefore) &&
		(newerThan === undefined || info.mtimeMs > newerThan) &&
		(olderThan === undefined || info.mtimeMs <= olderThan) &&
		(accessedAfter === undefined || info.atimeMs > accessedAfter) &&
		(changedAfter === undefined || info.ctimeMs > changedAfter) &&
		(uid === undefined || info.uid === uid) &&
		(notUid === undefined || info.uid !== notUid) &&
		(gid === undefined || info.gid === gid);
}

/**
 * The type of each mounted file system by its device number (what stat's dev says of every entry on it), from the kernel's
 * mount table (find -fstype reads the same). Null where there is no such table (not Linux).
 */
async function fileSystemTypes(): Promise<Map<number, string> | null> {
	const text = await readFile("/proc/self/mountinfo", "utf8").catch(() => null);
	if (text === null) return null;
	const out = new Map<number, string>();
	for (const line of text.split("\n")) {
		// "36 35 98:0 /mnt1 /mnt/parent rw - ext3 /dev/root rw": major:minor third, the type first after the " - ".
		const [left, right] = line.split(" - ");
		const dev = /^\S+\s+\S+\s+(\d+):(\d+)\s/.exec(left ?? "");
		const type = right?.split(" ")[0];
		if (!dev || !type) continue;
		const [major, minor] = [Number(dev[1]), Number(dev[2])];
		// glibc's makedev, as Node's stat reports dev on Linux.
		out.set((major % 4096) * 256 + (minor % 256) + (minor - (minor % 256)) * 4096 + (major - (major % 4096)) * 2 ** 32, type);
	}
	return out;
}

/** find -lname's pattern as a regular expression: fnmatch without FNM_PATHNAME, so * and ? cross "/"; [...] a class; \\x the character x. */
function lnamePattern(glob: string, nocase: boolean): RegExp {
	let out = "";
	for (let i = 0; i < glob.length; i++) {
		const c = glob[i];
		if (c === "*") out += ".*";
		else if (c === "?") out += ".";
		else if (c === "\\" && i + 1 < glob.length) out += escapeRegExp(glob[++i]);
		else if (c === "[" && glob.indexOf("]", i + 2) > 0) {
			const end = glob.indexOf("]", i + 2);
			const body = glob.slice(i + 1, end).replace(/\\/g, "\\\\");
			out += body.startsWith("!") ? `[^${body.slice(1)}]` : `[${body}]`;
			i = end;
		} else out += escapeRegExp(c);
	}
	return new RegExp(`^${out}$`, nocase ? "si" : "s");
}

const fileShape = z.object({
	file: z.string().describe("Path relative to the workspace root"),
	directory: z.boolean().optional().describe("True for a folder (only with type directory or any)"),
	target: z.string().optional().describe("Where a symbolic link points, as written in the link (type symlink only)"),
	kind: z.enum(["block_device", "char_device", "socket", "fifo"]).optional().describe("A device, socket or named pipe (those types only)"),
	bytes: z.number().int(),
	modified: z.string().describe("Last modification time, ISO 8601 UTC"),
	accessed: z.string().optional().describe("Last access time, ISO 8601 UTC (when show_times names it)"),
	changed: z.string().optional().describe("Last status change time, ISO 8601 UTC (when show_times names it)"),
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

/** An octal permission mode argument (find -perm takes 3 or 4 octal digits). */
const octalMode = (description: string) =>
	z
		.string()
		.regex(/^[0-7]{3,4}$/)
		.optional()
		.describe(description);

/** A calendar day, YYYY-MM-DD, local time: the bound of a -newermt / -newerat test. */
const calendarDay = (description: string) =>
	z
		.string()
		.regex(/^\d{4}-\d{2}-\d{2}$/)
		.optional()
		.describe(description);

/**
 * The conditions both the top-level arguments and each any_of alternative take (the tests one side of find's -o can hold),
 * defined once: each carries an id, so the tool's JSON Schema has one definition per condition that the top-level
 * property and the alternatives' property both refer to ($ref), instead of every field described twice.
 */
const CONDITIONS = shared("find_files", {
	name: z.string().min(1).max(200).optional().describe("Only entries whose own name (not the path) matches this glob, e.g. *.log or *report* (find -name)"),
	owner: z.string().min(1).max(64).optional().describe("Only entries owned by this user name or numeric uid (find -user)"),
	not_owner: z.string().min(1).max(64).optional().describe("Only entries not owned by this user name or numeric uid (find ! -user)"),
	group: z.string().min(1).max(64).optional().describe("Only entries of this group name or numeric gid (find -group)"),
	min_bytes: z.number().int().min(0).optional().describe("Only files at least this large, in bytes (50 MB = 52428800)"),
	max_bytes: z.number().int().min(0).optional().describe("Only files at most this large, in bytes"),
	modified_within_days: z.number().positive().max(36500).optional().describe("Only files whose last modification time is within this many days of now"),
	modified_before_days: z.number().positive().max(36500).optional().describe("Only entries last modified more than this many days ago (find -mtime +N)"),
	accessed_within_days: z.number().positive().max(36500).optional().describe("Only entries last accessed within this many days of now (find -atime/-amin)"),
	accessed_before_days: z.number().positive().max(36500).optional().describe("Only entries last accessed more than this many days ago (find -atime +N)"),
	changed_within_days: z
		.number()
		.positive()
		.max(36500)
		.optional()
		.describe("Only entries whose status (inode: contents, owner, mode, links) last changed within this many days of now (find -ctime/-cmin)"),
	changed_before_days: z
		.number()
		.positive()
		.max(36500)
		.optional()
		.describe("Only entries whose status last changed more than this many days ago (find -ctime +N)"),
	newer_than: z.string().optional().describe("Only entries modified more recently than this file, relative to the workspace root (find -newer FILE)"),
	older_than: z.string().optional().describe("Only entries modified before this file was (find ! -newer FILE)"),
	accessed_after: z.string().optional().describe("Only entries last accessed after this file was last modified (find -anewer FILE)"),
	changed_after: z.string().optional().describe("Only entries whose status last changed after this file was last modified (find -cnewer FILE)"),
});

/** The fields as schemas with an id each (`<tool>.<field>`): zod's JSON Schema then defines each once and refers to it. */
function shared<T extends Record<string, z.ZodType>>(tool: string, fields: T): T {
	return Object.fromEntries(Object.entries(fields).map(([key, schema]) => [key, schema.meta({ id: `${tool}.${key}` })])) as T;
}

/** One alternative of any_of: the conditions find joins with -o, each alternative's own conditions all holding (find \( A -o B \)). */
const AlternativeSchema = z
	.object(CONDITIONS)
	.strict()
	.refine(a => Object.keys(a).length > 0, "an alternative needs at least one condition");

/** The conditions an alternative may hold; the top-level arguments of the same names are tested by the same code. */
type Conditions = z.infer<typeof AlternativeSchema>;

/** The arguments of find_files; each field's description is what the model reads. */
export const FindFilesSchema = z.object({
	path: z.string().optional().describe("Folder to look in, relative to the workspace root; default the whole workspace"),
	paths: z.array(z.string().min(1)).max(20).optional().describe("More folders to look in after `path`, each walked the same way (find A B C ...)"),
	type: z
		.enum(["file", "directory", "any", "symlink", "block_device", "char_device", "socket", "fifo"])
		.optional()
		.describe(
			"What to list: files (default), folders, both (find -type f / -type d), symbolic links themselves, not followed (find -type l), or block devices, character devices, sockets or named pipes (find -type b, c, s, p)",
		),
	broken: z.boolean().optional().describe("With type symlink: only links whose target does not exist (find -xtype l)"),
	link_target: z
		.string()
		.min(1)
		.max(300)
		.optional()
		.describe(
			"With type symlink: only links whose target, as written in the link, matches this shell pattern; * and ? match / too, e.g. /mnt/old* or */systemctl (find -lname; -ilname with ignore_case)",
		),
	name: CONDITIONS.name,
	not_names: z
		.array(z.string().min(1).max(200))
		.min(1)
		.max(10)
		.optional()
		.describe(
			'Leave out entries whose own name matches any of these globs, e.g. ["*.dll", "*.exe"]; a folder so named is still walked, its entries judged each on its own (find ! -name A ! -name B); ignore_case applies',
		),
	glob: z.string().max(200).optional().describe("Only entries whose path below `path` matches this glob, e.g. **/*.ts or *.{yaml,yml}"),
	name_regex: z
		.string()
		.min(1)
		.max(500)
		.optional()
		.describe(
			"Only entries whose own name matches this JavaScript regular expression as a whole, e.g. .*myfile[0-9]+ (find -regex, on the name); ignore_case applies",
		),
	path_regex: z
		.string()
		.min(1)
		.max(500)
		.optional()
		.describe(
			"Only entries whose whole path, as find prints it (the folder as given in `path`, default `.`, then a slash and the path below it: ./src/a.ts), matches this JavaScript regular expression as a whole (find -regex); ignore_case applies",
		),
	ignore_case: z.boolean().optional().describe("Match name, not_names, glob, name_regex and path_regex ignoring case (find -iname, -iregex); default false"),
	max_depth: z.number().int().min(1).max(100).optional().describe("Deepest level to list: 1 = only the entries directly in `path` (find -maxdepth)"),
	min_depth: z.number().int().min(1).max(100).optional().describe("Shallowest level to list: 2 = skip the entries directly in `path` (find -mindepth)"),
	exclude: z
		.array(z.string().min(1).max(200))
		.max(20)
		.optional()
		.describe("Globs of paths below `path` to leave out; a matching folder is not entered (find -prune)"),
	fs_types: z
		.array(z.string().regex(/^[a-z0-9_.-]{2,20}$/))
		.min(1)
		.max(5)
		.optional()
		.describe("Only entries on a file system of one of these types, e.g. ext4, nfs, vfat (find -fstype TYPE); Linux only"),
	one_file_system: z
		.boolean()
		.optional()
		.describe("Stay on the file system `path` is on: a folder where another file system is mounted is listed but not entered (find -xdev)"),
	follow_links: z
		.boolean()
		.optional()
		.describe("Follow symbolic links inside the workspace: a link to a folder is listed and entered as that folder, each folder once (find -L)"),
	empty: z.boolean().optional().describe("Only empty files (0 bytes) and folders with no entries (find -empty)"),
	owner: CONDITIONS.owner,
	not_owner: CONDITIONS.not_owner,
	owners: z
		.array(z.string().min(1).max(64))
		.min(2)
		.max(10)
		.optional()
		.describe("Only entries owned by any one of these user names or numeric uids (find \\( -user A -o -user B \\))"),
	group: CONDITIONS.group,
	unowned: z
		.enum(["user", "group", "either", "both"])
		.optional()
		.describe(
			"Only entries whose owner (user), group (group), either one (either) or both (both) is named in no /etc/passwd or /etc/group line (find -nouser, -nogroup, \\( -nouser -o -nogroup \\), -nouser -nogroup)",
		),
	permissions: octalMode("Only entries whose permission bits are exactly this octal mode, e.g. 644 or 4755 (find -perm 644)"),
	permissions_any: octalMode("Only entries with any of these octal bits set: 4000 setuid, 2000 setgid, 6000 either, 0002 world-writable (find -perm /bits)"),
	permissions_all: octalMode("Only entries with all of these octal bits set, e.g. 111 executable by everyone (find -perm -bits)"),
	permissions_lacking: octalMode("Only entries missing at least one of these octal bits, e.g. 444 not readable by everyone (find ! -perm -bits)"),
	permissions_none: octalMode("Only entries with none of these octal bits set, e.g. 111 executable by nobody (find ! -perm /bits)"),
	permissions_not: octalMode("Only entries whose permission bits are not exactly this octal mode (find ! -perm 644)"),
	inode: z.number().int().min(1).optional().describe("Only the entry with this inode number (find -inum N)"),
	same_file: z.string().optional().describe("Only entries that are this file: itself and its hard links, same device and inode (find -samefile FILE)"),
	min_links: z.number().int().min(1).optional().describe("Only entries with at least this many hard links (find -links +N is min_links N+1)"),
	max_links: z.number().int().min(1).optional().describe("Only entries with at most this many hard links (find -links N is min_links N and max_links N)"),
	min_bytes: CONDITIONS.min_bytes,
	max_bytes: CONDITIONS.max_bytes,
	modified_within_days: CONDITIONS.modified_within_days,
	modified_before_days: CONDITIONS.modified_before_days,
	accessed_within_days: CONDITIONS.accessed_within_days,
	accessed_before_days: CONDITIONS.accessed_before_days,
	changed_within_days: CONDITIONS.changed_within_days,
	changed_before_days: CONDITIONS.changed_before_days,
	daystart: z
		.boolean()
		.optional()
		.describe(
			"Count the *_days filters in calendar days from the start of today (local time) instead of from now (find -daystart): within 1 = today, before 1 = before today",
		),
	modified_from_date: calendarDay("Only entries modified at or after the start of this day, YYYY-MM-DD, local time (find -newermt DATE)"),
	modified_before_date: calendarDay("Only entries modified before the start of this day, YYYY-MM-DD, local time (find ! -newermt DATE)"),
	accessed_from_date: calendarDay("Only entries last accessed at or after the start of this day, YYYY-MM-DD, local time (find -newerat DATE)"),
	accessed_before_date: calendarDay("Only entries last accessed before the start of this day, YYYY-MM-DD, local time (find ! -newerat DATE)"),
	newer_than: CONDITIONS.newer_than,
	older_than: CONDITIONS.older_than,
	accessed_after: CONDITIONS.accessed_after,
	changed_after: CONDITIONS.changed_after,
	contains: z.string().min(1).max(1000).optional().describe("Only text files containing this exact text"),
	case_sensitive: z.boolean().optional().describe("For contains; default true"),
	show_times: z
		.array(z.enum(["accessed", "changed"]))
		.min(1)
		.max(2)
		.optional()
		.describe("Also show each entry's last access time and/or status change time beside its modification time (find -printf '%A+ %C+')"),
	any_of: z
		.array(AlternativeSchema)
		.min(2)
		.max(5)
		.optional()
		.describe(
			'Only entries passing at least one of these alternatives, each a set of conditions that must all hold: name, owner, not_owner, group, sizes, times, newer_than, older_than (find \\( -newer ttt -o -user wnj \\)), e.g. [{"newer_than": "ttt"}, {"owner": "wnj"}]; daystart applies',
		),
	max_results: z.number().int().min(1).max(LIMITS.max_results).optional().describe(`Most files to return; default ${LIMITS.default_results}`),
});

/** What find_files returns (structuredContent). */
const FindFilesOutput = z.object({
	files: z.array(fileShape).describe("The entries that pass every filter, in path order"),
	truncated: z.boolean().describe("True when a limit stopped the walk before it covered everything"),
	files_scanned: z.number().int().describe("Files whose contents were read (contains only)"),
	files_skipped: z.number().int().describe("Binary files and files over 1 MB the contains filter could not read"),
	files_too_large: z.number().int().optional().describe("Of files_skipped, the files over 1 MB the contains filter could not read"),
});

const config = {
	title: "Find files by name, type, size, age, owner and content",
	description:
		"List the files (or folders) under a folder that pass every filter given, as `find` does: a glob on the name or the path, names left out (folders still walked), files or folders, a depth limit, excluded paths, " +
		"a regular expression on the name or on the whole path, one file system only, symbolic links followed, a size range, empty, modified within or before the last N days (or calendar days), newer or older than a file, accessed or status-changed after a file was modified, accessed or status-changed within or before N days, accessed on or before a calendar day, owner (one or any of several) and group, hard link counts, an inode or one file's hard links, not owned by a user, the file system's type, " +
		"permission bits (exact, any, all, lacking, none), symbolic links (broken ones, or by target), devices, sockets and named pipes, containing a string; access and status-change times shown on request; any_of joins alternatives with or (newer than a file or owned by a user). " +
		"One `file (size, modified time)` line per entry, in path order. Skips node_modules, .git and build output; the content filter reads text files up to 1 MB.",
	inputSchema: FindFilesSchema.shape,
	outputSchema: FindFilesOutput.shape,
	annotations: READ_ONLY,
};

export function registerFindFilesTool(server: McpServer, { roots, start }: Workspace): void {
	server.registerTool(
		"find_files",
		config,
		answering(async args => {
			const { path, type, name, glob, ignore_case, max_depth, exclude, empty, contains, case_sensitive, max_results } = args;
			// find -L -type l lists only links that lead nowhere; type symlink lists the links themselves, followed nowhere.
			if (args.follow_links && type === "symlink") throw new InputError("follow_links: not with type symlink, which lists the links themselves");
			if (args.link_target !== undefined && type !== "symlink") throw new InputError("link_target: only with type symlink (a link's target)");
			const targetRe = args.link_target === undefined ? undefined : lnamePattern(args.link_target, ignore_case === true);
			// find A B C: each start walked in turn, in the order given.
			const starts = [await start(path)];
			for (const more of args.paths ?? []) starts.push(await start(more));
			const max = max_results ?? LIMITS.default_results;
			const now = Date.now();
			const midnight = new Date(now).setHours(0, 0, 0, 0);
			// -daystart: "within 1 day" is since midnight, "within 2" since yesterday's midnight.
			const since = (days: number | undefined) => (days === undefined ? undefined : args.daystart ? midnight - (days - 1) * DAY_MS : now - days * DAY_MS);
			const mtimeOf = async (file: string | undefined) => (file === undefined ? undefined : (await stat(await start(file))).mtimeMs);
			const dayStart = (day: string | undefined) => (day === undefined ? undefined : new Date(`${day}T00:00:00`).getTime());
			const [fromDay, beforeDay] = [dayStart(args.modified_from_date), dayStart(args.modified_before_date)];
			const [accessedFromDay, accessedBeforeDay] = [dayStart(args.accessed_from_date), dayStart(args.accessed_before_date)];
			const same = args.same_file === undefined ? undefined : await stat(await start(args.same_file));
			const bits = (mode: string | undefined) => (mode === undefined ? undefined : parseInt(mode, 8));
			const [all, lacking, none, not] = [
				bits(args.permissions_all),
				bits(args.permissions_lacking),
				bits(args.permissions_none),
				bits(args.permissions_not),
			];
			// name, not_names and glob read their globs alike: dot files included, case as ignore_case says.
			const globOptions = { dot: true, nocase: ignore_case === true };
			const context = { since, mtimeOf, globOptions };
			// The top-level name is tested before the entry is read (below); the other conditions here, and each alternative's.
			const holds = await conditionTest({ ...args, name: undefined }, context);
			const alternatives = args.any_of && (await Promise.all(args.any_of.map(a => conditionTest(a, context))));
			const typeOf = args.fs_types && (await fileSystemTypes());
			if (args.fs_types && !typeOf) throw new InputError("fs_types: this machine has no mount table to read (/proc/self/mountinfo)");
			const anyUid = args.owners === undefined ? undefined : new Set(await Promise.all(args.owners.map(o => idOf(o, "/etc/passwd"))));
			const [users, groups] = args.unowned === undefined ? [undefined, undefined] : await Promise.all([knownIds("/etc/passwd"), knownIds("/etc/group")]);
			const needle = contains === undefined ? undefined : case_sensitive === false ? contains.toLowerCase() : contains;
			const walk: Walk = { files_scanned: 0, files_skipped: 0, truncated: false };
			const files: z.infer<typeof fileShape>[] = [];
			const links = type === "symlink";
			const special = type === "block_device" || type === "char_device" || type === "socket" || type === "fifo" ? type : undefined;
			// A device, socket or pipe is never read: its contents are no text a search could hold.
			if (special && contains !== undefined) throw new InputError(`contains: not with type ${special}, which is never read`);
			const kinds = {
				files: type !== "directory" && !links && !special,
				directories: type === "directory" || type === "any",
				links,
				special,
			};
			const matches = (p: string, pattern: string | undefined, base: string) =>
				pattern === undefined || minimatch(p, pattern, globOptions) || (!pattern.includes("/") && minimatch(base, pattern, globOptions));
			async function* entries() {
				for (const from of starts) {
					for await (const entry of walkEntries(from, roots, walk, {
						...kinds,
						maxDepth: max_depth,
						exclude,
						sameDevice: args.one_file_system,
						followLinks: args.follow_links,
					}))
						yield { entry, from };
					if (walk.truncated) return;
				}
			}
			// The path as find prints it: the start as written, then the path below it ("./src/a.ts", "/var/log/syslog").
			const printed = (start: string | undefined, rel: string) => {
				const s = (start ?? ".").replace(/\/+$/, "");
				return s ? `${s}/${rel}` : `/${rel}`;
			};
			const startOf = (from: string) => [path, ...(args.paths ?? [])][starts.indexOf(from)];
			const walkAll = async (
				nameMatches: (base: string) => boolean | Promise<boolean>,
				pathMatches: (printed: string) => boolean | Promise<boolean> = () => true,
			) => {
				for await (const { entry, from } of entries()) {
					const p = entry.path;
					const base = basename(p);
					const rel = relative(from, p).split(sep).join("/") || base;
					if (name !== undefined && !minimatch(base, name, globOptions)) continue;
					if (args.not_names?.some(n => minimatch(base, n, globOptions))) continue;
					if (!matches(rel, glob, base)) continue;
					if (args.min_depth !== undefined && entry.depth < args.min_depth) continue;
					if (!(await nameMatches(base))) continue;
					if (!(await pathMatches(printed(startOf(from), rel)))) continue;
					// A link is judged as itself (its own times and mode, as find -type l does); broken: its target is gone.
					const info: Stats | null = await (entry.link ? lstat(p) : stat(p)).catch(() => null);
					if (!info) continue;
					if (entry.link && args.broken && (await stat(p).catch(() => null))) continue;
					if (targetRe && !targetRe.test(await readlink(p).catch(() => ""))) continue;
					if (!holds(info, base, entry.directory)) continue;
					if (alternatives && !alternatives.some(test => test(info, base, entry.directory))) continue;
					if (fromDay !== undefined && info.mtimeMs < fromDay) continue;
					if (beforeDay !== undefined && info.mtimeMs >= beforeDay) continue;
					if (accessedFromDay !== undefined && info.atimeMs < accessedFromDay) continue;
					if (accessedBeforeDay !== undefined && info.atimeMs >= accessedBeforeDay) continue;
					if (args.inode !== undefined && info.ino !== args.inode) continue;
					if (same && (info.ino !== same.ino || info.dev !== same.dev)) continue;
					if ((args.min_links !== undefined && info.nlink < args.min_links) || (args.max_links !== undefined && info.nlink > args.max_links))
						continue;
					if (anyUid !== undefined && !anyUid.has(info.uid)) continue;
					if (typeOf && !args.fs_types!.includes(typeOf.get(info.dev) ?? "")) continue;
					if (users && groups) {
						const [noUser, noGroup] = [!users.has(info.uid), !groups.has(info.gid)];
						const { unowned } = args;
						if (!(unowned === "user" ? noUser : unowned === "group" ? noGroup : unowned === "either" ? noUser || noGroup : noUser && noGroup))
							continue;
					}
					if (args.permissions !== undefined && (info.mode & 0o7777) !== parseInt(args.permissions, 8)) continue;
					if (args.permissions_any !== undefined && (info.mode & parseInt(args.permissions_any, 8)) === 0) continue;
					if (all !== undefined && (info.mode & all) !== all) continue;
					if (lacking !== undefined && (info.mode & lacking) === lacking) continue;
					if (none !== undefined && (info.mode & none) !== 0) continue;
					if (not !== undefined && (info.mode & 0o7777) === not) continue;
					if (empty && (entry.directory ? (await readdir(p).catch(() => [null])).length > 0 : info.size > 0)) continue;
					if (needle !== undefined) {
						if (entry.directory) continue;
						const text = await readText(p, walk);
						if (text === null || !(case_sensitive === false ? text.toLowerCase() : text).includes(needle)) continue;
					}
					if (files.length >= max) {
						walk.truncated = true;
						break;
					}
					const target = entry.link ? await readlink(p).catch(() => "?") : undefined;
					files.push({
						file: shown(p, roots),
						...(entry.directory ? { directory: true } : {}),
						...(target !== undefined ? { target } : {}),
						...(special ? { kind: special } : {}),
						bytes: info.size,
						modified: info.mtime.toISOString(),
						...(args.show_times?.includes("accessed") ? { accessed: info.atime.toISOString() } : {}),
						...(args.show_times?.includes("changed") ? { changed: info.ctime.toISOString() } : {}),
					});
				}
			};
			const compiled = (field: "name_regex" | "path_regex") => {
				const source = args[field];
				if (source === undefined) return undefined;
				try {
					return new RegExp(`^(?:${source})$`, ignore_case ? "i" : "");
				} catch (err) {
					throw new InputError(`${field} is not a valid regular expression: ${(err as Error).message}`);
				}
			};
			const [nameRe, pathRe] = [compiled("name_regex"), compiled("path_regex")];
			// One regex runs in a worker with a time budget, as search_text runs a caller's regex: a backtracking pattern cannot freeze the server.
			// Both given: the name's in the worker, the path's tested against the name's survivors there too (one worker per call).
			const field = nameRe && pathRe ? "name_regex or path_regex" : nameRe ? "name_regex" : "path_regex";
			try {
				if (!nameRe && !pathRe) await walkAll(() => true);
				else if (nameRe && !pathRe)
					await withRegexWorker(nameRe, LIMITS.regex_ms, match => walkAll(async base => (await match([base], base)).length > 0));
				else if (!nameRe && pathRe)
					await withRegexWorker(pathRe, LIMITS.regex_ms, match =>
						walkAll(
							() => true,
							async full => (await match([full], full)).length > 0,
						),
					);
				else
					await withRegexWorker(nameRe!, LIMITS.regex_ms, matchName =>
						withRegexWorker(pathRe!, LIMITS.regex_ms, matchPath =>
							walkAll(
								async base => (await matchName([base], base)).length > 0,
								async full => (await matchPath([full], full)).length > 0,
							),
						),
					);
			} catch (err) {
				if (!(err instanceof RegexTimeout)) throw err;
				throw new InputError(
					`${field}: the regular expression ran over ${LIMITS.regex_ms} ms and was stopped (nested quantifiers backtrack exponentially); simplify it`,
				);
			}
			const at = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;
			const when = (f: { modified: string; accessed?: string; changed?: string }) =>
				[`modified ${at(f.modified)}`, ...(f.accessed ? [`accessed ${at(f.accessed)}`] : []), ...(f.changed ? [`changed ${at(f.changed)}`] : [])].join(
					", ",
				);
			const lines = files.map(f =>
				f.directory
					? `${f.file}/ (folder, ${when(f)})`
					: f.target !== undefined
						? `${f.file} -> ${f.target} (link, ${when(f)})`
						: f.kind
							? `${f.file} (${f.kind.replace("_", " ")}, ${when(f)})`
							: `${f.file} (${humanSize(f.bytes)}, ${when(f)})`,
			);
			if (!lines.length)
				lines.push(
					type === "directory"
						? "No folders found."
						: links
							? "No links found."
							: special
								? `No ${special.replace("_", " ")}s found.`
								: "No files found.",
				);
			lines.push(...walkNotes(files.length, max, walk, "files"));
			return { content: [{ type: "text", text: lines.join("\n") }], structuredContent: { files, ...walk } };
		}),
	);
}
