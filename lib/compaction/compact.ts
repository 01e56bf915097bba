import { Memo } from "../memo";
import { MESSAGE_OVERHEAD_TOKENS } from "../tokens";
import { shortenAssistant, shortenToolOutput, STAGES, type UsedNames } from "./budget";
import { losslessText, MIN_REPEAT_CHARS, repeatReference } from "./lossless";
import { namesByLine, namesMemoChars } from "./names";
import { MEMO_CHARS, type CompactableMessage, type CompactionOptions, type CompactionResult, type TextPart } from "./types";

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
 * texts are remembered per text (bounded, lib/memo.ts), so a call costs about one pass of
 * map lookups over the history plus the work on its new messages. Every memo caches a pure
 * function of its key: what is forwarded never depends on what is remembered.
 * Bounded in characters too (MEMO_CHARS each: the texts and what is held for them).
 */
const losslessMemo = new Memo<string, string>(20_000, { chars: MEMO_CHARS });
/**
 * Shortened texts per text, then per fingerprint of the names in use (and the kind of message),
 * one slot per stage. Two levels, not one concatenated key: a concatenation would copy and re-hash
 * every long text on every call; one array for the stages, so a call trying the stages in turn looks
 * the text up once.
 */
const shortMemo = new Memo<string, Map<string, (string | undefined)[]>>(20_000, { chars: MEMO_CHARS });
const KEYS_PER_TEXT = 64;
function stageSlots(text: string, key: string): (string | undefined)[] {
	const byKey = shortMemo.get(text, () => new Map());
	let slots = byKey.get(key);
	if (!slots) {
		// One text met under many fingerprints (the same output in many conversations): bounded too.
		if (byKey.size >= KEYS_PER_TEXT) byKey.clear();
		slots = new Array(STAGES.length);
		byKey.set(key, slots);
	}
	return slots;
}

/** Characters all the compaction memos of this thread hold (each at most MEMO_CHARS): for tests and diagnostics. */
export function memoChars(): number {
	return losslessMemo.chars + shortMemo.chars + textIds.chars + namesMemoChars();
}

/** A small integer per distinct text, for fingerprints of "the names used so far". */
const textIds = new Memo<string, number>(40_000, { chars: MEMO_CHARS });
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

/** JSON framing of one tool call around its name and arguments (`{"id":…,"type":"function","function":{…}}`), in characters. */
const TOOL_CALL_FRAME_CHARS = 60;

/** An assistant turn's tool calls, estimated from their names' and arguments' lengths (no JSON text built per call). */
function toolCallTokens(m: CompactableMessage): number {
	if (!m.tool_calls?.length) return 0;
	let chars = 0;
	for (const c of m.tool_calls) chars += TOOL_CALL_FRAME_CHARS + (c.function?.name?.length ?? 0) + (c.function?.arguments?.length ?? 0);
	return Math.ceil(chars / CHARS_PER_TOKEN);
}

function messageTokens(m: CompactableMessage): number {
	const c = m.content;
	const calls = toolCallTokens(m);
	if (typeof c === "string") return tokensOf(c) + MESSAGE_OVERHEAD_TOKENS + calls;
	if (!c) return MESSAGE_OVERHEAD_TOKENS + calls;
	let n = MESSAGE_OVERHEAD_TOKENS + calls;
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
	return losslessWithRepeats(messages).messages;
}

/** The lossless level, and which message each repeat reference stands for: [reference's index, earlier output's index]. */
function losslessWithRepeats<M extends CompactableMessage>(messages: readonly M[]): { messages: M[]; repeats: [number, number][] } {
	const task = taskIndex(messages);
	const firstSeen = new Map<string, { i: number; tool_call_id?: string; content: string }>();
	const repeats: [number, number][] = [];
	const out = messages.map((m, i) => {
		// The system prompt and the task are the caller's own words, small beside what tools print: a trailing space there
		// may be meant (a diff's blank context line, a markdown hard break), so they pass as written.
		if (underCacheControl(m) || m.role === "system" || i === task) return m;
		// So does every user turn: a person's paste (a Makefile's trailing space, the blank lines in a Python string, CRLF)
		// cannot be told from an agent's output sent as user text, and on agent_trajectories, where every output is user
		// text, whitespace and escapes were 0.07% of the text, the repeats below 1.6%. Only a repeat is replaced.
		const out = m.role === "user" ? m : mapText(m, t => losslessMemo.get(t, () => losslessText(t)));
		if (typeof out.content !== "string" || !isToolOutput(m, i, task) || out.content.length < MIN_REPEAT_CHARS) return out;
		const earlier = firstSeen.get(out.content);
		if (earlier === undefined) {
			firstSeen.set(out.content, { i, tool_call_id: m.tool_call_id, content: out.content });
			return out;
		}
		repeats.push([i, earlier.i]);
		return { ...out, content: repeatReference(earlier) };
	});
	return { messages: out, repeats };
}

function textOf(m: CompactableMessage & { tool_calls?: unknown }): string {
	const c = m.content;
	const text = typeof c === "string" ? c : Array.isArray(c) ? c.map(p => (p.type === "text" ? (p as TextPart).text : "")).join("\n") : "";
	return m.tool_calls ? `${text}\n${JSON.stringify(m.tool_calls)}` : text;
}

/**
 * Which names the assistant turns (and the task) had used by each point of the conversation: the
 * ordinal of the source text that first named each one, so "used before source n" is one lookup for
 * any n, and the names are gathered once per call (and only on a memo miss), not once per stage.
 */
class UsedIndex {
	private readonly firstSeen = new Map<string, number>();
	private indexed = 0;
	constructor(private readonly sources: readonly string[]) {}
	before(n: number): UsedNames {
		for (; this.indexed < n; this.indexed++) {
			for (const names of namesByLine(this.sources[this.indexed]))
				for (const name of names) if (!this.firstSeen.has(name)) this.firstSeen.set(name, this.indexed);
		}
		return { has: name => (this.firstSeen.get(name) ?? Infinity) < n };
	}
}

/** One region message of one call: its kind, its memo key (the names in use when it is shortened) and how many sources those are. */
interface Slot {
	i: number;
	tool: boolean;
	key: string;
	sources: number;
	/** The memo's stage slots, for a plain-string content (the common case): one lookup per call. */
	slots?: (string | undefined)[];
}

/**
 * The region's messages for this call; message i sees the names of the task and of the assistant
 * turns before i + keepLast + 1 as "used". The memo key carries a fingerprint of which texts
 * contributed them, so what a message shortens to never depends on what is remembered.
 */
function regionSlots(messages: readonly CompactableMessage[], region: number[], keepLast: number, task: number): { slots: Slot[]; sources: string[] } {
	const sources: string[] = [];
	let fingerprint = 0;
	let fingerprint2 = 0;
	let usedUpTo = 0;
	const slots: Slot[] = [];
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
		const m = messages[i];
		const tool = isToolOutput(m, i, task);
		if (!tool && m.role !== "assistant") continue;
		const key = `${fingerprint}:${fingerprint2}:${sources.length}:${tool ? "t" : "a"}`;
		slots.push({ i, tool, key, sources: sources.length, ...(typeof m.content === "string" ? { slots: stageSlots(m.content, key) } : {}) });
	}
	return { slots, sources };
}

/** One region message at one stage (memoized per text, names in use and stage). */
function shortenText(text: string, slot: Slot, stageIndex: number, used: UsedIndex, slots = stageSlots(text, slot.key)): string {
	let v = slots[stageIndex];
	if (v === undefined) {
		const stage = STAGES[stageIndex];
		v = slot.tool ? shortenToolOutput(text, stage, used.before(slot.sources)) : shortenAssistant(text, stage, used.before(slot.sources));
		slots[stageIndex] = v;
		// The shortened text is held beside its text, in the entry stageSlots just looked up (so the young generation's).
		if (v !== text) shortMemo.grow(v.length);
	}
	return v;
}

function shortenMessage<M extends CompactableMessage>(m: M, slot: Slot, stageIndex: number, used: UsedIndex): M {
	if (slot.slots) {
		const t = shortenText(m.content as string, slot, stageIndex, used, slot.slots);
		return t === m.content ? m : { ...m, content: t };
	}
	return mapText(m, t => shortenText(t, slot, stageIndex, used));
}

/** Estimated tokens of a region message at one stage, without building the message when its content is a plain string. */
function shortenedTokens(m: CompactableMessage, slot: Slot, stageIndex: number, used: UsedIndex): number {
	if (slot.slots) return tokensOf(shortenText(m.content as string, slot, stageIndex, used, slot.slots)) + MESSAGE_OVERHEAD_TOKENS + toolCallTokens(m);
	return messageTokens(shortenMessage(m, slot, stageIndex, used));
}

export function compact<M extends CompactableMessage>(messages: readonly M[], opts: CompactionOptions): CompactionResult<M> {
	const received = conversationTokens(messages);
	if (opts.level === "off") return { messages: [...messages], level: "off", received_tokens: received, forwarded_tokens: received, stage: 0 };
	const { messages: clean, repeats } = losslessWithRepeats(messages);
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
	// The gentlest stage that fits (the hardest when none does); only its messages are built.
	const { slots, sources } = regionSlots(clean, region, opts.keepLast, task);
	const used = new UsedIndex(sources);
	let unshortened = cleanTokens;
	for (const slot of slots) unshortened -= messageTokens(clean[slot.i]);
	// A repeat the budget keeps whole (one of the last keep_last) that stands for an output the budget shortens would leave
	// the model the elided copy only, of what may be the very output it just got (a re-run test suite): that one is forwarded
	// whole again. Both ends move only at a step, so between steps the bytes stay the same.
	const inRegion = new Set(region);
	const restorable = repeats.filter(([r, o]) => !inRegion.has(r) && inRegion.has(o));
	const slotAt = new Map(restorable.length ? slots.map(s => [s.i, s]) : []);
	const restored = (stageIndex: number): [number, string][] => {
		const out: [number, string][] = [];
		for (const [r, o] of restorable) {
			const slot = slotAt.get(o);
			if (slot && shortenMessage(clean[o], slot, stageIndex, used) !== clean[o]) out.push([r, clean[o].content as string]);
		}
		return out;
	};
	let stage = 0;
	let tokens = cleanTokens;
	let whole: [number, string][] = [];
	for (; stage < STAGES.length; stage++) {
		tokens = unshortened;
		for (const slot of slots) tokens += shortenedTokens(clean[slot.i], slot, stage, used);
		whole = restored(stage);
		for (const [r, text] of whole) tokens += tokensOf(text) - tokensOf(clean[r].content as string);
		if (tokens <= target || stage === STAGES.length - 1) break;
	}
	const forwarded = [...clean];
	for (const slot of slots) forwarded[slot.i] = shortenMessage(clean[slot.i], slot, stage, used);
	for (const [r, text] of whole) forwarded[r] = { ...clean[r], content: text };
	return { ...base, messages: forwarded, forwarded_tokens: tokens, stage: stage + 1 };
}
