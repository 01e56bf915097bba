/**
 * Shell-style file searches said in words, as people describe `find` and `grep` tasks ("find all the
 * .c files in /home/david modified in the last 48 hours", "display all directories in the folder
 * /myfiles and do not search in sub directories", "search the regular files of the current directory
 * tree for string 'stuff'"): one find_files call (name, type, depth, exclusions, size, age, owner,
 * emptiness, content) or one search_text call answers them whole.
 *
 * The parse is a cover, not a guess: each phrase it knows is taken out of the request and turned into
 * an argument, and what is left must be filler. A word it cannot explain (delete, count, sort, newer
 * than, permissions, symbolic links...) leaves the request to the LLM, so an act or an unsupported
 * condition is never dropped from the answer.
 */
import { residue } from "./lookup";
import { dirPath, pathTokens } from "./paths";
import type { SearchOp } from "./search";

export interface FindFilesArgs {
	op: "find_files";
	path: string;
	type?: "directory" | "any";
	name?: string;
	ignore_case?: boolean;
	max_depth?: number;
	empty?: boolean;
	exclude?: string[];
	permissions?: string;
	permissions_any?: string;
	min_bytes?: number;
	max_bytes?: number;
	modified_within_days?: number;
	modified_before_days?: number;
	accessed_within_days?: number;
	accessed_before_days?: number;
	owner?: string;
	group?: string;
	contains?: string;
	case_sensitive?: boolean;
	max_results?: number;
}

type Found = FindFilesArgs | Extract<SearchOp, { op: "grep" }>;

/** A name, path or string as written: quoted in any of the ways people quote, or a bare token. */
const QUOTED = "(?:\"([^\"\\n]{1,100})\"|'([^'\\n]{1,100})'|`([^`'\\n]{1,100})[`']|‘([^’\\n]{1,100})’)";
const BARE = "([\\w.*?$~-]*[\\w*?$~][\\w.*?$~-]*)";
const Q = `(?:${QUOTED}|${BARE})`;
const PATH = `(?:${QUOTED}|([~./$\\w-]*\\/[~./$\\w*-]*|\\$\\w+))`;
/** A path written bare or quoted that looks like one: a slash in it, or a $variable. */
const SLASHED = `(?:["'\`‘]?([~.$\\w-]*\\/[~./$\\w*-]*|\\$\\w+)["'\`’]?)`;
const quoted = (m: RegExpExecArray, from = 1): string | undefined => m.slice(from, from + 5).find(x => x !== undefined);

/** Where the search starts. Order matters: the most specific phrasing first. */
const WHERE: [RegExp, (m: RegExpExecArray) => string][] = [
	[
		/\b(?:in|under|from|within|beneath|below|inside|of|on)?\s*(?:and below\s+)?(?:the\s+)?(?:current|present)(?:\s+working)?\s+(?:directory|folder|dir)(?:\s+tree)?\b/i,
		() => ".",
	],
	[/\b(?:in|under|from|within|beneath|below|inside|of)?\s*(?:the\s+)?working\s+(?:directory|folder|dir)(?:\s+tree)?\b/i, () => "."],
	[/\bstarting\s+(?:from|at)\s+(?:the\s+)?(?:current|present)\s+(?:directory|folder)\b/i, () => "."],
	[/\b(?:in|on|across|from|of)?\s*(?:the\s+|your\s+)?(?:entire\s+|whole\s+)?(?:file\s*system|filesystem|system)\b/i, () => "/"],
	[/\b(?:in|under|from|within|below|beneath|of)?\s*(?:the\s+|your\s+|my\s+|user'?s\s+)?home\s+(?:directory|folder|dir)(?:\s+tree)?\b/i, () => "~"],
	[
		new RegExp(`\\b(?:in|under|from|within|beneath|below|inside)?\\s*(?:the\\s+)?(?:folder|directory|dir)(?:\\s+tree)?\\s+${PATH}(?:\\s+tree)?`, "i"),
		m => quoted(m)!,
	],
	[
		new RegExp(
			`\\b(?:in|under|from|within|beneath|below|inside)?\\s*(?:and below\\s+)?(?:the\\s+)?${PATH}\\s+(?:directory|folder|dir)(?:\\s+tree)?\\b`,
			"i",
		),
		m => quoted(m)!,
	],
	[
		new RegExp(
			`\\b(?:in|under|from|within|beneath|below|inside|starting from)\\s+(?:and below\\s+)?(?:the\\s+)?${SLASHED}(?:\\s+tree)?(?:\\s+or below)?(?=[\\s,.]|$)`,
			"i",
		),
		m => m[1],
	],
	[/\bstarting\s+from\s+\/(?=[\s,.]|$)/i, () => "/"],
	[/\b(?:in|under|from)\s+(?:the\s+)?['"]?([A-Za-z_][\w.-]*)['"]?\s+(?:directory|folder|dir)(?:\s+tree)?\b/i, m => m[1]],
];
/** Not folder names: "the text folder" is never said; "a folder" is any folder (the current one). */
const NOT_A_DIR = /^(a|the|this|that|same|certain|specific|given|each|every|which|current|present|working|home|root|sub|parent|file|files)$/i;

const NON_RECURSIVE =
	/\bno-recursively\b|\b(?:and\s+)?(?:do\s+not|don'?t|without|not)\s+(?:search(?:ing)?|go(?:ing)?|descend(?:ing)?|travers(?:e|ing)|look(?:ing)?|recurs(?:e|ing))\s+(?:in(?:to)?\s+)?(?:the\s+)?(?:any\s+)?sub[- ]?(?:directories|folders|dirs)(?:\s+of\s+the\s+(?:folder|directory))?|\bnon[- ]?recursive(?:ly)?\b|\bnot\s+recursive(?:ly)?\b/i;
const LEVELS = /\b(?:in\s+)?(?:at most|up to|maximum|max)\s+(one|two|three|four|five|\d)\s+levels?\s+(?:deep|down)(?:\s+the\s+directory\s+tree)?/i;
const NUMBER: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, ten: 10 };
const num = (s: string) => NUMBER[s.toLowerCase()] ?? Number(s);

/** What is listed: files (find -type f), folders (-type d) or both. */
const BOTH = /\b(?:files?\s*(?:\/|and|or)\s*(?:directories|directory|dirs|folders)|directories\s*(?:\/|and|or)\s*files)\b/gi;
const DIRS = /\b(?:sub-?directories|subdirectories|sub-?folders|directories|direcories|folders|dirs)\b/i;

/** File types by extension: ".gif files", "*.c files", "pdf files", "text files", "Python files", "OGG files". */
const EXTS = new Set(
	(
		"gif pdf php txt c h cc cpp py java js ts xml html htm css csv json yaml yml png jpg jpeg wav flac ogg mp3 mp4 mov avi gz zip bak sh pl rb go rs conf cfg ini log " +
		"tex md epub mobi chm rtf djvu swp o so tmp class jar sql svg doc docx xls"
	).split(" "),
);
const WORD_EXT: Record<string, string> = { text: "txt", python: "py", javascript: "js", javascipts: "js", perl: "pl", ruby: "rb", shell: "sh", markdown: "md" };
const TYPED =
	/(?:(?<![\w.])\*?\.?["']?\.?([A-Za-z0-9]{1,6})["']?|\b(text|python|javascript|javascipts|perl|ruby|shell|markdown))\s+(?:files?|archives|scripts|sources)\b/gi;
const WITH_EXT =
	/\b(?:with|having|that end with|ending with|which end with)\s+(?:the\s+)?(?:extensions?\s+)?["']?\.([A-Za-z0-9]{1,6})["']?(?:\s+extension)?\b((?:\s*,\s*(?:and\s+|or\s+)?\.[A-Za-z0-9]{1,6})*)/i;

const NAME_PATTERNS: [RegExp, (n: string) => string][] = [
	[new RegExp(`\\bwhose\\s+names?\\s+(?:begin|start)s?\\s+with\\s+(?:the\\s+)?(?:word|letters?|string\\s+)?\\s*${Q}`, "i"), n => `${n}*`],
	[new RegExp(`\\bwhose\\s+names?\\s+(?:end|ends)\\s+(?:in|with)\\s+${Q}`, "i"), n => `*${n}`],
	[new RegExp(`\\bwhose\\s+names?\\s+contains?\\s+${Q}`, "i"), n => `*${n}*`],
	[
		new RegExp(
			`\\b(?:that|which)?\\s*(?:contain|contains|containing|with|having|have|has)\\s+(?:the\\s+(?:word|string)\\s+)?${QUOTED}\\s+in\\s+(?:their|its|the)\\s+(?:file\\s*)?names?`,
			"i",
		),
		n => `*${n}*`,
	],
	[new RegExp(`\\b(?:named|called|with\\s+(?:the\\s+)?name)\\s+${Q}`, "i"), n => n],
	[new RegExp(`\\b(?:which|that)?\\s*(?:begin|start)s?\\s+with\\s+(?:the\\s+word\\s+)?${Q}|\\bstarting\\s+with\\s+${Q}`, "i"), n => `${n}*`],
	[new RegExp(`\\b(?:which|that)?\\s*(?:end|ends|ending)\\s+(?:in|with)\\s+${Q}`, "i"), n => `*${n}`],
	[new RegExp(`\\b(?:the\\s+)?(?:regular\\/normal\\s+|regular\\s+)?file\\s+${QUOTED}`, "i"), n => n],
	[new RegExp(`\\bfile\\s+names?\\s+${Q}`, "i"), n => n],
	[new RegExp(`\\b(?:whose\\s+names?\\s+|that\\s+|which\\s+)?match(?:es|ing)?\\s+(?:the\\s+)?(?:name\\s+)?pattern\\s+${Q}`, "i"), n => n],
];
const IGNORE_CASE = /\(?\s*\b(?:case[- ]insensitive(?:ly)?(?:\s+search)?|ignoring\s+(?:the\s+)?case(?:\s+of\s+that\s+string)?|ignore\s+case)\s*\)?/i;

const UNIT_DAYS: Record<string, number> = { minute: 1 / 1440, min: 1 / 1440, hour: 1 / 24, day: 1, week: 7, month: 30 };
const UNIT = "(?<unit>minutes?|mins?|minitues|hours?|days?|weeks?|months?)";
const N = "(?<n>\\d{1,4}|an?|one|two|three|five|seven|ten)";
const VERB = "(?<verb>modified|changed|edited|updated|accessed|accesed)";
// "not modified in the last day" first: the plain "modified in the last day" is inside it.
const TIMES: [RegExp, "within" | "before"][] = [
	[
		new RegExp(`\\b(?:that\\s+)?(?:have\\s+)?not\\s+(?:been\\s+)?${VERB}\\s+(?:in|within|for)\\s+(?:the\\s+)?(?:last|past)\\s+(?:${N}\\s+)?${UNIT}`, "i"),
		"before",
	],
	[new RegExp(`\\b(?:last\\s+)?${VERB}\\s+(?:in|within|during|over)?\\s*(?:the\\s+)?(?:last|past)\\s+(?:${N}\\s+)?${UNIT}`, "i"), "within"],
	[new RegExp(`\\b(?:last\\s+)?${VERB}\\s+(?:in\\s+)?(?:less than|within)\\s+${N}\\s+${UNIT}(?:\\s+ago)?`, "i"), "within"],
	[new RegExp(`\\b(?:last\\s+)?${VERB}\\s+in\\s+the\\s+${N}\\s+${UNIT}\\s+ago`, "i"), "within"],
	[new RegExp(`\\b(?:last\\s+)?${VERB}\\s+${N}\\s+${UNIT}\\s+or\\s+more\\s+ago`, "i"), "before"],
	[new RegExp(`\\b(?:last\\s+)?${VERB}\\s+within\\s+(?:the\\s+)?(?:last|past)\\s+${UNIT}`, "i"), "within"],
	[new RegExp(`\\b(?:last\\s+)?${VERB}\\s+(?:more than|over|at least)\\s+${N}\\s+${UNIT}\\s+ago`, "i"), "before"],
	[new RegExp(`\\bolder\\s+than\\s+${N}\\s+${UNIT}`, "i"), "before"],
];
/** find -mtime N: modified between N and N+1 units ago; "between A and B days ago" the same with A and B. */
const EXACT_AGO = new RegExp(`\\b(?:last\\s+)?${VERB}\\s+(?:exactly\\s+)?${N}\\s+${UNIT}\\s+ago\\b`, "i");
const BETWEEN_AGO = new RegExp(
	`\\b(?:last\\s+)?${VERB}\\s+between\\s+(?<a>\\d{1,4})\\s*(?<ua>minutes?|hours?|days?)?\\s+and\\s+(?<b>\\d{1,4})\\s+${UNIT}\\s+(?:ago|before)\\b`,
	"i",
);

const SIZE = "(\\d+(?:\\.\\d+)?)\\s*((?:[kmgt]i?)?b|(?:kilo|mega|giga|tera)?bytes?)\\b";
const LARGER = new RegExp(
	`\\b(?:(?:whose\\s+)?size\\s+is\\s+)?(?:over|above|larger\\s+than|bigger\\s+than|more\\s+than|greater\\s+than|at\\s+least)\\s+${SIZE}`,
	"i",
);
const SMALLER = new RegExp(`\\b(?:(?:whose\\s+)?size\\s+is\\s+)?(?:under|below|smaller\\s+than|less\\s+th[ae]n|at\\s+most)\\s+${SIZE}(?:\\s+in\\s+size)?`, "i");
const POWER: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
const bytes = (m: RegExpExecArray) => {
	const p = m[2].toLowerCase()[0];
	return Math.round(Number(m[1]) * (POWER[p === "b" ? "" : p] ?? 1));
};

const EMPTY = /\bempty\b(?:\s*\(\s*(?:zero|0)[- ]byte files\s*\)|\s*\(\s*size 0 bytes\s*\))?|\bzero[- ]byte\b/i;
const OWNER = new RegExp(
	`\\b(?:which\\s+|that\\s+)?(?:are\\s+)?(?:owned\\s+by|belongs?\\s+to|belonging\\s+to)\\s+(?:the\\s+)?(?:user\\s+)${Q}|\\bowned\\s+by\\s+${Q}|\\bof\\s+owner\\s+${Q}|\\b(?:all\\s+of\\s+)?(?!user'|your'|my')([a-z_][\\w-]*)'s\\s+(?=(?:regular\\s+)?files\\b)`,
	"i",
);
const GROUP = new RegExp(`\\b(?:which\\s+|that\\s+)?(?:belongs?\\s+to|belonging\\s+to|of|with)\\s+(?:the\\s+)?group\\s+(?:id\\s+)?${Q}`, "i");

/** A string to find inside the files. */
const CONTENT = new RegExp(
	[
		`\\b(?:that|which)?\\s*(?:contain|contains|containing|have)\\s+(?:the\\s+)?(?:text|string|word|characters|pattern)?\\s*${QUOTED}(?!\\s+in\\s+(?:their|its|the)\\s+names?)`,
		`\\b(?:and\\s+)?search\\s+(?:them|these files|those files|all these files|in them)\\s+for\\s+(?:the\\s+)?(?:word|string|text|pattern)?\\s*${Q}`,
		`\\b(?:and\\s+)?search\\s+for\\s+(?:the\\s+)?(?:word|string|text|pattern)\\s+${Q}\\s+in\\s+(?:all\\s+)?(?:these|those|them|the)(?:\\s+files)?`,
		`\\b(?:and\\s+)?search\\s+for\\s+(?:the\\s+)?(?:word|string|text|pattern)\\s+${Q}(?=\\s*$)`,
		`\\bfor\\s+(?:the\\s+)?(?:word\\s+|string\\s+|text\\s+|pattern\\s+)?${QUOTED}`,
	].join("|"),
	"i",
);
/** "Search for 'magic' in all regular files ...", "Search 'x' in ...": the string comes first. */
const LEADING_CONTENT = new RegExp(
	// Case-sensitive on purpose: a bare term counts only in capitals (ERROR, TODO); the verbs take either case.
	`^\\s*(?:[Ss]earch\\s+(?:for\\s+)?|[Gg]rep\\s+(?:for\\s+)?|[Ff]ind\\s+|[Pp]rints?\\s+(?:all\\s+)?(?:the\\s+)?(?:strings|lines)\\s+with\\s+)(?:the\\s+)?(?:word\\s+|string\\s+|text\\s+|pattern\\s+)?(?:${QUOTED}|([A-Z][A-Z0-9_]{2,}))\\s+in\\b`,
	"",
);

const EXCLUDE = new RegExp(
	[
		`\\b(?:excluding|except|expect|ignoring|but not)\\s+(?:search\\s+in\\s+)?(?:the\\s+)?(?:folder|directory|dir)\\s+${Q}`,
		`\\b(?:excluding|except|expect|ignoring|but not)\\s+(?:the\\s+)?${Q}\\s+(?:folder|directory|dir|path)(?:\\s+and\\s+all\\s+of\\s+its\\s+contents)?\\b`,
		`\\b(?:excluding|except|expect|ignoring|but not)\\s+(?:the\\s+)?\\.?([A-Za-z0-9]{1,10})\\s+files\\b`,
	].join("|"),
	"gi",
);
/** find -perm: an exact mode ("777 permission", "permissions 664") or any of some bits (SUID, SGID, world-writable). */
const MODE_EXACT =
	/\b(?:with\s+|having\s+|have\s+|which\s+have\s+)?(?:(?:the\s+)?(?:permissions?|permisssions)\s+(0?[0-7]{3,4})|(0?[0-7]{3,4})\s+permissions?)\b/i;
const MODE_ANY: [RegExp, string][] = [
	[/\b(?:that\s+)?(?:have\s+|with\s+)?(?:the\s+)?(?:SUID|setuid)\s+or\s+(?:SGID|setgid)(?:\s+bits?)?(?:\s+set)?\b/i, "6000"],
	[/\b(?:SUID|setuid)(?:\s+bit)?(?:\s+set)?\b/i, "4000"],
	[/\b(?:SGID|setgid)(?:\s+bit)?(?:\s+set)?\b/i, "2000"],
	[/\bworld[- ]writ(?:e)?able\b/i, "0002"],
];
const HIDDEN = /\bhidden\b/i;
const LEADING_FIRST = /^\s*(?:list|find|show|display|print|get)\s+(?:the\s+)?first\s+(\d{1,3}|ten|five)\s+(?=files|directories)/i;
/** "that do not contain 'photo' in their names": left out by name. */
const NOT_NAMED = new RegExp(
	// Only about the name: "files that do not contain 'x'" alone is about their text (grep -L), not answered here.
	`\\b(?:that|which)?\\s*(?:do|does)\\s*(?:not|n't)\\s+(?:contain|have)\\s+(?:the\\s+word\\s+)?${QUOTED}\\s+in\\s+(?:their|its|the)\\s+names?|\\b(?:which|whose)\\s+whole\\s+name\\s+does\\s*(?:not|n't)\\s+contain\\s+${QUOTED}`,
	"i",
);
const FIRST_N =
	/\b(?:and\s+)?(?:show|display|print|list)\s+(?:only\s+)?(?:the\s+)?(?:first\s+)?(\d{1,3}|ten|five)\s+(?:files|of them)\b|\b(?:and\s+)?show\s+only\s+(?:the\s+)?first\s+(\d{1,3}|ten)\s+of\s+them\b/i;

/** How the names are shown: find_files prints one path per line with its size and time; these ask nothing more. */
const PRESENTATION = new RegExp(
	[
		"\\b(?:display|show|print|get)?\\s*(?:a\\s+|the\\s+)?(?:detailed|long)\\s+(?:listing|list)\\s+of\\b",
		"\\b(?:and\\s+)?(?:display|show|print|list)\\s+(?:them|their\\s+details|it)\\b(?:\\s+using\\s+the\\s+ls\\s+command)?",
		"\\b(?:along\\s+)?with\\s+their\\s+sizes?\\b",
		"\\bwith\\s+(?:the\\s+)?(?:null|NUL|NULL)\\s+character\\s+as\\s+(?:the\\s+)?delimiter(?:\\s+instead\\s+of\\s+newline)?",
		"\\bwith\\s+newline\\s+as\\s+the\\s+delimiter\\b",
		"\\bnull[- ]separated\\b",
		"\\b(?:and\\s+)?page\\s+interactively\\s+through\\s+the\\s+output\\b",
		"\\b(?:and\\s+)?show\\s+them\\s+by\\s+paging\\s+through\\s+one\\s+screenful\\s+at\\s+a\\s+time\\b",
		"\\bwith\\s+white\\s+space\\s+safety\\s+in\\s+their\\s+paths\\b",
		"\\binvoking\\s+xargs\\s+only\\s+once\\b",
		"\\b(?:the\\s+)?names?\\s+and\\s+sizes?\\s+of\\b",
		"\\b(?:and\\s+)?print\\s+the\\s+time\\s+and\\s+size(?:\\s+on\\s+stdout)?",
		"\\bprinting\\s+them\\s+on\\s+a\\s+single\\s+line\\b",
		"\\bprint\\s+out\\b",
		"\\b(?:and\\s+)?show\\s+(?:only\\s+)?(?:a\\s+few|first\\s+several|the\\s+first\\s+few)\\s+lines\\s+of\\s+(?:the\\s+)?output(?:\\s+from\\s+the\\s+beginning)?",
		"\\bin\\s+sorted\\s+order\\b",
		"^\\s*lists?\\s+(?:the\\s+)?contents?\\s+of\\b(?=\\s+(?:the\\s+)?(?:current|present))",
		"\\b(?:a\\s+)?sorted\\s+list\\s+of\\b",
		"\\b(?:excluding|but\\s+not)\\s+(?:all\\s+)?(?:the\\s+)?directories\\b",
		"\\bthat\\s+are\\s+found\\b",
		"\\bseparating\\s+the\\s+file\\s*names\\s+with\\s+zeroe?s\\b",
		"\\b(?:and\\s+)?discard(?:ing)?\\s+all\\s+(?:the\\s+)?errors(?:\\s+during\\s+search)?",
		"\\b(?:and\\s+)?show\\s+the\\s+matched\\s+lines(?:\\s+with\\s+(?:their\\s+)?(?:filenames|line\\s+numbers)(?:\\s+and\\s+filenames)?)?",
		"\\b(?:and\\s+)?display\\s+the\\s+(?:matched\\s+)?files(?:\\s+which\\s+has\\s+the\\s+matched\\s+content)?",
	].join("|"),
	"gi",
);

/** Words a find request may use around what the parse took out. */
const FILLER = new Set(
	(
		"find finds search searches searching locate list lists listing display show shows print prints output get look looks report al all every any some " +
		"files file regular normal reguar and that which who whose have has been were was are is their them those these its of with from for in under below beneath within " +
		"inside on at recursively recursive tree downwards down directory folder dir entire whole only also there residing located lying etc starting " +
		"sub directories subdirectories sub-directories sub-directory folders its the names name existing whcih no-recursively reside resides set"
	).split(" "),
);

function take(text: string, m: RegExpExecArray): string {
	return text.slice(0, m.index) + " " + text.slice(m.index + m[0].length);
}

/** The one find_files or search_text call the request amounts to, or null. */
export function findRequest(request: string): Found | null {
	if (request.length > 260 || /\n/.test(request.trim())) return null;
	let t = ` ${request.trim().replace(/[.!]+$/, "")} `;
	// It must ask to find, list or show: a question ("how do I find...") wants a command, not the result.
	if (
		!/^\s*(?:please\s+)?(?:find|finds|search|searches|locate|list|lists|display|show|print|prints|get|look\s+for|report|recursively\s+finds?|grep)\b/i.test(
			t,
		)
	)
		return null;
	const out: FindFilesArgs = { op: "find_files", path: "." };
	let where: string | undefined;

	const leadingFirst = LEADING_FIRST.exec(t);
	if (leadingFirst) {
		out.max_results = num(leadingFirst[1]);
		t = t.replace(leadingFirst[0], " list ");
	}
	const leading = LEADING_CONTENT.exec(t);
	let contains = leading ? leading.slice(1).find(x => x !== undefined) : undefined;
	if (leading) t = t.replace(leading[0], " search in ");

	// "files/directories", "regular/normal files" look like paths; they say what is listed.
	let kind: "any" | undefined;
	t = t.replace(BOTH, () => {
		kind = "any";
		return " files ";
	});
	t = t.replace(/\b(?:regular|normal|reguar)\s*\/\s*(?:regular|normal)\b/gi, " regular ");
	for (const [re, value] of WHERE) {
		const m = re.exec(t);
		if (!m) continue;
		const w = value(m);
		// A folder pattern ("logs/2024-06-1*/") is a set of folders: search_text's glob, not a place to start;
		// a file ("... in /root/big.txt file") is where output is written, not where to search.
		if (/[*?]/.test(w) || pathTokens(w).some(p => p.kind === "file")) return null;
		if (NOT_A_DIR.test(w)) {
			if (/^(a|certain|specific|given)$/i.test(w)) {
				t = take(t, m);
				where = where ?? ".";
			}
			continue;
		}
		if (where !== undefined && where !== w) return null;
		where = w;
		t = take(t, m);
		// A second place of the same kind ("in /mydir1 and /mydir2") is two searches.
		if (re.exec(t) && value(re.exec(t)!) !== w && !NOT_A_DIR.test(value(re.exec(t)!))) return null;
	}
	// "in a folder", "in specified directory": any folder, said generally.
	t = t.replace(/\b(?:in|under)\s+(?:a|specfied|specified|the\s+specified|a\s+certain)\s+(?:folder|directory|dir|path)\b/i, () => {
		where = where ?? ".";
		return " ";
	});
	if (where !== undefined) out.path = dirPath(where);

	const nonRec = NON_RECURSIVE.exec(t);
	if (nonRec) {
		out.max_depth = 1;
		t = take(t, nonRec);
	}
	const levels = LEVELS.exec(t);
	if (levels) {
		out.max_depth = num(levels[1]);
		t = take(t, levels);
	}
	const ic = IGNORE_CASE.exec(t);
	if (ic) {
		out.ignore_case = true;
		t = take(t, ic);
	}
	const presentation = t.match(PRESENTATION);
	if (presentation) t = t.replace(PRESENTATION, " ");
	const first = FIRST_N.exec(t);
	if (first) {
		out.max_results = num(first[1] ?? first[2]);
		t = take(t, first);
	}

	if (contains === undefined) {
		const c = CONTENT.exec(t);
		if (c) {
			contains = quoted(c) ?? c.slice(6).find(x => x !== undefined);
			t = take(t, c);
		}
	}

	// Exclusions find prunes: "excluding the folder proc", "except ./directory folder", "excluding the perl files".
	const exclude: string[] = [];
	for (const m of t.matchAll(EXCLUDE)) {
		const what = m.slice(1).find(x => x !== undefined)!;
		const ext = WORD_EXT[what.toLowerCase()] ?? (EXTS.has(what.toLowerCase()) ? what.toLowerCase() : undefined);
		exclude.push(/files$/i.test(m[0]) ? (ext ? `*.${ext}` : "") : what.replace(/^\.\//, ""));
		t = t.replace(m[0], " ");
	}
	const notNamed = NOT_NAMED.exec(t);
	if (notNamed) {
		exclude.push(`*${notNamed.slice(1).find(x => x !== undefined)}*`);
		t = take(t, notNamed);
	}
	if (exclude.some(e => !e)) return null;
	if (exclude.length) out.exclude = exclude;
	// Names.
	let name: string | undefined;
	for (const [re, glob] of NAME_PATTERNS) {
		const m = re.exec(t);
		if (!m) continue;
		const n = m.slice(1).find(x => x !== undefined);
		if (!n || /^(the|a|an|word|letters?)$/i.test(n)) continue;
		if (name) return null;
		name = glob(n);
		t = take(t, m);
	}
	// "all the findme.txt files", "`readme.txt' files": every file of that name.
	const namedFiles = new RegExp(`(?:${QUOTED}|\\b([\\w-]+\\.[A-Za-z0-9]{1,6}))\\s+files\\b`, "i").exec(t);
	const pendingExts: string[] = [];
	if (namedFiles && !/^\*/.test(namedFiles[0])) {
		const n = namedFiles.slice(1).find(x => x !== undefined)!;
		// '".c" files' are files of that extension.
		if (/^\.\w+$/.test(n)) pendingExts.push(n.slice(1).toLowerCase());
		else if (name) return null;
		else name = n;
		t = take(t, namedFiles);
	}
	// Globs written out: "*.txt", "*blast*", "fglrx-libGL*".
	const globs = [...t.matchAll(/(?<![\w/])(["'`]?)([\w.-]*\*[\w.*-]*)\1(?=[\s,]|$)/g)];
	for (const g of globs) t = t.replace(g[0], " ");
	const globNames = globs.map(g => g[2]);
	if (globNames.length) {
		if (name) return null;
		const simple = globNames.every(g => /^\*\.\w+$/.test(g));
		name = globNames.length === 1 ? globNames[0] : simple ? `*.{${globNames.map(g => g.slice(2)).join(",")}}` : `{${globNames.join(",")}}`;
		t = t.replace(/\s+(?:or|and|,)\s+/g, " ");
	}
	const exts: string[] = [...pendingExts];
	for (const m of t.matchAll(TYPED)) {
		const e = (m[1] ?? m[2]).toLowerCase();
		// ".proto files" names its extension; a bare word ("old files") only when it is a known one.
		const ext = WORD_EXT[e] ?? (EXTS.has(e) || /\.\w/.test(m[0]) ? e : undefined);
		if (!ext) continue;
		exts.push(ext);
		t = t.replace(m[0], " files ");
	}
	const withExt = WITH_EXT.exec(t);
	if (withExt) {
		exts.push(withExt[1].toLowerCase(), ...(withExt[2].match(/\.[A-Za-z0-9]+/g) ?? []).map(e => e.slice(1).toLowerCase()));
		t = take(t, withExt);
	}
	if (exts.length) {
		const extGlob = exts.length > 1 ? `*.{${[...new Set(exts)].join(",")}}` : `*.${exts[0]}`;
		const simple = name && /^\*\.(?:\w+|\{[\w,]+\})$/.exec(name);
		if (!name) name = extGlob;
		else if (simple) name = `*.{${[...name.slice(2).replace(/[{}]/g, "").split(","), ...exts].join(",")}}`;
		else if (/^[^*?]+\*$/.test(name) && exts.length === 1) name = `${name}.${exts[0]}`;
		else return null;
		t = t.replace(/\b(?:or|and)\b/gi, " ");
	}
	if (name) out.name = name;

	if (kind) out.type = kind;
	else if (DIRS.test(t)) {
		out.type = "directory";
		t = t.replace(new RegExp(DIRS.source, "gi"), " ");
	}

	for (const [re, kind] of TIMES) {
		const m = re.exec(t);
		if (!m) continue;
		const { verb = "modified", n, unit } = m.groups as Record<string, string | undefined>;
		const days = (n ? num(n) : 1) * UNIT_DAYS[unit!.toLowerCase().replace(/s$/, "").replace("minitue", "minute")];
		const accessed = /^acc/i.test(verb);
		if (kind === "before") {
			if (accessed) {
				if (out.accessed_before_days) return null;
				out.accessed_before_days = days;
			} else {
				if (out.modified_before_days) return null;
				out.modified_before_days = days;
			}
		} else if (accessed) {
			if (out.accessed_within_days) return null;
			out.accessed_within_days = days;
		} else {
			if (out.modified_within_days) return null;
			out.modified_within_days = days;
		}
		t = take(t, m);
	}
	const between = BETWEEN_AGO.exec(t);
	const exact = between ? null : EXACT_AGO.exec(t);
	for (const m of [between, exact]) {
		if (!m) continue;
		const g = m.groups as Record<string, string | undefined>;
		if (/^acc/i.test(g.verb ?? "") || out.modified_within_days !== undefined || out.modified_before_days !== undefined) return null;
		const unit = UNIT_DAYS[g.unit!.toLowerCase().replace(/s$/, "").replace("minitue", "minute")];
		const [lo, hi] = m === between ? [Number(g.a), Number(g.b)].sort((x, y) => x - y) : [num(g.n!), num(g.n!) + 1];
		const loUnit = m === between && g.ua ? UNIT_DAYS[g.ua.toLowerCase().replace(/s$/, "")] : unit;
		out.modified_before_days = lo * loUnit;
		out.modified_within_days = hi * unit;
		t = take(t, m);
	}
	const mode = MODE_EXACT.exec(t);
	if (mode) {
		out.permissions = (mode[1] ?? mode[2]).replace(/^0(?=[0-7]{3}$)/, "");
		t = take(t, mode);
	}
	for (const [re, bits] of MODE_ANY) {
		const m = re.exec(t);
		if (!m) continue;
		if (out.permissions_any || out.permissions) return null;
		out.permissions_any = bits;
		t = take(t, m);
	}
	if (HIDDEN.test(t)) {
		if (out.name) return null;
		out.name = ".*";
		t = t.replace(HIDDEN, " ");
	}
	const larger = LARGER.exec(t);
	if (larger) {
		out.min_bytes = bytes(larger);
		t = take(t, larger);
	}
	const smaller = SMALLER.exec(t);
	if (smaller) {
		out.max_bytes = bytes(smaller);
		t = take(t, smaller);
	}
	const empty = EMPTY.exec(t);
	if (empty) {
		out.empty = true;
		t = take(t, empty).replace(EMPTY, " ");
	}
	const owner = OWNER.exec(t);
	if (owner) {
		out.owner = owner.slice(1).find(x => x !== undefined);
		t = take(t, owner);
	}
	const group = GROUP.exec(t);
	if (group) {
		out.group = group.slice(1).find(x => x !== undefined);
		t = take(t, group);
	}

	// Every other word must be filler; one unexplained word (delete, count, sort, newer, permissions...) and the LLM answers.
	if (residue(t, FILLER).length) return null;
	if (out.type === "directory" && (contains !== undefined || out.min_bytes !== undefined || out.max_bytes !== undefined)) return null;

	const filtered =
		out.type !== undefined ||
		out.max_depth !== undefined ||
		out.empty ||
		out.min_bytes !== undefined ||
		out.max_bytes !== undefined ||
		out.modified_within_days !== undefined ||
		out.modified_before_days !== undefined ||
		out.accessed_within_days !== undefined ||
		out.accessed_before_days !== undefined ||
		out.owner !== undefined ||
		out.permissions !== undefined ||
		out.permissions_any !== undefined ||
		out.group !== undefined ||
		out.max_results !== undefined;
	if (contains !== undefined) {
		// Where a string occurs, with at most a file-name filter: the matching lines (grep) answer it.
		if (!filtered) {
			return {
				op: "grep",
				pattern: contains,
				path: out.path,
				...(name ? { glob: `**/${name}` } : {}),
				...(out.ignore_case ? { case_sensitive: false } : {}),
			};
		}
		out.contains = contains;
		if (out.ignore_case) out.case_sensitive = false;
	}
	return out;
}
