/** The language tables: declaration patterns per file extension, for find_definition and the enclosing-function finder. */
import { escapeRegExp } from "../../lib/regex";

/**
 * Definition patterns per language, by file extension; `n` is the escaped name. `scopes` are the
 * indexes of the patterns whose declaration opens a body (functions, methods, classes): the ones
 * that can enclose a match.
 */
const DEFINITIONS: { exts: string[]; patterns: ((n: string) => RegExp)[]; scopes: number[] }[] = [
	{
		exts: ["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"],
		scopes: [0, 1, 3, 4, 5],
		patterns: [
			n => new RegExp(`\\bfunction\\s*\\*?\\s*${n}\\s*[<(]`),
			// Not the `type N` of `import { type N }`, `{ type N as M }` or `import type N from`.
			n => new RegExp(`\\b(class|interface|type|enum|namespace)\\s+${n}\\b(?!\\s*(?:[,}]|as\\b|from\\b))`),
			n => new RegExp(`\\b(const|let|var)\\s+${n}\\s*[=:]`),
			// A method or object member: `name(...) {`, `async name(`, `name: function`, `name = (...) =>`.
			n =>
				new RegExp(
					`^\\s*(?:(?:public|private|protected|static|async|readonly|override|get|set)\\s+)*${n}\\s*(?:<[^>]*>)?\\s*\\([^;]*\\)\\s*(?::\\s*[^=;]+)?\\{\\s*$`,
				),
			n =>
				new RegExp(
					`^\\s*(?:(?:public|private|protected|static|readonly)\\s+)*${n}\\s*[:=]\\s*(?:async\\s+)?(?:function\\b|\\([^)]*\\)\\s*=>|\\w+\\s*=>)`,
				),
			// A function held in a variable: `const send = async (msg) => {`.
			n => new RegExp(`\\b(?:const|let|var)\\s+${n}\\s*(?::[^=]+)?=\\s*(?:async\\s+)?(?:function\\b|\\([^)]*\\)\\s*(?::[^=]+)?=>|[\\w$]+\\s*=>)`),
		],
	},
	{
		exts: ["py", "pyi"],
		scopes: [0, 1],
		patterns: [
			n => new RegExp(`^\\s*(?:async\\s+)?def\\s+${n}\\s*\\(`),
			n => new RegExp(`^\\s*class\\s+${n}\\b`),
			n => new RegExp(`^${n}\\s*(?::[^=]+)?=(?!=)`),
		],
	},
	{
		exts: ["go"],
		scopes: [0, 1],
		patterns: [
			n => new RegExp(`^func\\s+(?:\\([^)]*\\)\\s*)?${n}\\s*[\\[(]`),
			n => new RegExp(`^\\s*type\\s+${n}\\b`),
			n => new RegExp(`^\\s*(?:var|const)\\s+${n}\\b`),
		],
	},
	{
		exts: ["java", "kt", "scala", "cs"],
		scopes: [0, 1, 2],
		patterns: [
			n => new RegExp(`\\b(class|interface|enum|record|object|trait|struct)\\s+${n}\\b`),
			// A method declaration: modifiers and a return type, the name, a parameter list, not a call statement.
			n =>
				new RegExp(
					`^\\s*(?:(?:public|private|protected|internal|static|final|abstract|synchronized|override|suspend|fun|def|async|virtual)\\s+)+[\\w<>\\[\\],.? ]*\\b${n}\\s*\\(`,
				),
			n => new RegExp(`^\\s*fun\\s+${n}\\s*\\(`),
		],
	},
	{
		exts: ["rs"],
		scopes: [0, 1],
		patterns: [
			n => new RegExp(`\\bfn\\s+${n}\\s*[<(]`),
			n => new RegExp(`\\b(struct|enum|trait|type|mod|union)\\s+${n}\\b`),
			n => new RegExp(`\\b(const|static)\\s+(?:mut\\s+)?${n}\\s*:`),
			n => new RegExp(`\\bmacro_rules!\\s*${n}\\b`),
		],
	},
];

export function languageOf(file: string): (typeof DEFINITIONS)[number] | undefined {
	const ext = file.slice(file.lastIndexOf(".") + 1).toLowerCase();
	return DEFINITIONS.find(d => d.exts.includes(ext));
}

export function definitionTest(file: string, name: string): ((line: string) => boolean) | null {
	const lang = languageOf(file);
	if (!lang) return null;
	const regexes = lang.patterns.map(p => p(escapeRegExp(name)));
	return line => line.includes(name) && regexes.some(r => r.test(line));
}

/** The files find_definition walks when given a folder: every extension of the tables. */
export const DEFINITION_GLOB = `**/*.{${[...new Set(DEFINITIONS.flatMap(d => d.exts))].join(",")}}`;
