import { escapeRegExp } from "../../lib/regex";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import type { McpMetadata, McpToolInfo } from "../../lib/registry";
import type { Intent, RequestContext, Route } from "../../lib/contracts";
import { asksToAct, asksToWrite } from "./acts";
import { CONTENTS, filesOp, NAME_ENDS, type FilesOp } from "./files";
import { findRequest, LINK_TARGET, type FindFilesArgs } from "./find";
import { lookupOp, residue } from "./lookup";
import { dirPath, filePath, isBinaryPath, pathTokens, toGlob, withoutPaths, type PathToken } from "./paths";
import { MORE_THAN_LOCATING, searchOp, type SearchOp } from "./search";

export interface RouteInput {
	request: string;
	context?: RequestContext;
	intent: Intent;
	/** The intent model's calibrated probability of its label; absent: not gated on it. */
	intent_confidence?: number;
	/** P(a plain tool call is the whole answer) from the learned gate (answerable.ts); absent: not gated on it. */
	answerable?: number;
}

/**
 * The zero-token gate's thresholds. Precision first: a wrong tool answer silently answers the wrong
 * question, a missed one only costs an LLM call. Chosen on out-of-fold predictions (docs/decisions.md).
 */
export const ZERO_TOKEN_GATE = { minAnswerable: 0.05, minIntentConfidence: 0.05 };

/**
 * Whether a one-call tool answer may stand alone, with no LLM after it. A full cover (every phrase of the request
 * explained as one find or grep query) is not gated on the models' doubt: it is stronger evidence than either.
 */
export function zeroTokenAllowed(input: RouteInput, topic: string, cover = false): boolean {
	if (asksToAct(topic)) return false;
	if (cover) return true;
	if (input.answerable !== undefined && input.answerable < ZERO_TOKEN_GATE.minAnswerable) return false;
	return input.intent_confidence === undefined || input.intent_confidence >= ZERO_TOKEN_GATE.minIntentConfidence;
}

export interface LiveMcpService {
	service: string;
	meta: McpMetadata;
}

/**
 * What a request asks of the file system, when it can be said as one read-only tool call.
 * The tool names are the reference file-system server's and, for searches inside files, line ranges
 * and file sets, our workspace-search server's; any server offering a tool of that name (and the
 * capability) can answer.
 */
type Op =
	| { op: "read"; path: string; head?: number; tail?: number }
	| { op: "read_many"; paths: string[] }
	| { op: "list"; path: string }
	| { op: "info"; path: string }
	| { op: "find"; path: string; pattern: string }
	| { op: "lines"; path: string; start: number; end: number }
	| SearchOp
	| FilesOp
	| FindFilesArgs;

interface OpTools {
	tools: string[];
	capability: string;
	args(op: Op): Record<string, unknown>;
}

const OP_TOOLS: Record<Op["op"], OpTools> = {
	read: {
		tools: ["read_text_file", "read_file"],
		capability: "read",
		args: op => {
			const o = op as Extract<Op, { op: "read" }>;
			return { path: o.path, ...(o.head ? { head: o.head } : {}), ...(o.tail ? { tail: o.tail } : {}) };
		},
	},
	read_many: { tools: ["read_multiple_files"], capability: "read", args: op => ({ paths: (op as Extract<Op, { op: "read_many" }>).paths }) },
	list: { tools: ["list_directory", "list_directory_with_sizes"], capability: "read", args: op => ({ path: (op as Extract<Op, { op: "list" }>).path }) },
	info: { tools: ["get_file_info"], capability: "read", args: op => ({ path: (op as Extract<Op, { op: "info" }>).path }) },
	find: {
		tools: ["search_files"],
		capability: "search",
		args: op => {
			const o = op as Extract<Op, { op: "find" }>;
			return { path: o.path, pattern: o.pattern };
		},
	},
	grep: {
		tools: ["search_text"],
		capability: "search",
		args: op => {
			const o = op as Extract<Op, { op: "grep" }>;
			return {
				pattern: o.pattern,
				path: o.path,
				...(o.glob ? { glob: o.glob } : {}),
				...(o.regex ? { regex: true } : {}),
				...(o.case_sensitive === false ? { case_sensitive: false } : {}),
				...(o.enclosing ? { enclosing: true } : {}),
				...(o.value_block ? { value_block: true } : {}),
			};
		},
	},
	lines: {
		tools: ["read_lines"],
		capability: "read",
		args: op => {
			const o = op as Extract<Op, { op: "lines" }>;
			return { path: o.path, start: o.start, end: o.end };
		},
	},
	find_files: { tools: ["find_files"], capability: "search", args: ({ op: _, ...args }) => args },
	read_files: { tools: ["read_files"], capability: "read", args: ({ op: _, ...args }) => args },
	define: {
		tools: ["find_definition"],
		capability: "search",
		args: op => ({ name: (op as Extract<Op, { op: "define" }>).name, path: (op as Extract<Op, { op: "define" }>).path }),
	},
};

// Topics no file-system tool knows about: version control, clusters, databases, SaaS systems.
const NOT_FILES =
	/\b(git|diff|commits?|branch(es)?|pods?|namespaces?|kubectl|clusters?|deployments?|database|tables?|rows|records?|collection|snowflake|s3|buckets?|jira|github|gitlab|issues|prs?|pull requests?|cloudtrail|okta|vault|launchdarkly|apm|traces?|kafka|topics?|pagerduty|slack|docs? for|link me|endpoints?|handlers?|call graph|repos|process(?:es)?)\b/i;
// Asking about what is inside a file or files: a content search or a question, not a listing.
const ABOUT_CONTENT =
	/\b(mention(s|ing)?|contain(s|ing)?|occurrences?|referenc(e|es|ing)|import(s|ing)?|usages?|uses|used|calls?|called from|defined|declared|thrown|caught|set to|value|field|version|say|says|means?|line numbers?|lines? \d+|over \d+\s*[kmg]b|(?:over|more than|longer than) \d+ lines|modified in|changed in|last \d+ days|still|point(s|ing)? (at|to))\b/i;
const EXPLAIN =
	/\b(explain\w*|summari[sz]\w*|summary|review\w*|analy[sz]\w*|describ\w*|what does|how does|why|walk me through|tl;?dr|understand\w*|audit\w*|critique|assess\w*)\b/i;
/**
 * Asks to change what a file holds: the file is the model's input. Not a file operation (delete, move, rename: nothing to
 * read for them), nor a new file (create, generate, a new one: nothing there yet).
 */
const REVISES =
	/\b(fix\w*|rewrite|modify|edit|update|change|refactor\w*|convert|translate|improve|optimi[sz]e|debug|simplify|clean\s*up|add\s+(?:\w+\s+){0,4}(?:to|in|into)|document)\b/i;
const CREATES = /\b(create|generate|new\s+(?:file|module|class|component|script)|scaffold)\b/i;
/** Acts on files themselves: "delete old.ts and update index.ts" is no edit of old.ts's text to show the model. */
const FILE_OPERATIONS = /\b(delete|remove|rename|move|copy|chmod|chown)\b/i;
const QUESTION = /\b(what('?s| is| are)?|which|how|why|does|is there|are there|tell me)\b/i;
const SHOW = /\b(show|cat|display|print|open|view|pull up|see|dump|contents?|give me|get me|need|want|bring up)\b/i;
const LIST = /\b(ls|list|listing|what'?s in|what is in|files in|file names|filenames|tree|inside)\b/i;
// "a long listing of notes.txt" (ls -l on one file) is its metadata too.
const INFO =
	/\b(size|how big|last modified|modified (date|time)|(?:last\s+)?modification (?:date|time)|mtime|file info|metadata|permissions|created (at|date|time)|timestamps?|(?:long|detailed) listing)\b/i;
const FIND = /\b(find|search|locate|where('?s| is| are| does)?|wheres|any|all|every|which|do we have|is there)\b/i;
const NAMED_FILE = /\b(?:file|folder|directory|dir)\s+(?:called|named)\s+[`'"]?([\w.*-]+)[`'"]?/i;
const TEST_FILE_FOR = /\b(?:test|spec) files?\s+(?:for|of)\s+(?:the\s+)?[`'"]?([A-Za-z_][\w-]+)[`'"]?/i;
const EXT_FILES = /(?:^|\s)(?:all|every|any|the)?\s*(?:the\s+)?\*?\.([a-z0-9]{1,10})\s+(files|migrations|configs?|modules|sources)\b/i;
const WORD_EXT_FILES = /\b(?:all|every|any)\s+(?:the\s+)?(yaml|yml|json|toml|sql|proto|markdown|md|python|typescript|go|terraform)\s+files\b/i;
const EVERY_NAMED =
	/\b(?:all|every|any)\s+(?:the\s+)?(Dockerfile|Makefile|Jenkinsfile|Procfile|README|package\.json|tsconfig\.json|go\.mod|Cargo\.toml|pyproject\.toml)s?\b/i;
// "the first 10 lines", and one line said without a number: "the first line", "the last line".
const HEAD = /\b(?:first|top|head(?: -n)?)\s+(?:(\d{1,6})\s+lines?|(line))\b/i;
const TAIL = /\b(?:last|tail(?: -n)?|final)\s+(?:(\d{1,6})\s+lines?|(line))\b/i;
const LINE_RANGE = /\blines?\s+\d+\b/i;

const QUOTED_READ =
	/^\s*(?:please\s+)?(?:print|show|display|output|cat)\s+(?:the\s+)?(?:contents?|text)\s+of\s+(?:the\s+)?(?:file\s+)?["'`‘]([\w][\w.-]*)["'`’]\s*[.!]?\s*$/i;

/**
 * "read the file src/server.ts", "show me package.json", "cat the contents of lib/config.ts": one named file and
 * nothing but a verb of reading around it. Every word is explained, so it is a read whatever the intent label says
 * (the label calls "read ..." MANAGE: in the shell tasks it learned from, "read" fills a variable from input); the
 * gate below still weighs it like any plain read.
 */
const PLAIN_READ =
	/^\s*(?:please\s+)?(?:read|show(?:\s+me)?|display|print|output|cat|view)\s+(?:out\s+)?(?:the\s+)?(?:(?:whole|full|entire)\s+)?(?:(?:contents?|text)\s+of\s+)?(?:the\s+)?(?:file\s+)?["'`‘]?([^\s"'`‘’]+?)["'`’]?(?:\s+file)?\s*(?:,?\s*(?:please|pls))?\s*[.!]?\s*$/i;

/** How shell tasks start: an imperative to find, list or show. */
const SHELL_TASK =
	/^\s*(?:please\s+)?(?:recursively\s+)?(?:find|finds|search|searches|locate|list|lists|display|show|print|prints|get|look\s+for|report|output)\b/i;
const INFO_WORDS = new Set(
	"size sizes how big last modified modification date time mtime info metadata permissions created timestamp timestamps and of file when was long detailed listing print show display get".split(
		" ",
	),
);
const CODE_SEARCH = /\b(usages?|references?|calls?|callers?|imports?|defined|declared|definition)\b/i;
/** Words a plain read or listing may carry besides what SHOW and LIST say ("I'd like to see the schema.prisma file"). */
const READ_FILLER = new Set(
	"show cat display print output open view pull up see dump content contents give get need want bring me ls list listing what's whats what is in inside files file names name folder dir directory tree just only like i'd id could would can u you please pls the teh current".split(
		" ",
	),
);

// "the src folder", "the migrations directory": a folder named by a bare word.
const NAMED_FOLDER = /\b(?:the|in|of)\s+[`'"]?([\w][\w.-]*)[`'"]?\s+(?:folder|dir|directory)\b/i;
const NOT_A_FOLDER =
	/^(the|this|that|a|an|whole|same|root|current|working|home|parent|each|every|which|what|any|some|my|our|your|its|project|repo|entire|main|right|wrong|new|old)$/i;

const WORD_EXT: Record<string, string> = { markdown: "md", python: "py", typescript: "ts", terraform: "tf" };

/** The directory a search or listing is about: "in deploy/", "under src/payments/". */
function scopeDir(tokens: PathToken[]): string {
	const dir = tokens.find(t => t.kind === "dir");
	return dir ? dirPath(dir.text) : ".";
}

// Or any condition a name search cannot apply: a size, a time, a case, an owner ("case insensitive search for *.jpg files
// which are greater than 500KB" answered as every *.jpg).
const LEAVE_OUT_OR_PLACE =
	/\b(?:but|except|excluding|exclude|not|without|other\s+than|ignoring|skipping|apart\s+from)\b|\b[\w-]+'s\s+(?:[\w-]+\s+)?(?:folder|directory|dir|home)\b|\b(?:size|bigger|larger|greater|smaller|less|more|than|over|under\s+\d|\d+\s*(?:[kmgt]i?b?|bytes?)|case|insensitive(?:ly)?|modified|accessed|changed|newer|older|owned|owner|group|permissions?|empty|hidden|depth|levels?|deep|days?|hours?|minutes?|weeks?)\b/i;

/** A file-name search the server can run (names and globs only: it cannot look inside files). */
function findOp(text: string, topic: string, tokens: PathToken[]): Op | null {
	if (!FIND.test(topic) && !/\bpls|please\b/i.test(topic)) return null;
	// Contents asked for ("print all the yaml files"; read_files answers when nothing more is), or more than names.
	if (ABOUT_CONTENT.test(topic) || CONTENTS.test(topic) || MORE_THAN_LOCATING.test(topic)) return null;
	// A quoted string besides the names ("all occurrences of "foo" in *.txt files") is text to find inside them, which a
	// name search would drop.
	if (/(?:^|[\s(])["'`‘“][^"'`’”\n]*\w[^"'`’”\n]*["'`’”](?=[\s,.)]|$)/.test(topic)) return null;
	// A name search answers names and one folder: a leaving-out ("but names like *.c", "except", "not") would be answered
	// inverted, and a place said in words ("in Pat's user folder") would be answered in the current folder.
	if (LEAVE_OUT_OR_PLACE.test(topic)) return null;
	// "symlinks whose contents match pattern "*sysdep.c"": the links' targets (find -lname), not their names.
	if (LINK_TARGET.test(text)) return null;
	const glob = tokens.find(t => t.kind === "glob");
	if (glob) {
		const slash = glob.text.lastIndexOf("/", glob.text.search(/[*?]/));
		// "logs/2024-06-1*/" is a directory pattern, not a file-name search; leave globs with a path to the LLM.
		if (slash >= 0) return null;
		return { op: "find", path: scopeDir(tokens), pattern: toGlob(glob.text) };
	}
	const named = NAMED_FILE.exec(text) ?? TEST_FILE_FOR.exec(text);
	if (named) return { op: "find", path: scopeDir(tokens), pattern: toGlob(/[*?.]/.test(named[1]) ? named[1] : `*${named[1]}*`) };
	const ext = EXT_FILES.exec(text) ?? WORD_EXT_FILES.exec(text);
	// ".png and .jpg files": a list of kinds, of which the one pattern would keep only the last.
	if (ext && /\.[a-z0-9]{1,10}\s*(?:,|\band\b|\bor\b|&)\s*$/i.test(text.slice(0, ext.index + ext[0].indexOf(".")))) return null;
	if (ext) {
		const e = ext[1].toLowerCase();
		return { op: "find", path: scopeDir(tokens), pattern: `**/*.${WORD_EXT[e] ?? e}` };
	}
	const every = EVERY_NAMED.exec(text);
	// "all README's": README files whatever their extension (README, README.md, README.txt), not only the README.md a
	// lone "show the README" reads.
	if (every)
		return { op: "find", path: scopeDir(tokens), pattern: /^(?:README|CHANGELOG)$/i.test(every[1]) ? `**/${every[1]}*` : `**/${filePath(every[1])}` };
	return null;
}

/** The most of a request the rules read (their patterns run on a bounded text); past it, no tool answers alone (chooseRoute). */
export const MAX_RULE_CHARS = 2000;

/**
 * The part of the request the rules read: its first MAX_RULE_CHARS characters, cut at a space. Cut mid-word, a path
 * running past the mark became another, shorter one ("cat a/a/…/a/x.txt" listed the folder 1,995 characters in).
 */
export function ruleText(request: string): string {
	if (request.length <= MAX_RULE_CHARS) return request;
	const head = request.slice(0, MAX_RULE_CHARS + 1);
	return head.slice(0, Math.max(0, head.search(/\s\S*$/)));
}

/** The one read-only tool call the request amounts to, or null when it is not that simple. */
export function fileOp(request: string, intent: Intent): { op: Op; chain: boolean; fallback?: Op; cover?: boolean } | null {
	const text = ruleText(request);
	const tokens = pathTokens(text);
	const topic = withoutPaths(text, tokens);
	// A find or grep task said in words ("find all .c files in /usr/src larger than 100 KB"), every word explained: the
	// request is nothing but that query, stronger evidence than the intent label (which calls some of them MANAGE or
	// WRITE), so it routes whatever the label. An act ("find and delete", "count") is never explained, so never covered.
	// It may name what NOT_FILES fears as a folder to skip (".git") or a string to find.
	const find = findRequest(text);
	if (find) return { op: find, chain: false, cover: true };
	// The request's own path tokens: the one named must be all of them, and a file. Not a cover: the gate's doubt
	// (P(answerable), the label's confidence) still holds it back, as for any plain read.
	const plain = PLAIN_READ.exec(text);
	if (plain && tokens.length === 1 && tokens[0].kind === "file" && tokens[0].text === plain[1])
		return { op: { op: "read", path: filePath(plain[1]) }, chain: false };
	// "Print the contents of "filename"": one file named in quotes, with no extension to tell it by, and nothing else asked.
	const quotedRead = QUOTED_READ.exec(text);
	if (quotedRead && (intent === "READ" || intent === "SEARCH")) return { op: { op: "read", path: filePath(quotedRead[1]) }, chain: false };
	if (NOT_FILES.test(topic)) return null;
	const files = tokens.filter(t => t.kind === "file").map(t => filePath(t.text));
	if (intent === "WRITE" || intent === "MANAGE") {
		// Summarizing or explaining a named file needs the file whatever the label says (the label
		// may be wrong, and an LLM answers either way): fetched for the LLM, never answered alone. So does changing one
		// ("fix the bug in src/app.ts"): the model was asked to fix code it was never shown, in a 20-token prompt.
		if (files.length && ((EXPLAIN.test(topic) && !asksToWrite(topic)) || (REVISES.test(topic) && !CREATES.test(topic) && !FILE_OPERATIONS.test(topic))))
			return { op: files.length > 1 ? { op: "read_many", paths: files } : { op: "read", path: files[0] }, chain: true };
		return null;
	}
	const dirs = tokens.filter(t => t.kind === "dir");
	const folder = NAMED_FOLDER.exec(topic);
	if (!dirs.length && folder && !NOT_A_FOLDER.test(folder[1])) dirs.push({ text: folder[1], kind: "dir" });
	// "lines 1-3 of .ci/run", "cat bin/deploy": only a file has lines to print, so an extensionless path is one.
	// So is one said to be a file ("the last 5 lines of the file /var/log/syslog"), or whose contents are shown ("display the contents of /etc/passwd").
	if (
		!files.length &&
		dirs.length === 1 &&
		!dirs[0].text.endsWith("/") &&
		(LINE_RANGE.test(topic) ||
			HEAD.test(topic) ||
			TAIL.test(topic) ||
			/^\s*cat\s*(?:pls|please)?\s*[.!]?\s*$/i.test(topic) ||
			new RegExp(`\\bfile\\s+["'\`‘]?${escapeRegExp(dirs[0].text)}(?![\\w/])|${escapeRegExp(dirs[0].text)}["'\`’]?\\s+file\\b`, "i").test(text) ||
			(/^\s*(?:show|display|print|cat|output)\s+(?:the\s+)?(?:contents?|text)\s+of\b/i.test(topic) && !/\b(?:folder|directory|dir)\b/i.test(topic)))
	) {
		files.push(filePath(dirs.pop()!.text));
	}

	// Said as a find task but not explained whole: a looser rule below would drop a condition (newer than
	// httpd.conf, permissions 0644, "and feed the output to wc") and answer another question.
	// The nouns are looked for in the text too: "*.so files/directories" reads as one path token, and the task is still one.
	// Not a file's own name: "Print the first 10 lines of file.txt" names one file to read, not a find task's files.
	// Nor "the file /var/log/syslog": the word only says what the path is.
	const unnamed = [...new Set([...files, ...tokens.filter(t => t.kind === "file").map(t => t.text)])].reduce(
		(x, f) => x.replace(new RegExp(`(?:\\b(?:the\\s+)?file\\s+)?["'\`‘]?${escapeRegExp(f)}["'\`’]?(?:\\s+file\\b)?`, "gi"), " "),
		text,
	);
	const shellTask = SHELL_TASK.test(text) && /\b(files?|directories|subdirectories|folders|dirs|links)\b/i.test(unnamed);
	// Files by size, age or content, or every file of a type printed: before a name search takes "all the .sql files".
	if (intent === "SEARCH" || intent === "READ") {
		const set = filesOp(text, topic, [...tokens.filter(t => t.kind !== "dir"), ...dirs]);
		// Every false zero-token route of the last blind first runs (blind2, blind5, blind6) came from a looser rule
		// answering a find task the cover refused: for one, a refusal stands. The text of every file of a type
		// ("print every YAML file in k8s/overlays/staging/") is a read, not a find with a condition dropped.
		if (set) return shellTask && set.op !== "read_files" ? null : { op: set, chain: false };
	}
	// "whose names begin with test" is a condition only find_files applies; when it could not, no name search drops it.
	if (NAME_ENDS.test(topic)) return null;
	if (intent === "SEARCH" || FIND.test(topic)) {
		const find = findOp(text, topic, tokens);
		if (find) return shellTask ? null : { op: find, chain: false };
	}
	// Where something occurs inside files: a content search, before a named file is read or a folder listed.
	if (intent === "SEARCH" || intent === "READ") {
		const search = searchOp(text, topic, tokens, files);
		// In a find task only a code search ("find usages of parseConfig in the .ts files") stands alone.
		// A string to find is never the path it is searched in ("Search for the host name in "/etc/hosts" and print ..."),
		// and "filenames matching X" asks for names, which the cover above did not explain.
		const pathAsPattern = search?.op === "grep" && tokens.some(t => t.text.replace(/\/+$/, "") === search.pattern.replace(/\/+$/, ""));
		if (search && (pathAsPattern || /\b(?:file\s*names?|names?)\s+(?:matching|like|that\s+match)\b/i.test(topic))) return null;
		if (search) return shellTask && !CODE_SEARCH.test(topic) ? null : { op: search, chain: false };
	}
	if (files.length === 0) {
		// "show me src/billing" lists it; "show me ../../etc/passwd" goes to the tool too, whose guard refuses it clearly.
		if (
			dirs.length === 1 &&
			(LIST.test(topic) || (SHOW.test(topic) && !QUESTION.test(topic) && !/\b(every|all|each)\b/i.test(topic))) &&
			!ABOUT_CONTENT.test(topic) &&
			!EXPLAIN.test(topic) &&
			!MORE_THAN_LOCATING.test(topic) &&
			!(CONTENTS.test(topic) && /\b(every|all|each)\b/i.test(topic)) &&
			!shellTask &&
			!residue(topic.split(dirs[0].text).join(" "), READ_FILLER).length
		) {
			return { op: { op: "list", path: dirPath(dirs[0].text) }, chain: false };
		}
		return null;
	}
	// File metadata alone ("size and last modified date of x.parquet"); "size" inside a pasted traceback is not a request for it.
	if (INFO.test(topic) && files.length === 1 && !EXPLAIN.test(topic) && !residue(topic, INFO_WORDS).length)
		return { op: { op: "info", path: files[0] }, chain: false };

	const read: Op = files.length > 1 ? { op: "read_many", paths: files } : { op: "read", path: files[0] };
	// The first or last lines asked of one file, for the tool alone and for the LLM alike: chained as a whole read, a long
	// log cut at limits.max_context_bytes kept its start, and the model never saw the last lines it was asked to explain.
	const head = read.op === "read" ? HEAD.exec(topic) : null;
	const tail = read.op === "read" ? TAIL.exec(topic) : null;
	if (read.op === "read") {
		if (head) read.head = head[1] ? Number(head[1]) : 1;
		else if (tail) read.tail = tail[1] ? Number(tail[1]) : 1;
	}
	// A key's value, a line range, a version file's one value: answered exactly, no LLM needed
	// (lookupOp refuses any request with a word beyond the lookup, "explain" included). Without the
	// tool it needs, the file is read for the LLM as before.
	// ANALYZE too: lookupOp's strict shape ("what's the value of X in f") is a read whatever the label.
	if (files.length === 1 && (intent === "READ" || intent === "SEARCH" || intent === "ANALYZE")) {
		const lookup = lookupOp(topic, files[0]);
		if (lookup) return { op: lookup, chain: false, fallback: { op: "read", path: files[0] } };
	}
	// Explaining, summarizing or answering a question about a named file: the tool fetches it, the LLM answers.
	// A line range lookupOp did not take (too long, or with more asked) goes the same way.
	if (intent === "ANALYZE" || EXPLAIN.test(topic) || LINE_RANGE.test(topic) || ABOUT_CONTENT.test(topic) || (QUESTION.test(topic) && !SHOW.test(topic))) {
		return { op: read, chain: true };
	}
	let rest = topic;
	if (read.op === "read") {
		rest = topic.replace(HEAD, " ").replace(TAIL, " ");
		// A pager shows the same text a screen at a time: "Display file.txt page by page".
		rest = rest.replace(
			/\b(?:page\s+by\s+page|one\s+(?:page|screen(?:ful)?)\s+at\s+a\s+time|(?:and\s+)?page\s+(?:interactively\s+)?through\s+(?:it|the\s+(?:file|text|contents?)))\b/gi,
			" ",
		);
	}
	// A word beyond asking to see the file (mimetype, fourth column, "to standard output") asks more than its text: the LLM answers.
	// Not counted: a purpose ("so I can see which vars we expect") and words naming the file ("the CI workflow file, .github/workflows/ci.yml").
	const named = files.join(" ").toLowerCase();
	const beyond = residue(rest.replace(/\bso\s+(?:that\s+)?(?:i|we)\s+can\b.*$/is, " "), READ_FILLER).filter(w => w.length < 2 || !named.includes(w));
	if (shellTask || beyond.length) return { op: read, chain: true };
	return { op: read, chain: false };
}

const validators = new AjvJsonSchemaValidator();

function argumentsValid(tool: McpToolInfo, args: Record<string, unknown>): boolean {
	if (!tool.inputSchema) return true;
	return validators.getValidator(tool.inputSchema as any)(args).valid;
}

/** The first live, connected service offering one of the tools, with the capability when it declares any. */
function findTool(services: readonly LiveMcpService[], spec: OpTools): { service: string; tool: McpToolInfo } | null {
	for (const name of spec.tools) {
		for (const s of services) {
			if (s.meta.connected === false) continue;
			if (s.meta.capabilities.length && !s.meta.capabilities.includes(spec.capability)) continue;
			const tool = s.meta.tools.find(t => t.name === name && (t.kind ?? "read") === "read");
			if (tool) return { service: s.service, tool };
		}
	}
	return null;
}

/**
 * Picks a downstream MCP tool when one can answer the request (zero LLM tokens), a tool then the LLM
 * (a file to explain), or the LLM path. Write and manage tools are never chosen from free text:
 * they are for callers that name them (the re-exported tools). With no tool live, every request takes the LLM path.
 */
export function chooseRoute(input: RouteInput, services: readonly LiveMcpService[], op?: ReturnType<typeof fileOp>): Route {
	if (!services.length) return { kind: "llm" };
	// `op`: fileOp's reading of this very request, when the caller (gatedRoute) has made it already.
	let found = op === undefined ? fileOp(input.request, input.intent) : op;
	if (!found) return { kind: "llm" };
	const text = ruleText(input.request);
	// A request longer than the rules read may ask, past the mark, more than the read: never answered by a tool alone.
	if (!found.chain && (text.length < input.request.length || !zeroTokenAllowed(input, withoutPaths(text, pathTokens(text)), found.cover))) {
		// Unsure, or more than a read is asked: a named file still helps the LLM, a listing or search does not.
		const read = found.op.op === "read" || found.op.op === "read_many" ? found.op : found.fallback;
		if (!read) return { kind: "llm" };
		found = { op: read, chain: true };
	}
	// A file the client already attached needs no fetching.
	const attached = new Set((input.context?.files ?? []).map(f => f.path));
	// An exact lookup whose tool is not live falls back to reading the file for the LLM.
	for (const { op: asked, chain } of [found, ...(found.fallback ? [{ op: found.fallback, chain: true }] : [])]) {
		if (chain && asked.op === "read" && attached.has(asked.path)) return { kind: "llm" };
		// A binary file read as text is mojibake (an image, an archive): what can be said of it is its file info.
		const op: Op = asked.op === "read" && isBinaryPath(asked.path) ? { op: "info", path: asked.path } : asked;
		const spec = OP_TOOLS[op.op];
		const hit = findTool(services, spec);
		const args = spec.args(op);
		// A tool whose schema does not take these arguments is not the tool we think it is.
		if (!hit || !argumentsValid(hit.tool, args)) continue;
		const route: Route = { kind: "mcp", service: hit.service, tool: hit.tool.name, arguments: args };
		if (chain) route.then_llm = true;
		return route;
	}
	return { kind: "llm" };
}
