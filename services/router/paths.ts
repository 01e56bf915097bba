/** Finding the file paths, directories and file-name patterns a request talks about. */

/**
 * Extensions of files that are not text: images, archives, binaries, fonts, media, databases. Read as text they are
 * mojibake; the router answers with their file info instead (route.ts).
 */
export const BINARY_EXT = new Set(
	(
		"png jpg jpeg gif webp bmp ico tif tiff psd pdf zip gz tgz bz2 xz 7z rar tar jar war exe dll so dylib bin class pyc " +
		"wasm woff woff2 ttf otf eot mp3 mp4 m4a wav ogg flac mov avi mkv webm sqlite sqlite3 db parquet"
	).split(" "),
);

/** Extensions of files people ask to see; a dotted word outside this list (React.Component, api.acme.com) is not a file. */
const FILE_EXT = new Set([
	...(
		"md markdown txt rst json jsonc json5 yaml yml toml ini cfg conf config env properties lock xml html htm css scss sass less " +
		"ts tsx js jsx mjs cjs py pyi go rs java kt kts scala rb php cs c h cc cpp hpp m swift lua pl r dart ex exs erl hs clj " +
		"sql prisma graphql gql proto sh bash zsh fish ps1 bat cmd tf tfvars hcl gradle dockerfile vue svelte ipynb csv tsv " +
		"log pem crt key example sample template tmpl tpl j2 mod sum gitignore dockerignore npmrc nvmrc editorconfig"
	).split(" "),
	...BINARY_EXT,
]);

/** Whether a path names a file that is not text (BINARY_EXT). */
export function isBinaryPath(path: string): boolean {
	const dot = path.lastIndexOf(".");
	return dot > path.lastIndexOf("/") && BINARY_EXT.has(path.slice(dot + 1).toLowerCase());
}

/** Files people name without an extension. */
const BARE_FILES = new Set(
	"Dockerfile Makefile Procfile Jenkinsfile Gemfile Rakefile Vagrantfile Brewfile Containerfile Justfile Caddyfile LICENSE README CHANGELOG CODEOWNERS".split(
		" ",
	),
);

/** Bare names a person says for a file whose usual name has an extension. */
const USUAL_NAME: Record<string, string> = { README: "README.md", CHANGELOG: "CHANGELOG.md" };

/** Library names that look like files (Next.js 14, Node.js). */
const LIBRARY_NAME = /^(node|next|vue|nuxt|express|three|react|d3|chart|moment|ember|backbone|angular|nest|deno|socket\.io|alpine|solid|svelte)\.js$/i;

/** Dot-names that are files (.nvmrc, .env); any other lone ".ext" is an extension being talked about (".sql files"). */
const DOTFILE = /^\.([\w-]*rc|env|gitignore|dockerignore|gitattributes|editorconfig|tool-versions|node-version|python-version|ruby-version)$/i;

/** Absolute paths into the usual system folders; other leading-slash tokens are mostly API routes. */
const SYSTEM_DIR = /^\/(etc|var|usr|home|tmp|opt|root|proc|sys|dev|srv|mnt|Users|private|Library)(\/[\w.-]+)*\/?$/;

export interface PathToken {
	/** As written, trimmed of quotes and trailing punctuation. */
	text: string;
	kind: "file" | "dir" | "glob";
}

/**
 * A file name's word characters in any script: letters, marks, digits, _ and the emoji a name may hold. ASCII `\w` cut
 * "src/héllo_🚀.ts" to "src/h", which was then read (ENOENT) and handed to a paid LLM.
 */
const W = "\\p{L}\\p{M}\\p{N}_\\p{Extended_Pictographic}";
const TOKEN = new RegExp(`[\`'"]?([~./${W}*?@{}[\\]-][${W}./*?@{}[\\],+~-]*)[\`'"]?`, "gu");
const TRAILING = /[.,;:!?)]+$/;
const URL_RE = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;

/** classify's tests, compiled once (a regex literal in a function is a new RegExp each time it runs; these are not global). */
const URL_START = /^https?:|:\/\//;
const GLOB_MARK = /[*?]/;
const WORD_OR_DOT = new RegExp(`[${W}.]`, "u");
const TRAILING_SLASHES = /\/+$/;
const VERSION = /^v?\d+(\.[\dx]+)+$/i;
const LETTER = /\p{L}/u;
const RELATIVE_DIR = new RegExp(`^[${W}.~-]+(/[${W}.*-]+)*/?$`, "u");

/** A token of word characters and hyphens only: no dot, slash, glob or trailing punctuation to read. */
const PLAIN = new RegExp(`^[${W}-]+$`, "u");

function classify(raw: string): PathToken | null {
	// Most tokens are plain words; of the tests below only the bare file name can hold for one (a version, an extension, a
	// path, a dot-name and a glob all need a character a plain word lacks): the same answer without them.
	if (PLAIN.test(raw)) return BARE_FILES.has(raw) ? { text: raw, kind: "file" } : null;
	const text = raw.replace(TRAILING, "");
	if (!text || URL_START.test(text) || text.includes("@")) return null;
	if (GLOB_MARK.test(text) && WORD_OR_DOT.test(text)) return { text, kind: "glob" };
	const last = text.replace(TRAILING_SLASHES, "").split("/").pop() ?? "";
	const dot = last.lastIndexOf(".");
	const ext = dot >= 0 ? last.slice(dot + 1).toLowerCase() : "";
	// A dotted version (v1.8.0, 2.3.x) or a bare number is never a file.
	if (VERSION.test(last)) return null;
	if (dot === 0 && !last.slice(1).includes(".")) return DOTFILE.test(last) ? { text, kind: "file" } : null;
	if (ext && FILE_EXT.has(ext) && (dot === 0 || LETTER.test(last.slice(0, dot))) && !LIBRARY_NAME.test(last)) return { text, kind: "file" };
	if (BARE_FILES.has(last)) return { text, kind: "file" };
	// A slash makes a path; an API route (/api/v2/search) starts with one and is left alone.
	if (text.includes("/") && !text.startsWith("/") && RELATIVE_DIR.test(text)) return { text, kind: "dir" };
	if (text.startsWith("/") && text.endsWith("/") && text.length > 1) return { text, kind: "dir" };
	if (SYSTEM_DIR.test(text)) return { text, kind: "dir" };
	return null;
}

/** Every path-like token of the text, in order, without duplicates. */
export function pathTokens(text: string): PathToken[] {
	const out: PathToken[] = [];
	const seen = new Set<string>();
	// URLs are addresses, not workspace paths.
	const rest = text.replace(URL_RE, " ");
	// An exec loop over the shared TOKEN (which never matches an empty string), as matchAll steps, without its copy of
	// the regex and an iterator result per token: the same matches.
	TOKEN.lastIndex = 0;
	for (let m = TOKEN.exec(rest); m; m = TOKEN.exec(rest)) {
		const tok = classify(m[1]);
		if (tok && !seen.has(tok.text)) {
			seen.add(tok.text);
			out.push(tok);
		}
	}
	TOKEN.lastIndex = 0;
	return out;
}

/** A file token as the tool should receive it: README becomes README.md, a trailing slash goes. */
export function filePath(token: string): string {
	return USUAL_NAME[token] ?? token;
}

export function dirPath(token: string): string {
	const t = token.replace(/\/+$/, "");
	return t === "" ? "/" : t;
}

/** The request with its path tokens blanked, so words inside paths (.github/, helm/) are not read as topics. */
export function withoutPaths(text: string, tokens: PathToken[]): string {
	let out = text;
	for (const t of tokens) out = out.split(t.text).join(" ");
	return out;
}

/** A glob the file-system server's search_files understands, matching anywhere below the search root. */
export function toGlob(pattern: string): string {
	const p = pattern.replace(/^\.\//, "");
	return p.includes("/") || p.startsWith("**") ? p : `**/${p}`;
}
