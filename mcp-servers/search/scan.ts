/** The line scan shared by search_text and find_definition: match line by line, clip, add enclosing names and value blocks. */
import { enclosingFinder, indentOf } from "./enclosing";
import { shown, textFiles, type Walk } from "./files";
import { LIMITS } from "./limits";

export interface Match {
	file: string;
	line: number;
	text: string;
	/** The function, method or class the line is in, or "top level" (search_text with enclosing). */
	in?: string;
	/** The lines that continue the value the matched line opens (search_text with value_block). */
	block?: { line: number; text: string }[];
}

function clip(line: string): string {
	const t = line.trim();
	return t.length > LIMITS.max_line_chars ? `${t.slice(0, LIMITS.max_line_chars)}…` : t;
}

/** Indexes of the lines of one file that match, computed here or in a worker. */
export type LineMatcher = (lines: string[], path: string) => number[] | Promise<number[]>;

export const lineTest =
	(test: (line: string) => boolean): LineMatcher =>
	lines =>
		lines.flatMap((l, i) => (test(l) ? [i] : []));

/** A line that leaves its value to the lines below: `key:`, `KEY = [`, `env: {`, a YAML block scalar `key: |`. */
const OPENS_VALUE = /(?::|=|\{|\[|\(|:\s*[|>][-+]?)\s*$/;

/**
 * The lines that hold the value line `i` opens: those indented deeper below it (YAML, Python,
 * pretty JSON), blank lines inside, and the bracket that closes it at its own indentation.
 * Nothing when the line holds its value itself (`replicas: 3`, `MAX = 10`).
 */
export function valueBlock(lines: string[], i: number, max = LIMITS.max_block_lines): { line: number; text: string }[] {
	if (!OPENS_VALUE.test(lines[i])) return [];
	const base = indentOf(lines[i]);
	const out: { line: number; text: string }[] = [];
	for (let j = i + 1; j < lines.length && out.length < max; j++) {
		const l = lines[j];
		if (!l.trim()) {
			const next = lines.slice(j + 1).find(x => x.trim());
			if (next === undefined || indentOf(next) <= base) break;
			continue;
		}
		if (indentOf(l) > base) {
			out.push({ line: j + 1, text: l.slice(base).trimEnd().slice(0, LIMITS.max_line_chars) });
			continue;
		}
		if (/^\s*[}\])]/.test(l) && indentOf(l) === base) out.push({ line: j + 1, text: l.slice(base).trimEnd() });
		break;
	}
	return out;
}

export interface ScanOptions {
	glob?: string;
	/** Name the function each match is in (known languages). */
	enclosing?: boolean;
	/** Add the lines that continue the value a matched line opens. */
	valueBlock?: boolean;
}

/** Matches line by line under `start`, at most `max`. */
export async function scan(start: string, roots: string[], match: LineMatcher, max: number, opts: ScanOptions = {}): Promise<{ matches: Match[] } & Walk> {
	const { glob, enclosing = false } = opts;
	const walk: Walk = { files_scanned: 0, files_skipped: 0, truncated: false };
	const matches: Match[] = [];
	for await (const f of textFiles(start, roots, walk, glob)) {
		const lines = f.text.split(/\r?\n/);
		const within = enclosing ? enclosingFinder(f.path) : null;
		for (const i of await match(lines, f.path)) {
			if (matches.length >= max) {
				walk.truncated = true;
				return { matches, ...walk };
			}
			const block = opts.valueBlock ? valueBlock(lines, i) : [];
			matches.push({
				file: shown(f.path, roots),
				line: i + 1,
				text: clip(lines[i]),
				...(within ? { in: within(lines, i) } : {}),
				...(block.length ? { block } : {}),
			});
		}
	}
	return { matches, ...walk };
}
