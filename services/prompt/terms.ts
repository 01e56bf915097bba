/**
 * Protected terms: the spans of a request that any rewrite must keep verbatim (identifiers,
 * paths, numbers, versions, quoted strings, flags, named technologies). Compression masks them
 * before it touches the text, the LLM rewrite is rejected when one goes missing, and context
 * pruning looks for the identifiers among them in attached files.
 */

export type TermKind = "quoted" | "url" | "email" | "error" | "code" | "path" | "flag" | "number" | "identifier" | "name";

export interface Term {
	text: string;
	kind: TermKind;
	start: number;
	end: number;
}

/**
 * Common English words (function words, request verbs, fillers): a capitalized one is a sentence
 * start, not a product name, so it is not protected on its capital letter alone.
 */
export const COMMON_WORDS = new Set(
	(
		"a an the and or but nor so yet if then else when while where whereas which who whom whose what why how " +
		"i i'd i'm i've i'll me my mine we we're we've our ours us you you're your yours he she it it's its they they're their them this that these those " +
		"is am are was were be been being do does did done doing have has had having can could would should will shall may might must " +
		"not no yes please pls plz thanks thank hi hey hello ok okay sure just also really actually basically quick quickly kindly " +
		"to of in on at by for with from into onto over under about after before between through during without within across " +
		"up down out off again all any each every some most more much many few other another such only own same than too very " +
		"there here now today yesterday tomorrow once since until as like want need needs let lets make give show tell find get " +
		"write create add fix explain list find check run see look help use go put set move"
	).split(/\s+/),
);

/** Lower-case names of tools, languages and services that read as plain words (bash, nginx, lodash). */
export const TECH_WORDS = new Set(
	(
		"bash zsh sh fish powershell python python3 node nodejs deno bun npm npx pnpm yarn pip pipx poetry conda venv virtualenv uv brew apt " +
		"apt-get yum dnf curl wget git ssh scp rsync cmake gcc clang go rust cargo java javac kotlin scala ruby gem rails php perl lua " +
		"typescript javascript react vue angular svelte nextjs next.js nuxt express fastify nestjs django flask fastapi celery pandas numpy " +
		"polars pyspark spark torch pytorch tensorflow keras sklearn argparse click typer requests httpx aiohttp axios lodash jquery webpack " +
		"vite esbuild babel eslint prettier jest mocha vitest pytest mypy pylint ruff black tox nox docker podman compose kubectl helm k8s " +
		"kubernetes terraform terragrunt ansible pulumi nginx apache haproxy envoy traefik certbot redis postgres postgresql mysql mariadb " +
		"sqlite mongodb mongo cassandra kafka rabbitmq nats elasticsearch opensearch clickhouse snowflake bigquery dbt airflow prometheus " +
		"grafana loki jaeger sentry datadog vault consul etcd jenkins gradle maven sbt dependabot renovate websockets websocket grpc graphql " +
		"json yaml yml toml csv xml html css sass scss tailwind markdown mermaid regex cron crontab systemd journalctl sed awk grep jq " +
		"subprocess exec eval tsc tsx ts-node pm2 supervisor gunicorn uvicorn puma sidekiq resque hermes v8 wasm llvm " +
		"dev staging prod production qa uat main master"
	).split(/\s+/),
);

const UNITS =
	"(?:\\w+/\\w+|ms|milliseconds?|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?|months?|years?|bytes?|[KMGT]i?B|rps|qps|req/s|requests?/s|rows|lines|files|replicas|pods|nodes|cores|GPUs?|x|%)";
const MONTHS = "(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)";

// Order matters: earlier kinds claim their span first, later matches inside it are skipped.
export const PATTERNS: [TermKind, RegExp][] = [
	// An error message is quoted text in all but quotes: "TypeError: Cannot read ... ('map')".
	["error", /\b[A-Z]\w*(?:Error|Exception):[^\n]*?(?=\s+(?:in|at|on|from|when|while)\s|[,;]\s|[.!?]?$)/g],
	// Quoted strings keep their quotes: "'Sign in'" is what must survive, not "Sign in".
	["quoted", /`[^`\n]+`|(?<![\w'])'[^'\n]+'(?![\w'])|(?<![\w"])"[^"\n]+"(?![\w"])/g],
	["url", /(?<![\w+.-])[a-z][a-z0-9+.-]{0,30}:\/\/[^\s"'<>`]+[^\s"'<>`.,;:!?)\]]/gi],
	["email", /(?<![\w.+-])[\w.+-]*@[\w-]+(?:\.[\w-]+)+|(?<![\w.-])[\w.-]+@\d[\w.]*/g],
	// Code pasted inline (a regex, a cron line, an expression): a token with two or more operator characters.
	["code", /(?<!\S)(?=\S*[\\^$(){}[\]|*+?<>=](?:\S*[\\^$(){}[\]|*+?<>=]))\S+(?<![.,;:!?])|(?<!\S)(?:[\d*/,-]+[ \t]+){4}[\d*/,-]*[\d*]/g],
	["flag", /(?<![\w-])--?[A-Za-z][\w-]*(?:=[^\s,;]+)?/g],
	// Numbers with their units, versions, ids, ranges, times: 1.9GB, v1.8.0, 70%, 6:30am, 200-340, #412, PR #412, 40 minutes, 1 in 5.
	[
		"number",
		new RegExp(
			`(?:\\b(?:PR|MR|issue|ticket|order)\\s+)?(?:${MONTHS}\\s+)?(?<![\\w./:+-])#?[vV]?\\d[\\w.%:+/-]*(?<![.:,/-])(?:\\s+in\\s+\\d+|\\s+${UNITS}(?![\\w]))?`,
			"g",
		),
	],
	// Paths and dotted names: src/billing, /v1/invoices, .gitignore, settings.py, os.getenv, *.proto, 2.3.x.
	["path", /(?<![\w/.*@~+-])(?:[\w.*@~+-]*\/[\w.*@~+:/-]*|\.?[\w*-]+(?:\.[\w*-]+)+|\.[A-Za-z][\w-]*)(?:\(\))?(?<![.,:;!?-])/g],
	// Identifiers: KEY=value, calls, snake_case, camelCase, PascalCase with an inner capital, ACRONYMS, words with digits, kebab-case.
	[
		"identifier",
		/\b[A-Za-z_]\w*=[^\s,;]+|\b[A-Za-z_$][\w$]*\(\)|\b\w*_\w+\b|\b[a-z]+[A-Z][\w$]*|\b[A-Z][a-z0-9]+[A-Z][\w$]*|\b[A-Za-z][\w]*(?:-[\w]+)+|\b[A-Z]{2,}[a-z]\w*|\b[A-Z][A-Z0-9_]+\b|\b\w+\+\w*|\b[A-Za-z]+\d\w*|(?<!\w)\w+\[\]/g,
	],
	// Named things: capitalized words that are not common English words (Python, Terraform, Priya), and known tool names.
	["name", /\b[A-Z][a-z][\w+#]*|\b[a-z][\w.+-]*[\w+]/g],
];

/** The one-character tests below, compiled once: a regex literal in a function is a new object each time it runs. */
const SPACE = /\s/;
const SENTENCE_MARK = /[.!?:]/;
const PATH_MARK = /[/.]/;
const CAPITAL = /^[A-Z]/;

/** True when position `i` starts the text or a sentence (after ". ", "? ", ": "...). Looks back, not at the whole prefix. */
function sentenceStart(text: string, i: number): boolean {
	let j = i;
	while (j > 0 && SPACE.test(text[j - 1])) j--;
	return j === 0 || (j < i && SENTENCE_MARK.test(text[j - 1]));
}

/** Every protected term of `text`, left to right, non-overlapping; adjacent ones ("React Router", "Python 3.12") joined. */
export function extractTerms(text: string): Term[] {
	const taken: Term[] = [];
	// Which characters a term already claims: overlap tests stay linear on a 100 kB request.
	const claimed = new Uint8Array(text.length);
	for (const [kind, re] of PATTERNS) {
		re.lastIndex = 0;
		for (let m = re.exec(text); m; m = re.exec(text)) {
			const value = m[0];
			if (!value.trim()) continue;
			const start = m.index;
			const end = start + value.length;
			if (kind === "name" && !isName(value, sentenceStart(text, start))) continue;
			if (kind === "path" && !PATH_MARK.test(value)) continue;
			if (overlaps(claimed, start, end)) continue;
			taken.push({ text: value, kind, start, end });
			claimed.fill(1, start, end);
		}
	}
	taken.sort((a, b) => a.start - b.start);
	return joinAdjacent(text, taken);
}

/** Whether a claimed character lies in [s, e). */
function overlaps(claimed: Uint8Array, s: number, e: number): boolean {
	for (let i = s; i < e; i++) if (claimed[i]) return true;
	return false;
}

/** A capital letter names something unless the word is common English at a sentence start ("Go" mid-sentence is the language). */
function isName(word: string, sentenceStart: boolean): boolean {
	if (CAPITAL.test(word))
		return !(sentenceStart && COMMON_WORDS.has(word.toLowerCase())) && !(word.length < 3 && COMMON_WORDS.has(word.toLowerCase()) && sentenceStart);
	return TECH_WORDS.has(word.toLowerCase());
}

/**
 * Terms one space apart form one term: a product and its version, a two-word name. A capitalized
 * sentence start ("Getting TypeError...") is not joined to what follows: it is a verb, not a name.
 */
function joinAdjacent(text: string, terms: Term[]): Term[] {
	const out: Term[] = [];
	for (const t of terms) {
		const prev = out[out.length - 1];
		const between = prev ? text.slice(prev.end, t.start) : "";
		const prevIsSentenceStart = prev?.kind === "name" && sentenceStart(text, prev.start);
		if (prev && between === " " && !prevIsSentenceStart && prev.kind !== "error" && t.kind !== "error") {
			out[out.length - 1] = { text: text.slice(prev.start, t.end), kind: prev.kind, start: prev.start, end: t.end };
		} else {
			out.push(t);
		}
	}
	return out;
}

/** The distinct texts of the protected terms. */
export function protectedTerms(text: string): string[] {
	return [...new Set(extractTerms(text).map(t => t.text))];
}

/** Terms of `terms` missing verbatim from `text`. */
export function missingTerms(terms: string[], text: string): string[] {
	return terms.filter(t => !text.includes(t));
}

/**
 * Names a request points at, for finding the relevant lines of attached files: identifiers,
 * dotted and path names and their last segment (`src/auth/session.ts` also names `session.ts`),
 * quoted strings without their quotes.
 */
export function searchNames(text: string): string[] {
	const out = new Set<string>();
	for (const t of extractTerms(text)) {
		if (t.kind === "number" || t.kind === "flag" || t.kind === "url" || t.kind === "email") continue;
		let v = t.text;
		if (t.kind === "quoted") v = v.slice(1, -1);
		v = v.replace(/\(\)$/, "");
		if (v.length < 3) continue;
		out.add(v);
		if (t.kind === "path") {
			const last = v.split("/").filter(Boolean).pop();
			if (last && last.length >= 3) out.add(last);
		}
	}
	return [...out];
}
