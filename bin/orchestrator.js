#!/usr/bin/env node
// V8 lets the old generation grow up to 4x its live size between full GCs: at ~115 MB live, a long run's RSS
// climbed 453 -> 789 MB over 100,000 requests with nothing retained (scripts/bench/heap.cjs: heap after GC flat).
// A 1.5x growth factor held it at 337-360 MB (+1.7 % from 20k to 100k) for ~2 % more CPU per request (README,
// "Gateway overhead"). Set before anything is allocated; a --heap-growing-percent given to node wins.
if (!process.execArgv.some(a => a.startsWith("--heap-growing-percent"))) require("v8").setFlagsFromString("--heap-growing-percent=50");
// The project's .env fills variables the environment does not set (.env.example lists them all): the project's, not the
// working directory's, since a desktop client starts `orchestrator mcp` in a directory of its choosing, whose .env (an
// application's DATABASE_URL) is not ours. dotenv 16 prints nothing, so stdout stays JSON-RPC's under `orchestrator mcp`.
require("dotenv").config({ path: require("node:path").join(__dirname, "..", ".env") });
// The CLI is TypeScript run through tsx, so there is no build step between a clone and a start.
require("tsx/cjs");
const fail = err => {
	console.error(err && err.message ? err.message : err);
	process.exit(1);
};
// A bad setting read while the modules load (moleculer.config.ts builds its options then) ends the process as one
// found later does: its message, exit 1, no stack trace.
let cli;
try {
	cli = require("./cli.ts");
} catch (err) {
	fail(err);
}
cli.main(process.argv.slice(2)).catch(fail);
