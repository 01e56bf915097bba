/**
 * Bytes allocated per HTTP request of a process, for A/B runs of an allocation change:
 *   NODE_ARGS="--require $PWD/scripts/bench/alloc.cjs" npx tsx scripts/bench/threads.ts rest 3000
 * (an absolute path: with ROOT=<another checkout> the orchestrator runs there, where this file may not be). Preloaded into the orchestrator, it starts V8's sampling
 * heap profiler ALLOC_START_MS after start (default 30 s: past the warm-up on a busy machine), objects the GC
 * collected included, counts the HTTP requests served from then on, and on SIGTERM prints to stderr the sampled
 * bytes per request and writes the profile to ALLOC_PROFILE (default /tmp/alloc-<pid>.heapprofile, readable in
 * Chrome DevTools). Sampled every 1 KB: a statistical count, but one that other load on the machine does not move.
 */
"use strict";
const inspector = require("node:inspector");
const http = require("node:http");
const { writeFileSync } = require("node:fs");

const session = new inspector.Session();
session.connect();
let served = 0;
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
	if (event === "request") served++;
	return emit.call(this, event, ...args);
};
let from = -1;
setTimeout(
	() =>
		session.post("HeapProfiler.enable", () =>
			session.post(
				"HeapProfiler.startSampling",
				{ samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true },
				() => (from = served),
			),
		),
	Number(process.env.ALLOC_START_MS ?? 30_000),
).unref();

process.on("SIGTERM", () => {
	if (from < 0) return;
	const requests = served - from;
	from = -1;
	session.post("HeapProfiler.stopSampling", (err, res) => {
		if (err) return;
		const bytes = res.profile.samples.reduce((sum, s) => sum + s.size, 0);
		const file = process.env.ALLOC_PROFILE || `/tmp/alloc-${process.pid}.heapprofile`;
		writeFileSync(file, JSON.stringify(res.profile));
		console.error(`alloc: ${requests} requests, ${(bytes / Math.max(requests, 1) / 1024).toFixed(1)} KB sampled per request (${file})`);
	});
});
