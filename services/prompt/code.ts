/**
 * Code pasted into a request: the spans no rewrite may touch at all, whitespace included. Indentation is syntax in
 * Python and YAML, a Makefile recipe starts with a TAB and a trailing space is part of a Make variable's value, a
 * statement's `;` and an `a` in `a if a else b` are code, not filler. Developers paste code without fences
 * (a third of real_requests/codechat-prompts.jsonl does), so lines are judged one by one.
 */

export interface Span {
	start: number;
	end: number;
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
/** Indented by a TAB or two or more spaces: a block's body, a continuation, a Makefile recipe. */
const INDENTED = /^(?:\t| {2,})\S/;
/** Ends as a statement or a block does, or opens a call, a list or a block. */
const CODE_END = /[;{}[(]\s*$|\)\s*:?\s*$/;
/**
 * Starts as only code does: a closing bracket, a comment (`#` too: a Python or shell comment between code lines; a
 * markdown heading only loses its compression), a directive or decorator, a tag, a table row, a prompt.
 */
const CODE_START = /^\s*(?:[}\])]|\/\/|\/\*|\*\/|#|@\w|<\/?[A-Za-z!?][^>]*>|\||\$ |>>> )/;
/** Operators no sentence has. */
const CODE_OPERATOR = /\s=\s|[=!<>+\-*/%&|^]=|=>|->|::|&&|\|\||\w\([^()\n]*\)|\w\[[^[\]\n]*\]/;
/** Keywords that open a statement of a common language (lower case: "Import the module" is a sentence). */
const CODE_KEYWORD =
	/^\s*(?:def|class|import|from\s+\S+\s+import|return|const|let|var|function|async\s+function|export|public|private|protected|static|package|using|namespace|struct|enum|fn|func|impl|pub|elif|else:|try:|except\b|finally:|SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP)\b/;
/**
 * A line that opens an indented block: a key or label ending in a colon (YAML `jobs:`, a Makefile `clean:`) or a Python
 * compound statement (`for x in xs:`); "Here is the code:" before a paste is prose.
 */
const OPENS_BLOCK = /^\s*(?:[^\s:]+|(?:if|for|while|with|elif|async|match|case)\s.*):\s*$/;
/** A Makefile rule (`app: main.c util.c`), followed by its TAB-indented recipe. */
const MAKE_RULE = /^[\w.%$()/-]+(?:\s+[\w.%$()/-]+)*\s*::?(?:\s|$)/;

function isCodeLine(line: string, next: string | undefined): boolean {
	if (!line.trim()) return false;
	if (INDENTED.test(line) || CODE_END.test(line) || CODE_START.test(line) || CODE_KEYWORD.test(line) || CODE_OPERATOR.test(line)) return true;
	if (next === undefined) return false;
	return (OPENS_BLOCK.test(line) && INDENTED.test(next)) || (MAKE_RULE.test(line) && next.startsWith("\t"));
}

/**
 * The code of a text as spans of whole lines: each fenced block (fences included; an unclosed fence runs to the end),
 * and each run of code lines with the blank lines between them, from the first line's indentation to the last line's
 * end (its trailing blanks included). Everything else is prose.
 */
export function codeSpans(text: string): Span[] {
	const lines = text.split("\n");
	const spans: Span[] = [];
	let at = 0;
	let open: Span | undefined;
	let fence: string | undefined;
	const close = () => {
		if (open) spans.push(open);
		open = undefined;
	};
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i];
		const start = at;
		const end = at + line.length;
		at = end + 1;
		const marker = FENCE.exec(line)?.[1];
		let code: boolean;
		if (fence !== undefined) {
			code = true;
			if (marker && marker[0] === fence[0] && marker.length >= fence.length && !line.trim().slice(marker.length).trim()) fence = undefined;
		} else if (marker) {
			code = true;
			fence = marker;
		} else {
			code = isCodeLine(line, lines[i + 1]);
		}
		if (code) {
			if (open) open.end = end;
			else open = { start, end };
		} else if (line.trim()) {
			close();
		}
	}
	close();
	return spans;
}
