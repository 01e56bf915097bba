import { threadId } from "node:worker_threads";

/** The job of test/unit/lib/offload.spec.ts's pool: which thread ran it, plus its input. */
export function whichThread(input: number): { threadId: number; input: number } {
	return { threadId, input };
}
