import { join } from "node:path";
import { WorkerPool } from "../offload";
import { CHARS_PER_TOKEN, compact, conversationTokens } from "./compact";
import type { CompactableMessage, CompactionOptions, CompactionResult } from "./types";

/**
 * Conversations with more messages than this, or more characters of text, are compacted on a worker thread.
 * Compacting 10,000 messages (limits.max_messages) takes 0.1-0.3 s of CPU: four at once on the event loop held
 * /health 0.6-0.7 s (test/integration/v1-many-messages.spec.ts). Smaller ones stay inline, where the copy to a thread
 * and back would cost more than the work.
 */
export const OFFLOAD_MESSAGES = 1_000;
export const OFFLOAD_CHARS = 256 * 1024;

interface CompactJob {
	messages: readonly CompactableMessage[];
	opts: CompactionOptions;
}

/** compact() of one job: what the worker thread runs. */
export function compactJob(job: CompactJob): CompactionResult<CompactableMessage> {
	return compact(job.messages, job.opts);
}

/** Started on first use; its threads are unref'd (lib/offload.ts), so it never keeps a process alive. */
let pool: WorkerPool<CompactJob, CompactionResult<CompactableMessage>> | undefined;

/**
 * compact(), on a worker thread when the conversation is big, inline otherwise. The same pure function either way:
 * a message goes to the thread and comes back as plain data (structured clone), as a vendor would receive it.
 */
export function compactOffloaded<M extends CompactableMessage>(messages: readonly M[], opts: CompactionOptions): Promise<CompactionResult<M>> {
	// Text size by compaction's own estimate (conversationTokens: characters / CHARS_PER_TOKEN, framing included).
	const big = messages.length > OFFLOAD_MESSAGES || conversationTokens(messages) * CHARS_PER_TOKEN > OFFLOAD_CHARS;
	if (!big) return Promise.resolve(compact(messages, opts));
	pool ??= new WorkerPool(join(__dirname, "offload.ts"), "compactJob");
	return pool.run({ messages, opts }) as Promise<CompactionResult<M>>;
}
