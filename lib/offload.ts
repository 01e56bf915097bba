import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/**
 * Loads a TypeScript module in the thread the way bin/orchestrator.js does (tsx), then answers one
 * message per job with the named export called on the job's input.
 */
const BOOTSTRAP = `
require("tsx/cjs");
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

/**
 * A small pool of worker threads running one pure function of plain data (`module`'s export `name`),
 * for CPU work that would stall the event loop (and /health, and every other request with it). Started
 * on first use, unref'd so it never keeps a process alive; a thread that dies fails its jobs and is
 * replaced on the next one.
 */
export class WorkerPool<I, O> {
	private readonly workers: { worker: Worker; jobs: Map<number, Job<O>> }[] = [];
	private next = 0;
	private seq = 0;
	constructor(
		/** Absolute path of the module (a .ts file is loaded through tsx). */
		private readonly module: string,
		private readonly name: string,
		private readonly size = Math.max(1, Math.min(2, availableParallelism() - 1)),
	) {}

	private spawn(): { worker: Worker; jobs: Map<number, Job<O>> } {
		const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { module: this.module, name: this.name } });
		worker.unref();
		const slot = { worker, jobs: new Map<number, Job<O>>() };
		worker.on("message", ({ id, result, error }: { id: number; result?: O; error?: string }) => {
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
		worker.on("exit", code => fail(new Error(`${this.name} worker exited (code ${code})`)));
		this.workers.push(slot);
		return slot;
	}

	run(input: I): Promise<O> {
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
