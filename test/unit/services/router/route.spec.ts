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

/** Our workspace-search server's tools, as its tools/list gives them (trimmed to what the router checks). */
const SEARCH_TOOLS: McpToolInfo[] = [
	{
		name: "search_text",
		kind: "read",
		inputSchema: {
			type: "object",
			properties: { pattern: { type: "string", minLength: 1 }, path: str, glob: str, regex: { type: "boolean" }, case_sensitive: { type: "boolean" }, max_results: { type: "integer" } },
			required: ["pattern"],
			additionalProperties: false,
		},
	},
	{ name: "find_definition", kind: "read", inputSchema: { type: "object", properties: { name: { type: "string", pattern: "^[A-Za-z_$][\\w$]*$" }, path: str, max_results: { type: "integer" } }, required: ["name"], additionalProperties: false } },
];

function search(meta: Partial<McpMetadata> = {}): LiveMcpService {
	return { service: "mcp.search", meta: { server: "workspace-search", capabilities: ["search"], tools: SEARCH_TOOLS, connected: true, ...meta } };
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

	it("sends content searches to search_text with the exact term, a folder and a file-type glob", () => {
		const both = [fs(), search()];
		assert.deepEqual(route("all usages of getUserById", "SEARCH", both), { kind: "mcp", service: "mcp.search", tool: "search_text", arguments: { pattern: "getUserById", path: "." } });
		assert.deepEqual(route("grep for TODO in src/", "SEARCH", both).arguments, { pattern: "TODO", path: "src" });
		assert.deepEqual(route("which files import lodash", "SEARCH", both).arguments, { pattern: "lodash", path: "." });
		assert.deepEqual(route("find usages of parseConfig in the .ts files", "SEARCH", both).arguments, { pattern: "parseConfig", path: ".", glob: "**/*.ts" });
		assert.deepEqual(route("where is retry_count used in lib/", "SEARCH", both).arguments, { pattern: "retry_count", path: "lib" });
		assert.deepEqual(route("The string 'Invalid credentials' - which file is that coming from?", "SEARCH", both).arguments, { pattern: "Invalid credentials", path: "." });
		assert.deepEqual(route("which yaml files mention JWT_SECRET", "SEARCH", both).arguments, { pattern: "JWT_SECRET", path: ".", glob: "**/*.{yaml,yml}" });
		assert.deepEqual(route("grep -n FIXME in settings.py", "SEARCH", both).arguments, { pattern: "FIXME", path: "settings.py" });
		// A call written with its parentheses finds calls with any arguments.
		assert.deepEqual(route("show me every call to `send_email()`", "SEARCH", both).arguments, { pattern: "send_email(", path: "." });
		// Several names only when grep asks for them: one regex that keeps each name verbatim.
		assert.deepEqual(route("grep for STRIPE_KEY and PAYPAL_CLIENT_ID", "SEARCH", both).arguments, { pattern: "STRIPE_KEY|PAYPAL_CLIENT_ID", path: ".", regex: true });
	});

	it('sends "where is X defined" to find_definition', () => {
		assert.deepEqual(route("where is `calculateTax` defined?", "SEARCH", [fs(), search()]), { kind: "mcp", service: "mcp.search", tool: "find_definition", arguments: { name: "calculateTax", path: "." } });
		assert.deepEqual(route("find the definition of UserService under src/", "SEARCH", [search()]).arguments, { name: "UserService", path: "src" });
	});

	it("leaves searches that ask for more than the places to the LLM", () => {
		for (const req of [
			"find the bug in getUserById and fix it",
			"find out why getUserById returns null",
			"are there env variables read via os.getenv that aren't documented in docs/config.md?",
			"find all places where we call the Stripe API without passing an idempotency key",
			"every call to `deprecated_send()`, along with the name of the function it's called from",
			"grep for STRIPE_KEY and PAYPAL_CLIENT_ID and give me the results grouped by package",
			"search the logs for 'connection reset' and tell me which hosts it happened on",
			"Files modified in the last 7 days under src/payments/ that mention refund",
			"where is getUserById used and how does it handle errors?",
			"where is parseConfig used, and is every caller handling its errors?",
			"what does getUserById do",
			"where is the config loaded",
			"which files use the config",
		]) {
			const r = route(req, "SEARCH", [fs(), search()]);
			// The LLM answers; a named file may be fetched for it first (a chain), never answered by a tool alone.
			assert.ok(r.kind === "llm" || (r.then_llm === true && r.service === "mcp.filesystem"), `${req}: ${JSON.stringify(r)}`);
		}
		assert.deepEqual(route("rename getUserById everywhere it is used", "WRITE", [fs(), search()]), { kind: "llm" });
		assert.deepEqual(route("where is getUserById used", "ANALYZE", [fs(), search()]), { kind: "llm" });
	});

	it("takes the LLM path for a content search when no live service offers the content-search tool", () => {
		assert.deepEqual(route("all usages of getUserById", "SEARCH", [fs(), search({ connected: false })]), { kind: "llm" });
		assert.deepEqual(route("all usages of getUserById", "SEARCH", [fs(), search({ capabilities: ["read"] })]), { kind: "llm" });
	});

	it("leaves content searches to the LLM when only the file-system server is live: it matches names only", () => {
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
