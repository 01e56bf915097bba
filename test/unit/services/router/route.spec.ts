import { strict as assert } from "node:assert";
import type { McpMetadata, McpToolInfo } from "../../../../lib/registry";
import type { Intent, RequestContext } from "../../../../lib/types";
import { chooseRoute, type LiveMcpService } from "../../../../services/router/route";

const str = { type: "string" };
/** The reference file-system server's read tools with their input schemas, as its tools/list gives them. */
const FS_TOOLS: McpToolInfo[] = [
	{ name: "read_text_file", kind: "read", inputSchema: { type: "object", properties: { path: str, head: { type: "number" }, tail: { type: "number" } }, required: ["path"] } },
	{ name: "read_multiple_files", kind: "read", inputSchema: { type: "object", properties: { paths: { type: "array", items: str, minItems: 1 } }, required: ["paths"] } },
	{ name: "list_directory", kind: "read", inputSchema: { type: "object", properties: { path: str }, required: ["path"] } },
	{ name: "search_files", kind: "read", inputSchema: { type: "object", properties: { path: str, pattern: str, excludePatterns: { type: "array", items: str } }, required: ["path", "pattern"] } },
	{ name: "get_file_info", kind: "read", inputSchema: { type: "object", properties: { path: str }, required: ["path"] } },
];

function fs(meta: Partial<McpMetadata> = {}): LiveMcpService {
	return { service: "mcp.filesystem", meta: { server: "secure-filesystem-server", capabilities: ["read", "search"], tools: FS_TOOLS, connected: true, ...meta } };
}

const route = (request: string, intent: Intent, services = [fs()], context?: RequestContext) => chooseRoute({ request, intent, context }, services);

describe("router/route chooseRoute", () => {
	it("reads a named file with the tool alone", () => {
		assert.deepEqual(route("Show me the contents of README.md", "READ"), { kind: "mcp", service: "mcp.filesystem", tool: "read_text_file", arguments: { path: "README.md" } });
		assert.deepEqual(route("cat package.json pls", "READ").arguments, { path: "package.json" });
		assert.deepEqual(route("can u show teh CI workflow file, .github/workflows/ci.yml", "READ").arguments, { path: ".github/workflows/ci.yml" });
		assert.deepEqual(route("whats in .nvmrc", "READ").arguments, { path: ".nvmrc" });
	});

	it("sends paths that leave the workspace to the tool too, whose guard refuses them with a clear error", () => {
		assert.deepEqual(route("show me ../../etc/passwd", "READ").arguments, { path: "../../etc/passwd" });
		assert.deepEqual(route("show me /etc/passwd", "READ").arguments, { path: "/etc/passwd" });
	});

	it("maps head and tail requests to the tool's head/tail arguments", () => {
		assert.deepEqual(route("last 50 lines of logs/app.log", "READ").arguments, { path: "logs/app.log", tail: 50 });
		assert.deepEqual(route("show the first 20 lines of src/main.go", "READ").arguments, { path: "src/main.go", head: 20 });
	});

	it("reads several named files in one call", () => {
		const r = route("Put docker-compose.yml and docker-compose.override.yml next to each other so I can see both", "READ");
		assert.equal(r.tool, "read_multiple_files");
		assert.deepEqual(r.arguments, { paths: ["docker-compose.yml", "docker-compose.override.yml"] });
	});

	it("lists a folder, searches file names and reads file metadata", () => {
		assert.deepEqual(route("What's in the db/migrations folder?", "READ"), { kind: "mcp", service: "mcp.filesystem", tool: "list_directory", arguments: { path: "db/migrations" } });
		assert.deepEqual(route("ls the scripts/ dir", "READ").arguments, { path: "scripts" });
		assert.deepEqual(route("What's in the src folder?", "READ").arguments, { path: "src" });
		assert.deepEqual(route("what's in the current folder?", "READ"), { kind: "llm" });
		assert.deepEqual(route("all *.proto files pls", "SEARCH").arguments, { path: ".", pattern: "**/*.proto" });
		assert.deepEqual(route("do we have a file called seed_data somewhere?", "SEARCH").arguments, { path: ".", pattern: "**/*seed_data*" });
		assert.deepEqual(route("every Dockerfile under services/", "SEARCH").arguments, { path: "services", pattern: "**/Dockerfile" });
		assert.equal(route("size and last modified date of data/raw/events.parquet", "READ").tool, "get_file_info");
	});

	it("chains the file and the LLM to explain, summarize or answer a question about a file", () => {
		assert.deepEqual(route("summarize src/server.ts", "ANALYZE"), {
			kind: "mcp",
			service: "mcp.filesystem",
			tool: "read_text_file",
			arguments: { path: "src/server.ts" },
			then_llm: true,
		});
		assert.equal(route("what is MAX_UPLOAD_SIZE set to in settings.py", "READ").then_llm, true);
		assert.equal(route("lines 120-160 of pkg/scheduler/queue.go", "READ").then_llm, true);
	});

	it("needs no fetch when the client attached the file already", () => {
		assert.deepEqual(route("explain src/server.ts", "ANALYZE", [fs()], { files: [{ path: "src/server.ts", content: "x" }] }), { kind: "llm" });
	});

	it("leaves content searches to the LLM: the file-system server matches names only", () => {
		for (const req of ["grep for TODO in src/", "all usages of getUserById", "which files import lodash", "where is `calculateTax` defined?", "Files under src/payments/ that mention refund"]) {
			assert.deepEqual(route(req, "SEARCH"), { kind: "llm" }, req);
		}
	});

	it("sends writes, management and non-file topics to the LLM", () => {
		assert.deepEqual(route("add a test for src/server.ts", "WRITE"), { kind: "llm" });
		assert.deepEqual(route("rename config/prod.yaml to config/production.yaml", "MANAGE"), { kind: "llm" });
		assert.deepEqual(route("show me the git diff for src/billing/invoice.ts", "READ"), { kind: "llm" });
		assert.deepEqual(route("pods in the payments namespace right now?", "READ"), { kind: "llm" });
		assert.deepEqual(route("how do I upgrade to Next.js 14", "ANALYZE"), { kind: "llm" });
	});

	it("takes the LLM path when no service offers the tool, with the capability, connected", () => {
		assert.deepEqual(route("show me config/prod.yaml", "READ", []), { kind: "llm" });
		assert.deepEqual(route("show me config/prod.yaml", "READ", [fs({ connected: false })]), { kind: "llm" });
		assert.deepEqual(route("all *.proto files", "SEARCH", [fs({ capabilities: ["read"] })]), { kind: "llm" });
		assert.equal(route("all *.proto files", "SEARCH", [fs({ capabilities: [] })]).tool, "search_files");
	});

	it("takes the LLM path when the arguments do not fit the tool's input schema", () => {
		const odd = FS_TOOLS.map(t => (t.name === "read_text_file" ? { ...t, inputSchema: { type: "object", properties: { uri: str }, required: ["uri"] } } : t));
		assert.deepEqual(route("show me config/prod.yaml", "READ", [fs({ tools: odd })]), { kind: "llm" });
	});

	it("never picks a write or manage tool from free text", () => {
		const writes: McpToolInfo[] = [{ name: "read_text_file", kind: "write", inputSchema: FS_TOOLS[0].inputSchema }];
		assert.deepEqual(route("show me config/prod.yaml", "READ", [fs({ tools: writes })]), { kind: "llm" });
	});
});
