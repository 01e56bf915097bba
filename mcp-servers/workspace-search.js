#!/usr/bin/env node
// The server is TypeScript run through tsx, like the CLI (bin/orchestrator.js): no build step.
require("tsx/cjs");
require("./workspace-search.ts").main(process.argv.slice(2));
