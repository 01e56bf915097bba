import { MESSAGE_OVERHEAD_TOKENS } from "../tokens";
import { shortenAssistant, shortenToolOutput, STAGES } from "./budget";
import { losslessText, MIN_REPEAT_CHARS, repeatReference } from "./lossless";
import { namesByLine } from "./names";
import type { CompactableMessage, CompactionOptions, CompactionResult, TextPart } from "./types";

/**
 * Compaction of a conversation before it is forwarded (`x-orchestrator-compaction`):
 * `off` forwards it as received, `lossless` removes what no model can use, `budget` then
 * shortens old messages until the conversation fits its target.
 *
 * Cache-aware by construction: the vendor's prompt cache hits on the longest unchanged prefix,
 * so nothing here depends on anything after the message it shortens except through fixed steps.
 * The budget region ends at a multiple of `step` messages (it grows `step` messages at a time,
 * not on every call), message i is shortened using only the names of messages before
 * i + keep_last + 1 (all of which exist once i is in the region), and the stage (how hard) is
 * the gentlest of a fixed list that fits. Between two steps every call forwards the same bytes
 * for the region; at a step only the newly added messages change, unless the stage moves.
 * Never shortened: system messages, the task (the first user message), the last `keep_last`
 * messages and anything carrying `cache_control`.
 */

/**
 * An agent re-sends the same history on every call: token counts, lossless texts and shortened
 * texts are remembered per text (bounded, oldest first out), so a call costs about one pass of
 * map lookups over the history plus the work on its new messages. Every memo caches a pure
 * function of its key: what is forwarded never depends on what is remembered.
 */
class Memo<V> {
	private readonly map = new Map<string, V>();
	constructor(private readonly entries: number) {}
	get(key: string, make: () => V): V {
		let v = this.map.get(key);
		if (v === undefined) {
			v = make();
			if (this.map.size >= this.entries) this.map.delete(this.map.keys().next().value!);
			this.map.set(key, v);
		}
		return v;
	}
}

const losslessMemo = new Memo<string>(20_000);
/**
 * Shortened texts per text, then per (stage, fingerprint of the names in use). Two levels, not one
 * concatenated key: a concatenation would copy and re-hash every long text on every call.
 */
const shortMemo = new Memo<Map<string, string>>(20_000);
function shortened(text: string, key: string, make: () => string): string {
	const byKey = shortMemo.get(text, () => new Map());
	let v = byKey.get(key);
	if (v === undefined) {
		v = make();
		byKey.set(key, v);
	}
	return v;
}
/** A small integer per distinct text, for fingerprints of "the names used so far". */
const textIds = new Memo<number>(40_000);
let nextTextId = 1;

/**
 * Characters per o200k_base token on agent conversations (code, shell output, prose): 3.78 over
 * the first 30 runs of agent_trajectories, 3.1-4.6 per message (10th-90th percentile). Exact BPE
 * counting costs ~5 ms per 20 kB in JavaScript, which alone would exceed the 5 ms a call may add,
 * so compaction decides on this estimate; `npm run bench:agent` counts exactly what was forwarded.
 */
export const CHARS_PER_TOKEN = 3.8;

function tokensOf(text: string): number {
	return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function messageTokens(m: CompactableMessage): number {
	const c = m.content;
	if (typeof c === "string") return tokensOf(c) + MESSAGE_OVERHEAD_TOKENS;
	if (!c) return MESSAGE_OVERHEAD_TOKENS;
	let n = MESSAGE_OVERHEAD_TOKENS;
	for (const p of c) if (p.type === "text") n += tokensOf((p as TextPart).text);
	return n;
}

/** Estimated tokens of a conversation, framed like lib/tokens countMessageTokens. */
export function conversationTokens(messages: readonly CompactableMessage[]): number {
	let n = 3;
	for (const m of messages) n += messageTokens(m);
	return n;
}

function underCacheControl(m: CompactableMessage): boolean {
	if (m.cache_control) return true;
	return Array.isArray(m.content) && m.content.some(p => !!p.cache_control);
}

/** The first user message: the task an agent was given. */
function taskIndex(messages: readonly CompactableMessage[]): number {
	return messages.findIndex(m => m.role === "user");
}

/** Tool output: role `tool`, or (agents that send it as user text, like mini-swe-agent) a user message after the task. */
function isToolOutput(m: CompactableMessage, i: number, task: number): boolean {
	return m.role === "tool" || (m.role === "user" && i > task);
}

function mapText<M extends CompactableMessage>(m: M, f: (text: string) => string): M {
	const c = m.content;
	if (typeof c === "string") {
		const t = f(c);
		return t === c ? m : { ...m, content: t };
	}
	if (!Array.isArray(c)) return m;
	let changed = false;
	const parts = c.map(p => {
		if (p.type !== "text" || p.cache_control) return p;
		const t = f((p as TextPart).text);
		if (t === (p as TextPart).text) return p;
		changed = true;
		return { ...p, text: t };
	});
	return changed ? { ...m, content: parts } : m;
}

export function lossless<M extends CompactableMessage>(messages: readonly M[]): M[] {
	const task = taskIndex(messages);
	const firstSeen = new Map<string, number>();
	return messages.map((m, i) => {
		if (underCacheControl(m)) return m;
		const out = mapText(m, t => losslessMemo.get(t, () => losslessText(t)));
		if (typeof out.content !== "string" || !isToolOutput(m, i, task) || out.content.length < MIN_REPEAT_CHARS) return out;
		const earlier = firstSeen.get(out.content);
		if (earlier === undefined) {
			firstSeen.set(out.content, i);
			return out;
		}
		return { ...out, content: repeatReference(earlier) };
	});
}

function textOf(m: CompactableMessage & { tool_calls?: unknown }): string {
	const c = m.content;
	const text = typeof c === "string" ? c : Array.isArray(c) ? c.map(p => (p.type === "text" ? (p as TextPart).text : "")).join("\n") : "";
	return m.tool_calls ? `${text}\n${JSON.stringify(m.tool_calls)}` : text;
}

/**
 * Region messages shortened at one stage; message i sees the names of the task and of the
 * assistant turns before i + keepLast + 1 as "used". The names are gathered only on a memo miss;
 * the memo key carries a fingerprint of which texts contributed them.
 */
function shortenRegion<M extends CompactableMessage>(
	messages: readonly M[],
	region: number[],
	stageIndex: number,
	keepLast: number,
	task: number,
): Map<number, M> {
	const stage = STAGES[stageIndex];
	const sources: string[] = [];
	let fingerprint = 0;
	let fingerprint2 = 0;
	let usedUpTo = 0;
	let used: Set<string> | undefined;
	let namedUpTo = 0;
	const usedNames = () => {
		used ??= new Set<string>();
		for (; namedUpTo < sources.length; namedUpTo++) for (const names of namesByLine(sources[namedUpTo])) for (const n of names) used.add(n);
		return used;
	};
	const out = new Map<number, M>();
	for (const i of region) {
		for (; usedUpTo < Math.min(messages.length, i + keepLast + 1); usedUpTo++) {
			const m = messages[usedUpTo];
			if (m.role !== "assistant" && usedUpTo !== task) continue;
			const text = textOf(m);
			sources.push(text);
			const id = textIds.get(text, () => nextTextId++);
			fingerprint = (Math.imul(fingerprint, 31) + id) | 0;
			fingerprint2 = (Math.imul(fingerprint2, 1_000_003) ^ id) | 0;
		}
		const key = `${stageIndex}:${fingerprint}:${fingerprint2}:${sources.length}:`;
		const m = messages[i];
		if (isToolOutput(m, i, task))
			out.set(
				i,
				mapText(m, t => shortened(t, key, () => shortenToolOutput(t, stage, usedNames()))),
			);
		else if (m.role === "assistant")
			out.set(
				i,
				mapText(m, t => shortened(t, `${key}a`, () => shortenAssistant(t, stage, usedNames()))),
			);
	}
	return out;
}

export function compact<M extends CompactableMessage>(messages: readonly M[], opts: CompactionOptions): CompactionResult<M> {
	const received = conversationTokens(messages);
	if (opts.level === "off") return { messages: [...messages], level: "off", received_tokens: received, forwarded_tokens: received, stage: 0 };
	const clean = lossless(messages);
	const cleanTokens = conversationTokens(clean);
	if (opts.level === "lossless") return { messages: clean, level: "lossless", received_tokens: received, forwarded_tokens: cleanTokens, stage: 0 };

	const target = Math.max(1, Math.floor(opts.maxInputTokens ?? opts.budgetFraction * received));
	const base = { level: "budget" as const, received_tokens: received, target_tokens: target };
	if (cleanTokens <= target) return { ...base, messages: clean, forwarded_tokens: cleanTokens, stage: 0 };

	const task = taskIndex(clean);
	const end = Math.floor(Math.max(0, clean.length - opts.keepLast) / opts.step) * opts.step;
	const region: number[] = [];
	for (let i = 0; i < end; i++) {
		const m = clean[i];
		if (m.role === "system" || i === task || underCacheControl(m)) continue;
		region.push(i);
	}
	let regionTokens = 0;
	for (const i of region) regionTokens += messageTokens(clean[i]);
	const fixedTokens = cleanTokens - regionTokens;

	let best: { messages: M[]; tokens: number; stage: number } | undefined;
	for (let s = 0; s < STAGES.length; s++) {
		const shortened = shortenRegion(clean, region, s, opts.keepLast, task);
		let tokens = fixedTokens;
		for (const i of region) tokens += messageTokens(shortened.get(i) ?? clean[i]);
		best = { messages: clean.map((m, i) => shortened.get(i) ?? m), tokens, stage: s + 1 };
		if (tokens <= target) break;
	}
	return { ...base, messages: best!.messages, forwarded_tokens: best!.tokens, stage: best!.stage };
}
