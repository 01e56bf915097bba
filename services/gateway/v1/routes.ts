import type { IncomingMessage, ServerResponse } from "node:http";
import { Errors, type Context, type LoggerInstance, type ServiceBroker } from "moleculer";
import type { Config } from "../../../lib/config";
import { loggableUrl } from "../../../lib/errors";
import { ApiError, apiFormatOf, errorBody, modelNotFound, type ApiFormat } from "./api-error";
import type { ModelsCountParams, ModelsStreamEvent } from "../../../lib/contracts/complete";
import { allowedModels, keyModels, type KeyMeta } from "../../../lib/auth/keys";
import { answer, answerStream, apiErrorOf, costHeaders, StickyModels, type Answer, type StreamedAnswer } from "./answer";
import { AnthropicStreamEncoder, fromAnthropicRequest, toAnthropicResponse } from "./anthropic-wire";
import type { NeutralRequest } from "./neutral";
import { fromOpenAIRequest, OpenAIStreamEncoder, toOpenAIResponse } from "./openai-wire";
import { catalogModelId, servedModelId } from "../../models/resolve";
import { fromResponsesRequest, ResponsesStreamEncoder, toResponsesResponse } from "./responses-wire";

/** moleculer-web's request: `$ctx` is the route's context, carrying the caller's key (ctx.meta.key) set by authenticate. */
type Req = IncomingMessage & { body?: unknown; headers: IncomingMessage["headers"]; $ctx: Context; $params?: unknown; originalUrl?: string };
/** `this`: the gateway service (moleculer-web calls an alias's function on it). */
type Gateway = { broker: ServiceBroker; logger: LoggerInstance };
type Handler = (this: Gateway, req: Req, res: ServerResponse) => Promise<void>;

/**
 * A /v1 failure as the gateway logs its other routes' (gateway.service.ts errorHandler and onError):
 * one warning line per 5xx, and the stack of anything that is neither an API nor a Moleculer error (a
 * bug of ours). The handlers answer their own errors, so without this a /v1 500 left no trace in the log.
 */
function logFailure(gateway: Gateway, req: Req, err: unknown, e: ApiError) {
	if (!(err instanceof ApiError) && !(err instanceof Errors.MoleculerError)) gateway.logger.error(`${req.method} ${loggableUrl(req.url)} failed:`, err);
	else if (e.status >= 500) gateway.logger.warn(`${req.method} ${loggableUrl(req.originalUrl ?? req.url)} failed: ${e.message}`);
}

/**
 * The request's id under both SDKs' header names: the openai SDK reads `x-request-id` (moleculer-web sets it
 * from the context), Anthropic's `request-id` (a response's `_request_id`, an error's `requestID`, what its
 * users quote in a support request); /v1 answers both, the same id. A route middleware, and called by the
 * gateway's onError for refusals made before it ran.
 */
export function mirrorRequestId(res: ServerResponse): void {
	const id = res.getHeader("x-request-id");
	if (id !== undefined && !res.headersSent) res.setHeader("request-id", id);
}

/**
 * `Retry-After` of a refusal that says when to come back (a key's budget or rate, lib/auth/keys.ts `retry_after_s`):
 * both SDKs wait that long before their retry, however long. One no retry can cure (`retryable: false`: over budget, a
 * call alone over tokens_per_minute) also says `x-should-retry: false`, which both SDKs obey: they slept out a budget's
 * retry-after, the rest of the day or month, before failing. Also the gateway's onError, for the edge's refusals.
 */
export function setRetryAfter(res: ServerResponse, err: unknown): void {
	const data = (err as { data?: { retry_after_s?: number; retryable?: boolean } } | undefined)?.data;
	if (!data?.retry_after_s || res.headersSent) return;
	res.setHeader("Retry-After", String(data.retry_after_s));
	if (data.retryable === false) res.setHeader("x-should-retry", "false");
}

/**
 * A /v1 handler's failure in the caller's API format, logged as the gateway's other routes log theirs (logFailure),
 * with the Retry-After of a refusal that names one; a response already started (a stream) is ended instead.
 */
function sendFailure(gateway: Gateway, req: Req, res: ServerResponse, err: unknown, format: ApiFormat): void {
	const e = apiErrorOf(err);
	logFailure(gateway, req, err, e);
	if (!res.headersSent) {
		setRetryAfter(res, err);
		send(res, e.status, errorBody(format, e));
	} else if (!res.writableEnded) res.end();
}

export function requestIdMiddleware(_req: IncomingMessage, res: ServerResponse, next: () => void): void {
	mirrorRequestId(res);
	next();
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
	for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
	res.setHeader("Content-Type", "application/json; charset=utf-8");
	res.writeHead(status);
	res.end(JSON.stringify(body));
}

function startSse(res: ServerResponse, headers: Record<string, string>) {
	for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
	res.setHeader("Content-Type", "text/event-stream; charset=utf-8");
	res.setHeader("Cache-Control", "no-cache");
	res.writeHead(200);
}

/** An API's server-sent event encoder for models.stream events (openai-wire.ts, anthropic-wire.ts). */
interface StreamEncoder {
	open(): string;
	event(e: ModelsStreamEvent): { text: string; end: boolean };
}

const COST_TRAILERS = ["x-orchestrator-cost-usd", "x-orchestrator-baseline-cost-usd"];

/**
 * Relays one streamed answer: the headers and the encoder's first frame, then one frame per event
 * as the provider produces it. The cost headers are known only at the end: HTTP trailers. A walk
 * that failed before any content was rejected before this point (an ordinary API error); here a
 * failure is the encoder's error frame, never a clean end.
 */
async function relay(res: ServerResponse, config: Config, s: StreamedAnswer, enc: StreamEncoder) {
	// The client hung up, which cancels the vendor call (lib/cancel.ts): the stream is read on, writing nothing, to its
	// last event, which says what the call was charged (the request's record counts it); also when the client left
	// before the first content (its close was emitted while the walk waited for it, before any listener).
	if (res.destroyed) s.events.abandon();
	else {
		res.on("close", () => s.events.abandon());
		startSse(res, { ...s.headers, Trailer: COST_TRAILERS.join(", ") });
		res.write(enc.open());
	}
	try {
		for await (const e of s.events) {
			if (res.destroyed) continue;
			const frame = enc.event(e);
			if (frame.text) res.write(frame.text);
			if (e.type === "done") res.addTrailers(costHeaders(config, s.receivedTokens, e.result, s.spentUsd()));
			if (frame.end) return void res.end();
		}
		if (!res.destroyed) res.end(enc.event({ type: "error", message: "the model stream ended before the answer was complete", code: 502 }).text);
	} catch (err) {
		const e = apiErrorOf(err);
		if (!res.writableEnded && !res.destroyed) res.end(enc.event({ type: "error", message: e.message, code: e.status }).text);
	}
}

/**
 * The OpenAI- and Anthropic-compatible endpoints (`/v1`): moleculer-web aliases whose handlers
 * read the vendor's wire format, answer through services/gateway/v1/answer.ts and write the same
 * format back. A streamed answer goes through models.stream and is relayed as it is produced:
 * a provider failing before its first content is replaced invisibly; one failing after it ends
 * the stream with an error event in the API's format. Every stream ends with `[DONE]` /
 * `message_stop` or that error.
 */
/**
 * The request's deadline (REQUEST_DEADLINE_MS) on a /v1 route's context, as the `orchestrate` action has it for its
 * Moleculer timeout: every call made from the context (`auto`'s analysis, the model walk) gets what is left of it
 * (Moleculer's distributed timeouts), and the walk gives each candidate part of it (lib/deadline.ts). moleculer-web makes
 * an alias function's context with no timeout, so a /v1 walk gave each model LLM_TIMEOUT_MS: two hanging vendors held
 * the caller 120 s.
 */
function withDeadline(ctx: Context & { startHrTime?: [number, number] | null }, ms: number): void {
	if (!(ms > 0) || !Number.isFinite(ms)) return;
	ctx.options.timeout = ms;
	// When the request started (Moleculer's own field, which its typings leave out; remainingMs reads it).
	ctx.startHrTime ??= process.hrtime();
}

/**
 * The request with its model as the catalog names it (a dated snapshot id is its model), or a model a live provider found
 * on its server; a model neither knows is a 404.
 */
function concrete<R extends NeutralRequest>(broker: ServiceBroker, config: Config, nreq: R): R {
	if (nreq.model === "auto") return nreq;
	const model = servedModelId(broker, config, nreq.model);
	if (!model) throw modelNotFound(nreq.model);
	return model === nreq.model ? nreq : { ...nreq, model };
}

export function v1Aliases(config: Config, deadlineMs = Infinity): Record<string, Handler> {
	const sticky = new StickyModels();

	const handle = <R extends NeutralRequest>(
		format: ApiFormat,
		parse: (body: unknown, headers: Req["headers"]) => R,
		write: (res: ServerResponse, a: Answer, req: R) => void,
		encoder: (req: R, s: StreamedAnswer) => StreamEncoder,
	): Handler =>
		async function (this: Gateway, req: Req, res: ServerResponse) {
			try {
				withDeadline(req.$ctx, deadlineMs);
				const nreq = concrete(this.broker, config, parse(req.body, req.headers));
				// Every call below is a child of the route's context: the caller's key (its allowed models and
				// budget, the metrics' key label) and the request's deadline go with it, as for /api.
				if (!nreq.stream) return write(res, await answer(req.$ctx, config, sticky, nreq, req.headers), nreq);
				const s = await answerStream(req.$ctx, config, sticky, nreq, req.headers);
				await relay(res, config, s, encoder(nreq, s));
			} catch (err) {
				sendFailure(this, req, res, err, format);
			}
		};

	return {
		"POST chat/completions": handle(
			"openai",
			fromOpenAIRequest,
			(res, a) => send(res, 200, toOpenAIResponse(a.result), a.headers),
			(nreq, s) => new OpenAIStreamEncoder(s.start.model, !!nreq.include_usage),
		),
		"POST messages": handle(
			"anthropic",
			(body, headers) => fromAnthropicRequest(body, { headers }),
			(res, a) => send(res, 200, toAnthropicResponse(a.result), a.headers),
			(_nreq, s) => new AnthropicStreamEncoder(s.start.model, s.forwardedTokens),
		),
		// OpenAI Responses, stateless (responses-wire.ts): `input` is held to limits.max_messages, as `messages` is at the edge.
		"POST responses": handle(
			"openai",
			body => fromResponsesRequest(body, config.limits.max_messages),
			(res, a, nreq) => send(res, 200, toResponsesResponse(a.result, nreq.echo), a.headers),
			(nreq, s) => new ResponsesStreamEncoder(s.start.model, nreq.echo),
		),
		// Anthropic's token counting (the SDK's messages.countTokens; Claude Code sizes its context with it): the
		// body and checks of /v1/messages, counted by models.count (lib/tokens, o200k_base), no vendor call.
		async "POST messages/count_tokens"(this: Gateway, req: Req, res: ServerResponse) {
			try {
				const nreq = concrete(this.broker, config, fromAnthropicRequest(req.body, { counting: true }));
				if (nreq.model !== "auto") {
					// A model the caller's key may not call is a 403 here too.
					allowedModels(config, req.$ctx.meta as KeyMeta, [nreq.model], [nreq.model]);
				}
				const params: ModelsCountParams = {
					...(nreq.system ? { system: nreq.system } : {}),
					messages: nreq.messages,
					...(nreq.options.tools ? { tools: nreq.options.tools } : {}),
				};
				send(res, 200, await req.$ctx.call<{ input_tokens: number }, ModelsCountParams>("models.count", params));
			} catch (err) {
				sendFailure(this, req, res, err, "anthropic");
			}
		},
		// OpenAI's model list, or Anthropic's for a client sending anthropic-version (its SDK's models.list / retrieve).
		async "GET models"(this: Gateway, req: Req, res: ServerResponse) {
			try {
				const listed = await listedModels(this.broker, config, req.$ctx.meta as KeyMeta);
				if (apiFormatOf("/v1/models", req.headers) === "anthropic") {
					const data = listed.map(anthropicModel);
					return send(res, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
				}
				send(res, 200, { object: "list", data: listed.map(openaiModel) });
			} catch (err) {
				sendFailure(this, req, res, err, apiFormatOf("/v1/models", req.headers) ?? "openai");
			}
		},
		// OpenAI's models.retrieve. `:id+`: an id with a slash, sent raw or encoded (`%2F`), is one id. A dated snapshot of a
		// catalog id (or its api_model) is that model, as a POST resolves it (catalogModelId): its object, under the catalog id
		// the answers name, as Anthropic's retrieve of an alias answers with the model it stands for.
		async "GET models/:id+"(this: Gateway, req: Req, res: ServerResponse) {
			try {
				const id = ((req.$params as { id?: string[] }).id ?? []).join("/");
				const catalogId = id === "auto" ? id : (catalogModelId(config, id) ?? id);
				const model = (await listedModels(this.broker, config, req.$ctx.meta as KeyMeta)).find(m => m.id === catalogId);
				if (!model) throw modelNotFound(id);
				send(res, 200, apiFormatOf("/v1/models", req.headers) === "anthropic" ? anthropicModel(model) : openaiModel(model));
			} catch (err) {
				sendFailure(this, req, res, err, apiFormatOf("/v1/models", req.headers) ?? "openai");
			}
		},
	};
}

/** A model GET /v1/models lists: its id, who serves it, its context window (none for `auto`). */
interface Listed {
	id: string;
	owned_by: string;
	context_window: number | null;
}

/**
 * What GET /v1/models lists: `auto` and every live model of the catalog the caller's key may call (`auth.keys[].models`), as
 * a vendor lists only the models a key has access to: a client picking from the list (an IDE's model picker) picked a 403.
 */
async function listedModels(broker: ServiceBroker, config: Config, meta: KeyMeta): Promise<Listed[]> {
	const catalog = await broker.call<{ id: string; provider: string; live: boolean; context_window: number }[]>("models.catalog");
	const allowed = keyModels(config, meta);
	return [
		{ id: "auto", owned_by: "orchestrator", context_window: null },
		...catalog.filter(m => m.live && (!allowed || allowed.includes(m.id))).map(m => ({ id: m.id, owned_by: m.provider, context_window: m.context_window })),
	];
}

/** OpenAI's model object. @see https://platform.openai.com/docs/api-reference/models/object */
function openaiModel(m: Listed) {
	return { id: m.id, object: "model" as const, created: 0, owned_by: m.owned_by };
}

/** Anthropic's ModelInfo (@anthropic-ai/sdk 1.x): what we know of it, null where Anthropic's API would say more. */
function anthropicModel(m: Listed) {
	return {
		type: "model" as const,
		id: m.id,
		display_name: m.id,
		created_at: new Date(0).toISOString(),
		capabilities: null,
		deprecated_at: null,
		lifecycle: "active" as const,
		line: null,
		max_input_tokens: m.context_window,
		max_tokens: null,
		retires_at: null,
	};
}
