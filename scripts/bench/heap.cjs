/**
 * JS heap after a full GC every HEAP_EVERY HTTP requests (default 10,000), for telling retained memory from
 * V8/allocator sizing when RSS climbs over a long run:
 *   NODE_ARGS="--expose-gc --require $PWD/scripts/bench/heap.cjs" npx tsx scripts/bench/threads.ts rest-fresh 80000
 * Preloaded into the orchestrator, it counts the HTTP requests served; at every HEAP_EVERY-th it forces a full
 * GC (needs --expose-gc) and prints to stderr `heap: <requests> used <MB> total <MB> external <MB> rss <MB>` and
 * each V8 heap space's used and reserved MB. HEAP_GC=0: no GC, the figures as the heap stands (V8's own sizing, undisturbed).
 * HEAP_SNAPSHOT=1: on SIGTERM (threads.ts sends it once every request is answered), a full GC and a heap snapshot
 * to HEAP_DIR (default /tmp)/heap-<pid>-<requests>.heapsnapshot; two runs of different lengths, compared by
 * scripts/bench/heap-diff.cjs, show which constructors grew. Not mid-run: writing one stops the process for
 * seconds, the stand-in closes its idle keep-alive sockets meanwhile, and the requests after fail to connect.
 * HEAP_ON_SIGNAL=1 (what `npm run bench:overhead -- --long` preloads): no request counting and no GC; on each
 * SIGUSR2 one line `heap-json: {...}` on stderr (heapFigures below), the heap as it stands when the load process asks.
 */
"use strict";
const http = require("node:http");
const v8 = require("node:v8");
const { join } = require("node:path");

const every = Number(process.env.HEAP_EVERY) || 10_000;
const dir = process.env.HEAP_DIR || "/tmp";
const noGc = process.env.HEAP_GC === "0";
const mb = n => (n / 1048576).toFixed(1);
/** process.memoryUsage() in MB, and every V8 heap space's used and reserved MB by its short name ("old", "new", "code", "large_object"...). */
function heapFigures() {
	const m = process.memoryUsage();
	const spaces = {};
	for (const s of v8.getHeapSpaceStatistics())
		spaces[s.space_name.replace(/_space$/, "")] = { used: Number(mb(s.space_used_size)), size: Number(mb(s.space_size)) };
	return {
		rss: Number(mb(m.rss)),
		heap_used: Number(mb(m.heapUsed)),
		heap_total: Number(mb(m.heapTotal)),
		external: Number(mb(m.external)),
		array_buffers: Number(mb(m.arrayBuffers)),
		spaces,
	};
}
let served = 0;
if (process.env.HEAP_ON_SIGNAL === "1") process.on("SIGUSR2", () => process.stderr.write(`heap-json: ${JSON.stringify(heapFigures())}\n`));
else {
	const emit = http.Server.prototype.emit;
	http.Server.prototype.emit = function (event, ...args) {
		if (event === "request" && ++served % every === 0) {
			const at = served;
			setImmediate(() => {
				if (!noGc) {
					if (typeof globalThis.gc !== "function") throw new Error("heap.cjs needs node --expose-gc");
					globalThis.gc();
				}
				const f = heapFigures();
				const spaces = Object.entries(f.spaces)
					.map(([name, s]) => `${name} ${s.used.toFixed(1)}/${s.size.toFixed(1)}`)
					.join(", ");
				process.stderr.write(
					`heap: ${at} used ${f.heap_used.toFixed(1)} total ${f.heap_total.toFixed(1)} external ${f.external.toFixed(1)} rss ${f.rss.toFixed(1)}; used/size by space: ${spaces}\n`,
				);
			});
		}
		return emit.call(this, event, ...args);
	};
}
if (process.env.HEAP_SNAPSHOT === "1")
	// Registered before the orchestrator's own handler (this file is preloaded), so it runs before the shutdown.
	process.once("SIGTERM", () => {
		globalThis.gc?.();
		process.stderr.write(`heap: snapshot ${v8.writeHeapSnapshot(join(dir, `heap-${process.pid}-${served}.heapsnapshot`))}\n`);
	});
