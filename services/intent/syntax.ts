/**
 * The ask's grammar, read with wink-nlp's English lite model (part-of-speech tags and lemmas, MIT,
 * shipped inside the npm package; nothing is downloaded): the sentence's mood (imperative, question,
 * statement, or a bare noun phrase), its main verb once modal wrappers are peeled off ("how can I
 * X", "I need to X", "can you X", "help me X"), and what that verb acts on (a path, a pronoun that
 * points at pasted code, a noun). Bag-of-words features see "delete" in "how to delete a column"
 * and in "delete the old logs" alike; the mood and the verb's place tell them apart.
 */
import type { ItsFunction, Model, WinkMethods } from "wink-nlp";

export type Mood = "imperative" | "question" | "statement" | "noverb";

export interface AskSyntax {
	mood: Mood;
	/** Lemma of the main verb (after modal wrappers), if any. */
	verb?: string;
	/** The wrapper the verb came in: how (how to / how can I), can-you, need (need / want / would like), should, possible. */
	modal?: "how" | "canyou" | "need" | "should" | "possible";
	/** What the verb acts on: a path or file name, a pronoun (this / it: the paste), a noun (its lemma in `objectLemma`). */
	object?: "path" | "pron" | "noun";
	objectLemma?: string;
	/** A "what is / what are" question with no other verb: a definition or an explanation. */
	copula?: boolean;
}

let nlp: WinkMethods | undefined;
/**
 * The wink pipeline, required and built on first use: loading the model costs about 0.3 s of CPU,
 * which a process whose intent model does not use the grammar should not pay at start-up. Both
 * packages are devDependencies while no shipped model uses the grammar (docs/decisions.md, "Intent
 * version 8.3 trial"); a model that does needs them moved to dependencies.
 */
function pipeline(): WinkMethods {
	if (!nlp) {
		const winkNLP = require("wink-nlp") as (m: Model, pipe: string[]) => WinkMethods;
		const model = require("wink-eng-lite-web-model") as Model;
		nlp = winkNLP(model, ["pos"]);
	}
	return nlp;
}

const WH = new Set(["how", "what", "why", "where", "which", "who", "when", "whats"]);
const OPENERS = new Set(["hi", "hello", "hey", "please", "pls", "ok", "okay", "so", "now", "also", "then", "and"]);
/** Verbs that wrap the real action: "I need to X", "I want to X", "help me X", "try to X". */
const WRAPPERS = new Set(["need", "want", "like", "try", "help", "wish", "have", "able", "let"]);
const PATH = /[\\/]|\.\w{1,5}$/;

/** The ask's mood, main verb and object; `ask` is one sentence (services/intent/features.ts, askOf). */
export function askSyntax(ask: string): AskSyntax {
	const { its } = pipeline();
	// The lite tagger, trained on edited prose, reads a sentence-initial imperative ("List all
	// files", "Show me ...") as a noun; after "please" it reads it as the verb it is.
	const trimmed = ask.trim().slice(0, 240);
	const doc = pipeline().readDoc(`please ${trimmed.charAt(0).toLowerCase()}${trimmed.slice(1)}`);
	// (wink-nlp's typings give `its.lemma` a signature `out` does not accept; it works at run time.)
	const out = (f: unknown) => (doc.tokens().out(f as ItsFunction<string>) as unknown as string[]).slice(1);
	const pos = out(its.pos);
	const lemma = out(its.lemma).map(l => l.toLowerCase());
	const text = out(its.value);
	let i = 0;
	while (i < pos.length && (pos[i] === "PUNCT" || pos[i] === "INTJ" || OPENERS.has(lemma[i]))) i++;
	const first = i;
	const isQuestion = (first < pos.length && (WH.has(lemma[first]) || pos[first] === "AUX")) || /\?\s*$/.test(ask);
	const res: AskSyntax = { mood: "noverb" };
	// The main verb: the first VERB, unless it wraps another ("need to X", "help me X").
	let v = -1;
	for (let k = first; k < pos.length; k++) {
		if (pos[k] !== "VERB") continue;
		if (v < 0) v = k;
		const wraps = WRAPPERS.has(lemma[k]) && k === v;
		if (!wraps) break;
		const next = pos.slice(k + 1, k + 4).indexOf("VERB");
		if (next < 0) break;
		v = k + 1 + next;
		res.modal = "need";
		break;
	}
	if (first < pos.length && lemma[first] === "how") res.modal = "how";
	else if (
		first + 1 < pos.length &&
		pos[first] === "AUX" &&
		(lemma[first] === "can" || lemma[first] === "could" || lemma[first] === "would") &&
		lemma[first + 1] === "you"
	)
		res.modal = "canyou";
	if (lemma.includes("should")) res.modal ??= "should";
	if (lemma.includes("possible")) res.modal ??= "possible";
	if (isQuestion) res.mood = "question";
	else if (v === first) res.mood = "imperative";
	else if (v >= 0) res.mood = "statement";
	if (v < 0) {
		if (first < pos.length && WH.has(lemma[first]) && lemma[first + 1] === "be") res.copula = true;
		return res;
	}
	res.verb = lemma[v];
	for (let k = v + 1; k < Math.min(pos.length, v + 6); k++) {
		const p = pos[k];
		if (p === "DET" || p === "ADJ" || p === "PART" || p === "ADV" || p === "NUM") continue;
		if (PATH.test(text[k]) && text[k].length > 2) res.object = "path";
		else if (p === "PRON") res.object = "pron";
		else if (p === "NOUN" || p === "PROPN") {
			// A file name tokenized apart ("server . ts") is still a path.
			res.object = /^[./\\]$/.test(text[k + 1] ?? "") && /^\w{1,12}$/.test(text[k + 2] ?? "") ? "path" : "noun";
			res.objectLemma = lemma[k];
		}
		break;
	}
	return res;
}
