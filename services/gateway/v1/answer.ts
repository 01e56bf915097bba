import { Errors, type Context, type ServiceBroker } from "moleculer";
import { compactOffloaded, type CompactionResult } from "../../../lib/compaction";
import { conversationTokens } from "../../../lib/compaction/compact";
import { boundedOutput } from "../../../mixins/mcp-client.mixin";
import type { Config } from "../../../lib/config";
import { Readable } from "node:stream";
import type { ChatMessage, ModelsCompleteFailure, ModelsCompleteParams, ModelsCompleteResult, ModelsStreamEvent } from "../../../lib/contracts/complete";
import { PAID_HELPERS, type Analysis, type OrchestrateResult } from "../../../lib/contracts";
import { priceUsd } from "../../models/pricing";
import { analyzeOnce } from "../../orchestrator/analyze-call";
import { sha256Hex } from "../../orchestrator/cache-keys";
import { ApiError, modelNotFound } from "./api-error";
import { compactionHeader, compactionOptions } from "./compaction-headers";
import type { NeutralRequest } from "./neutral";
import { allowedModels, keyName, type KeyMeta } from "../../../lib/auth/keys";
import { bypassRequested, cacheable, fromCache, lookup, store } from "./completion-cache";
import { emitRecord, type V1Outcome } from "./record";
import { cancelCharge, isCancelled, type CancelCharge } from "../../../lib/cancel";
import { watchNodeLeaving } from "../../../lib/bus";
import { errorStatus, publicMessage } from "../../../lib/errors";
import { limitToolOutput, toolOutputAnswers } from "./tool-output";

/** Default output budget when the client sets none (OpenAI's API has none; Anthropic's requires one). */
const DEFAULT_MAX_TOKENS = 4096;
/**
 * The output budget of a call whose client set none: DEFAULT_MAX_TOKENS for the answer, plus the thinking budget an OpenAI
 * client's reasoning effort asked for (reasoning-effort.ts), which Claude counts in max_tokens and needs below it: LiteLLM
 * (update_optional_params_with_thinking_tokens) sets max_tokens to the budget plus its default the same way.
 */
function defaultMaxTokens(thinking: NeutralRequest["options"]["thinking"]): number {
	return DEFAULT_MAX_TOKENS + (thinking?.type === "enabled" ? thinking.budget_tokens : 0);
}
/** Earlier turns passed to the analysis as context for the last user turn. */
const CONTEXT_CHARS = 4000;
const STICKY_ENTRIES = 10_000;
/** Cacher key prefix of the conversation → model map. */
const STICKY_PREFIX = "v1.sticky.";
/** A conversation idle this long may move (a coding session's pause; the vendor's cache is long cold by then). */
const STICKY_TTL_SECONDS = 6 * 3600;
/** The analyze contract's test of a request that asks something (lib/contracts/request.ts). */
const NON_BLANK = /\S/;

export interface Answer {
	result: ModelsCompleteResult;
	headers: Record<string, string>;
}

/**
 * A conversation keeps the model it started on while that model answers, so the vendor's prompt
 * cache keeps hitting: keyed by a hash of the caller's key name and the conversation's first messages (system and
 * task; the key's name because two keys are two tenants, and a key limited to a cheap model pinned the other's
 * conversations with the same opening to it), in
 * Moleculer's cacher (Redis with CACHER=redis://, so every gateway node of a cluster agrees), or in
 * this node's memory when the broker has no cacher; oldest forgotten first either way.
 */
export class StickyModels {
	private readonly map = new Map<string, string>();
	key(messages: ChatMessage[], keyName = ""): string {
		// The system prompt(s) and the task: what every later call of the conversation repeats.
		const task = messages.findIndex(m => m.role === "user");
		const head = messages.filter((m, i) => m.role === "system" || i === task).map(m => [m.role, m.content]);
		return sha256Hex(JSON.stringify([keyName, head]));
	}
	async get(broker: ServiceBroker, key: string): Promise<string | undefined> {
		if (broker.cacher) {
			// A cacher that cannot answer (Redis down) leaves the choice to the pipeline, never fails the call.
			const kept = await Promise.resolve(broker.cacher.get(`${STICKY_PREFIX}${key}`)).catch(() => null);
			return typeof kept === "string" ? kept : undefined;
		}
		return this.map.get(key);
	}
	async set(broker: ServiceBroker, key: string, model: string): Promise<void> {
		if (broker.cacher) {
			await Promise.resolve(broker.cacher.set(`${STICKY_PREFIX}${key}`, model, STICKY_TTL_SECONDS)).catch(() => undefined);
			return;
		}
		this.map.delete(key);
		if (this.map.size >= STICKY_ENTRIES) this.map.delete(this.map.keys().next().value!);
		this.map.set(key, model);
	}
}

/** A concrete model's configured fallbacks: the rest of the tier chain it belongs to. */
export function chainFor(config: Config, model: string): string[] {
	for (const tier of Object.values(config.tiers)) {
		const chain = [tier.preferred, ...tier.fallback];
		if (chain.includes(model)) return [model, ...chain.filter(m => m !== model)];
	}
	return [model];
}

function lastUserTurn(messages: ChatMessage[]): { text: string; earlier: string } {
	let i = messages.length - 1;
	while (i >= 0 && messages[i].role !== "user") i--;
	const text = i >= 0 ? messages[i].content : "";
	const earlier = messages
		.slice(0, Math.max(0, i))
		.filter(m => m.role !== "system")
		.map(m => `${m.role}: ${m.content}`)
		.join("\n");
	return { text, earlier: earlier.slice(-CONTEXT_CHARS) };
}

/** OpenAI's `type` of a 429 (lib/auth/keys.ts refusals): the key's budget is its quota; otherwise the limit it is over. */
function rateLimitType(err: Errors.MoleculerError): string {
	if (err.type === "budget_exceeded") return "insufficient_quota";
	return (err.data as { tokens_per_minute?: number } | undefined)?.tokens_per_minute !== undefined ? "tokens" : "requests";
}

/**
 * Moleculer errors of the edge, the walk and the pipeline, in API terms: the status by lib/errors'
 * rule, as REST answers it (an action with no live node is 503, not Moleculer's 404, which an SDK
 * reads as a wrong URL), and the message as a caller may read it (publicMessage).
 */
export function apiErrorOf(err: unknown): ApiError {
	if (err instanceof ApiError) return err;
	if (err instanceof Errors.MoleculerError) {
		// A validation error's data is its list of fields (lib/contracts/validator.ts zodIssues): the first is the param at fault.
		const data = (Array.isArray(err.data) ? err.data[0] : err.data) as { field?: string; model?: string } | undefined;
		const message = publicMessage(err.message);
		const { status, type } = errorStatus(err);
		if (err.type === "UNKNOWN_MODEL") return modelNotFound(data?.model ?? "?");
		if (status === 422 || err.type === "VALIDATION_ERROR") return validationError(err, message, data?.field);
		if (status === 413) return new ApiError(413, message, "request_too_large", data?.field ?? null);
		if (err.type === "UNSUPPORTED_PARAMS") return new ApiError(400, message, "unsupported_parameter", data?.field ?? null);
		if (status === 429) return new ApiError(429, message, type.toLowerCase(), null, rateLimitType(err));
		return new ApiError(status, message, type.toLowerCase(), null);
	}
	return new ApiError(500, publicMessage(err instanceof Error ? err.message : String(err)), "internal_error", null);
}

/** A contract path (`tools.0.type`) as the request names it (`tools[0].type`). */
const wirePath = (field: string) => field.replace(/\.(\d+)(?=\.|$)/g, "[$1]");

/**
 * A value the walk's contract refused (lib/contracts/complete.ts) that the wire format's own checks let through: its
 * fields' sentences ("The 'tools[0].type' field must be ...") without Moleculer's "Parameters validation error!" before
 * them, the first field as `param`. The wire readers refuse what they know by name first; this is the backstop.
 */
function validationError(err: Errors.MoleculerError, message: string, field: string | undefined): ApiError {
	const details = Array.isArray(err.data) ? (err.data as { field?: string; message?: string }[]) : [];
	const sentences = details.filter(d => d.message).map(d => (d.field ? d.message!.replaceAll(`'${d.field}'`, `'${wirePath(d.field)}'`) : d.message!));
	return new ApiError(400, sentences.length ? publicMessage(sentences.join(" ")) : message, "invalid_value", field ? wirePath(field) : null);
}

/** A /v1 call made ready for the walk: compacted, its chain chosen. */
interface Prepared {
	params: ModelsCompleteParams;
	analysis?: Analysis;
	compacted: CompactionResult<ChatMessage>;
	/** `auto`: the conversation's key in the sticky map (a concrete model keeps no sticky choice). */
	stickyKey?: string;
	started: number;
	/** Time spent before the model walk, per stage (for the metrics record). */
	stages: Record<string, number>;
	/** `auto` routed to a downstream tool and the client sent no tools: the request orchestrator.orchestrate answers. */
	toolRequest?: { request: string; context?: { conversation: string } };
}

/**
 * Compaction of the conversation and the model chain (`auto`: the pipeline's analysis of the last
 * user turn, sticky per conversation; a concrete id: that model and its tier's fallbacks).
 */
async function prepare(
	ctx: Context,
	config: Config,
	sticky: StickyModels,
	req: NeutralRequest,
	headers: Record<string, string | string[] | undefined>,
): Promise<Prepared> {
	const started = performance.now();
	const copts = compactionOptions(headers, config);
	// A cache_control breakpoint stays on its message: compaction leaves it whole, an Anthropic target gets it.
	const compactable: ChatMessage[] = req.messages.map((m, i) => (req.cache_control?.has(i) ? { ...m, cache_control: req.cache_control.get(i) } : m));
	const compacted: CompactionResult<ChatMessage> = await compactOffloaded(compactable, copts);
	let messages = compacted.messages;
	const stages: Record<string, number> = { compaction: performance.now() - started };

	let chain: string[];
	let analysis: Analysis | undefined;
	let stickyKey: string | undefined;
	let compactedOut = compacted;
	if (req.model === "auto") {
		stickyKey = sticky.key(req.messages, keyName(ctx));
		const turn = lastUserTurn(req.messages);
		const asked = {
			// A blank turn (empty or whitespace) asks nothing the pipeline can read: it is routed as one word would be, and a
			// model answers it, as the vendor's API would; not refused with a 400 naming a field neither API has.
			request: NON_BLANK.test(turn.text) ? turn.text.slice(0, config.limits.max_request_chars) : "(empty)",
			...(turn.earlier ? { context: { conversation: turn.earlier } } : {}),
		};
		const analysing = performance.now();
		// Built here to the analyze contract (a non-blank string within limits.max_request_chars, a context of text): not parsed again.
		// One from the cache pays none of its helper calls (an intent assist): the request that made it did.
		({ analysis } = await analyzeOnce(ctx, asked));
		stages.analysis = performance.now() - analysing;
		// A tool route, and the client brought no tools of its own (its agent fetches what it needs): a zero-token answer when
		// the tool's output can be the whole answer (tool-output.ts); otherwise ("summarize package.json", or "show me it"
		// under a system prompt or a JSON format) the model reads what the tool fetched, as /api's tool-then-LLM chain does.
		if (analysis.route.kind === "mcp" && !analysis.route.then_llm && toolOutputAnswers(req)) {
			return { params: {} as ModelsCompleteParams, analysis, compacted, stickyKey, started, stages, toolRequest: asked };
		}
		const chosen = [analysis.model, ...analysis.fallbacks].filter((m): m is string => !!m);
		// A tool route chose no model: with the client's own tools the request goes to its tier's chain.
		const tier = config.tiers[analysis.complexity];
		const planned = chosen.length || !tier ? chosen : [tier.preferred, ...tier.fallback];
		const kept = await sticky.get(ctx.broker, stickyKey);
		// Only the models the caller's key may call (the walk filters too; the cache lookup and the sticky choice must as well).
		chain = allowedModels(config, ctx.meta as KeyMeta, kept ? [kept, ...planned.filter(m => m !== kept)] : planned);
		if (!chain.length) throw new ApiError(503, "no live model can answer: set a provider key (see GET /v1/models)", "no_provider", null);
		if (analysis.route.kind === "mcp" && !req.options.tools?.length) {
			// What the tool fetched fits the smallest context window of the chain, beside the conversation and the output.
			const room = fetchRoomBytes(config, chain, messages, req.options.max_tokens ?? defaultMaxTokens(req.options.thinking));
			const fetching = performance.now();
			messages = await withFetched(ctx, analysis.route, messages, room);
			stages.tool = performance.now() - fetching;
			// The headers and the record count what is forwarded, the fetched text included.
			compactedOut = { ...compacted, messages, forwarded_tokens: conversationTokens(messages) };
		}
	} else {
		// req.model is one the catalog or a live provider serves: the route resolved it (routes.ts concrete), a 404 otherwise.
		// A model the caller named and its key may not call is a 403, not silently replaced (as preferred_models on /api).
		chain = allowedModels(config, ctx.meta as KeyMeta, chainFor(config, req.model), [req.model]);
	}

	const params: ModelsCompleteParams = {
		models: chain,
		...(req.system ? { system: req.system } : {}),
		messages,
		...req.options,
		max_tokens: req.options.max_tokens ?? defaultMaxTokens(req.options.thinking),
	} as ModelsCompleteParams;
	return { params, analysis, compacted: compactedOut, stickyKey, started, stages };
}

/**
 * Bytes a fetched file may take per token: logs and code full of digits and symbols run near 2.7 (a 4.25 MB log was
 * ~1.59M tokens), denser than the 3.8 characters of compaction's prose-weighted estimate.
 */
const FETCHED_BYTES_PER_TOKEN = 2.5;

/**
 * Bytes of fetched text the chain's smallest context window leaves room for, after the conversation and the output
 * budget, with a tenth kept spare; at most limits.max_context_bytes.
 */
export function fetchRoomBytes(config: Config, chain: string[], messages: ChatMessage[], maxTokens: number): number {
	const window = Math.min(...chain.map(m => config.models[m]?.context_window ?? Infinity));
	const tokens = Number.isFinite(window) ? 0.9 * window - conversationTokens(messages) - maxTokens : Infinity;
	return Math.max(0, Math.min(config.limits.max_context_bytes, Math.floor(tokens * FETCHED_BYTES_PER_TOKEN)));
}

/** A concrete model the caller named: whether it answered, or which of its fallbacks did in its place. */
function requestedNote(requested: string, answered: string): string {
	if (requested === "auto") return "";
	return requested === answered ? "; requested" : `; fallback for ${requested}`;
}

/**
 * The conversation with the tool's result (or why it could not fetch it) after the text of its last user turn, built by
 * the prompt service as /api's tool-then-LLM prompt is (prompt.withToolResult: held to limits.max_context_bytes).
 */
async function withFetched(ctx: Context, route: Analysis["route"], messages: ChatMessage[], roomBytes: number): Promise<ChatMessage[]> {
	const tool = await ctx.call<{ text: string; isError?: boolean }, unknown>(`${route.service}.callTool`, {
		tool: route.tool,
		arguments: route.arguments ?? {},
	});
	tool.text = boundedOutput(tool.text, roomBytes, "the room the models' context window leaves").text;
	let last = messages.length - 1;
	while (last >= 0 && messages[last].role !== "user") last--;
	if (last < 0) return messages;
	const { prompt } = await ctx.call<{ prompt: string }, unknown>("prompt.withToolResult", {
		prompt: messages[last].content,
		tool: route.tool,
		text: tool.text,
		is_error: !!tool.isError,
	});
	return messages.map((m, i) => (i === last ? { ...m, content: prompt } : m));
}

/** The headers known once the answering model is: what the pipeline decided and what compaction did. */
function routeHeaders(p: Prepared, req: NeutralRequest, at: { provider: string; model: string }, overheadMs: number): Record<string, string> {
	return {
		"x-orchestrator-intent": p.analysis?.intent ?? "n/a",
		"x-orchestrator-complexity": p.analysis ? `${p.analysis.complexity}; score=${p.analysis.complexity_score.toFixed(3)}` : "n/a",
		"x-orchestrator-route": at.provider === "mcp" ? `mcp:${at.model}` : `llm:${at.provider}/${at.model}${requestedNote(req.model, at.model)}`,
		"x-orchestrator-overhead-ms": overheadMs.toFixed(2),
		"x-orchestrator-compaction": compactionHeader(p.compacted),
	};
}

/**
 * The time a completion spent at the vendors: its tries' (each provider call, from the walk's side), so that the walk's
 * own work (counting what is sent, the budget's reservation) counts as the gateway's overhead, as a caller sees it; a
 * cached answer's lookup counts as no vendor's.
 */
function vendorMs(result: ModelsCompleteResult, cached: boolean, callMs: number): number {
	if (cached) return 0;
	let ms = 0;
	for (const t of result.tries ?? []) ms += t.ms ?? 0;
	return ms > 0 ? Math.min(ms, callMs) : callMs;
}

/**
 * The headers known only at the end (a stream sends them as trailers): what the request paid its vendors (its record's
 * cost: the answer, the helper calls, a failed try the vendor may have billed) and the baseline's.
 */
export function costHeaders(config: Config, receivedTokens: number, result: ModelsCompleteResult, costUsd: number): Record<string, string> {
	const baselineModel = config.models[config.tiers.complex.preferred];
	return {
		"x-orchestrator-cost-usd": String(costUsd),
		"x-orchestrator-baseline-cost-usd": String(priceUsd(baselineModel, receivedTokens, result.usage.output_tokens)),
	};
}

/**
 * The downstream tool's answer as an ordinary assistant message, through the orchestrator's own
 * path (orchestrator.orchestrate: the same analysis, from its cache, and the same tool call; it
 * also emits the request's metrics record, so this path emits none).
 */
async function toolAnswer(ctx: Context, p: Prepared, req: NeutralRequest): Promise<ModelsCompleteResult> {
	// The helper calls this request's own analysis paid (an intent assist): orchestrate finds that analysis in the cache,
	// which pays nothing, so it is told of them and its record and cost count them (services/orchestrator.service.ts).
	const done = await ctx.call<OrchestrateResult, unknown>("orchestrator.orchestrate", p.toolRequest, {
		meta: { [PAID_HELPERS]: p.analysis?.helper_charges ?? [] },
	});
	const route = done.route ?? p.analysis!.route;
	return {
		model: `${route.service}.${route.tool}`,
		provider: "mcp",
		service: route.service ?? "mcp",
		// The client's own stop and max_tokens, as a model would have honoured them (no default budget: the tool costs nothing).
		...limitToolOutput(done.output ?? "", { stop: req.options.stop, max_tokens: req.options.max_tokens }),
		usage: { input_tokens: 0, output_tokens: 0 },
		usage_source: "estimated",
		// The tool costs nothing; what the request paid (its analysis's helper calls) is orchestrate's cost.
		cost_usd: done.cost_usd,
		tries: [],
	};
}

/** Whether this call may use the completion cache (completion-cache.ts says which calls are cached and why). */
function cacheOn(ctx: Context, config: Config, p: Prepared, headers: Record<string, string | string[] | undefined>): boolean {
	return !!ctx.broker.cacher && cacheable(p.params, config.cache.ttl_seconds.completion, bypassRequested(headers));
}

/** The completion cache's answer, for the chain prepare kept (the models the caller's key may call), among the key's own. */
async function cachedAnswer(ctx: Context, p: Prepared): Promise<ModelsCompleteResult | undefined> {
	const hit = await lookup(ctx.broker, p.params, keyName(ctx));
	return hit ? fromCache(hit) : undefined;
}

/**
 * A failed walk's metrics record: cancelled when its caller gave up (with what a call that had reached its vendor is
 * charged, lib/cancel.ts), else an error with its tries (models.complete's error data).
 */
function failedOutcome(err: unknown): Pick<V1Outcome, "status" | "tries" | "charged"> {
	const data = (err as { data?: Partial<ModelsCompleteFailure> }).data;
	if (isCancelled(err)) {
		const charged = cancelCharge(err);
		// The walk's tries before the cancel: a billed one (timed out) is counted with the cancelled call's charge.
		return { status: "cancelled", tries: Array.isArray(data?.tries) ? data.tries : [], ...(charged ? { charged } : {}) };
	}
	return { status: "error", tries: Array.isArray(data?.tries) ? data.tries : [] };
}

/** One /v1 call, whichever wire format it came in: prepared, then the completion cache or the one walk, models.complete. */
export async function answer(
	ctx: Context,
	config: Config,
	sticky: StickyModels,
	req: NeutralRequest,
	headers: Record<string, string | string[] | undefined>,
): Promise<Answer> {
	const p = await prepare(ctx, config, sticky, req, headers);
	if (p.toolRequest) {
		const result = await toolAnswer(ctx, p, req);
		return {
			result,
			headers: {
				...routeHeaders(p, req, result, performance.now() - p.started),
				...costHeaders(config, p.compacted.received_tokens, result, result.cost_usd),
			},
		};
	}
	const useCache = cacheOn(ctx, config, p, headers);
	const callStarted = performance.now();
	let result: ModelsCompleteResult;
	let cached = false;
	try {
		const hit = useCache ? await cachedAnswer(ctx, p) : undefined;
		cached = !!hit;
		result = hit ?? (await ctx.call<ModelsCompleteResult, ModelsCompleteParams>("models.complete", p.params));
	} catch (err) {
		emitRecord(ctx, config, { p, ...failedOutcome(err), modelMs: performance.now() - callStarted });
		throw err;
	}
	const callMs = performance.now() - callStarted;
	if (useCache && !cached) await store(ctx.broker, p.params, result, config.cache.ttl_seconds.completion, keyName(ctx));
	if (p.stickyKey !== undefined) await sticky.set(ctx.broker, p.stickyKey, result.model);
	const record = emitRecord(ctx, config, { p, status: "ok", result, cached, tries: result.tries, modelMs: callMs });
	return {
		result,
		headers: {
			...routeHeaders(p, req, result, performance.now() - p.started - vendorMs(result, cached, callMs)),
			...costHeaders(config, p.compacted.received_tokens, result, record.cost_usd),
		},
	};
}

/** A whole answer (a tool's, or one from the completion cache) as the events models.stream would send. */
function replayStream(result: ModelsCompleteResult): Readable {
	const events: ModelsStreamEvent[] = [{ type: "start", model: result.model, provider: result.provider, service: result.service, tries: [] }];
	for (const [index, b] of (result.thinking ?? []).entries())
		events.push(
			b.type === "thinking" ? { type: "thinking", index, thinking: b.thinking, signature: b.signature } : { type: "thinking", index, data: b.data },
		);
	if (result.text) events.push({ type: "text", text: result.text });
	for (const [index, c] of (result.tool_calls ?? []).entries()) {
		events.push({ type: "tool_call", index, id: c.id, name: c.function.name, arguments: c.function.arguments });
	}
	events.push({ type: "done", result });
	return Readable.from(events, { objectMode: true });
}

export interface StreamedAnswer {
	/** Route, pipeline and compaction headers: known when the first content arrived. */
	headers: Record<string, string>;
	/** What was received, for the baseline's price at the end. */
	receivedTokens: number;
	/** Forwarded tokens (our estimate): the input count a stream's first event states before the vendor's usage is known. */
	forwardedTokens: number;
	start: Extract<ModelsStreamEvent, { type: "start" }>;
	/** What the request paid its vendors, known once its last event was read (the cost trailer). */
	spentUsd(): number;
	/**
	 * The rest of models.stream: deltas, then `done` or `error`. `abandon()`: the reader went away (the client hung up,
	 * which cancels the vendor call, lib/cancel.ts); its loop reads on to the last event, writing nothing.
	 */
	events: AsyncIterable<ModelsStreamEvent> & { abandon(): void };
}

/**
 * How long a stream whose reader left is read on for its last event, the `error` that carries what the aborted vendor
 * call was charged: the hang-up's cancel reaches the provider in milliseconds, over the bus too. A cancel the bus lost
 * leaves the vendor generating: past this the stream is dropped (the relay settles the budget on its own) and the
 * request recorded as cancelled with no charge.
 */
const ABANDONED_READ_MS = 5_000;

/** How long a stream whose relaying node left is read on before it is failed: what the node sent before leaving. */
const NODE_LEFT_GRACE_MS = 1_000;

/**
 * The same call streamed through the same walk (models.stream): resolves once a provider has sent
 * its first content, so a provider failing before that has been replaced invisibly; a walk where
 * none did rejects, and the caller still answers with an ordinary API error. A deterministic call
 * the completion cache holds is replayed from it; a stream is stored only once complete (`done`).
 */
export async function answerStream(
	ctx: Context,
	config: Config,
	sticky: StickyModels,
	req: NeutralRequest,
	headers: Record<string, string | string[] | undefined>,
): Promise<StreamedAnswer> {
	const p = await prepare(ctx, config, sticky, req, headers);
	const useCache = !p.toolRequest && cacheOn(ctx, config, p, headers);
	// What the request paid its vendors, once recorded (a tool's answer: orchestrate's record, its analysis's helper calls).
	let spentUsd = 0;
	const callStarted = performance.now();
	let stream: Readable;
	let cached = false;
	try {
		if (p.toolRequest) {
			const tool = await toolAnswer(ctx, p, req);
			spentUsd = tool.cost_usd;
			stream = replayStream(tool);
		} else {
			const hit = useCache ? await cachedAnswer(ctx, p) : undefined;
			cached = !!hit;
			stream = hit ? replayStream(hit) : await ctx.call<Readable, ModelsCompleteParams>("models.stream", p.params);
		}
	} catch (err) {
		if (!p.toolRequest) emitRecord(ctx, config, { p, ...failedOutcome(err), modelMs: performance.now() - callStarted });
		throw err;
	}
	const inner = stream[Symbol.asyncIterator]();
	const first = await inner.next();
	const callMs = performance.now() - callStarted;
	const start = first.value as ModelsStreamEvent | undefined;
	if (first.done || start?.type !== "start") {
		stream.destroy();
		throw new ApiError(502, "the model stream ended before it started", "stream_error", null);
	}
	// The node relaying the stream leaving (killed, or gone from the bus) ends it with an error: Moleculer settles the call,
	// not the stream it returned, and the client hung. A node that stops gracefully relays its streams to their end first.
	const relayNode = start.node;
	const unwatch = watchNodeLeaving(ctx.broker, relayNode, () =>
		// After what it sent before leaving is read: a stopping node's last event (its cut) may still be in the buffer.
		setTimeout(() => {
			if (!stream.destroyed && !stream.readableEnded)
				stream.destroy(
					new ApiError(502, `${start.service}: the node relaying the answer (${relayNode}) left in the middle of it`, "stream_error", null),
				);
		}, NODE_LEFT_GRACE_MS).unref(),
	);
	stream.once("close", unwatch);
	if (p.stickyKey !== undefined && !p.toolRequest) await sticky.set(ctx.broker, p.stickyKey, start.model);
	// The request's metrics record, once: at `done`, at an error event, or when the stream ends or is dropped without either.
	let recorded = !!p.toolRequest;
	// The reader went away: the record is `cancelled`, with what the walk's relay settled the budget to (its last event).
	let abandoned = false;
	let dropping: NodeJS.Timeout | undefined;
	const finish = (status: V1Outcome["status"], result?: ModelsCompleteResult, charged?: CancelCharge) => {
		clearTimeout(dropping);
		if (recorded) return;
		recorded = true;
		spentUsd = emitRecord(ctx, config, {
			p,
			status: abandoned ? "cancelled" : status,
			result,
			...(charged ? { charged } : {}),
			cached,
			tries: result?.tries ?? start.tries,
			modelMs: performance.now() - callStarted,
		}).cost_usd;
	};
	const iterator: AsyncIterator<ModelsStreamEvent> = {
		async next() {
			const r = await inner.next().catch((err: unknown) => {
				finish("error");
				throw err;
			});
			if (r.done) finish("error");
			else if (r.value.type === "done") {
				// Only a complete answer is stored: a stream cut short never reaches `done`.
				if (useCache && !cached) void store(ctx.broker, p.params, r.value.result, config.cache.ttl_seconds.completion, keyName(ctx));
				// Answered in full as its reader left: the vendor billed all of it, and the budget settled to it (a replay: nothing).
				finish("ok", abandoned && cached ? undefined : r.value.result);
			} else if (r.value.type === "error") {
				// Cut short after content (the vendor failed, or its reader left): the relay settled the budget to the input sent
				// and the output relayed, and the record counts the same.
				finish("error", undefined, r.value.charged);
			}
			return r;
		},
	};
	return {
		headers: routeHeaders(p, req, start, performance.now() - p.started - callMs),
		receivedTokens: p.compacted.received_tokens,
		forwardedTokens: p.compacted.forwarded_tokens,
		start,
		spentUsd: () => spentUsd,
		events: {
			[Symbol.asyncIterator]: () => iterator,
			abandon: () => {
				if (abandoned) return;
				// Ended already (the response's close after its end): nothing left to read.
				if (recorded) return void stream.destroy();
				abandoned = true;
				dropping = setTimeout(() => {
					finish("cancelled");
					stream.destroy();
				}, ABANDONED_READ_MS).unref();
			},
		},
	};
}
