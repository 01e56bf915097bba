#!/usr/bin/env node
// A .env file in the current directory fills variables the environment does not set (.env.example lists them all).
// dotenv 16 prints nothing, so stdout stays JSON-RPC's under `orchestrator mcp`.
require("dotenv").config();
// The CLI is TypeScript run through tsx, so there is no build step between a clone and a start.
require("tsx/cjs");
require("./cli.ts")
	.main(process.argv.slice(2))
	.catch(err => {
		console.error(err && err.message ? err.message : err);
		process.exit(1);
	});
