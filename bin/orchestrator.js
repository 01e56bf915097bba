#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so there is no build step between a clone and a start.
require("tsx/cjs");
require("./cli.ts").main(process.argv.slice(2)).catch(err => {
	console.error(err && err.message ? err.message : err);
	process.exit(1);
});
