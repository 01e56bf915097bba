import { Errors } from "moleculer";

/** Secrets that may appear in upstream error text; never echoed to callers or logs. */
const SECRET = /\b(sk-[A-Za-z0-9_-]{8,}|sk-ant-[A-Za-z0-9_-]{8,}|AIza[0-9A-Za-z_-]{20,}|Bearer\s+[A-Za-z0-9._-]{8,})/g;

/**
 * Credentials from the environment, whatever their format: a proxy's or a local server's key has no
 * vendor prefix, and vendors echo a wrong key in their 401 text. Short values are left alone: they
 * are no real secret and would mask ordinary words.
 */
const SECRET_ENV_NAME = /(^|_)(API_?KEY|KEY|TOKEN|SECRET|PASSWORD)$/i;
const MIN_SECRET_LENGTH = 8;
const secrets = new Set<string>();

/** The user info of a URL: scheme, user, password. */
const URL_USER_INFO = /\b([a-z][a-z0-9+.-]*):\/\/([^:@/\s]*)(?::([^@/\s]*))?@/gi;

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/**
 * Remembers the values of every secret-named variable of `env` (see SECRET_ENV_NAME) for redact(), and the passwords in
 * URL-valued ones (CACHER=redis://:password@host, TRANSPORTER, DATABASE_URL) and a nats:// URL's token
 * (nats://token@host): clients copy them into their own options and messages without the URL around them.
 */
export function rememberSecrets(env: Record<string, string | undefined>): void {
	for (const [name, value] of Object.entries(env)) {
		if (value && value.length >= MIN_SECRET_LENGTH && SECRET_ENV_NAME.test(name)) secrets.add(value);
		for (const [, scheme, user, password] of value?.matchAll(URL_USER_INFO) ?? []) {
			const secret = safeDecode(password || (scheme.toLowerCase() === "nats" ? user : ""));
			if (secret.length >= MIN_SECRET_LENGTH) secrets.add(secret);
		}
	}
}

/** user:password@ in a URL (a transporter or cacher address in a connection error). */
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)[^@/\s]+@/gi;

export function redact(text: string): string {
	let out = text.replace(SECRET, "[redacted]").replace(URL_CREDENTIALS, "$1[redacted]@");
	for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join("[redacted]");
	return out;
}

/**
 * A request's URL as a log line may show it: the path and the query's parameter names, never their values. A caller
 * may put a key in the query (`?api_key=...`, a misuse some clients make); the access log must not keep it.
 */
export function loggableUrl(url: string | undefined): string {
	if (!url) return "/";
	const q = url.indexOf("?");
	if (q < 0) return url;
	const names = url
		.slice(q + 1)
		.split("&")
		.filter(Boolean)
		.map(pair => `${pair.split("=", 1)[0]}=…`);
	return `${url.slice(0, q)}?${names.join("&")}`;
}

/**
 * Moleculer's errors name the node they were on ("Request is timed out when call 'models.complete' action on
 * 'vm-4242' node."): a node ID is the host's name and a process ID, nothing a caller can act on and something an
 * outsider should not learn. Messages for callers drop it; Moleculer's own logs keep it.
 */
const ON_NODE = / on '[^']*' node\b/g;

/** An error's message as a caller may read it: secrets redacted, node IDs dropped. */
export function publicMessage(text: string): string {
	return clipMessage(redact(text).replace(ON_NODE, ""));
}

/** Longest error message answered: a validation message quotes the caller's value, which may be megabytes. */
export const MAX_MESSAGE_CHARS = 2_000;

/** A message cut to MAX_MESSAGE_CHARS, saying how much was left out (redacted first, so no secret is cut in half). */
export function clipMessage(text: string): string {
	return text.length <= MAX_MESSAGE_CHARS ? text : `${text.slice(0, MAX_MESSAGE_CHARS)}… [${text.length - MAX_MESSAGE_CHARS} more characters]`;
}

/** One readable sentence for any error, naming the fields a validation error complains about. */
export function errorMessage(err: unknown): string {
	if (err instanceof Errors.ValidationError && Array.isArray(err.data)) {
		const details = (err.data as { message?: string; field?: string }[]).map(d => d.message ?? `invalid ${d.field}`);
		return publicMessage(details.length ? `invalid input: ${details.join("; ")}` : err.message);
	}
	return publicMessage(err instanceof Error ? err.message : String(err));
}

/**
 * Moleculer's "no node serves this action" errors carry 404, which an HTTP caller reads as a wrong
 * URL; for us they mean a part of the cluster is down (or its breaker open): 503, retry later.
 */
const UNAVAILABLE_TYPES = new Set(["SERVICE_NOT_FOUND", "SERVICE_NOT_AVAILABLE"]);

/** HTTP status and type for an error: the caller's mistakes are 4xx, ours and upstream 5xx. */
export function errorStatus(err: unknown): { status: number; type: string } {
	const e = err as Errors.MoleculerError;
	const type = e?.type || e?.name || "INTERNAL_ERROR";
	if (UNAVAILABLE_TYPES.has(type)) return { status: 503, type };
	// orchestrate's Moleculer timeout is the request's deadline (lib/deadline.ts): when it fires before the walk's own
	// answer (a busy event loop), the caller still reads the deadline's type, as documented.
	if (type === "REQUEST_TIMEOUT" && (e.data as { action?: string } | undefined)?.action === "orchestrator.orchestrate")
		return { status: 504, type: "DEADLINE_EXCEEDED" };
	const code = typeof e?.code === "number" && e.code >= 400 && e.code < 600 ? e.code : 500;
	return { status: code, type };
}
