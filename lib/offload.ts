import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/**
 * Loads a TypeScript module in the thread the way bin/orchestrator.js does (tsx), then answers one
 * message per job with the named export called on the job's input. tsx by the path this module resolved: an eval'd
 * thread resolves a bare name from the process's working directory, and an MCP client (Claude Desktop) starts the
 * server in `/`, where every context over the offload threshold failed with "Cannot find module 'tsx/cjs'".
 */
const TSX = require.resolve("tsx/cjs");
const BOOTSTRAP = `
require(require("node:worker_threads").workerData.tsx);
const { parentPort, workerData } = require("node:worker_threads");
const run = require(workerData.module)[workerData.name];
parentPort.on("message", ({ id, input }) => {
	try {
		parentPort.postMessage({ id, result: run(input) });
	} catch (err) {
		parentPort.postMessage({ id, error: err && err.message ? err.message : String(err) });
	}
});`;

interface Job<O> {
	resolve: (r: O) => void;
	reject: (e: Error) => void;
}

interface Slot<O> {
	worker: Worker;
	jobs: Map<number, Job<O>>;
	/** Ends the thread once it has had no job for the pool's idleMs. */
	idle?: NodeJS.Timeout;
}

/**
 * How long a thread with no job is kept. A thread holds its own V8 heap: the prompt worker ~72 MB live after its GC
 * (tsx, the tokenizer, the pruning code), kept for the process's life once one big context had started it, so a server
 * fed a few 2 MB contexts never went back to its RSS before them (s12-mem: 79-107 MB above it after 3 idle minutes, with
 * the main heap back within 6 MB). Restarting one costs ~1.7 s on the next big job (at load ~5), so a busy server keeps it.
 */
export const WORKER_IDLE_MS = 60_000;

/**
 * A small pool of worker threads running one pure function of plain data (`module`'s export `name`),
 * for CPU work that would stall the event loop (and /health, and every other request with it). Started
 * on first use, unref'd so it never keeps a process alive; a thread that dies fails its jobs and is
 * replaced on the next one; a thread idle for `idleMs` is ended (WORKER_IDLE_MS) and started again when needed.
 */
export class WorkerPool<I, O> {
	private readonly workers: Slot<O>[] = [];
	private next = 0;
	private seq = 0;
	constructor(
		/** Absolute path of the module (a .ts file is loaded through tsx). */
		private readonly module: string,
		private readonly name: string,
		private readonly size = Math.max(1, Math.min(2, availableParallelism() - 1)),
		private readonly idleMs = WORKER_IDLE_MS,
	) {}

	/** Threads running now (started and not yet ended). */
	get threads(): number {
		return this.workers.length;
	}

	private spawn(): Slot<O> {
		const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { tsx: TSX, module: this.module, name: this.name } });
		worker.unref();
		const slot: Slot<O> = { worker, jobs: new Map<number, Job<O>>() };
		worker.on("message", ({ id, result, error }: { id: number; result?: O; error?: string }) => {
			const job = slot.jobs.get(id);
			slot.jobs.delete(id);
			if (slot.jobs.size === 0) this.idle(slot);
			if (!job) return;
			if (error !== undefined) job.reject(new Error(error));
			else job.resolve(result!);
		});
		const fail = (err: Error) => {
			clearTimeout(slot.idle);
			for (const job of slot.jobs.values()) job.reject(err);
			slot.jobs.clear();
			const i = this.workers.indexOf(slot);
			if (i >= 0) this.workers.splice(i, 1);
		};
		worker.on("error", fail);
		worker.on("exit", code => fail(new Error(`${this.name} worker exited (code ${code})`)));
		this.workers.push(slot);
		return slot;
	}

	/** Ends the slot's thread after idleMs without a job; out of the pool at once, so no job is given to it meanwhile. */
	private idle(slot: Slot<O>): void {
		clearTimeout(slot.idle);
		slot.idle = setTimeout(() => {
			const i = this.workers.indexOf(slot);
			if (i < 0 || slot.jobs.size > 0) return;
			this.workers.splice(i, 1);
			void slot.worker.terminate();
		}, this.idleMs);
		slot.idle.unref();
	}

	run(input: I): Promise<O> {
		const slot = this.workers.length < this.size ? this.spawn() : this.workers[this.next++ % this.workers.length];
		clearTimeout(slot.idle);
		const id = ++this.seq;
		return new Promise((resolve, reject) => {
			slot.jobs.set(id, { resolve, reject });
			slot.worker.postMessage({ id, input });
		});
	}

	async stop(): Promise<void> {
		const all = this.workers.splice(0);
		for (const s of all) clearTimeout(s.idle);
		await Promise.all(all.map(s => s.worker.terminate()));
	}
}
