/**
 * Requests about a set of files that one bounded tool of the workspace-search server answers whole:
 * files filtered by size, age and content ("any files over 50MB", "files modified in the last 7 days
 * under src/payments/ that mention refund" → find_files), and the contents of every file of a type
 * in a folder ("print every YAML file in k8s/overlays/staging/" → read_files).
 *
 * As in lookup.ts, every other word of the request must be filler: a request that adds a condition
 * the tool cannot apply (after 0042, owned by the payments team...) is left to the LLM.
 */
import { dirPath, type PathToken } from "./paths";
import { residue } from "./lookup";
import { globFor, searchTerms, TYPE_HINT } from "./search";

export type FilesOp =
	| { op: "find_files"; path: string; glob?: string; min_bytes?: number; max_bytes?: number; modified_within_days?: number; contains?: string }
	| { op: "read_files"; path: string; glob: string };

const UNIT: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
// "9MB", "100 KiB", "100 Kilobytes", "1500 bytes": the unit's first letter is its power of 1024.
const SIZE = "(\\d+(?:\\.\\d+)?)\\s*((?:[kmgt]i?)?b|(?:kilo|mega|giga|tera)?bytes?)\\b";
const LARGER = new RegExp(`\\b(?:over|above|larger than|bigger than|more than|greater than|exceeding|at least)\\s+${SIZE}|>\\s*${SIZE}`, "i");
const SMALLER = new RegExp(`\\b(?:under|below|smaller than|less than|at most)\\s+${SIZE}|<\\s*${SIZE}`, "i");
const RECENT =
	/\b(?:modified|changed|edited|touched|updated|written)\s+(?:(?:in|within|during|over)?\s*(?:the\s+)?(?:last|past)\s+(?:(\d{1,4})\s+)?(minutes?|hours?|days?|weeks?)\b|(?:less than|within)\s+(\d{1,4})\s+(minutes?|hours?|days?|weeks?)\s+ago\b)/i;
const DAYS: Record<string, number> = { minute: 1 / 1440, hour: 1 / 24, day: 1, week: 7 };
/**
 * A name condition find_files applies exactly as a glob (case-sensitive, like find -name): "named 'Waldo'",
 * "with the name 'search'", "whose names end in .JPG", "whose names begin with foo".
 */
/** Empty files are those of at most 0 bytes. */
const EMPTY = /\b(?:empty|zero[- ]byte|0[- ]byte)\s+(?:regular\s+)?files?\b/i;
const NAMED = /\b(?:named|called|with the name)\s+(['"`]?)([\w.*-]+)\1(?=[\s,.]|$)/i;
export const NAME_ENDS = /\bwhose\s+names?\s+(end|ends|start|starts|begin|begins)\s+(?:in|with)\s+(['"`]?)([\w.-]+)\2(?=[\s,]|$)/i;
const CONTENT =
	/\b(?:that|which|and)?\s*(?:mention(?:s|ing)?|contain(?:s|ing)?|referenc(?:e|es|ing)|with the (?:text|string|word))\s+(?:the\s+)?(?:(?:string|word|text)\s+)?('[^'\n]+'|"[^"\n]+"|`[^`\n]+`|\S+)/i;

/** Words a file-set question may use around its filters. */
const FIND_WORDS = new Set(
	(
		"files file any all every which list find show there checked committed into under below within inside repo repository workspace project codebase monorepo whole entire that " +
		// find's own phrasing: "regular files" are what find_files lists; "the current directory tree" is its default path.
		"have has been were was and directory folder dir tree regular normal search locate recursively starting whose size"
	).split(" "),
);
const READ_WORDS = new Set(
	"all every each files file one after another with its their filename filenames name header headers heading headings as under below inside folder directory dir contents content text full whole entire in sequence order together concatenated".split(
		" ",
	),
);
/** Asking for the contents, not the names. */
export const CONTENTS = /\b(print|cat|dump|concatenate|concat)\b|\bcontents?\s+of\b/i;
const ALL = /\b(every|all|each)\b/i;

function bytes(m: RegExpExecArray): number {
	const [n, unit] = m[1] !== undefined ? [m[1], m[2]] : [m[3], m[4]];
	const power = unit.toLowerCase()[0];
	return Math.round(Number(n) * (UNIT[power === "b" ? "" : power] ?? 1));
}

/** The glob of a name condition, or undefined. */
function nameGlob(named: RegExpExecArray | null, ends: RegExpExecArray | null): string | undefined {
	// A sentence's full stop is not part of the name ("named foo.").
	if (named) return `**/${named[2].replace(/\.+$/, "")}`;
	if (ends) return /^(end|ends)$/i.test(ends[1]) ? `**/*${ends[3].replace(/\.+$/, "")}` : `**/${ends[3].replace(/\.+$/, "")}*`;
	return undefined;
}

/** Blanks each match, so that what is left can be checked for words no filter explains. */
function without(text: string, ...found: (RegExpExecArray | null)[]): string {
	let out = text;
	for (const m of found) if (m) out = out.replace(m[0], " ");
	return out;
}

/**
 * The file-set request the text amounts to, or null. `topic` is the request with its path tokens
 * blanked; a request naming a file, or more than one folder, is not about a file set.
 */
export function filesOp(text: string, topic: string, tokens: PathToken[]): FilesOp | null {
	if (tokens.some(t => t.kind === "file") || text.length > 240) return null;
	// "regular/normal files" is find's "-type f" in words, not a folder.
	const dirs = tokens.filter(t => t.kind === "dir" && !/^(?:regular|normal)\/(?:regular|normal)\/?$/i.test(t.text));
	if (dirs.length > 1) return null;
	const path = dirs.length ? dirPath(dirs[0].text) : ".";
	const typeHint = TYPE_HINT.exec(topic);
	const glob = globFor(text, tokens);

	const larger = LARGER.exec(topic);
	const smaller = SMALLER.exec(topic);
	const recent = RECENT.exec(topic);
	const empty = EMPTY.exec(topic);
	const named = NAMED.exec(topic);
	const ends = NAMED.test(topic) ? null : NAME_ENDS.exec(topic);
	if (larger || smaller || recent || empty || named || ends) {
		if (!/\bfiles?\b/i.test(topic)) return null;
		const content = CONTENT.exec(topic);
		let contains: string | undefined;
		if (content) {
			const terms = searchTerms(content[0], content[0]);
			if (terms.length !== 1) return null;
			contains = terms[0].replace(/\(\)$/, "(");
		}
		// Two name conditions (a type and a name) would need both globs: the LLM's job.
		const byName = nameGlob(named, ends);
		if (byName && glob) return null;
		if (empty && (larger || smaller)) return null;
		const rest = without(topic, larger, smaller, recent, content, named, ends, glob ? typeHint : null).replace(EMPTY, " files ");
		if (residue(rest, FIND_WORDS).length) return null;
		const days = recent ? Number(recent[1] ?? recent[3] ?? 1) * DAYS[(recent[2] ?? recent[4]).toLowerCase().replace(/s$/, "")] : undefined;
		return {
			op: "find_files",
			path,
			...(glob || byName ? { glob: glob ?? byName } : {}),
			...(larger ? { min_bytes: bytes(larger) } : {}),
			...(smaller ? { max_bytes: bytes(smaller) } : empty ? { max_bytes: 0 } : {}),
			...(days ? { modified_within_days: days } : {}),
			...(contains ? { contains } : {}),
		};
	}

	// "print every YAML file in k8s/overlays/staging/": the contents of a folder's files of one type.
	if (dirs.length === 1 && glob && CONTENTS.test(topic) && ALL.test(topic)) {
		const rest = without(topic, typeHint).replace(CONTENTS, " ");
		if (residue(rest, READ_WORDS).length) return null;
		return { op: "read_files", path, glob };
	}
	return null;
}
