import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { optimizePrompt, type OptimizeInput, type Optimized } from "./optimize";

/**
 * Contexts larger than this (JSON bytes) are optimized on a worker thread. Pruning and counting
 * the tokens of a 2 MB context takes seconds of CPU: on the event loop it stalled every other
 * request and /health with it (8 such requests blocked /health 6.7 s). Small ones stay inline,
 * where a thread hop would cost more than the work.
 */
export const OFFLOAD_BYTES = 128 * 1024;

/** Loads the TypeScript module in the thread the way bin/orchestrator.js does (tsx), then answers one message per job. */
const BOOTSTRAP = `
require("tsx/cjs");
const { parentPort, workerData } = require("node:worker_threads");
const { optimizePrompt } = require(workerData.module);
parentPort.on("message", ({ id, input }) => {
	try {
		parentPort.postMessage({ id, result: optimizePrompt(input) });
	} catch (err) {
		parentPort.postMessage({ id, error: err && err.message ? err.message : String(err) });
	}
});`;

interface Job {
	resolve: (r: Optimized) => void;
	reject: (e: Error) => void;
}

/**
 * A small pool of worker threads running optimizePrompt (a pure function of plain data). Started on
 * first use, unref'd so it never keeps a process alive; a thread that dies fails its jobs and is
 * replaced on the next one.
 */
export class PromptOffload {
	private readonly workers: { worker: Worker; jobs: Map<number, Job> }[] = [];
	private next = 0;
	private seq = 0;
	constructor(private readonly size = Math.max(1, Math.min(2, availableParallelism() - 1))) {}

	private spawn(): { worker: Worker; jobs: Map<number, Job> } {
		const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { module: join(__dirname, "optimize.ts") } });
		worker.unref();
		const slot = { worker, jobs: new Map<number, Job>() };
		worker.on("message", ({ id, result, error }: { id: number; result?: Optimized; error?: string }) => {
			const job = slot.jobs.get(id);
			slot.jobs.delete(id);
			if (!job) return;
			if (error !== undefined) job.reject(new Error(error));
			else job.resolve(result!);
		});
		const fail = (err: Error) => {
			for (const job of slot.jobs.values()) job.reject(err);
			slot.jobs.clear();
			const i = this.workers.indexOf(slot);
			if (i >= 0) this.workers.splice(i, 1);
		};
		worker.on("error", fail);
		worker.on("exit", code => fail(new Error(`prompt worker exited (code ${code})`)));
		this.workers.push(slot);
		return slot;
	}

	run(input: OptimizeInput): Promise<Optimized> {
		const slot = this.workers.length < this.size ? this.spawn() : this.workers[this.next++ % this.workers.length];
		const id = ++this.seq;
		return new Promise((resolve, reject) => {
			slot.jobs.set(id, { resolve, reject });
			slot.worker.postMessage({ id, input });
		});
	}

	async stop(): Promise<void> {
		const all = this.workers.splice(0);
		await Promise.all(all.map(s => s.worker.terminate()));
	}
}

/** optimizePrompt, on the pool when the context is big, inline otherwise. */
export function optimizeOffloaded(pool: PromptOffload, input: OptimizeInput, contextBytes: number): Promise<Optimized> {
	return contextBytes > OFFLOAD_BYTES ? pool.run(input) : Promise.resolve(optimizePrompt(input));
}
