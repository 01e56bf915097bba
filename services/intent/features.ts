/**
 * The intent model's dense features, added to the shared sparse ones (lib/nlp/features.ts): what
 * words a request uses generalizes badly from 1,800 labeled requests, what they mean does better.
 *
 * - `e:` the SIF-weighted mean GloVe vector of the whole request (its topic and register);
 * - `a:` the same over the ask: the first sentence of prose, or, when code or a log is pasted, the
 *   last prose line (real asks put "fix this" or "what does it do" after the paste);
 * - `shape:` the request's form: a question, pasted code, how long the prose ask is.
 */
import { embeddingTokens, meanVector, shippedEmbeddings, type Embeddings } from "../../lib/nlp/embeddings";
import type { FeatureVector } from "../../lib/nlp/features";
import type { DenseBlock } from "../../lib/nlp/logreg";
import { cueHits } from "../../lib/nlp/cues";
import { clip, fewerLetterWords, logScale as log, normalize } from "../../lib/nlp/text";
import { askSyntax } from "./syntax";

export interface DenseOptions {
	/** Scale of the whole-request mean vector. */
	meanWeight: number;
	/** Scale of the ask's mean vector. */
	askWeight: number;
	/** Scale of the shape features. */
	shapeWeight: number;
	/** The ask's grammar (services/intent/syntax.ts); absent: not used. */
	syntax?: SyntaxOptions;
	/**
	 * Scale of the ask's mean vector copied under the ask's form (`fa:<form>:`, askForm) and of the
	 * form flags; absent or 0: not used. A how-to's domain decides its intent (code: WRITE, a tool or
	 * system: MANAGE, life: ANALYZE) where a plain request's does not: a form x meaning cross.
	 */
	formAsk?: number;
	/**
	 * Scale of the mean vector of the ask's last chained clause (`t:`, tailClause: "find the logs ...
	 * and archive them" -> "archive them") and of its flag; absent or 0: not used. Annotators label a
	 * chain by its last action, the words by its first.
	 */
	tail?: number;
}

/** Where a chained action starts: "and", "then", "and then", a semicolon, a comma before a clause. */
const CHAIN = /\s(?:and(?:\s+then)?|then|before|after that)\s|;\s*|,\s+(?:then\s+)?(?=[a-z]+\s)/gi;

const SPACE_RUN = /\s+/;
/** denseFeatures' and askOf's tests, compiled once (a regex literal in a function is a new RegExp each time it runs). */
const QUESTION_END = /\?\s*$/;
const WH_START = /^\s*(how|what|why|where|which|who|when|is|are|can|could|does|do|should)\b/i;
const HOWTO_START = /^\s*(?:hi,?\s*|hello,?\s*)?how (?:to|do|can|should|would|could)\b/i;
const FIRST_SENTENCE = /^(.{20,}?[.?!])(\s|$)/;

/** The ask's last chained clause (at least two words), or undefined when the ask is one clause. */
export function tailClause(ask: string): string | undefined {
	let last = -1;
	for (const m of ask.matchAll(CHAIN)) last = (m.index ?? 0) + m[0].length;
	if (last < 0) return undefined;
	const tail = ask.slice(last).trim();
	return tail.split(SPACE_RUN).length >= 2 ? tail : undefined;
}

/** The form of an ask, as the annotators read it (askForm). */
export type AskForm = "paste" | "howto" | "request" | "yesno" | "wh";

const GREETING = /^\s*(?:(?:hi|hello|hey|ok|okay|thanks|thank you|so|and|but|now|then)\b[,.!:]*\s*)*/i;
const HOWTO = /^(?:how (?:to|do|does one|can|should|would|could)|ho do|how)\b/i;
const ADDRESSED = /^(?:(?:can|could|would|will) (?:you|u)|please|pls|i (?:want|need|would like) (?:you|u)|help me|give me|show me|tell me)\b/i;
const YES_NO = /^(?:can|could|would|will|is|are|was|were|do|does|did|should|shall|may|might|must|has|have|had|am)\b/i;
const WH = /^(?:what|why|which|where|who|whom|whose|when)\b/i;

/**
 * The ask's form: after a paste; a how-to; a request addressed to the assistant ("can you X",
 * "please X": the command X); a yes/no question not addressed to it ("Can I write a blog in C++?":
 * a judgement); another wh-question; else none (a plain imperative or statement).
 */
export function askForm(shape: AskShape): AskForm | undefined {
	if (shape.askAfterCode) return "paste";
	const ask = shape.ask.replace(GREETING, "");
	if (HOWTO.test(ask) && !/^how (?:are|is|was|were|about)\b/i.test(ask)) return "howto";
	if (ADDRESSED.test(ask)) return "request";
	if (YES_NO.test(ask)) return "yesno";
	if (WH.test(ask)) return "wh";
	return undefined;
}

export interface SyntaxOptions {
	/** Scale of the mood, modal, verb-cue and object-kind indicators. */
	weight: number;
	/** Also the main verb's and its object's lemmas as indicators. */
	lemmas: boolean;
	/** Scale of the GloVe vectors of the main verb (`v:`) and of its object (`o:`); 0: none. */
	vectors: number;
}

/** A line that reads as code or machine output rather than a person's sentence. */
const CODE_LINE =
	/[{};]\s*$|^\s*(?:import|from|def|class|public|private|const|let|var|function|return|if|for|while|#include|<\/?\w+|\/\/|#|\$ |at |File "|Traceback)|=>|\)\s*\{|^\s{2,}\S|[=(][^ ]*[)=]/;

const names = (prefix: string, dims: number) => Array.from({ length: dims }, (_, d) => `${prefix}${d}`);
const NAME_CACHE = new Map<string, string[]>();
function featureNames(prefix: string, dims: number): string[] {
	let n = NAME_CACHE.get(prefix);
	if (!n || n.length !== dims) NAME_CACHE.set(prefix, (n = names(prefix, dims)));
	return n;
}

export interface AskShape {
	ask: string;
	codeLines: number;
	proseLines: number;
	askAfterCode: boolean;
}

/** Splits pasted code or logs from the prose that states the ask. */
export function askOf(request: string): AskShape {
	const lines = clip(request, 6000, 2000)
		.split("\n")
		.map(l => l.trimEnd())
		.filter(l => l.trim());
	const isCode = lines.map(l => CODE_LINE.test(l) || fewerLetterWords(l, 2));
	const codeLines = isCode.filter(Boolean).length;
	const prose = lines.filter((_, i) => !isCode[i]);
	let ask = prose[0] ?? request.slice(0, 300);
	let askAfterCode = false;
	if (codeLines >= 3) {
		// The ask is where the person speaks: after the paste when they speak there, else before it.
		const lastCode = isCode.lastIndexOf(true);
		const after = lines.slice(lastCode + 1).filter((_, i) => !isCode[lastCode + 1 + i]);
		if (after.length) {
			ask = after.join(" ");
			askAfterCode = true;
		}
	}
	// First sentence of the ask: a long narrative's first sentence says what it is about.
	const sentence = FIRST_SENTENCE.exec(ask);
	return { ask: (sentence ? sentence[1] : ask).slice(0, 400), codeLines, proseLines: prose.length, askAfterCode };
}

/** Adds each block's features by name, after the others (the vector training reads). */
export function addBlocks(v: FeatureVector, blocks: readonly DenseBlock[]): void {
	for (const { prefix, vec, weight } of blocks) {
		const n = featureNames(prefix, vec.length);
		for (let d = 0; d < vec.length; d++) if (vec[d] !== 0) v.set(n[d], vec[d] * weight);
	}
}

function sameTokens(a: readonly string[], b: readonly string[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/** Adds the mean vector of `tokens` as a block, when any token has a vector (a module function, not a closure per call). */
function pushMean(blocks: DenseBlock[], emb: Embeddings, prefix: string, tokens: string[], weight: number): void {
	const vec = new Float32Array(emb.dims);
	if (meanVector(emb, tokens, vec) > 0) blocks.push({ prefix, vec, weight });
}

/**
 * The dense features: the shape and syntax features go into `v`, the word vectors (`e:`, `a:`, `v:`,
 * `o:`) are returned as blocks, in that order (addBlocks adds them by name, as training reads them).
 * Without the embeddings file there are no blocks (then the sparse model stands alone).
 */
export function denseFeatures(v: FeatureVector, request: string, opts: DenseOptions, emb: Embeddings | null = shippedEmbeddings()): DenseBlock[] {
	const shape = askOf(request);
	v.set("shape:code", log(shape.codeLines, 50) * opts.shapeWeight);
	if (shape.askAfterCode) v.set("shape:ask_after_code", opts.shapeWeight);
	if (QUESTION_END.test(shape.ask)) v.set("shape:question", opts.shapeWeight);
	if (WH_START.test(shape.ask)) v.set("shape:wh", opts.shapeWeight);
	const howto = HOWTO_START.test(shape.ask);
	if (howto) v.set("shape:howto", opts.shapeWeight);
	// The guide labels a question by its answer: "how to delete a column in pandas" wants code (WRITE),
	// "delete the old logs" acts (MANAGE). The same cue means another intent in a how-to or after a paste.
	if (howto || shape.askAfterCode) {
		const form = howto ? "howto" : "afterpaste";
		for (const [intent] of cueHits(normalize(shape.ask), "clausal")) v.set(`${form}:cue:${intent}`, opts.shapeWeight);
	}
	const syntax = opts.syntax ? addSyntaxFeatures(v, shape, opts.syntax) : undefined;
	const form = opts.formAsk ? askForm(shape) : undefined;
	if (form && opts.formAsk) v.set(`shape:form:${form}`, opts.formAsk * opts.shapeWeight);
	const blocks: DenseBlock[] = [];
	if (!emb) return blocks;
	const requestTokens = embeddingTokens(clip(request, 3000, 1000));
	pushMean(blocks, emb, "e:", requestTokens, opts.meanWeight);
	const askTokens = embeddingTokens(shape.ask, 60);
	// A one-sentence request is its own ask: the same tokens give the same mean, so the request's vector is reused
	// (blocks are only read) rather than summed again.
	const whole = blocks[0];
	if (whole && sameTokens(askTokens, requestTokens)) blocks.push({ prefix: "a:", vec: whole.vec, weight: opts.askWeight });
	else pushMean(blocks, emb, "a:", askTokens, opts.askWeight);
	if (form && opts.formAsk) pushMean(blocks, emb, `fa:${form}:`, askTokens, opts.formAsk);
	const tail = opts.tail ? tailClause(shape.ask) : undefined;
	if (tail && opts.tail) {
		v.set("shape:chain", opts.tail * opts.shapeWeight);
		pushMean(blocks, emb, "t:", embeddingTokens(tail, 30), opts.tail);
	}
	if (syntax && opts.syntax?.vectors) {
		if (syntax.verb) pushMean(blocks, emb, "v:", [syntax.verb], opts.syntax.vectors);
		if (syntax.objectLemma) pushMean(blocks, emb, "o:", [syntax.objectLemma], opts.syntax.vectors);
	}
	return blocks;
}

/**
 * The ask's mood, its main verb's cue intent crossed with the mood, the modal wrapper and where the
 * ask stands (before or after a paste), and the kind of object the verb acts on.
 */
function addSyntaxFeatures(v: FeatureVector, shape: AskShape, opts: SyntaxOptions) {
	const s = askSyntax(shape.ask);
	const w = opts.weight;
	const place = shape.askAfterCode ? "after" : "first";
	v.set(`syn:mood:${s.mood}`, w);
	v.set(`syn:${place}:${s.mood}`, w);
	if (s.modal) v.set(`syn:modal:${s.modal}`, w);
	if (s.copula) v.set("syn:copula", w);
	if (s.object) {
		v.set(`syn:obj:${s.object}`, w);
		v.set(`syn:${s.mood}:obj:${s.object}`, w);
	}
	if (s.verb) {
		const cues = [...cueHits(s.verb, "clausal").keys()];
		for (const intent of cues) {
			v.set(`syn:cue:${intent}`, w);
			v.set(`syn:${s.mood}:cue:${intent}`, w);
			v.set(`syn:${place}:cue:${intent}`, w);
			if (s.modal) v.set(`syn:${s.modal}:cue:${intent}`, w);
			if (s.object) v.set(`syn:cue:${intent}:obj:${s.object}`, w);
		}
		if (!cues.length) v.set(`syn:${s.mood}:cue:none`, w);
		if (opts.lemmas) {
			v.set(`syn:verb:${s.verb}`, w);
			v.set(`syn:${s.mood}:verb:${s.verb}`, w);
		}
	}
	if (opts.lemmas && s.objectLemma) v.set(`syn:objl:${s.objectLemma}`, w);
	return s;
}
