/**
 * Sparse features of a request plus its client context, shared by the intent
 * and complexity models. Feature names are namespaced (`w:` words, `b:`
 * bigrams, `c:` character n-grams, `lead:` opening words, `cue:` lexicon hits,
 * `ctx:` context, `n:` numeric shape) so a trained weight file stays readable.
 */
import { INTENTS, type Intent } from "../contracts";
import { cueHits, outcomeIntent, prepareText, wordMemo, type CueMode } from "./cues";
import { ownString } from "../memo";
import { charNgramSet, clip, countMatches, logScale as log, normalize, rawTokens, stem, wordOf } from "./text";

export type FeatureVector = Map<string, number>;
export type RequestContext = Record<string, unknown> | undefined;

export { INTENTS, type Intent };

/**
 * What a request acts on separates intents that share verbs: "add a section to
 * the README" produces an artifact (WRITE), "add a replica in staging" changes
 * a live system (MANAGE), and a symptom narrative asks for a diagnosis.
 */
const OBJECTS: Record<string, readonly string[]> = {
	artifact: [
		"section",
		"docs?",
		"readme",
		"manifests?",
		"modules?",
		"expressions?",
		"regex",
		"query",
		"script",
		"dockerfile",
		"workflow",
		"tests?",
		"function",
		"class",
		"endpoints?",
		"component",
		"yaml",
		"schema",
		"migration file",
		"snippet",
		"one-liner",
		"cli",
		"docstring",
		"comment",
		"message",
		"code",
		"implementation",
		"api docs",
		"openapi",
		"pipeline",
	],
	live: [
		"prod",
		"production",
		"staging",
		"dev",
		"cluster",
		"namespace",
		"node",
		"instance",
		"pods?",
		"container",
		"server",
		"bastion",
		"region",
		"vm",
		"host",
		"dns",
		"certs?",
		"secrets?",
		"keys?",
		"tokens?",
		"password",
		"access",
		"role",
		"permissions?",
		"repos?",
		"branch",
		"tag",
		"release",
		"jobs?",
		"dag",
		"queue",
		"cache",
		"venv",
		"virtualenv",
		"bucket",
		"prefix",
		"database",
		"db",
	],
	code: ["file", "line", "variable", "import", "function", "method", "class", "module", "repo", "codebase", "src/", "<path>"],
	symptom: [
		"went from",
		"doubled",
		"grows",
		"growing",
		"hangs?",
		"intermittent",
		"occasionally",
		"sometimes",
		"keeps",
		"spikes?",
		"slower",
		"causing",
		"problem",
		"issue",
		"breaking changes",
		"behave",
		"safer",
		"leak",
		"oom",
		"crash",
		"flaky",
		"timeout",
		"502s?",
		"500s?",
		"errors?",
	],
};

const OBJECT_RES: [string, RegExp][] = Object.entries(OBJECTS).map(([name, words]) => [
	name,
	new RegExp(`(?:^|[^a-z0-9_])(?:${words.join("|")})(?![a-z0-9_])`, "g"),
]);

/** A sentence that states the ask ("can you ...", "please ...", "I need ..."). */
const ASK_RE =
	/(?:^|[.!?]\s+|,\s*|:\s*)((?:can|could|would|will) (?:you|u|we)\b[^.!?]*|(?:please|pls|i need|i want|we need|i'd like|help me|figure out|tell me|find out)\b[^.!?]*)/;

/** Openers that carry politeness, not intent ("hey can you ..."). */
const FILLER = new Set([
	"hey",
	"hi",
	"hello",
	"so",
	"ok",
	"okay",
	"please",
	"pls",
	"plz",
	"can",
	"could",
	"would",
	"will",
	"you",
	"u",
	"mind",
	"i",
	"i'd",
	"i'm",
	"need",
	"want",
	"like",
	"to",
	"just",
	"quick",
	"quickly",
	"let's",
	"lets",
	"we",
	"help",
	"me",
	"kindly",
	"now",
	"also",
	"and",
	"the",
	"a",
]);

const WH_WORDS = new Set([
	"what",
	"what's",
	"whats",
	"why",
	"how",
	"where",
	"wheres",
	"which",
	"who",
	"when",
	"is",
	"are",
	"does",
	"do",
	"can",
	"should",
	"any",
	"anything",
	"whereis",
]);

/** Words that widen a request's scope; the labeling guide ties scope to complexity. */
const SCOPE_WORDS =
	/\b(all|every|each|across|whole|entire|end to end|end-to-end|everywhere|monorepo|services|repos|cluster|environments?|org|zero downtime|without (?:losing|downtime))\b/g;
const DESIGN_WORDS =
	/\b(design|architect\w*|migrat\w*|trade-?offs?|strateg\w*|plan|rollout|roll out|cut ?over|security|performance|scal\w+|concurren\w*|distributed|consisten\w*|root cause|investigat\w*|intermittent\w*|race)\b/g;

/** The other counts of shapeFeatures, compiled once (a regex literal in a function is a new object per call). */
const SENTENCE_ENDS = /[.!?](\s|$)/g;
const COMMAS = /[,;]/g;
const ANDS = /\b(and|then|plus|also)\b/g;
const COLONS = /:\s/g;
const NUMBERS = /\d+/g;
const QUESTION_MARKS = /\?/g;

function bump(v: FeatureVector, name: string, value = 1): void {
	v.set(name, (v.get(name) ?? 0) + value);
}

/** Scales a group of presence features to unit L2 norm times `weight`. */
function addNormalizedGroup(v: FeatureVector, names: Iterable<string>, weight: number): void {
	const set = names instanceof Set ? (names as Set<string>) : new Set(names);
	if (set.size === 0) return;
	const value = weight / Math.sqrt(set.size);
	for (const name of set) v.set(name, value);
}

/** The first content words after greetings and "can you"-style fillers. */
function leadWords(tokens: string[]): string[] {
	let i = 0;
	while (i < tokens.length - 1 && FILLER.has(tokens[i])) i++;
	return tokens.slice(i, i + 2);
}

function contextText(value: unknown): string {
	if (typeof value === "string") return value;
	if (value === null || value === undefined) return "";
	if (Array.isArray(value)) return value.map(contextText).join("\n");
	if (typeof value === "object")
		return Object.values(value as Record<string, unknown>)
			.map(contextText)
			.join("\n");
	return String(value);
}

/** Characters of text in a context value of any shape, without joining it. */
function textLength(value: unknown): number {
	if (typeof value === "string") return value.trim().length;
	if (value === null || value === undefined) return 0;
	if (Array.isArray(value)) return value.reduce((n: number, v) => n + textLength(v), 0);
	if (typeof value === "object") return Object.values(value as Record<string, unknown>).reduce((n: number, v) => n + textLength(v), 0);
	return String(value).length;
}

/** Signals of the client context, tolerant of any shape a client may send. */
export interface ContextShape {
	keys: string[];
	fileCount: number;
	attachedChars: number;
	errorLines: number;
	hasStackTrace: boolean;
}

export function contextShape(context: RequestContext): ContextShape {
	// No context (most requests): what the lines below compute for one, without their regexes.
	if (!context) return { keys: [], fileCount: 0, attachedChars: 0, errorLines: 0, hasStackTrace: false };
	const keys = context && typeof context === "object" ? Object.keys(context).filter(k => context[k] != null && context[k] !== "") : [];
	const files = context?.files;
	const fileCount = Array.isArray(files) ? files.length : typeof context?.file === "string" ? 1 : 0;
	const attachedChars = ["files", "excerpt", "logs", "error"].reduce((n, k) => n + textLength(context?.[k]), 0);
	const errorText = clip(contextText(context?.error), 20000, 2000) + "\n" + clip(contextText(context?.logs), 20000, 2000);
	const errorLines = errorText.split("\n").filter(l => l.trim()).length;
	const hasStackTrace = /\n\s+at |Traceback \(most recent|^\s+File ".*", line \d+|\bat [\w$.<>]+\(.*:\d+(:\d+)?\)|panic:|Exception in thread/m.test(
		errorText,
	);
	return { keys, fileCount, attachedChars, errorLines, hasStackTrace };
}

/** Numeric shape of the text; scaled to roughly [0, 1] so no feature dominates. */
export function shapeFeatures(text: string, tokenCount: number): Record<string, number> {
	return {
		"n:len": log(tokenCount, 300),
		"n:sentences": log(countMatches(text, SENTENCE_ENDS), 20),
		"n:commas": log(countMatches(text, COMMAS), 20),
		"n:ands": log(countMatches(text, ANDS), 10),
		"n:colon": log(countMatches(text, COLONS), 5),
		"n:scope": log(countMatches(text, SCOPE_WORDS), 6),
		"n:design": log(countMatches(text, DESIGN_WORDS), 6),
		"n:numbers": log(countMatches(text, NUMBERS), 20),
		"n:questions": log(countMatches(text, QUESTION_MARKS), 5),
	};
}

export interface FeatureOptions {
	/** Scale of the character n-gram group relative to words. */
	charWeight: number;
	/** Scale of the numeric shape features. */
	shapeWeight: number;
	/** Scale of the intent-cue and lead-word features. */
	cueWeight: number;
	/**
	 * How cues are read (lib/nlp/cues.ts); absent means "lexical", the
	 * first version, which the complexity model keeps.
	 */
	cues?: CueMode;
}

/** Words, bigrams and character n-grams, each group scaled to unit norm. */
function addLexicalFeatures(v: FeatureVector, toks: string[], ws: string[], opts: FeatureOptions): void {
	// Each group straight into the set addNormalizedGroup reads (the same names in the same order), not an array first.
	const words = new Set<string>();
	for (const w of ws) words.add(`w:${w}`);
	addNormalizedGroup(v, words, 1);
	const bigrams = new Set<string>();
	for (let i = 1; i < ws.length; i++) bigrams.add(`b:${ws[i - 1]}_${ws[i]}`);
	addNormalizedGroup(v, bigrams, 0.7);
	// At weight 0 (the intent and answerable models since version 7) every n-gram would be a 0 no
	// weight row keeps (logreg.ts drops all-zero rows): building them cost a set of ~100 strings and
	// as many failed weight lookups per request, for no change to any probability.
	if (opts.charWeight !== 0) addNormalizedGroup(v, charNgramSet(toks, 3, 5, "c:"), opts.charWeight);
}

/** Opening words, intent cues, their order, the objects acted on and the ask clause. */
function addCueFeatures(v: FeatureVector, text: string, ws: string[], weight: number, mode: CueMode): void {
	const lead = leadWords(ws);
	if (lead[0]) bump(v, `lead:${lead[0]}`, weight);
	if (lead.length > 1) bump(v, `lead2:${lead[0]}_${lead[1]}`, 0.5 * weight);
	if (lead[0] && WH_WORDS.has(lead[0])) bump(v, "lead:question");

	const cues = cueHits(text, mode);
	let earliest: Intent | undefined;
	for (const [intent, hit] of cues) {
		bump(v, `cue:${intent}`, weight * Math.min(1, hit.count / 2));
		if (!earliest || hit.first < (cues.get(earliest)?.first ?? Infinity)) earliest = intent;
	}
	// Lexical: the first cue of the text. Clausal: the action the ask wants as its outcome.
	// The clausal hits tell outcomeIntent which intents' action regexes can match at all.
	const outcome = mode === "clausal" ? outcomeIntent(text, cues) : earliest;
	if (outcome) bump(v, `cuefirst:${outcome}`, weight);
	for (const [name, re] of OBJECT_RES) {
		const n = countMatches(text, re);
		if (n > 0) bump(v, `obj:${name}`, weight * Math.min(1, n / 2));
	}
	// In long narratives the ask is one clause among background sentences.
	const ask = ASK_RE.exec(text)?.[1];
	if (ask && ask.length < text.length * 0.8) {
		for (const [intent] of cueHits(ask, mode)) bump(v, `cueask:${intent}`, weight);
	}
}

function addContextFeatures(v: FeatureVector, context: RequestContext): void {
	const ctx = contextShape(context);
	for (const key of ctx.keys) bump(v, `ctx:${key.toLowerCase()}`);
	if (ctx.fileCount > 0) bump(v, "ctx:has_files");
	if (ctx.errorLines > 0) bump(v, "ctx:has_error");
	if (ctx.hasStackTrace) bump(v, "ctx:stack_trace");
	if (ctx.attachedChars > 0) bump(v, "n:attached", Math.min(1, Math.log1p(ctx.attachedChars) / Math.log1p(20000)));
}

/**
 * `stem(wordOf(token))` per raw token, remembered across requests: a pure function of the token (up to four regex
 * tests and a suffix scan), looked up once for a token seen before (README "Gateway overhead"). Tokens, not requests:
 * no decision is remembered. At most 1 Mi characters (a word is ~8): a request's token may be thousands of characters,
 * and 8,192 of them kept ~80 MB (a request naming one new 4,000-letter word kept ~9.5 KB of heap).
 */
const WORDS = wordMemo();
// The word is cut from the token (kept as an own copy, so is the key): neither keeps the request it came from alive.
const wordOfToken = (token: string): string => WORDS.get(token, () => ownString(stem(wordOf(token))));

/** Extracts the sparse feature vector of one request. */
export function extractFeatures(request: string, context: RequestContext, opts: FeatureOptions): FeatureVector {
	const v: FeatureVector = new Map();
	const clipped = normalize(clip(request ?? ""));
	const mode = opts.cues ?? "lexical";
	const text = opts.cueWeight > 0 ? prepareText(clipped, mode) : clipped;
	const toks = rawTokens(text);
	// words(text), from the tokens already split: the same generalised, stemmed words, each token's placeholder tests
	// (four regexes) run once per request, not again for the lead words, and not at all for a token seen before (WORDS).
	const ws = toks.map(wordOfToken);

	addLexicalFeatures(v, toks, ws, opts);
	if (opts.cueWeight > 0) addCueFeatures(v, text, ws, opts.cueWeight, mode);
	if (ws.length <= 4) bump(v, "n:fragment");
	addContextFeatures(v, context);
	// for-in visits the object's keys in the order Object.entries lists them, without an array of pairs.
	const shape = shapeFeatures(text, toks.length);
	for (const name in shape) {
		const value = shape[name];
		if (value > 0) v.set(name, value * opts.shapeWeight);
	}
	v.set("bias", 1);
	return v;
}
