import { strict as assert } from "node:assert";
import type { McpMetadata, McpToolInfo } from "../../../../lib/registry";
import type { Intent, RequestContext } from "../../../../lib/contracts";
import { gatedRoute } from "../../../../services/router/gate";
import { chooseRoute, fileOp, ZERO_TOKEN_GATE, type LiveMcpService } from "../../../../services/router/route";

const str = { type: "string" };
/** The reference file-system server's read tools with their input schemas, as its tools/list gives them. */
const FS_TOOLS: McpToolInfo[] = [
	{
		name: "read_text_file",
		kind: "read",
		inputSchema: { type: "object", properties: { path: str, head: { type: "number" }, tail: { type: "number" } }, required: ["path"] },
	},
	{
		name: "read_multiple_files",
		kind: "read",
		inputSchema: { type: "object", properties: { paths: { type: "array", items: str, minItems: 1 } }, required: ["paths"] },
	},
	{ name: "list_directory", kind: "read", inputSchema: { type: "object", properties: { path: str }, required: ["path"] } },
	{
		name: "search_files",
		kind: "read",
		inputSchema: { type: "object", properties: { path: str, pattern: str, excludePatterns: { type: "array", items: str } }, required: ["path", "pattern"] },
	},
	{ name: "get_file_info", kind: "read", inputSchema: { type: "object", properties: { path: str }, required: ["path"] } },
];

function fs(meta: Partial<McpMetadata> = {}): LiveMcpService {
	return {
		service: "mcp.filesystem",
		meta: { server: "secure-filesystem-server", capabilities: ["read", "search"], tools: FS_TOOLS, connected: true, ...meta },
	};
}

/** Our workspace-search server's tools, as its tools/list gives them (trimmed to what the router checks). */
const SEARCH_TOOLS: McpToolInfo[] = [
	{
		name: "search_text",
		kind: "read",
		inputSchema: {
			type: "object",
			properties: {
				pattern: { type: "string", minLength: 1 },
				path: str,
				glob: str,
				regex: { type: "boolean" },
				case_sensitive: { type: "boolean" },
				max_results: { type: "integer" },
				enclosing: { type: "boolean" },
				value_block: { type: "boolean" },
			},
			required: ["pattern"],
			additionalProperties: false,
		},
	},
	{
		name: "find_definition",
		kind: "read",
		inputSchema: {
			type: "object",
			properties: { name: { type: "string", pattern: "^[A-Za-z_$][\\w$]*$" }, path: str, max_results: { type: "integer" } },
			required: ["name"],
			additionalProperties: false,
		},
	},
	{
		name: "read_lines",
		kind: "read",
		inputSchema: {
			type: "object",
			properties: { path: { type: "string", minLength: 1 }, start: { type: "integer", minimum: 1 }, end: { type: "integer", minimum: 1 } },
			required: ["path", "start", "end"],
			additionalProperties: false,
		},
	},
	{
		name: "find_files",
		kind: "read",
		inputSchema: {
			type: "object",
			properties: {
				path: str,
				glob: str,
				min_bytes: { type: "integer", minimum: 0 },
				max_bytes: { type: "integer", minimum: 0 },
				modified_within_days: { type: "number", exclusiveMinimum: 0 },
				modified_before_days: { type: "number", exclusiveMinimum: 0 },
				accessed_within_days: { type: "number", exclusiveMinimum: 0 },
				accessed_before_days: { type: "number", exclusiveMinimum: 0 },
				changed_within_days: { type: "number", exclusiveMinimum: 0 },
				min_links: { type: "integer", minimum: 1 },
				inode: { type: "integer", minimum: 1 },
				same_file: str,
				one_file_system: { type: "boolean" },
				follow_links: { type: "boolean" },
				max_links: { type: "integer", minimum: 1 },
				changed_before_days: { type: "number", exclusiveMinimum: 0 },
				type: { enum: ["file", "directory", "any", "symlink"] },
				broken: { type: "boolean" },
				paths: { type: "array", items: str },
				daystart: { type: "boolean" },
				newer_than: str,
				older_than: str,
				name: { type: "string", minLength: 1 },
				name_regex: { type: "string", minLength: 1 },
				path_regex: { type: "string", minLength: 1 },
				ignore_case: { type: "boolean" },
				max_depth: { type: "integer", minimum: 1 },
				min_depth: { type: "integer", minimum: 1 },
				exclude: { type: "array", items: str },
				empty: { type: "boolean" },
				owner: { type: "string", minLength: 1 },
				group: { type: "string", minLength: 1 },
				permissions: { type: "string", pattern: "^[0-7]{3,4}$" },
				permissions_any: { type: "string", pattern: "^[0-7]{3,4}$" },
				permissions_all: { type: "string", pattern: "^[0-7]{3,4}$" },
				permissions_lacking: { type: "string", pattern: "^[0-7]{3,4}$" },
				permissions_none: { type: "string", pattern: "^[0-7]{3,4}$" },
				permissions_not: { type: "string", pattern: "^[0-7]{3,4}$" },
				contains: { type: "string", minLength: 1 },
				case_sensitive: { type: "boolean" },
				max_results: { type: "integer" },
			},
			additionalProperties: false,
		},
	},
	{
		name: "read_files",
		kind: "read",
		inputSchema: {
			type: "object",
			properties: { path: { type: "string", minLength: 1 }, glob: str, max_files: { type: "integer" } },
			required: ["path"],
			additionalProperties: false,
		},
	},
];

function search(meta: Partial<McpMetadata> = {}): LiveMcpService {
	return { service: "mcp.search", meta: { server: "workspace-search", capabilities: ["read", "search"], tools: SEARCH_TOOLS, connected: true, ...meta } };
}

const route = (request: string, intent: Intent, services = [fs()], context?: RequestContext) => chooseRoute({ request, intent, context }, services);

describe("router/route chooseRoute", () => {
	it("reads a named file with the tool alone", () => {
		assert.deepEqual(route("Show me the contents of README.md", "READ"), {
			kind: "mcp",
			service: "mcp.filesystem",
			tool: "read_text_file",
			arguments: { path: "README.md" },
		});
		assert.deepEqual(route("cat package.json pls", "READ").arguments, { path: "package.json" });
		assert.deepEqual(route("can u show teh CI workflow file, .github/workflows/ci.yml", "READ").arguments, { path: ".github/workflows/ci.yml" });
		assert.deepEqual(route("whats in .nvmrc", "READ").arguments, { path: ".nvmrc" });
	});

	it("sends paths that leave the workspace to the tool too, whose guard refuses them with a clear error", () => {
		assert.deepEqual(route("show me ../../etc/passwd", "READ").arguments, { path: "../../etc/passwd" });
		assert.deepEqual(route("show me /etc/passwd", "READ").arguments, { path: "/etc/passwd" });
	});

	it("never answers a request longer than the 2,000 characters the rules read with a tool alone, nor with a path cut at that mark", () => {
		// The path ran past the cut: a listing of the 1,995 characters before it, another folder than the one named.
		const longPath = `cat ${"a/".repeat(1500)}x.txt`;
		assert.equal(route(longPath, "READ").kind, "llm");
		// What the rules never read may ask more than the read: the file goes to the LLM with the whole request.
		const tail = `Show me the contents of README.md ${"please ".repeat(300)}and then rewrite it in French`;
		assert.deepEqual(route(tail, "READ"), {
			kind: "mcp",
			service: "mcp.filesystem",
			tool: "read_text_file",
			arguments: { path: "README.md" },
			then_llm: true,
		});
		const cover = `find all the .c files under src ${"please ".repeat(300)} and delete them`;
		assert.equal(gatedRoute({ request: cover, intent: "SEARCH", intent_confidence: 0.99 }, [fs(), search()]).kind, "llm");
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
		assert.deepEqual(route("What's in the db/migrations folder?", "READ"), {
			kind: "mcp",
			service: "mcp.filesystem",
			tool: "list_directory",
			arguments: { path: "db/migrations" },
		});
		assert.deepEqual(route("ls the scripts/ dir", "READ").arguments, { path: "scripts" });
		assert.deepEqual(route("What's in the src folder?", "READ").arguments, { path: "src" });
		assert.deepEqual(route("what's in the current folder?", "READ"), { kind: "llm" });
		assert.deepEqual(route("all *.proto files pls", "SEARCH").arguments, { path: ".", pattern: "**/*.proto" });
		assert.deepEqual(route("do we have a file called seed_data somewhere?", "SEARCH").arguments, { path: ".", pattern: "**/*seed_data*" });
		assert.deepEqual(route("every Dockerfile under services/", "SEARCH").arguments, { path: "services", pattern: "**/Dockerfile" });
		assert.equal(route("size and last modified date of data/raw/events.parquet", "READ").tool, "get_file_info");
		// A binary file is not shown as text (mojibake): its file info is what a tool can say of it.
		for (const ask of ["show me the file src/logo.png", "show me src/logo.png", "read src/logo.png"])
			assert.deepEqual(route(ask, "READ"), { kind: "mcp", service: "mcp.filesystem", tool: "get_file_info", arguments: { path: "src/logo.png" } }, ask);
	});

	it("answers a read alone only when nothing beyond seeing the file is asked", () => {
		assert.equal(route("Display mimetype of myfile.txt.", "READ").then_llm, true);
		assert.equal(route("Print fourth column of space-separated data from text file text.txt.", "READ").then_llm, true);
		// A purpose, and words that name the file, ask nothing more.
		assert.equal(route("Could you display the current .env.example so I can see which vars we expect?", "READ").then_llm, undefined);
		assert.equal(route("can u show teh CI workflow file, .github/workflows/ci.yml", "READ").then_llm, undefined);
	});

	it("chains the file and the LLM to explain, summarize or answer a question about a file", () => {
		assert.deepEqual(route("summarize src/server.ts", "ANALYZE"), {
			kind: "mcp",
			service: "mcp.filesystem",
			tool: "read_text_file",
			arguments: { path: "src/server.ts" },
			then_llm: true,
		});
		// Exact lookups whose tool (our search server's) is not live: the file is read for the LLM instead.
		assert.deepEqual(route("what is MAX_UPLOAD_SIZE set to in settings.py", "READ"), {
			kind: "mcp",
			service: "mcp.filesystem",
			tool: "read_text_file",
			arguments: { path: "settings.py" },
			then_llm: true,
		});
		assert.equal(route("lines 120-160 of pkg/scheduler/queue.go", "READ").then_llm, true);
		assert.equal(route("lines 120-160 of pkg/scheduler/queue.go", "READ", [fs(), search({ connected: false })]).then_llm, true);
		// The part of the file asked about is the part fetched: a whole read of a long log cut at limits.max_context_bytes kept its
		// start, and the model never saw the last lines it was asked to explain.
		assert.deepEqual(route("explain the last 20 lines of logs/app.log", "ANALYZE").arguments, { path: "logs/app.log", tail: 20 });
		assert.deepEqual(route("first 5 lines of big/huge.log", "ANALYZE"), {
			kind: "mcp",
			service: "mcp.filesystem",
			tool: "read_text_file",
			arguments: { path: "big/huge.log", head: 5 },
			then_llm: true,
		});
	});

	it("chains the file and the LLM when asked to change what it holds, not for a new file or a file operation", () => {
		const read = (path: string) => ({ kind: "mcp", service: "mcp.filesystem", tool: "read_text_file", arguments: { path }, then_llm: true });
		assert.deepEqual(route("fix the bug in src/app.ts", "WRITE"), read("src/app.ts"));
		assert.deepEqual(route("refactor utils/date.py to use datetime.fromisoformat", "WRITE"), read("utils/date.py"));
		assert.deepEqual(route("add type hints to scripts/build.py", "WRITE"), read("scripts/build.py"));
		assert.deepEqual(route("Update the README.md install section for pnpm", "WRITE"), read("README.md"));
		assert.deepEqual(route("fix src/app.ts and src/db.ts", "WRITE").arguments, { paths: ["src/app.ts", "src/db.ts"] });
		// Nothing there yet to read, or nothing the model needs to read: the LLM alone.
		for (const [request, intent] of [
			["create src/new.ts with a slugify helper", "WRITE"],
			["generate a Dockerfile for this app", "WRITE"],
			["write a new script deploy.sh that syncs dist/", "WRITE"],
			["delete src/old.ts", "MANAGE"],
			["rename foo.ts to bar.ts", "MANAGE"],
			["delete old.ts and update index.ts", "WRITE"],
			["rename a.ts to b.ts and update the imports in c.ts", "WRITE"],
		] as const)
			assert.deepEqual(route(request, intent), { kind: "llm" }, request);
		// A file the client attached is the model's already.
		assert.deepEqual(route("fix the bug in src/app.ts", "WRITE", [fs()], { files: [{ path: "src/app.ts", content: "x" }] }), { kind: "llm" });
	});

	it("needs no fetch when the client attached the file already", () => {
		assert.deepEqual(route("explain src/server.ts", "ANALYZE", [fs()], { files: [{ path: "src/server.ts", content: "x" }] }), { kind: "llm" });
	});

	it("sends content searches to search_text with the exact term, a folder and a file-type glob", () => {
		const both = [fs(), search()];
		assert.deepEqual(route("all usages of getUserById", "SEARCH", both), {
			kind: "mcp",
			service: "mcp.search",
			tool: "search_text",
			arguments: { pattern: "getUserById", path: "." },
		});
		assert.deepEqual(route("grep for TODO in src/", "SEARCH", both).arguments, { pattern: "TODO", path: "src" });
		assert.deepEqual(route("which files import lodash", "SEARCH", both).arguments, { pattern: "lodash", path: "." });
		assert.deepEqual(route("find usages of parseConfig in the .ts files", "SEARCH", both).arguments, {
			pattern: "parseConfig",
			path: ".",
			glob: "**/*.ts",
		});
		assert.deepEqual(route("where is retry_count used in lib/", "SEARCH", both).arguments, { pattern: "retry_count", path: "lib" });
		assert.deepEqual(route("The string 'Invalid credentials' - which file is that coming from?", "SEARCH", both).arguments, {
			pattern: "Invalid credentials",
			path: ".",
		});
		assert.deepEqual(route("which yaml files mention JWT_SECRET", "SEARCH", both).arguments, { pattern: "JWT_SECRET", path: ".", glob: "**/*.{yaml,yml}" });
		assert.deepEqual(route("grep -n FIXME in settings.py", "SEARCH", both).arguments, { pattern: "FIXME", path: "settings.py" });
		// A call written with its parentheses finds calls with any arguments.
		assert.deepEqual(route("show me every call to `send_email()`", "SEARCH", both).arguments, { pattern: "send_email(", path: "." });
		// Several names only when grep asks for them: one regex that keeps each name verbatim.
		assert.deepEqual(route("grep for STRIPE_KEY and PAYPAL_CLIENT_ID", "SEARCH", both).arguments, {
			pattern: "STRIPE_KEY|PAYPAL_CLIENT_ID",
			path: ".",
			regex: true,
		});
		// A term said to be a regex is searched as one, not as its literal text; one that does not compile goes to the LLM.
		assert.deepEqual(route('grep for regex "(a+)+b$" in src/', "SEARCH", both).arguments, { pattern: "(a+)+b$", path: "src", regex: true });
		assert.deepEqual(route('grep -i for the regex "fail(ed|ure)"', "SEARCH", both).arguments, {
			pattern: "fail(ed|ure)",
			path: ".",
			regex: true,
			case_sensitive: false,
		});
		assert.equal(route('grep for regex "(unclosed" in src/', "SEARCH", both).kind, "llm");
		// Matches come in path order, so asking for them by folder or package asks for nothing more.
		assert.deepEqual(route("search every service for AWS_REGION, S3_BUCKET and CDN_HOST, grouped by folder", "SEARCH", both).arguments, {
			pattern: "AWS_REGION|S3_BUCKET|CDN_HOST",
			path: ".",
			regex: true,
		});
		assert.deepEqual(route("rg for cache.invalidate() and cache.flush() in src/, sorted by file", "SEARCH", both).arguments, {
			pattern: "cache\\.invalidate\\(|cache\\.flush\\(",
			path: "src",
			regex: true,
		});
		// A folder pattern: the folders it matches, below its fixed part.
		assert.deepEqual(route("grep 'ECONNREFUSED' in var/log/2025-01-*/", "SEARCH", both).arguments, {
			pattern: "ECONNREFUSED",
			path: "var/log",
			glob: "2025-01-*/**",
		});
	});

	it("asks search_text for the enclosing function when the request wants to know where each call is made from", () => {
		const both = [fs(), search()];
		assert.deepEqual(route("which functions call getUserById", "SEARCH", both), {
			kind: "mcp",
			service: "mcp.search",
			tool: "search_text",
			arguments: { pattern: "getUserById", path: ".", enclosing: true },
		});
		assert.deepEqual(route("callers of parse_config in lib/", "SEARCH", both).arguments, { pattern: "parse_config", path: "lib", enclosing: true });
		assert.deepEqual(route("who calls sendInvoice?", "SEARCH", both).arguments, { pattern: "sendInvoice", path: ".", enclosing: true });
		assert.deepEqual(route("find usages of legacyAuth() with the enclosing function names", "SEARCH", both).arguments, {
			pattern: "legacyAuth(",
			path: ".",
			enclosing: true,
		});
		assert.deepEqual(route("where is retry_count used, along with the function it's used in", "SEARCH", both).arguments, {
			pattern: "retry_count",
			path: ".",
			enclosing: true,
		});
		for (const req of ["which functions call getUserById and why", "all calls to fetchUser along with their arguments"]) {
			assert.deepEqual(route(req, "SEARCH", both), { kind: "llm" }, req);
		}
	});

	it("reads one named file asked for with nothing but a verb of reading, whatever the intent label", () => {
		// The intent model calls "read ..." MANAGE (shell tasks "read" a variable from input); the words leave no other reading.
		const cases: [string, string][] = [
			["read the file src/server.ts", "src/server.ts"],
			["read src/server.ts", "src/server.ts"],
			["Read the file config.yaml", "config.yaml"],
			["please read file package.json", "package.json"],
			["show the whole text of the file `lib/config.ts`.", "lib/config.ts"],
		];
		for (const [req, path] of cases) {
			const r = route(req, "MANAGE", [fs()]);
			assert.equal(r.kind, "mcp", req);
			assert.ok(!r.then_llm, req);
			assert.deepEqual(r.arguments, { path }, req);
		}
		// Anything more than the read is asked of an LLM: a question about the file, a folder, a variable filled from a file.
		for (const req of ["read package.json and tell me the version", "read the file src/ ", "read a.txt into a variable", "read lines of file.txt"]) {
			const r = route(req, "MANAGE", [fs()]);
			assert.ok(r.kind === "llm" || r.then_llm === true, req);
		}
	});

	it("routes a content search only when every phrase is a search_text argument (the search cover)", () => {
		const both = [fs(), search()];
		const cases: [string, Record<string, unknown>][] = [
			// Real requests (data/train, data/holdout): the case, the file type and a pager are arguments or what the tool shows anyway.
			[
				'Case-insensitive search for "error" in file report.txt, display one page at a time, waiting for user interaction between each.',
				{ pattern: "error", path: "report.txt", case_sensitive: false },
			],
			['Check all .txt files whether they contain "needle"', { pattern: "needle", path: ".", glob: "**/*.txt" }],
			["Is there anywhere in the repo that still references the old domain api.acme-legacy.com?", { pattern: "api.acme-legacy.com", path: "." }],
			// grep's own flags: the quiet ones and -i are the tool's; -c counts, -w and -v are options search_text does not take.
			["grep -rn TODO src/", { pattern: "TODO", path: "src" }],
			['grep -i "foo bar" in the python files', { pattern: "foo bar", path: ".", glob: "**/*.py", case_sensitive: false }],
		];
		for (const [req, args] of cases) assert.deepEqual(route(req, "SEARCH", both).arguments, args, req);
		for (const req of [
			// Real requests a looser rule answered with a search that drops part of the ask.
			'Use "/var/log/wtmp" and print IPs and search for "^msw.*127.0.0.1"',
			"Serach for all the files containing grep in man pages",
			'Concatenate all files under the current directory and below that contain "test" in their names',
			"Which React components still extend React.Component instead of using hooks?",
			"grep the whole monorepo (all 9 packages) for STRIPE_KEY, STRIPE_WEBHOOK_SECRET, PAYPAL_CLIENT_ID and BRAINTREE_TOKEN, and give me file paths and line numbers grouped by package",
			"grep -c TODO src/",
			"grep -w foo src/",
			"grep for TODO in src/ and count them",
			"where is parseConfig used, and then rename it",
		]) {
			const r = route(req, "SEARCH", both);
			assert.ok(r.kind === "llm" || r.then_llm === true, req);
		}
	});

	it("searches for a version as a number: 2.3.x is any 2.3 patch, 1.4.0 is not 11.4.0", () => {
		const both = [fs(), search()];
		assert.deepEqual(route("which helm charts under charts/ still pin the 1.4.x image?", "SEARCH", both).arguments, {
			pattern: "(?<![\\d.])1\\.4\\.\\d+(?!\\d)",
			path: "charts",
			regex: true,
		});
		assert.deepEqual(route("what files still reference version 0.9.2", "SEARCH", both).arguments, {
			pattern: "(?<![\\d.])0\\.9\\.2(?!\\d)",
			path: ".",
			regex: true,
		});
		assert.deepEqual(route("which json files mention v3.0.1", "SEARCH", both).arguments, {
			pattern: "(?<![\\d.])3\\.0\\.1(?!\\d)",
			path: ".",
			glob: "**/*.json",
			regex: true,
		});
		const re = new RegExp(route("which files point at release 4.2.x", "SEARCH", both).arguments!.pattern as string);
		assert.deepEqual(
			["image: api:4.2.17", "version: 4.2.0", "tag: 14.2.3", "4.20.1", "v4.3.0"].map(l => re.test(l)),
			[true, true, false, false, false],
		);
		// With a library named too, two terms without grep: the LLM.
		assert.deepEqual(route("which files import lodash 4.17", "SEARCH", both), { kind: "llm" });
	});

	it("answers a key's value in a named file with the lines that set it, not with the LLM", () => {
		const both = [fs(), search()];
		for (const [req, key, path] of [
			["what's DEBUG set to in config/settings.py?", "DEBUG", "config/settings.py"],
			["value of timeout in deploy/config.yaml", "timeout", "deploy/config.yaml"],
			["what is spring.datasource.url set to in application.properties", "spring\\.datasource\\.url", "application.properties"],
			["the port setting in redis.conf pls", "port", "redis.conf"],
			["whats the maxPoolSize option in db.config.js", "maxPoolSize", "db.config.js"],
			["what's the DATABASE_URL env var in .env.example", "DATABASE_URL", ".env.example"],
			["What is `LOG_LEVEL` in app/constants.py?", "LOG_LEVEL", "app/constants.py"],
		]) {
			assert.deepEqual(
				route(req, "READ", both),
				{
					kind: "mcp",
					service: "mcp.search",
					tool: "search_text",
					arguments: { pattern: `(?<![\\w-])${key}(?![\\w-])`, path, regex: true, case_sensitive: false, value_block: true },
				},
				req,
			);
		}
		const re = new RegExp(route("what is replicas set to in values.yaml", "READ", both).arguments!.pattern as string, "i");
		assert.deepEqual(
			["replicas: 3", '  "replicas": 2,', "minReplicas: 1", "max-replicas: 9", "# replicas for prod"].map(l => re.test(l)),
			[true, true, false, false, true],
		);
	});

	it("keeps questions about a value that want more than the value on the file-then-LLM chain", () => {
		const both = [fs(), search()];
		for (const req of [
			"explain the value of MAX_UPLOAD_SIZE in settings.py and whether it's safe",
			"what should MAX_UPLOAD_SIZE be set to in settings.py",
			"is DEBUG set to true in settings.py",
			"what does the CSRF_COOKIE_SECURE setting do in settings.py",
			"why is timeout set to 30 in config.yaml",
			"what's the value of the API key in .env",
			"what's the port value for redis in docker-compose.yml",
			"the image.tag value in values.yaml",
			"what is getUserById in users.ts",
		]) {
			const r = route(req, "READ", both);
			assert.equal(r.then_llm, true, `${req}: ${JSON.stringify(r)}`);
		}
	});

	it("never answers 'Find all directories under X and set their SGID bit' (an act) with a listing (blind51's 8530)", () => {
		const both = [fs(), search()];
		const r = route("Find all directories under /var/www/some/subset and set their SGID bit", "SEARCH", both);
		assert.ok(r.kind !== "mcp" || r.then_llm === true, JSON.stringify(r));
		assert.deepEqual(route("Find all directories under /var/www with the SGID bit set", "SEARCH", both).arguments, {
			path: "/var/www",
			type: "directory",
			permissions_any: "2000",
		});
	});

	it("reads a line range with read_lines, unless more than the range is asked for", () => {
		const both = [fs(), search()];
		assert.deepEqual(route("show lines 10 to 40 of src/app.ts", "READ", both), {
			kind: "mcp",
			service: "mcp.search",
			tool: "read_lines",
			arguments: { path: "src/app.ts", start: 10, end: 40 },
		});
		assert.deepEqual(route("can you print line 42 of main.py", "READ", both).arguments, { path: "main.py", start: 42, end: 42 });
		assert.deepEqual(route("internal/api/server.go lines 300–345 please", "READ", both).arguments, {
			path: "internal/api/server.go",
			start: 300,
			end: 345,
		});
		for (const req of [
			"lines 200-340 of services/ledger/reconcile.py, plus the import block at the top of the file",
			"what do lines 10-20 of main.py do",
			"lines 1-5000 of logs/big.log",
			"lines 40-30 of a.py",
			"explain lines 5-9 of util.rs",
			// One end only: the rest of the file, not that one line (read_lines would have given line 2 alone).
			'Print "foo.txt" from line 2',
			'Print the contents of "foo.txt" starting with line 2',
			"show line 10 onward of queue.go",
		]) {
			assert.equal(route(req, "READ", both).then_llm, true, req);
		}
		assert.deepEqual(route("show from line 10 to line 20 of a.py", "READ", both).arguments, { path: "a.py", start: 10, end: 20 });
	});

	it("takes an extensionless path with a line range or after cat for a file, not a folder to list", () => {
		const both = [fs(), search()];
		assert.deepEqual(route("print lines 1-3 of .ci/run", "READ", both).arguments, { path: ".ci/run", start: 1, end: 3 });
		assert.deepEqual(route("cat bin/deploy", "READ", both), {
			kind: "mcp",
			service: "mcp.filesystem",
			tool: "read_text_file",
			arguments: { path: "bin/deploy" },
		});
		assert.deepEqual(route("ls bin/deploy", "READ", both), {
			kind: "mcp",
			service: "mcp.filesystem",
			tool: "list_directory",
			arguments: { path: "bin/deploy" },
		});
	});

	it("reads a version file whole: its one value is the answer", () => {
		const both = [fs(), search()];
		assert.deepEqual(route("which python version does .python-version pin?", "READ", both), {
			kind: "mcp",
			service: "mcp.filesystem",
			tool: "read_text_file",
			arguments: { path: ".python-version" },
		});
		assert.deepEqual(route("ruby version in .ruby-version?", "READ", both).arguments, { path: ".ruby-version" });
		assert.equal(route("why is the node version in .nvmrc 18 and not 20", "READ", both).then_llm, true);
	});

	it("finds files by size, age and content with find_files", () => {
		const both = [fs(), search()];
		assert.deepEqual(route("list files larger than 1.5 GB under data/", "SEARCH", both), {
			kind: "mcp",
			service: "mcp.search",
			tool: "find_files",
			arguments: { path: "data", min_bytes: 1610612736 },
		});
		assert.deepEqual(route("which files bigger than 10mb are in assets/", "SEARCH", both).arguments, { path: "assets", min_bytes: 10485760 });
		assert.deepEqual(route("files changed in the past 24 hours", "SEARCH", both).arguments, { path: ".", modified_within_days: 1 });
		assert.deepEqual(route("any .ts files edited within the last 3 days under src/ that contain 'retry budget'", "SEARCH", both).arguments, {
			path: "src",
			glob: "**/*.ts",
			modified_within_days: 3,
			contains: "retry budget",
		});
		assert.deepEqual(route("json files under 2kb in fixtures/", "SEARCH", both).arguments, { path: "fixtures", glob: "**/*.json", max_bytes: 2048 });
		for (const req of [
			"files modified in the last 7 days under src/payments/ that mention refund and who changed them",
			"files over 50MB owned by root",
			"files modified in the last 2 months",
			"why does the build write files over 2GB",
		]) {
			assert.deepEqual(route(req, "SEARCH", both), { kind: "llm" }, req);
		}
		// Only our search server has find_files.
		assert.deepEqual(route("list files larger than 1.5 GB under data/", "SEARCH"), { kind: "llm" });
	});

	it("reads find's phrasing of name, size, age and emptiness as find_files filters, and nothing it cannot apply", () => {
		const both = [fs(), search()];
		const args = (req: string) => route(req, "SEARCH", both).arguments;
		assert.deepEqual(args("Find regular files whose names end in .JPG"), { path: ".", name: "*.JPG" });
		assert.deepEqual(args("Find all regular files named waldo."), { path: ".", name: "waldo" });
		assert.deepEqual(args("Find all regular files named 'Waldo' under the current directory tree"), { path: ".", name: "Waldo" });
		assert.deepEqual(args("display all regular/normal files which have been modified in the last 30 minutes"), {
			path: ".",
			modified_within_days: 30 * (1 / 1440),
		});
		assert.deepEqual(args("Find all files modified less than 5 minutes ago"), { path: ".", modified_within_days: 5 * (1 / 1440) });
		assert.deepEqual(args("find all the files in the current folder which are bigger than 9MB"), { path: ".", min_bytes: 9 * 1024 ** 2 });
		assert.deepEqual(args("Locate files under src/ larger than 100 kilobytes"), { path: "src", min_bytes: 102400 });
		assert.deepEqual(args("Find all files in the current directory tree whose size is greater than 1MB"), { path: ".", min_bytes: 1024 ** 2 });
		assert.deepEqual(args("List all empty files under the current directory"), { path: ".", empty: true });
		// find_files now takes folders, owners, emptiness of folders and files modified before a time.
		assert.deepEqual(args("Find all directories named build under the current directory"), { path: ".", type: "directory", name: "build" });
		assert.deepEqual(args("Find files/directories that have not been modified in the last one day"), { path: ".", type: "any", modified_before_days: 1 });
		assert.deepEqual(args("find all the empty files and folders in your system"), { path: "/", type: "any", empty: true });
		assert.deepEqual(args("Find all files owned by the user tommye modified in the last 2 days"), { path: ".", owner: "tommye", modified_within_days: 2 });
		assert.deepEqual(args("Find all .ts files whose names begin with test"), { path: ".", name: "test*.ts" });
		assert.deepEqual(args("Find all 0644 permission files/directories under current directory tree and show only the first 10 of them"), {
			path: ".",
			type: "any",
			permissions: "644",
			max_results: 10,
		});
		assert.deepEqual(args("Find regular files that have SUID or SGID set"), { path: ".", permissions_any: "6000" });
		assert.deepEqual(args("Find all the files which were modified 50 days ago"), { path: ".", modified_before_days: 50, modified_within_days: 51 });
		assert.deepEqual(args("display all the hidden files in the folder /home"), { path: "/home", name: ".*" });
		// Since the cover reads times against a file and permission words, these are find_files calls too.
		assert.deepEqual(args("Find all files newer than httpd.conf under and below the current directory"), { path: ".", newer_than: "httpd.conf" });
		assert.deepEqual(args("Find regular files in the current directory tree that have executable bits set for the user and group but not for the other"), {
			path: ".",
			permissions_all: "110",
			permissions_none: "001",
		});
		// A folder to skip may be one NOT_FILES fears (.git): the cover explains it.
		assert.deepEqual(args('Find recursively the files named "file" in the current directory ignoring all .git directories'), {
			path: ".",
			exclude: [".git"],
			name: "file",
		});
		// A string to find is never the path searched, "filenames matching X" asks for names, awk fields are more than locating.
		for (const req of [
			'Search for filenames matching "android" in the current directory and number the output',
			'Search for the system host name in "/etc/hosts" and print the IP address in the first awk field',
		]) {
			const r = route(req, "SEARCH", both);
			assert.ok(r.kind === "llm" || r.then_llm === true, req);
		}
		for (const req of [
			"Find all files newer than httpd.conf under and below the current directory and delete them",
			"Find all links to path/to/file",
			"Find all *.c files on the system and feed the output to wc",
			"Print a list of all filepattern-*2009* files/directories under data directory to filesOfInterest.txt file",
			"Search for 'Processed Files' in all $srch* (case insensitive) files under current directory run the sed script 'N;s/(.*)\\n(.*)/\\2 \\1/' on the output",
		]) {
			// A named file (httpd.conf) may still be fetched for the LLM; never answered by a tool alone.
			const r = route(req, "SEARCH", both);
			assert.ok(r.kind === "llm" || r.then_llm === true, req);
		}
	});

	it("prints every file of a type in a folder with read_files, and leaves name listings to the name search", () => {
		const both = [fs(), search()];
		assert.deepEqual(route("cat all the .sql files in db/migrations", "READ", both), {
			kind: "mcp",
			service: "mcp.search",
			tool: "read_files",
			arguments: { path: "db/migrations", glob: "**/*.sql" },
		});
		assert.deepEqual(route("dump the contents of every json file under fixtures/, each with its filename", "READ", both).arguments, {
			path: "fixtures",
			glob: "**/*.json",
		});
		assert.deepEqual(route("show me all the .proto files", "SEARCH", both).arguments, { path: ".", name: "*.proto" });
		assert.deepEqual(route("dump every json file under fixtures/ and explain them", "READ", both), { kind: "llm" });
		// Without read_files (a search server not serving reads), listing the names would not answer it.
		assert.deepEqual(route("cat all the .sql files in db/migrations", "READ", [fs(), search({ capabilities: ["search"] })]), { kind: "llm" });
	});

	it("answers with no listing, name search or whole-file read what asks for contents, a count or a diagnosis", () => {
		const both = [fs(), search()];
		for (const req of [
			"print all the yaml files in k8s/ and tell me what's wrong",
			"list the files in src/ and count them",
			"the files in src/ that are over 500 lines",
		]) {
			assert.deepEqual(route(req, "READ", both), { kind: "llm" }, req);
		}
		assert.equal(route("line 42 of main.py throws a KeyError", "READ", both).then_llm, true);
	});

	it('sends "where is X defined" to find_definition', () => {
		assert.deepEqual(route("where is `calculateTax` defined?", "SEARCH", [fs(), search()]), {
			kind: "mcp",
			service: "mcp.search",
			tool: "find_definition",
			arguments: { name: "calculateTax", path: "." },
		});
		assert.deepEqual(route("find the definition of UserService under src/", "SEARCH", [search()]).arguments, { name: "UserService", path: "src" });
	});

	it("leaves searches that ask for more than the places to the LLM", () => {
		for (const req of [
			"find the bug in getUserById and fix it",
			"find out why getUserById returns null",
			"are there env variables read via os.getenv that aren't documented in docs/config.md?",
			"find all places where we call the Stripe API without passing an idempotency key",
			"grep for STRIPE_KEY and PAYPAL_CLIENT_ID and give me the results grouped by author",
			"search the logs for 'connection reset' and tell me which hosts it happened on",
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
		for (const req of [
			"grep for TODO in src/",
			"all usages of getUserById",
			"which files import lodash",
			"where is `calculateTax` defined?",
			"Files under src/payments/ that mention refund",
		]) {
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
		const odd = FS_TOOLS.map(t =>
			t.name === "read_text_file" ? { ...t, inputSchema: { type: "object", properties: { uri: str }, required: ["uri"] } } : t,
		);
		assert.deepEqual(route("show me config/prod.yaml", "READ", [fs({ tools: odd })]), { kind: "llm" });
	});

	it("never picks a write or manage tool from free text", () => {
		const writes: McpToolInfo[] = [{ name: "read_text_file", kind: "write", inputSchema: FS_TOOLS[0].inputSchema }];
		assert.deepEqual(route("show me config/prod.yaml", "READ", [fs({ tools: writes })]), { kind: "llm" });
	});

	it("lets no looser rule answer a find task the find cover refused, except the text of every file of a type", () => {
		// Blind set 6's false route (line 1152): the cover refused it, a looser rule listed "*.so" under "files/directories".
		assert.equal(
			fileOp(
				"Find all *.so files/directories under current directory and run myCommand with the file/directory paths as its argument then search for ExpectedResult in the output of myCommand",
				"SEARCH",
			),
			null,
		);
		// Round 11 reads "not greater than 20MB" (at most), so the cover answers this one whole; with a condition it cannot read, no rule does.
		assert.deepEqual(
			fileOp("Find all *.ogg (case insensitive) files/directories under your home directory that are not greater than 20MB in size", "SEARCH")?.cover,
			true,
		);
		assert.equal(
			fileOp("Find all *.ogg (case insensitive) files/directories under your home directory that are smaller than the biggest one", "SEARCH"),
			null,
		);
		assert.deepEqual(fileOp("print every YAML file in k8s/overlays/staging/ one after another with the filename as a header", "READ")?.op.op, "read_files");
	});

	it("sends a regex on whole paths to find_files' path_regex, as one zero-token call", () => {
		const request = "Find all files under current directory matching the regex '.*/logs/.*\\.gz' in their paths";
		const r = chooseRoute({ request, intent: "SEARCH" }, [fs(), search()]);
		assert.deepEqual([r.kind, r.tool, r.then_llm, r.arguments], ["mcp", "find_files", undefined, { path: ".", path_regex: ".*/logs/.*\\.gz" }]);
	});

	it("reads one named file: its first or last line, a path said to be a file, and never lists a file whose contents are asked (round 11)", () => {
		assert.deepEqual(fileOp("Print the first 10 lines of file.txt", "READ"), { op: { op: "read", path: "file.txt", head: 10 }, chain: false });
		assert.deepEqual(fileOp("Print the last line of log.txt", "READ"), { op: { op: "read", path: "log.txt", tail: 1 }, chain: false });
		assert.deepEqual(fileOp("Print the last 5 lines of the file /var/log/syslog", "READ"), {
			op: { op: "read", path: "/var/log/syslog", tail: 5 },
			chain: false,
		});
		// Written for the round: a tail of an extensionless path, an ordinal line, the modification time, "output", a pager.
		assert.deepEqual(fileOp("Display the last 20 lines of /var/log/syslog", "READ"), {
			op: { op: "read", path: "/var/log/syslog", tail: 20 },
			chain: false,
		});
		assert.deepEqual(fileOp("Print the 5th line of notes.txt", "READ")?.op, { op: "lines", path: "notes.txt", start: 5, end: 5 });
		assert.deepEqual(fileOp("Print the last modification time of config.yaml", "READ"), { op: { op: "info", path: "config.yaml" }, chain: false });
		assert.deepEqual(fileOp("Output the contents of 'data.csv'", "READ"), { op: { op: "read", path: "data.csv" }, chain: false });
		assert.deepEqual(fileOp("Display file.txt page by page", "READ"), { op: { op: "read", path: "file.txt" }, chain: false });
		for (const request of [
			"Print the 5th line of notes.txt in uppercase",
			"Output the contents of data.csv as a table",
			"Display the last 20 lines of /var/log/syslog and follow it",
		]) {
			const r = chooseRoute({ request, intent: "READ" }, [fs(), search()]);
			assert.ok(r.kind !== "mcp" || r.then_llm, request);
		}
		// ls -l on one named file: its metadata.
		assert.deepEqual(fileOp("Print a long listing of the file notes.txt", "READ"), { op: { op: "info", path: "notes.txt" }, chain: false });
		// Before round 11 the find cover answered this with a listing of /etc/passwd itself.
		assert.deepEqual(fileOp("display the contents of /etc/passwd", "READ"), { op: { op: "read", path: "/etc/passwd" }, chain: false });
		assert.equal(fileOp("show the contents of the folder /var/www", "READ")?.op.op, "find_files");
		// More than the text: not a zero-token read.
		for (const request of [
			'Print the last line of "$file1" to the console and append to "$file2"',
			"Print only first line of 'file' content, formatted as 29-symbol wide column",
			"Save the first line of foo.txt to variable bar",
		]) {
			const r = chooseRoute({ request, intent: "READ" }, [fs(), search()]);
			assert.ok(r.kind !== "mcp" || r.then_llm, request);
		}
	});

	it("never answers a search for text in files of a type with their names (a wrong zero-token answer on main, found with written wordings)", () => {
		const both = [fs(), search()];
		const r = chooseRoute(
			{ request: 'Recursively search for all occurrences of "foo" in *.txt files under the current directory', intent: "SEARCH" },
			both,
		);
		assert.deepEqual([r.tool, r.arguments], ["search_text", { pattern: "foo", path: ".", glob: "**/*.txt" }]);
		// No looser rule lists the files for it when the cover refuses: a quoted string besides the names is their text.
		assert.equal(fileOp('Recursively look for each "foo" somewhere in the *.txt files', "SEARCH"), null);
	});

	it("never answers a line of each file found with the names of the files (blind10's false route, after its first run)", () => {
		const both = [fs(), search()];
		const zero = (r: { kind: string; then_llm?: boolean }) => r.kind === "mcp" && !r.then_llm;
		for (const request of [
			"Find all Makefile's in the current directory tree and look for line 235 in each of them",
			"find every Dockerfile and show line 3",
			"locate all the README.md files and print lines 1 to 5",
		])
			for (const intent of ["READ", "SEARCH"] as Intent[]) assert.equal(zero(chooseRoute({ request, intent }, both)), false, request);
		// Without a line asked, every Makefile is a name search.
		assert.equal(zero(chooseRoute({ request: "Find all Makefiles", intent: "SEARCH" }, both)), true);
	});

	it("takes opening files in an editor for an act, not a listing (blind9's false route, after its first run)", () => {
		const both = [fs(), search()];
		const zero = (r: { kind: string; then_llm?: boolean }) => r.kind === "mcp" && !r.then_llm;
		for (const intent of ["READ", "SEARCH", "MANAGE"] as Intent[]) {
			assert.equal(zero(chooseRoute({ request: "Open all .java files in the current directory tree in the vim editor", intent }, both)), false);
			assert.equal(zero(chooseRoute({ request: "open src/server.ts in an editor", intent }, both)), false);
		}
		// Without an editor, opening a named file is still showing it.
		assert.equal(zero(chooseRoute({ request: "open src/server.ts", intent: "READ" }, both)), true);
	});

	it("answers a find task explained whole whatever the intent label or the gate's doubt, and never an act", () => {
		const both = [fs(), search()];
		const zero = (r: { kind: string; then_llm?: boolean }) => r.kind === "mcp" && !r.then_llm;
		const doubt = { intent_confidence: ZERO_TOKEN_GATE.minIntentConfidence / 2, answerable: ZERO_TOKEN_GATE.minAnswerable / 2 };
		// Blind set 7's line 998, which the intent model calls MANAGE: nothing but a find query.
		const covered = 'Get a detailed listing of all symbolic links in /usr/bin starting with "z"';
		for (const intent of ["MANAGE", "WRITE", "ANALYZE", "SEARCH"] as Intent[]) {
			const r = chooseRoute({ request: covered, intent, ...doubt }, both);
			assert.ok(zero(r), intent);
			assert.equal(r.tool, "find_files");
			assert.ok(zero(gatedRoute({ request: covered, intent, intent_confidence: doubt.intent_confidence }, both)), intent);
		}
		// An act on what is found is never explained by the cover: the LLM path under every label and any confidence.
		for (const request of [
			"Find all *.log files under /var/tmp and delete them",
			"find all the .tmp files in the current folder and delete them",
			"Count the number of regular files in the current directory tree",
			"find all the files in the current folder which have been modified in the last 24 hours and compress them",
		]) {
			for (const intent of ["MANAGE", "WRITE", "ANALYZE", "SEARCH", "READ"] as Intent[]) {
				assert.ok(!zero(chooseRoute({ request, intent, intent_confidence: 0.99, answerable: 0.99 }, both)), `${intent} ${request}`);
				assert.ok(!zero(gatedRoute({ request, intent, intent_confidence: 0.99 }, both)), `${intent} ${request}`);
			}
		}
	});
});

describe("router: a condition on names is never a content search (round 19, blind20's false route)", () => {
	it("leaves 'with names containing X' to the name cover or the LLM, never to search_text", () => {
		assert.equal(fileOp("List all variables (names only) with names containing X.", "SEARCH"), null);
		assert.equal(fileOp("list all shell functions with 'git' in their names", "SEARCH"), null);
		// A content search said plainly still is one.
		assert.equal(fileOp('grep for "TODO" in src/', "SEARCH")?.op.op, "grep");
	});
});

describe("router/route: round 21 (from blind22's first run)", () => {
	it("never answers links judged by their contents with a name search of the links' own paths", () => {
		// Since round 48 the cover answers them by target (find_files' link_target, find -lname), never by the links' names.
		assert.deepEqual(fileOp('Search the current directory tree for symlinks whose contents match pattern "*sysdep.c"', "SEARCH"), {
			op: { op: "find_files", path: ".", type: "symlink", link_target: "*sysdep.c" },
			chain: false,
			cover: true,
		});
		assert.deepEqual(fileOp('find the symbolic links in /usr whose targets match "*python3"', "SEARCH"), {
			op: { op: "find_files", path: "/usr", type: "symlink", link_target: "*python3" },
			chain: false,
			cover: true,
		});
	});

	it("never answers a list of kinds with a name search for the last of them (blind30's 4900, round 25)", () => {
		assert.equal(fileOp("where are the .png and .jpg files", "SEARCH"), null);
		assert.equal(fileOp("where are the .png, .jpg files", "SEARCH"), null);
		assert.deepEqual(fileOp("where are the .png files", "SEARCH"), { op: { op: "find", path: ".", pattern: "**/*.png" }, chain: false });
	});
});
