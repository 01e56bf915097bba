import { Errors } from "moleculer";
import { redact } from "./errors";

/**
 * Why a provider call failed, as a short category: it is shown in `attempts`, used as the
 * `reason` of a fallback, and becomes a Prometheus label, so the set is small and closed.
 */
export const FAILURE_REASONS = [
	"rate_limited",
	"server_error",
	"timeout",
	"connection",
	"auth",
	"bad_request",
	"not_found",
	"circuit_open",
	"unavailable",
	"no_provider",
	"error",
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** What a vendor SDK error says, read without knowing the vendor: HTTP status, retry hint, kind. */
export interface VendorFailure {
	status?: number;
	/** Milliseconds the vendor asks us to wait (retry-after, retry-after-ms, Gemini RetryInfo). */
	retryAfterMs?: number;
	/** `cut`: the vendor took the call (its headers came) and the body broke off or did not parse; it bills the call all the same. */
	kind: "http" | "timeout" | "connection" | "cut" | "other";
	/** A `cut` whose body came whole but did not parse (reason `error`, not `connection`). */
	unparsed?: boolean;
	message: string;
}

/**
 * A 200 that is no answer (an HTML page, no choice, an error in a success): the vendor took the call, as with a body that
 * does not parse, and may bill it; what it sent cannot be answered with. Thrown by a mapping; read as a `cut` (reason `error`).
 */
export class NotAnAnswerError extends Error {
	override name = "NotAnAnswerError";
}

/** A 200 that is no `what` (a proxy's page, another shape), quoting what came instead, condensed. */
export function notAnAnswer(what: string, body: unknown): NotAnAnswerError {
	return new NotAnAnswerError(`the answer is no ${what} (${condensedText(typeof body === "string" ? body : (JSON.stringify(body) ?? "no body"))})`);
}

const MAX_TEXT = 200;

/** A text body as one short line: an HTML page by its title (else its text without tags), whitespace collapsed, capped. */
export function condensedText(text: string): string {
	const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
	const html = /^\s*</.test(text);
	const plain = (title?.trim() || (html ? text.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " ") : text))
		.replace(/\s+/g, " ")
		.trim();
	return plain.length > MAX_TEXT ? `${plain.slice(0, MAX_TEXT)}…` : plain;
}

/** A vendor's text as the caller reads it: an HTML error page (a proxy's, a load balancer's) by its title, not the page. */
function readable(message: string): string {
	return /<html|<!doctype/i.test(message) ? condensedText(message) : message;
}

const CONNECTION_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_SOCKET", "UND_ERR_CLOSED"]);

/** `retry-after` (seconds or an HTTP date) and OpenAI's `retry-after-ms`, from a Headers object or a plain record. */
export function retryAfterMs(headers: unknown, now = Date.now()): number | undefined {
	const get = (name: string): string | null | undefined => {
		if (!headers || typeof headers !== "object") return undefined;
		if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name);
		const v = (headers as Record<string, unknown>)[name];
		return typeof v === "string" ? v : undefined;
	};
	const ms = Number(get("retry-after-ms"));
	if (get("retry-after-ms") && Number.isFinite(ms) && ms >= 0) return ms;
	const raw = get("retry-after");
	if (!raw) return undefined;
	const secs = Number(raw);
	if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
	const date = Date.parse(raw);
	return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** A Google duration string ("1.5s") as milliseconds. */
export function durationMs(value: unknown): number | undefined {
	if (typeof value !== "string") return undefined;
	const m = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
	return m ? Math.round(Number(m[1]) * 1000) : undefined;
}

function causeCode(err: unknown): string | undefined {
	let e = err as { code?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; e && depth < 5; depth++) {
		if (typeof e.code === "string" && CONNECTION_CODES.has(e.code)) return e.code;
		e = e.cause as typeof e;
	}
	return undefined;
}

/** The vendors' error types that say what an HTTP status would (Anthropic's and OpenAI's names). */
const STREAM_ERROR_STATUS: Record<string, number> = {
	overloaded_error: 529,
	rate_limit_error: 429,
	api_error: 500,
	server_error: 500,
	rate_limit_exceeded: 429,
};

/**
 * Reads an SDK error: the Stainless-generated OpenAI and Anthropic SDKs put `status` and
 * `headers` on the error; fetch-based SDKs throw AbortError/TimeoutError or a TypeError whose
 * cause carries the socket error code.
 */
export function readVendorError(err: unknown): VendorFailure {
	// First: its message quotes the vendor's text, which may say anything ("Timeout").
	if (err instanceof NotAnAnswerError) return { kind: "cut", message: err.message, unparsed: true };
	const e = err as {
		name?: string;
		message?: string;
		status?: unknown;
		headers?: unknown;
		error?: { message?: unknown; type?: unknown; error?: { message?: unknown; type?: unknown } };
	};
	// The vendor's own sentence from the error body (OpenAI {error:{message}}, Anthropic {type,error:{message}});
	// else the SDK's message, minus the status prefix Stainless SDKs put in front ("401 …").
	const bodyMessage = e?.error?.error?.message ?? e?.error?.message;
	const message = typeof bodyMessage === "string" ? bodyMessage : String(e?.message ?? err).replace(/^\d{3}\s+/, "");
	const name = String(e?.name ?? "");
	if (typeof e?.status === "number") return { status: e.status, retryAfterMs: retryAfterMs(e.headers), kind: "http", message };
	// An error event inside a 200 stream has no status, only the vendor's error type (Anthropic's `event: error` body, an
	// OpenAI chunk's `error`): read as the status that type stands for, so an overloaded Claude is retried elsewhere before
	// content and reaches an Anthropic client as overloaded_error after it, not as an unknown failure (api_error).
	const vendorType = e?.error?.error?.type ?? e?.error?.type;
	const typeStatus = typeof vendorType === "string" ? STREAM_ERROR_STATUS[vendorType] : undefined;
	if (typeStatus) return { status: typeStatus, kind: "http", message };
	if (/Timeout/i.test(name) || /timed? ?out/i.test(message)) return { kind: "timeout", message };
	// How fetch fails the reading of a body cut short: after the headers, so the vendor has the call.
	if (message === "terminated") return { kind: "cut", message: "the answer broke off (connection terminated)" };
	// A 200 whose body does not parse: the vendor answered, and bills the call as well.
	if (name === "SyntaxError") return { kind: "cut", message: `the answer did not parse (${message})`, unparsed: true };
	// Words, not substrings: a body that does not parse ("Unterminated string in JSON") is no dropped connection.
	if (/Connection/i.test(name) || causeCode(err) || /fetch failed|socket hang up|\bterminated\b|other side closed/i.test(message)) {
		return { kind: "connection", message };
	}
	return { kind: "other", message };
}

export interface MapOptions {
	provider: string;
	service: string;
	/** The call's own deadline fired (our AbortSignal), whatever the SDK made of the abort. */
	deadlineHit?: boolean;
	timeoutMs?: number;
	/** What timed out, when not the wait for the answer (a stream gone silent, or too long): the message says it. */
	timeoutMessage?: string;
	/** A longer retry-after makes a 429/503 final here: waiting that long would stall the request. */
	retryAfterMaxMs?: number;
}

/** Category of an HTTP status from a vendor. */
export function statusReason(status: number): FailureReason {
	if (status === 429) return "rate_limited";
	if (status === 401 || status === 403) return "auth";
	if (status === 404) return "not_found";
	if (status === 408) return "timeout";
	if (status >= 500) return "server_error";
	return "bad_request";
}

/**
 * A vendor failure as a Moleculer error: 429, 5xx, 408, timeouts and dropped connections are
 * MoleculerRetryableError, so Moleculer's retry policy and circuit breaker act on them; any
 * other 4xx is final on this provider (a retry would get the same answer) and the orchestrator
 * moves on to the next model. The message never carries a key: vendor text is redacted.
 */
export function toMoleculerError(failure: VendorFailure, opts: MapOptions): Errors.MoleculerError {
	const base = { provider: opts.provider, service: opts.service };
	if (opts.deadlineHit || failure.kind === "timeout") {
		const ms = opts.timeoutMs ? ` after ${opts.timeoutMs} ms` : "";
		return new Errors.MoleculerRetryableError(`${opts.provider}: ${opts.timeoutMessage ?? `no answer${ms}`}`, 504, "PROVIDER_TIMEOUT", {
			...base,
			reason: "timeout",
		});
	}
	if (failure.kind === "cut") {
		// Not retried here: the vendor has it and bills it (docs/providers.md, "A vendor call at most once"); the walk moves on.
		return new Errors.MoleculerError(`${opts.provider}: ${failure.message} after the vendor took the call (not sent to it again)`, 502, "PROVIDER_CUT", {
			...base,
			reason: failure.unparsed ? "error" : "connection",
		});
	}
	if (failure.kind === "connection" || failure.kind === "other" || failure.status === undefined) {
		const retryable = failure.kind === "connection";
		const text = `${opts.provider}: ${retryable ? "connection failed: " : ""}${redact(readable(failure.message))}`;
		return retryable
			? new Errors.MoleculerRetryableError(text, 502, "PROVIDER_CONNECTION", { ...base, reason: "connection" })
			: new Errors.MoleculerError(text, 500, "PROVIDER_ERROR", { ...base, reason: "error" });
	}
	const status = failure.status;
	const reason = statusReason(status);
	const data = { ...base, reason, status, retry_after_ms: failure.retryAfterMs };
	const text = `${opts.provider}: HTTP ${status}: ${redact(readable(failure.message))}`;
	if (reason === "rate_limited" || reason === "server_error" || reason === "timeout") {
		if (failure.retryAfterMs !== undefined && opts.retryAfterMaxMs !== undefined && failure.retryAfterMs > opts.retryAfterMaxMs) {
			const code = reason === "rate_limited" ? 429 : status;
			return new Errors.MoleculerError(`${text} (retry after ${failure.retryAfterMs} ms: trying another provider)`, code, reason.toUpperCase(), data);
		}
		return new Errors.MoleculerRetryableError(text, reason === "rate_limited" ? 429 : status >= 500 ? status : 504, reason.toUpperCase(), data);
	}
	// 401/403 are the operator's key, not the caller's request: a plain error, not a client error.
	if (reason === "auth") return new Errors.MoleculerError(text, status, "PROVIDER_AUTH", data);
	return new Errors.MoleculerClientError(text, status, reason === "not_found" ? "PROVIDER_NOT_FOUND" : "PROVIDER_BAD_REQUEST", data);
}

/**
 * The category of any error a provider call can end with: ours (data.reason), or Moleculer's
 * own when the call never reached a provider (timeout on the caller, node gone, breaker open).
 */
export function failureReason(err: unknown): FailureReason {
	const e = err as Errors.MoleculerError | undefined;
	const reason = (e?.data as { reason?: unknown } | undefined)?.reason;
	if (typeof reason === "string" && (FAILURE_REASONS as readonly string[]).includes(reason)) return reason as FailureReason;
	if (e instanceof Errors.RequestTimeoutError || e?.type === "REQUEST_TIMEOUT") return "timeout";
	if (
		e instanceof Errors.ServiceNotAvailableError ||
		e instanceof Errors.ServiceNotFoundError ||
		e instanceof Errors.RequestRejectedError ||
		e instanceof Errors.QueueIsFullError ||
		["SERVICE_NOT_AVAILABLE", "SERVICE_NOT_FOUND", "REQUEST_REJECTED", "QUEUE_FULL"].includes(String(e?.type))
	) {
		return "unavailable";
	}
	if (e instanceof Errors.ValidationError) return "bad_request";
	return "error";
}
