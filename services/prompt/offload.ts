import { join } from "node:path";
import { WorkerPool } from "../../lib/offload";
import { optimizePrompt, type OptimizeInput, type Optimized } from "./optimize";

/**
 * Contexts larger than this (JSON bytes) are optimized on a worker thread. Pruning and counting
 * the tokens of a 2 MB context takes seconds of CPU: on the event loop it stalled every other
 * request and /health with it (8 such requests blocked /health 6.7 s). Small ones stay inline,
 * where a thread hop would cost more than the work.
 */
export const OFFLOAD_BYTES = 128 * 1024;

/** The worker threads running optimizePrompt (a pure function of plain data), lib/offload.ts. */
export class PromptOffload extends WorkerPool<OptimizeInput, Optimized> {
	constructor(size?: number) {
		super(join(__dirname, "optimize.ts"), "optimizePrompt", size);
	}
}

/** optimizePrompt, on the pool when the context is big, inline otherwise. */
export function optimizeOffloaded(pool: PromptOffload, input: OptimizeInput, contextBytes: number): Promise<Optimized> {
	return contextBytes > OFFLOAD_BYTES ? pool.run(input) : Promise.resolve(optimizePrompt(input));
}
