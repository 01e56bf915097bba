import { codeSpans } from "./code";
import { extractTerms } from "./terms";

/**
 * Rule-based compression of request text: greetings, politeness wrappers, hedges and articles go;
 * every other word stays, in order. Protected terms and pasted code (prompt/code.ts) are masked
 * before any rule runs, so an identifier, path, number, version, quoted string, name or line of
 * code cannot be touched, its whitespace included, and a final check returns the text unchanged
 * if one were missing anyway.
 */

export interface Compressed {
	text: string;
	/** The filler phrases removed, lower-cased, in first-seen order. */
	removed: string[];
}

// Each rule removes whole words only; the captured filler is what `removed` reports.
const FILLERS: RegExp[] = [
	// Openers and discourse markers at the start of the text or a sentence.
	/(?<=^|[.!?]\s+)(?:(?:hi|hey|hello)(?:\s+there)?|ok(?:ay)?\s+so|so|well|um+|uh+)\b[\s,!.]*/gi,
	/(?<=^|[.!?]\s+)(?:quick\s+question|quick\s+sanity\s+check|bit\s+of\s+context|some\s+background\s+first|background|fwiw|btw)\s*:\s*/gi,
	// Sign-offs.
	/\b(?:thanks|thank\s+you|thx|ty)(?:\s+(?:so\s+much|a\s+lot|in\s+advance))?\s*[!.]*(?=\s*$|\s+[A-Z])/gi,
	// \u0001 marks a protected term held out of the text (see below): the control character is the point.
	/* eslint-disable no-control-regex */
	// Request wrappers: the imperative that follows carries the meaning.
	/\bwould\s+you\s+mind\s+/gi,
	/\b(?:could|can|would|will)\s+(?:you|u)(?:\s+please)?(?:\s+(?:help\s+me|maybe))?\s+(?=[\w\u0001])/gi,
	/\b(?:do\s+you\s+think\s+you\s+could|is\s+it\s+possible\s+to|i\s+was\s+wondering\s+if\s+(?:you\s+could\s+)?)\s*/gi,
	/\bi(?:'d|\s+would)\s+like\s+(?:you\s+)?to\s+/gi,
	/\bi\s+(?:want|need)\s+you\s+to\s+/gi,
	/\b(?:please|pls|plz|kindly)\b[\s,]*/gi,
	/\s*\b(?:if\s+possible|if\s+you\s+can|would\s+be\s+great|for\s+me)\b/gi,
	// Hedges and intensifiers that change nothing a model does.
	/\b(?:just|actually|basically|really|simply|literally|kind\s+of|sort\s+of)\s+(?=[\w\u0001])/gi,
	// Articles before a word; not before a function word, where "a" is a name ("a and b", "a number a with power -1").
	/\b(?:the|an?)\s+(?!(?:and|or|is|are|was|were|with|of|in|on|to|for|from|by|at|as|if|mod|=|,)\b)(?=[\w\u0001])/gi,
	/* eslint-enable no-control-regex */
];

/** The rules in the order compressText runs them: all, then the first two again (built once, not per call). */
const PASSES: RegExp[] = [...FILLERS, ...FILLERS.slice(0, 2)];

const OPEN = "\u0001";
const CLOSE = "\u0002";

/** Code blocks whole, then the protected terms of the prose between them, each held out as a placeholder. */
function mask(text: string): { masked: string; spans: string[] } {
	const code = codeSpans(text);
	const held = [...code];
	let c = 0;
	for (const t of extractTerms(text)) {
		while (c < code.length && code[c].end <= t.start) c++;
		if (c < code.length && code[c].start < t.end) continue;
		held.push(t);
	}
	held.sort((a, b) => a.start - b.start);
	const spans: string[] = [];
	let masked = "";
	let at = 0;
	for (const t of held) {
		masked += text.slice(at, t.start) + OPEN + spans.length + CLOSE;
		spans.push(text.slice(t.start, t.end));
		at = t.end;
	}
	return { masked: masked + text.slice(at), spans };
}

/** A masked term's placeholder; built once (global: `replace` starts it at lastIndex 0 and leaves it there). */
const PLACEHOLDER = new RegExp(`${OPEN}(\\d+)${CLOSE}`, "g");

function unmask(masked: string, spans: string[]): string {
	return masked.replace(PLACEHOLDER, (_m, i: string) => spans[Number(i)]);
}

/** tidy's and compressText's patterns, compiled once (a regex literal in a function is a new object each time it runs). */
const SPACE_RUN = /[ \t]{2,}/g;
const SPACE_BEFORE_MARK = / +([,;:!?.])(?=\s|$)/g;
const MARK_RUN = /([,;:])(?:\s*[,;:])+/g;
const LEADING_MARKS = /^[\s,;:]+/;
const TRAILING_MARKS = /[\s,;]+$/;
const BLANK_LINES = /\n{3,}/g;
const TRAILING_PUNCT = /[\s,!.:]+$/;
const SPACES = /\s+/g;

/** Spaces and punctuation left behind by removals, tidied; line breaks are kept (they carry structure). */
function tidy(text: string): string {
	return text
		.split("\n")
		.map(line =>
			line.replace(SPACE_RUN, " ").replace(SPACE_BEFORE_MARK, "$1").replace(MARK_RUN, "$1").replace(LEADING_MARKS, "").replace(TRAILING_MARKS, ""),
		)
		.join("\n")
		.replace(BLANK_LINES, "\n\n")
		.trim();
}

/** Every span still there, in order: one forward scan, linear even for a 100 kB request with thousands of terms. */
function inOrder(spans: string[], text: string): boolean {
	let at = 0;
	for (const span of spans) {
		const i = text.indexOf(span, at);
		if (i < 0) return false;
		at = i + span.length;
	}
	return true;
}

export function compressText(text: string): Compressed {
	const { masked, spans } = mask(text);
	const removed: string[] = [];
	let out = masked;
	// Twice: removing "hey" makes "so," the new start of the sentence.
	for (const re of PASSES) {
		out = out.replace(re, (m: string) => {
			const phrase = m.trim().replace(TRAILING_PUNCT, "").toLowerCase().replace(SPACES, " ");
			if (phrase && !removed.includes(phrase)) removed.push(phrase);
			return m.startsWith(" ") ? " " : "";
		});
	}
	// Tidied before the spans go back: what tidy collapses (space runs, leading blanks, a line's last `;`) is the prose's.
	const result = unmask(tidy(out), spans);
	// Belt and braces: masking makes this impossible, but a lost term would cost more than any saving.
	if (!result || !inOrder(spans, result)) return { text: text.trim(), removed: [] };
	return { text: result, removed };
}
