/**
 * Errors in the caller's API format, so an OpenAI or Anthropic SDK raises its own typed error
 * (NotFoundError, BadRequestError, ...) with our message.
 *
 * @see https://platform.openai.com/docs/guides/error-codes (body: {error: {message, type, param, code}})
 * @see https://docs.anthropic.com/en/api/errors (body: {type: "error", error: {type, message}})
 */
export type ApiFormat = "openai" | "anthropic";

/**
 * The API format a request to the gateway is answered in, undefined outside /v1: Anthropic's for
 * /v1/messages and for any client sending `anthropic-version` (the Anthropic SDK always does, so
 * its calls to a path we do not serve get an error it reads), OpenAI's for the rest of /v1.
 */
export function apiFormatOf(path: string, headers: Record<string, unknown>): ApiFormat | undefined {
	if (path !== "/v1" && !path.startsWith("/v1/")) return undefined;
	return path.startsWith("/v1/messages") || headers["anthropic-version"] !== undefined ? "anthropic" : "openai";
}

export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		/** OpenAI `code` (model_not_found, unsupported_parameter, ...). */
		readonly code: string | null = null,
		/** The request field at fault, when one is. */
		readonly param: string | null = null,
		/** OpenAI's `type` when the status alone does not tell it (a 429's limit: `requests`, `tokens`, `insufficient_quota`). */
		readonly openaiType?: string,
	) {
		super(message);
	}
}

/**
 * OpenAI's `type` per status. OpenAI reports every refused request, a wrong key (401, code
 * `invalid_api_key`) and an unknown model (404, code `model_not_found`) among them, as
 * `invalid_request_error`; a 429 names the limit hit (`requests`, `tokens`, or `insufficient_quota`
 * for an exhausted quota, which clients such as LangChain stop retrying on); a failure of its own is
 * `server_error`. Anthropic's names (`not_found_error`, `authentication_error`, ...) are not OpenAI's.
 */
function openaiType(err: ApiError): string {
	if (err.openaiType) return err.openaiType;
	if (err.status === 429) return "requests";
	if (err.status >= 500) return "server_error";
	return "invalid_request_error";
}

/** Anthropic's `error.type` per status. */
function anthropicType(status: number): string {
	if (status === 401) return "authentication_error";
	if (status === 403) return "permission_error";
	if (status === 404) return "not_found_error";
	if (status === 413) return "request_too_large";
	if (status === 429) return "rate_limit_error";
	if (status === 529 || status === 503) return "overloaded_error";
	if (status >= 500) return "api_error";
	return "invalid_request_error";
}

export function errorBody(format: ApiFormat, err: ApiError): unknown {
	if (format === "anthropic") return { type: "error", error: { type: anthropicType(err.status), message: err.message } };
	return { error: { message: err.message, type: openaiType(err), param: err.param, code: err.code } };
}

/** A JSON object (not an array, not null): what the wire readers check a request's object fields to be. */
export const isObject = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);
/** An OpenAI-format 400 for a parameter this gateway does not take, naming it. */
export const unsupported = (param: string, message: string) => new ApiError(400, message, "unsupported_parameter", param);
/** An OpenAI-format 400 for a parameter of the wrong shape or value, naming it. */
export const invalid = (param: string, message: string) => new ApiError(400, message, "invalid_value", param);

/**
 * A request value as an error message names it: a string as is, anything else as JSON. In a template literal, an object
 * whose toString is not a function (`{"type": {"toString": null}}`) threw a TypeError: a refusal became a 500.
 */
export function shown(v: unknown): string {
	if (typeof v === "string") return v;
	try {
		return JSON.stringify(v) ?? String(v);
	} catch {
		return typeof v;
	}
}

export function modelNotFound(model: string): ApiError {
	return new ApiError(
		404,
		`The model '${model.length > 200 ? `${model.slice(0, 200)}…` : model}' does not exist or is not served here; GET /v1/models lists the models (and 'auto')`,
		"model_not_found",
		"model",
	);
}

/** A parameter the chosen target cannot honour: refused by name, never dropped silently. */
export function unsupportedParameter(param: string, target: string, why = "is not supported"): ApiError {
	return new ApiError(400, `'${param}' ${why} by ${target}`, "unsupported_parameter", param);
}
