/**
 * "Show me the contents of README.md": the router sends it to the file-system MCP tool, so no model is
 * called and it costs zero tokens (no API key needed).
 *   npm start            # in another terminal, from the project folder (WORKSPACE_DIR: what the tools read)
 *   npx tsx examples/read-file.ts
 */
import { orchestrate, report, run } from "./report";

run(async () => {
	report("read a file (tool-routed)", await orchestrate({ request: "Show me the contents of README.md" }));
});
