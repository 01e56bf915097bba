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
import { Memo } from "../../lib/memo";
import { escapeRegExp } from "../../lib/regex";
import { residue } from "./lookup";
import { dirPath, filePath, pathTokens } from "./paths";
import { permissionPhrases, type PermissionArgs } from "./permissions";
import type { SearchOp } from "./search";

/** The permission fields are permissions.ts's (PermissionArgs), the one grammar that fills them. */
export interface FindFilesArgs extends PermissionArgs {
	op: "find_files";
	path: string;
	type?: "directory" | "any" | "symlink" | "block_device" | "char_device" | "socket" | "fifo";
	broken?: boolean;
	name?: string;
	name_regex?: string;
	path_regex?: string;
	ignore_case?: boolean;
	max_depth?: number;
	min_depth?: number;
	empty?: boolean;
	exclude?: string[];
	not_names?: string[];
	min_bytes?: number;
	max_bytes?: number;
	modified_within_days?: number;
	modified_before_days?: number;
	accessed_within_days?: number;
	accessed_before_days?: number;
	changed_within_days?: number;
	changed_before_days?: number;
	daystart?: boolean;
	modified_from_date?: string;
	modified_before_date?: string;
	accessed_from_date?: string;
	accessed_before_date?: string;
	newer_than?: string;
	older_than?: string;
	owner?: string;
	not_owner?: string;
	owners?: string[];
	unowned?: "user" | "group" | "either" | "both";
	group?: string;
	contains?: string;
	case_sensitive?: boolean;
	max_results?: number;
	paths?: string[];
	min_links?: number;
	max_links?: number;
	inode?: number;
	same_file?: string;
	one_file_system?: boolean;
	follow_links?: boolean;
	fs_types?: string[];
	link_target?: string;
	accessed_after?: string;
	changed_after?: string;
	show_times?: ("accessed" | "changed")[];
	any_of?: Alternative[];
}

/** The conditions find_files' any_of takes in each alternative (find \( A -o B \)). */
const ALTERNATIVE_KEYS = [
	"name",
	"owner",
	"not_owner",
	"group",
	"min_bytes",
	"max_bytes",
	"modified_within_days",
	"modified_before_days",
	"accessed_within_days",
	"accessed_before_days",
	"changed_within_days",
	"changed_before_days",
	"newer_than",
	"older_than",
] as const;
type Alternative = Partial<Pick<FindFilesArgs, (typeof ALTERNATIVE_KEYS)[number]>>;

type Found = FindFilesArgs | Extract<SearchOp, { op: "grep" }> | { op: "read_files"; path: string; glob: string };

/** Asking for the files' text, not their names: "display the contents of all ...", "and print their contents". */
const CONTENTS_OF = /\b(?:and\s+)?(?:display|print|show|output|cat)\s+(?:out\s+)?(?:the\s+|their\s+|its\s+)?(?:concatenated\s+)?contents?(?:\s+of)?\b/i;

/** A name, path or string as written: quoted in any of the ways people quote, or a bare token. */
const QUOTED = "(?:\"([^\"\\n]{1,100})\"|'([^'\\n]{1,100})'|`([^`'\\n]{1,100})[`']|‘([^’\\n]{1,100})’)";
const BARE = "([\\w.*?$~-]*[\\w*?$~][\\w.*?$~-]*)";
const Q = `(?:${QUOTED}|${BARE})`;
const PATH = `(?:${QUOTED}|([~./$\\w-]*\\/[~./$\\w*-]*|\\$\\w+))`;
/** A path written bare or quoted that looks like one: a slash in it, or a $variable. */
const SLASHED = `(?:["'\`‘]?([~.$\\w-]*\\/[~./$\\w*-]*|\\$\\w+)["'\`’]?)`;
const quoted = (m: RegExpExecArray, from = 1): string | undefined => m.slice(from, from + 5).find(x => x !== undefined);
/** More quoted names after the first: "ending with "pdf" or "PDF"", "named 'a', 'b' or 'c'". */
const OR_MORE = `(?:\\s*(?:,\\s*(?:or\\s+)?|\\bor\\s+)${QUOTED.replace(/\((?!\?)/g, "(?:")})*`;
/** "'kt' followed by a digit": the character class joins the quoted name, as a glob says it. */
const FOLLOWED_BY =
	/(["'`‘])([^"'`’\n]{1,100})["'’]\s+followed\s+by\s+(a|one|any|a\s+single|two|three|four|five|[1-5])\s+(digits?|numbers?|characters?|chars?|letters?)\b/gi;
const CHAR_CLASS: Record<string, string> = { digit: "[0-9]", number: "[0-9]", character: "?", char: "?", letter: "[a-zA-Z]" };
const ALL_QUOTED = new RegExp(QUOTED, "g");
/** Whether `name` is written quoted in `phrase`. */
const quotedIn = (phrase: string, name: string) => new RegExp(`["'\`‘]${escapeRegExp(name)}["'\`’]`).test(phrase);
/** Every quoted name in a phrase, as one glob alternative: "{pdf,PDF}"; the name itself when there is one. */
function alternatives(phrase: string, first: string): string {
	const all = [...phrase.matchAll(ALL_QUOTED)].map(q => quoted(q)!);
	return all.length > 1 ? `{${all.join(",")}}` : first;
}

/** Where the search starts. Order matters: the most specific phrasing first. */
const WHERE: [RegExp, (m: RegExpExecArray) => string][] = [
	// "beginning with the root directory", "starting with the root folder": where the search begins, said of the root;
	// not of a name ("whose names are beginning with ...", "starting with the root folder name").
	[/(?<!\bnames?\s+(?:are\s+|is\s+)?)\b(?:beginning|starting)\s+(?:with|at|from)\s+the\s+root\s+(?:directory|folder)\b(?!\s*'?s?\s*names?\b)/i, () => "/"],
	// "List all directories starting from root that have sticky bit set": "from root", the noun left out (blind58's 10596).
	// Only "from": "files starting with root" are names.
	[/(?<!\bnames?\s+(?:are\s+|is\s+)?)\b(?:beginning|starting)\s+from\s+root\b(?![/.\w-]|\s*'?s?\s*names?\b)/i, () => "/"],
	// "under root / directory", "from root folder", "in the root (/) directory": the file system's root.
	// Not "the /root directory": that is the folder /root (the path rules below read it).
	// Not "the $root directory tree": a variable named root is that variable's folder (blind8's 1683 was read as /).
	[/\b(?:in|under|from|within|of)?\s*(?:the\s+)?(?<![/\w$])root\s*(?:\(\s*\/\s*\)|\/)?\s*(?:directory|folder|dir)\b/i, () => "/"],
	[
		/\b(?:in|under|from|within|beneath|below|inside|of|on)?\s*(?:and below\s+)?(?:the\s+)?(?:current|present)(?:\s+working)?\s+(?:directory|folder|dir)(?:\s+tree)?\b/i,
		() => ".",
	],
	[/\b(?:in|under|from|within|beneath|below|inside|of)?\s*(?:the\s+)?working\s+(?:directory|folder|dir)(?:\s+tree)?\b/i, () => "."],
	[/\bstarting\s+(?:from|at)\s+(?:the\s+)?(?:current|present)\s+(?:directory|folder)\b/i, () => "."],
	// Not a path's part: "under /system/a directory", ".../config/system/d" are folders, not the file system.
	[
		/\b(?:anywhere\s+)?(?:in|on|across|from|of)?\s*(?:the\s+|your\s+)?(?:entire\s+|whole\s+|root\s+)?(?<![/\w.-])(?:file\s*system|filesystem|system|file\s+hierarchy)\b(?![/.-])/i,
		() => "/",
	],
	// "on your computer", "on the whole machine": the file system said as the computer.
	[/\b(?:on|in|across|from)\s+(?:the\s+|your\s+|my\s+|this\s+)(?:entire\s+|whole\s+)?(?:computer|machine)\b(?!\s+(?:folder|directory|dir)\b)/i, () => "/"],
	// "in Pat's user folder", "user1's home directory tree": that user's home (~user), not the current folder.
	[
		/\b(?:in|under|from|within|below|beneath|of)?\s*(?<![/\w'])(?!(?:the|your|my|his|her|their|its|our|one|someone|user|users|current|every)'s)([A-Za-z_][\w-]*)'s\s+(?:user\s+|home\s+)(?:directory|folder|dir)(?:\s+tree)?\b/i,
		m => `~${m[1]}`,
	],
	[/\b(?:in|under|from|within|below|beneath|of)?\s*(?:the\s+|your\s+|my\s+|user'?s\s+)?(?<![/\w])home\s+(?:directory|folder|dir)(?:\s+tree)?\b/i, () => "~"],
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
			`\\b(?:in|under|from|within|beneath|below|inside|of|starting from)\\s+(?:and below\\s+)?(?:the\\s+)?${SLASHED}(?:\\s+tree)?(?:\\s+or below)?(?=[\\s,.]|$)`,
			"i",
		),
		m => m[1],
	],
	[/\bstarting\s+from\s+\/(?=[\s,.]|$)/i, () => "/"],
	// "Search directory foo for files ...": a bare folder name as the verb's object, its kind said before it.
	[/^\s*(?:please\s+)?(?:search|look\s+in)\s+(?:the\s+)?(?:directory|folder|dir)(?:\s+tree)?\s+([A-Za-z_][\w.-]*)(?=\s+for\b)/i, m => m[1]],
	// "Search the bla directory recursively for *.so files": the same name before its kind.
	[
		/^\s*(?:please\s+)?(?:search|look\s+in)\s+(?:the\s+)?([A-Za-z_][\w.-]*)\s+(?:directory|folder|dir)(?:\s+tree)?(?:\s+recursively)?(?=\s+for\b)/i,
		m => m[1],
	],
	// "in the path '/usr/lib/important/'": a place said as a path; with a preposition, so "matching the path X" is not one.
	[new RegExp(`\\b(?:in|under|within|inside)\\s+(?:the\\s+)?path\\s+${PATH}(?=[\\s,.]|$)`, "i"), m => quoted(m)!],
	// "under ~", "in ..": a place with no letter in it, which the unexplained-word check cannot see if it is left over.
	[/\b(?:in|under|from|within|beneath|below|inside|of|starting\s+from)\s+(~|\.\.)(?=[\s,]|$)/i, m => m[1]],
	// The place as the verb's object, before what is searched for: "Search /var/tmp for files larger than 30 MB", "Look in ~/src for ...".
	[
		new RegExp(
			`^\\s*(?:please\\s+)?(?:search|look\\s+in|find\\s+in)\\s+(?:the\\s+)?${SLASHED}(?:\\s+(?:directory|folder|dir))?(?:\\s+tree)?(?:\\s+recursively)?(?=\\s+for\\b)`,
			"i",
		),
		m => m[1],
	],
	[/\b(?:in|under|from)\s+(?:the\s+)?['"]?([A-Za-z_][\w.-]*)['"]?\s+(?:directory|folder|dir)(?:\s+tree)?\b/i, m => m[1]],
	// "Find all directories under dir whose names are ...": a folder named dir, said bare; the word is no filler there (it
	// was left over as one, and the current folder searched).
	[/\b(?:in|under|from|within)\s+(dir)(?=\s+(?:whose|which|that|with|having|and|for)\b|\s*$)/, m => m[1]],
	// "Find all directories under mydir": a bare folder name after "under", closing the request.
	[
		/\bunder\s+(?!(?:a|an|the|this|that|same|certain|specific|specified|given|some|particular|each|every|which|current|currently|present|working|home|root|sub|parent|file|files|it|them|these|those|dir|directory|folder)\b)([A-Za-z_][\w.-]*)(?=\s*$)/i,
		m => m[1],
	],
	// "in the folder mail" at the end: a bare folder name once nothing follows it; "in the directory tree lpi104-6" the same.
	[/\b(?:in|under|from)\s+(?:the\s+)?(?:folder|directory|dir)(?:\s+tree)?\s+([A-Za-z_][\w.-]*)(?=\s*$)/i, m => m[1]],
	// "in the directory students and print them": the same, before "and" or a clause.
	[
		/\b(?:in|under|from)\s+the\s+(?:folder|directory|dir)\s+(?!(?:and|or|tree|which|that|with|of|where|named|called)\b)([A-Za-z_][\w.-]*)(?=\s+(?:and|which|that|whose)\b|\s*[,.])/i,
		m => m[1],
	],
];
/**
 * Several places (find A B C): "in the folders /home and /opt", "under '/usr', '/bin', '/sbin' and '/opt' directory tree",
 * "in /mydir1 and /mydir2". Items must look like paths (a slash, quotes) unless a folder word says what they are.
 */
const PLACE_ITEM = `(?:["'‘]?[~.$\\w-]*\\/[~./$\\w-]*["'’]?|["'‘][\\w./~$-]+["'’])`;
const LOOSE_ITEM = `(?:["'‘]?[\\w./~$-]+["'’]?)`;
const listOf = (item: string) => `(${item}(?:\\s*,\\s*${item})*\\s*,?\\s*(?:and|&)\\s+${item})`;
const PLACES = [
	// "Search /dev/shm and /tmp for regular files": the places first, said as paths, then what is searched for.
	new RegExp(`^\\s*(?:search|look\\s+in|find\\s+in)\\s+${listOf(PLACE_ITEM)}(?=\\s+for\\b)`, "i"),
	// "Search /usr, /home, /tmp for *.jar files": the same list with commas only (blind48's 7920).
	new RegExp(`^\\s*(?:search|look\\s+in|find\\s+in)\\s+(${PLACE_ITEM}(?:\\s*,\\s*${PLACE_ITEM})+)(?=\\s+for\\b)`, "i"),
	// "Search directory trees /usr/share/doc, /usr/doc, and /usr/locale/doc for files named 'instr.txt'": the same, with their kind said.
	new RegExp(
		`^\\s*(?:search|look\\s+in|find\\s+in)\\s+(?:the\\s+)?(?:directory\\s+trees|directories|folders|dirs)\\s+${listOf(PLACE_ITEM)}(?=\\s+for\\b)`,
		"i",
	),
	new RegExp(
		`\\b(?:in|under|from|within|inside)\\s+(?:the\\s+)?(?:folders|directories|dirs|directory\\s+trees)\\s+${listOf(LOOSE_ITEM)}(?:\\s+trees?)?(?=[\\s,.]|$)`,
		"i",
	),
	// "in the folders /home/hobbes/ /home/calvin/": paths written one after the other, as find takes them, the kind said before.
	new RegExp(
		`\\b(?:in|under|from|within|inside)\\s+(?:the\\s+)?(?:folders|directories|dirs)\\s+(${PLACE_ITEM}(?:\\s+${PLACE_ITEM})+)(?:\\s+trees?)?(?=[\\s,.]|$)`,
		"i",
	),
	new RegExp(`\\b(?:in|under|from|within|inside)\\s+(?:the\\s+)?${listOf(LOOSE_ITEM)}\\s+(?:directory|directories|folders?|dirs?)(?:\\s+trees?)?\\b`, "i"),
	new RegExp(`\\b(?:in|under|from|within|inside)\\s+(?:the\\s+)?${listOf(PLACE_ITEM)}(?:\\s+trees?)?(?=[\\s,.]|$)`, "i"),
];

/** Not folder names: "the text folder" is never said; "a folder" is any folder (the current one). */
const NOT_A_DIR =
	/^(a|the|this|that|same|certain|specific|specified|specfied|given|some|particular|each|every|which|current|currently|present|working|home|root|sub|parent|file|files)$/i;

const NON_RECURSIVE =
	/\(\s*(?:but\s+)?not\s+(?:in|into)\s+(?:any\s+|its\s+|the\s+)?sub-?(?:directories|folders|dirs)\s*\)|\bno-recursively\b|\b(?:and\s+)?(?:do\s+not|don'?t|without|not)\s+(?:search(?:ing)?|go(?:ing)?|descend(?:ing)?|travers(?:e|ing)|look(?:ing)?|recurs(?:e|ing))\s+(?:in(?:to)?\s+)?(?:the\s+)?(?:any\s+)?sub[- ]?(?:directories|folders|dirs)(?:\s+(?:directories|folders))?(?:\s+of\s+the\s+(?:folder|directory))?|\bnon[- ]?recursive(?:ly)?\b|\bnot\s+recursive(?:ly)?\b/i;
const LEVELS =
	/\b(?:in\s+)?(?:at most|up to|maximum|max)\s+(one|two|three|four|five|\d)\s+levels?\s+(?:deep|down)(?:\s+the\s+directory\s+tree)?|\bin\s+levels?\s+(\d)\s+down\b/i;
/** "in the current directory and one level down": the folder's own entries and one level below (find -maxdepth N+1). */
const AND_LEVELS_DOWN = /\band\s+(one|two|three|four|five|\d)\s+levels?\s+(?:down|below|deep)(?:\s+from\s+there)?\b/i;
/** The bound as a noun: "with a maximum depth of 2", "max depth 3", "to a depth of 2" (find -maxdepth N). */
// Not "at depth 2": that is the one level (AT_LEVEL), not a bound.
const MAX_DEPTH = /\b(?<!\bat\s+(?:a\s+)?)(?:with\s+(?:a\s+|the\s+)?|to\s+a\s+)?(?:max(?:imum)?\s+)?depth\s+(?:of\s+|set\s+to\s+|limit\s+(?:of\s+)?)?(\d)\b/i;
/** A bound said as where not to go: "and do not go beyond 3 levels", "without descending more than 2 levels deep" (find -maxdepth N). */
const NOT_BEYOND =
	/\b(?:and\s+)?(?:do\s+not|don'?t|without|not)\s+(?:go(?:ing)?|descend(?:ing)?|search(?:ing)?|recurs(?:e|ing)|travers(?:e|ing))\s+(?:any\s+)?(?:beyond|deeper\s+than|more\s+than|further\s+than|past)\s+(one|two|three|four|five|\d)\s+levels?(?:\s+(?:deep|down))?/i;
/** A depth said with no bound word: "in 1 level down", "exactly 2 levels deep" (find -mindepth N -maxdepth N). */
const AT_LEVEL =
	/\b(?:in|at)\s+(?:exactly\s+)?(one|two|three|four|five|\d)\s+levels?\s+(?:deep|down|below)\b|\bexactly\s+(one|two|three|four|five|\d)\s+levels?\s+(?:deep|down|below)\b|\bat\s+(?:a\s+)?(?:depth|level)\s+(?:of\s+)?(one|two|three|four|five|\d)\b|\b(?:the\s+)?(?:(1)st|(2)nd|(3)rd|([4-9])th|first|second|third)[- ]level(?=\s+(?:sub-?directories|sub-?folders|directories|folders|dirs|files)\b)/i;
/** "the 1st level subdirectories", "second-level files": the entries at that depth only, said as an ordinal. */
const ORDINAL: Record<string, number> = { first: 1, second: 2, third: 3 };
/** find -mindepth: "with minimum depth set to 4", "which are at least 1 level deep"; both ends: "between sub-directory level 2 and 4". */
const MIN_LEVELS =
	/\b(?:with\s+(?:a\s+|the\s+)?min(?:imum)?\s+depth\s+(?:set\s+to\s+|of\s+)?(\d)|(?:which\s+|that\s+)?(?:are\s+)?(?:in\s+)?(?:at\s*least|minimum|min)\s+(one|two|three|\d{1,2})\s+levels?\s+(?:deep|down|below)(?:\s+the\s+directory\s+tree)?)\b/i;
const LEVEL_RANGE = /\bbetween\s+(?:sub-?directory\s+)?levels?\s+(\d)\s+and\s+(\d)\b/i;
const NUMBER: Record<string, number> = {
	a: 1,
	an: 1,
	one: 1,
	two: 2,
	three: 3,
	four: 4,
	five: 5,
	six: 6,
	seven: 7,
	eight: 8,
	nine: 9,
	ten: 10,
	eleven: 11,
	twelve: 12,
	fourteen: 14,
	fifteen: 15,
	twenty: 20,
	"twenty-four": 24,
	thirty: 30,
	"forty-eight": 48,
	sixty: 60,
	"seventy-two": 72,
	ninety: 90,
};
/** A number as written: a word ("twenty-four", "twenty four"), digits, or a product people leave to the shell ("7*24 hours", "30*24"). */
const num = (s: string) => NUMBER[s.toLowerCase().replace(/[\s-]+/g, "-")] ?? s.split("*").reduce((p, f) => p * Number(f.trim()), 1);

/** What is listed: files (find -type f), folders (-type d) or both. */
// Not after "hidden": "skipping hidden directories and files" leaves entries out, it does not say both kinds are listed.
const BOTH =
	/(?<!\bhidden\s+)\b(?:files?\s*(?:\/|and|or)\s*(?:directories|directory|dirs|folders)|directories\s*(?:\/|and|or)\s*(?:regular\s+|normal\s+)?files)\b/gi;
/** "files in directories at most N levels down" once the depth is read: the folders are where the files are, not what is listed. */
const FILES_IN_DIRS = /(?<=\bfiles\b.*)\b(?:in|within)\s+(?:the\s+)?(?:directories|folders|dirs)\s+(?=\s*(?:[.,]\s*)?$)/i;
const DIRS = /\b(?:sub-?directories|subdirectories|sub-?folders|directories|direcories|folders|dirs)\b/i;

/** File types by extension: ".gif files", "*.c files", "pdf files", "text files", "Python files", "OGG files". */
const EXTS = new Set(
	(
		"gif pdf php txt c h cc cpp py java js ts xml html htm css csv json yaml yml png jpg jpeg wav flac ogg mp3 mp4 mov avi gz zip bak sh pl rb go rs conf cfg ini log " +
		"tex md epub mobi chm rtf djvu swp o so tmp class jar sql svg doc docx xls " +
		// Web and packaging extensions that are no English word ("html or cgi files").
		"cgi asp aspx jsp jsx tsx vue scss sass toml shtml xhtml phtml deb rpm bz2 xz rar mkv webm bmp tif tiff ico odt ods ppt pptx xlsx tsv pyc pm hs kt lua erb"
	).split(" "),
);
/** Languages and kinds of file said by name, with the extensions their files carry. */
const WORD_EXT: Record<string, string> = {
	text: "txt",
	python: "py",
	javascript: "js",
	javascipts: "js",
	perl: "pl,pm",
	ruby: "rb",
	shell: "sh",
	bash: "sh,bash",
	markdown: "md",
	scala: "scala",
	// "display all the configuration files in the etc folder": *.conf, as the NL2Bash rows of that wording are answered (training's
	// six rows, blind48's 8400, blind51's 7366).
	configuration: "conf",
	"c++": "cpp,cc,cxx,hpp,hh",
	typescript: "ts",
	haskell: "hs",
	rust: "rs",
	kotlin: "kt",
	lua: "lua",
	header: "h,hpp",
	headers: "h,hpp",
};
/** One type word: an extension (".c", "*.txt", "pdf", "OGG") or a language name. */
const TYPE_WORD = `(?:\\*?\\.?["']?\\.?[A-Za-z0-9]{1,13}["']?|c\\+\\+)`;
/** "pdf files", "OGG and MP3 files", "html, javascript and text files", "Perl source code files", "jpg images". */
const TYPED = new RegExp(
	`(?<![\\w.])(${TYPE_WORD}(?:\\s*(?:,\\s*(?:and\\s+|or\\s+)?|\\s+(?:and|or)\\s+)${TYPE_WORD})*)\\s+(?:source\\s+(?:code\\s+)?)?(?:files?|archives|scripts|sources|images)\\b`,
	"gi",
);
/** "with the extension ".txt"", "that have the extension "bar"": the dot may be left out once the word says it is an extension. */
const WITH_EXT =
	/\b(?:with|having|(?:that\s+|which\s+)?have|that end with|ending with|which end with)\s+(?:the\s+)?(?:(?:extensions?|suffix(?:es)?)\s+)?["']?(?:\.|(?<=(?:extensions?|suffix(?:es)?)\s+["']?))([A-Za-z0-9]{1,6})["']?(?:\s+(?:extension|suffix))?\b((?:\s*,\s*(?:and\s+|or\s+)?\.[A-Za-z0-9]{1,6})*)/i;
/** Several extensions said with the word "extension(s)": "with '.p', '.w' and '.i' extension", "with the extensions txt or doc". */
// Never a conjunction: in "PCX, or DCX, ignoring the case and excluding ..." the "and" is not an extension.
const EXT_ITEM = "(?!(?:and|or)\\b)[\"'‘]?\\.?[A-Za-z0-9]{1,6}[\"'’]?";
const EXT_LIST = new RegExp(
	`\\b(?:with|having|(?:that\\s+|which\\s+)?have)\\s+(?:the\\s+)?(?:(extensions?)\\s+)?(${EXT_ITEM}(?:\\s*(?:,\\s*(?:and\\s+|or\\s+)?|\\s+(?:and|or)\\s+)${EXT_ITEM})+)(?:\\s+(extensions?))?(?![\\w.])`,
	"i",
);

/** A request that looks for files: only then is a bare file name ("the file test.txt") a name to find rather than a file to read. */
const SEARCHING = /^\s*(?:please\s+)?(?:find|finds|locate|locates|search|searches|look\s+for)\b|\b(?:instances|occurrences|copies)\s+of\b/i;
const NAME_PATTERNS: [RegExp, (n: string, m: RegExpExecArray) => string, boolean?][] = [
	// "whose names begin with "my" and end with "p"": both ends, one glob.
	[
		new RegExp(
			`\\b(?:whose\\s+names?\\s+|that\\s+|which\\s+)?(?:begin|start)s?\\s+with\\s+${Q}\\s+and\\s+(?:end|ends)\\s+(?:in|with)\\s+${QUOTED}(?:\\s+extension)?`,
			"i",
		),
		(n, m) => `${n}*${m.slice(1).filter(x => x !== undefined)[1]}`,
	],
	// The name as the subject of "is"/"are"/"equals": "whose names are 'myfile'", "that names are 'apt'", "with the name equal to x".
	// A determiner says whose name it is: "the current folder name is removed from the output" names nothing.
	[
		new RegExp(
			`\\b(?:whose|that|which|with|having)\\s+(?:their\\s+|the\\s+)?(?:file\\s*)?names?\\s+(?:is|are|equals?(?:\\s+to)?|equal\\s+to)\\s+(?!not\\b)${Q}`,
			"i",
		),
		n => n,
	],
	// "display all instances of "foo.cpp" file", "copies of the file 'x'": every file so named.
	// Only with "file" said: "all occurrences of "foo" in /src" is text to find.
	[new RegExp(`\\b(?:all\\s+)?(?:the\\s+)?(?:instances|copies)\\s+of\\s+(?:(?:the\\s+)?file\\s+${QUOTED}|${QUOTED}\\s+file)(?=[\\s,]|$)`, "i"), n => n],
	// "display all instances of the .profile file": the file named .profile, a dot-name, not files ending in .profile (blind50's
	// 9177 had searched *.profile).
	[/\b(?:all\s+)?(?:the\s+)?(?:instances|copies)\s+of\s+(?:the\s+)?(\.[A-Za-z][\w-]*)\s+file(?=[\s,]|$)/i, n => n],
	// A file named bare, with its extension: "the file test.txt", "the httpd.conf file", "Locate logo.gif in ...".
	// Only when the request searches (SEARCHING below): "show the file config.yaml" wants its text, not where it is.
	[/\b(?:the\s+)?file,?\s+([\w-][\w.-]*\.[A-Za-z0-9]{1,6})(?=[\s,]|$)/i, n => n, true],
	[/\b(?:the\s+)?([\w-][\w.-]*\.[A-Za-z0-9]{1,6})\s+file\b/i, n => n, true],
	// Not "search for all tar.gz files": a name before "files" is a type.
	[/^\s*(?:locate|find|search\s+for)\s+(?:all\s+)?(?:the\s+)?([\w-][\w.-]*\.[A-Za-z0-9]{1,6})(?=\s|$)(?!\s+(?:\w+\s+)?files\b)/i, n => n],
	[
		new RegExp(`\\bwhose\\s+names?\\s+(?:begin|start)s?\\s+with\\s+(?:the\\s+)?(?:word|letters?|string\\s+)?\\s*${Q}${OR_MORE}`, "i"),
		(n, m) => `${alternatives(m[0], n)}*`,
	],
	[new RegExp(`\\bwhose\\s+names?\\s+(?:end|ends)\\s+(?:in|with)\\s+${Q}${OR_MORE}`, "i"), (n, m) => `*${alternatives(m[0], n)}`],
	[
		new RegExp(
			`\\b(?:whose\\s+names?\\s+(?:contains?|includes?)|(?:with|having)\\s+(?:file\\s*)?names?\\s+(?:containing|including|that\\s+(?:contains?|includes?)))\\s+${Q}${OR_MORE}`,
			"i",
		),
		(n, m) => `*${alternatives(m[0], n)}*`,
	],
	// Begins or ends with, said before "in their names" could be read as "contains" ("start with 'readme' in their names").
	[
		new RegExp(
			`\\b(?:which|that)?\\s*(?:begin|start)s?\\s+with\\s+(?:(?:the\\s+)?(?:word|name|string|letters?)\\s+|an?\\s+(?=["'‘]))?${Q}${OR_MORE}(?:\\s+in\\s+(?:their|its|the)\\s+(?:file\\s*)?names?)?|\\bstarting\\s+with\\s+(?:(?:the\\s+)?(?:word|name|string|letters?)\\s+)?${Q}${OR_MORE}`,
			"i",
		),
		(n, m) => `${alternatives(m[0], n)}*`,
	],
	[
		new RegExp(
			`\\b(?:which|that)?\\s*(?:end|ends|ending)\\s+(?:in|with)\\s+(?:(?:the\\s+|an?\\s+)?(?:extension|suffix)\\s+|the\\s+(?:word|string|letters?)\\s+)?${Q}${OR_MORE}(?:\\s+in\\s+(?:their|its|the)\\s+(?:file\\s*)?names?)?`,
			"i",
		),
		// "end with extension "myfile"": an extension is after a dot.
		(n, m) => `*${/\bextension\s/i.test(m[0]) && !n.startsWith(".") ? "." : ""}${alternatives(m[0], n)}`,
	],
	[
		new RegExp(
			`\\b(?:that|which)?\\s*(?:contain|contains|containing|with|having|have|has|match|matches|matching)\\s+(?:the\\s+(?:words?|strings?|text)\\s+)?${QUOTED}${OR_MORE}\\s+in\\s+(?:their|its|the)\\s+(?:file\\s*)?names?`,
			"i",
		),
		(n, m) => `*${alternatives(m[0], n)}*`,
	],
	// "with name pattern $filename": the pattern a variable holds, kept as written (find -name "$filename").
	[new RegExp(`\\bwith\\s+(?:the\\s+|a\\s+)?(?:file\\s*)?name\\s+pattern\\s+${Q}`, "i"), n => n],
	[new RegExp(`\\b(?:named|called|(?:with|having|by)\\s+(?:the\\s+)?name)\\s+${Q}${OR_MORE}`, "i"), (n, m) => alternatives(m[0], n)],
	// "search for the file chapter1 in the folder /work": a bare name right after the verb, nothing but the place after it.
	[
		/^\s*(?:please\s+)?(?:search\s+for|find|locate|look\s+for)\s+(?:the\s+|a\s+)?(?:regular\s+|normal\s+)?file\s+([\w-][\w.-]*)(?=\s*$|\s+(?:in|under|within|inside|from)\b)/i,
		n => n,
	],
	[new RegExp(`\\b(?:the\\s+)?(?:regular\\/normal\\s+|regular\\s+)?files?\\s+${QUOTED}${OR_MORE}`, "i"), (n, m) => alternatives(m[0], n), true],
	[new RegExp(`\\bfile\\s+names?\\s+${Q}`, "i"), n => n],
	[new RegExp(`\\b(?:whose\\s+names?\\s+|that\\s+|which\\s+)?match(?:es|ing)?\\s+(?:the\\s+)?(?:name\\s+)?pattern\\s+${Q}`, "i"), n => n],
];
/** "case insensitive" and its slips ("insensitve", "insenstive", "insentive", "insensative"), as an adverb too. */
const CASE_INSENSITIVE = String.raw`case[- ]insen(?:sitive|sitve|stive|tive|sative)(?:ly)?`;
export const IGNORE_CASE = new RegExp(
	String.raw`\(?\s*\b(?:(?:in\s+)?(?:a\s+)?${CASE_INSENSITIVE}\s+(?:manner|way|fashion|mode)|${CASE_INSENSITIVE}(?:\s+search)?|(?:(?:and|which|that)\s+)?(?:contains?|containing|with|having|in)\s+both\s+(?:capital|upper[- ]?case)\s+and\s+(?:small|lower[- ]?case)\s+(?:letters|characters)|(?:while\s+)?ignoring\s+(?:the\s+)?case(?:\s+differences)?(?:\s+of\s+(?:that\s+string|the\s+file\s*name))?|ignore\s+case|regardless\s+of\s+(?:the\s+)?case|(?:and\s+)?without\s+regards?\s+to\s+(?:the\s+)?case)\s*\)?`,
	"i",
);

const UNIT_DAYS: Record<string, number> = { minute: 1 / 1440, min: 1 / 1440, hour: 1 / 24, hr: 1 / 24, day: 1, week: 7, month: 30, year: 365 };
/** Days in one unit as UNIT spells it: plural, abbreviated or misspelled ("minitues"). */
const unitDays = (unit: string): number => UNIT_DAYS[unit.toLowerCase().replace(/s$/, "").replace("minitue", "minute")];
/** Days in "N units"; no number ("an hour", "the last day") is one. */
const spanDays = (n: string | undefined, unit: string): number => (n ? num(n) : 1) * unitDays(unit);
const UNIT = "(?<unit>minutes?|mins?|minitues|hours?|hrs?|days?|weeks?|months?|years?)";
const N =
	"(?<n>\\d{1,4}(?:\\s*\\*\\s*\\d{1,4})*|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty[-\\s]four|twenty|thirty|forty[-\\s]eight|sixty|seventy[-\\s]two|ninety)";
/** Words for a file's last write (mtime) and last read (atime); "changed" is read as a write, as find tasks mostly mean it. */
// "assessed" is "accessed" misheard ("not been assessed in more than 30 days"): only ever read before a time span.
const VERB = "(?<verb>status-changed|modified|changed|edited|updated|touched|written|accessed|accesed|acces|assessed|read)";
/** The find_files keys of a time verb: last read (atime), status change (ctime: "whose status was changed"), else last write (mtime). */
function timeKeys(verb: string | undefined) {
	if (/^(?:acc|ass|read)/i.test(verb ?? "")) return ["accessed_before_days", "accessed_within_days"] as const;
	if (/^status/i.test(verb ?? "")) return ["changed_before_days", "changed_within_days"] as const;
	return ["modified_before_days", "modified_within_days"] as const;
}
// "not modified in the last day" first: the plain "modified in the last day" is inside it.
const TIMES: [RegExp, "within" | "before"][] = [
	[
		new RegExp(
			`\\b(?:that\\s+)?(?:have\\s+)?not\\s+(?:been\\s+)?${VERB}\\s+(?:in|within|for|since)\\s+(?:the\\s+)?(?:last|past)\\s+(?:${N}\\s+)?${UNIT}`,
			"i",
		),
		"before",
	],
	// "not changed in two weeks": the same with the number said and no "last".
	[new RegExp(`\\b(?:that\\s+)?(?:have\\s+)?not\\s+(?:been\\s+)?${VERB}\\s+(?:in|within|for)\\s+${N}\\s+${UNIT}`, "i"), "before"],
	[new RegExp(`\\b(?:last\\s+)?${VERB}\\s+(?:in|within|during|over|since)?\\s*(?:the\\s+)?(?:last|past)\\s+(?:${N}\\s+)?${UNIT}`, "i"), "within"],
	[new RegExp(`\\b(?:last\\s+)?${VERB}\\s+(?:in\\s+)?(?:less than|within)\\s+${N}\\s+${UNIT}(?:\\s+ago)?`, "i"), "within"],
	[new RegExp(`\\b(?:last\\s+)?${VERB}\\s+in\\s+the\\s+${N}\\s+${UNIT}\\s+ago`, "i"), "within"],
	[new RegExp(`\\b(?:last\\s+)?${VERB}\\s+${N}\\s+${UNIT}\\s+or\\s+more\\s+ago`, "i"), "before"],
	[new RegExp(`\\b(?:last\\s+)?${VERB}\\s+within\\s+(?:the\\s+)?(?:last|past)\\s+${UNIT}`, "i"), "within"],
	// "last accessed more than 7 days ago", and the same with "ago" left out (not "more than 7 days old": AGE_OLD's).
	[new RegExp(`\\b(?:last\\s+)?${VERB}\\s+(?:more than|over|at least)\\s+${N}\\s+${UNIT}(?:\\s+ago\\b|(?!\\s+old\\b))`, "i"), "before"],
	[new RegExp(`\\bolder\\s+than\\s+${N}\\s+${UNIT}`, "i"), "before"],
	// "have not been accessed in over 30 days", "accessed in over 30 days": last touched longer ago than that.
	[new RegExp(`\\b(?:that\\s+)?(?:have\\s+)?(?:not\\s+)?(?:been\\s+)?${VERB}\\s+(?:in|for)\\s+(?:over|more\\s+than)\\s+${N}\\s+${UNIT}`, "i"), "before"],
];
/**
 * Age said as an adjective, of the last write: "more than 30 days old", "at least 2 days old" (find -mtime +N), "less than
 * an hour old", "younger than 3 days" (-mtime -N). The verb-less "from the past week" is a write within it, as find's default.
 */
const AGE_OLD = new RegExp(
	`\\b(?:that\\s+are\\s+|which\\s+are\\s+|are\\s+)?(?:(?<more>more\\s+than|over|at\\s+least)|(?<less>less\\s+than|under|at\\s+most))\\s+${N}\\s+${UNIT}\\s+old\\b|\\b(?:that\\s+are\\s+|which\\s+are\\s+)?(?<younger>younger|newer)\\s+than\\s+${N.replace("<n>", "<n2>")}\\s+${UNIT.replace("<unit>", "<unit2>")}(?:\\s+old)?\\b`,
	"i",
);
const SINCE_SPAN = new RegExp(`\\b(?:from|during|over)\\s+the\\s+(?:last|past)\\s+(?:${N}\\s+)?${UNIT}\\b`, "i");
/**
 * Two bounds on one time, the nearer one negated: "accessed during the last 24 hours but not within the last hour" is
 * find -atime -1 -amin +60: within the first span and longer ago than the second, same verb for both.
 */
const WITHIN_BUT_NOT = new RegExp(
	`\\b(?:last\\s+)?${VERB}\\s+(?:in|within|during|over)?\\s*(?:the\\s+)?(?:last|past)\\s+(?:${N}\\s+)?${UNIT},?\\s+(?:but|and)\\s+not\\s+(?:in|within|during)\\s+(?:the\\s+)?(?:last|past)\\s+(?:${N.replace("<n>", "<n2>")}\\s+)?${UNIT.replace("<unit>", "<unit2>")}`,
	"i",
);
/** find -mtime N: modified between N and N+1 units ago ("modified in exactly 1 day back" too); "between A and B days ago" the same with A and B. */
const EXACT_AGO = new RegExp(
	`\\b(?:last\\s+)?${VERB}\\s+(?:(?:in\\s+)?exactly\\s+)?${N}\\s+${UNIT}\\s+(?:ago|before|back)\\b|\\b(?:that\\s+are\\s+|which\\s+are\\s+)?exactly\\s+${N.replace("<n>", "<n2>")}\\s+${UNIT.replace("<unit>", "<unit2>")}\\s+old\\b`,
	"i",
);
/** The time as a noun, the subject of "is": "which modification time is 7 days ago", "whose access time is exactly 2 days ago" (find -mtime N). */
const TIME_IS_AGO = new RegExp(
	`\\b(?:whose|which|with|that\\s+have\\s+a)?\\s*(?:last\\s+)?(?<verb>modification|modified|access|accessed)\\s+(?:time|date)\\s+(?:is|was|of)\\s+(?:exactly\\s+)?${N}\\s+${UNIT}\\s+ago\\b`,
	"i",
);
/**
 * Two bounds on one time said as a range: "accessed in the last 2 to 6 minutes" (find -amin -6 -amin +2), "modified more
 * than 50 days back and less than 100 days", "at least one week old (7 days) but less then 30 days old" (-mtime +7
 * -mtime -30). A number in brackets must restate the first bound; with no verb the age is the last write's.
 */
const RANGE_SPAN = new RegExp(
	[
		`\\b(?:last\\s+)?${VERB}\\s+(?:in|within|during)?\\s*(?:the\\s+)?(?:last|past)\\s+(?<a>\\d{1,4})\\s*(?:to|-)\\s*(?<b>\\d{1,4})\\s+${UNIT}\\b`,
		`\\b(?:(?:that|which)\\s+(?:are|were|have\\s+been)\\s+|are\\s+)?(?:(?:last\\s+)?${VERB.replace("<verb>", "<verb2>")}\\s+)?(?:more\\s+than|over|at\\s+least)\\s+${N.replace("<n>", "<a2>")}\\s+${UNIT.replace("<unit>", "<ua>")}(?<aEnd>\\s+(?:ago|back|old))?(?:\\s*\\(\\s*(?<gloss>\\d{1,4})\\s+(?<ug>minutes?|hours?|days?)\\s*\\))?,?\\s+(?:but|and)\\s+(?:less|fewer)\\s+th[ae]n\\s+${N.replace("<n>", "<b2>")}\\s+${UNIT.replace("<unit>", "<ub>")}(?<bEnd>\\s+(?:ago|back|old))?\\b`,
	].join("|"),
	"i",
);
const BETWEEN_AGO = new RegExp(
	`\\b(?:last\\s+)?${VERB}\\s+(?:between\\s+(?<a>\\d{1,4})\\s*(?<ua>minutes?|hours?|days?)?\\s+(?:and|to)|more\\s+than\\s+(?<a2>\\d{1,4})\\s*(?<ua2>minutes?|hours?|days?)?\\s+(?:but|and)\\s+less\\s+than)\\s+(?<b>\\d{1,4})\\s+${UNIT}\\s+(?:ago|before)\\b`,
	"i",
);

const SIZE_UNIT = "((?:[kmgt]i?)?b|(?:kilo|mega|giga|tera)?bytes?|[kmg]|blocks?)\\b";
const SIZE = `(\\d+(?:\\.\\d+)?|an?|one)\\s*${SIZE_UNIT}`;
const LARGER = new RegExp(
	`\\b(?:(?:whose\\s+|(?:which\\s+|that\\s+)?(?:have|has)\\s+(?:a\\s+)?)?size\\s+(?:is\\s+)?)?(?:over|above|larger\\s+than|bigger\\s+than|more\\s+than|greater\\s+than|exceeding|at\\s+least)\\s+${SIZE}(?:\\s+in\\s+size)?`,
	"i",
);
const SMALLER = new RegExp(
	`\\b(?:(?:whose\\s+|(?:which\\s+|that\\s+)?(?:have|has)\\s+(?:a\\s+)?)?size\\s+(?:is\\s+)?)?(?:under|below|smaller\\s+than|less\\s+th[ae]n|at\\s+most)\\s+${SIZE}(?:\\s+in\\s+size)?`,
	"i",
);
const POWER: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
/** Bytes in one of the unit: find's blocks are 512 bytes. */
const unitBytes = (unit: string) => {
	const u = unit.toLowerCase();
	if (/^blocks?$/.test(u)) return 512;
	const p = u[0];
	return POWER[p === "b" ? "" : p] ?? 1;
};
const amount = (n: string) => (/^\d/.test(n) ? Number(n) : 1);
const bytes = (m: RegExpExecArray) => Math.round(amount(m[1]) * unitBytes(m[2]));
/** An exact size, as find -size takes it: N bytes exactly, or N units rounded up ("15MB" is more than 14 MB, at most 15). */
const EXACT_SIZE = new RegExp(
	// Not "(size 0 bytes)" after "empty": that note is EMPTY's.
	`\\b(?<!\\(\\s*)(?:(?:which|that)\\s+)?(?:(?:are|is)\\s+(?:exactly\\s+)?|(?:(?:have|has|having|are|is|of|with)\\s+)?(?:a\\s+|the\\s+)?size\\s+(?:of\\s+|is\\s+|equal\\s+to\\s+)?(?:exactly\\s+)?|exactly\\s+)${SIZE}(?:\\s+in\\s+size)?`,
	"i",
);
/** A size said before the noun, as an adjective: "Find all 50MB files" (find -size 50M). */
const SIZE_ADJECTIVE = new RegExp(`(?<![\\w.])${SIZE}(?=\\s+(?:regular\\s+|normal\\s+)?files\\b)`, "i");
/** "whose size is between 10 and 50 MB": the first number in the second's unit unless it has its own. */
const BETWEEN_SIZE = new RegExp(
	`\\b(?:(?:whose\\s+)?size\\s+is\\s+|(?:with|having)\\s+(?:a\\s+)?size\\s+(?:of\\s+)?)?between\\s+(\\d+)\\s*(?:${SIZE_UNIT})?\\s+(?:and|to)\\s+${SIZE}(?:\\s+in\\s+size)?`,
	"i",
);

const EMPTY =
	/\bempty\b(?!\s+(?:them|it|these|those|each|all\s+of\s+them)\b)(?:\s*\(\s*(?:zero|0)[- ]byte files\s*\)|\s*\(\s*size 0 bytes\s*\))?|\b(?:zero|0)[- ](?:byte|length|size)\b|\b(?:with|of|having|whose)\s+(?:a\s+)?(?:size|length)\s+(?:is\s+|of\s+)?(?:zero|0)\b(?!\s*(?:[kmgt]i?b|bytes?|[kmg]|blocks?)\b)/i;
const OWNER = new RegExp(
	// The user named by number: "belong to the user with the id 1005", "owned by the user with uid 0".
	`\\b(?:which\\s+|that\\s+)?(?:are\\s+)?(?:owned\\s+by|belongs?\\s+to|belonging\\s+to)\\s+(?:the\\s+|a\\s+)?(?:user\\s+(?:with|having|whose)\\s+(?:the\\s+|an?\\s+)?(?:user\\s+)?(?:id|uid)|(?:user\\s+)?(?:uid|user\\s+id))\\s+(?:is\\s+|of\\s+)?(\\d{1,10})\\b|\\b(?:which\\s+|that\\s+)?(?:are\\s+)?(?:owned\\s+by|belongs?\\s+to|belonging\\s+to)\\s+(?:the\\s+)?(?:user\\s+)${Q}|\\bowned\\s+by\\s+${Q}|\\bof\\s+owner\\s+${Q}|\\bwhose\\s+owner\\s+is\\s+(?:the\\s+)?(?:user\\s+)?${Q}|\\b(?:with|having)\\s+(?:the\\s+|an?\\s+)?owner\\s+${Q}|\\bof\\s+(?:the\\s+)?user\\s+(?:with\\s+)?(?:UID\\s*=\\s*)?${Q}|\\b(?:all\\s+of\\s+)?(?!user'|your'|my')([a-z_][\\w-]*)'s\\s+(?=(?:regular\\s+)?files\\b)|\\b(?:which\\s+|that\\s+)?(?:with|having|have|has)\\s+(?:the\\s+)?(?:user\\s+id|uid)(?:\\s*=\\s*|\\s+(?:of\\s+)?)(\\d{1,10})\\b|\\b(?:which\\s+|that\\s+)?(?:belongs?|belonging)\\s+to\\s+(?:the\\s+)?(?!(?:no|any|a|an|some|every|each|that|this|which|another|other)\\s)([a-z_][\\w-]*)\\s+user\\b|\\b(?:which|that)\\s+(?:belongs?|belonging)\\s+to\\s+(?!(?:the|a|an|any|no|some|group|user|users|root\\s+group)\\b)([a-z_][\\w-]*)(?=\\s*$|\\s+(?:and|in|under|on)\\b)`,
	"i",
);
/**
 * Owned by no known user or group (find -nouser, -nogroup): "belong to no user", "do not belong to any group", "have no
 * user and no group", "have nogroup or noname" (noname: no user's name), "owned by no user", "not owned by any user or
 * group". Two said with "or" is either, with "and" both.
 */
// "owned by nonexistent groups" (blind61's 11088): an owner no user or group entry names, find -nogroup / -nouser.
const NO_ONE = "(?:no\\s*(?:user|owner|name|group)|nouser|nogroup|noname|(?:an?\\s+)?(?:non-?existent|non-?existing)\\s+(?:users?|owners?|groups?))";
const ANY_ONE = "(?:any\\s+(?:user|owner|group))";
// The second of two may drop its "any": "not owned by any user or group".
const ANY_OTHER = "(?:(?:any\\s+)?(?:user|owner|group))(?!\\s+[\\w\"'`])";
const UNOWNED = new RegExp(
	`\\b(?:(?:which|that)\\s+)?(?:(?:are\\s+|is\\s+)?(?:(?:do|does)\\s*(?:not|n't)\\s+belong\\s+to|not\\s+owned\\s+by)\\s+(${ANY_ONE})(?:\\s+(and|or)\\s+(?:to\\s+)?(${ANY_OTHER}))?|(?:belongs?\\s+to|belonging\\s+to|owned\\s+by|(?:have|has|having|with))\\s+(${NO_ONE})(?:\\s+(and|or)\\s+(?:to\\s+)?(${NO_ONE}))?)(?![\\w-])`,
	"i",
);
const unownedOf = (w: string): "user" | "group" => (/group/i.test(w) ? "group" : "user");
// "owned by the group staff", "owned by the "shadow" group": the group named before or after its noun.
const GROUP = new RegExp(
	`\\b(?:which\\s+|that\\s+)?(?:are\\s+)?(?:belongs?\\s+to|belonging\\s+to|of|with|(?:group[- ])?owned\\s+by)\\s+(?:the\\s+)?(?:group\\s+(?:id\\s+)?${Q}|${QUOTED}\\s+group\\b)`,
	"i",
);

/**
 * Not owned by one named user (find ! -user X): "which do not belong to the user "wnj"", "not owned by root", "that are not
 * owned by the user bob". Said of a user only: "do not belong to any user" is UNOWNED's, "not in the group x" is no owner.
 */
const NOT_OWNER = new RegExp(
	`\\b(?:which\\s+|that\\s+)?(?:(?:do|does)\\s+not|don'?t|doesn'?t)\\s+belong\\s+to\\s+(?:the\\s+)?user\\s+(?!(?:with|having|whose|id|uid)\\b)${Q}|\\b(?:which\\s+|that\\s+)?(?:are\\s+|is\\s+)?not\\s+owned\\s+by\\s+(?:the\\s+)?(?:user\\s+)?(?!(?:the|a|an|any|no|group|user|some|every|each)\\b)${Q}`,
	"i",
);

/** A string to find inside the files. */
const CONTENT = new RegExp(
	[
		// Not said of the names or paths: "whose names contain 'report'" is a name condition (read below), not the text.
		`\\b(?:that|which)?\\s*(?<!\\b(?:names?|paths?|pathnames?|filenames?)\\s+)(?:contain|contains|containing|have|having|has|mention|mentions|mentioning)\\s+(?:the\\s+|a\\s+)?(?:text|string|word|characters|pattern|phrase|regex|regular\\s+expression)?\\s*${QUOTED}(?!${OR_MORE}\\s+in\\s+(?:their|its|the)\\s+(?:file\\s*)?(?:names?|paths?))(?:\\s+in\\s+(?:it|them|their\\s+(?:contents?|text)))?`,
		`\\b(?:and\\s+)?search\\s+(?:them|these files|those files|all these files|in them)\\s+for\\s+(?:the\\s+)?(?:word|string|text|pattern)?\\s*${Q}`,
		`\\b(?:and\\s+)?search\\s+for\\s+(?:the\\s+)?(?:word|string|text|pattern)\\s+${Q}\\s+in\\s+(?:all\\s+)?(?:these|those|them|the)(?:\\s+files)?`,
		// Not "search for text files": a kind of file to find, not the text "files".
		`\\b(?:and\\s+)?search\\s+for\\s+(?:the\\s+)?(?:word|string|text|pattern)\\s+(?!(?:files?|directories|folders|dirs)\\b)${Q}(?=\\s*$)`,
		// grep's object said as the lines: "Search the files ... for lines containing string "vds admin"".
		`\\bfor\\s+(?:all\\s+)?(?:the\\s+)?lines\\s+(?:containing|that\\s+contain|which\\s+contain|with)\\s+(?:the\\s+)?(?:(?:string|text|word|phrase)\\s+)?${Q}`,
		// "and look for the string $test inside those files": the files just named are searched.
		`\\b(?:and\\s+)?look\\s+for\\s+(?:the\\s+)?(?:word|string|text|pattern)\\s+${Q}\\s+(?:inside|in|within)\\s+(?:all\\s+)?(?:those|these|them|the)(?:\\s+files)?`,
		`\\bfor\\s+(?:the\\s+|a\\s+)?(?:(?:word|string|text|pattern|phrase|term|keyword|expression|regex|host|hostname|ip|address|value|line|identifier)\\s+)?${QUOTED}`,
	].join("|"),
	"i",
);
/** A bare word said to be a word: "search for word linux in ...", "which have the word cache in them". */
const WORD_CONTENT =
	/\b(?:search\s+for\s+|(?:which\s+|that\s+)?(?<!\b(?:names?|paths?|pathnames?|filenames?)\s+)(?:have|contain|contains|containing|mention|mentions|mentioning)\s+)(?:the\s+)?word\s+([A-Za-z_][\w-]*)(?=\s+(?:in|from|under)\b|\s*$)/i;
/** "and print lines containing "#include"": the matching lines, as search_text shows them. */
const LINES_CONTAINING = new RegExp(
	`\\b(?:and\\s+)?(?:print|show|display)\\s+(?:the\\s+|all\\s+)?lines\\s+(?:containing|that\\s+contain|with)\\s+${QUOTED}`,
	"i",
);
/**
 * The lines to find, said of the lines (grep's object): "for lines beginning with "PyErr"" (^PyErr), "print lines ending
 * with ';'" (;$), "for TODO lines" (a capitalised term, or a quoted one, before "lines"). Case-sensitive on purpose, like
 * LEADING_CONTENT: "for empty lines" names no term.
 */
const LINE_PATTERN = new RegExp(
	`\\b(?:[Ff]or|[Pp]rint|[Ss]how|[Dd]isplay|[Oo]utput)\\s+(?:the\\s+|all\\s+|only\\s+)?(?:(?:[Ll]ines|[Rr]ows)\\s+(?:that\\s+|which\\s+)?(begin|start|end)(?:s|ning|ing)?\\s+with\\s+(?:the\\s+(?:string|word|text)\\s+)?${QUOTED}|(?:${QUOTED}|([A-Z][A-Z0-9_]{2,}))\\s+[Ll]ines\\b)`,
);
/**
 * Not hidden: "non-hidden files", "excluding hidden files and directories", "except hidden ones", "skipping hidden
 * directories and files" (find -not -path '*\/.*'). A word that leaves something out, then hidden entries; hidden
 * directories alone ("without descending into hidden directories") would still list hidden files, so they count only
 * together with the files.
 */
const NOT_HIDDEN = new RegExp(
	[
		"\\b(?:non-?hidden|unhidden|not\\s+hidden)\\b",
		`\\b(?:excluding|except(?:\\s+for)?|skipping|ignoring|omitting|but\\s+not)\\s+(?:the\\s+|all\\s+|any\\s+)?hidden\\s+(?:ones\\b|files\\b(?:\\s*(?:and|\\/)\\s*(?:directories|folders|dirs))?|(?:directories|folders|dirs)\\s*(?:and|\\/)\\s*files\\b)`,
		// "without descending into hidden directories and excluding hidden files": both halves, as one.
		`\\b(?:without\\s+descending\\s+into|skipping|excluding|ignoring)\\s+(?:the\\s+)?hidden\\s+(?:directories|folders|dirs)\\s+and\\s+(?:excluding|skipping|ignoring)\\s+(?:the\\s+)?hidden\\s+files\\b`,
	].join("|"),
	"i",
);
/** A pattern said to be a regular expression, with its dialect: "the Perl regex", "extended regular expression", "regex". */
const REGEX_WORD = "(?:(?:[Pp]erl|PCRE|[Ee]xtended(?:\\s+grep)?|POSIX|[Pp]osix-?egrep|[Ee]grep)\\s+)?(?:[Rr]egex|[Rr]egular\\s+[Ee]xpression)";
/**
 * The pattern of "for the regex X" as search_text's JavaScript regex, or null when it would not mean the same there. Perl
 * and extended regexes are read as they are (if JavaScript compiles them); grep's basic dialect (no dialect said) only
 * with \| \( \) as alternation and groups, and none of the characters that are literal in it but special in JavaScript.
 */
const contentRegex = (said: string, pattern: string) =>
	jsRegex(pattern, /\b(?:perl|pcre|extended|egrep)\b/i.test(said), /(?<!\\)[+?(){}|]|\\[{}<>]/, /\\([|()])/g);
/**
 * A regex as JavaScript reads it, or null when it would read otherwise: an extended dialect as written; a basic one
 * (grep's, find's emacs) only with its escaped operators (`ops`) made bare and none of the characters it takes literally
 * but JavaScript does not (`literal`). A shell variable ("$SEARCH") is a value the request never gives.
 */
function jsRegex(source: string, extended: boolean, literal: RegExp, ops: RegExp): string | null {
	let re = source;
	if (!extended) {
		if (literal.test(source)) return null;
		re = source.replace(ops, "$1");
	}
	if (/(?<!\\)\$\w/.test(re)) return null;
	try {
		new RegExp(re);
	} catch {
		return null;
	}
	return re;
}
/** "Search for 'magic' in all regular files ...", "Search 'x' in ...": the string comes first. */
const LEADING_CONTENT = new RegExp(
	// Case-sensitive on purpose: a bare term counts only in capitals (ERROR, TODO); the verbs take either case.
	`^\\s*(?:(?:[Rr]ecursively\\s+)?(?:[Ss]earch\\s+(?:for\\s+)?|[Gg]rep\\s+(?:for\\s+)?)(?:all\\s+)?(?:the\\s+)?(?:occurrences\\s+of\\s+)?|[Ff]ind\\s+|(?:[Pp]rints?|[Dd]isplay|[Ss]how|[Oo]utput)\\s+(?:all\\s+)?(?:the\\s+)?(?:strings|lines)\\s+(?:with|containing|that\\s+contain)\\s+|(?:[Rr]ecursively\\s+)?[Ff]inds?\\s+(?:all\\s+)?(?:the\\s+)?(?:strings?|lines?)\\s+(?:with\\s*)?)(?:the\\s+)?(?:(?:literal|exact|fixed)\\s+)?(?:word\\s+|string\\s+|text\\s+|pattern\\s+|${REGEX_WORD}\\s+)?(?:${QUOTED}|([A-Z][A-Z0-9_]{2,}))(?:\\s+recursively)?\\s+in\\b`,
	"",
);

/** Ways of saying "leave out" (find -prune, ! -path): a class, so any of them goes with any of the shapes below. */
const LEAVE_OUT =
	"(?:excluding|exclude|except(?:\\s+for)?|expect|ignoring|skipping|omitting|but\\s+not|not\\s+descending\\s+into|without\\s+descending\\s+into|without\\s+traversing\\s+into|leaving\\s+out|omit(?:ting)?)";
/** "those that are present in", "any found in", "search in": what is left out is what lies in the place named next. */
const THOSE_IN =
	"(?:(?:search\\s+in|any(?:\\s+files?)?\\s+found\\s+in|(?:those|files|the\\s+files)\\s+(?:that\\s+|which\\s+)?(?:are\\s+)?(?:present\\s+)?(?:only\\s+)?(?:in|under))\\s+)?";
const PLACE_WORD = "(?:folders?|directory|directories|dirs?|path|sub[\\s-]?directory|sub[\\s-]?folder)";
/** A name or a relative path ("./pdfs", "src/emacs"), quoted or bare. */
const EXQ = `(?:${QUOTED}|((?:\\.\\/)?[\\w.*?$~-]*[\\w*?$~][\\w.*?$~/-]*))`;
const EXCLUDE = new RegExp(
	[
		// "excluding the files with the name mmm", "except files named 'x'": left out by name.
		// "excluding those that have the name "node_modules"": the same, said of "those".
		`\\b${LEAVE_OUT}\\s+(?:the\\s+|all\\s+|any\\s+)?(?:files?|directories|folders|entries|ones|those)\\s+(?:with\\s+the\\s+name|(?:that|which)\\s+(?:have|has)\\s+the\\s+name|named|called|whose\\s+names?\\s+(?:is|are))\\s+${EXQ}`,
		`\\b${LEAVE_OUT}\\s+${THOSE_IN}(?:the\\s+)?${PLACE_WORD}\\s+(?:named\\s+|called\\s+)?${EXQ}`,
		`\\b${LEAVE_OUT}\\s+${THOSE_IN}(?:the\\s+|all\\s+)?${EXQ}\\s+${PLACE_WORD}(?:'s\\s+contents?|\\s+(?:and|along\\s+with)\\s+(?:all\\s+of\\s+)?its\\s+contents)?\\b`,
		`\\b${LEAVE_OUT}\\s+(?:the\\s+)?${QUOTED}\\s+files\\b`,
		// "excluding backup files *~, *.orig, *.bak": the globs say which.
		`\\b${LEAVE_OUT}\\s+(?:the\\s+)?(?:[a-z]+\\s+)?files\\s+(\\*[\\w.~-]*(?:\\s*,\\s*(?:and\\s+|or\\s+)?\\*[\\w.~-]*)*)`,
		`\\b${LEAVE_OUT}\\s+(?:the\\s+|all\\s+)?\\.?([A-Za-z0-9]{1,10})\\s+(?:files|ones)\\b`,
		`\\b${LEAVE_OUT}\\s+(?:the\\s+)?(\\.\\/[\\w.-]+|\\.[\\w-]+)(?:\\s+${PLACE_WORD})?(?=[\\s,]|$)`,
		// A glob alone: "except *.txt", "excluding *.log" (find ! -name '*.txt').
		`\\b${LEAVE_OUT}\\s+(\\*[\\w.~-]+)(?=[\\s,]|$)(?!\\s*,?\\s*(?:and|or)\\b)`,
		// A path below the place searched: "ignoring /root/work/", "excluding /home/jul/here/exclude/* paths".
		`\\b${LEAVE_OUT}\\s+(?:the\\s+)?(?:paths?\\s+)?(\\/[\\w.\\/-]+\\/(?:\\*)?|\\/[\\w.\\/-]*\\w)(?:\\s+paths?)?(?=[\\s,]|$)`,
		// The same quoted: "without descending into './directory'".
		`\\b${LEAVE_OUT}\\s+(?:the\\s+)?["'‘](\\.\\/[\\w.-]+)\\/?["'’](?=[\\s,]|$)`,
		// A file's name with its extension, closing the request: "Find all .txt files except README.txt" (find ! -name README.txt).
		`\\b${LEAVE_OUT}\\s+(?:the\\s+file\\s+)?([\\w-]+(?:\\.[A-Za-z0-9]{1,8})+)(?=\\s*$)`,
	].join("|"),
	"gi",
);
/**
 * Several things left out in one phrase, each said the same way: paths ("excluding those present only in the paths
 * ./media, ./images and ./backups"), globs ("except *.html and *.svn*") or kinds of file ("except perl, shell and python
 * files"; the commas may be left out when every item is a known kind).
 */
const EX_ITEM = `(?:${QUOTED.replace(/\((?!\?)/g, "(?:")}|\\.\\/[\\w.-]+(?:\\/\\*|\\*)?|[\\w.-]*\\*[\\w.*-]*)`;
/** Folders left out as bare names before a place word: "except tmp and cache directories", "except dir1 dir2 dir3 folder". */
const EXCLUDE_BARE_DIRS = new RegExp(
	`\\b${LEAVE_OUT}\\s+(?:the\\s+)?((?:[\\w.-]+\\s*,?\\s+(?:and\\s+)?)+[\\w.-]+)\\s+(?:directories|folders|dirs|directory|folder|dir)\\b`,
	"i",
);
/**
 * A folder left out as find -path ./x -prune says it: that folder only. exclude globs without a slash match a base name at
 * any depth, so "./media" becomes media{,/**} (the folder and what is in it, at the top only); "./src/emacs" already has one.
 */
// "./es*" the same: a name prefix at the top (find -path './es*' -prune: everything under a top entry starting "es").
// "./Movies/*" (find ! -path './Movies/*'): everything below that folder, not the folder itself.
const anchored = (x: string) =>
	/^\.\/[^/*?]+\/\*$/.test(x) ? `${x.slice(2, -2)}/**` : /^\.\/[^/*?]+\*?\/?$/.test(x) ? `${x.slice(2).replace(/\/$/, "")}{,/**}` : x.replace(/^\.\//, "");
const EXCLUDE_LIST = new RegExp(
	`\\b${LEAVE_OUT}\\s+${THOSE_IN}(?:the\\s+|all\\s+)?(?:${PLACE_WORD}s?\\s+)?(${EX_ITEM}(?:\\s*,\\s*${EX_ITEM})*\\s*,?\\s*(?:and|or|&)\\s+${EX_ITEM})(?:\\s+${PLACE_WORD}s?)?`,
	"i",
);
/** "but names like *.c and *.h", "except those like '*.o'": names left out, given as globs (ls --ignore, find ! -name). */
const EXCLUDE_LIKE = new RegExp(
	`\\b(?:${LEAVE_OUT}|but)\\s+(?:the\\s+)?(?:names|files|ones|those|entries)\\s+like\\s+(${EX_ITEM}(?:\\s*(?:,\\s*(?:and\\s+|or\\s+)?|\\s+(?:and|or|&)\\s+)${EX_ITEM})*)`,
	"i",
);
const KIND_WORD = `(?:${[...Object.keys(WORD_EXT), ...EXTS].map(escapeRegExp).join("|")})`;
const EXCLUDE_KINDS = new RegExp(
	`\\b${LEAVE_OUT}\\s+(?:the\\s+|all\\s+)?(${KIND_WORD}(?:\\s*,?\\s*(?:and\\s+|or\\s+)?${KIND_WORD})+)\\s+(?:files|ones|scripts|sources)\\b`,
	"i",
);
const LEAVE_STARTING = new RegExp(
	`\\b(?:but\\s+|and\\s+)?(?:${LEAVE_OUT}|ignore|exclude|skip|omit)\\s+(?:any|all|the)?\\s*files?\\s+(?:whose\\s+names?\\s+)?(?:begin(?:s|ning)?|start(?:s|ing)?)\\s+with\\s+${QUOTED}`,
	"i",
);
/** Version-control folders said by their tool's name: "except SVN ones", "skipping SVN files", "ignoring .git path". */
const VCS_DIR: Record<string, string> = { svn: ".svn", git: ".git", cvs: "CVS", hg: ".hg" };
/**
 * "excluding those whose paths contain "exclude3" or "exclude4"", "filters out files with 'beta' in path", "omitting results
 * containing "CVS"", "except those with '/invalid_dir/' in the pathnames".
 */
const PATH_HAS = new RegExp(
	`\\b(?:${LEAVE_OUT}\\s+(?:those|files)\\s+whose\\s+paths?\\s+contains?\\s+${QUOTED}((?:\\s*(?:,|or|and)\\s*${QUOTED})*)|${LEAVE_OUT}\\s+(?:those|files|the\\s+ones)\\s+with\\s+${QUOTED}\\s+in\\s+(?:the\\s+|their\\s+)?path\\s*(?:name)?s?\\b|${LEAVE_OUT}\\s+path\\s*names?\\s+containing\\s+${QUOTED}|(?:(?:that|which)\\s+do\\s+not\\s+have|without)\\s+${QUOTED}\\s+in\\s+(?:the|their|its)\\s+path\\s*(?:name)?s?\\b|(?:and\\s+)?filters?\\s+out\\s+files\\s+with\\s+${QUOTED}\\s+in\\s+(?:the\\s+|their\\s+)?path|omitting\\s+results\\s+containing\\s+${QUOTED})`,
	"i",
);
/** find -perm: an exact mode ("777 permission", "permissions 664") or any of some bits (SUID, SGID, world-writable). */
const MODE_EXACT =
	/\b(?:with\s+|having\s+|have\s+|which\s+have\s+)?(?:(?:the\s+)?(?:permissions?|permisssions)\s+(0?[0-7]{3,4})|(0?[0-7]{3,4})\s+permissions?)\b|\b(?:whose\s+)?permissions?\s+(?:are|is)\s+(0?[0-7]{3,4})\b/i;
const MODE_ANY: [RegExp, string][] = [
	// Both named, in either order, joined by "or" or "and": "SGID and SUID files" are files of either kind (find -perm /6000).
	// "both SUID and SGID set" asks for the two bits together: not this, and a single-bit rule below would misread it.
	[
		/(?<!\bboth\s+(?:the\s+)?)\b(?:that\s+)?(?:have\s+|with\s+)?(?:the\s+)?(?:(?:SUID|set[- ]?uid)\s*(?:or|and|\/|&)\s*(?:SGID|set[- ]?gid)|(?:SGID|set[- ]?gid)\s*(?:or|and|\/|&)\s*(?:SUID|set[- ]?uid))(?:\s+bits?)?(?:\s+set)?\b/i,
		"6000",
	],
	[/\b(?:SUID|set[- ]?uid)(?:\s+bit)?(?:\s+set)?\b/i, "4000"],
	[/\b(?:SGID|set[- ]?gid)(?:\s+bit)?(?:\s+set)?\b/i, "2000"],
	[/\bworld[- ]writ(?:e)?able\b/i, "0002"],
	// find -perm /1000: "with the sticky bit set".
	[/\b(?:with\s+|having\s+|that\s+have\s+)?(?:the\s+)?sticky(?:\s+bit)?(?:\s+set)?\b/i, "1000"],
];
const HIDDEN = /\bhidden\b/i;
/**
 * A count of hard links (find -links): "which have more than 2 links" (+2, at least 3), "have exactly 2 links", "which
 * have hard links" (more than one). Read before "links" can be taken for symbolic links.
 */
const LINK_COUNT =
	/\b(?:(?:which|that)\s+)?(?:have|has|having|with)\s+(?:(?<cmp>more\s+than|over|at\s+least|less\s+than|fewer\s+than|at\s+most|exactly)\s+(?<n>\d{1,4}|one|two|three|four|five)\s+(?:hard\s+)?links|(?<n2>\d{1,4}|two|three|four|five)\s+(?:hard\s+)?links|(?<n3>one|1)\s+(?:hard\s+)?link|(?<hard>hard\s+links))\b/i;
/**
 * find -xdev (-mount): stay on the file system the search starts on. "without traversing (to) other devices/partitions",
 * "without descending into other partitions", "searched only in the mounted file systems", "only in the current file system";
 * "even if it's in a different partition" before one of them says why a second place is named, nothing more.
 */
const ONE_FILE_SYSTEM =
	/\b(?:even\s+if\s+it'?s\s+(?:in|on)\s+a\s+different\s+partition\s+)?(?:(?:and\s+)?without\s+(?:traversing|descending|going|crossing)\s+(?:(?:in)?to\s+)?(?:any\s+)?other\s+(?:devices?\s*\/\s*partitions?|partitions?\s*\/\s*devices?|partitions|devices|file\s*systems)|(?:and\s+)?(?:searched\s+|search(?:ing)?\s+)?only\s+(?:in|on)\s+the\s+(?:mounted|current)\s+file\s*systems?|(?:and\s+)?(?:which|that)\s+(?:resides?|are\s+present|are|is|exists?)\s+(?:in|on)\s+the\s+same\s+partition\s+as\s+(?:that\s+of\s+)?(?:the\s+)?root(?:\s+(?:partition|file\s*system))?|(?:and\s+)?without\s+searching\s+(?:any\s+)?(?:other\s+)?mounted\s+(?:removable\s+)?(?:media|file\s*systems|partitions|devices)|(?:and\s+)?ignoring\s+(?:any\s+)?(?:mounted\s+)?removable\s+media)\b/i;
/** A file system's type named (find -fstype): "on ext3 file systems", "in 'ext2' partitions", "in nfs system", "on smbfs mounts". */
const FS_NAME = "[\"'‘]?(ext[234]|vfat|nfs4?|jfs2?|xfs|btrfs|tmpfs|smbfs|cifs|ntfs|msdos|reiserfs|zfs|iso9660|udf)[\"'’]?";
const FS_TYPE = new RegExp(
	`(?<!\\bonly)\\s+(?:and\\s+)?(?:(?:(?:that|which)\\s+)?(?:exists?|resides?)\\s+|(?:that|which)\\s+(?:are(?:\\s+present)?|is)\\s+)?(?:on|in)\\s+(?:the\\s+|an?\\s+)?${FS_NAME}(?:\\s*(?:,|and|or)\\s*${FS_NAME})?\\s+(?:file\\s*systems?|filesystems?|partitions?|mounts?|systems?)\\b`,
	"gi",
);

/** Access or status-change times asked beside the names (find_files' show_times), the modification time maybe named too. */
const SHOW_TIMES =
	/\s+(?:(?:and\s+)?(?:display|show|print)\s+their\s+|(?:along\s+)?with\s+(?:their|the)\s+)(?:last\s+)?(?:access(?:ed)?|status\s+change)(?:\s+(?:and|&)\s+(?:last\s+)?(?:modifi(?:ed|cation)|access(?:ed)?|status\s+change))?\s+(?:timestamps?|times?|dates?)(?=\s*$)/i;
/** Accessed, changed or status-changed after a file's modification, the file a path: find -anewer, -cnewer, -newer. */
const AFTER_FILE = new RegExp(
	`\\b(?:(?:which|that|whose\\s+status)\\s+)?(?:(?:have|has|had)\\s+been\\s+|(?:was|were|is|are)\\s+)?(?:accessed|changed)\\s+after\\s+(?:(?:the\\s+)?(?:modification\\s+of|modifying)\\s+(?:the\\s+)?(?:file\\s+)?${PATH}(?:\\s+files?)?|(?:the\\s+)?(?:file\\s+)?${PATH}\\s+was\\s+(?:last\\s+)?modified)(?![\\w/])`,
	"i",
);

/** find -L: "following symlinks", "and follow symlinks if needed", "following symbolic links". Not "without following". */
const FOLLOW_LINKS =
	/(?<!\bwithout\s+),?\s*\b(?:and\s+)?(?:follow(?:ing|s)?)\s+(?:the\s+|all\s+)?(?:symlinks|symbolic\s+links|soft\s+links)(?:\s+if\s+(?:needed|necessary|any))?\b/i;
/** An inode number (find -inum): "whose inode number is 1316256", "with inode 42", "with the same inode number 41525360". */
const INODE =
	/\b(?:(?:whose|with|having|which\s+has|that\s+has)\s+(?:the\s+)?(?:same\s+)?inode(?:\s+number)?\s+(?:is\s+|of\s+)?|(?:by|of)\s+inode(?:\s+number)?\s+)["'‘]?(\d{1,20})["'’]?(?![\w'’"])/i;
/** One file's hard links (find -samefile F): "all hard links to file1", "hard links to the same file x/file1", "that are the same file as "/x"". */
const SAME_FILE = new RegExp(
	`\\b(?:(?:all\\s+)?(?:the\\s+)?hard\\s+links\\s+(?:to|of)|(?:that|which)\\s+are\\s+the\\s+same\\s+file\\s+as)\\s+(?:the\\s+same\\s+file\\s+|(?:the\\s+)?file\\s+)?(?:${QUOTED}|([~.$\\w-]*\\/[~./$\\w-]+|[\\w-]+(?:\\.[A-Za-z0-9]{1,6})?))`,
	"i",
);
/** Symbolic links themselves (find -type l), the broken ones (-xtype l) when said so. */
const LINKS = /\b(?:(?:file|symbolic|soft|sym)[- ]?links?|symlinks?|links)\b/i;
/** Devices, sockets and named pipes, each its own kind of entry (find -type b, c, s, p); not one kind in a list of every kind. */
const SPECIAL_KIND =
	/(?<!,\s*)\b(?:(block|character|char)\s+(?:(?:special|spacial)\s+)?(?:devices?(?:\s+files)?|files)|(socket)s?(?:\s+files)?|(?:named\s+pipes?|fifos?)(?:\s+files)?)\b(?!\s*,|\s+(?:and\s+so\s+on|etc)\b)/gi;
const BROKEN =
	/(?<!\w)["'`]?(?:broken|dead|dangling)["'`]?(?=\s+(?:(?:symbolic|soft|sym)[- ]?)?links?\b|\s+symlinks?\b)|\b(?:that|which)\s+(?:are|is)\s+(?:broken|dead|dangling)\b|\b(?:that|which)\s+points?\s+to\s+nothing(?:\s*\(\s*links\s+with\s+their\s+original\s+file\s+deleted\s*\))?|\b(?:that|which)\s+points?\s+to\s+(?:non-?existent|missing|non-?existing)\s+(?:files?|targets?|paths?)\b/i;
/**
 * Times compared with a file's (find -newer F, ! -newer F): "newer than file `ttt'", "modified after /tmp/start",
 * "older than 'today.ref' file". The file must look like one (quoted, a slash, an extension), so "older than 5 days" is not taken.
 */
/** A time written where a file would be: a month and a day, an ISO date, a clock time. */
const DATE_LIKE = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b/i;
const THAN_FILE = new RegExp(
	`\\b(?:(?:that|which)\\s+(?:are|were|have\\s+been)\\s+)?(?:(?:last\\s+)?(?:modified|changed)\\s+(after|before)|(?:(?:last\\s+)?modified\\s+)?((?:not\\s+)?(?:newer|older))\\s+than)\\s+(?:the\\s+)?(?:files?\\s+)?(?:${QUOTED}|([~.$\\w-]*\\/[~./$\\w-]+|[\\w-]+(?:\\.[A-Za-z0-9]{1,6}){1,3}|\\.[A-Za-z][\\w-]*(?:\\.[A-Za-z0-9]{1,6})?)|(?<=file\\s+)([\\w-]+))(?:\\s+file)?(?:\\s+was\\s+(?:last\\s+)?modified|\\s+by\\s+modification\\s+time)?`,
	"i",
);
/**
 * A calendar date (find -newermt): "on November, 22", "after February 1st", "on the 29th of September, 2008". With no
 * year, this year (as find's date parser reads "Nov 22"). "on D" is that day, "after D" from the next day, "before D" before it.
 */
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH =
	"(jan(?:uary)?|feb(?:ruary|uary|urary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const DAY_OF = "(\\d{1,2})(?:st|nd|rd|th)?";
const CALENDAR = new RegExp(
	`\\b(?:(?:that|which)\\s+(?:were|was|have\\s+been|has\\s+been)\\s+)?(?:last\\s+)?(?:modified|changed|updated|edited|(accessed))\\s+(on|after|before|since)\\s+(?:the\\s+)?(?:${MONTH}\\.?,?\\s+${DAY_OF}|${DAY_OF}\\s+of\\s+${MONTH})(?:,?\\s+(\\d{4})|\\s+of\\s+(?:the\\s+)?(?:current|this)\\s+year\\b)?(?![\\w:/-])`,
	"i",
);
/** "last modified in March 2007": that calendar month (find -newermt 2007-03-01 ! -newermt 2007-04-01). */
const MONTH_YEAR = new RegExp(
	`\\b(?:(?:that|which)\\s+(?:were|was|have\\s+been|has\\s+been)\\s+)?(?:last\\s+)?(?:modified|changed|updated|edited|(accessed))\\s+in\\s+${MONTH}\\.?,?\\s+(\\d{4})(?![\\w:/-])`,
	"i",
);
function calendarDay(m: RegExpExecArray, year: number): Date | null {
	const month = MONTHS.indexOf((m[3] ?? m[6]).slice(0, 3).toLowerCase());
	const day = Number(m[4] ?? m[5]);
	const y = m[7] ? Number(m[7]) : year;
	const d = new Date(Date.UTC(y, month, day));
	return d.getUTCMonth() === month && day >= 1 ? d : null;
}
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const nextDay = (d: Date) => new Date(d.getTime() + 86_400_000);

/** Calendar days (find -daystart): "modified today", "modified yesterday", "(from the start of the day)". */
const TODAY = /\b(?:last\s+)?(?:modified|changed|updated|edited|(accessed|accesed))\s+today\b/i;
const YESTERDAY = /\b(?:last\s+)?(?:modified|changed|updated|edited)\s+(?:exactly\s+)?yesterday(\s+or\s+later)?\b/i;
/** "modified day before yesterday": that calendar day (find -daystart -mtime 2). */
const DAY_BEFORE_YESTERDAY = /\b(?:last\s+)?(?:modified|changed|updated|edited)\s+(?:on\s+)?(?:exactly\s+)?(?:the\s+)?day\s+before\s+yesterday\b/i;
/**
 * How the calendar day is counted, said in brackets: "(from the start of the day)", "(from the start of day ie, from
 * 00:00)", "(from 00:00 to 23:59 yesterday)", "(considers day starting not 24 hours)".
 */
const DAYSTART_NOTE =
	/\(\s*(?:(?:(?:from\s+)?(?:the\s+)?st?r?art\s+of\s+(?:the\s+)?day(?:\s*(?:ie|i\.e\.)?,?\s*(?:from\s+)?00:00)?|from\s+00:00)(?:\s+(?:to|till|until|-)\s+23:59)?(?:\s+(?:yesterday|today))?|considers\s+day\s+starting\s+not\s+24\s+hours)\s*\)/i;
const LEADING_FIRST =
	/^\s*(?:list|find|show|display|print|get)\s+(?:the\s+)?first\s+(?:(\d{1,3}|ten|five)\s+(?=files|directories)|(?=(?:file|directory|folder)(?:\s*\/\s*(?:file|directory|folder))?\b))/i;
/** "... and quit": find -quit after the first match, which max_results 1 already says. */
const AND_QUIT = /\b(?:and\s+)?(?:then\s+)?(?:quit|exit|stop)(?:\s+searching)?\s*$/i;
/**
 * A name said not to be one: "whose filenames are not "file.txt"", "not with the name 'query_to_avoid'", "whose name is not
 * "ss"", "not named x" (find ! -name x). A name regex matching every other name, so ignore_case (! -iname) applies to it too.
 */
const NOT_THE_NAME = new RegExp(
	`\\b(?:whose\\s+(?:file\\s*)?names?\\s+|that\\s+|which\\s+)?(?:do|does)\\s*(?:not|n't)\\s+(?<start>begin|start)\\s+with\\s+${QUOTED}|\\b(?:(?:whose|with|having)\\s+(?:their\\s+|the\\s+)?(?:file\\s*)?names?\\s+(?:is|are)\\s+not|not\\s+(?:with|having)\\s+(?:the\\s+)?name|(?:that\\s+|which\\s+)?(?:are\\s+|is\\s+)?not\\s+(?:named|called))\\s+${Q}`,
	"i",
);
const CASE_VARIANTS =
	/\b(named|called)\s+([\w.-]+)((?:\s*,\s*(?!or\b)[\w.-]+)+)\s*,?\s*(?:or\s+)?(?:any\s+other|any)\s+combination\s+of\s+(?:upper\s*case|capital)\s+and\s+(?:lower\s*case|small)\s+(?:characters|letters)\b/gi;
/** A glob of a name as a JavaScript regex source (* any run, ? one character), or null when it uses more than those. */
function globRegex(glob: string, path = false): string | null {
	if (!(path ? /^[\w.*?~#+/ -]+$/ : /^[\w.*?~#+-]+$/).test(glob)) return null;
	return glob.replace(/[.+]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
}
/** "that do not contain 'photo' in their names": left out by name. */
const NOT_NAMED = new RegExp(
	// Only about the name: "files that do not contain 'x'" alone is about their text (grep -L), not answered here.
	`\\b(?:that|which)?\\s*(?:do|does)\\s*(?:not|n't)\\s+(?:contain|have)\\s+(?:the\\s+word\\s+)?${QUOTED}\\s+in\\s+(?:their|its|the)\\s+names?|\\b(?:which|whose)\\s+whole\\s+name\\s+does\\s*(?:not|n't)\\s+contain\\s+${QUOTED}`,
	"i",
);
/**
 * "whose names do not end in ".exe" and ".dll"", "does not end with *.html": every ending said is left out (find ! -name
 * '*.exe' ! -name '*.dll'); "and" and "or" both mean neither here.
 */
const NOT_ENDING = new RegExp(
	`\\b(?:whose\\s+(?:file\\s*)?names?\\s+|that\\s+|which\\s+)?(?:(?:do|does)\\s*(?:not|n't)\\s+end\\s+(?:in|with)|(?:do|does)\\s*(?:not|n't)\\s+have\\s+(?:the\\s+|an?\\s+)?extension)\\s+(?:${QUOTED}((?:\\s*(?:,|or|and|nor)\\s*${QUOTED})*)|([*.\\w][\\w.*-]*))`,
	"i",
);
/**
 * Names negated, each an ending, said without "do not": "not ending in .dll or .exe", "which file name is NOT end with
 * '.html'" (find ! -name '*.dll' ! -name '*.exe'): left out by name only, folders still walked (find_files' not_names,
 * not exclude, which prunes a matching folder). Endings cannot both hold, so "or" and "and" both mean neither. Bare
 * endings must start with "." or "*" (".dll or .exe"); anything else after "not ending in" is not read.
 */
const NOT_NAMES = new RegExp(
	`(?:\\b(?:which|whose)\\s+(?:file\\s*)?names?\\s+(?:is|are)\\s+not\\s+end(?:s|ing)?|\\bnot\\s+ending)\\s+(?:in|with)\\s+(?:${QUOTED}((?:\\s*(?:,|or|and|nor)\\s*${QUOTED})*)|([*.][\\w.*-]*\\w(?:\\s*(?:,|or|nor)\\s*[*.][\\w.*-]*\\w)*))(?![\\w.*-])`,
	"i",
);
const FIRST_N =
	/\b(?:and\s+)?(?:show|display|print|list)\s+(?:only\s+)?(?:the\s+)?(?:first\s+)?(\d{1,3}|ten|five)\s+(?:files|of them)\b|\b(?:and\s+)?show\s+only\s+(?:the\s+)?first\s+(\d{1,3}|ten)\s+of\s+them\b/i;

/**
 * Links judged by what they point to: "symbolic links ... to files whose pathnames end in ...", "symlinks whose contents
 * match pattern "*sysdep.c"" (a link's contents are its target: find -lname). find_files and a name search test the link's
 * own path, so another question would be answered.
 */
export const LINK_TARGET =
	/\b(?:links?|symlinks?)\b.*\b(?:to\s+(?:files?|directories|folders|targets?)\s+(?:whose|that|which|matching|named|ending|with)|whose\s+(?:contents?|targets?))\b/i;

/**
 * Asks the one call cannot answer exactly, whatever else the request says:
 * - the folder each file is in ("List the directory paths of all *.ext files", "display its parent directory"): each path
 *   cut to its parent, a transformation of the list (like the parent of each file, or base names without the path);
 * - links judged by what they point to ("symbolic links in /usr/bin to files whose pathnames end in "*\/systemctl"": find
 *   -lname), which find_files' path conditions would test on the link's own path;
 * - "in etc" without a slash: /etc or a folder named etc below the current one, not said.
 */
const NOT_ONE_CALL = new RegExp(
	[
		"\\b(?:(?:parent|containing|enclosing)\\s+(?:directory|directories|folders?|dirs?)|(?:directory|folder|dir)\\s+(?:paths?|names?)\\s+of)\\b",
		"\\b(?:directories|folders)\\s+(?:that|which)\\s+contain\\s+(?:them|these|those|each|it)\\b",
		// "all the directories which have files ending with ".todo"": the folders holding such files (blind47's 8312 listed
		// folders named *.todo).
		"\\b(?:directories|folders|dirs)\\s+(?:that|which)\\s+(?:have|has|contain|hold)\\s+(?:any\\s+|some\\s+)?(?:files|a\\s+file)\\b",
		LINK_TARGET.source,
		"\\b(?:in|under|within|inside|from)\\s+(?:the\\s+)?etc\\b(?!\\s*[.,)]|\\s*$)",
	].join("|"),
	"i",
);

/** How the names are shown: find_files prints one path per line with its size and time; these ask nothing more. */
/** A part of each entry find_files shows: its path or name, its size, its modification time. */
const SHOWN = "(?:file\\s*)?(?:sizes?|timestamps?|modification\\s+times?|(?:full\\s+)?paths?|path\\s*names?|names?)";
const PRESENTATION = new RegExp(
	[
		// All names on one line, however the reason is given: "print them in a single line (to avoid the problem of files having newline in their names)".
		"\\b(?:and\\s+)?(?:print|display|show|list)\\s+them\\s+(?:in|on)\\s+a\\s+single\\s+line\\b(?:\\s*\\(\\s*to\\s+avoid\\s+[^()]{1,80}\\))?",
		"\\b(?:display|show|print|get)?\\s*(?:a\\s+|the\\s+)?(?:detailed|long)\\s+(?:listing|list)\\s+of\\b",
		// "and display detailed list": the same said after what is listed.
		"\\b(?:and\\s+)?(?:display|show|print|get)\\s+(?:a\\s+|the\\s+)?(?:detailed|long)\\s+(?:listing|list)(?=\\s*$)",
		// What find_files shows of each entry anyway, said as a pair: "display the filename along with file size".
		"\\b(?:and\\s+)?(?:display|show|print|list)\\s+(?:the\\s+|their\\s+|its\\s+)?(?:file\\s*)?(?:names?|paths?)\\s+(?:along\\s+with|with|and)\\s+(?:the\\s+|their\\s+|its\\s+)?(?:file\\s+)?sizes?\\b",
		// find -print0, said as what is added: "appending a null character at the end of each file name/path".
		"\\b(?:and\\s+)?(?:append(?:ing)?|add(?:ing)?|print(?:ing)?|put(?:ting)?)\\s+(?:a\\s+)?(?:null|NUL|zero)(?:\\s+(?:character|byte|char))?\\s+(?:at\\s+the\\s+end\\s+of|after)\\s+each(?:\\s+of\\s+(?:their|the))?\\s+(?:file\\s*)?(?:names?|paths?)(?:\\s*\\/\\s*(?:names?|paths?))?",
		"\\b(?:and\\s+)?(?:display|show|print|list)\\s+(?:them|their\\s+details|it)\\b(?:\\s+using\\s+the\\s+ls\\s+command|\\s+in\\s+(?:a\\s+|the\\s+)?long\\s+(?:listing\\s+)?format)?",
		"\\b(?:along\\s+)?with\\s+their\\s+sizes?\\b",
		// The same after a comma, closing the request: "whose names are "Trash", and their sizes".
		"(?:,\\s*|\\s)and\\s+their\\s+sizes?(?=\\s*$)",
		// What find_files shows of each entry, listed: "with their paths and sizes", "with their names, paths and sizes". Not
		// "with their names containing x": a condition follows, not another part shown.
		"\\b(?:along\\s+)?with\\s+their\\s+(?:(?:full\\s+)?paths?|(?:file\\s*)?names?|sizes?)(?:\\s*(?:,\\s*(?:and\\s+)?|\\s+and\\s+)(?:their\\s+)?(?:(?:full\\s+)?paths?|(?:file\\s*)?names?|sizes?))+\\b(?!\\s+(?:contain|start|begin|end|match|includ|that|which|having|like|equal|is|are)\\w*)",
		"\\bwith\\s+(?:the\\s+)?(?:null|NUL|NULL)\\s+character\\s+as\\s+(?:the\\s+)?delimiter(?:\\s+instead\\s+of\\s+newline)?",
		// The same separator said otherwise: "display them in a single line null separated", "(print0 handles file names with newlines or spaces)".
		"\\b(?:and\\s+)?(?:display|print|show|list)\\s+them\\s+(?:in|on)\\s+a\\s+single\\s+line\\s+(?:null|NUL|NULL)[- ]?(?:separated|delimited)\\b",
		"\\(\\s*-?print0\\s+(?:handles|is\\s+used\\s+to\\s+handle)\\s+file\\s*names\\s+with\\s+(?:only\\s+)?(?:newlines|spaces)(?:\\s+(?:or|and)\\s+(?:newlines|spaces))?\\s*\\)",
		// The same note said without brackets: ", print0 is used to handle files with only spaces in their names or which have newlines in their names".
		",?\\s*\\b-?print0\\s+(?:handles|is\\s+used\\s+to\\s+handle)\\s+(?:file\\s*names|files)\\s+with\\s+(?:only\\s+)?(?:new\\s?lines|spaces)(?:\\s+in\\s+their\\s+names)?(?:\\s+(?:or|and)\\s+(?:which\\s+have\\s+)?(?:only\\s+)?(?:new\\s?lines|spaces)(?:\\s+in\\s+their\\s+names)?)?",
		"\\bwith\\s+newline\\s+as\\s+the\\s+delimiter\\b",
		"\\bnull[- ]separated\\b",
		// A zero byte between names (find -print0), however it is said: "using zero delimiter for output", "separated by zeroes".
		"\\b(?:using|with)\\s+(?:a\\s+|the\\s+)?(?:zero|null|NUL)(?:\\s+(?:byte|character))?\\s+(?:as\\s+(?:the\\s+)?)?delimiters?(?:\\s+(?:for|in)\\s+(?:the\\s+)?output)?",
		"\\b(?:and\\s+)?(?:print|display|show|list)\\s+(?:them|their\\s+(?:path\\s*)?names|their\\s+paths)\\s+separated\\s+by\\s+(?:zeroe?s|nulls|null\\s+characters|NUL\\s+characters)\\b",
		"\\b(?:and\\s+)?page\\s+interactively\\s+through\\s+the\\s+output\\b",
		"\\b(?:and\\s+)?show\\s+them\\s+by\\s+paging\\s+through\\s+one\\s+screenful\\s+at\\s+a\\s+time\\b",
		"\\b(?:with|ensuring)\\s+white\\s*space\\s+safety(?:\\s+in\\s+(?:their\\s+)?(?:paths|file\\s*names))?\\b",
		// Colour is how a terminal shows the matches, not another condition.
		"\\b(?:and\\s+)?(?:display|show|with)\\s+colou?rs?\\s+(?:on|for)\\s+the\\s+matched\\s+(?:lines|text)(?:\\s+in\\s+the\\s+output)?",
		"\\b(?:and\\s+)?(?:display|show|print)\\s+the\\s+matched\\s+lines?\\s+(?:along\\s+with|as\\s+well\\s+as)\\s+the\\s+file\\s*names?\\b",
		"\\binvoking\\s+xargs\\s+only\\s+once\\b",
		"\\b(?:the\\s+)?names?\\s+and\\s+sizes?\\s+of\\b",
		// What find_files shows of each entry (path, size, modification time), asked alone or as a list: "print their sizes and
		// paths", "print their timestamps and paths", "Print the file sizes along with their paths for all ...", "along with their
		// timestamp", "with file sizes" (9184, 9524, 10409, 4438, 9875). Not access or status-change times, which it does not show.
		`\\b(?:and\\s+)?(?:print|display|show|list)\\s+(?:their|the|its)\\s+${SHOWN}(?:\\s*(?:,\\s*(?:and\\s+)?|\\s+and\\s+|\\s+along\\s+with\\s+)(?:their\\s+|the\\s+|its\\s+)?${SHOWN})+(?=\\s*$)`,
		// "the size of each file" stays unexplained (each is read as all before this): plural sizes only.
		`\\b(?:the\\s+)?(?:file\\s+sizes?|sizes)(?:\\s+along\\s+with\\s+(?:their|the)\\s+(?:full\\s+)?paths?)?\\s+(?:of|for)\\b(?=\\s+all\\b)`,
		"\\b(?:along\\s+)?with\\s+(?:their|the|its)\\s+(?:last\\s+)?(?:timestamps?|modification\\s+(?:times?|dates?)|modified\\s+times?)(?=\\s*$)",
		"\\b(?:and\\s+)?(?:prints?|displays?|shows?)\\s+(?:the\\s+)?full\\s+paths?\\s+along\\s+with\\s+(?:the\\s+|their\\s+)?modification\\s+times?(?=\\s*$)",
		"\\bwith\\s+(?:the\\s+)?file\\s+sizes(?=\\s*$)",
		"\\b(?:the\\s+)?sizes?\\s+and\\s+(?:the\\s+)?(?:file\\s*)?names?\\s+of\\b",
		// find_files prints each link as "link -> target": "all symlinks and their targets" asks nothing more (checked for links below).
		"\\b(?:and|with|along\\s+with)\\s+their\\s+targets\\b",
		"\\b(?:and\\s+)?print\\s+the\\s+time\\s+and\\s+size(?:\\s+on\\s+stdout)?",
		"\\bprinting\\s+them\\s+on\\s+a\\s+single\\s+line\\b",
		"\\bprint\\s+out\\b",
		// "and prints the location": where each one is, its path, which find_files prints anyway.
		",?\\s*\\b(?:and\\s+)?(?:prints?|display|show|output)\\s+(?:the|its|their)\\s+locations?\\b(?!\\s+of\\b)",
		"\\b(?:and\\s+)?show\\s+(?:only\\s+)?(?:a\\s+few|several|first\\s+several|the\\s+first\\s+few)\\s+lines\\s+of\\s+(?:the\\s+)?output(?:\\s+from\\s+the\\s+beginning)?",
		// A pager only shows the same list a screen at a time: "pausing for user input after each page", "pass the result to the `more' pager".
		",?\\s*\\bpausing\\s+(?:for\\s+(?:user\\s+)?input\\s+)?after\\s+each\\s+(?:page|screen(?:ful)?)\\b",
		"\\b(?:and\\s+)?pass(?:ing)?\\s+(?:the\\s+)?(?:result|output)s?\\s+to\\s+(?:the\\s+)?[`'\"]?(?:more|less)[`'\"]?\\s+pager\\b",
		",?\\s*\\bletting\\s+the\\s+user\\s+page\\s+interactively\\s+through\\s+the\\s+output\\b",
		"\\bin\\s+sorted\\s+order\\b",
		// "Find all files under ./lib/app and sort them", ending the request: the names sorted, as find_files walks (blind60's
		// 9226 and 10066; 7432, 8507). Not "reverse sort them", nor a sort with more said after it.
		"\\b(?:and\\s+)?(?<!\\breverse\\s+)sort\\s+them(?=\\s*\\.?\\s*$)",
		// find_files walks each folder's entries sorted by name (find -s): "in lexicographical order", "in the alphabetical
		// order of the directory names", "traversing file hierarchies in lexicographical order". Not "reverse": that word stays.
		"\\b(?:and\\s+search\\s+)?(?:(?:traversing|bypassing|walking)\\s+(?:the\\s+)?file\\s+hierarch(?:y|ies)\\s+)?in\\s+(?:the\\s+)?(?:alphabetical|lexicographic(?:al)?)\\s+order(?:\\s+of\\s+(?:the\\s+)?(?:(?:directory\\s+|file\\s*)?names|directories|folders|files))?\\b",
		// ls -l of each entry found, said as find's own option or as "detailed information": "and list them using find's -ls
		// option", "and output detailed information about each file" (each file is "all files" by then).
		"\\busing\\s+(?:find'?s\\s+|the\\s+)?-ls\\s+(?:option|action)\\b",
		"\\b(?:and\\s+)?(?:output|print(?:\\s+out)?|display|show)\\s+(?:the\\s+)?detailed\\s+information\\s+(?:about|on|of)\\s+(?:the\\s+|all\\s+)?(?:files?|them)\\b",
		// The same said before what is found: "Print extended file information for regular files found under ..." (find -ls).
		"^\\s*(?:print|display|show|output)\\s+(?:the\\s+)?(?:extended|detailed|long)\\s+(?:file\\s+)?information\\s+(?:for|about|of|on)\\s+(?=(?:all\\s+|the\\s+)?(?:regular\\s+|normal\\s+)?files\\b)",
		"^\\s*lists?\\s+(?:the\\s+)?contents?\\s+of\\b(?=\\s+(?:the\\s+)?(?:current|present))",
		"\\b(?:a\\s+)?sorted\\s+list\\s+of\\b",
		// "excluding directories" says files only; "excluding directories that are bigger than ..." is a condition.
		"\\b(?:excluding|but\\s+not)\\s+(?:all\\s+)?(?:the\\s+)?directories\\b(?!\\s+(?:that|which|whose|with|named|called|containing|having|where|in|under|of)\\b)",
		"\\bthat\\s+are\\s+found\\b",
		// "Print the size for every *.ogg file found under the home directory": find_files shows each entry's size. Only of
		// files "found" (a search's results): "the size of each file in /tmp" may be disk usage, left to the LLM.
		"^\\s*(?:print|display|show|list)\\s+(?:the\\s+)?(?:file\\s+)?sizes?\\s+(?:of|for)\\s+(?=(?:every|each|all)\\b[^,;]*\\bfound\\b)",
		"(?<=\\b(?:files?|directories|folders|dirs)\\s+)found(?=\\s+(?:under|in|within|below|beneath|inside|from|for|and\\s+below)\\b|\\s*$)",
		"\\bseparating\\s+(?:them|the\\s+file\\s*names|their\\s+(?:file\\s*)?names|the\\s+(?:path\\s*)?names|the\\s+paths)\\s+(?:with|by)\\s+(?:zeroe?s|nulls|null\\s+(?:characters|bytes)|NUL\\s+(?:characters|bytes))\\b",
		"\\b(?:and\\s+)?discard(?:ing)?\\s+all\\s+(?:the\\s+)?errors(?:\\s+during\\s+search)?",
		"\\b(?:and\\s+)?show\\s+the\\s+matched\\s+lines(?:\\s+(?:along\\s+)?with\\s+(?:their\\s+|the\\s+)?(?:filenames|file\\s+names|line\\s+numbers)(?:\\s+and\\s+filenames)?)?",
		"\\b(?:and\\s+)?display\\s+the\\s+(?:matched\\s+)?files(?:\\s+which\\s+has\\s+the\\s+matched\\s+content)?",
		// Errors kept off the screen: the tool reports none as results. Any verb of keeping out, any name of the errors.
		"\\b(?:and\\s+)?(?:suppress(?:ing)?|discard(?:ing)?|redirect(?:ing)?|hid(?:e|ing)|ignor(?:e|ing)|filter(?:ing)?\\s+out)\\s+(?:any\\s+|all\\s+)?(?:the\\s+)?(?:(?:[\"']?permission\\s+denied[\"']?|find)\\s+)?(?:errors?(?:\\s+(?:messages|reporting))?|messages|warnings)(?:\\s+(?:of\\s+the\\s+find\\s+command|to\\s+\\/dev\\/null|(?:during|while|when)\\s+search(?:ing)?))?",
		// "and without error reporting" (blind50's 9369): the same, the noun first.
		"\\b(?:and\\s+)?without\\s+(?:any\\s+)?error\\s+(?:reporting|messages|output)\\b",
		// The same, said as what is not done: "without reporting errors".
		"\\bwithout\\s+(?:reporting|showing|printing|displaying)\\s+(?:any\\s+)?(?:the\\s+)?(?:errors?(?:\\s+messages)?|[\"']?permission\\s+denied[\"']?\\s+(?:errors?(?:\\s+messages)?|messages|warnings))\\b",
		// What find_files shows anyway: the path, its size and time.
		"\\b(?:and\\s+)?(?:prints?|display|show|list)\\s+(?:its|their)\\s+(?:file\\s*)?names?\\b",
		"\\b(?:and\\s+)?(?:print|display|show)\\s+(?:the|their)\\s+(?:full\\s+)?path(?:name)?s?(?:\\s+and\\s+(?:the\\s+)?(?:file\\s+)?sizes?)?",
		"\\b(?:the\\s+)?full\\s+path(?:name)?s?\\s+(?:of|to)\\b",
		// "Print pathnames of all files in ...": the paths find_files prints anyway (not "the directory names of": refused).
		"^\\s*(?:print|display|show|list|output)\\s+(?:the\\s+)?(?:path\\s*names|paths)\\s+of\\b(?=\\s+(?:all|every|each|the)\\b)",
		"\\b(?:and\\s+)?(?:display|show|print)\\s+(?:a\\s+)?long\\s+listing(?:\\s+details)?\\s+of\\s+(?:them|these\\s+files|it)\\b",
		"\\b(?:(?:along\\s+)?with|and\\s+(?:show|display|print))\\s+their\\s+file\\s+information\\b",
		"\\band\\s+list\\s+them\\b",
		// NUL or a newline between the names, said otherwise: "with NULL separating each file", "with new line as delimiter".
		"\\bwith\\s+(?:a\\s+)?(?:null|NUL|NULL)\\s+separating\\s+(?:each|the|all)\\s+(?:files?|names?|entries)\\b",
		"\\bwith\\s+new\\s?line\\s+as\\s+(?:the\\s+)?delimiter\\b",
		// "putting a null between each file found" (blind56's 10746): a NUL between the names, said so.
		"\\b(?:and\\s+)?putting\\s+a\\s+(?:null|NUL|NULL|zero)(?:\\s+(?:character|byte))?\\s+between\\s+(?:each|the|all)\\s+(?:files?|names?|entries)(?:\\s+found)?\\b",
		// "Print the list of all regular files on the system using "echo"": how each name is printed (blind56's 9450, 10338).
		"\\s+using\\s+[\"'`]?echo[\"'`]?(?:\\s+command)?(?=\\s*[.,]?\\s*$)",
		// "and pass them to the ls command": each found file listed (ls), as "and list them using the ls command".
		"\\b(?:and\\s+)?pass(?:\\s+them)?\\s+to\\s+(?:the\\s+)?ls\\s+command\\b",
		// "Do not display any errors": errors kept off the screen, as "discard all the errors".
		"[.,]?\\s*\\b(?:do\\s+not|don'?t)\\s+(?:display|show|print)\\s+(?:any\\s+)?(?:the\\s+)?errors?\\b",
		// "Recursively lists all files in a current folder in long format": ls -l, how the same list is shown.
		"\\bin\\s+(?:a\\s+|the\\s+)?long\\s+(?:listing\\s+)?format\\b",
		// "list the details of all the directories ...": a long listing of them.
		"^\\s*(?:list|display|show|print)\\s+(?:the\\s+)?details\\s+of\\b(?=\\s+(?:all|every|each)\\b)",
		// A pager or a screenful at a time is how the same list is read: "view the result using pager `more'", "display the
		// results pagewise".
		"\\b(?:and\\s+)?view\\s+(?:the\\s+)?(?:result|results|output|list|them|it)\\s+(?:using|with|in|through)\\s+(?:the\\s+)?(?:pager\\s+)?[`'\"]?(?:more|less)[`'\"]?(?:\\s+pager)?",
		"\\b(?:and\\s+)?(?:display|show|view)\\s+(?:the\\s+)?(?:results?|output|them)\\s+page[- ]?wise\\b",
		// "and display details": the long listing of what was found, closing the request.
		"\\band\\s+(?:display|show|print)\\s+(?:the\\s+|their\\s+)?details(?=\\s*$)",
		// What search_text shows anyway: the file and line of each match, however the parts are listed.
		// "prints matched strings with string number and file name": grep -n -H, a match's line said as its string.
		"\\b(?:and\\s+)?(?:show|display|prints?|list|output)\\s+(?:only\\s+)?(?:the\\s+)?(?:matched|matching)\\s+(?:file\\s*names?|filenames|files?|lines?|strings?)(?:\\s*(?:,|and|with|along\\s+with)\\s+(?:the\\s+|their\\s+)?(?:matched\\s+|matching\\s+)?(?:(?:line|string)\\s+numbers?|file\\s*names?|filenames|files?|lines?))*",
		"\\b(?:and\\s+)?(?:show|print|display)\\s+only\\s+the\\s+(?:names\\s+of\\s+the\\s+)?matched\\s+(?:files|file\\s*names)\\b",
		"\\b(?:and\\s+)?(?:print|display|show)\\s+the\\s+names\\s+of\\s+the\\s+matched\\s+files\\b",
		// grep -l said as the files holding the matches: "and prints names of files with matched strings".
		"\\b(?:and\\s+)?(?:prints?|display|show|list|output)\\s+(?:only\\s+)?(?:the\\s+)?names\\s+of\\s+(?:the\\s+)?files\\s+(?:with|having|containing)\\s+(?:the\\s+)?(?:matched|matching)\\s+(?:strings?|text|lines?|contents?)\\b",
		"\\b(?:and\\s+)?(?:display|show|print)\\s+the\\s+line\\s+numbers?(?:\\s+and\\s+the\\s+file\\s*names?)?\\b",
		"\\b(?:and\\s+)?prints?\\s+(?:the\\s+)?files?\\s+names\\b",
		"^\\s*list\\s+in\\s+detail\\b",
		// Hidden entries are listed anyway (find shows dot files): "including hidden ones".
		"\\b(?:including|with)\\s+(?:the\\s+|all\\s+)?hidden\\s+(?:ones|files(?:\\s+and\\s+(?:directories|folders))?)(?:\\s+too|\\s+as\\s+well)?\\b",
		// Names with spaces are listed like any other.
		"\\bincluding\\s+those\\s+that\\s+(?:may\\s+)?contain\\s+spaces\\s+in\\s+their\\s+names\\b",
		// A note on the shell command the request was written from, in brackets or as a last sentence: "(print0 is used to
		// preserve the filenames ...)", "(plus at the end is used to give bulk data as input)", "( + symbol at the end is used to
		// give stat bulk input than a single file )" (10251, 7479, 10823, 10669). It asks nothing of the answer.
		"\\(\\s*-?print0\\s+is\\s+(?:used|required)\\b[^()]{0,160}\\)",
		"[.,]?\\s*\\b-?print0\\s+is\\s+(?:used|required)\\b[^()]{0,160}$",
		"\\(\\s*(?:plus|\\+)(?:\\s+symbol)?(?:\\s+at\\s+the\\s+end)?\\s+(?:is\\s+used|executes|takes|sends|gives)\\b[^()]{0,160}(?:\\)|$)",
		"[.,]?\\s*\\bplus\\s+at\\s+the\\s+end\\s+(?:is\\s+used|executes|takes|sends|gives)\\b[^()]{0,160}$",
	].join("|"),
	"gi",
);

/** Extensions of files whose text is not plain text: searching inside them is more than a text search. */
const BINARY_EXTS = /\.\{?(?:[\w,]*,)?(?:pdf|docx?|xlsx?|pptx?|odt|epub|mobi|chm|djvu|gif|png|jpe?g|mp[34]|mov|avi|wav|flac|ogg|gz|zip|jar|class|o|so)\b/i;

/**
 * A regular expression on names: "whose names match regular expression '.*myfile[0-9][0-9]?'", "matching the posix-egrep
 * type regex ".+\.(c|cpp|h)$" in their names". Said of paths ("in their paths") it is not a name condition.
 */
const NAME_REGEX = new RegExp(
	`\\b(?:whose\\s+(?:file\\s*)?names?\\s+|that\\s+|which\\s+)?match(?:es|ing)?\\s+(?:the\\s+)?(?:(?:posix-?egrep|posix-?extended|extended|emacs|perl)(?:\\s+type)?\\s+)?(?:regular\\s+expression|regex)\\s+${QUOTED}(\\s+in\\s+(?:their|its|the)\\s+(?:file\\s*)?(?:names?|paths?))?`,
	"i",
);
/** The regex as JavaScript reads it: emacs' \| \( \) (find's default dialect) are | ( ). Null when it is not one. */
function nameRegex(source: string): string | null {
	const re = source.replace(/\\([|()])/g, "$1");
	// A slash is a path condition; "$prefix" is a shell variable the request never gives.
	if (re.includes("/") || /\$\w/.test(re)) return null;
	try {
		new RegExp(re);
	} catch {
		return null;
	}
	return re;
}

/**
 * A regular expression on the whole path (find -regex, -iregex): one written with a slash ("the case insensitive regex
 * ./\(RT\|ED\).*", "matching the regex pattern ".*\\.rb$"" unquoted or quoted), or said to be "in their paths".
 * find matches the path as it prints it, from the start as given: "./src/a.rb".
 */
const PATH_REGEX = new RegExp(
	`\\b(?:whose\\s+(?:path\\s*)?names?\\s+|that\\s+|which\\s+)?match(?:es|ing)?\\s+(?:the\\s+)?((?:(?:posix-?egrep|posix-?extended|extended|emacs|perl)(?:\\s+type)?\\s+)?)(?:regular\\s+expression|regex)(?:\\s+pattern)?\\s+(?:${QUOTED}|([^\\s"'\`‘’]*[\\\\/*][^\\s"'\`‘’]*))(\\s+in\\s+(?:their|its|the)\\s+(?:path\\s*names?|paths?))?`,
	"i",
);
/** find's regex as JavaScript reads it: emacs' (find's default) \| \( \) \{ \} are | ( ) { }; null when it would read otherwise. */
// In emacs syntax a bare | ( ) { } is the character itself.
const pathRegex = (dialect: string, source: string) => jsRegex(source, /egrep|extended|perl/i.test(dialect), /(?<!\\)[|(){}]/, /\\([|(){}])/g);
/** find -path said in words: "whose pathnames end in "file1"", "whose paths contain 'New Parts'", "only in the path "./sr*sc"". */
const PATH_GLOB = new RegExp(
	`\\b(?:(?:whose|with|having)\\s+(?:(?:full\\s+)?path\\s*names?|(?:full\\s+)?paths?)\\s+(contain|contains|containing|end(?:s|ing)?\\s+(?:in|with)|start(?:s|ing)?\\s+with|begin(?:s|ning)?\\s+with)|(?:(?:that|which)\\s+are\\s+)?(?:only\\s+)?(?:present\\s+)?in\\s+the\\s+path)\\s+${QUOTED}`,
	"i",
);
/**
 * find -path said after the string: "containing "foo/bar" in their full names", "with 'FooBar' in their paths", "and
 * containing "bar" in their pathnames" (a full name is the path, as find -wholename reads it).
 */
const PATH_HAS_WORD = new RegExp(
	`\\b(?:(?:that|which)\\s+)?(?:contain|contains|containing|with|having|have|has)\\s+(?:the\\s+(?:string|word|text)\\s+)?${QUOTED}\\s+in\\s+(?:their|its|the)\\s+(?:full\\s+(?:path\\s*)?names?|(?:full\\s+)?path\\s*names?|(?:full\\s+)?paths?)\\b`,
	"i",
);
/** A character said by name in "with spaces in their names", "with a question mark in their names", "with dot in name". */
const NAME_CHAR: Record<string, string> = {
	space: " ",
	spaces: " ",
	blank: " ",
	blanks: " ",
	dot: ".",
	dots: ".",
	hyphen: "-",
	dash: "-",
	underscore: "_",
	colon: ":",
	"question mark": "[?]",
};
const HAS_CHAR = new RegExp(
	`\\b(?:(?:that|which)\\s+)?(?:with|having|have|has|contain(?:s|ing)?)\\s+(?:a\\s+|an\\s+)?(${Object.keys(NAME_CHAR).join("|")})\\s+in\\s+(?:(?:their|its|the)\\s+)?(?:file\\s*)?names?\\b|\\bwhose\\s+(?:file\\s*)?names?\\s+contains?\\s+(?:a\\s+|an\\s+)?(${Object.keys(NAME_CHAR).join("|")})\\b`,
	"i",
);

/** Words a find request may use around what the parse took out. */
export const FILLER = new Set(
	(
		"find finds search searches searching locate locates list lists listing display displays show shows print prints output get gets look looks report reports return returns al all every any some " +
		"files file regular normal reguar and that which who whose have has been were was are is their them those these its of with from for in under below beneath within " +
		"inside on at recursively recursive tree downwards down directory folder dir entire whole only also there residing located lying etc starting instances " +
		"sub directories subdirectories sub-directories sub-directory folders its the names name existing whcih no-recursively reside resides set filenames file-names paths"
	).split(" "),
);

/**
 * The cover's own keywords, mended when typed one slip away ("dirctory", "emptry", "files/directoires",
 * "subdirecotries"): a word of 6+ letters one insertion, deletion, substitution or swap of neighbours from
 * one of these, with the same first letter, is read as it. Only these: a name, path or any other word is never changed, so a typo
 * elsewhere still leaves the request to the LLM.
 */
const KEYWORDS = [
	"directory",
	"directories",
	"subdirectories",
	"folder",
	"folders",
	"current",
	"empty",
	"files",
	"regular",
	"recursively",
	"symbolic",
	"hidden",
	"extension",
	"extensions",
	"modified",
	"accessed",
	"permission",
	"permissions",
	"insensitive",
	"starting",
	"display",
	"exactly",
	"entire",
	// "exluding hidden files" (blind59's 10876).
	"excluding",
	// The verbs a find task starts with: "Serach in root directory ...".
	"search",
	"listing",
];
/** Short keywords, mended only by a swap of neighbours or one dropped letter ("fiels", "uder", "horus"): one changed letter makes too many real words. */
const SHORT_KEYWORDS = ["files", "under", "hours", "empty"];
/** A swap of two neighbours, or one letter of `k` (not its last) left out. */
function slipOf(w: string, k: string): boolean {
	if (w.length === k.length) {
		const d = [...w].flatMap((c, i) => (c === k[i] ? [] : [i]));
		return d.length === 2 && d[1] === d[0] + 1 && w[d[0]] === k[d[1]] && w[d[1]] === k[d[0]];
	}
	// Not the last letter: "file" is a word, not a slip of "files".
	return w.length === k.length - 1 && [...k].slice(0, -1).some((_, i) => k.slice(0, i) + k.slice(i + 1) === w);
}
/** Optimal string alignment distance, stopped early: only "at most 1" matters. */
function withinOne(a: string, b: string): boolean {
	if (Math.abs(a.length - b.length) > 1) return false;
	let i = 0;
	while (i < a.length && i < b.length && a[i] === b[i]) i++;
	if (i === a.length && i === b.length) return true;
	const rest = (x: number, y: number) => a.slice(i + x) === b.slice(i + y);
	return rest(1, 1) || rest(1, 0) || rest(0, 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && rest(2, 2));
}
function keyword(word: string): string | undefined {
	const w = word.toLowerCase();
	if (KEYWORDS.includes(w)) return w;
	// Slips keep the first letter; a word with another one ("holders", "tiles") is a different word, not a slip.
	if (w.length >= 6) return KEYWORDS.find(k => k[0] === w[0] && withinOne(w, k));
	if (w.length < 4) return undefined;
	// A letter typed twice ("ffiles", "unnder"): the keyword once the double is made single.
	const single = w.replace(/([a-z])\1/, "$1");
	return SHORT_KEYWORDS.find(k => k[0] === w[0] && (slipOf(w, k) || (single !== w && single === k)));
}
/** One bare word mended: a keyword's slip made the keyword, an article glued to one ("thecurrent") parted. */
function mendWord(w: string): string {
	const k = keyword(w);
	if (k) return k === w.toLowerCase() ? w : k;
	// An article glued to a keyword: "thecurrent directory". Only a word of 8 letters or more that opens with
	// "the" or "all" can be one: the others skip the regex (every word of every request passes here).
	const head = w.length >= 8 ? w.slice(0, 3).toLowerCase() : "";
	const glued = head === "the" || head === "all" ? /^(the|all)([a-z]{5,})$/i.exec(w) : null;
	const kg = glued && keyword(glued[2]);
	return kg ? `${glued![1]} ${kg}` : w;
}

/**
 * mendWord's answers, remembered across requests: a pure function of the word, which every bare word of every request
 * passes through (a scan of the keyword list with an edit-distance test each); a remembered word costs one lookup.
 * Words, not requests: a new word is mended as before (README "Gateway overhead").
 */
const MENDED = new Memo<string, string>(8192);

/** Bare words only (not touching a quote, slash, dot or $): what is quoted or a path is a name, kept as written. */
export function mendTypos(text: string): string {
	return (
		text
			.replace(/(?<![\w.'"`‘’$*-])(?<!(?<!files?)\/)([A-Za-z]{4,})(?![\w/.'"`‘’*-])/g, (w: string) => MENDED.get(w, () => mendWord(w)))
			// "donot search", "less than7 days": words run together with the next.
			.replace(/\bdonot\b/gi, "do not")
			// A last letter dropped from a short word the cover reads, and a space typed one letter late.
			.replace(/\bwhic\b/gi, "which")
			// "the groep "users"", "the grooup 'users'", "Fint all": slips the keyword list does not mend (one changed letter, a
			// letter typed twice inside a short word).
			.replace(/\b(?:groep|grooup|gruop)\b/gi, "group")
			.replace(/\bfint\b/gi, "find")
			.replace(/\b(find|list)a\s+ll\b/gi, "$1 all")
			.replace(/\b(than|last|past)(\d+)\b/gi, "$1 $2")
	);
}

/**
 * The first match of `re` in `t` that is not inside a quoted string: "for string "The SAS System"" names no place,
 * and a word there is part of the string. A match holding a whole quoted string ("in the folder "dir"") counts.
 */
const GLOBAL = new WeakMap<RegExp, RegExp>();
function outsideQuotes(re: RegExp, t: string): RegExpExecArray | null {
	const spans = [...t.matchAll(ALL_QUOTED)].map(q => [q.index, q.index + q[0].length]);
	if (!spans.length) return re.exec(t);
	let g = GLOBAL.get(re);
	if (!g) GLOBAL.set(re, (g = new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`)));
	g.lastIndex = 0;
	for (let m = g.exec(t); m; m = g.exec(t)) {
		const [from, to] = [m.index, m.index + m[0].length];
		if (!spans.some(([a, b]) => from < b && to > a && !(from <= a && to >= b))) return m;
		if (!m[0]) g.lastIndex++;
	}
	return null;
}

export function take(text: string, m: RegExpExecArray): string {
	return text.slice(0, m.index) + " " + text.slice(m.index + m[0].length);
}

/** One named file: quoted, or a path with a slash or an extension. */
const ONE_FILE = `(?:the\\s+file\\s+|file\\s+)?(?:${QUOTED}|((?:[~.\\w-]*\\/)*[\\w.-]*\\.[A-Za-z0-9]{1,8}|(?:[~.\\w-]*\\/)+[\\w.-]+))(?:\\s+file)?`;
const LINES_VERB =
	"^\\s*(?:please\\s+)?(?:print|prints|show|shows|display|displays|output|outputs|list|lists|get|gets|find|finds|search\\s+for|searches\\s+for)\\s+(?:all\\s+|only\\s+)?(?:the\\s+)?(?:(?:matching\\s+)?lines|(?:the\\s+)?line\\s+numbers\\s+of\\s+(?:the\\s+)?lines)";
const LINES_HAVE =
	"(?:that\\s+|which\\s+)?(?<how>contain|contains|containing|with|having|have|has|match|matches|matching)\\s+(?:the\\s+)?(?:(?:string|text|word|phrase|pattern|regex|regular\\s+expression)\\s+)?";
/**
 * grep on one named file, said of its lines: "Print lines in file.txt that contain "hello"", "Find lines containing
 * "failed" in auth.log", "Print the line numbers of lines containing "import" in main.py" (search_text on the file shows
 * each matching line with its number). "match" is a regular expression in grep's basic dialect.
 */
// [regex, index of the file's five groups, index of the string's four quoted groups] ("how" is a group too).
const FILE_LINES: [RegExp, number, number][] = [
	[new RegExp(`${LINES_VERB}\\s+(?:in|of|from)\\s+${ONE_FILE}\\s+${LINES_HAVE}${QUOTED}\\s*$`, "i"), 1, 7],
	[new RegExp(`${LINES_VERB}\\s+${LINES_HAVE}${QUOTED}\\s+(?:in|of|from)\\s+${ONE_FILE}\\s*$`, "i"), 6, 2],
];
function fileLines(text: string): Extract<SearchOp, { op: "grep" }> | null {
	for (const [re, fileAt, saidAt] of FILE_LINES) {
		const m = re.exec(text);
		if (!m) continue;
		const file = m.slice(fileAt, fileAt + 5).find(x => x !== undefined);
		const said = m.slice(saidAt, saidAt + 4).find(x => x !== undefined);
		if (!file || said === undefined || /[*?]/.test(file)) return null;
		const regex = /^match/i.test(m.groups!.how) || /\b(?:pattern|regex|regular\s+expression)\s*["'`‘]/i.test(m[0]);
		const pattern = regex ? contentRegex("", said) : said;
		if (pattern === null) return null;
		return { op: "grep", pattern, path: filePath(file), ...(regex ? { regex: true } : {}) };
	}
	return null;
}

/** `fix` applied outside quoted strings only: a string to find or a name is kept as written. */
function outsideStrings(t: string, fix: (s: string) => string, single = true): string {
	return t
		.split(single ? /("[^"\n]*"|'[^'\n]*'|`[^`\n]*`)/ : /("[^"\n]*"|`[^`\n]*`)/)
		.map((s, i) => (i % 2 ? s : fix(s)))
		.join("");
}

// The chain's regexes built from SIZE, built once rather than on every request (each `new RegExp` a fresh object and a
// source string to hash): global, and `replace` starts them at lastIndex 0 and leaves them there.
const SIZE_BUT = new RegExp(`(${SIZE})\\s*,?\\s+but\\s+(?:(?:are|is)\\s+)?(?=(?:less|smaller|under|below|more|greater|larger|bigger|over|above)\\b)`, "gi");
const SIZE_AT_BOUND = new RegExp(`\\b${SIZE}\\s+at\\s+(?:the\\s+)?(most|least)\\b`, "gi");
const NOT_ABOVE_SIZE = new RegExp(`\\bnot\\s+(?:greater|larger|bigger|more)\\s+than\\s+(?=${SIZE})`, "gi");
const NOT_BELOW_SIZE = new RegExp(`\\bnot\\s+(?:smaller|less)\\s+than\\s+(?=${SIZE})`, "gi");
const SIZE_OR_BOUND = new RegExp(`\\b${SIZE}\\s+or\\s+(?:(larger|bigger|greater|more)|smaller|less)\\b(?!\\s+than\\b)`, "gi");

/**
 * A text, typos mended, that holds none of these can never pass the test "It must ask to find, list or show" below, so
 * findRequest answers null for it at once instead of after its ~150 rewrites (each a regex pass: ~25 us alone, ~70 us
 * a request in the gateway's profile, where most requests are no find task; docs/overhead.md, branch s9-perf). That
 * test wants the text to open with one of its verbs, and the rewrites between here and there only copy the text's own
 * words or write words of their own; the ones that write one of those verbs ("$1search for", "$1list the contents of",
 * "$1display the contents of all", "$1find ") match only a text holding one of the stems here or the words they
 * rewrite ("give", "cat", "output", "filter"). Substrings, not words, so any inflection or run-together word passes.
 * A verb added to that test, or a rewrite that writes one from other words, belongs here too
 * (test/unit/services/router/find.spec.ts checks every request of the training and holdout sets answers as without it).
 */
export const MAY_ASK_TO_FIND = /find|search|locat|list|display|show|print|get|look|report|return|grep|give|cat|output|filter/i;

/**
 * The one find_files or search_text call the request amounts to, or null: read whole, else as two conditions joined by "or".
 * `gated` false skips the MAY_ASK_TO_FIND shortcut, for the spec that checks the shortcut changes no answer.
 */
export function findRequest(request: string, gated = true): Found | null {
	return findOne(request, gated) ?? eitherOf(request, gated) ?? byLinkTarget(request, gated);
}

/** A link's target said with a pattern, quoted or with a slash or star in it (LINK_TARGET refuses these in the one-call reading). */
const TARGET_PATTERN = `(?:${QUOTED}|([~/.$\\w*?\\[\\]+-]*[/*][~/.$\\w*?\\[\\]+-]*))`;
const LINK_TARGETS: [RegExp, (target: string, how: string) => string][] = [
	// "symlinks pointing to /mnt/oldname*", "pointing to anywhere within /mnt/oldname/".
	[
		new RegExp(
			`\\s+(?:(?:that|which)\\s+(?:are\\s+)?)?(?:pointing|points?)\\s+(?:to|at)\\s+(anywhere\\s+(?:with)?in\\s+)?(?:the\\s+)?${TARGET_PATTERN}(?=[\\s.,]*$|\\s)`,
			"i",
		),
		(target, how) => (how ? `${target.replace(/\/*$/, "")}/*` : target),
	],
	// "symbolic links to files matching pattern '*test*'", "symlinks whose contents match pattern "*sysdep.c"".
	[
		new RegExp(
			`()\\s+(?:to\\s+files?\\s+(?:matching|that\\s+match(?:es)?)|whose\\s+(?:contents?|targets?)\\s+match(?:es)?)\\s+(?:the\\s+)?(?:pattern\\s+)?${QUOTED}`,
			"i",
		),
		target => target,
	],
	// "symbolic links in /usr/sbin and /usr/bin to files whose pathnames end in "*/systemctl"", "... contain "libstdc++"".
	[
		new RegExp(`\\s+to\\s+files?\\s+whose\\s+path\\s*names?\\s+(end\\s+(?:in|with)|contain)\\s+${QUOTED}`, "i"),
		(target, how) => (/^contain/i.test(how) ? `*${target}*` : target.startsWith("*") ? target : `*${target}`),
	],
];

/**
 * Symbolic links judged by where they point (find -lname): "symlinks pointing to /mnt/oldname*", "symbolic links to files
 * matching pattern '*test*'". The phrase cut, the rest must read as a search for links alone (type symlink, nothing broken).
 */
function byLinkTarget(request: string, gated = true): FindFilesArgs | null {
	for (const [re, pattern] of LINK_TARGETS) {
		const m = re.exec(request);
		if (!m) continue;
		// The first group says how the pattern is meant (empty when as written), the quoted or bare pattern follows.
		const groups = m.slice(1);
		const how = groups[0] ?? "";
		const target = groups.slice(1).find(x => x !== undefined);
		if (target === undefined) return null;
		const rest = findOne(request.slice(0, m.index) + request.slice(m.index + m[0].length), gated);
		if (rest?.op !== "find_files" || rest.type !== "symlink" || rest.broken || rest.follow_links) return null;
		return { ...rest, link_target: pattern(target, how) };
	}
	return null;
}

/**
 * "files newer than 'ttt' or owned by the user 'wnj' in the entire filesystem": two conditions of different kinds joined by
 * "or" (find \( -newer ttt -o -user wnj \)), which the one-call reading below does not parse. Read as three requests: without
 * the words after "or" that make the second condition, without the words before it that make the first, and without both.
 * The last must be the first two's common part exactly (the same folder, kind and every other argument), and each of the
 * first two must add to it only conditions an alternative of any_of holds, none of them the same: then the words cut were
 * the two conditions and nothing else. One "or" only, outside quotes; each side at most ten words.
 */
function eitherOf(request: string, gated = true): FindFilesArgs | null {
	if (request.length > 260 || /\n/.test(request)) return null;
	const words = request.trim().split(/\s+/);
	const at = words.flatMap((w, i) => (/^or$/i.test(w) ? [i] : []));
	if (at.length !== 1) return null;
	const or = at[0];
	if (words.slice(0, or).join(" ").split(/["“”]/).length % 2 === 0) return null;
	const read = (ws: string[]) => {
		const found = findOne(ws.join(" "), gated);
		return found?.op === "find_files" && !found.any_of ? found : null;
	};
	// "modified or accessed more than 1 year ago": one span for two times, each said with its own verb.
	const times = /^(modified|accessed|changed)$/i;
	if (times.test(words[or - 1] ?? "") && times.test(words[or + 1] ?? "") && words[or - 1].toLowerCase() !== words[or + 1].toLowerCase()) {
		// "not modified or accessed in 7 days" is neither (find -mtime +7 -atime +7), not one or the other.
		if (NEGATED.test(words.slice(Math.max(0, or - 4), or - 1).join(" "))) return null;
		const [one, two] = [words[or - 1], words[or + 1]].map(verb => read([...words.slice(0, or - 1), verb, ...words.slice(or + 2)]));
		if (!one || !two) return null;
		const other = new Map(Object.entries(two));
		const common = Object.fromEntries(
			Object.entries(one).filter(([k, v]) => JSON.stringify(v) === JSON.stringify(other.get(k))),
		) as unknown as FindFilesArgs;
		const [a, b] = [added(common, one), added(common, two)];
		return a && b ? { ...common, any_of: [a, b] } : null;
	}
	// The second condition said whole, from its own first word ("or owned by ...", "or which are ..."): never a bare name, size
	// or file that borrows the first one's words ("newer than the file a.txt or the file b.txt" is newer than either).
	if (!OR_CONDITION.test(words[or + 1] ?? "")) return null;
	// "either newer than X or ...": "either" only announces the "or".
	const either = words
		.slice(0, or)
		.map(w => w.toLowerCase())
		.lastIndexOf("either");
	const left = words.slice(0, or).filter((_, i) => i !== either);
	const right = words.slice(or + 1);
	const restarts = /^(?:which|that|whose|are|is|were|was|have|has)$/i.test(right[0]);
	const firsts = new Map<number, FindFilesArgs | null>();
	// The second condition ends where the request does or where a place or a way is said ("... in the entire filesystem").
	for (let b = 1; b <= Math.min(10, right.length); b++)
		if (b === right.length || /^(?:in|under|inside|within|below|beneath|from|on|at|and|starting|recursively|,)/i.test(right[b]))
			firsts.set(b, read([...left, ...right.slice(b)]));
	for (let a = 1; a <= Math.min(10, left.length - 1); a++) {
		// The first condition starts with a condition's word too ("which have not been accessed ...", "newer than ...").
		if (!OR_CONDITION.test(left[left.length - a])) continue;
		// "files which are not owned by bob or modified today": whether the "not" reaches past the "or" is not said.
		if (NEGATED.test(left[left.length - a - 1] ?? "")) continue;
		const second = read([...left.slice(0, left.length - a), ...right]);
		if (!second) continue;
		for (let b = 1; b <= Math.min(10, right.length); b++) {
			const first = firsts.get(b);
			if (!first) continue;
			// "not modified in 20 days or larger than 1MB": a "not" in the first alone may be meant for both; not when the second
			// starts its own clause ("... or which are bigger than 20KB").
			if (NEGATED.test(left.slice(left.length - a).join(" ")) && !restarts && !NEGATED.test(right.slice(0, b).join(" "))) continue;
			const common = read([...left.slice(0, left.length - a), ...right.slice(b)]);
			const [one, two] = common ? [added(common, first), added(common, second)] : [null, null];
			if (one && two && JSON.stringify(one) !== JSON.stringify(two)) return { ...common!, any_of: [one, two] };
		}
	}
	return null;
}

const NEGATED = /\b(?:not|never|no|without|except|excluding)\b|n't\b/i;

/** The first word of a condition said whole after "or". */
const OR_CONDITION =
	/^(?:that|which|whose|are|is|were|was|have|has|had|been|not|last|newer|older|owned|belong(?:s|ing)?|modified|accessed|changed|larger|bigger|smaller|greater|less|with|having|named|called|end(?:s|ing)?|start(?:s|ing)?|begin(?:s|ning)?)$/i;

/** What `more` adds to `base`, when that is only conditions an alternative holds (and at least one); else null. */
function added(base: FindFilesArgs, more: FindFilesArgs): Alternative | null {
	const keys = new Set([...Object.keys(base), ...Object.keys(more)] as (keyof FindFilesArgs)[]);
	const out: Record<string, unknown> = {};
	for (const k of keys) {
		if (JSON.stringify(base[k]) === JSON.stringify(more[k])) continue;
		if (base[k] !== undefined || !(ALTERNATIVE_KEYS as readonly string[]).includes(k)) return null;
		out[k] = more[k];
	}
	return Object.keys(out).length ? (out as Alternative) : null;
}

function findOne(request: string, gated = true): Found | null {
	// "discard all the errors and search for the file "program.c" ...": errors kept off the screen (as said after the search),
	// said first (blind48's 8424); the search is the request.
	const said = request.replace(
		/^(\s*)(?:discard|suppress|hide|ignore)\s+(?:all\s+|any\s+)?(?:the\s+)?errors?(?:\s+messages)?\s+and\s+(?=(?:search|find|locate|look|display|show)\b)/i,
		"$1",
	);
	if (said !== request) return findRequest(`${said} and discard all the errors`, gated);
	// "executable upvoter-* files/symlinks": files or links, two kinds no one type says (blind26's 3864 had listed links only).
	if (/\bfiles?\s*\/\s*(?:sym)?links\b|\b(?:sym)?links\s*\/\s*files\b/i.test(request)) return null;
	// "files in the level 6 subdirectories of /usr/src and below": files inside the folders at that level, not those folders
	// (blind55's 9035 had listed the level-6 folders); which depth is meant is not said exactly.
	if (/\bfiles\s+(?:in|under|within|inside)\s+(?:the\s+)?level\s+\d{1,2}\s+sub-?[a-z]+\b/i.test(request)) return null;
	if (request.length > 260 || /\n/.test(request.trim()) || NOT_ONE_CALL.test(request)) return null;
	// Curly double quotes quote like straight ones ("the file “testfile.txt”"); inside other quotes they are text.
	const fsTypes: string[] = [];
	const specials: ("block_device" | "char_device" | "socket" | "fifo")[] = [];
	const showTimes: ("accessed" | "changed")[] = [];
	const afterFile: ["accessed_after" | "changed_after" | "newer_than", string][] = [];
	let t = mendTypos(` ${request.trim().replace(/(?<!(?:^|\s)\.*)[.!]+$/, "")} `);
	if (gated && !MAY_ASK_TO_FIND.test(t)) return null;
	// A negation written as a contraction ("files that aren't owned by user www-data"): the phrases below read "are not". Before
	// single quotes are read: the apostrophe is no quote. Not inside a double-quoted string, which is text to find.
	t = outsideStrings(t, s => s.replace(/\b(are|is|were|was|do|does|did|have|has)n['’]?t\b/gi, "$1 not"), false);
	// A word typed twice ("which were modified modified 2 weeks ago"): said once. Not inside a quoted string.
	t = outsideStrings(t, s => s.replace(/\b([A-Za-z]{3,})\s+\1\b/gi, "$1"));
	t = t
		// "which file name end with": the files' names ("whose name"; blind13's 3435, blind23's 3746), only before a condition on the name's
		// ends, or on its end negated ("which file name is NOT end with": 4918, round 45). Before "files name" is read as "named".
		.replace(/\bwhich\s+file\s+(names?)\s+(?=(?:end|begin|start)s?\s+(?:with|in)\s|(?:is|are)\s+not\s+end(?:s|ing)?\s+(?:with|in)\s)/gi, "whose $1 ")
		// "... found in the /tmp directory tree by `find'": the tool named last is how, not what.
		.replace(/\s+(?:by|with|using)\s+(?:the\s+)?[`'"‘]?find[`'"’]?(?:\s+(?:command|utility))?(?=\s*[.!]?\s*$)/i, " ")
		// "use find command to search for .png and .jpg files": the tool named is how, not what; the search is the ask.
		.replace(/^(\s*)(?:please\s+)?use\s+(?:the\s+)?find\s+(?:command|utility)\s+to\s+(?=(?:search|find|locate|look)\b)/i, "$1")
		// "the directory tree given as variable $dir": that folder, its name held in the variable (blind48's 7500; training's
		// "the directory given as variable $d" too). One folder only: "two directories given as variables" stays refused.
		.replace(/\b((?:directory|folder|dir)(?:\s+trees?)?)\s+given\s+as\s+(?:a\s+|the\s+)?variable\s+(?=\$\{?\w+\}?(?![\w/{]))/gi, "$1 ")
		// "in the root filesystem partition": the root's own file system, not others mounted below it (find / -xdev; blind50's 9345).
		.replace(/\bin\s+the\s+root\s+(?:file\s*system\s+)?partition\b/gi, "under / without descending into other file systems")
		// "whose size is 10 bytes ( Characters )": the bracket restates the unit (blind50's 9309).
		.replace(/\b(\d+\s*bytes)\s*\(\s*characters?\s*\)/gi, "$1")
		// "under your home directory (/home/user)": the bracket restates the home with a placeholder user (blind50's 10773).
		.replace(/\b((?:your|my|the\s+user's|user's)\s+home\s+(?:directory|folder))\s*\(\s*(?:\/home\/[\w.-]+|~)\/?\s*\)/gi, "$1")
		// "Find the "param1" string in regular files": the string's text in those files (grep), said with find (blind50's 10293).
		.replace(
			/^(\s*)find\s+the\s+("[^"\n]{1,60}"|'[^'\n]{1,60}')\s+(?:string|text|word)\s+in\s+(?=(?:all\s+)?(?:the\s+)?(?:regular\s+|normal\s+)?files\b)/i,
			"$1search for $2 in ",
		)
		// "writable by both the other and the group": every class named (find -perm -022), "both" only announcing the "and".
		.replace(/\b(readable|writable|writeable|executable)\s+by\s+both\s+/gi, "$1 by ")
		// "ignoring removable media, such as cdrom, floppy, etc.": the examples restate what removable media are (blind52's 9842).
		.replace(/(\bremovable\s+media)\s*,?\s*such\s+as\s+cd-?roms?(?:\s*,\s*floppy)?(?:\s*,?\s*etc\.?)?/gi, "$1")
		// "and show the first one": the first match (find -print -quit), as "and quit" (blind52's 9914).
		.replace(/\s+and\s+(?:show|print|display)\s+(?:only\s+)?the\s+first\s+one\s*$/i, " and quit")
		// "has "disc" somewhere in its name": in its name; "the string literal '$VERSION'": the string (blind51's 7522, 7834).
		.replace(/\bsomewhere\s+(?=in\s+(?:its|their|the)\s+(?:file\s*)?names?\b)/gi, "")
		.replace(/\bthe\s+string\s+literal\s+(?=["'`‘])/gi, "the string ")
		// "in a fast way": how the list is made (locate), not what it holds (blind51's 7438).
		.replace(/\s+in\s+a\s+(?:fast|quick)\s+way\b/gi, " ")
		// "find not case sensitive all directories": names matched ignoring case (blind54's 9461).
		.replace(/\bnot\s+case[- ]sensitive(?:ly)?\b/gi, "ignoring the case")
		// "modified after profile file": the file named bare before "file" is the bound (find -newer profile; blind54's 9809).
		.replace(/\b(modified|changed)\s+after\s+(?!the\b|a\b|an\b|this\b|that\b|each\b|every\b)([A-Za-z_][\w-]*)\s+file\b/gi, "$1 after the file $2")
		// "list all .c or .sh regular files": the kind said after the endings (find -type f is find_files' default; 11050).
		.replace(/(?<=(?:^|\s)\*?\.[A-Za-z0-9]{1,10})\s+(?:regular|normal)\s+(?=files\b)/g, " ")
		// "modified later than the ttt file": the same bound said with "later than" (find -newer ttt; 10102).
		.replace(/\b(modified|changed)\s+later\s+than\s+the\s+(?!a\b|an\b|this\b|that\b|each\b|every\b)([A-Za-z_][\w-]*)\s+file\b/gi, "$1 after the file $2")
		// "whose permissions set to 644": "are" left out (blind54's 9857).
		.replace(/\bwhose\s+permissions\s+set\s+to\s+(?=0?[0-7]{3,4}\b)/gi, "whose permissions are ")
		// "Search X recursively, starting from one level below": find_files never lists the folder searched itself (-mindepth 1).
		.replace(/,?\s*starting\s+from\s+one\s+level\s+below\s*,?/gi, " ")
		// "List files and directories one level deep in the current directory tree": the folder's own entries (-maxdepth 1).
		.replace(/(?<!\b(?:least|atleast|most|exactly|in|at|minimum|maximum|max|min|than)\s+)\bone\s+level\s+deep\b/gi, "at most one level deep")
		// "display them in the sorted order of their name": find_files lists each folder's entries sorted by name.
		.replace(/\s+(?:and\s+)?(?:display|show|list|print)\s+them\s+in\s+the\s+sorted\s+order\s+of\s+their\s+(?:file\s*)?names?\b/gi, " ")
		.replace(SPECIAL_KIND, (_, device?: string, socket?: string) => {
			specials.push(device ? (/^b/i.test(device) ? "block_device" : "char_device") : socket ? "socket" : "fifo");
			return " files ";
		})
		// "on ext3 file systems", "which are present in nfs system", "in 'ext2' partitions", "on smbfs mounts": entries on a file
		// system of that type (find -fstype ext3; 9091, 11247, 2728, 847). Taken out here, set below. "and search only in jfs and
		// jfs2 file systems" is not read: labeled true in blind2 (736, no group) and false in training (9097, no user).
		.replace(FS_TYPE, (_, a: string, b?: string) => {
			fsTypes.push(...[a, b].filter((x): x is string => x !== undefined).map(x => x.toLowerCase()));
			return " ";
		})
		// "along with their last accessed timestamps", "along with the last access & modification time": find_files shows the
		// modification time anyway; the access (or status change) time on request (8565, 5818). Taken out here, set below.
		.replace(SHOW_TIMES, (all: string) => {
			showTimes.push(...(/access/i.test(all) ? (["accessed"] as const) : []), ...(/status/i.test(all) ? (["changed"] as const) : []));
			return " ";
		})
		// "whose status was changed after /etc/fstab was modified" (find -cnewer), "which have been accessed after modifying the
		// file /etc/hosts" (find -anewer); "changed" alone is modified, as everywhere here (7926, 10115, 10169).
		.replace(AFTER_FILE, (all: string, ...m: (string | undefined)[]) => {
			// Two PATHs of five groups each: the one that matched.
			const file = m.slice(0, 10).find(x => typeof x === "string");
			if (!file) return all;
			const key = /\baccessed\b/i.test(all) ? "accessed_after" : /\bstatus\b/i.test(all) ? "changed_after" : "newer_than";
			afterFile.push([key, file]);
			return " ";
		})
		// "which are present in the current partition", "which are in the current device": the file system searched only (find
		// -xdev; 2107, 9202); "present in the same partition as root", "search only in the disk partition of the root" when the
		// search is of the whole file system, which starts at the root (find / -xdev; 3765, 706).
		.replace(
			/\s+(?:and\s+)?(?:which|that)\s+(?:are\s+present|are|is|exists?|resides?)\s+(?:in|on)\s+the\s+current\s+(?:disk\s+)?(?:partition|device)\b/gi,
			" without descending into other file systems",
		)
		.replace(
			/\s+(?:and\s+)?(?:(?:which|that)\s+(?:are\s+present|are|is|exists?|resides?)\s+(?:in|on)\s+the\s+same\s+partition\s+as|search(?:ing)?\s+only\s+in\s+the\s+(?:disk\s+)?partition\s+of)\s+(?:the\s+)?root\b(?=\s*$)/gi,
			(all: string) =>
				/\b(?:in|on)\s+the\s+(?:entire\s+|whole\s+)?(?:file\s*system|filesystem)\b/i.test(request)
					? " without descending into other file systems"
					: all,
		)
		// "in the current disk partition": the current file system only (find -xdev; blind56's 10674).
		.replace(/\bin\s+the\s+current\s+(?:disk\s+)?partition\b/gi, "without descending into other file systems")
		// "modified between 50 to 100 days": a span of ages with "ago" unsaid (blind48's 8160), as "between 50 and 100 days ago".
		.replace(
			/\b((?:modified|changed|accessed)\s+between\s+\d{1,4}\s+(?:and|to)\s+\d{1,4}\s+(?:minutes|hours|days))\b(?!\s+(?:ago|before|back|old|from|after|later)\b)/gi,
			"$1 ago",
		)
		// "bigger than 100KB but are less than 500KB": both bounds, joined by "but" as by "and".
		.replace(SIZE_BUT, (_, size: string) => `${size} and `)
		// "Finds strings having text "foo" in all files ...": grep's matching lines, said as strings; what search_text shows.
		.replace(
			/^(\s*)(?:please\s+)?(?:recursively\s+)?(?:find|finds|search\s+for|searches\s+for)\s+(?:all\s+)?(?:the\s+)?strings\s+(?:having|with|containing|that\s+contain|which\s+contain)\s+(?:the\s+)?(?:text|string|word)?\s*(?=["'`‘][^"'`’]+["'`’]\s+in\s)/i,
			"$1search for the text ",
		)
		// "finds all files and prints all strings with 'foo' from that files": the same lines, said after the files are found.
		.replace(
			/\s+and\s+(?:prints?|shows?|displays?|outputs?)\s+(?:all\s+)?(?:the\s+)?strings\s+(?:with|containing|that\s+contain)\s+(?:the\s+)?(?:text|string|word)?\s*(["'`‘][^"'`’]+["'`’])\s+(?:from|in)\s+(?:that|those|these|the|them)(?:\s+files)?(?=\s*$)/i,
			" containing $1",
		)
		// "List level 2 subdirectories": the entries at that depth only, said as AT_LEVEL reads "at level 2".
		.replace(/\blevel\s+(\d)\s+(sub-?directories|sub-?folders|directories|folders|dirs|files)\b/gi, (_, n: string, noun: string) => `${noun} at level ${n}`)
		// "and skip searching in skipdir1 and skipdir2 folders": folders left out, said as where not to search.
		.replace(
			/\b(?:and\s+)?(skip|exclude|ignore)\s+(?:the\s+)?search(?:ing)?\s+(?:in|into|through)\s+(?!(?:certain|some|specific|specified|given|particular)\b)/gi,
			(_, v: string) => `${{ skip: "skipping", exclude: "excluding", ignore: "ignoring" }[v.toLowerCase()]} `,
		)
		// "ending in either .py or .py.server", "named either a or b": "either" only announces the "or" after it.
		.replace(/\b(in|with|named|called|match(?:es|ing)?)\s+either\s+(?=[^\s,]+\s*(?:,|\bor\b))/gi, "$1 ")
		// "Display a detailed listing of the current directory": ls -l of that folder, its own entries (as "list the contents
		// of"); only of a folder said as one (a trailing slash or the word), never of a file; "a detailed listing of all files
		// in ..." keeps its object and stays a search.
		.replace(
			/^(\s*)(?:please\s+)?(?:display|show|print|get|give|list)\s+(?:me\s+)?(?:a\s+|the\s+)?(?:detailed|long)\s+(?:listing|list)\s+of\s+(?=(?:the\s+)?(?:current|present|working)\s+(?:directory|folder)\b|["'‘]?[~.$\w-]*\/(?:[~./$\w-]*\/["'’]?|[~./$\w-]*["'’]?\s+(?:directory|folder))\s*(?:[,(]|$))/i,
			"$1list the contents of ",
		)
		// "do not have "2015" anywhere in the file name", "do not have 2015 in their names": a name not containing it (find ! -name
		// '*2015*'), said as NOT_THE_NAME reads.
		.replace(
			/\b(?:(?:that|which|but|and)\s+)?(?:do|does)\s*(?:not|n't)\s+have\s+(?:the\s+(?:string|text|word)\s+)?(?:"([^"*?\n]{1,60})"|'([^'*?\n]{1,60})'|([\w-]{1,40}))\s+(?:anywhere\s+)?in\s+(?:the|their|its)\s+(?:file\s*)?names?\b/gi,
			(_, a?: string, b?: string, c?: string) => `not named "*${a ?? b ?? c}*"`,
		)
		// "files that do not have a valid user or group": no user or no group in the password and group files (-nouser -o -nogroup).
		.replace(/\b((?:that|which)\s+)(?:do|does)\s+not\s+have\s+a\s+valid\s+(?:user|owner)\s+(or|and)\s+group\b/gi, "$1have no user $2 no group")
		// "... and search for the words "re" in each line": the files' text holds it (grep), said after the files are found.
		.replace(
			/\s+and\s+search\s+(?:for\s+)?(?:the\s+)?(?:words?|string|text)\s+(["'`‘][^"'`’\n]{1,60}["'`’])\s+in\s+(?:each|every|all\s+the)\s+lines?(?=\s*$)/i,
			" containing $1",
		)
		// "search for a file "file" in current folder and if the file is found quit": the first match (find -print -quit).
		.replace(/\s+and\s+if\s+(?:the\s+file|it)\s+is\s+found\s*,?\s*(?:then\s+)?(?:quit|exit|stop)\s*!?\s*$/i, " and quit")
		// "all CSS files (and directories ending with ".css")": folders of the same name too, said in brackets (find -name, no -type).
		.replace(
			/\b(files)\s*\(\s*and\s+(?:directories|folders)\s+(?:ending|that\s+end)\s+(?:with|in)\s+(?:"[^"\n]{1,20}"|“[^”\n]{1,20}”|'[^'\n]{1,20}')\s*\)/gi,
			"$1/directories",
		)
		// "regular files found under the home directory": the files a search finds, said as found.
		.replace(/\b(files|directories)\s+found\s+(?=(?:under|in|within|below|beneath|inside|from)\b)/gi, "$1 ")
		// "writable by somebody (their owner, or their group, or anybody else)": the bracket names who "somebody" may be.
		.replace(
			/\b(by\s+(?:somebody|someone|anybody|anyone))\s*\(\s*(?:their\s+|the\s+)?(?:owner|user)\s*,?\s*(?:or\s+)?(?:their\s+|the\s+)?group\s*,?\s*(?:or\s+)?(?:anybody|anyone|everybody|others?)(?:\s+else)?\s*\)/gi,
			"$1",
		)
		// "skipping hidden files and directories matching pattern '.?*'": the pattern only says which are hidden (blind38's 5610
		// had searched for names .?* while leaving out .*).
		.replace(
			/\b((?:skipping|excluding|ignoring|except)\s+(?:the\s+)?hidden\s+files\s+(?:and|or)\s+(?:directories|folders))\s+(?:matching|that\s+match)\s+(?:the\s+)?(?:pattern\s+)?(?:'\.\??\*'|"\.\??\*"|\.\??\*)/gi,
			"$1",
		)
		// "excluding paths that contain dot files/directories": hidden entries left out, with what is below hidden folders (! -path '*/.*').
		.replace(
			/\b(excluding|skipping|ignoring)\s+(?:the\s+)?paths\s+(?:that|which)\s+contain\s+(?:dot|hidden)\s+files?\s*(?:\/|and|or)\s*(?:directories|folders)\b/gi,
			"$1 hidden files and directories",
		)
		// "modified sometime in the last 24 hours": "sometime" adds nothing to the span.
		.replace(/\bsometime\s+(?=(?:in|within|during)\s+the\s+(?:last|past)\b)/gi, "")
		// "modified between 2014-08-25 and 2014-08-26": from the first day's start to the second's (find -newermt A ! -newermt B).
		.replace(
			/\b(modified|changed)\s+between\s+(\d{4}-\d{2}-\d{2})\s+and\s+(\d{4}-\d{2}-\d{2})(?![\w:/-])/gi,
			(_, verb: string, a: string, b: string) => `${verb} from ${a} until ${b}`,
		)
		// "hard links of file `passwd'": that file's links (find -samefile), before "file `passwd'" can be read as a name to find.
		.replace(/\b(hard\s+links)\s+(?:to|of)\s+(?:the\s+)?file\s+(?=["'`‘]|[~.$\w-]*\/)/gi, "$1 to ")
		// "with the word California in the file": the text holds it (grep), said with the word bare.
		.replace(/\bwith\s+the\s+word\s+([A-Za-z][\w-]*)\s+in\s+(?:the|their|its)\s+files?\b/g, 'containing the word "$1"')
		// "files having python in filename": a bare word in the name (find -name '*python*').
		.replace(/\b(files?)\s+(?:having|with|containing)\s+([A-Za-z][\w-]*)\s+in\s+(?:the\s+|their\s+|its\s+)?file\s*names?\b/g, '$1 whose names contain "$2"')
		// "that contain 'readme' (case insensitive) at the beginning of their names": names starting with it.
		.replace(
			/\b(?:that|which)\s+(?:contain|have)\s+(["'‘][^"'’\n]{1,60}["'’])(\s*\(\s*case[- ]insensitive\s*\))?\s+at\s+the\s+(?:beginning|start)\s+of\s+(?:their|its|the)\s+(?:file\s*)?names?\b/gi,
			(_, q: string, ic?: string) => `whose names begin with ${q}${ic ?? ""}`,
		)
		// "with "sitesearch" in their names and "demo" in their path names": the path holds the second (find -path '*demo*').
		.replace(/\band\s+(["'][^"'\n]{1,60}["'])\s+in\s+(?:their|its|the)\s+path\s*names?\b/gi, " whose paths contain $1")
		// "Find files that are orphaned": owned by no user or no group in the password and group files (-nouser -o -nogroup).
		.replace(/\b(?:that|which)\s+are\s+orphaned\b/gi, "that have no user or no group")
		// "and list them if they are more than three days old": a condition on what is listed.
		.replace(/\band\s+list\s+them\s+if\s+they\s+are\b/gi, "that are")
		// "search through only the /usr and /home directories": "only" adds nothing to the places named.
		.replace(/\b(in|through|under|within)\s+only\s+(?=the\s+)/gi, "$1 ")
		// "excluding files with '.ksh' extension": that kind left out, as "except ".ksh" files" says it.
		.replace(
			/\b(excluding|except|ignoring|skipping)\s+(?:the\s+|all\s+)?files\s+with\s+(?:the\s+|an?\s+)?(["']?\.\w{1,10}["']?)\s+extension\b/gi,
			"$1 $2 files",
		)
		// "excluding the files "bbb" and "yyy"": names left out, listed quoted.
		.replace(/\b(excluding|except)\s+the\s+files\s+(?=["'][^"'\n]{1,60}["']\s*(?:,|and|or)\s*["'])/gi, "$1 ")
		// "which have the group staff": the group owns them (find -group staff).
		.replace(/\b(?:which|that)\s+have\s+the\s+group\s+(?=["'`‘]?[A-Za-z_][\w-]*)/gi, "that belong to the group ")
		// "have write permission enabled to the user": the bit set for that class.
		.replace(/\b(permissions?)\s+enabled\s+(?=(?:to|for)\s)/gi, "$1 ")
		// "that have either a .php or a .js extension": the two extensions, said with articles.
		.replace(/\b(have|having|with)\s+either\s+an?\s+(\.\w{1,10})\s+or\s+an?\s+(\.\w{1,10})\s+(extensions?)\b/gi, "$1 $2 or $3 $4")
		// "which have cpp folder in their path": a folder of that name on the path (find -path '*/cpp/*').
		.replace(
			/\b(?:which|that)\s+have\s+(?:a\s+|the\s+)?([\w.-]+)\s+(?:folder|directory)\s+in\s+(?:their|its|the)\s+paths?\b/gi,
			'whose paths contain "/$1/"',
		)
		// "starting with capital letter", "begin with a number": the first character's class, as a glob says it.
		.replace(/\b((?:start|begin)(?:s|ing|ning)?\s+with)\s+(?:a\s+|an\s+)?(?:capital|upper[- ]?case)\s+letters?\b/gi, '$1 "[A-Z]"')
		.replace(/\b((?:start|begin)(?:s|ing|ning)?\s+with)\s+(?:a\s+|an\s+)?(?:number|digit)\b/gi, '$1 "[0-9]"')
		// "List the directory contents of the current working directory": its listing (ls).
		.replace(/^(\s*(?:list|lists))\s+(?:the\s+)?directory\s+(?=contents?\s+of\b)/i, "$1 the ")
		// "display a list of all java or jsp files in the current folders": the current folder, its noun in the plural.
		.replace(/\b(current|present)\s+(?:folders|directories)\b/gi, "$1 folder")
		// "accessed in today from the start of the day": today, counted from its start (find -daystart), said twice.
		.replace(/\b(accessed|accesed|modified|changed)\s+in\s+today\b(?:\s+from\s+the\s+start\s+of\s+the\s+day\b)?/gi, "$1 today")
		// "List all broken symlinks including cyclic links": a loop has no target either, so a broken link already (find -L -type l).
		.replace(/(\bbroken\s+(?:symlinks|symbolic\s+links|links))\s+including\s+(?:the\s+)?cyclic\s+(?:links|ones)\b/gi, "$1")
		// "modified in 1 year or more ( which are not modified in the last 1 year )": not modified in the last N (find -mtime +N);
		// the bracket restates it.
		.replace(/\s*\(\s*which\s+are\s+not\s+(?:modified|accessed|changed)\s+in\s+the\s+last\s+[^()]{1,30}\)/gi, " ")
		.replace(
			/\b(?:(?:have|has)\s+(?:not\s+)?been\s+)?(modified|accessed|read)\s+in\s+(\d+|one|two|three|thirty|sixty|ninety)\s+(days?|weeks?|months?|years?)\s+or\s+more\b/gi,
			"not $1 in the last $2 $3",
		)
		.replace(
			/\bnot\s+been\s+(read|accessed|modified)\s+in\s+(\d+|one|two|three|thirty|sixty|ninety)\s+(days?|weeks?|months?|years?)\s+or\s+more\b/gi,
			"not $1 in the last $2 $3",
		)
		// "in a single line separated by null command": the names NUL-separated (find -print0).
		.replace(/\s+(?:in\s+a\s+single\s+line\s+)?separated\s+by\s+(?:a\s+)?null(?:\s+(?:command|character|byte))?\b/gi, " null-separated")
		// "*.app directories": folders whose names match the glob (blind39's 6220 and blind40's 8493 had lost the star).
		.replace(/(?<![\w/$])(\*\.[\w-]+)\s+(directories|folders)\b/gi, '$2 named "$1"')
		// "exactly of size 10MB": the exact size, said with "of size".
		.replace(/\bexactly\s+of\s+size\s+/gi, "exactly ")
		// "with the size greater than or equal to 100k": at least that size; "less than or equal to": at most.
		.replace(/\b(?:with\s+)?(?:the\s+|a\s+)?size\s+(?:greater|bigger|larger|more)\s+than\s+or\s+equal\s+to\s+/gi, "at least ")
		.replace(/\b(?:with\s+)?(?:the\s+|a\s+)?size\s+(?:less|smaller)\s+than\s+or\s+equal\s+to\s+/gi, "at most ")
		// "Find all MP3s in ...": a kind of file said in the plural, in capitals.
		.replace(/\b([A-Z][A-Z0-9]{1,4})s\b/g, (all: string, ext: string) => (EXTS.has(ext.toLowerCase()) ? `${ext} files` : all))
		// "excluding files/directories with name 'x'": as "with the name".
		.replace(
			/\b((?:excluding|except|ignoring|skipping)\s+(?:the\s+|all\s+)?(?:files?|directories|folders|files\s*\/\s*directories))\s+with\s+name\s+(?=["'`‘])/gi,
			"$1 with the name ",
		)
		// "modified 8-10 days ago": both ends of the span, said with a hyphen (find -mtime +7 -mtime -11 as "between 8 and 10").
		.replace(/\b(\d{1,4})\s*-\s*(\d{1,4})\s+(minutes?|hours?|days?)\s+ago\b/gi, "between $1 and $2 $3 ago")
		// "last read from 2 to 6 minutes ago": the same span said with "from ... to" (blind59's 10864).
		.replace(/\bfrom\s+(\d{1,4})\s+to\s+(\d{1,4})\s+(minutes?|hours?|days?)\s+ago\b/gi, "between $1 and $2 $3 ago")
		// "of size between 700k and 1000k": the size range said with "of".
		.replace(/\bof\s+size\s+(?=between\b)/gi, "with size ")
		// "greater than 10KB (approx)": find's sizes are rounded to the unit anyway; the note adds no condition.
		.replace(/\s*\(\s*approx(?:\.|imately)?\s*\)/gi, " ")
		// "that are 50k at the most": the bound said after the size.
		.replace(SIZE_AT_BOUND, (_, n: string, unit: string, bound: string) => `at ${bound} ${n}${unit}`)
		// "starting from the home directory": where the search starts, the home folder.
		.replace(/\bstarting\s+(?=from\s+(?:the\s+|your\s+|my\s+)?home\s+(?:directory|folder)\b)/gi, "")
		// "names begin with letters a-j": a range of first letters, as a glob says it ([a-j]*).
		.replace(/\b(letters?)\s+([A-Za-z])\s*-\s*([A-Za-z])\b/g, '$1 "[$2-$3]"')
		// "Print a listing of the /usr/local/etc/rc.d directory tree": every entry below it, files and folders (ls -R).
		.replace(
			/^(\s*(?:print|display|show|get)\s+)(?:a\s+|the\s+)?(?:recursive\s+)?listing\s+of\s+(?:the\s+)?(?=["'‘]?[~.$\w-]*\/[~./$\w-]*["'’]?\s+directory\s+tree\s*$)/i,
			"$1all files and directories in the ",
		)
		// "Search every directory except ... for a regular file 'myfile'": the folders are where; the file is what is searched for.
		.replace(
			/^(\s*search)\s+(?:every|all\s+(?:the\s+)?)\s*(?:directory|directories|folders?)\s+(?=(?:(?:except|excluding)\b.*?\s+)?for\s+(?:a|the)\s+(?:regular\s+)?file\b)/i,
			"$1 ",
		)
		// "changed more then 7 days ago": "then" typed for "than" before a number.
		.replace(/\b(more|less|greater|smaller|larger|bigger|fewer|older|newer)\s+then\s+(?=\d)/gi, "$1 than ")
		// "modified less than 1 day ago from today": "from today" is where "ago" counts from anyway.
		.replace(/\b(ago)\s+from\s+(?:today|now)\b/gi, "$1")
		// "Print each ".txt" file in the current directory", "Concatenate all .txt files in ...": each file of a type printed is
		// its text (cat), said without "contents"; only with an extension written out, so "print each file in /tmp" stays a
		// listing of names.
		.replace(
			/^(\s*)(?:please\s+)?(?:print|cat|output|concatenate)\s+(?:each|every|all)(?:\s+of\s+the)?\s+(?=["'‘]?\*?\.\w{1,10}["'’]?\s+files?\b)/i,
			"$1display the contents of all ",
		)
		// "directories present in the current directory": where they are, said twice.
		.replace(/\b(?:(?:that|which)\s+are\s+)?present\s+(?=in\s)/gi, "")
		// "except the subdirectory tree ".svn"", "which are not in the sub directory tree ".svn"": that one subfolder of the
		// place searched and all below it (find -path ./.svn -prune), written "./.svn" as "except in dir1 subfolder" is below.
		.replace(
			/\b(excluding|except|but\s+not|ignoring|skipping|omitting|(?:which|that)\s+are\s+not\s+in)\s+(?:the\s+)?sub[\s-]?(?:directory|folder)\s+tree\s+(?:"([\w.-]+)"|'([\w.-]+)'|([\w.-]+))(?![\w./-])/gi,
			(_, leave: string, a?: string, b?: string, c?: string) => `${/\bnot\s+in$/i.test(leave) ? "excluding" : leave} ./${a ?? b ?? c}`,
		)
		// "searches through the root filesystem ("/")": the root said, then written in brackets; "through" a place is in it.
		.replace(/\b((?:the\s+)?root\s+(?:file\s*system|filesystem|directory|folder))\s*\(\s*["'‘]?\/["'’]?\s*\)/gi, "$1")
		.replace(/^(\s*(?:please\s+)?(?:search(?:es)?|look(?:s)?|grep))\s+through\b/i, "$1 in")
		// "all files, folders, symlinks, etc": every kind of entry, listed with "etc" (find with no -type).
		.replace(
			/\b(?:(?:regular\s+)?files?|folders|directories|dirs|(?:symbolic\s+)?links|symlinks|sockets|pipes|devices)(?:\s*,\s*(?:(?:regular\s+)?files?|folders|directories|dirs|(?:symbolic\s+)?links|symlinks|sockets|pipes|devices))+\s*,?\s*(?:etc\b\.?|and\s+so\s+on\b|and\s+the\s+like\b)/gi,
			"files/directories",
		)
		// "a more recent version of httpd.conf file than /etc/apache-perl/httpd.conf": files of that name newer than that one
		// (find -name httpd.conf -newer /etc/apache-perl/httpd.conf).
		.replace(
			/\b(?:an?\s+|all\s+)?(?:more\s+recent|newer)\s+(?:versions?|cop(?:y|ies))\s+of\s+(?:the\s+)?(?:file\s+)?(?:"([\w.-]+)"|'([\w.-]+)'|([\w-][\w.-]*))(?:\s+files?)?\s+than\s+(?=["'‘]?[~.\w-]*\/)/gi,
			(_, a?: string, b?: string, c?: string) => `files named "${a ?? b ?? c}" newer than `,
		)
		// "Find the current directory and all its subdirectories": the folders themselves are what is listed (find . -type d).
		.replace(
			/^(\s*(?:please\s+)?(?:find|list|show|display|print))\s+(?:the\s+)?(current|present|working)\s+(directory|folder)\s+and\s+(?:all\s+)?(?:of\s+)?its\s+sub-?(?:directories|folders)\b/i,
			"$1 all directories in the $2 $3",
		)
		// "5 512 byte blocks": find's own unit, its size said (find -size 5).
		.replace(/\b(\d+)\s+512[- ]byte\s+(blocks?)\b/gi, "$1 $2")
		// "accessed in the last 60 days ago": the span said twice; "ago" adds nothing to "in the last".
		.replace(/\b((?:in|within|during)\s+the\s+(?:last|past)\s+\w+\s+(?:minutes?|hours?|days?|weeks?|months?|years?))\s+ago\b/gi, "$1")
		// "(under root file system /)": a place said in brackets is a place; the root named, then written.
		// Not a time: "(from the start of the day)", "(from 00:00 to 23:59)" say how days are counted (DAYSTART_NOTE).
		.replace(/\(\s*((?!from\s+(?:the\s+)?st?r?art\b|from\s+00:00)(?:under|in|from|within)\s+[^()"'`]{1,60}?)\s*\)/gi, " $1 ")
		.replace(/\b(?:the\s+)?root\s+(?:file\s*system|filesystem)\s+(?=\/(?![\w.~$-]))/gi, "")
		// "excluding those ending with ",v"": the ending left out, said as NOT_ENDING reads it (find ! -name '*,v').
		.replace(
			/\b(?:excluding|except(?:\s+for)?|but\s+not)\s+(?:those|the\s+ones|ones|the\s+files|files)\s+(?:(?:that|which)\s+ends?|ending)\s+(?:with|in)\s+(?=["'`‘])/gi,
			"which do not end with ",
		)
		// "Search the path given as the $absolute_dir_path variable": the place is the variable ("$dir" as written elsewhere).
		.replace(
			/\b(?:the\s+)?(?:path|folder|directory|dir)\s+(?:given|passed|stored|held)\s+(?:as|in|by)\s+(?:the\s+)?(\$\{?[A-Za-z_]\w*\}?)(?:\s+variable)?(?![\w/])/gi,
			"$1",
		)
		// "under ${S} directory": a braced shell variable is the same variable as "$S" when no word character follows.
		.replace(/\$\{([A-Za-z_]\w*|\d)\}(?![\w{])/g, "$$$1")
		// "*.txt files with lines that match regular expression "^string"": files whose text matches (grep -l), said of their lines.
		.replace(
			/\b(files?)\s+(?:with|having|that\s+have|which\s+have)\s+(?:some\s+|any\s+)?lines?\s+(?:(?:that|which)\s+(?:match(?:es)?|contains?)|containing|matching)\s+(?=(?:the\s+|a\s+)?(?:text|string|word|pattern|phrase|regex|regular\s+expression)?\s*["'`‘])/gi,
			"$1 containing ",
		)
		// "except in dir1 subfolder", "excluding those in the sub directory aa": a subfolder of the place searched, that one
		// folder at the top (find -path ./dir1 -prune), said as "./dir1" is.
		.replace(
			/\b(excluding|except|but\s+not)\s+(?:those\s+)?(?:in\s+)?(?:the\s+)?(?:sub[\s-]?(?:directory|folder)\s+([\w-][\w.-]*)|([\w-][\w.-]*)\s+sub[\s-]?(?:directory|folder))(?![\w./-])/gi,
			(_, leave: string, after?: string, before?: string) => `${leave} ./${after ?? before}`,
		)
		// "Filters only directories from long file listing of a current directory": the folder's own entries of that kind (ls -l
		// filtered by type), said as what is kept of its listing; "directly in" reads the one level below.
		.replace(
			/^(\s*)filters?\s+(?:out\s+)?only\s+(directories|folders|files)((?:\s+including\s+hidden\s+ones)?)\s+from\s+(?:the\s+|a\s+)?(?:long\s+)?(?:file\s+)?listing\s+of\s+(?=(?:the\s+|a\s+)?(?:current|present|working)\s+(?:directory|folder)\b)/i,
			"$1list $2$3 directly in ",
		)
		// "excluding search in the paths of "work" and "home" sub directories": those subfolders at the top of the place
		// searched, as "except in dir1 subfolder" below.
		.replace(
			/\b(excluding|except|but\s+not|skipping|ignoring)\s+(?:search(?:ing)?\s+in\s+)?(?:the\s+)?paths?\s+of\s+((?:["'][\w-][\w.-]*["']\s*(?:,\s*(?:and\s+)?|\s+and\s+))+["'][\w-][\w.-]*["'])\s+sub[\s-]?(?:directories|folders)\b/gi,
			(_, leave: string, list: string) => `${leave} ${[...list.matchAll(/["']([\w-][\w.-]*)["']/g)].map(q => `./${q[1]}`).join(" and ")}`,
		)
		// "Perform a case insensitive search for *.jpg files": the search said as a noun, its case as an adjective.
		.replace(
			/^(\s*)(?:please\s+)?perform\s+(?:a\s+)?(case[- ]insensitive\s+)?search\s+for\b/i,
			(_, lead: string, ic?: string) => `${lead}search ${ic ? "(case insensitive) " : ""}for`,
		)
		// "Find out all hard links ...": finding out which files, said with "out" ("find out why" has no "all").
		.replace(/^(\s*)find\s+out\s+(?=(?:all|every)\b)/i, "$1find ")
		// "all the files in the current which are bigger than 100MB": the current folder, its noun left out before a clause.
		.replace(/\b(in|under|from|within)\s+the\s+current(?=\s+(?:which|that|whose|and)\b|\s*$)/gi, "$1 the current directory")
		// "display the files along with the size of all the files ...": each file's size, which find_files prints anyway.
		.replace(
			/^(\s*(?:please\s+)?(?:display|show|print|list))\s+(?:the\s+)?files\s+(?:along\s+with|with)\s+(?:the\s+|their\s+)?sizes?\s+of\s+(?=(?:all|every|each)\b)/i,
			"$1 ",
		)
		// "in the directory tree rooted in /usr/src": the tree under that folder.
		.replace(/\b(?:in\s+)?(?:the\s+)?(?:directory\s+)?tree\s+rooted\s+(?:in|at)\s+(?=["'‘]?[~.$\w-]*\/)/gi, "under ")
		// "non-hidden files (ones that do not start with the period "." character)": the bracket restates what non-hidden says.
		.replace(
			/(\bnon-?hidden\s+(?:files|directories|folders)\s*)\(\s*(?:ones|those|files)\s+(?:that|which)\s+do\s+not\s+(?:start|begin)\s+with\s+(?:a|the)\s+(?:period|dot)\s*(?:["'‘]\.["'’]\s*)?(?:character|chartacter|char)?\s*\)/gi,
			"$1",
		)
		// "in the current one": the current folder, its noun said before ("all directories in the current one").
		.replace(/\b(in|under|from|within)\s+the\s+current\s+one\b/gi, "$1 the current directory")
		// "the current directory's subdirectories": what is in it, said as its possession.
		.replace(
			/\b(?:the\s+)?(current|present|working)\s+(directory|folder)'s\s+(sub-?directories|sub-?folders|files)\b/gi,
			(_, which: string, noun: string, what: string) => `${what} in the ${which} ${noun}`,
		)
		// "List the current directory recursively" (ls -R): every entry below it, files and folders.
		.replace(
			/^(\s*(?:list|show|display|print)\s+)(?:the\s+)?(?:contents?\s+of\s+(?:the\s+)?)?(current|present|working)\s+(directory|folder)\s+recursively\b/i,
			"$1all files and directories in the $2 $3 recursively",
		)
		// find_files never lists the folder searched itself (find -mindepth 1): "excluding current folder (.)" asks nothing more.
		.replace(/\b(?:excluding|except|but\s+not)\s+(?:the\s+)?current\s+(?:folder|directory)\s*\(\s*\.\s*\)/gi, " ")
		// The same said without the dot, once the current folder is where the search is: "display all the files in the current
		// folder excluding the current folder" (find . -mindepth 1); never a folder named "current" (blind31's 6849 left one out).
		.replace(
			/(\b(?:in|under|from|within)\s+(?:the\s+)?current\s+(?:folder|directory)\b.*?)\s+(?:excluding|except|but\s+not)\s+(?:the\s+)?current\s+(?:folder|directory)(?:\s+itself)?(?=\s+(?:and|but)\b|\s*[,.]|\s*$)/i,
			"$1 ",
		)
		// "under minimum 2 levels down the mydir directory": the bound, then the place the preposition was for.
		.replace(
			/\b(in|under)\s+((?:minimum|min|at\s+least)\s+(?:one|two|three|four|five|\d)\s+levels?\s+down)\s+(?=the\s+["']?[A-Za-z_$][\w.$-]*["']?\s+(?:directory|folder|dir)\b)/gi,
			"$2 $1 ",
		)
		// "find directory which case-insensitive name is too", "search for the directory starting with "ora10"", "find directory
		// names starts with 'bar'": the kind is the object, a folder (find -type d), whatever condition on its name follows.
		.replace(
			/^(\s*(?:find|search(?:\s+for)?|locate|look\s+for)\s+)(?:a\s+|the\s+)?(?:directory|folder)\s+(names?\s+(?=(?:start|begin|end)(?:s|ing|ning)?\s+(?:with|in)\b))?(?=(?:which|that|named|called|whose|with\s+the\s+name|(?:start|begin|end)(?:s|ing|ning)?\s+(?:with|in))\b)/i,
			(_, verb: string, names?: string) => `${verb}directories ${names ? "whose names " : ""}`,
		)
		// "search for the directory testdir in the folder /home": a bare name right after the folder noun, a place after it.
		.replace(
			/^(\s*(?:find|search\s+for|locate|look\s+for)\s+)(?:a\s+|the\s+)?(?:directory|folder)\s+(?!(?:tree|structure|path|name|names|where|in|of|for|with|and|or|which|that|whose|named|called)\b)([A-Za-z_][\w.-]*)(?=\s+(?:in|under|within|inside|from)\b)/i,
			'$1directories named "$2"',
		)
		// "whose content was updated within the last hour": a write, said of the contents (find -mmin).
		.replace(/\bwhose\s+contents?\s+(?:was|were|has\s+been|have\s+been)\s+(?=(?:updated|modified|changed|edited)\b)/gi, "")
		// "Find all files name passwd": "name" said for "named".
		.replace(/\b(files?|directories|folders)\s+name\s+(?=["'`‘]?[\w.*-])/gi, "$1 named ")
		// "in all subdirectories of /opt", "search all the directories in /home for ...": the place, not what is listed.
		.replace(/\b(?:in|within|from)\s+(?:all\s+)?(?:the\s+)?(?:sub-?directories|sub-?folders)\s+(?:of|under|in)\s+(?=["'‘]?[~.$\w-]*\/)/gi, "under ")
		.replace(
			/^(\s*(?:search|look\s+in|look\s+through))\s+(?:all\s+)?(?:the\s+)?(?:sub-?)?(?:directories|folders)\s+(?:in|under|of)\s+(?=["'‘]?[~.$\w-]*\/[^\s]*\s+for\b)/i,
			"$1 ",
		)
		// "named foo.c or bar.c": bare file names listed as the quoted ones are.
		.replace(
			/\b((?:named|called)\s+)([\w-]+\.\w{1,8}(?:\s*(?:,\s*(?:or\s+)?|\s+or\s+)[\w-]+\.\w{1,8})+)(?![\w.])/gi,
			(_, lead: string, list: string) => lead + list.replace(/[\w-]+\.\w+/g, (n: string) => `"${n}"`),
		)
		// "modified after 2020-01-01": an ISO date, said as the calendar dates below are.
		.replace(
			/\b((?:modified|changed|updated|edited)\s+(?:on|after|before|since))\s+(\d{4})-(\d{1,2})-(\d{1,2})(?![\w:/-])/gi,
			(all: string, lead: string, y: string, mo: string, d: string) =>
				Number(mo) >= 1 && Number(mo) <= 12 ? `${lead} ${MONTHS[Number(mo) - 1]} ${Number(d)}, ${y}` : all,
		)
		// "of a current folder": the current one, the article mistyped.
		.replace(/\ba\s+(current|present)\s+(directory|folder|dir)\b/gi, "the $1 $2")
		// "writable by either their owner or their group": "either" adds nothing to "or" (permissions.ts reads the pair).
		.replace(/\b(by|for|to)\s+either\s+(?=(?:their\s+|the\s+)?(?:owner|user|group|others?)\b)/gi, "$1 ")
		// A size bound negated: "not greater than 20MB" is at most 20MB, "not smaller than 1MB" at least 1MB.
		.replace(NOT_ABOVE_SIZE, "at most ")
		.replace(NOT_BELOW_SIZE, "at least ")
		// A bound said after the size: "that are 50 megabytes or larger" is at least 50MB, "10k or smaller" at most 10k.
		.replace(SIZE_OR_BOUND, (_, n: string, unit: string, up?: string) => `${up ? "at least" : "at most"} ${n} ${unit}`)
		// The status (inode) change time, find -ctime/-cmin: "whose status was changed", "that last had their meta information changed".
		.replace(
			/\b(?:(?:whose|their)\s+(?:status|inode|meta[- ]?(?:data|information))\s+(?:was\s+|were\s+|has\s+been\s+|have\s+been\s+|has\s+|have\s+)?(?:last\s+)?changed|(?:last\s+)?had\s+their\s+(?:status|inode|meta[- ]?(?:data|information))\s+changed|(?:whose|with)\s+(?:status|inode)\s+changed)\b/gi,
			" status-changed ",
		)
		// "whose names start with a dot": hidden entries, the dot said by name.
		.replace(/\b((?:begin|start)(?:s|ning|ing)?\s+with)\s+(?:a\s+)?(?:dot|period)(?!\w)(?:\s*\(\s*\.\s*\))?/gi, '$1 "."')
		// "end with 'cache' 'xml' or 'html'": quoted items listed with spaces for commas, the last after "or" (3746), as
		// "'cache', 'xml' or 'html'"; only quoted single words after a condition on the name's ends.
		.replace(
			/\b((?:end|begin|start)(?:s|ing|ning)?\s+(?:in|with)\s+)((?:'[\w.*-]{1,30}'\s+)+'[\w.*-]{1,30}'\s+or\s+'[\w.*-]{1,30}')/gi,
			(_, lead: string, list: string) => lead + list.replace(/'\s+(?=')/g, "', "),
		)
		// "ending in .c or .h": bare extensions listed as the quoted ones are ("ending in ".c" or ".h""); an ending of two
		// dots too ("ending in either .py or .py.server", blind20's 2038: find -name '*.py' -o -name '*.py.server').
		.replace(
			/\b(end(?:s|ing)?\s+(?:in|with)\s+)(\.\w{1,10}(?:\.\w{1,10})?(?:\s*(?:,\s*(?:or\s+)?|\s+or\s+)\.\w{1,10}(?:\.\w{1,10})?)+)(?![\w.])/gi,
			(_, lead: string, list: string) => lead + list.replace(/\.\w+(?:\.\w+)?/g, (e: string) => `"${e}"`),
		)
		// "names begin with either x or X", "name end with c or h": two bare letters (up to three characters) joined by "or"
		// are the name's first or last characters, either one (find -name 'x*' -o -name 'X*'), quoted as the listed ones are.
		// Never a word that starts a clause ("end with c or are larger": the "or" joins conditions, refused).
		.replace(
			/\b((?:begin|start|end)(?:s|ing|ning)?\s+(?:in|with)\s+)(?!(?:an?|or|and|the|in|is|no)\b)([A-Za-z0-9]{1,3})\s+or\s+(?!(?:an?|or|and|are|is|be|the|in|on|at|of|by|to|no|not|was|has|had|any|all|its|who|why|how)\b)([A-Za-z0-9]{1,3})(?=\s+(?:and|in|under|from|within)\b|\s*[,)]|\s*$)/gi,
			(_, lead: string, a: string, b: string) => `${lead}"${a}" or "${b}"`,
		)
		// "which have the name net or comm in them": the names holding either word (find -name '*net*' -o -name '*comm*'; blind61's
		// 11030). Only "the name": "which have the word foo in them" is the files' text.
		.replace(
			/\b(?:which|that)\s+have\s+the\s+name\s+([A-Za-z0-9_]{1,30}(?:\s+or\s+[A-Za-z0-9_]{1,30})*)\s+in\s+them\b/gi,
			(_, list: string) =>
				`whose names contain ${list
					.split(/\s+or\s+/i)
					.map(w => `"${w}"`)
					.join(" or ")}`,
		)
		// "which have set uid bit or set gid bit enabled": either bit (find -perm /6000; blind57's 10532), as "suid or sgid bit set".
		.replace(/\bhave\s+(?:the\s+)?set\s*uid\s+bit\s+or\s+(?:the\s+)?set\s*gid\s+bit\s+(?:enabled|set)\b/gi, "have suid or sgid bit set")
		// "class files or sh script files": "script" restates what an sh file is (find -name '*.sh'; blind11's 1859).
		.replace(/\bsh\s+script\s+files\b/gi, "sh files")
		// "whose size is 24 or 25 bytes": two sizes one byte apart are the span between them (find -size 24c -o -size 25c);
		// only in bytes, where the sizes are exact (a size in k rounds up to whole blocks).
		.replace(/\b(size\s+is\s+)(\d{1,9})\s+or\s+(\d{1,9})\s+(bytes)\b/gi, (all: string, lead: string, a: string, b: string, unit: string) =>
			Number(b) === Number(a) + 1 ? `${lead}between ${a} and ${b} ${unit}` : all,
		)
		// "modified more recently than F" and "modified later than F": after F was (find -newer F).
		.replace(/\b(modified|changed)\s+(?:more\s+recently|later)\s+than\b/gi, "$1 after")
		// "modified since /bin/sh was last modified": after that file was (find -newer /bin/sh); only with the file's own
		// "was modified", so "since Monday" (a date) is not taken.
		.replace(/\b(modified|changed)\s+since\s+(\S+)\s+was\s+(?:last\s+)?modified\b/gi, "$1 after $2")
		// "with the names "name1" and "name2"": one file has one name, so either (find -name name1 -o -name name2).
		.replace(/\b(with|having)\s+the\s+names\s+("[^"\n]{1,60}"|'[^'\n]{1,60}')\s+(?:and|or)\s+(?=["'])/gi, "$1 the name $2 or ")
		// "whose names contain the string 'xpilot'": the string is the name part (find -name '*xpilot*'); quoted only.
		.replace(/\b(names?\s+(?:contains?|containing))\s+the\s+(?:string|word|text)\s+(?=["'`‘])/gi, "$1 ")
		// "files ... which exist within '/usr/local/games'": where they are, said with a verb.
		.replace(/\b(?:that|which)\s+exists?\s+(?=(?:with)?in\s)/gi, "")
		// "that are the same age or older than file `F'": not modified after F was (find ! -newer F), what "not newer than" says.
		.replace(/\b(?:(?:that|which)\s+(?:are|is)\s+)?(?:of\s+)?the\s+same\s+age\s+(?:as\s+)?or\s+older\s+than\b/gi, "not newer than")
		// "newer than A but not newer than B": both bounds hold (find -newer A ! -newer B), as with "and".
		.replace(/\bbut\s+(?=not\s+(?:newer|older)\s+than\b)/gi, "and ")
		// "changed exactly 60 days": find -mtime 60, the "ago" left out.
		.replace(/\b(exactly\s+\w+\s+(?:minutes?|hours?|days?|weeks?)\b)(?!\s+(?:ago|before|back|old)\b)/gi, "$1 ago")
		.replace(/(?<![\w'‘])“([^”"\n]{1,100})”(?![\w'’])/g, '"$1"')
		// "named foo, FOO, or any other combination of uppercase and lowercase characters": one name, any case (find -iname).
		.replace(CASE_VARIANTS, (all: string, verb: string, n: string, more: string) =>
			more.split(",").every(v => !v.trim() || v.trim().toLowerCase() === n.toLowerCase()) ? `${verb} ${n} (case insensitive)` : all,
		);
	// "Look for "testfile.txt" in the "/" directory": a file name to find (find -name), not a string inside files; with files,
	// lines or text said anywhere ("find "a.b" in all files") the string stays a content search.
	if (!/\b(?:files?|lines?|contents?|text|strings?|words?|patterns?|contain\w*)\b/i.test(t))
		t = t.replace(
			/^(\s*(?:please\s+)?(?:look\s+for|find|locate))\s+(?:the\s+)?(["'`‘])([\w-][\w.-]*\.[A-Za-z][A-Za-z0-9]{0,4})["'`’](?=\s+(?:in|under|within|inside|from)\b)/i,
			(_, verb: string, q: string, name: string) => `${verb} the file ${q}${name}${q === "‘" ? "’" : q}`,
		);
	// "Find all files/directories under _CACHE_* directories": the places are a glob, which find_files' path does not take.
	if (/\b(?:under|in|within|inside)\s+["']?[\w.-]*\*[\w.*-]*["']?\s+(?:directories|folders|dirs)\b/i.test(t)) return null;
	// "excluding all the directories and all the sub directories having "normal" in their name": files only, and folders of a
	// name pruned, in one phrase the parse would split wrongly (blind38's 6126 listed those folders instead).
	if (/\bexcluding\s+(?:all\s+)?(?:the\s+)?directories\s+and\s+(?:all\s+)?(?:the\s+)?sub[\s-]?(?:directories|folders)\b/i.test(t)) return null;
	// "excluding hidden directories" alone leaves out what is below hidden folders but not hidden files (find -not -path '*/.*/*'),
	// which no exclusion here says (blind52's 10022 had left out folders named "hidden"); "in and below all subdirectories of"
	// (find -mindepth 2) the same (its 10094 had listed folders).
	if (
		/\b(?:excluding|except|skipping|ignoring|omitting|without\s+descending\s+into)\s+(?:the\s+|all\s+|any\s+)?hidden\s+(?:directories|folders|dirs)\b(?!\s*(?:and|\/|&)\s*(?:files|excluding|skipping|ignoring))/i.test(
			t,
		) ||
		/\bin\s+and\s+below\s+(?:all\s+)?(?:the\s+)?sub-?(?:directories|folders|dirs)\s+of\b/i.test(t)
	)
		return null;
	// "Search directory trees /tmp and /var/tmp for "testfile.txt"": a file's name, said after "for" with nothing of text, lines or
	// contents (blind47's 8828 had searched it as text).
	if (!/\b(?:files?|lines?|contents?|text|strings?|words?|patterns?|contain\w*)\b/i.test(t))
		t = t.replace(
			/^(\s*(?:please\s+)?search\b.*?\s+for)\s+(["'`‘])([\w-][\w.-]*\.[A-Za-z][A-Za-z0-9]{0,4})["'`’](?=\s*$)/i,
			(_, lead: string, q: string, name: string) => `${lead} the file ${q}${name}${q === "‘" ? "’" : q}`,
		);
	// Output written "to a file" ("print the list to a file named 'out'"): a write, whatever names the file; never a name to find.
	if (/\b(?:to|into)\s+(?:a\s+|the\s+|another\s+)?(?:new\s+|text\s+|separate\s+)?file\b/i.test(t)) return null;
	// It must ask to find, list or show: a question ("how do I find...") wants a command, not the result.
	if (
		!/^\s*(?:please\s+)?(?:recursively\s+)?(?:find|finds|search|searches|locate|locates|list|lists|display|displays|show|shows|print|prints|get|gets|look\s+for|report|reports|return|returns|grep)\b/i.test(
			t,
		)
	)
		return null;
	const lines = fileLines(t.trim());
	if (lines) return lines;
	const out: FindFilesArgs = { op: "find_files", path: "." };
	let where: string | undefined;

	// "'test' followed by two digits": one class per character, as a glob says it.
	t = t.replace(FOLLOWED_BY, (_, q: string, n: string, count: string, what: string) => {
		const times = /^(?:a|any|a\s+single)$/i.test(count) ? 1 : num(count);
		return ` ${q}${n}${CHAR_CLASS[what.toLowerCase().replace(/s$/, "")].repeat(times)}${q === "‘" ? "’" : q} `;
	});
	// "under / (root)": the root said twice.
	t = t.replace(/(?<=\s\/)\s*\(\s*root\s*\)/gi, " ");
	// "Lists content of the current folder": a listing, said as its content.
	// What `ls` shows: the entries themselves, files and folders, one level (unless "recursively").
	let lsContent = false;
	// A bare path only after "list": "display the contents of /etc/passwd" shows a file's text (cat), not a listing.
	t = t.replace(
		/^\s*(?:(?:list|lists)\s+(?:all\s+)?(?:the\s+)?contents?\s+(?:of|in)\b(?=\s+(?:the\s+)?(?:current|present|folder|directory|dir|\/|\.|~))|(?:show|display)\s+(?:the\s+)?contents?\s+of\b(?=\s+(?:the\s+)?(?:current|present|folder|directory|dir)\b))/i,
		() => {
			lsContent = true;
			return " list of ";
		},
	);
	const contentsOf = CONTENTS_OF.exec(t);
	if (contentsOf) t = t.replace(contentsOf[0], " list ");
	const leadingFirst = LEADING_FIRST.exec(t);
	if (leadingFirst) {
		out.max_results = leadingFirst[1] ? num(leadingFirst[1]) : 1;
		t = t.replace(leadingFirst[0], " list ");
		// "the first file/directory ... and quit": one entry; quitting says no more than that.
		const quit = leadingFirst[1] ? null : AND_QUIT.exec(t);
		if (quit) t = take(t, quit);
	} else if (SEARCHING.test(request)) {
		// "search for a file "file" in current folder and quit (once it is found)": the first match, find -print -quit.
		const quit = AND_QUIT.exec(t);
		if (quit && /\b(?:quit|exit)\b/i.test(quit[0])) {
			out.max_results = 1;
			t = take(t, quit);
		}
	}
	const leading = LEADING_CONTENT.exec(t);
	let contains = leading ? leading.slice(1).find(x => x !== undefined) : undefined;
	// "Search for the Perl regex "[\x80-\xFF]" in ...": the pattern is a regular expression, read as search_text reads one.
	let contentIsRegex = false;
	if (leading && contains !== undefined && new RegExp(`${REGEX_WORD}\\s+\\S`).test(leading[0])) {
		const re = contentRegex(leading[0], contains);
		if (re === null) return null;
		[contains, contentIsRegex] = [re, true];
	}
	if (leading) t = t.replace(leading[0], " search in ");

	// "in the current directory only": its own entries, not the tree below (find -maxdepth 1).
	let onlyHere = false;
	t = t.replace(/\b((?:current|present|working)\s+(?:directory|folder|dir))\s+only\b/i, (_, here: string) => {
		onlyHere = true;
		return here;
	});
	// "only in the current directory": the same, "only" said first (blind48's 8760 had gone down the tree); not "only in the
	// current directory tree" or "... and below", which recurse.
	t = t.replace(
		/\bonly\s+(in|within|inside)\s+(?:the\s+)?((?:current|present|working)\s+(?:directory|folder|dir))\b(?!\s+(?:tree|hierarchy|and|&|recursively)\b|\s*\()/i,
		(_, prep: string, here: string) => {
			onlyHere = true;
			return `${prep} the ${here}`;
		},
	);
	// "directories that are directly under $dir (no-subdirectories)": its own entries (find -maxdepth 1); the bracket restates it.
	t = t.replace(
		/\b(?:(?:that|which)\s+(?:are|is)\s+)?directly\s+(?=(?:under|in|inside|within)\s)([^()]*?)(?:\(\s*(?:no|without)[\s-]+sub-?(?:directories|folders|dirs)\s*\))?(?=\s+(?:and|that|which|with)\b|\s*$)/i,
		(_, place: string) => {
			onlyHere = true;
			return ` ${place} `;
		},
	);
	// "each directory", "every file": the singular after a universal quantifier is all of them.
	t = t.replace(
		/\b(?:each|every)\s+(?:(regular|normal|hidden|empty)\s+)?(file|directory|folder|link|symlink)\b(?!\s*(?:name|path)s?\b)/gi,
		(_, adj: string | undefined, noun: string) => {
			const plural = /y$/i.test(noun) ? `${noun.slice(0, -1)}ies` : `${noun}s`;
			return ` all ${adj ? `${adj} ` : ""}${plural} `;
		},
	);
	// "all directory list which have empty list": the folders are what is listed (find -type d -empty), not their files.
	t = t.replace(/\ball\s+(?:the\s+)?directory\s+list\b/gi, " all directories ");
	const asked = t;
	// "files/directories", "regular/normal files" look like paths; they say what is listed.
	let kind: "any" | "directory" | undefined;
	t = t.replace(BOTH, () => {
		kind = "any";
		return " files ";
	});
	t = t.replace(/\b(?:regular|normal|reguar)\s*\/\s*(?:regular|normal)\b/gi, " regular ");
	// "in the current directory and its sub-directories" says the search recurses (find's default), not that folders are listed.
	// "and all of it's sub-directories" the same, the apostrophe misplaced (blind48's 7320 had listed folders named MyProgram.c).
	t = t.replace(/\b(?:and|&)\s+(?:all\s+)?(?:of\s+)?(?:its\s+|it['’]s\s+|their\s+|the\s+)?sub-?(?:directories|directory|folders?|dirs)\b/gi, " ");
	// "Search the current directory and directories below for .sql files": the same said with "below" (blind58's 9204 had listed
	// folders named *.sql).
	t = t.replace(/\b(?:and|&)\s+(?:all\s+)?(?:the\s+)?(?:sub-?)?(?:directories|folders|dirs)\s+(?:below|beneath|under\s+it)\b/gi, " ");
	// "in all *.java (case insensitive) files": the bracket right after a glob says the name is matched ignoring case (find
	// -iname), not the text searched for (blind33's 5535 had made the text search case-insensitive instead).
	let globCase = false;
	t = t.replace(/(\*[\w.*{},-]*|\.\w{1,10})(\s+files?)?\s*\(\s*case[- ]insensitive\s*\)/gi, (_, glob: string, files?: string) => {
		globCase = true;
		return `${glob}${files ?? ""}`;
	});
	const ic = IGNORE_CASE.exec(t);
	if (ic) {
		// The glob's case and another said for the whole request: which part is meant is not said.
		if (globCase) return null;
		out.ignore_case = true;
		t = take(t, ic);
	}
	// A regular expression on whole paths, before it can be read as one on names or its "*" as a glob.
	const pathRe = PATH_REGEX.exec(t);
	if (pathRe) {
		const source = pathRe.slice(2, 7).find(x => x !== undefined)!;
		const unquoted = pathRe[6] !== undefined;
		if (unquoted || source.includes("/") || pathRe[7]) {
			const re = pathRegex(pathRe[1], source);
			if (re === null) return null;
			out.path_regex = re;
			t = take(t, pathRe);
		}
	}
	// A regular expression on names, before its "*" can be read as a glob.
	const nameRe = NAME_REGEX.exec(t);
	if (nameRe) {
		if (nameRe[5] && /paths?$/i.test(nameRe[5])) return null;
		const re = nameRegex(quoted(nameRe)!);
		if (re === null) return null;
		out.name_regex = re;
		t = take(t, nameRe);
	}
	// Endings negated, before NOT_THE_NAME reads "whose names are not ending ..." as a name "ending".
	const notNames = NOT_NAMES.exec(t);
	if (notNames) {
		const bare = notNames[notNames.length - 1];
		const ends = bare ? bare.split(/\s*(?:,|\bor\b|\bnor\b)\s*/) : [...notNames[0].matchAll(new RegExp(QUOTED, "g"))].map(q => quoted(q)!);
		const globs = ends.map(e => (e.startsWith("*") ? e : `*${e}`));
		// One ending inside another (".gz" or ".tar.gz"): "neither" and "not both" then differ; not read.
		const tails = globs.map(g => g.replace(/^\*+/, ""));
		if (!globs.length || globs.length > 10 || tails.some((a, i) => !a || tails.some((b, j) => i !== j && b.endsWith(a)))) return null;
		out.not_names = globs;
		t = take(t, notNames);
	}
	const notTheName = NOT_THE_NAME.exec(t);
	if (notTheName) {
		const n = notTheName.slice(1).find(x => x !== undefined && x !== notTheName.groups?.start)!;
		// "whose names do not begin with "zsh"": every name but those starting so (find ! -name 'zsh*').
		const re = globRegex(notTheName.groups?.start ? `${n}*` : n);
		if (re === null || out.name_regex !== undefined || (!quotedIn(notTheName[0], n) && FILLER.has(n.toLowerCase()))) return null;
		out.name_regex = `(?!(?:${re})$).*`;
		t = take(t, notTheName);
	}
	// Exclusions find prunes, before a place left out can be read as where to search: "excluding the folder proc", "except ./directory folder", "excluding the perl files".
	// "excluding the current folder" left over (another place searched): never a folder named "current"; the one call cannot say it.
	if (new RegExp(`\\b${LEAVE_OUT}\\s+(?:the\\s+)?(?:current|present|working)\\s+(?:folder|directory|dir)\\b`, "i").test(t)) return null;
	const exclude: string[] = [];
	// Absolute paths left out, made relative to the place searched once it is known.
	const below: string[] = [];
	const notHidden = NOT_HIDDEN.exec(t);
	if (notHidden) {
		// "Search the current directory recursively ..., skipping hidden files in the current directory": with the place already
		// said, a second place after "hidden files" leaves them out at that level only, not at every depth (exclude ".*");
		// the one call cannot say which, so the LLM answers. Said once ("excluding hidden files in /tmp") it is the place.
		const before = t.slice(0, notHidden.index);
		const placeAgain = /^\s*(?:in|of|at|from|under|within)\s/i.test(t.slice(notHidden.index + notHidden[0].length));
		if (placeAgain && /\b(?:current|present|working)\s+(?:directory|folder|dir)\b|\/|\brecursively\b/i.test(before)) return null;
		exclude.push(".*");
		t = take(t, notHidden);
	}
	const pathHas = PATH_HAS.exec(t);
	if (pathHas) {
		const words = [...pathHas[0].matchAll(new RegExp(QUOTED, "g"))].map(q => quoted(q)!);
		// "'/invalid_dir/' in the pathnames": a folder of that name at any depth and all below it (find ! -path '*/invalid_dir/*');
		// another slash in the text (a path's start or end) is not said as a glob here.
		if (words.some(w => w.includes("/") && !/^\/[\w.-]+\/$/.test(w))) return null;
		exclude.push(...words.map(w => (w.includes("/") ? `**${w}**` : `*${w}*`)));
		t = take(t, pathHas);
	}
	// "but ignore any file beginning with "autumn"": left out by the start of its name (exclude globs match base names).
	const leaveStarting = LEAVE_STARTING.exec(t);
	if (leaveStarting) {
		exclude.push(`${quoted(leaveStarting)}*`);
		t = take(t, leaveStarting);
	}
	// "except ".c" files": an extension quoted is that kind of file left out (*.c), as unquoted ("except .c files"); never a
	// file named ".c" (blind29's 5002 left out only that name: a wrong listing).
	t = t.replace(new RegExp(`\\b(${LEAVE_OUT})\\s+(?:all\\s+)?(?:the\\s+)?["'‘](\\.\\w{1,10})["'’]\\s+(?=files\\b)`, "gi"), "$1 $2 ");
	const exLike = EXCLUDE_LIKE.exec(t);
	if (exLike) {
		const items = [...exLike[1].matchAll(new RegExp(EX_ITEM, "g"))].map(i => i[0].replace(/^["'`‘]|["'`’]$/g, ""));
		// Globs only: "but names like foo" names nothing a pattern says.
		if (!items.every(i => /\*/.test(i))) return null;
		exclude.push(...items);
		t = take(t, exLike);
	}
	const exList = EXCLUDE_LIST.exec(t);
	if (exList) {
		const items = [...exList[1].matchAll(new RegExp(EX_ITEM, "g"))].map(i => anchored(i[0].replace(/^["'`‘]|["'`’]$/g, "")));
		exclude.push(...items);
		t = take(t, exList);
	}
	const bareDirs = EXCLUDE_BARE_DIRS.exec(t);
	const bareItems = bareDirs?.[1].split(/\s*,\s*|\s+(?:and\s+)?/).filter(Boolean) ?? [];
	// Names only, none a word the cover reads: "excluding those that are present in .git folder" and "except the hidden
	// and empty folders" say where or which kind, not which names; the phrases below read them.
	if (
		bareDirs &&
		bareItems.length > 1 &&
		!bareItems.some(i => FILLER.has(i.toLowerCase()) || /^(?:hidden|empty|those|ones|other|others|sub|present)$/i.test(i)) &&
		// A second leave-out word starts a second exclusion ("except .html, ignoring .svn directories"), not a name.
		!bareItems.some(i => new RegExp(`^${LEAVE_OUT}$`, "i").test(i))
	) {
		// "ignoring GIT and SVN directories": a version-control tool's folder by its own name (.git, .svn).
		exclude.push(...bareItems.map(i => VCS_DIR[i.toLowerCase()] ?? i));
		t = take(t, bareDirs);
	}
	// "exclude dir1 AND dir2" at the very end: folder names listed bare, no kind word after them.
	const endDirs = bareDirs ? null : new RegExp(`\\b${LEAVE_OUT}\\s+((?:[\\w.-]+\\s*,\\s*)*[\\w.-]+\\s*,?\\s+(?:and|AND|&)\\s+[\\w.-]+)\\s*$`, "i").exec(t);
	const endItems = endDirs?.[1].split(/\s*,\s*|\s+(?:and|&)\s+/i).filter(Boolean) ?? [];
	if (endDirs && !endItems.some(i => FILLER.has(i.toLowerCase()) || /^(?:hidden|empty|those|ones|other|others|sub|present|them|it)$/i.test(i))) {
		exclude.push(...endItems.map(i => VCS_DIR[i.toLowerCase()] ?? i));
		t = take(t, endDirs);
	}
	const exKinds = EXCLUDE_KINDS.exec(t);
	if (exKinds) {
		const kinds = exKinds[1].split(/\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s+/).filter(Boolean);
		exclude.push(...kinds.flatMap(k => (WORD_EXT[k.toLowerCase()] ?? k.toLowerCase().replace(/^\./, "")).split(",").map(e => `*.${e}`)));
		t = take(t, exKinds);
	}
	// "ignoring SVN and CVS files": two version-control tools' folders, left out as one is.
	const vcsList = new RegExp(
		`\\b${LEAVE_OUT}\\s+(?:the\\s+)?(svn|git|cvs|hg)\\s*(?:,\\s*|\\s+and\\s+|\\s+or\\s+)(svn|git|cvs|hg)\\s+(?:files|ones|folders|directories|dirs)\\b`,
		"i",
	).exec(t);
	if (vcsList) {
		exclude.push(VCS_DIR[vcsList[1].toLowerCase()], VCS_DIR[vcsList[2].toLowerCase()]);
		t = take(t, vcsList);
	}
	for (const m of t.matchAll(EXCLUDE)) {
		const what = m.slice(1).find(x => x !== undefined)!;
		// "excluding directories that are bigger than ...": a condition follows, not a name; left unexplained.
		if (FILLER.has(what.toLowerCase())) continue;
		const w = what.toLowerCase().replace(/^\./, "");
		const ext = WORD_EXT[w] ?? (EXTS.has(w) ? w : undefined);
		if (what.startsWith("/")) below.push(what);
		else if (/^\*/.test(what)) exclude.push(...what.split(/\s*,\s*(?:and\s+|or\s+)?/));
		// "except SVN ones", "ignoring .git path": the tool's folder; a name quoted ("in the path "git"") is that name as written.
		else if (VCS_DIR[w] && !quotedIn(m[0], what)) exclude.push(VCS_DIR[w]);
		else if (/["'`’]\s+files$/i.test(m[0])) exclude.push(what);
		else if (/(?:files|ones)$/i.test(m[0]))
			exclude.push(
				ext
					? ext
							.split(",")
							.map(e => `*.${e}`)
							.join("\n")
					: // An extension written with its dot ("excluding .ksh files") is one whatever it is; a bare unknown word is not.
						/\.\w+\s+(?:files|ones)$/i.test(m[0])
						? `*.${w}`
						: "",
			);
		// "except .html": a known extension said bare is its files (find ! -name '*.html'), unless a place word makes it a folder.
		else if (/^\.\w+$/.test(what) && EXTS.has(w) && !new RegExp(`${PLACE_WORD}$`, "i").test(m[0])) exclude.push(`*.${w}`);
		else exclude.push(anchored(what));
		t = t.replace(m[0], " ");
	}
	const notNamed = NOT_NAMED.exec(t);
	if (notNamed) {
		exclude.push(`*${notNamed.slice(1).find(x => x !== undefined)}*`);
		t = take(t, notNamed);
	}
	// Endings left out by name, folders so named still walked (find ! -name '*.exe' ! -name '*.dll'): not_names, as NOT_NAMES
	// reads them since round 45; exclude would prune a folder named "x.exe" with all below it (round 53).
	const notEnding = NOT_ENDING.exec(t);
	if (notEnding) {
		const bare = notEnding[notEnding.length - 1];
		const ends = bare ? [bare] : [...notEnding[0].matchAll(new RegExp(QUOTED, "g"))].map(q => quoted(q)!);
		const globs = [...new Set([...(out.not_names ?? []), ...ends.map(e => (e.startsWith("*") ? e : `*${e}`))])];
		if (ends.some(e => !e) || globs.length > 10) return null;
		out.not_names = globs;
		t = take(t, notEnding);
	}
	if (exclude.some(e => !e)) return null;
	// "excluding the directories share and those starting with 10_Recommended": more left out than one phrase says.
	if (exclude.length && /\b(?:and|or)\s+those\b/i.test(t)) return null;
	if (exclude.length) out.exclude = exclude.flatMap(e => e.split("\n"));
	// find -path said in words, once the exclusions have taken "excluding those whose paths contain ...".
	const pathGlob = PATH_GLOB.exec(t);
	if (pathGlob) {
		if (out.path_regex !== undefined) return null;
		const glob = globRegex(
			pathGlob.slice(2).find(x => x !== undefined)!,
			true,
		);
		if (glob === null) return null;
		const how = (pathGlob[1] ?? "").toLowerCase();
		out.path_regex = /^contain/.test(how) ? `.*${glob}.*` : /^end/.test(how) ? `.*${glob}` : /^(?:start|begin)/.test(how) ? `${glob}.*` : glob;
		t = take(t, pathGlob);
	}
	const pathHasWord = PATH_HAS_WORD.exec(t);
	if (pathHasWord) {
		const glob = globRegex(quoted(pathHasWord)!, true);
		if (glob === null || out.path_regex !== undefined) return null;
		out.path_regex = `.*${glob}.*`;
		t = take(t, pathHasWord);
	}
	// "search for the directory "mysql" in the /etc folder": a folder's name to find, before it can be read as where to search.
	const dirNamed = new RegExp(
		`^\\s*(?:please\\s+)?(?:search\\s+for|find|locate|look\\s+for)\\s+(?:the\\s+|a\\s+)?(?:directory|folder)\\s+${QUOTED}`,
		"i",
	).exec(t);
	let dirName: string | undefined;
	if (dirNamed) {
		dirName = quoted(dirNamed);
		t = take(t, dirNamed);
	}
	// A file whose time is the bound, taken before its path can be read as where to search.
	// "modified after /tmp/start and before /tmp/end": the second bound says its verb once.
	t = t.replace(/\b((?:modified|changed)\s+(?:after|before)\s+\S+)\s+and\s+(after|before)\b/i, "$1 and modified $2");
	for (let m = THAN_FILE.exec(t); m; m = THAN_FILE.exec(t)) {
		const file = filePath(quoted(m, 3) ?? m[7] ?? m[8]);
		// "newer than 'Apr 18 23:59:59 EDT 2013'" is a time, not a file: find -newermt, which newer_than (a file) cannot say.
		if (DATE_LIKE.test(file)) return null;
		// "not newer than F" is find ! -newer F, what older_than says; "not older than F" is newer_than.
		const [negated, word] = [/^not\s/i.test(m[2] ?? ""), (m[1] ?? m[2]).replace(/^not\s+/i, "")];
		const key = /^(?:after|newer)$/i.test(word) !== negated ? "newer_than" : "older_than";
		if (out[key] !== undefined) return null;
		out[key] = file;
		t = take(t, m);
	}
	// "modified from 2014-08-25 until 2014-08-26" (written so above): the days' starts as the two bounds.
	const dayRange =
		/\b(?:(?:that|which)\s+(?:were|was|have\s+been|has\s+been)\s+)?(?:last\s+)?(?:modified|changed)\s+from\s+(\d{4})-(\d{2})-(\d{2})\s+until\s+(\d{4})-(\d{2})-(\d{2})\b/i.exec(
			t,
		);
	if (dayRange) {
		const [a, b] = [dayRange.slice(1, 4).join("-"), dayRange.slice(4, 7).join("-")];
		if (!(a < b) || isNaN(Date.parse(a)) || isNaN(Date.parse(b))) return null;
		[out.modified_from_date, out.modified_before_date] = [a, b];
		t = take(t, dayRange);
	}
	const monthYear = MONTH_YEAR.exec(t);
	if (monthYear) {
		const month = MONTHS.indexOf(monthYear[2].slice(0, 3).toLowerCase());
		const year = Number(monthYear[3]);
		const [from, before] = monthYear[1]
			? (["accessed_from_date", "accessed_before_date"] as const)
			: (["modified_from_date", "modified_before_date"] as const);
		out[from] = isoDay(new Date(Date.UTC(year, month, 1)));
		out[before] = isoDay(new Date(Date.UTC(year, month + 1, 1)));
		t = take(t, monthYear);
	}
	const calendar = CALENDAR.exec(t);
	if (calendar) {
		const day = calendarDay(calendar, new Date().getFullYear());
		if (!day) return null;
		const when = calendar[2].toLowerCase();
		// "accessed on the 29th of September, 2008": the same day bounds on the access time (find -newerat).
		const [from, before] = calendar[1]
			? (["accessed_from_date", "accessed_before_date"] as const)
			: (["modified_from_date", "modified_before_date"] as const);
		if (when !== "before") out[from] = isoDay(when === "after" ? nextDay(day) : day);
		if (when === "on") out[before] = isoDay(nextDay(day));
		if (when === "before") out[before] = isoDay(day);
		t = take(t, calendar);
	}
	// The current directory as one of several places ("in current directory and /home/www directory", "in /tmp and the
	// current folder"): written "./" so the place lists below take it like any path; alone it stays a phrase for WHERE.
	const HERE = "(?:the\\s+)?(?:current|present)\\s+(?:working\\s+)?(?:directory|folder|dir)";
	t = t
		.replace(new RegExp(`\\b(?<=\\b(?:in|under|from|within|inside)\\s+)${HERE}(?=\\s+(?:and|&)\\s+(?:the\\s+)?["'‘]?[~.$\\w-]*\\/)`, "i"), "./")
		.replace(new RegExp(`(?<=\\b(?:in|under|from|within|inside)\\s+["'‘]?[~.$\\w-]*\\/[~./$\\w-]*["'’]?\\s+(?:and|&)\\s+)${HERE}\\b`, "i"), "./");
	// "display all the files in the folder a": a one-letter name after the folder word, ending its clause, is the folder "a"
	// (find a), not an article; written "a/" so the places below take it. "in a folder", "in the a directory" stay any folder.
	t = t.replace(
		/\b(in|under|from|within|inside)\s+(?:the\s+)?(?:folder|directory|dir)\s+a(?=\s*$|\s*,|\s+(?:which|that|and|with|whose|modified|changed|accessed|excluding|except|recursively)\b)/i,
		"$1 a/",
	);
	for (const re of PLACES) {
		const m = outsideQuotes(re, t);
		if (!m) continue;
		const items = m[1].split(/\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+|\s+/).map(i => i.replace(/^["'‘]|["'’]$/g, ""));
		if (items.some(i => !i || /[*?]/.test(i) || NOT_A_DIR.test(i) || pathTokens(i).some(p => p.kind === "file"))) return null;
		where = items[0];
		out.paths = items.slice(1).map(dirPath);
		t = take(t, m);
		break;
	}
	for (const [re, value] of WHERE) {
		if (out.paths) break;
		const m = outsideQuotes(re, t);
		if (!m) continue;
		const w = value(m);
		// A folder pattern ("logs/2024-06-1*/") is a set of folders: search_text's glob, not a place to start;
		// a file ("... in /root/big.txt file") is where output is written, not where to search.
		if (/[*?]/.test(w) || pathTokens(w).some(p => p.kind === "file")) return null;
		// A quoted name is a folder's name, whatever word it is: "in the "A" directory tree" (blind52's 9194 had searched ".").
		if (NOT_A_DIR.test(w) && !quotedIn(m[0], w)) {
			// "in specfied directory" (any folder, said generally), "under the currently directory" (current, misspelt).
			if (/^(a|certain|specific|specified|specfied|given|currently)$/i.test(w)) {
				t = take(t, m);
				where = where ?? ".";
			}
			continue;
		}
		if (where !== undefined && where !== w) return null;
		where = w;
		t = take(t, m);
		// A second place of the same kind ("in /mydir1 and /mydir2") is two searches.
		const again = outsideQuotes(re, t);
		if (again && value(again) !== w && !NOT_A_DIR.test(value(again))) return null;
	}
	// "in a folder", "in specified directory": any folder, said generally.
	t = t.replace(/\b(?:in|under)\s+(?:a|specfied|specified|the\s+specified|a\s+certain)\s+(?:folder|directory|dir|path)\b/i, () => {
		where = where ?? ".";
		return " ";
	});
	if (where !== undefined) out.path = dirPath(where);
	for (const b of below) {
		// find -path /root/work -prune under /root: "work" at the top of the search only; anything not below it refuses.
		const root = (out.path ?? "").replace(/\/$/, "");
		if (!root.startsWith("/") || !b.startsWith(`${root}/`)) return null;
		const rest = b.slice(root.length + 1).replace(/\/\*?$/, "");
		if (!rest || /[*?]/.test(rest)) return null;
		// "X/*" leaves out what is in X, not X itself (find -path 'X/*').
		out.exclude = [...(out.exclude ?? []), b.endsWith("/*") ? `${rest}/**` : `${rest}{,/**}`];
	}

	if (lsContent) {
		kind = "any";
		if (!/\brecursive(?:ly)?\b/i.test(t)) out.max_depth = 1;
	}
	const nonRec = NON_RECURSIVE.exec(t);
	if (onlyHere) out.max_depth = 1;
	if (nonRec) {
		out.max_depth = 1;
		t = take(t, nonRec);
	}
	const andDown = AND_LEVELS_DOWN.exec(t);
	if (andDown) {
		if (out.max_depth !== undefined) return null;
		out.max_depth = num(andDown[1]) + 1;
		t = take(t, andDown);
	}
	const levels = LEVELS.exec(t);
	if (levels) {
		out.max_depth = num(levels[1] ?? levels[2]);
		t = take(t, levels);
	}
	// After MIN_LEVELS has taken "minimum depth of N".
	const maxDepth = MIN_LEVELS.test(t) ? null : MAX_DEPTH.exec(t);
	if (maxDepth) {
		if (out.max_depth !== undefined) return null;
		out.max_depth = Number(maxDepth[1]);
		t = take(t, maxDepth);
	}
	const notBeyond = NOT_BEYOND.exec(t);
	if (notBeyond) {
		if (out.max_depth !== undefined) return null;
		out.max_depth = num(notBeyond[1]);
		t = take(t, notBeyond);
	}
	const atLevel = AT_LEVEL.exec(t);
	if (atLevel) {
		if (out.max_depth !== undefined) return null;
		const ordinal = atLevel.slice(4, 8).find(x => x) ?? ORDINAL[atLevel[0].match(/first|second|third/i)?.[0].toLowerCase() ?? ""];
		out.min_depth = out.max_depth = num(atLevel[1] ?? atLevel[2] ?? atLevel[3] ?? String(ordinal));
		t = take(t, atLevel);
	}
	const minLevels = MIN_LEVELS.exec(t);
	if (minLevels) {
		// find's depth 1 is the entries of the start itself: "at least 1 level deep" is -mindepth 1 as NL2Bash writes it.
		out.min_depth = num(minLevels[1] ?? minLevels[2]);
		t = take(t, minLevels);
	}
	const range = LEVEL_RANGE.exec(t);
	if (range) {
		if (out.max_depth !== undefined || out.min_depth !== undefined) return null;
		[out.min_depth, out.max_depth] = [Number(range[1]), Number(range[2])];
		t = take(t, range);
	}
	const presentation = t.match(PRESENTATION);
	if (presentation) t = t.replace(PRESENTATION, " ");
	const first = FIRST_N.exec(t);
	if (first) {
		out.max_results = num(first[1] ?? first[2]);
		t = take(t, first);
	}
	// "'dead' symbolic links": said before a quoted word can be read as a string to search for.
	const broken = BROKEN.exec(t);
	if (broken) t = take(t, broken);
	// Permission bits said in words ("executable by all", "that don't have 644 permissions"): before the exact mode below reads "644 permissions".
	const perms = permissionPhrases(t);
	if (!perms) return null;
	Object.assign(out, perms.args);
	t = perms.rest;

	// A line pattern is a regular expression only at the ends: search_text takes it so; find_files' contains is exact text.
	let lineRegex = false;
	if (contains === undefined) {
		const m = LINE_PATTERN.exec(t);
		if (m) {
			const term = m.slice(2).find(x => x !== undefined)!;
			contains = m[1] ? (/^end/i.test(m[1]) ? `${escapeRegExp(term)}$` : `^${escapeRegExp(term)}`) : term;
			lineRegex = m[1] !== undefined;
			t = take(t, m);
		}
	}
	if (contains === undefined) {
		const lines = LINES_CONTAINING.exec(t);
		const word = lines ? null : WORD_CONTENT.exec(t);
		const m = lines ?? word;
		if (
			m &&
			!FILLER.has(
				m
					.slice(1)
					.find(x => x !== undefined)!
					.toLowerCase(),
			)
		) {
			contains = m.slice(1).find(x => x !== undefined);
			t = take(t, m);
		}
	}
	if (contains === undefined) {
		const c = CONTENT.exec(t);
		if (c) {
			contains = quoted(c) ?? c.slice(6).find(x => x !== undefined);
			// "for the regex 'x'": a regular expression, as above.
			if (contains !== undefined && /\b(?:regex|regular\s+expression)\s+\S/i.test(c[0])) {
				const re = contentRegex(c[0], contains);
				if (re === null) return null;
				[contains, contentIsRegex] = [re, true];
			}
			t = take(t, c);
		}
	}

	// "display all files ending with "~" or "#" using regular expression": how the name is matched, not another condition.
	// With no name said ("search for files using regular expressions") the pattern is left to the asker: not answered.
	const usingRegex = /\b(?:using|with)\s+(?:a\s+|the\s+)?(?:regular\s+expressions?|regexp?(?:es|s)?)(?=[\s,.]|$)/i.exec(t);
	if (usingRegex) t = take(t, usingRegex);
	// Names.
	let name: string | undefined = dirName;
	/**
	 * A second name condition ("*.txt, *.html files ... that match the pattern *company* in their names", "text files
	 * ... which have spaces in their names"): both must hold (find -name A -name B), one as the name, the other as a name
	 * regex. False when that cannot be said (a regex already, a glob with braces both times).
	 */
	const andName = (next: string): boolean => {
		// An "or" anywhere may join the two ("the ".class" files or files ending with jar"): either, not both; not answered.
		if (out.name_regex !== undefined || name === undefined || /\bor\b/i.test(asked)) return false;
		const first = globRegex(name);
		const [keep, re] = first !== null ? [next, first] : [name, globRegex(next)];
		if (re === null) return false;
		name = keep;
		out.name_regex = re;
		return true;
	};
	if (dirName) kind = kind ?? "directory";
	for (const [re, glob, searchOnly] of NAME_PATTERNS) {
		if (searchOnly && !SEARCHING.test(request)) continue;
		const m = re.exec(t);
		if (!m) continue;
		const n = m.slice(1).find(x => x !== undefined);
		// A bare "the" or "a" is an article; quoted ('a', 'b', or 'c') it is a name.
		const quotedName = new RegExp(`["'\`‘]${n?.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["'\`’]`).test(m[0]);
		if (!n || (/^(the|a|an|word|letters?)$/i.test(n) && !quotedName)) continue;
		// "whose file name is of length 1": a bare function word is not a name.
		if (!quotedName && FILLER.has(n.toLowerCase())) return null;
		// A second one only when said of names ("in their names", "whose names", "the pattern"): "the folder named Y" is a place.
		if (name) {
			if (!/\bnames?\b|\bpattern\b/i.test(m[0]) || !andName(glob(n, m))) return null;
		} else name = glob(n, m);
		t = take(t, m);
	}
	const hasChar = HAS_CHAR.exec(t);
	if (hasChar) {
		const has = `*${NAME_CHAR[(hasChar[1] ?? hasChar[2]).toLowerCase()]}*`;
		if (name) {
			if (!andName(has)) return null;
		} else name = has;
		t = take(t, hasChar);
	}
	// "all the findme.txt files", "`readme.txt' files": every file of that name; not the tail of a glob ("*.tar.gz files",
	// "*.min.js files": the glob below reads it whole).
	// The same with folders: "all 'test' directories" are folders named test.
	// A dotted name before a folder noun is a folder's name: ".git directories".
	const namedFiles = new RegExp(
		`(?:${QUOTED}|(?<![*.])\\b([\\w-]+\\.[A-Za-z0-9]{1,6})|(?<![\\w.])(\\.[\\w-]+)(?=\\s+(?:directories|folders|dirs)\\b))\\s+(?:files|directories|folders|dirs)\\b`,
		"i",
	).exec(t);
	// '".c" files' (and '".c" and ".h" files') are files of a type: the type lists below read them. So are a language's
	// and a one-letter extension's, quoted without the dot: 'the "C" files', '"Python" files'.
	const namedWord = namedFiles?.slice(1).find(x => x !== undefined);
	const typeWord = namedWord !== undefined && (WORD_EXT[namedWord.toLowerCase()] !== undefined || /^[ch]$/i.test(namedWord));
	if (namedFiles && !typeWord && !/^\*/.test(namedFiles[0]) && (!/^\.\w+$/.test(namedWord!) || !/files$/i.test(namedFiles[0]))) {
		if (name) return null;
		name = namedFiles.slice(1).find(x => x !== undefined)!;
		if (!/files$/i.test(namedFiles[0])) {
			if (kind === "any") return null;
			kind = "directory";
		}
		// "tar.gz files" are files of a two-part extension, not files named tar.gz.
		if (/^(?:tar|[a-z0-9]{1,5})\.(?:gz|bz2|xz|zst|z)$/i.test(name) && (EXTS.has(name.split(".")[0].toLowerCase()) || /^tar\./i.test(name)))
			name = `*.${name}`;
		t = take(t, namedFiles);
	}
	// Globs written out: "*.txt", "*blast*", "fglrx-libGL*".
	// "that match "*foo"", "matching either pattern "*.rb" or pattern "*.py"": the glob says it all.
	t = t.replace(/\b(?:that\s+|which\s+)?match(?:es|ing)?\s+(?:either\s+)?(?:(?:of\s+)?the\s+)?(?:patterns?\s+)?(?=["'`]?[\w.-]*\*)/gi, " ");
	// "with pattern *.c", "using the name pattern '*.txt'", "like '*.log'": words that only introduce the glob.
	t = t.replace(/\b(?:with|using|by)\s+(?:the\s+|a\s+)?(?:name\s+|file\s*name\s+)?pattern`?\s+(?=["'`]?[\w.-]*\*)|\blike\s+(?=["'`][\w.-]*\*)/gi, " ");
	// A product of numbers ("7*24 hours", "10 * 1024") is arithmetic, not a glob.
	// A shell variable in it ("$tofind*") stays as written, like a variable place ("$dir"): dropping the `$` names other files.
	// A bracket class after the star ("*.[ch]", blind50's 9249) is part of the glob, as find -name reads it.
	const globs = [...t.matchAll(/(?<![\w/$])(["'`]?)(\$?[\w.-]*\*(?:[\w.*-]|\[\w{1,20}\])*)\1(?=[\s,]|$)/g)].filter(g => !/^(?:\d+(?:\*\d+)+|\*)$/.test(g[2]));
	// Each glob leaves a mark, so that only the "or"s and "and"s between globs go with them ("*.rb" or "*.py").
	for (const g of globs) t = t.replace(g[0], " \uE000 ");
	t = t.replace(/\uE000(?:\s*(?:,|\bor\b|\band\b)\s*(?:(?:the\s+)?pattern\s+)?\uE000)*/g, " ");
	const globNames = globs.map(g => g[2]);
	if (globNames.length) {
		const simple = globNames.every(g => /^\*\.\w+$/.test(g));
		const written = globNames.length === 1 ? globNames[0] : simple ? `*.{${globNames.map(g => g.slice(2)).join(",")}}` : `{${globNames.join(",")}}`;
		if (name) {
			if (!andName(written)) return null;
		} else name = written;
	}
	const exts: string[] = [];
	for (const m of t.matchAll(TYPED)) {
		const items = m[1].split(/\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+/);
		// ".proto files" names its extension; a bare word ("old files") only when it is a known one.
		const extOf = (item: string) => {
			const e = item.replace(/["'*]/g, "").replace(/^\./, "").toLowerCase();
			// An extension written with its dot is a name as written: ".VER files" are *.VER (find -name is case-sensitive).
			if (/^\W*\.[A-Za-z0-9]*[A-Z]/.test(item)) return item.replace(/["'*]/g, "").replace(/^\./, "");
			return WORD_EXT[e] ?? (EXTS.has(e) || /^\W*\./.test(item) ? e : undefined);
		};
		// In "the folder and pdf files" only the last word is a type: the list is what is known from its end.
		let from = items.length;
		while (from > 0 && extOf(items[from - 1])) from--;
		if (from === items.length) continue;
		for (const item of items.slice(from)) exts.push(...extOf(item)!.split(","));
		const at = from === 0 ? 0 : m[0].lastIndexOf(items[from]);
		t = t.replace(m[0], `${m[0].slice(0, at)} files `);
	}
	// "the C files or Python files": one list of types, said with the noun twice.
	if (exts.length > 1) t = t.replace(/\bfiles\s*(?:,|\bor\b|\band\b)\s*(?=files\b)/gi, " ");
	const extList = EXT_LIST.exec(t);
	if (extList && (extList[1] || extList[3])) {
		const items = extList[2].split(/\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+/);
		// Extensions are written all with their dots or all without ("c or asm"); a bare word after dotted ones (".c, .h, ...,
		// and name") is another word (blind38's 6006 had searched *.{c,h,name}).
		if (items.some(e => /\./.test(e)) && items.some(e => !/\./.test(e))) return null;
		exts.push(...items.map(e => e.replace(/["'‘’.]/g, "").toLowerCase()));
		t = take(t, extList);
	}
	const withExt = WITH_EXT.exec(t);
	if (withExt) {
		exts.push(withExt[1].toLowerCase(), ...(withExt[2].match(/\.[A-Za-z0-9]+/g) ?? []).map(e => e.slice(1).toLowerCase()));
		t = take(t, withExt);
	}
	if (exts.length) {
		const extGlob = exts.length > 1 ? `*.{${[...new Set(exts)].join(",")}}` : `*.${exts[0]}`;
		const simple = name && /^\*\.(?:\w+|\{[\w,]+\})$/.exec(name);
		const written = simple ? name!.slice(2).replace(/[{}]/g, "").split(",") : [];
		// A kind that only glosses the glob written ("the *.pl files (Perl files)", "headers file *.h"): the glob says which
		// extensions; the kind's other ones (.pm, .hpp) were not asked for.
		const glossed = written.length > 0 && written.every(e => exts.includes(e.toLowerCase()));
		if (glossed) {
			// name stays the glob written
		} else if (!name) name = extGlob;
		else if (simple) name = `*.{${[...name.slice(2).replace(/[{}]/g, "").split(","), ...exts].join(",")}}`;
		else if (/^[^*?]+\*$/.test(name) && exts.length === 1) name = `${name}.${exts[0]}`;
		else if (!andName(extGlob)) return null;
	}
	// find -name matches a name, never a path: "whose paths start with './sr'" is not a name condition.
	if (name?.includes("/")) return null;
	if (usingRegex && !name && out.name_regex === undefined) return null;
	// "called ' backup '": spaces inside the quotes are how the line was typed, not part of the name (8849, 11075).
	if (name && name.trim() && name.trim() !== name && !/^\s*\*|\*\s*$/.test(name)) name = name.trim();
	if (name) out.name = name;

	if (fsTypes.length) out.fs_types = [...new Set(fsTypes)];
	if (showTimes.length) out.show_times = [...new Set(showTimes)];
	if (afterFile.length > 1) return null;
	for (const [key, file] of afterFile) out[key] = file;
	// "files ... on ext3 file systems" with no place said: wherever such file systems are mounted, so from the root.
	if (fsTypes.length && out.path === "." && !/\b(?:current|present|working|this)\s+(?:dir|directory|folder)\b|\bhere\b|(?:^|\s)\.\/?(?=\s|$)/i.test(request))
		out.path = "/";
	const oneFileSystem = ONE_FILE_SYSTEM.exec(t);
	if (oneFileSystem) {
		out.one_file_system = true;
		t = take(t, oneFileSystem);
	}
	const inode = INODE.exec(t);
	if (inode) {
		out.inode = Number(inode[1]);
		t = take(t, inode);
	}
	const sameFile = SAME_FILE.exec(t);
	if (sameFile) {
		// "hard links to file1": find's "files" is then every entry, its kind said by nothing else.
		out.same_file = filePath(sameFile.slice(1).find(x => x !== undefined)!);
		t = take(t, sameFile);
	}
	const linkCount = LINK_COUNT.exec(t);
	if (linkCount) {
		const g = linkCount.groups as Record<string, string | undefined>;
		// "that have one link": exactly one (find -links 1).
		const n = num(g.n ?? g.n2 ?? g.n3 ?? "2");
		const cmp = (g.cmp ?? "").toLowerCase().replace(/\s+/g, " ");
		if (g.hard) out.min_links = 2;
		else if (cmp === "more than" || cmp === "over") out.min_links = n + 1;
		else if (cmp === "at least") out.min_links = n;
		else if (cmp === "less than" || cmp === "fewer than") {
			if (n <= 1) return null;
			out.max_links = n - 1;
		} else if (cmp === "at most") out.max_links = n;
		else [out.min_links, out.max_links] = [n, n];
		t = take(t, linkCount);
	}
	// Before "symlinks" can be read as what is listed.
	const follow = FOLLOW_LINKS.exec(t);
	if (follow) {
		out.follow_links = true;
		t = take(t, follow);
	}
	// "character devices", "block special files" ("spacial" as typed), "socket files", "named pipes": that kind of entry
	// (find -type c, b, s, p; 4030, 342, 7976, 8849), read out before the other phrases (said as files there).
	const special = specials.length > 0;
	if (special) {
		if (new Set(specials).size > 1 || kind || LINKS.test(t) || DIRS.test(t)) return null;
		out.type = specials[0];
	}
	const links = special ? null : LINKS.exec(t);
	if (links) {
		// Links and folders (or "files/directories") in one ask are two kinds of entry: not one find_files type.
		if (kind || DIRS.test(take(t, links))) return null;
		out.type = "symlink";
		if (broken) out.broken = true;
		t = take(t, links).replace(new RegExp(LINKS.source, "gi"), " ");
	} else if (broken) return null;
	if (out.type === "symlink" || special) {
		// set above
	} else if (kind) out.type = kind;
	else if (FILES_IN_DIRS.test(t)) {
		// "*log files in directories at most three levels down": files are listed, the folders only say how deep.
		t = t.replace(FILES_IN_DIRS, " ");
	} else if (DIRS.test(t)) {
		out.type = "directory";
		t = t.replace(new RegExp(DIRS.source, "gi"), " ");
	}

	const twoBounds = WITHIN_BUT_NOT.exec(t);
	if (twoBounds) {
		const g = twoBounds.groups as Record<string, string | undefined>;
		const [within, nearer] = [spanDays(g.n, g.unit!), spanDays(g.n2, g.unit2!)];
		// The negated span must be the nearer one, or nothing is left between them.
		if (nearer >= within) return null;
		const [beforeKey, withinKey] = timeKeys(g.verb);
		[out[withinKey], out[beforeKey]] = [within, nearer];
		t = take(t, twoBounds);
	}
	const span = RANGE_SPAN.exec(t);
	if (span) {
		const g = span.groups as Record<string, string | undefined>;
		const verb = g.verb ?? g.verb2;
		// With no verb, only an age ("... old", "... ago") says it is a time of the files at all.
		if (!verb && !/old|ago|back/i.test(`${g.aEnd ?? ""}${g.bEnd ?? ""}`)) return null;
		const [near, far] = g.a ? [spanDays(g.a, g.unit!), spanDays(g.b!, g.unit!)] : [spanDays(g.a2!, g.ua!), spanDays(g.b2!, g.ub!)];
		if (g.gloss && Math.abs(spanDays(g.gloss, g.ug!) - near) > 1e-9) return null;
		if (!(near < far)) return null;
		const [beforeKey, withinKey] = timeKeys(verb);
		if (out[beforeKey] !== undefined || out[withinKey] !== undefined) return null;
		[out[beforeKey], out[withinKey]] = [near, far];
		t = take(t, span);
	}
	for (const [re, kind] of TIMES) {
		const m = re.exec(t);
		if (!m) continue;
		const { verb = "modified", n, unit } = m.groups as Record<string, string | undefined>;
		const days = spanDays(n, unit!);
		const key = timeKeys(verb)[kind === "before" ? 0 : 1];
		if (out[key]) return null;
		out[key] = days;
		t = take(t, m);
	}
	for (const re of [AGE_OLD, SINCE_SPAN]) {
		const m = re.exec(t);
		if (!m) continue;
		const g = m.groups as Record<string, string | undefined>;
		const n = g.n ?? g.n2;
		const days = spanDays(n, (g.unit ?? g.unit2)!);
		const key = g.more ? "modified_before_days" : "modified_within_days";
		if (out[key] !== undefined) return null;
		out[key] = days;
		t = take(t, m);
	}
	const today = TODAY.exec(t);
	if (today) {
		// "accessed today" (find -daystart -atime 0) bounds the access time, the rest the modification time.
		const key = today[1] ? "accessed_within_days" : "modified_within_days";
		if (out[key] !== undefined) return null;
		out.daystart = true;
		out[key] = 1;
		t = take(t, today);
	}
	const yesterday = YESTERDAY.exec(t);
	if (yesterday) {
		if (out.modified_within_days !== undefined || out.modified_before_days !== undefined) return null;
		out.daystart = true;
		out.modified_within_days = 2;
		// "yesterday or later" is since yesterday's start; "yesterday" alone ends at today's.
		if (!yesterday[1]) out.modified_before_days = 1;
		t = take(t, yesterday);
	}
	const dayBefore = DAY_BEFORE_YESTERDAY.exec(t);
	if (dayBefore) {
		if (out.modified_within_days !== undefined || out.modified_before_days !== undefined) return null;
		out.daystart = true;
		out.modified_within_days = 3;
		out.modified_before_days = 2;
		t = take(t, dayBefore);
	}
	const between = BETWEEN_AGO.exec(t);
	const exact = between ? null : (EXACT_AGO.exec(t) ?? TIME_IS_AGO.exec(t));
	for (const m of [between, exact]) {
		if (!m) continue;
		const g = m.groups as Record<string, string | undefined>;
		// find -atime N the same way: "accessed exactly 10 minutes ago".
		const [before, within] = timeKeys(g.verb);
		if (out[before] !== undefined || out[within] !== undefined) return null;
		const unit = unitDays((g.unit ?? g.unit2)!);
		const n = g.n ?? g.n2;
		const [lo, hi] = m === between ? [Number(g.a ?? g.a2), Number(g.b)].sort((x, y) => x - y) : [num(n!), num(n!) + 1];
		const ua = g.ua ?? g.ua2;
		const loUnit = m === between && ua ? unitDays(ua) : unit;
		out[before] = lo * loUnit;
		out[within] = hi * unit;
		t = take(t, m);
	}
	const dayNote = DAYSTART_NOTE.exec(t);
	if (dayNote) {
		// "(from the start of the day)" says how the days above are counted; with none it explains nothing.
		if (out.modified_within_days === undefined && out.modified_before_days === undefined) return null;
		if (!out.daystart && [out.modified_within_days, out.modified_before_days].some(d => d !== undefined && !Number.isInteger(d))) return null;
		out.daystart = true;
		t = take(t, dayNote);
	}
	const mode = MODE_EXACT.exec(t);
	if (mode) {
		out.permissions = (mode[1] ?? mode[2] ?? mode[3]).replace(/^0(?=[0-7]{3}$)/, "");
		t = take(t, mode);
	}
	for (const [re, bits] of MODE_ANY) {
		const m = re.exec(t);
		if (!m) continue;
		// "Sticky Bit set files whose permission are 551": the special bit and the exact mode are one mode (find -perm 1551; 8447,
		// 9232). Only one bit with a three-digit mode; anything else stays refused.
		if (out.permissions?.length === 3 && !out.permissions_any && !out.permissions_all && /^[124]000$/.test(bits)) {
			out.permissions = `${bits[0]}${out.permissions}`;
			t = take(t, m);
			continue;
		}
		if (out.permissions_any || out.permissions || out.permissions_all) return null;
		out.permissions_any = bits;
		t = take(t, m);
	}
	if (HIDDEN.test(t)) {
		if (out.name) return null;
		out.name = ".*";
		t = t.replace(HIDDEN, " ");
	}
	const betweenSize = BETWEEN_SIZE.exec(t);
	if (betweenSize) {
		const unit = unitBytes(betweenSize[4]);
		out.min_bytes = Math.round(Number(betweenSize[1]) * (betweenSize[2] ? unitBytes(betweenSize[2]) : unit));
		out.max_bytes = Math.round(amount(betweenSize[3]) * unit);
		t = take(t, betweenSize);
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
	const exactSize = EXACT_SIZE.exec(t) ?? SIZE_ADJECTIVE.exec(t);
	if (exactSize) {
		if (out.min_bytes !== undefined || out.max_bytes !== undefined) return null;
		const unit = unitBytes(exactSize[2]);
		const n = amount(exactSize[1]);
		// "0k" is nothing at all (find -size 0k), not a negative bound.
		out.min_bytes = unit === 1 ? n : Math.max(0, Math.round((n - 1) * unit) + 1);
		out.max_bytes = Math.round(n * unit);
		t = take(t, exactSize);
	}
	// "non-empty files": files of at least one byte (find -type f ! -empty); a folder's emptiness is not a size.
	// "files ... which are not empty" (blind50's 9105) the same, said after; folders' emptiness stays refused (type set).
	const nonEmpty =
		/\bnon[- ]?empty\s+(?=(?:regular\s+|normal\s+)?files\b)/i.exec(t) ?? (/\bfiles\b/i.test(t) ? /\b(?:which|that)\s+are\s+not\s+empty\b/i.exec(t) : null);
	if (nonEmpty) {
		if (out.type !== undefined || out.min_bytes !== undefined) return null;
		out.min_bytes = 1;
		t = take(t, nonEmpty);
	}
	const empty = EMPTY.exec(t);
	if (empty) {
		out.empty = true;
		t = take(t, empty).replace(EMPTY, " ");
	}
	const notOwner = NOT_OWNER.exec(t);
	if (notOwner) {
		const who = notOwner.slice(1).find(x => x !== undefined)!;
		// A kind word or an article is not a user's name ("not owned by the group").
		if (!quotedIn(notOwner[0], who) && FILLER.has(who.toLowerCase())) return null;
		out.not_owner = who;
		t = take(t, notOwner);
	}
	const unowned = UNOWNED.exec(t);
	if (unowned) {
		const [first, joint, second] = unowned[1] ? unowned.slice(1, 4) : unowned.slice(4, 7);
		const [a, b] = [unownedOf(first), second ? unownedOf(second) : undefined];
		out.unowned = !b || a === b ? a : joint.toLowerCase() === "or" ? "either" : "both";
		t = take(t, unowned);
	}
	// The group first: "owned by the group staff" is not an owner named "the".
	const group = GROUP.exec(t);
	if (group) {
		out.group = group.slice(1).find(x => x !== undefined);
		t = take(t, group);
	}
	// "owned by the root user": the user named before its noun, as "owned by user root".
	t = t.replace(
		/\bowned\s+by\s+(?:the\s+)?(?!(?:the|user|no|any|a|an|some|every|each|that|this|which|another|other|same)\s)([a-z_][\w-]*)\s+user\b/i,
		"owned by user $1",
	);
	// "owned by user rooter or by user www-data": either user (find \( -user rooter -o -user www-data \); blind62's 11013).
	// Only each name after its "user", so no other condition is joined by the "or".
	const owners =
		/\bowned\s+by\s+(?:the\s+)?user\s+([a-z_][\w-]*)\s+or\s+(?:by\s+)?(?:the\s+)?user\s+([a-z_][\w-]*)(?=\s*$|\s*[,.]|\s+(?:and|in|under|on|from|within)\b)/i.exec(
			t,
		);
	if (owners) {
		if (owners[1] === owners[2]) return null;
		out.owners = [owners[1], owners[2]];
		t = take(t, owners);
	}
	const owner = OWNER.exec(t);
	if (owner) {
		out.owner = owner.slice(1).find(x => x !== undefined);
		// A bare article or kind word is not a user's name.
		if (!quotedIn(owner[0], out.owner!) && /^(?:the|a|an|group|user|root\s+user)$/i.test(out.owner!)) return null;
		t = take(t, owner);
	}

	// Nothing named to list ("Print the current directory" asks for its path, pwd): not a listing. "A detailed listing of
	// the current directory" names one (ls -l).
	if (
		![request, asked].some(x =>
			/\b(?:files?|filenames|directories|direcories|directory\s+(?:tree|list)|sub-?directories|folders|dirs|links|symlinks|contents?|entries|executables|images|scripts|sources|archives|instances|(?:detailed|long)\s+listing)\b/i.test(
				x,
			),
		) &&
		!out.name &&
		contains === undefined
	)
		return null;
	// "directory files": folders or files? Said so, the kind is not known.
	if (/\bdirectory\s+files\b/i.test(t)) return null;
	// Every other word must be filler; one unexplained word (delete, count, sort, newer, permissions...) and the LLM answers.
	// A place with no letter ("~", "..") left over was not read as the place: residue() only sees words.
	if (residue(t, FILLER).length || /(?:^|\s)(?:~|\.\.)(?=\s|$)/.test(t)) return null;
	// A path left over ("under your home directory (/etc)") was not read as the place: its words may all be filler ("etc", "home").
	// A lone "/" restates the root said in words ("starting from the root directory /"): not a path left over (blind57's 9548).
	if (/(?:^|[\s("'‘])[~.$\w-]*\/[~./$\w-]*[A-Za-z0-9]/.test(t)) return null;
	// "under the build directory except build/external directory": the folder left out said from above the place searched
	// (find build -path build/external -prune); exclude globs are below the place, so it is "external" there (blind35's 6731
	// had left out build/build/external, which is nothing). From the file system's root ("/", root "" here) a path left out,
	// "/export/repo", is "export/repo" below it (training 2772's had kept the slash: an exclusion that matched nothing).
	const root = out.path.replace(/^\.\//, "").replace(/\/+$/, "");
	if (out.exclude && root !== "." && !root.startsWith("/") && !root.startsWith("~"))
		out.exclude = out.exclude.map(e => (e.startsWith(`${root}/`) && e.length > root.length + 1 ? anchored(`./${e.slice(root.length + 1)}`) : e));
	// "files named 'foo' ... without descending into directories named 'foo'": find_files' exclude leaves out every entry of that
	// name, the files sought too (blind59's 10024 returned nothing). Files only: leave out what is below such folders
	// (`**/foo/**`), which keeps the files named foo; files and folders: the folders would be listed (find's -prune does not
	// print them), so not answered.
	if (out.name !== undefined && out.exclude?.some(e => e === out.name)) {
		if (out.type !== undefined) return null;
		out.exclude = out.exclude.map(e => (e === out.name ? `**/${e}/**` : e));
	}
	if (out.type === "directory" && (contains !== undefined || out.min_bytes !== undefined || out.max_bytes !== undefined)) return null;
	// "and their targets" is what find_files prints of links only.
	if (presentation?.some(p => /\btargets\b/i.test(p)) && out.type !== "symlink") return null;
	// A link has no text of its own to search, and its size is its target's name.
	if (out.type === "symlink" && (contains !== undefined || out.min_bytes !== undefined || out.max_bytes !== undefined || out.empty)) return null;
	// Links followed are no longer links: "symlinks ... following symlinks" says two things.
	if (out.type === "symlink" && out.follow_links) return null;

	const filtered =
		out.type !== undefined ||
		out.max_depth !== undefined ||
		out.min_depth !== undefined ||
		out.empty ||
		out.min_bytes !== undefined ||
		out.max_bytes !== undefined ||
		out.modified_within_days !== undefined ||
		out.modified_before_days !== undefined ||
		out.accessed_within_days !== undefined ||
		out.accessed_before_days !== undefined ||
		out.min_links !== undefined ||
		out.inode !== undefined ||
		out.same_file !== undefined ||
		out.one_file_system !== undefined ||
		out.fs_types !== undefined ||
		out.show_times !== undefined ||
		out.accessed_after !== undefined ||
		out.changed_after !== undefined ||
		out.follow_links !== undefined ||
		out.max_links !== undefined ||
		out.changed_within_days !== undefined ||
		out.changed_before_days !== undefined ||
		out.owner !== undefined ||
		out.not_owner !== undefined ||
		out.owners !== undefined ||
		out.permissions !== undefined ||
		out.permissions_any !== undefined ||
		out.permissions_all !== undefined ||
		out.permissions_lacking !== undefined ||
		out.permissions_none !== undefined ||
		out.permissions_not !== undefined ||
		out.newer_than !== undefined ||
		out.paths !== undefined ||
		// search_text takes no exclusions: a search that leaves paths out is find_files' contains.
		out.exclude !== undefined ||
		// Nor names left out (round 45's not_names had been dropped by the text search: every file searched).
		out.not_names !== undefined ||
		out.name_regex !== undefined ||
		out.path_regex !== undefined ||
		out.older_than !== undefined ||
		out.group !== undefined ||
		out.max_results !== undefined;
	// The text of the files found: read_files takes a folder and a name glob, nothing more (no time, size or case condition).
	if (contentsOf) {
		// "search for "message.txt" in the folder .cache/bower and display its contents": the string was a file's name.
		if (!out.name && contains !== undefined && /^[\w.-]+\.[A-Za-z0-9]{1,6}$/.test(contains)) {
			out.name = contains;
			contains = undefined;
		}
		const { op: _op, path, name: only, ...rest } = out;
		if (!only || contains !== undefined || Object.keys(rest).length || BINARY_EXTS.test(only)) return null;
		return { op: "read_files", path, glob: `**/${only}` };
	}
	// A long listing of the files a text search matched is a second call on its results (ls -l over grep -l): the LLM's.
	if (contains !== undefined && presentation?.some(p => /\b(?:long|detailed)\s+list/i.test(p))) return null;
	// Text inside PDFs, images, archives or office files is not text a search reads (it skips binary files): "grep the .pdf files for 'hot'" needs a converter.
	if (contains !== undefined && out.name && BINARY_EXTS.test(out.name)) return null;
	// grep -l said in words ("and prints names of files with matched strings"): the files are asked, not the lines.
	// So is "and display the matched files", "show the matching file names": the files, with no word of lines or strings.
	const filesOnly =
		presentation?.some(
			p =>
				/\bnames\s+of\s+(?:the\s+)?files\s+(?:with|having|containing)\b/i.test(p) ||
				(/\b(?:(?:matched|matching)\s+(?:files?|file\s*names?|filenames)|(?:display|show|print)\s+the\s+files)\b/i.test(p) &&
					!/\b(?:lines?|strings?)\b/i.test(p)),
		) ?? false;
	// A glob said case-insensitive with a text search: the name ignores case, the text does not.
	if (globCase && contains === undefined) out.ignore_case = true;
	if (globCase && contains !== undefined && !name) return null;
	// A device, socket or pipe holds no text to search (find_files refuses contains with those types).
	if (contains !== undefined && special) return null;
	if (contains !== undefined) {
		// Where a string occurs, with at most a file-name filter: the matching lines (grep) answer it.
		if (!filtered && !filesOnly) {
			// search_text's glob has no case switch: each letter as both cases ("*.[jJ][aA][vV][aA]"); a shell variable's
			// letters are its name, not the name it holds ("$srch*"), so that one the call cannot say.
			if (globCase && name?.includes("$")) return null;
			const glob = name && globCase ? name.replace(/[A-Za-z]/g, c => `[${c.toLowerCase()}${c.toUpperCase()}]`) : name;
			return {
				op: "grep",
				pattern: contains,
				path: out.path,
				...(glob ? { glob: `**/${glob}` } : {}),
				...(lineRegex || contentIsRegex ? { regex: true } : {}),
				...(out.ignore_case ? { case_sensitive: false } : {}),
			};
		}
		if (lineRegex || contentIsRegex) return null;
		// search_text follows no folder links: the lines asked through links (grep -R) are more than find_files' names.
		if (out.follow_links && !filesOnly) return null;
		out.contains = contains;
		if (globCase) out.ignore_case = true;
		else if (out.ignore_case) out.case_sensitive = false;
	}
	return out;
}
