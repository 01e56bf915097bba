/**
 * A caller's regular expression runs in a worker thread (regex-thread.js) with a time budget for the whole
 * search: JavaScript cannot interrupt a backtracking RegExp, so a pattern like (a+)+$ would otherwise freeze
 * the server for every later call too. On expiry the worker is terminated and RegexTimeout is thrown.
 */
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { LineMatcher } from "./scan";

const THREAD = join(__dirname, "regex-thread.js");

export class RegexTimeout extends Error {}

/** Runs `fn` with a line matcher for `re` that executes in a worker thread, terminated after `budgetMs`. */
export async function withRegexWorker<T>(re: RegExp, budgetMs: number, fn: (match: LineMatcher) => Promise<T>): Promise<T> {
	const worker = new Worker(THREAD, { workerData: { source: re.source, flags: re.flags } });
	const deadline = Date.now() + budgetMs;
	let timer: NodeJS.Timeout | undefined;
	const expired = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new RegexTimeout()), budgetMs);
	});
	expired.catch(() => undefined);
	const match: LineMatcher = lines =>
		Date.now() >= deadline
			? Promise.reject(new RegexTimeout())
			: Promise.race([
					new Promise<number[]>((resolve, reject) => {
						worker.once("message", resolve);
						worker.once("error", reject);
						worker.postMessage(lines);
					}),
					expired,
				]);
	try {
		return await fn(match);
	} finally {
		clearTimeout(timer);
		await worker.terminate();
	}
}
