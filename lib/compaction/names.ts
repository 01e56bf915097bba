import { Memo } from "../memo";
import { MEMO_CHARS } from "./types";

/**
 * Names as compaction sees them, for deciding which lines of an old message survive: fast
 * (one regular expression per line, memoized per message text), and split so that
 * `./sympy/printing/str.py:45` and `StrPrinter._print_Add` meet the `str.py` and `_print_Add`
 * an assistant turn mentioned. A name is a file name with an extension, or a code identifier
 * with an underscore or an inner capital, or a call `name(`; plain words ("sympy", "printing")
 * are not names, or every line of a listing would count as named.
 */

const TOKEN = /[A-Za-z_$][\w$]*(?:[./-][\w$]+)*(?:\()?/g;
const FILE_NAME = /^[\w$-]+\.[A-Za-z][\w]{0,5}$/;
const CODE_NAME = /^_*[A-Za-z$][\w$]*(?:_[\w$]*|[a-z0-9][A-Z][\w$]*)$|^_[\w$]{2,}$/;

function addName(out: Set<string>, s: string) {
	if (s.length >= 3 && (FILE_NAME.test(s) || CODE_NAME.test(s))) out.add(s);
}

/** The names in one line (or any text). */
export function lineNames(line: string, out = new Set<string>()): Set<string> {
	TOKEN.lastIndex = 0;
	for (let m = TOKEN.exec(line); m; m = TOKEN.exec(line)) {
		let tok = m[0];
		const call = tok.endsWith("(");
		if (call) tok = tok.slice(0, -1);
		const segments = tok.split("/");
		const last = segments[segments.length - 1];
		addName(out, last);
		for (const s of segments) for (const part of s.split(".")) addName(out, part);
		// A call names a function even when it is a plain word: `render(`.
		if (call) {
			const fn = last.split(".").pop()!;
			if (fn.length >= 3) out.add(fn);
		}
	}
	return out;
}

/** What one line's set of names holds beyond its names, in characters' worth (a V8 Set is ~100 bytes empty). */
const LINE_SET_CHARS = 64;

/**
 * Per message text: the names of each line, computed once per distinct text (bounded memo: in entries, and in the text
 * and a set per line it holds, as the compaction memos are: MEMO_CHARS).
 */
const memo = new Memo<string, Set<string>[]>(4096, { chars: MEMO_CHARS, weigh: (text, lines) => text.length + LINE_SET_CHARS * lines.length });

/** Characters the memo holds (compact.ts memoChars). */
export const namesMemoChars = (): number => memo.chars;

export function namesByLine(text: string): Set<string>[] {
	return memo.get(text, () => text.split("\n").map(l => lineNames(l)));
}
