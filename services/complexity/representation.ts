/**
 * The representation the complexity classifier and the strong-need ranking share: what a
 * prompt is about (the SIF-weighted mean GloVe vector of lib/nlp/embeddings.ts, which
 * generalizes past the words seen in training) and its shape (length, code share, question
 * form, number of asks, digits). Both are dense and cheap: one pass over at most 400 tokens.
 */
import { embeddingTokens, meanVector, shippedEmbeddings } from "../../lib/nlp/embeddings";
import { charClassCounts, countMatches, logScale as log } from "../../lib/nlp/text";

/** Names of the prompt-shape values, in the order promptShape returns them. */
export const SHAPE_NAMES = [
	"log_chars",
	"log_words",
	"log_lines",
	"code_share",
	"digit_share",
	"upper_share",
	"log_sentences",
	"log_questions",
	"question_form",
	"imperative_form",
	"mean_word_len",
	"list_items",
	"asks",
	"known_share",
] as const;

const CODE_LINE = /[{};]\s*$|^\s{2,}\S|=>|\bdef |\breturn\b|\bimport\b|^\s*[#$>] |<\/?\w+[^>]*>/;
const QUESTION_LEAD = /^\s*(what|how|why|who|which|where|when|is|are|can|could|does|do|should|would)\b/i;
const IMPERATIVE_LEAD =
	/^\s*(please\s+)?(write|create|implement|generate|make|build|add|fix|refactor|convert|translate|explain|find|show|list|give|tell|help)\b/i;
/** Separate asks: a question mark, or a request verb after a sentence break or "and then"/"also". */
const ASK =
	/\?|(?:^|[.!;\n]\s*|\b(?:and then|also|then)\s+)(?:please\s+)?(?:write|create|implement|add|fix|make|explain|show|find|list|change|update|remove|delete|refactor|convert)\b/gi;

const WORD = /\S+/g;
const SENTENCE_END = /[.!?](\s|$)/g;
const LIST_ITEM = /(^|\n)\s*([A-Da-d][.)]|\d+[.)]|[-*•])\s/g;

/** Prompt shape, each value roughly in [0, 1] (logs scaled by a typical maximum). */
export function promptShape(text: string, knownShare: number): number[] {
	// Shape of very long pastes saturates; reading 20 kB more only costs time.
	const t = text.length > 20000 ? text.slice(0, 16000) + "\n" + text.slice(-4000) : text;
	const lines = t.split("\n");
	const wordCount = countMatches(t, WORD);
	// The /[a-z]/gi, /\d/g, /[A-Z]/g and /\?/g counts in one pass, without a string per letter.
	const { letters, upper, digits, questions } = charClassCounts(t);
	let codeLines = 0;
	for (const l of lines) if (CODE_LINE.test(l)) codeLines++;
	return [
		log(text.length, 20000),
		log(wordCount, 3000),
		log(lines.length, 300),
		codeLines / lines.length,
		Math.min(1, (5 * digits) / Math.max(1, t.length)),
		upper / Math.max(1, letters),
		log(countMatches(t, SENTENCE_END), 50),
		log(questions, 10),
		QUESTION_LEAD.test(t) ? 1 : 0,
		IMPERATIVE_LEAD.test(t) ? 1 : 0,
		Math.min(1, letters / Math.max(1, wordCount) / 10),
		log(countMatches(t, LIST_ITEM), 20),
		log(countMatches(t, ASK), 10),
		knownShare,
	];
}

/**
 * The request's style, from the text alone (never its source): a one-line task is a single
 * line of at most 30 words with no code line (how NL2Bash-like shell asks read); everything
 * else (chat prose, pasted code, multi-part asks) is "chat". Used to give each style its own
 * tier boundaries when the model was trained with them.
 */
export type RequestStyle = "one-line" | "chat";
export function requestStyle(text: string): RequestStyle {
	const t = (text ?? "").trim();
	if (t.includes("\n") || CODE_LINE.test(t)) return "chat";
	return countMatches(t, WORD) <= 30 ? "one-line" : "chat";
}

export interface Representation {
	/** Mean word vector (zeros when no embeddings file is shipped). */
	embedding: Float32Array;
	shape: number[];
}

/** Embedding and shape of one prompt; `out` lets hot callers reuse one vector. */
export function represent(text: string, out?: Float32Array): Representation {
	const emb = shippedEmbeddings();
	const dims = emb?.dims ?? 0;
	const embedding = out && out.length === dims ? out : new Float32Array(dims);
	const tokens = embeddingTokens(text);
	const known = emb ? meanVector(emb, tokens, embedding) : 0;
	return { embedding, shape: promptShape(text, tokens.length ? known / tokens.length : 0) };
}
