import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";
import { Memo, ownString } from "./memo";
import { plainCallId } from "./tool-call-id";

/**
 * Token counts with OpenAI's o200k_base encoding (GPT-4o/4.1 family). For Anthropic and Gemini
 * models the same count is a documented estimate; the vendor's reported usage corrects it after a call.
 */
let encoder: Tiktoken | undefined;
function enc(): Tiktoken {
	encoder ??= new Tiktoken(o200k);
	return encoder;
}

/**
 * Builds the encoder now. Loading the o200k ranks blocks the event loop for 1.7 s of CPU (3.3-3.9 s wall at load
 * average 15, 2026-11-30): on a cluster node's first request that stalled its heartbeats, and on a busy machine its
 * peers took it for dead (heartbeatTimeout) and rejected the requests pending on it (503 REQUEST_REJECTED). The services
 * that count tokens (prompt, models) call this when they are created, before their node joins the bus; a process that
 * hosts neither (the gateway node) never builds it.
 */
export function loadTokenizer(): void {
	enc();
}

/** Whether the encoder has been built (loadTokenizer, or a first count). */
export const tokenizerLoaded = (): boolean => encoder !== undefined;

/**
 * BPE merges within one pre-token cost time quadratic in its length: a 100 kB base64 blob or
 * minified line would stall the event loop for minutes, and so would a run of whitespace (20 000
 * spaces between two words, a 20 KB body, took 24 s: the pattern keeps a whitespace run as one
 * pre-token). Runs of non-space characters, and of space characters, longer than this are counted
 * slice by slice, which can only over-count by a token per slice.
 */
const MAX_RUN = 64;
/** Bounds the per-call memo of slice counts (random blobs never repeat a slice). */
const MAX_REMEMBERED_SLICES = 4096;

/**
 * Counts of recent texts: one request's text is counted by prompt.optimize (baseline and optimized,
 * often the same string) and again by models.complete before and after the call. Bounded in entries
 * and in the length of a remembered text (big contexts are counted on a worker and rarely repeat); a text is kept as
 * an own copy, since one cut from a longer text would keep that alive.
 */
const recent = new Memo<string, number>(512, { ownKeys: true });
const MAX_RECENT_CHARS = 16_384;

export function countTokens(text: string): number {
	if (!text) return 0;
	if (text.length > MAX_RECENT_CHARS) return countUncached(text);
	return recent.get(text, () => countUncached(text));
}

/** The encoding's pre-tokenizer, as js-tiktoken's encode compiles it on every call, compiled once. */
const PIECES = new RegExp(o200k.pat_str, "ug");
/**
 * Tokens of a text as a vendor counts a user's text: a special token's spelling ("<|endoftext|>") typed
 * into a request is plain text there, never the control token; js-tiktoken's default refuses such a text
 * (it threw, and the request with it).
 */
const encodeAsText = (text: string): number => enc().encode(text, [], []).length;
/**
 * Tokens of each pre-token seen ("Explain", " the", " TCP"): BPE runs inside one pre-token, so its
 * count is the same wherever it stands. Most of a text's pieces are common words seen before; the
 * encoder turned each into bytes, a "1,2,3" key and a rank lookup. Bounded, least recently used forgotten first
 * (lib/memo.ts): a memo that stopped learning once full held the ids and hashes a node met first, and every later text
 * of other words was encoded piece by piece on every count, 30-100× slower.
 */
const MAX_PIECES = 20_000;
const pieceTokens = new Memo<string, number>(MAX_PIECES);
const MAX_PIECE_CHARS = 32;

/**
 * `encodeAsText(text)`, the same count (test/unit/lib/tokens.spec.ts compares them): the text
 * split as the encoder splits it, each piece counted once by the encoder. A piece counted alone must
 * split into itself again (a run of spaces before a word does not: the pattern's lookahead sees the
 * word), else the encoder counts the whole text.
 */
function encodedLength(text: string): number {
	let n = 0;
	// Longer pieces, for this text only: BPE within a piece is quadratic in its length (a 41-character word took 0.2 ms),
	// and a log or generated file repeats its long pieces on every line (6,000 lines of one took 0.85 s, 8 ms with this).
	let long: Map<string, number> | undefined;
	// `match` with the global pattern: the pieces as strings, without matchAll's match object per piece.
	for (const piece of text.match(PIECES) ?? []) {
		const short = piece.length <= MAX_PIECE_CHARS;
		let count = short ? pieceTokens.find(piece) : long?.get(piece);
		if (count === undefined) {
			const alone = piece.match(PIECES);
			if (alone?.length !== 1 || alone[0] !== piece) return encodeAsText(text);
			count = encodeAsText(piece);
			if (!short) (long ??= new Map()).set(piece, count);
			// An own copy: the piece is a slice of the text, and as a key it kept the whole text alive (a 2 MB file per new word).
			else pieceTokens.set(ownString(piece), count);
		}
		n += count;
	}
	return n;
}

/**
 * A run of over MAX_RUN non-space, or space, characters. Written `\S{65}\S*`, not `\S{65,}`: V8's
 * regexp backtracks through a counted open range one frame per character and threw RangeError
 * (Maximum call stack size exceeded) on a 7 MB run, failing the request with a 500.
 */
const LONG_RUN = `\\S{${MAX_RUN + 1}}\\S*|\\s{${MAX_RUN + 1}}\\s*`;
const HAS_LONG_RUN = new RegExp(LONG_RUN);
const LONG_RUNS = new RegExp(LONG_RUN, "g");

function countUncached(text: string): number {
	if (!HAS_LONG_RUN.test(text)) return encodedLength(text);
	let n = 0;
	// A repetitive run (padding, "=====" rulers, a file of zeros) repeats its slices: each distinct
	// slice is encoded once. Without this a 4 MB run took ~25 s of BPE and stalled the event loop.
	const seen = new Map<string, number>();
	const sliceTokens = (slice: string) => {
		let count = seen.get(slice);
		if (count === undefined) {
			count = encodedLength(slice);
			if (seen.size < MAX_REMEMBERED_SLICES) seen.set(slice, count);
		}
		return count;
	};
	let rest = text.replace(LONG_RUNS, run => {
		for (let i = 0; i < run.length; i += MAX_RUN) n += sliceTokens(run.slice(i, i + MAX_RUN));
		return " ";
	});
	rest = rest.trim();
	return n + (rest ? encodedLength(rest) : 0);
}

/** Chat framing overhead per message, as OpenAI documents for its chat models. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

export function countMessageTokens(messages: { role: string; content: string }[]): number {
	return messages.reduce((n, m) => n + countTokens(m.content) + MESSAGE_OVERHEAD_TOKENS, 3);
}

/**
 * Characters of text over which a call is counted on a worker thread (services/models.service.ts, lib/offload.ts).
 * o200k_base costs 0.3 µs (source code) to 3.4 µs (base64) of CPU a character (7.5 MiB of each counted in 2 s to 25 s at
 * load 4.4, 2026-11-30): at this size the worst case holds the event loop about 0.1 s; above it the thread hop is cheaper.
 */
export const COUNT_OFFLOAD_CHARS = 32 * 1024;

/** The characters countCallTokens reads: what decides whether a count is worth a worker thread. */
export function callChars(call: { system?: string; messages: { content: string; tool_calls?: unknown[] }[]; tools?: unknown[] }): number {
	let n = call.system?.length ?? 0;
	for (const m of call.messages) n += m.content.length + (m.tool_calls?.length ? JSON.stringify(m.tool_calls).length : 0);
	return n + (call.tools?.length ? JSON.stringify(call.tools).length : 0);
}

/**
 * Input tokens of a model call as it is sent: the system prompt and the messages framed as
 * countMessageTokens, each assistant turn's tool calls and the tools offered as their JSON text. The
 * tool part is an estimate (each vendor frames tool definitions its own way).
 */
export function countCallTokens(call: { system?: string; messages: { role: string; content: string; tool_calls?: unknown[] }[]; tools?: unknown[] }): number {
	let n = countMessageTokens(call.system ? [{ role: "system", content: call.system }, ...call.messages] : call.messages);
	// A call's id as vendors get it: a Gemini thought signature riding in it (lib/tool-call-id.ts) is sent as no text.
	const asSent = (key: string, value: unknown) => (key === "id" && typeof value === "string" ? plainCallId(value) : value);
	for (const m of call.messages) if (m.tool_calls?.length) n += countTokens(JSON.stringify(m.tool_calls, asSent));
	if (call.tools?.length) n += countTokens(JSON.stringify(call.tools));
	return n;
}
