/** V8's inspector from inside the process, for the benches that count their own allocations (decisions.ts, analyze.ts). */
import { Session } from "node:inspector";

const session = new Session();
session.connect();

/** One inspector command, as a promise. */
export const inspectorPost = <T>(method: string, params?: object) =>
	new Promise<T>((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res as T))));

/**
 * Bytes `work` allocates, from V8's sampling heap profiler (every 256 bytes, objects the GC collected
 * included): a statistical count, but one that other load on the machine does not move.
 */
export async function allocatedBytes(work: () => unknown): Promise<number> {
	await inspectorPost("HeapProfiler.enable");
	await inspectorPost("HeapProfiler.startSampling", {
		samplingInterval: 256,
		includeObjectsCollectedByMajorGC: true,
		includeObjectsCollectedByMinorGC: true,
	});
	await work();
	const { profile } = await inspectorPost<{ profile: { samples: { size: number }[] } }>("HeapProfiler.stopSampling");
	return profile.samples.reduce((sum, s) => sum + s.size, 0);
}
