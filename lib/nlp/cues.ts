/**
 * Intent cue lexicons written from the labeling guide, and the two ways the
 * feature extractor reads them:
 *
 * - `lexical` (the first version, still what the complexity model was fitted
 *   on): a cue matches wherever a word starts with it, and the earliest cue
 *   of the whole text is taken as the lead intent.
 * - `clausal` (the intent model): a cue matches a whole word or its
 *   inflection and never part of a name ("deployment", "search-api",
 *   "/api/v2/search"); idioms whose verb misleads are rewritten first ("show
 *   up", "find out"); the lead intent is the first non-negated action verb of
 *   the sentence that states the ask, and when that sentence chains a means
 *   to an end ("find the bug in auth.ts and fix it") the end wins, as the
 *   guide's rule on two-part requests says.
 */
import { INTENTS, type Intent } from "../contracts";
import { Memo } from "../memo";

export type CueMode = "lexical" | "clausal";

/**
 * WRITE cues that name an object rather than an action (see OBJECT_CUES): evidence of the intent
 * in CUES, but not the verb that states what is asked. One list serves both.
 */
const WRITE_OBJECT_CUES: readonly string[] = [
	"unit test",
	"tests for",
	"docstring",
	"type hint",
	"regex",
	"one-liner",
	"snippet",
	"query for",
	"script",
	"function",
	"endpoint",
	"crud",
	"class",
	"manifest",
	"workflow",
	"dockerfile for",
];

/**
 * Phrase lexicons per intent, written from the labeling guide's definitions
 * and common developer phrasing. They are features, not rules: the model
 * learns how far to trust each one. A trailing `*` marks a stem that matches
 * any ending ("analy*": analyse, analysis, analyzer).
 */
const CUES: Record<Intent, readonly string[]> = {
	READ: [
		"show",
		"display",
		"print",
		"cat",
		"view",
		"open",
		"pull up",
		"bring up",
		"tail",
		"head",
		"dump",
		"contents",
		"content of",
		"let me see",
		"i'd like to see",
		"see the",
		"read them",
		"get me",
		"fetch",
		"retrieve",
		"what's in",
		"whats in",
		"what is in",
		"ls",
		"list the",
		"current value",
		"value of",
		"set to",
		"what version",
		"which branch",
		"last \\d+ lines",
		"lines \\d+",
		"record",
		"rows from",
		"logs for",
		"log output",
		"state for",
		"history",
	],
	WRITE: [
		"write",
		"create",
		"generate",
		"implement",
		"add",
		"build",
		"make",
		"refactor",
		"fix",
		"update",
		"change",
		"rewrite",
		"convert",
		"port",
		"translate",
		"draft",
		"put together",
		"bump",
		"replace",
		"split",
		"correct",
		"remove",
		"clean up",
		"extract",
		...WRITE_OBJECT_CUES,
		"should say",
		"needs a",
		"can go",
		"would be great",
		"design and implement",
		"code changes",
	],
	SEARCH: [
		"find",
		"search",
		"grep",
		"locate",
		"look for",
		"looking for",
		"where",
		"whereis",
		"wheres",
		"which",
		"any files",
		"anywhere",
		"anything in",
		"every place",
		"all places",
		"all the places",
		"all usages",
		"usages",
		"every call",
		"references",
		"mention",
		"defined",
		"called from",
		"import",
		"link me",
		"look up",
		"trace every",
		"list of every",
		"do we have",
		"every [a-z]+ file",
		"\\*\\.[a-z]",
	],
	ANALYZE: [
		"explain",
		"why",
		"review",
		"compare",
		"analy*",
		"diagnos*",
		"assess",
		"estimate",
		"summar*",
		"difference",
		"vs",
		"versus",
		"what does",
		"what's wrong",
		"whats wrong",
		"the problem",
		"is this",
		"is it",
		"should we",
		"should i",
		"trade-off",
		"tradeoff",
		"went from",
		"doubled",
		"grows",
		"hang",
		"intermittent",
		"occasionally",
		"causing",
		"breaking changes",
		"behave",
		"safer",
		"what's the likely",
		"picture",
		"overview",
		"evaluat*",
		"understand",
		"mean",
		"walk me through",
		"dig into",
		"figure out",
		"how does",
		"best practice",
		"safe",
		"risk",
		"eli5",
		"complexity",
		"faster",
		"enough",
		"sanity check",
		"going on",
		"take a look",
		"stable",
		"likely",
		"flag anything",
		"does this",
	],
	MANAGE: [
		"deploy",
		"restart",
		"reboot",
		"scale",
		"install",
		"configure",
		"schedule",
		"grant",
		"revoke",
		"delete",
		"rename",
		"move",
		"rotate",
		"roll back",
		"rollback",
		"roll it back",
		"merge",
		"tag",
		"release",
		"upgrade",
		"migrate",
		"provision",
		"kill",
		"cancel",
		"drain",
		"cordon",
		"pause",
		"unpause",
		"clear",
		"flush",
		"renew",
		"reload",
		"resize",
		"set up",
		"onboard",
		"access",
		"permission",
		"cron",
		"force-push",
		"squash",
		"publish",
		"transfer",
		"enable",
		"disable",
		"start",
		"stop",
		"backfill",
		"failover",
		"cut the",
		"branch protection",
		"blue/green",
		"rollout",
		"replica",
		"should live",
		"can be deleted",
		"set [a-z_]+=",
		"virtualenv",
		"environment",
		"cluster",
	],
};

/**
 * Whole-word matching drops the nominalisations a prefix match used to
 * catch; the ones that name the outcome are listed ("a security assessment"
 * asks for an analysis, "everywhere X ends up" for a search).
 */
const CLAUSAL_EXTRA_CUES: Record<Intent, readonly string[]> = {
	READ: [],
	WRITE: ["implementation", "patch"],
	SEARCH: ["everywhere"],
	ANALYZE: ["assessment", "explanation", "comparison", "estimation"],
	MANAGE: [],
};

/**
 * Cues that name an object rather than an action: evidence of the intent,
 * but not the verb that states what the user wants done ("the tests for it
 * live in tests/" does not ask for tests).
 */
const OBJECT_CUES: Record<Intent, readonly string[]> = {
	READ: [],
	WRITE: WRITE_OBJECT_CUES,
	SEARCH: [],
	ANALYZE: [],
	MANAGE: ["access", "permission", "cron", "replica", "environment", "cluster", "virtualenv"],
};

const stripStem = (cue: string) => cue.replace(/\*$/, "");

/** What ends a whole cue word: no further letter, digit or underscore, nor a name going on after "-" or ".". */
const WORD_END = "(?![a-z0-9_]|[-.][a-z0-9])";

/** A cue word and its inflections ("deploys", "merging", "tagged"), to be followed by WORD_END; null: a stem or a pattern, as is. */
function wholeWordForms(cue: string): string | null {
	if (cue.endsWith("*") || !/[a-z]$/.test(cue)) return null;
	const forms = [`${cue}(?:s|es|ed|d|ing|ers?)?`];
	if (cue.endsWith("e")) forms.push(`${cue.slice(0, -1)}ing`);
	if (/[^aeiou][aeiou][bdgklmnprt]$/.test(cue)) forms.push(`${cue}${cue.slice(-1)}(?:ed|ing)`);
	return forms.join("|");
}

/**
 * The clausal alternation: each cue a whole word (wholeWordForms), never a longer word or a name.
 * Neighbouring whole-word cues share one WORD_END, `(?:a|b)END` rather than `(?:a)END|(?:b)END`:
 * the engine tries the same forms in the same order with the same outcome, but a regex of ~100
 * lookaheads ran ~1.7x slower (cueHits on every request). Stems and patterns keep their place.
 */
function clausalBody(cues: readonly string[]): string {
	const parts: string[] = [];
	let run: string[] = [];
	const flush = () => {
		if (run.length) parts.push(`(?:${run.join("|")})${WORD_END}`);
		run = [];
	};
	for (const cue of cues) {
		const forms = wholeWordForms(cue);
		if (forms !== null) run.push(forms);
		else {
			flush();
			parts.push(stripStem(cue));
		}
	}
	flush();
	return parts.join("|");
}

function compile(cues: readonly string[], mode: CueMode): RegExp {
	// Clausal cues do not start inside a path, file name or hyphenated name.
	const before = mode === "clausal" ? "[^a-z0-9_/.@-]" : "[^a-z0-9_]";
	const body = mode === "clausal" ? clausalBody(cues) : cues.map(stripStem).join("|");
	return new RegExp(`(?:^|${before})(?:${body})`, "g");
}

const byIntent = <T>(f: (intent: Intent) => T) => Object.fromEntries(INTENTS.map(i => [i, f(i)])) as Record<Intent, T>;

/** One regex per intent and mode; a match's `index` is the character before the cue (or 0). */
const CUE_RES: Record<CueMode, Record<Intent, RegExp>> = {
	lexical: byIntent(i => compile(CUES[i], "lexical")),
	clausal: byIntent(i => compile([...CUES[i], ...CLAUSAL_EXTRA_CUES[i]], "clausal")),
};

/** Clausal action cues only (object cues left out). */
const ACTION_RES: Record<Intent, RegExp> = byIntent(i =>
	compile(
		[...CUES[i], ...CLAUSAL_EXTRA_CUES[i]].filter(c => !OBJECT_CUES[i].includes(c)),
		"clausal",
	),
);

/** Count of cue matches and the offset of the earliest one, per intent. */
export function cueHits(text: string, mode: CueMode): Map<Intent, { count: number; first: number }> {
	const hits = new Map<Intent, { count: number; first: number }>();
	for (const intent of INTENTS) {
		// matchAll's matches counted as it steps (an empty match moves one on), without an array of them.
		const re = CUE_RES[mode][intent];
		re.lastIndex = 0;
		let count = 0;
		let first = 0;
		for (let m = re.exec(text); m; m = re.exec(text)) {
			if (count++ === 0) first = m.index;
			if (!m[0]) re.lastIndex++;
		}
		re.lastIndex = 0;
		if (count > 0) hits.set(intent, { count, first });
	}
	return hits;
}

// ---------------------------------------------------------------- typo repair

/** Cue words that typo repair restores (SymSpell-style single-deletion index). */
const CUE_WORDS = [
	...new Set(
		INTENTS.flatMap(i => CUES[i])
			.map(stripStem)
			.filter(c => /^[a-z]{4,}$/.test(c)),
	),
];
const CUE_SET = new Set(CUE_WORDS);

function deletions(word: string): string[] {
	const out: string[] = [];
	for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
	return out;
}

/** deletion key -> cue words that produce it; the lexical mode kept only the first. */
const DELETION_INDEX: Map<string, string[]> = (() => {
	const index = new Map<string, string[]>();
	for (const cue of CUE_WORDS) for (const key of new Set([cue, ...deletions(cue)])) index.set(key, [...(index.get(key) ?? []), cue]);
	return index;
})();

/** Per first letter (a-z), bit n set when a cue word of length n (under 32) starts with it. */
const CUE_LENGTHS: Uint32Array = (() => {
	const bits = new Uint32Array(26);
	for (const cue of CUE_WORDS) if (cue.length < 32) bits[cue.charCodeAt(0) - 97] |= 1 << cue.length;
	return bits;
})();
const LONGEST_CUE = Math.max(...CUE_WORDS.map(c => c.length));

/** Whether some cue word starts with `word`'s letter and is within one letter of its length (nearestCue's condition). */
function nearLength(word: string): boolean {
	const first = word.charCodeAt(0) - 97;
	if (first < 0 || first >= 26 || LONGEST_CUE >= 32) return true;
	const n = word.length;
	if (n > 32) return false;
	return ((CUE_LENGTHS[first] >>> (n - 1)) & 0b111) !== 0;
}

const INFLECTIONS = ["s", "es", "ed", "d", "ing", "er", "ers"];

function isInflectionOfCue(word: string): boolean {
	return INFLECTIONS.some(suffix => {
		const base = word.slice(0, -suffix.length);
		return word.endsWith(suffix) && (CUE_SET.has(base) || CUE_SET.has(base + "e"));
	});
}

/** True when `a` and `b`, of equal length, differ by one swap of neighbouring letters. */
function isTransposition(a: string, b: string): boolean {
	let i = 0;
	while (i < a.length && a[i] === b[i]) i++;
	return i < a.length - 1 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/**
 * Below this length one substituted letter too often turns a real word into
 * a cue: "main" -> "mean", "state" -> "start", "remote" -> "remove", "great" -> "grant".
 */
const MIN_SUBSTITUTION_LENGTH = 7;

/**
 * The cue word one typo away from `word`. Clausal mode accepts a swap of
 * neighbouring letters ("restrat", "shwo"), a dropped or an extra letter
 * ("restar", "deployy"), and a substituted letter only in long words;
 * a cue's own inflection ("deploys") is left alone. Lexical mode (the first
 * version) accepted any single edit, substitutions included.
 */
export function nearestCue(word: string, mode: CueMode = "clausal"): string | undefined {
	if (word.length < 4 || CUE_SET.has(word)) return undefined;
	// Only a cue of the word's first letter and within one of its length is ever returned: with none such, the word's
	// deletions and their lookups (a string each) would find nothing.
	if (!nearLength(word)) return undefined;
	if (mode === "clausal" && isInflectionOfCue(word)) return undefined;
	for (let i = -1; i < word.length; i++) {
		// The word itself, then each of its deletions, in deletions' order.
		const key = i < 0 ? word : word.slice(0, i) + word.slice(i + 1);
		const candidates = DELETION_INDEX.get(key) ?? [];
		for (const cue of mode === "lexical" ? candidates.slice(0, 1) : candidates) {
			if (cue[0] !== word[0] || Math.abs(cue.length - word.length) > 1) continue;
			if (mode === "lexical" || cue.length !== word.length || isTransposition(cue, word) || word.length >= MIN_SUBSTITUTION_LENGTH) return cue;
		}
	}
	return undefined;
}

/**
 * Idioms whose verb is not the cue it looks like, rewritten to what they
 * mean. Renaming an identifier is a refactor (WRITE), renaming a resource is
 * MANAGE; "find out why" is an analysis (the guide's own example).
 */
const IDIOMS: [RegExp, string][] = [
	[/\bshow(?:s|n|ed|ing)? up\b/g, "appear"],
	[/\bmak(?:e|es|ing) sure\b/g, "ensure"],
	[/\bfind(?:ing)? out\b/g, "figure out"],
	[
		/\brenam(?:e|ed|es|ing) (?:the |this |that )?(?:variable|function|method|class|field|param\w*|argument|prop\w*|constant|type|interface|column)\b/g,
		"refactor the identifier",
	],
	[/\bwhat do(?:es)? (?:it|they|this|that) say\b/g, "show it"],
];

/**
 * A memo of a pure function of a caller's word, for this file's MENDED and features.ts's WORDS: 8,192 words and at most
 * 1 Mi characters (a token may be thousands of characters: 8,192 of them kept ~80 MB), each key an own copy (a word cut
 * from a request kept the whole request alive).
 */
export function wordMemo(): Memo<string, string> {
	return new Memo<string, string>(8192, { chars: 2 ** 20, ownKeys: true });
}

/**
 * nearestCue's answer per word and mode ("" for none), remembered across requests: a pure function of the word, which
 * every request's words of four letters or more pass through, each costing up to a dozen deletion strings and as many
 * lookups in DELETION_INDEX, where a remembered word costs one lookup (README "Gateway overhead"). Words, not requests:
 * no decision is remembered, and a new word is answered as before.
 */
const MENDED: Record<CueMode, Memo<string, string>> = { lexical: wordMemo(), clausal: wordMemo() };

/** Typo repair, and in clausal mode the idiom rewrites, applied to normalised text before any feature is read. */
export function prepareText(normalized: string, mode: CueMode): string {
	const mended = MENDED[mode];
	let text = normalized.replace(/[a-z]{4,}/g, w => mended.get(w, () => nearestCue(w, mode) ?? "") || w);
	if (mode === "clausal") for (const [re, meaning] of IDIOMS) text = text.replace(re, meaning);
	return text;
}

// ------------------------------------------------------ the ask and its outcome

/** A negation and the rest of its clause: "not asking for a fix yet", "don't change anything". */
const NEGATION_RE = /(?:^|[^a-z0-9_'])(?:not|no|never|don't|dont|do not|doesn't|didn't|won't|without|nothing|n't)(?![a-z0-9_])[^.,;:!?]*/g;

/** A sentence that states what the user wants: a request, a need, or a question. */
const ASK_SENTENCE_RE =
	/^(?:(?:hey|hi|hello|so|ok|okay|and|also|then|now|but)\W+)*(?:(?:can|could|would|will) (?:you|u|we|someone)\b|(?:please|pls|plz|kindly)\b|(?:i|we) (?:\w+ )?(?:need|want|'d like|would like)\b|i'd like\b|help me\b|tell me\b|(?:what|what's|whats|why|how|where|which|who|when)\b|(?:is|are|does|do|should|any)\b.*\?\s*$)/;

/** An imperative sentence: it opens with an action verb. */
const FILLER_RE = /^(?:(?:hey|hi|hello|so|ok|okay|and|also|then|now|just|please|pls)\W+)*/;
const OPENS_WITH_ACTION_RE: RegExp = new RegExp(`^(?:${INTENTS.map(i => ACTION_RES[i].source.replace(/^\(\?:\^\|[^)]*\)/, "")).join("|")})`);

/** sentences' and outcomeIntent's patterns, compiled once (a regex literal in a function is a new RegExp per run). */
const SENTENCE_BREAK = /(?<=[.!?])\s+/;
const SENTENCE_END = /[.!?](?:\s|$)/;
const CHAINED_BY = /\b(?:and|then)\s+(?:then\s+|also\s+)?$/;

function sentences(text: string): { start: number; text: string }[] {
	const out: { start: number; text: string }[] = [];
	let from = 0;
	for (const part of text.split(SENTENCE_BREAK)) {
		const start = text.indexOf(part, from);
		out.push({ start, text: part });
		from = start + part.length;
	}
	return out;
}

/** Offset of the first sentence that states the ask; 0 for one-sentence requests or when none is recognisable. */
export function askStart(text: string): number {
	const all = sentences(text);
	if (all.length < 2) return 0;
	const ask = all.find(s => ASK_SENTENCE_RE.test(s.text) || OPENS_WITH_ACTION_RE.test(s.text.replace(FILLER_RE, "")));
	return ask?.start ?? 0;
}

/**
 * Action cues of the whole text that no negation governs, in text order. Only the intents in `cued`
 * are scanned when it is given: an action cue is one of its intent's clausal cues, so where
 * cueHits(text, "clausal") found none of an intent, its action regex matches nowhere either.
 */
function actions(text: string, cued?: { has(intent: Intent): boolean }): { intent: Intent; at: number }[] {
	const out: { intent: Intent; at: number }[] = [];
	const scanned = cued ? INTENTS.filter(i => cued.has(i)) : INTENTS;
	if (!scanned.length) return out;
	// exec loops over the shared global regexes, as matchAll steps (an empty match moves one on), without matchAll's
	// copy of each regex and its iterator: the same matches.
	const negated: number[] = [];
	NEGATION_RE.lastIndex = 0;
	for (let m = NEGATION_RE.exec(text); m; m = NEGATION_RE.exec(text)) {
		negated.push(m.index, m.index + m[0].length);
		if (!m[0]) NEGATION_RE.lastIndex++;
	}
	for (const intent of scanned) {
		const re = ACTION_RES[intent];
		re.lastIndex = 0;
		for (let m = re.exec(text); m; m = re.exec(text)) {
			const at = m.index;
			let inNegation = false;
			for (let j = 0; j < negated.length && !inNegation; j += 2) inNegation = at > negated[j] && at < negated[j + 1];
			if (!inNegation) out.push({ intent, at });
			if (!m[0]) re.lastIndex++;
		}
	}
	return out.sort((a, b) => a.at - b.at);
}

/** Locating and showing serve an analysis; all three serve a change: "find the bug and fix it" wants the fix. */
const OUTCOME_RANK: Record<Intent, number> = { READ: 0, SEARCH: 0, ANALYZE: 1, WRITE: 2, MANAGE: 2 };

/**
 * The intent of the action the user wants as the outcome: the first
 * non-negated action verb from the ask sentence on (else from the start),
 * unless the ask sentence chains a further step with "and"/"then" whose
 * intent the first one serves. `cued`: the intents cueHits(text, "clausal") found (see actions).
 */
export function outcomeIntent(text: string, cued?: { has(intent: Intent): boolean }): Intent | undefined {
	const all = actions(text, cued);
	if (!all.length) return undefined;
	const from = askStart(text);
	// From the ask sentence on; else the first one before it.
	const after = all.filter(a => a.at >= from);
	const first = after[0] ?? all[0];
	const end = text.slice(from).search(SENTENCE_END);
	const sentenceEnd = end < 0 ? text.length : from + end + 1;
	const chained = after.filter(
		a => a.at < sentenceEnd && OUTCOME_RANK[a.intent] > OUTCOME_RANK[first.intent] && CHAINED_BY.test(text.slice(Math.max(0, a.at - 12), a.at + 1)),
	);
	return chained.length > 0 ? chained[chained.length - 1].intent : first.intent;
}
