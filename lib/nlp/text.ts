/**
 * Text normalisation and tokenisation shared by the intent classifier and the
 * complexity scorer. Kept dependency-free and allocation-light because both
 * models run on every request (budget: well under 1 ms).
 */

const ASCII = /^[^\u0080-\uffff]*$/;
// normalize's and rawTokens' patterns, compiled once: a regex literal in a function is a new RegExp each time it runs
// (replace and match start a global regex at 0 and leave it there; split and a non-global test ignore lastIndex).
const BACKTICKS = /`/g;
const SPACE_RUNS = /\s+/g;
const SINGLE_QUOTES = /[\u2018\u2019\u201B`]/g;
const DOUBLE_QUOTES = /[\u201C\u201D]/g;
const DASHES = /[\u2013\u2014]/g;
const RAW_TOKEN = /[a-z0-9_][a-z0-9_./@#*:-]*[a-z0-9_*/]|[a-z0-9_]/g;
const PATH_MARK = /[/.]/;
const TRAILING_MARKS = /[.:,-]+$/;

/**
 * Lower-cases, folds Unicode look-alikes and collapses whitespace. An ASCII text (most requests) skips NFKC and the
 * look-alike folds: NFKC leaves every ASCII character as it is and the folded characters are not ASCII, so only the
 * backtick remains to fold. The same string without ICU's normalization pass: `normalize` took 5.2 us a request in the
 * gateway's profile against 0.6 us alone (docs/overhead.md, branch s9-perf).
 */
export function normalize(text: string): string {
	if (ASCII.test(text)) return text.replace(BACKTICKS, "'").toLowerCase().replace(SPACE_RUNS, " ").trim();
	return text.normalize("NFKC").replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"').replace(DASHES, "-").toLowerCase().replace(SPACE_RUNS, " ").trim();
}

/**
 * Bounds the text that feature extraction reads: the opening states the ask
 * and the end often restates it, while a pasted 200 kB log in the middle
 * would only cost time. Length signals use the full length separately.
 */
export function clip(text: string, head = 4000, tail = 1000): string {
	return text.length <= head + tail ? text : `${text.slice(0, head)}\n${text.slice(-tail)}`;
}

const LETTER_WORD = /[A-Za-z]{2,}/g;

/**
 * Whether `line` holds fewer than `n` runs of two or more ASCII letters: `(line.match(/[A-Za-z]{2,}/g) ?? []).length < n`,
 * stopping at the n-th run rather than making a string of every word of the line (the intent and complexity models'
 * test of a pasted line, run on every line of every request).
 */
export function fewerLetterWords(line: string, n: number): boolean {
	LETTER_WORD.lastIndex = 0;
	let found = 0;
	while (found < n && LETTER_WORD.test(line)) found++;
	LETTER_WORD.lastIndex = 0;
	return found < n;
}

/**
 * `(text.match(re) ?? []).length` for a global `re` that never matches an empty string (every caller's): the same
 * matches stepped through by `test`, which makes no match array and no string per match. The feature counts of every
 * request (intent shape, complexity shape, difficulty signals) made one of each per match.
 */
export function countMatches(text: string, re: RegExp): number {
	re.lastIndex = 0;
	let n = 0;
	while (re.test(text)) n++;
	re.lastIndex = 0;
	return n;
}

/**
 * Counts of a text's ASCII letters, upper-case ASCII letters, ASCII digits and question marks: what
 * `/[a-z]/gi`, `/[A-Z]/g`, `/\d/g` and `/\?/g` count (none of them matches a character outside ASCII), in one
 * pass over the code units without a one-character string per match.
 */
export function charClassCounts(text: string): { letters: number; upper: number; digits: number; questions: number } {
	let letters = 0;
	let upper = 0;
	let digits = 0;
	let questions = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c >= 65 && c <= 90) {
			letters++;
			upper++;
		} else if (c >= 97 && c <= 122) letters++;
		else if (c >= 48 && c <= 57) digits++;
		else if (c === 63) questions++;
	}
	return { letters, upper, digits, questions };
}

/**
 * log(1 + x) scaled so that `cap` maps to 1, capped at 1: how the models put a count in [0, 1]. One module-level
 * function: the per-call closures it replaces were each a new function per request, and under tsx (how the server
 * runs) each was also named by a defineProperty call (esbuild's keepNames).
 */
export const logScale = (x: number, cap: number): number => Math.min(1, Math.log1p(x) / Math.log1p(cap));

/** Placeholder classes for tokens whose exact spelling carries no signal. */
const PATH_RE = /^(?:\.{0,2}\/)?[\w.-]+(?:\/[\w.*-]+)+\/?$|^[\w-]*\.(?:[a-z]{1,5})$/;
const NUMBER_RE = /^\d+(?:[.,:]\d+)*(?:%|ms|s|m|h|gb|mb|kb|k|x)?$/;
const VERSION_RE = /^v?\d+(?:\.\d+)+(?:[.-]\w+)?$/;

/**
 * Splits into word tokens. Paths, versions and numbers are kept as one token
 * so that the placeholder mapping below can see them whole.
 */
export function rawTokens(normalized: string): string[] {
	return normalized.match(RAW_TOKEN) ?? [];
}

/** Maps a raw token to a generalised word: placeholders for paths/numbers. */
export function wordOf(token: string): string {
	if (VERSION_RE.test(token)) return "<ver>";
	if (NUMBER_RE.test(token)) return "<num>";
	if (token.includes("@") && token.includes(".")) return "<email>";
	if (PATH_RE.test(token) && PATH_MARK.test(token)) return "<path>";
	return token.replace(TRAILING_MARKS, "");
}

/**
 * A deliberately crude suffix stripper: non-native writers and terse
 * requests vary inflection ("deploying", "deployed", "deploys"), and with 200
 * training examples every merged surface form matters.
 */
export function stem(word: string): string {
	if (word.length <= 4 || word.startsWith("<")) return word;
	for (const suffix of ["ing", "ed", "es", "s"]) {
		if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
			return word.slice(0, -suffix.length);
		}
	}
	return word;
}

/** Generalised, stemmed word sequence of a request. */
export function words(normalized: string): string[] {
	return rawTokens(normalized).map(t => stem(wordOf(t)));
}

/**
 * Distinct character n-grams inside word boundaries (like scikit-learn's
 * `char_wb`), each prefixed: robust to typos ("teh", "whereis") and unseen
 * inflections. Built with plain loops: this is the hottest path at run time.
 */
export function charNgramSet(tokens: string[], min: number, max: number, prefix: string): Set<string> {
	const grams = new Set<string>();
	for (const token of tokens) {
		const padded = prefix + " " + token + " ";
		for (let n = min; n <= max; n++) {
			for (let i = prefix.length; i + n <= padded.length; i++) grams.add(prefix + padded.slice(i, i + n));
		}
	}
	return grams;
}
