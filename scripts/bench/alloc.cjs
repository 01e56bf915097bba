/**
 * Bytes allocated per HTTP request of a process, for A/B runs of an allocation change:
 *   NODE_ARGS="--require $PWD/scripts/bench/alloc.cjs" npx tsx scripts/bench/threads.ts rest 3000
 * (an absolute path: with ROOT=<another checkout> the orchestrator runs there, where this file may not be). Preloaded into the orchestrator, it starts V8's sampling
 * heap profiler ALLOC_START_MS after start (default 30 s: past the warm-up on a busy machine), objects the GC
 * collected included, counts the HTTP requests served from then on, and on SIGTERM prints to stderr the sampled
 * bytes per request and writes the profile to ALLOC_PROFILE (default /tmp/alloc-<pid>.heapprofile, readable in
 * Chrome DevTools). Sampled every 1 KB: a statistical count, but one that other load on the machine does not move.
 *
 * PROFILE=cpu: V8's CPU profile of the same requests instead (sampled every CPU_INTERVAL_US, default 100), written
 * to ALLOC_PROFILE (default /tmp/cpu-<pid>.cpuprofile) with the request count in `<file>.requests`: where a
 * request's time goes, as shares of the samples (their wall-clock weights grow with other load; the shares less so).
 */
"use strict";
const inspector = require("node:inspector");
const http = require("node:http");
const { writeFileSync } = require("node:fs");

const cpu = process.env.PROFILE === "cpu";
const session = new inspector.Session();
session.connect();
let served = 0;
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
	if (event === "request") served++;
	return emit.call(this, event, ...args);
};
let from = -1;
const begin = cpu
	? done =>
			session.post("Profiler.enable", () =>
				session.post("Profiler.setSamplingInterval", { interval: Number(process.env.CPU_INTERVAL_US ?? 100) }, () =>
					session.post("Profiler.start", done),
				),
			)
	: done =>
			session.post("HeapProfiler.enable", () =>
				session.post(
					"HeapProfiler.startSampling",
					{ samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true },
					done,
				),
			);
setTimeout(() => begin(() => (from = served)), Number(process.env.ALLOC_START_MS ?? 30_000)).unref();

process.on("SIGTERM", () => {
	if (from < 0) return;
	const requests = served - from;
	from = -1;
	session.post(cpu ? "Profiler.stop" : "HeapProfiler.stopSampling", (err, res) => {
		if (err) return;
		const file = process.env.ALLOC_PROFILE || `/tmp/${cpu ? "cpu" : "alloc"}-${process.pid}.${cpu ? "cpuprofile" : "heapprofile"}`;
		writeFileSync(file, JSON.stringify(res.profile));
		if (cpu) {
			writeFileSync(`${file}.requests`, String(requests));
			console.error(`cpu: ${requests} requests profiled (${file})`);
			return;
		}
		const bytes = res.profile.samples.reduce((sum, s) => sum + s.size, 0);
		console.error(`alloc: ${requests} requests, ${(bytes / Math.max(requests, 1) / 1024).toFixed(1)} KB sampled per request (${file})`);
	});
});
