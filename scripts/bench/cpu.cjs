/**
 * A CPU profile of the measured requests only, for finding where a request's time goes:
 *   NODE_ARGS="--require $PWD/scripts/bench/cpu.cjs" npx tsx scripts/bench/threads.ts rest 3000
 * Preloaded into the orchestrator, it starts V8's CPU profiler (sampling every CPU_INTERVAL_US, default 100)
 * CPU_START_MS after start (default 30 s: past the warm-up on a busy machine), counts the HTTP requests
 * served from then on, and on SIGTERM writes the profile to CPU_PROFILE (default /tmp/cpu-<pid>.cpuprofile,
 * readable in Chrome DevTools) with the request count in its file name's sidecar `<file>.requests`.
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
		session.post("Profiler.enable", () =>
			session.post("Profiler.setSamplingInterval", { interval: Number(process.env.CPU_INTERVAL_US ?? 100) }, () =>
				session.post("Profiler.start", () => (from = served)),
			),
		),
	Number(process.env.CPU_START_MS ?? 30_000),
).unref();

process.on("SIGTERM", () => {
	if (from < 0) return;
	const requests = served - from;
	from = -1;
	session.post("Profiler.stop", (err, res) => {
		if (err) return;
		const file = process.env.CPU_PROFILE || `/tmp/cpu-${process.pid}.cpuprofile`;
		writeFileSync(file, JSON.stringify(res.profile));
		writeFileSync(`${file}.requests`, String(requests));
		console.error(`cpu: ${requests} requests profiled (${file})`);
	});
});
