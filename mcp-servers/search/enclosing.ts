/** The enclosing-function finder: which function, method or class a matched line is in (search_text with enclosing). */
import { languageOf } from "./languages";

/** How far a line is indented (tabs and spaces count one each). */
export const indentOf = (line: string) => line.length - line.trimStart().length;

/** Words the method pattern would take for a name: `if (x) {` is not a method called if. */
const KEYWORDS = new Set("if for while switch catch with return function else do try new typeof await yield super this constructor".split(" "));
const COMMENT = /^\s*(#|\/\/|\/\*|\*)/;

/**
 * For a file in a known language, a function naming the declaration a line is inside: the nearest
 * function, method or class above it that is indented less (so a function that closed before the
 * line does not count), the line's own one-line function, or "top level". By declaration patterns and indentation, no parsing:
 * candidates, like find_definition's. Null for other languages.
 */
export function enclosingFinder(file: string): ((lines: string[], i: number) => string) | null {
	const lang = languageOf(file);
	if (!lang) return null;
	const scopes = lang.scopes.map(k => lang.patterns[k]("(?<name>[A-Za-z_$][\\w$]*)"));
	const declared = (line: string) => {
		for (const re of scopes) {
			const name = re.exec(line)?.groups?.name;
			if (name && !KEYWORDS.has(name)) return name;
		}
		return undefined;
	};
	return (lines, i) => {
		// A one-line function (`const show = (id) => load(id);`, `def f(): return g()`) encloses its own body;
		// a line opening a body (`function load(id) {`) is the declaration itself, inside what is above it.
		const own = declared(lines[i]);
		if (own && !/[{:(,]$/.test(lines[i].replace(/\s*(\/\/.*|#.*)$/, "").trimEnd())) return own;
		let limit = indentOf(lines[i]);
		for (let j = i - 1; j >= 0 && limit > 0; j--) {
			const line = lines[j];
			if (!line.trim() || COMMENT.test(line) || indentOf(line) >= limit) continue;
			limit = indentOf(line);
			const name = declared(line);
			if (name) return name;
		}
		return "top level";
	};
}
