/**
 * The ask of a request apart from what it pastes (code, logs, tracebacks, data): LABELS.md rates
 * pasted code "by the ask", but the whole-text representation (representation.ts) reads a long
 * paste as a long, code-heavy request. These values describe only the prose a person wrote: how
 * long it is, what form it takes (a how-to, a definitional question, a request to build something)
 * and how many separate deliverables it names (the guide's "one step on one thing" against
 * "several steps" and "many components"). Kept apart from services/intent's ask split, which
 * another model owns and tunes.
 */
import { embeddingTokens, meanVector, shippedEmbeddings } from "../../lib/nlp/embeddings";
import { clip, fewerLetterWords } from "../../lib/nlp/text";

/** A line that reads as code, a log or data rather than a sentence someone wrote. */
const PASTE_LINE =
	/[{};]\s*$|^\s*(?:import|from|def|class|public|private|const|let|var|function|return|if|for|while|#include|<\/?\w+|\/\/|#|\$ |at |File "|Traceback)\b|=>|\)\s*\{|^\s{2,}\S|^\s*[\w.]+\(.*\)\s*$|^\s*\w+(?:Error|Exception)\b/;

const HOWTO = /^\s*(?:hi,?\s*|hello,?\s*)?how (?:to|do|can|should|would|could)\b/i;
const WH = /^\s*(?:what|why|which|who|where|when|is|are|does|do|can|could|should|would)\b/i;
/** A request to produce something: generation verbs at the start of a clause. */
const BUILD = /\b(?:write|create|implement|generate|make|build|develop|design)\b/i;
/**
 * Separate deliverables: a list item (a bullet opening a line, or "1." / "2)" anywhere), a question,
 * or a request verb opening a clause (after a sentence break, a comma, or "and"/"also"/"then"/"plus").
 */
const DELIVERABLE =
	/(?:^|\n)\s*[-*•]\s|(?:^|\s)\d{1,2}[.)]\s+(?=[A-Za-z])|\?|(?:^|[.!;:,\n]\s*|\b(?:and|also|then|plus)\s+)(?:please\s+)?(?:write|create|implement|generate|make|build|develop|design|add|include|explain|describe|show|give|list|provide|calculate|compute|compare|convert|fix|test|use|display|handle|store|send|train|plot|deploy)\b/gi;

/** Names of the values askShape returns, in order. */
export const ASK_SHAPE_NAMES = [
	"ask_log_words",
	"ask_prose_share",
	"ask_log_paste_lines",
	"ask_after_paste",
	"ask_howto",
	"ask_wh",
	"ask_build",
	"ask_log_deliverables",
] as const;

export interface AskSplit {
	/** Prose lines (what the person wrote), joined by newlines. */
	prose: string;
	/** The ask: the prose after the paste when there is some, else the prose (at most 600 chars). */
	ask: string;
	pasteLines: number;
	proseLines: number;
	askAfterPaste: boolean;
}

/** Prose apart from pasted lines; a long paste is read at its head and tail only. */
export function splitAsk(request: string): AskSplit {
	const lines = clip(request, 8000, 4000)
		.split("\n")
		.filter(l => l.trim());
	const pasted = lines.map(l => PASTE_LINE.test(l) || fewerLetterWords(l, 3));
	const prose = lines.filter((_, i) => !pasted[i]);
	const pasteLines = pasted.filter(Boolean).length;
	let ask = prose.join("\n");
	let askAfterPaste = false;
	if (pasteLines >= 3) {
		const last = pasted.lastIndexOf(true);
		const after = lines.slice(last + 1);
		if (after.length) {
			ask = after.join("\n");
			askAfterPaste = true;
		}
	}
	return { prose: prose.join("\n"), ask: ask.slice(0, 600), pasteLines, proseLines: prose.length, askAfterPaste };
}

/** The ask's shape, each value roughly in [0, 1] (ASK_SHAPE_NAMES). */
export function askShape(split: AskSplit): number[] {
	const log = (x: number, cap: number) => Math.min(1, Math.log1p(x) / Math.log1p(cap));
	const proseWords = (split.prose.match(/\S+/g) ?? []).length;
	const lines = split.proseLines + split.pasteLines;
	const ask = split.ask.trim();
	return [
		log(proseWords, 1000),
		lines ? split.proseLines / lines : 1,
		log(split.pasteLines, 300),
		split.askAfterPaste ? 1 : 0,
		HOWTO.test(ask) ? 1 : 0,
		WH.test(ask) && !HOWTO.test(ask) ? 1 : 0,
		BUILD.test(ask.slice(0, 200)) ? 1 : 0,
		log((split.prose.match(DELIVERABLE) ?? []).length, 20),
	];
}

/** SIF-weighted mean GloVe vector of the ask (zeros when no embeddings are shipped or none is known). */
export function askVector(split: AskSplit): Float32Array {
	const emb = shippedEmbeddings();
	const out = new Float32Array(emb?.dims ?? 0);
	if (emb) meanVector(emb, embeddingTokens(split.ask, 80), out);
	return out;
}
