/** Content searches a search tool can answer alone: "all usages of getUserById", "grep for TODO in src/", "where is calculateTax defined". */
import { escapeRegExp } from "../../lib/regex";
import { FILLER as FIND_FILLER, IGNORE_CASE, take } from "./find";
import { residue } from "./lookup";
import { dirPath, type PathToken } from "./paths";

export type SearchOp =
	| { op: "grep"; pattern: string; path: string; glob?: string; regex?: boolean; case_sensitive?: boolean; enclosing?: boolean; value_block?: boolean }
	| { op: "define"; name: string; path: string };

// Asking to see where something occurs.
const GREP = /\b(grep|rg|ack)\b|\bsearch\b[^.?!]{0,40}\bfor\b/i;
const LOCATE =
	/\b(where(?:'?s)?|wheres|whereis|anywhere|which|what files?|(?:find|list|show)(?: me)?(?: all| every)?|all|every|any (?:files?|places?|code)|is there|are there|locate)\b/i;
const OCCURS =
	/\b(usages?|uses|used|references?|referenced|referencing|mentions?|mentioned|mentioning|occurrences?|calls? (?:to|of)|callers? of|called|imports?|imported|importing|requires?|required|extends?|extending|implements?|implementing|checked|set|read|thrown|throws?|raised|caught|logged|emitted|contains?|containing|coming from|comes? from|appears?|point(?:s|ing)? (?:at|to)|pin(?:s|ned)?(?: to| at)?)\b/i;
const DEFINE = /\b(defined|declared|definition of|declaration of)\b/i;

// The request wants more than the list of places: reasoning, a change, a filter no text search can apply, or a regrouping.
export const MORE_THAN_LOCATING = new RegExp(
	"\\b(" +
		[
			"why",
			"how (?:does|do|is|come|many|much|often)",
			"fix(?:es|ed)?",
			"bugs?",
			"broken",
			"explain",
			"summari[sz]e",
			"review",
			"analy[sz]e",
			"compare",
			"audit",
			"assess",
			"refactor",
			"rewrite",
			"replace",
			"rename",
			"migrate",
			"remove",
			"delete",
			"update",
			"change",
			"without",
			"not documented",
			"undocumented",
			"aren'?t",
			"isn'?t",
			"don'?t",
			"doesn'?t",
			"never",
			"missing",
			"trace",
			"along with",
			"together with",
			"group(?:ed|s)?",
			"sort(?:ed)?",
			"count(?:s|ing)?",
			"tell me",
			"can reach",
			"(?:un)?safe",
			"vulnerab\\w*",
			"secur\\w*",
			"injection",
			"should",
			"modified",
			"changed",
			"since",
			"last \\d+",
			"over \\d+",
			"older",
			"newer",
			"larger",
			"bigger",
			"write",
			"create",
			"generate",
			"build",
			"add",
			"make",
			"implement (?:a|an|the|it)",
			// A second question joined on: "where is X used, and is every caller handling its errors?"
			"and (?:is|are|does|do|did|can|could|will|would|what|how|which|who|whether|if|check|verify|make sure)",
			"handl(?:e|es|ing) (?:its |their |the )?errors?",
			// Taking fields or columns out of the matches, or numbering them, is more than where they are.
			"awk",
			"(?:first|second|third|last|\\d+(?:st|nd|rd|th)) (?:awk )?(?:field|column)s?",
			"number(?:ed|ing)? (?:the )?(?:output|lines|results|matches)",
			"(?:properly|correctly)",
			// An order among the files, or reading them, is more than their names: "the migrations that come after 0042_x.sql,
			// I want to read them in order".
			"(?:comes?|came|coming) (?:after|before)",
			"in (?:that |this |the right |numeric |alphabetical )?order",
			"read (?:them|it|those|these|each)",
		].join("|") +
		")\\b",
	"i",
);

const MAX_SEARCH_REQUEST = 240;

/**
 * A condition on names, not on text: "List all variables (names only) with names containing X", "with 'x' in their name".
 * search_text reads file contents; a name is matched by the find cover (find.ts) or, for shell variables, by no tool.
 */
const NAMES_NOT_TEXT =
	/\b(?:(?:file\s*)?names?|filenames)\s+(?:that\s+|which\s+)?(?:containing|contains?|matching|match(?:es)?|starting|starts?|beginning|begins?|ending|ends?)\b|\bin\s+(?:their|its|the)\s+(?:file\s*)?names?\b|\bnames?\s+only\b/i;

/** The search's own output order: matches come in path order, so each folder's (package's) lines are together. */
const PATH_ORDER = /\b(?:grouped|sorted|ordered|organi[sz]ed)\s+by\s+(?:the\s+)?(?:file|folder|directory|dir|package|module|path)(?:\s*(?:name|path))?s?\b/gi;

/**
 * Asking which function each occurrence is in: search_text's `enclosing` answers it ("along with the
 * name of the function it's called from", "which functions call X", "callers of X").
 */
const ENCLOSING = new RegExp(
	[
		"\\b(?:(?:along|together) with|and|plus|including|with)\\s+(?:the\\s+)?(?:names?\\s+of\\s+the\\s+)?(?:function|method)s?(?:'s|'|\\s+names?)?\\s+(?:(?:it|they|each(?: one)?)(?:'s|'re|\\s+is|\\s+are)?\\s+)?(?:called|used|invoked|made)\\s+(?:from|in)\\b",
		"\\b(?:(?:along|together) with|and|plus|including|with)\\s+(?:the\\s+)?(?:enclosing|calling|containing|caller)\\s+(?:function|method)s?(?:'? names?)?",
		"\\bwhich\\s+(?:functions|methods)\\s+(?:call|use|invoke)\\b",
		"\\bcallers\\s+of\\b",
		"\\bwho\\s+calls\\b",
	].join("|"),
	"i",
);

/** A version, exact (1.8.0) or with a wildcard part (2.3.x, 3.*): matched as a number, not as text. */
const VERSION = /(?<![\w.])v?\d+(?:\.(?:\d+|x|\*))+(?![\w.]*\w)/gi;

/** A version as a regular expression: `x` and `*` stand for any number, and 2.3.1 does not match 12.3.1 or 2.3.10. */
export function versionPattern(v: string): string {
	const parts = v.replace(/^v/i, "").split(".");
	return `(?<![\\d.])${parts.map(p => (/^(x|\*)$/i.test(p) ? "\\d+" : p)).join("\\.")}(?!\\d)`;
}

/** `x`, 'x', "x": the exact string to find. An apostrophe inside a word (aren't) opens nothing. */
const QUOTED = /`([^`\n]{1,200})`|(?<![\w])'([^'\n]{2,200}?)'(?![\w])|"([^"\n]{2,200}?)"/g;
/** Code-looking words: dotted names, identifiers, a trailing () for a call. */
const WORD = /[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*(?:\(\))?/g;
/** A plain word is a search term when a verb says so: "import lodash", "mention refund", "grep for TODO". */
const AFTER_VERB =
	/\b(?:imports?|importing|requires?|mentions?|mentioning|references?|referencing|contains?|containing|grep(?:\s+-\w+)*(?:\s+for)?|search\b[^.?!]{0,40}?\bfor|(?:usages?|uses|occurrences?|calls?|callers?) (?:of|to))\s+(?:the\s+)?(?:(?:string|word|text|identifier|function|class|method|variable|constant|module|package|library|env var|flag|version|image tag|tag)\s+)?([@A-Za-z_$][\w$@/.-]*)/gi;
const NOT_A_TERM = new Set(
	"the a an any all every it its them this that these those something anything everything our my your me us code files file repo project where which what here there in on of for to and or version versions tag tags".split(
		" ",
	),
);

function codeLike(word: string): boolean {
	const w = word.replace(/\(\)$/, "");
	if (w.length < 3) return false;
	if (w.includes(".")) return w.split(".").every(s => s.length >= 2) && /[a-z]/i.test(w);
	if (/^_*[A-Za-z$][\w$]*_[\w$]+$/.test(w)) return true; // snake_case, SCREAMING_CASE
	if (/[a-z][A-Z]/.test(w)) return true; // camelCase
	return word.endsWith("()");
}

/** The strings the request asks to find, verbatim, in the order written. */
export function searchTerms(text: string, topic: string): string[] {
	const quoted = [...text.matchAll(QUOTED)].map(m => (m[1] ?? m[2] ?? m[3]).trim()).filter(Boolean);
	if (quoted.length) return [...new Set(quoted)];
	const terms: string[] = [];
	for (const m of topic.matchAll(WORD)) {
		const t = m[0].replace(/[.-]+$/, "");
		if (codeLike(t)) terms.push(t);
	}
	// A plain word only when nothing code-like is named: "which files import lodash", not "references the old domain api.acme.com".
	if (!terms.length) {
		for (const m of topic.matchAll(AFTER_VERB)) {
			// "search for relevant papers": after "search ... for", only a quoted or code-like term is a string to find.
			if (/^search\b/i.test(m[0])) continue;
			const t = m[1].replace(/[.,;:!?)]+$/, "");
			if (t && !NOT_A_TERM.has(t.toLowerCase())) terms.push(t);
		}
	}
	terms.push(...[...topic.matchAll(VERSION)].map(m => m[0]));
	// "React" inside "React.Component" is the same term.
	const unique = [...new Set(terms)];
	return unique.filter(t => !unique.some(o => o !== t && o.includes(t)));
}

const LANG_EXT: Record<string, string> = {
	yaml: "{yaml,yml}",
	yml: "{yaml,yml}",
	markdown: "md",
	python: "py",
	typescript: "{ts,tsx}",
	javascript: "{js,jsx,mjs,cjs}",
	golang: "go",
	rust: "rs",
	ruby: "rb",
	terraform: "tf",
	shell: "sh",
};
export const TYPE_HINT =
	/(?:\*?\.([a-z0-9]{1,10})|\b(yaml|yml|json|toml|sql|proto|markdown|md|python|typescript|javascript|go|golang|java|rust|ruby|terraform|shell))\s+(?:files?|sources?|modules?)\b/i;

/** Files known by name, said in the plural: every Dockerfile (the first, and all of them to blank out). */
const NAMED_FILE = /\b(Dockerfile|Makefile|Jenkinsfile|Containerfile|Procfile)s\b/;
const NAMED_FILES = new RegExp(NAMED_FILE.source, "g");

/** The files a search is limited to, from a type hint ("in the .ts files", "which yaml files", "*.py", "which Dockerfiles"). */
export function globFor(text: string, tokens: PathToken[]): string | undefined {
	const glob = tokens.find(t => t.kind === "glob" && !t.text.includes("/"));
	if (glob) return glob.text.startsWith("**") ? glob.text : `**/${glob.text}`;
	const named = NAMED_FILE.exec(text);
	if (named) return `**/${named[1]}*`;
	const hint = TYPE_HINT.exec(text);
	if (!hint) return undefined;
	const ext = (hint[1] ?? hint[2]).toLowerCase();
	return `**/*.${LANG_EXT[ext] ?? ext}`;
}

/**
 * Words a content search may carry around its terms besides the find cover's: asking where something
 * occurs, saying what kind of thing the term is ("the env var", "the retry_count column"), and the
 * whole workspace as the place ("anywhere in the repo"). None of them is a condition search_text
 * would have to apply.
 */
const SEARCH_FILLER = new Set([
	...FIND_FILLER,
	...(
		"grep rg ack where wheres whereis anywhere place places code codebase repo repository project workspace monorepo we you they do does did it be there still currently " +
		"string word text phrase pattern regex identifier function functions method methods class classes variable variables var vars env constant constants " +
		"column columns field fields key keys flag flags feature module modules package packages library libraries dependency domain url tag image version release " +
		"component components service services app apps helm chart charts error errors exception exceptions message messages symbol symbols setting settings call calls caller callers line lines old legacy " +
		// "Check all .txt files whether they contain \"needle\"": asking for the files that do.
		"check whether"
	).split(" "),
]);

/** What search_text shows anyway for each match: the file's path, the line number, the line itself; a pager only shows the same. */
const SHOWN = "(?:file\\s*(?:paths?|names?)|filenames|paths?|line\\s+numbers?|(?:matching|matched)\\s+lines|matches)";
const SEARCH_SHOWS = new RegExp(
	[
		`\\b(?:and\\s+)?(?:give|show|tell|print|display|list)\\s+(?:me\\s+)?(?:the\\s+|their\\s+|its\\s+)?${SHOWN}(?:\\s*(?:,|and|&|with)\\s*(?:the\\s+|their\\s+)?${SHOWN})*`,
		`\\bwith\\s+(?:the\\s+|their\\s+)?${SHOWN}(?:\\s*(?:,|and|&)\\s*(?:the\\s+|their\\s+)?${SHOWN})*`,
		"(?:,\\s*|\\band\\s+)?\\b(?:display|show)\\s+(?:it\\s+|them\\s+|the\\s+(?:output|results)\\s+)?one\\s+(?:page|screen(?:ful)?)\\s+at\\s+a\\s+time(?:,?\\s+waiting\\s+for\\s+(?:the\\s+)?user(?:'s)?\\s+(?:interaction|input)(?:\\s+between\\s+(?:each|pages))?)?",
	].join("|"),
	"gi",
);
// The cues above, global, to blank every occurrence out of a search's cover (compiled once, not per request).
const ALL_QUOTED = new RegExp(QUOTED.source, "g");
const ALL_ENCLOSING = new RegExp(ENCLOSING.source, "gi");
const ALL_TYPE_HINTS = new RegExp(TYPE_HINT.source, "gi");
const ALL_OCCURS = new RegExp(OCCURS.source, "gi");
const ALL_LOCATE = new RegExp(LOCATE.source, "gi");
const ALL_DEFINE = new RegExp(DEFINE.source, "gi");
/** grep's own options that search_text does anyway: recursive, line numbers, file names, no errors, fixed strings; -i is its case flag. */
const GREP_FLAGS = /\b(?:grep|rg|ack)((?:\s+-[A-Za-z]+)+)/gi;
const QUIET_FLAGS = /^[rRnHlsIF]+$/;

/**
 * The cover of a content search: every phrase of the request must be explained by an argument of the
 * one search_text (or find_definition) call, as the find cover (find.ts) demands of a find task. The
 * terms, the place and the file type are already arguments; what is left must say nothing more
 * than "where does it occur". Returns whether the search ignores case, or null when a phrase is left
 * unexplained (a transformation of the output, counting, fields, "and then ...", an option the tool
 * does not take).
 */
function searchCover(topic: string, terms: string[], typeHinted: boolean): { ignoreCase: boolean } | null {
	let rest = topic;
	let ignoreCase = false;
	const ic = IGNORE_CASE.exec(rest);
	if (ic) {
		ignoreCase = true;
		rest = take(rest, ic);
	}
	for (const m of rest.matchAll(GREP_FLAGS)) {
		const flags = m[1].split(/\s+-/).join("").replace(/\s/g, "");
		const quiet = flags.replace(/i/g, "");
		if (quiet && !QUIET_FLAGS.test(quiet)) return null;
		if (flags.includes("i")) ignoreCase = true;
		rest = rest.replace(m[1], " ");
	}
	rest = rest.replace(ALL_QUOTED, " ");
	for (const t of terms) rest = rest.replace(new RegExp(`(?<![\\w$])${escapeRegExp(t.replace(/\(\)$/, ""))}(?:\\(\\))?(?![\\w$])`, "g"), " ");
	rest = rest.replace(VERSION, " ").replace(ALL_ENCLOSING, " ").replace(PATH_ORDER, " ").replace(SEARCH_SHOWS, " ");
	if (typeHinted) rest = rest.replace(ALL_TYPE_HINTS, " ").replace(NAMED_FILES, " ");
	rest = rest.replace(ALL_OCCURS, " ").replace(ALL_LOCATE, " ").replace(ALL_DEFINE, " ");
	return residue(rest, SEARCH_FILLER).length ? null : { ignoreCase };
}

function compiles(pattern: string): boolean {
	try {
		new RegExp(pattern);
		return true;
	} catch {
		return false;
	}
}

/**
 * The content search the request amounts to, or null when it is not a plain "where does this occur".
 * `topic` is the request with its path tokens blanked; `files` are the files it names.
 */
export function searchOp(text: string, topic: string, tokens: PathToken[], files: string[]): SearchOp | null {
	// A plain "where is X" is one short sentence; a paragraph carries a task around the search.
	const enclosing = ENCLOSING.test(topic);
	// "i can show taichi in pip but can't import taichi": a problem told, not a search asked.
	if (/\b(?:can'?t|cannot|won'?t)\b/i.test(topic)) return null;
	if (text.length > MAX_SEARCH_REQUEST || NAMES_NOT_TEXT.test(topic) || MORE_THAN_LOCATING.test(topic.replace(PATH_ORDER, " ").replace(ENCLOSING, " ")))
		return null;
	const grep = GREP.test(topic) || enclosing;
	const define = DEFINE.test(topic) && LOCATE.test(topic);
	if (!grep && !define && !(LOCATE.test(topic) && OCCURS.test(topic))) return null;
	// A named file is read (and explained) by the read tools; a search inside it only when asked by grep.
	if (files.length > 1 || (files.length === 1 && !grep)) return null;
	const dirs = tokens.filter(t => t.kind === "dir");
	const dirGlobs = tokens.filter(t => t.kind === "glob" && t.text.includes("/"));
	if (dirs.length + dirGlobs.length > 1) return null;
	let path = files[0] ?? (dirs.length ? dirPath(dirs[0].text) : ".");
	let glob = files.length ? undefined : globFor(text, tokens);
	if (dirGlobs.length) {
		// "logs/2024-06-1*/": search logs/, in the folders the pattern matches.
		if (glob) return null;
		const g = dirGlobs[0].text.replace(/^\.\//, "");
		const base = g.slice(0, Math.max(0, g.lastIndexOf("/", g.search(/[*?[{]/))));
		path = base || ".";
		glob = g.slice(base ? base.length + 1 : 0) + (g.endsWith("/") ? "**" : "");
	}
	const terms = searchTerms(text, topic);
	if (!terms.length) return null;
	// An archive's name ("in "log.tar.gz"") is where to look, never what to look for; and its text is compressed (zgrep).
	if (terms.some(t => /^[\w.-]+\.(?:tar|gz|tgz|bz2|xz|zip|7z|rar)$/i.test(t))) return null;
	// The file type said in words ("in the yaml files") is the glob; a glob written out is a path token, already blanked.
	const typeHinted = glob !== undefined && !tokens.some(t => t.kind === "glob");
	const cover = searchCover(topic, terms, typeHinted);
	if (!cover) return null;
	if (define && !grep) {
		const name = terms.length === 1 ? terms[0].replace(/\(\)$/, "") : "";
		return /^[A-Za-z_$][\w$]*$/.test(name) && !cover.ignoreCase ? { op: "define", name, path } : null;
	}
	// Several terms only when grep asks for them by name ("grep for A, B and C"): one regex, each term kept.
	if (terms.length > 1 && (!grep || terms.length > 5)) return null;
	// "grep for regex "colou?r"": the term is a regular expression (search_text's regex), never the literal text, which
	// answered "No matches found." for lines that match it. One term, and one JavaScript can compile, or the LLM.
	const said = /\bregexp?\b/i.test(topic);
	if (said && (terms.length !== 1 || !compiles(terms[0]))) return null;
	// A call written `send()` matches every call, with or without arguments.
	const literal = terms.map(t => t.replace(/\(\)$/, "("));
	const versions = terms.map(t => new RegExp(`^${VERSION.source}$`, "i").test(t));
	const regex = said || terms.length > 1 || versions.some(Boolean);
	const pattern = said ? terms[0] : regex ? literal.map((t, i) => (versions[i] ? versionPattern(t) : escapeRegExp(t))).join("|") : literal[0];
	return {
		op: "grep",
		pattern,
		path,
		...(glob ? { glob } : {}),
		...(regex ? { regex: true } : {}),
		...(cover.ignoreCase ? { case_sensitive: false } : {}),
		...(enclosing ? { enclosing: true } : {}),
	};
}
