/**
 * The LLM assist's pure parts: the instruction (the labeling guide's five definitions), the user
 * message, the cache key and the strict reading of the answer. The call itself is
 * mixins/cheapest-llm.mixin.ts; when it is made is intent.service.ts.
 */
import { createHash } from "node:crypto";
import { INTENTS, type Intent, type RequestContext } from "../../lib/contracts";
import { normalizeRequest } from "../orchestrator/cache-keys";

/** The labeling guide's definitions (data/train/LABELS.md), one line each, and its rule for two-part requests. */
export const ASSIST_SYSTEM = [
	"Classify the user's request by intent. Labels:",
	"READ: retrieve and show something that exists, as it is (a file's contents, a folder listing, a config value, a log tail, a record).",
	"WRITE: produce or change an artifact (generate, create, implement, refactor, fix, update, add tests, translate code, draft docs).",
	"SEARCH: locate things in a larger body without changing them (find usages, where X is defined, which files mention Y).",
	"ANALYZE: reason about something and report (explain, review, compare, diagnose, summarize, estimate, find bugs by reading).",
	"MANAGE: act on systems, environments or resources (deploy, restart, scale, install, configure, grant access, move or delete resources, branches, releases, jobs).",
	"If the request does two things, label the outcome the user wants.",
	"Answer with exactly one label and nothing else.",
].join("\n");

/** Low-confidence requests are short; a long one is sent cut to this many characters (its start says what is asked). */
export const MAX_ASSIST_REQUEST_CHARS = 2000;
const MAX_LISTED_FILES = 5;
const MAX_LISTED_KEYS = 8;

/**
 * The user message: the normalized request, then the context keys the classifier also reads
 * (names and file paths only, never contents: a context can be megabytes).
 */
export function assistMessage(request: string, context?: RequestContext): string {
	const text = normalizeRequest(request);
	const body = text.length > MAX_ASSIST_REQUEST_CHARS ? `${text.slice(0, MAX_ASSIST_REQUEST_CHARS)} [...]` : text;
	const attached: string[] = [];
	for (const [key, value] of Object.entries(context ?? {})) {
		if (value == null || value === "" || (Array.isArray(value) && !value.length)) continue;
		if (key === "files" && Array.isArray(value)) {
			const paths = value.map(f => (f && typeof f === "object" && typeof f.path === "string" ? f.path : null)).filter((p): p is string => !!p);
			const more = paths.length > MAX_LISTED_FILES ? ` and ${paths.length - MAX_LISTED_FILES} more` : "";
			attached.push(paths.length ? `files (${paths.slice(0, MAX_LISTED_FILES).join(", ")}${more})` : "files");
		} else {
			attached.push(key);
		}
	}
	const listed = attached.length > MAX_LISTED_KEYS ? [...attached.slice(0, MAX_LISTED_KEYS), "..."] : attached;
	return listed.length ? `${body}\n\nAttached: ${listed.join(", ")}` : body;
}

/** Same instruction, message and output room: same verdict. A changed instruction never reads old verdicts. */
export function assistCacheKey(message: string, maxTokens: number): string {
	const hash = createHash("sha256")
		.update(JSON.stringify([ASSIST_SYSTEM, maxTokens, message]))
		.digest("hex");
	return `intent.llm_assist:${hash}`;
}

/**
 * The label in a model's answer, or null: exactly one of the five, in any case, optionally in
 * quotes, backticks or bold and followed by a period. "READ or WRITE", a sentence, a label
 * cut off by max_tokens or an empty answer are not labels.
 */
export function parseLabel(answer: string): Intent | null {
	const m = /^[\s"'`*]*([A-Za-z]+)[\s"'`*]*\.?[\s"'`*]*$/.exec(answer);
	if (!m) return null;
	const label = m[1].toUpperCase();
	return (INTENTS as readonly string[]).includes(label) ? (label as Intent) : null;
}
