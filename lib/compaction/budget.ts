import { namesByLine } from "./names";

/**
 * How the budget level shortens one old message at a given stage (1 = gentlest). A stage is a
 * fixed rule, so a message compacts to the same bytes at the same stage on every call.
 * Tool output keeps its first and last lines and every line naming something the conversation
 * used; an assistant turn keeps its commands (fenced code) whole and, from its prose, the first
 * line and the lines naming something. Every elision is marked with the count of lines it took.
 */
export interface Stage {
	head: number;
	tail: number;
	/** Most named lines kept from one tool output (the first ones). */
	maxNamed: number;
	/** Longest kept line of a tool output, in characters; longer ones are cut with a mark. */
	maxLineChars: number;
	/** Assistant prose: "all", "named" (first line + named lines), or "none" (code only). */
	prose: "all" | "named" | "none";
}

export const STAGES: Stage[] = [
	{ head: 10, tail: 10, maxNamed: 200, maxLineChars: 2000, prose: "all" },
	{ head: 5, tail: 5, maxNamed: 80, maxLineChars: 500, prose: "named" },
	{ head: 3, tail: 3, maxNamed: 40, maxLineChars: 300, prose: "named" },
	{ head: 1, tail: 2, maxNamed: 20, maxLineChars: 200, prose: "none" },
];

export function elision(lines: number): string {
	return `[… ${lines} line${lines === 1 ? "" : "s"} elided]`;
}

function cut(line: string, max: number): string {
	return line.length <= max ? line : `${line.slice(0, max)}[… ${line.length - max} chars elided]`;
}

/** The names the conversation has used so far, as compaction asks about them: membership only. */
export interface UsedNames {
	has(name: string): boolean;
}

function hasUsed(names: Set<string>, used: UsedNames): boolean {
	for (const n of names) if (used.has(n)) return true;
	return false;
}

/**
 * Joins kept lines, one mark for each run of dropped ones; a run shorter than its mark stays (the
 * mark would make the message longer, not shorter).
 */
function assemble(lines: string[], keep: boolean[]): string {
	const out: string[] = [];
	let from = 0;
	let chars = 0;
	const flush = (to: number) => {
		const dropped = to - from;
		if (!dropped) return;
		const mark = elision(dropped);
		if (chars + dropped - 1 <= mark.length) for (let j = from; j < to; j++) out.push(lines[j]);
		else out.push(mark);
	};
	for (let i = 0; i < lines.length; i++) {
		if (keep[i]) {
			flush(i);
			from = i + 1;
			chars = 0;
			out.push(lines[i]);
		} else chars += lines[i].length;
	}
	flush(lines.length);
	return out.join("\n");
}

export function shortenToolOutput(text: string, stage: Stage, used: UsedNames): string {
	const lines = text.split("\n");
	if (lines.length <= stage.head + stage.tail + 1) return lines.map(l => cut(l, stage.maxLineChars)).join("\n");
	const names = namesByLine(text);
	const keep = lines.map((_, i) => i < stage.head || i >= lines.length - stage.tail);
	let named = 0;
	for (let i = stage.head; i < lines.length - stage.tail && named < stage.maxNamed; i++) {
		if (hasUsed(names[i], used)) {
			keep[i] = true;
			named++;
		}
	}
	return assemble(
		lines.map(l => cut(l, stage.maxLineChars)),
		keep,
	);
}

export function shortenAssistant(text: string, stage: Stage, used: UsedNames): string {
	if (stage.prose === "all") return text;
	const lines = text.split("\n");
	const names = namesByLine(text);
	const keep: boolean[] = [];
	let inFence = false;
	let firstProse = true;
	for (let i = 0; i < lines.length; i++) {
		const fence = /^\s*```/.test(lines[i]);
		if (fence || inFence) keep.push(true);
		else if (!lines[i].trim()) keep.push(false);
		else {
			keep.push(stage.prose === "named" && (firstProse || hasUsed(names[i], used)));
			firstProse = false;
		}
		if (fence) inFence = !inFence;
	}
	return assemble(lines, keep);
}
