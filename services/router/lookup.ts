/**
 * Questions about one named file that a tool answers exactly, without an LLM reading the file:
 * a key's value ("what is MAX_UPLOAD_SIZE set to in settings.py" → the lines that name the key),
 * a line range ("lines 120-160 of queue.go" → read_lines), and the one value of a version file
 * ("whats the node version in .nvmrc" → the file itself).
 *
 * Each is recognised by what it asks and, just as much, by what it does not: the request's other
 * words must all be filler ("what's the", "show me", "please"). A request that says anything more
 * ("…and whether it's safe", "…plus the import block") stays on the file-then-LLM chain.
 */
import { escapeRegExp } from "../../lib/regex";

export type LookupOp =
	| { op: "grep"; pattern: string; path: string; regex: true; case_sensitive: false; value_block: true }
	| { op: "lines"; path: string; start: number; end: number }
	| { op: "read"; path: string };

/** Words that ask for something without saying what: they may surround any of these lookups. */
const FILLER = new Set(
	(
		"a an the me my our us we i i'd id i'm im you u your can could would will please pls plz just only quick quickly hey hi so ok okay now right " +
		"currently current actually there here it its it's is are was be does what what's whats which tell show give get see print display pull up " +
		"bring need want like to of in inside from for at on file"
	).split(" "),
);

/** How a key is named in a question about its value. */
const KEY_WORDS = new Set(
	"value field setting key option entry variable var constant param parameter set equal configured as say says saying default defined".split(" "),
);

/** The one value of these files is the whole file. */
const VERSION_FILE = /(^|\/)\.(nvmrc|node-version|python-version|ruby-version|java-version|terraform-version|go-version|bun-version)$/i;
const VERSION_WORDS = new Set(
	"version versions node nodejs node.js python ruby java jdk go golang terraform bun runtime pinned pin pins use uses using used set say says required requires expected in".split(
		" ",
	),
);

/** Flat key=value files, where a dotted key (spring.datasource.url) is written whole on its line. */
const FLAT_KEYS = /\.(properties|ini|cfg|conf|env)$|(^|\/)\.env(\.[\w-]+)?$/i;

const KEY = "[A-Za-z_][\\w-]*(?:\\.[A-Za-z_][\\w-]*)*";
const Q = "[`'\"]?";
/** Where the key's name ends: before "in settings.py", a comma, a question mark, the end. */
const END = "(?=\\s+(?:in|inside|from|of|at|on|for)\\b|\\s*[?,.!]|\\s*$)";

/** A key a person names by itself: MAX_UPLOAD_SIZE, maxUploadSize, max-connections, spring.datasource.url. */
const CODE_KEY = /^(?:[\w-]*[_.-][\w.-]*|[a-z]+[A-Z]\w*)$/;

/**
 * Where a question names the key whose value it wants, most specific first, and which names count:
 * `code` keys only (above), or also a plain lower-case word ("value of replicas", "the version field"),
 * or also a lone ALL-CAPS word ("what is DEBUG set to"). "the API key" is English, not a key named API.
 */
const KEY_PATTERNS: { re: RegExp; plain: boolean; caps: boolean }[] = [
	{ re: new RegExp(`\\bvalue\\s+(?:of|for)\\s+(?:the\\s+)?${Q}(${KEY})${Q}${END}`, "i"), plain: true, caps: false },
	{ re: new RegExp(`${Q}(${KEY})${Q}\\s+(?:set\\s+to|equal\\s+to|configured\\s+(?:as|to))\\b`, "i"), plain: true, caps: true },
	{ re: new RegExp(`\\bset\\s+${Q}(${KEY})${Q}\\s+to\\b`, "i"), plain: true, caps: true },
	{ re: new RegExp(`${Q}(${KEY})${Q}\\s+(?:field|setting|option|entry|param(?:eter)?)\\b`, "i"), plain: true, caps: false },
	{ re: new RegExp(`${Q}(${KEY})${Q}\\s+(?:key|value|variable|var|constant|env var)\\b`, "i"), plain: false, caps: false },
	// "what's MAX_RETRIES in client.ts": a named constant only; "what is getUserById in users.ts" asks what the code does.
	{ re: /\b[Ww]hat(?:'s|s|\s+is)\s+[`'"]?([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)[`'"]?(?=\s)/, plain: false, caps: false },
];

// "line 5", "lines 10-20", and one line said by its ordinal: "the 5th line" (group 4).
const RANGE =
	/\b(?:from\s+)?lines?\s+(\d{1,7})\s*(?:-|–|to|through|thru|until)\s*(?:line\s+)?(\d{1,7})\b|\bline\s+(\d{1,7})\b(?!\s*(?:-|–|to|through|thru|until)\s*\d)|\b(?:the\s+)?(\d{1,7})(?:st|nd|rd|th)\s+line\b/i;
/** read_lines returns at most this many lines; a longer range is read whole and left to the LLM. */
export const MAX_RANGE_LINES = 2000;

/** The words of `text` that are not filler (nor in `extra`), lower-cased. */
export function residue(text: string, extra: Set<string> = new Set()): string[] {
	return (text.toLowerCase().match(/[a-z0-9][\w'.-]*/g) ?? []).map(w => w.replace(/[.'-]+$/, "")).filter(w => w && !FILLER.has(w) && !extra.has(w));
}

function keyOf(topic: string): { key: string; at: RegExpExecArray } | null {
	for (const { re, plain, caps } of KEY_PATTERNS) {
		const m = re.exec(topic);
		if (!m) continue;
		const key = m[1];
		const named = CODE_KEY.test(key) ? /[a-z]/i.test(key) : plain && /^[a-z]+$/.test(key) ? true : caps && /^[A-Z][A-Z0-9]{2,}$/.test(key);
		if (named && !FILLER.has(key.toLowerCase()) && !KEY_WORDS.has(key.toLowerCase())) return { key, at: m };
	}
	return null;
}

/**
 * The exact lookup a question about the one named `file` amounts to, or null. `topic` is the request
 * with its path tokens blanked.
 */
export function lookupOp(topic: string, file: string): LookupOp | null {
	const range = RANGE.exec(topic);
	if (range) {
		const start = Number(range[1] ?? range[3] ?? range[4]);
		const end = Number(range[2] ?? range[3] ?? range[4]);
		if (start < 1 || end < start || end - start + 1 > MAX_RANGE_LINES) return null;
		// "from line 2", "starting with line 2", "line 10 onward": one end only, the rest of the file; not that one line.
		if (
			range[3] !== undefined &&
			(/\b(?:from|starting|beginning|after|since|past)\s+(?:(?:at|with|from)\s+)?(?:the\s+)?$/i.test(topic.slice(0, range.index)) ||
				/^\s*(?:on(?:wards?)?\b|and\s+(?:on|after|below|beyond|later|following)\b|to\s+the\s+end\b|till\s+the\s+end\b|until\s+the\s+end\b)/i.test(
					topic.slice(range.index + range[0].length),
				))
		)
			return null;
		const rest = topic.slice(0, range.index) + " " + topic.slice(range.index + range[0].length);
		return residue(rest).length ? null : { op: "lines", path: file, start, end };
	}
	if (VERSION_FILE.test(file)) return residue(topic, VERSION_WORDS).length ? null : { op: "read", path: file };
	const found = keyOf(topic);
	if (!found) return null;
	const { key, at } = found;
	if (key.includes(".") && !FLAT_KEYS.test(file)) return null; // a nested key (image.tag in YAML) is not on one line
	const rest = topic.slice(0, at.index) + " " + topic.slice(at.index + at[0].length);
	if (residue(rest, KEY_WORDS).length) return null;
	// The key as a whole word, wherever it is set or read: `KEY = v`, `key: v`, `"key": v`, `KEY=v`;
	// value_block adds the lines below a key whose value is a nested block (`ttl_seconds:` in YAML).
	return { op: "grep", pattern: `(?<![\\w-])${escapeRegExp(key)}(?![\\w-])`, path: file, regex: true, case_sensitive: false, value_block: true };
}
