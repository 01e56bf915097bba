import { strict as assert } from "node:assert";
import { mkdir, mkdtemp, realpath, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ServiceBroker } from "moleculer";
import { PROJECT_ROOT } from "../../lib/config";
import { liveServices, type McpMetadata } from "../../lib/registry";
import type { OrchestrateResult } from "../../lib/contracts";
import { testBroker } from "../helpers";
import { callError, untilConnected, workspaceConfig } from "./mcp-support";

interface Answer {
	text: string;
	isError?: boolean;
	structured?: {
		matches: { file: string; line: number; text: string; in?: string }[];
		truncated: boolean;
		files_scanned: number;
		files_skipped: number;
		files_too_large?: number;
	};
}

const SERVER = join(PROJECT_ROOT, "mcp-servers/workspace-search.js");

/** Every tool taking a path, called with one that leads out of the root (through a link: to the file behind it). */
function escapes(path: string): [string, Record<string, unknown>][] {
	return [
		["search_text", { pattern: "getUserById", path }],
		["read_lines", { path: path === "elsewhere" ? "elsewhere/secret.txt" : path, start: 1, end: 1 }],
		["find_files", { path, contains: "TOP-SECRET" }],
		["read_files", { path }],
	];
}

/** A small workspace: code that uses and defines getUserById, a dependency folder, a binary, a big file, links out. */
async function makeWorkspace(workspace: string, outside: string) {
	await mkdir(join(workspace, "src/api"), { recursive: true });
	await mkdir(join(workspace, "lib"), { recursive: true });
	await mkdir(join(workspace, "node_modules/orm"), { recursive: true });
	await writeFile(join(workspace, "lib/users.ts"), "export function getUserById(id: string) {\n\treturn db.find(id);\n}\n");
	await writeFile(
		join(workspace, "src/api/users.ts"),
		'import { getUserById } from "../../lib/users";\n\nexport const show = (id: string) => getUserById(id); // TODO cache\n',
	);
	await writeFile(
		join(workspace, "src/jobs.py"),
		"from users import getUserById\n\ndef calculate_tax(amount):\n    return amount * 0.2\n\nprint(getUserById(7))\n",
	);
	await writeFile(join(workspace, "README.md"), "Call getUserById to load a user.\n");
	await writeFile(join(workspace, "node_modules/orm/index.js"), "module.exports.getUserById = () => null;\n");
	await writeFile(join(workspace, "logo.bin"), Buffer.concat([Buffer.from("getUserById"), Buffer.from([0, 1, 2, 0])]));
	await writeFile(join(workspace, "huge.log"), `getUserById\n${"x".repeat(1024 * 1024)}\n`);
	await writeFile(join(workspace, "todos.txt"), Array.from({ length: 12 }, (_, i) => `TODO item ${i + 1}`).join("\n"));
	await writeFile(
		join(workspace, "settings.py"),
		"# uploads\nMAX_UPLOAD_SIZE = 10 * 1024 * 1024\nDATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_SIZE\nMAX_UPLOAD_SIZE_MB = 10\n",
	);
	await mkdir(join(workspace, "helm"), { recursive: true });
	await writeFile(join(workspace, "helm/values.yaml"), "replicaCount: 2\nresources:\n  limits:\n    cpu: 500m\n\n    memory: 512Mi\nservice:\n  port: 80\n");
	await mkdir(join(workspace, "deploy/base"), { recursive: true });
	await writeFile(join(workspace, "deploy/api.yaml"), "kind: Deployment\nimage: acme/api:2.3.4\n");
	await writeFile(join(workspace, "deploy/base/worker.yml"), "kind: Deployment\nimage: acme/worker:2.4.0\n");
	await writeFile(join(workspace, "deploy/notes.md"), "api moved off 2.3.1\n");
	// An old file, for the modified-within filter.
	await utimes(join(workspace, "deploy/notes.md"), new Date("2020-01-01"), new Date("2020-01-01"));
	await writeFile(join(outside, "secret.txt"), "getUserById TOP-SECRET\n");
	await symlink(join(outside, "secret.txt"), join(workspace, "leak.txt"));
	await symlink(outside, join(workspace, "elsewhere"));
}

describe("mcp.search: our content-search server over stdio", function () {
	this.timeout(20_000);
	let workspace: string;
	let outside: string;
	let broker: ServiceBroker;
	const call = (tool: string, args: Record<string, unknown>) => broker.call<Answer, unknown>("mcp.search.callTool", { tool, arguments: args });

	before(async () => {
		workspace = await realpath(await mkdtemp(join(tmpdir(), "orch-search-")));
		outside = await realpath(await mkdtemp(join(tmpdir(), "orch-outside-")));
		await makeWorkspace(workspace, outside);
		broker = testBroker({
			services: ["orchestrator", "intent", "complexity", "router", "prompt", "models", "metrics", "mcp.search"],
			config: workspaceConfig(workspace),
		});
		await broker.start();
		await untilConnected(broker, "mcp.search");
	});

	after(async () => {
		await broker?.stop();
		await rm(workspace, { recursive: true, force: true });
		await rm(outside, { recursive: true, force: true });
	});

	it("publishes its read-only search tools, its root and the search capability", () => {
		const svc = liveServices<McpMetadata>(broker, "mcp").find(s => s.service === "mcp.search");
		assert.ok(svc, "mcp.search is live");
		const tools = Object.fromEntries(svc.meta.tools.map(t => [t.name, t]));
		assert.deepEqual(Object.keys(tools).sort(), ["find_definition", "find_files", "list_allowed_directories", "read_files", "read_lines", "search_text"]);
		assert.ok(Object.values(tools).every(t => t.kind === "read"));
		assert.deepEqual(svc.meta.capabilities, ["read", "search"]);
		assert.deepEqual(svc.meta.roots, [workspace]);
	});

	it("finds every usage as file:line: text, skipping node_modules, binary files, files over the size cap and links out of the root", async () => {
		const res = await call("search_text", { pattern: "getUserById" });
		assert.ok(!res.isError);
		assert.deepEqual(res.text.split("\n"), [
			"README.md:1: Call getUserById to load a user.",
			"lib/users.ts:1: export function getUserById(id: string) {",
			"src/jobs.py:1: from users import getUserById",
			"src/jobs.py:6: print(getUserById(7))",
			'src/api/users.ts:1: import { getUserById } from "../../lib/users";',
			"src/api/users.ts:3: export const show = (id: string) => getUserById(id); // TODO cache",
		]);
		assert.equal(res.structured?.truncated, false);
		assert.equal(res.structured?.matches.length, 6);
		assert.deepEqual(res.structured?.matches[3], { file: "src/jobs.py", line: 6, text: "print(getUserById(7))" });
		assert.equal(res.structured?.files_skipped, 2, "logo.bin (binary) and huge.log (over 1 MB)");
		assert.ok(!res.text.includes("TOP-SECRET"));
	});

	it("narrows by folder and glob, and matches case-insensitively or by regex when asked", async () => {
		const ts = await call("search_text", { pattern: "getUserById", glob: "**/*.ts" });
		assert.deepEqual(
			ts.structured?.matches.map(m => `${m.file}:${m.line}`),
			["lib/users.ts:1", "src/api/users.ts:1", "src/api/users.ts:3"],
		);
		const py = await call("search_text", { pattern: "getUserById", path: "src", glob: "*.py" });
		assert.deepEqual(
			py.structured?.matches.map(m => `${m.file}:${m.line}`),
			["src/jobs.py:1", "src/jobs.py:6"],
		);
		const lower = await call("search_text", { pattern: "GETUSERBYID", path: "lib", case_sensitive: false });
		assert.equal(lower.structured?.matches.length, 1);
		const re = await call("search_text", { pattern: "getUserById\\(\\d+\\)", regex: true });
		assert.equal(re.text, "src/jobs.py:6: print(getUserById(7))");
		// One named file as the path: its matching lines only (what the router sends for "Print lines in src/jobs.py that contain ...").
		const one = await call("search_text", { pattern: "getUserById", path: "src/jobs.py" });
		assert.deepEqual(
			one.structured?.matches.map(m => `${m.file}:${m.line}`),
			["src/jobs.py:1", "src/jobs.py:6"],
		);
	});

	it("finds definitions, not uses, across languages", async () => {
		const ts = await call("find_definition", { name: "getUserById" });
		assert.equal(ts.text, "lib/users.ts:1: export function getUserById(id: string) {");
		const py = await call("find_definition", { name: "calculate_tax" });
		assert.equal(py.text, "src/jobs.py:3: def calculate_tax(amount):");
		const none = await call("find_definition", { name: "nowhere" });
		assert.equal(none.text, "No definitions found.");
	});

	it("names the function each match is in when asked", async () => {
		const res = await call("search_text", { pattern: "getUserById(", enclosing: true });
		assert.deepEqual(res.text.split("\n"), [
			"lib/users.ts:1 (top level): export function getUserById(id: string) {",
			"src/jobs.py:6 (top level): print(getUserById(7))",
			"src/api/users.ts:3 (in show): export const show = (id: string) => getUserById(id); // TODO cache",
		]);
		const inside = await call("search_text", { pattern: "amount * 0.2", path: "src", enclosing: true });
		assert.equal(inside.text, "src/jobs.py:4 (in calculate_tax): return amount * 0.2");
		assert.deepEqual(inside.structured?.matches[0], { file: "src/jobs.py", line: 4, text: "return amount * 0.2", in: "calculate_tax" });
		// No patterns for Markdown: no name, rather than a wrong one.
		const md = await call("search_text", { pattern: "Call getUserById", enclosing: true });
		assert.equal(md.text, "README.md:1: Call getUserById to load a user.");
	});

	it("bounds the results and says so", async () => {
		const res = await call("search_text", { pattern: "TODO item", max_results: 5 });
		assert.equal(res.structured?.matches.length, 5);
		assert.equal(res.structured?.truncated, true);
		assert.match(res.text, /\(stopped at 5 matches; narrow the search with path or glob\)$/);
	});

	it("never answers a bare 'No matches found.' for a search that did not look everywhere: over-size files and the walk's file cap are said", async function () {
		this.timeout(60_000);
		// huge.log (over 1 MB) is the one file naming this: before, the answer claimed it was nowhere.
		const big = await call("search_text", { pattern: "x".repeat(50) });
		assert.equal(big.text, "No matches found.\n(1 file over 1 MB not searched)");
		assert.equal(big.structured?.files_too_large, 1);
		// A folder with more files than one walk visits (20,000): the files past the cap were never read.
		const many = join(workspace, "many");
		await mkdir(many);
		for (let i = 0; i < 20_001; i += 1000)
			await Promise.all(
				Array.from({ length: Math.min(1000, 20_001 - i) }, (_, j) => writeFile(join(many, `f${String(i + j).padStart(5, "0")}.txt`), "")),
			);
		try {
			const capped = await call("search_text", { pattern: "absent_everywhere", path: "many" });
			assert.equal(capped.structured?.truncated, true);
			assert.equal(
				capped.text,
				"No matches found.\n(stopped after 20000 files, the most one search walks: the files past them were not searched; narrow the search with path or glob)",
			);
			const found = await call("find_files", { path: "many", name: "nothing-like-this" });
			assert.match(found.text, /^No files found\.\n\(stopped after 20000 files, the most one search walks/);
		} finally {
			await rm(many, { recursive: true, force: true });
		}
	});

	it("reads a line range, streaming files of any size, and says where a short file ends", async () => {
		const res = await call("read_lines", { path: "src/jobs.py", start: 3, end: 4 });
		assert.equal(res.text, "3: def calculate_tax(amount):\n4:     return amount * 0.2");
		assert.deepEqual(res.structured, {
			file: "src/jobs.py",
			start: 3,
			end: 4,
			lines: [
				{ line: 3, text: "def calculate_tax(amount):" },
				{ line: 4, text: "    return amount * 0.2" },
			],
			file_ended: false,
		});
		const tail = await call("read_lines", { path: "lib/users.ts", start: 2, end: 50 });
		assert.equal(tail.text, "2: \treturn db.find(id);\n3: }\n(the file ends at line 3)");
		// Over the 1 MB cap of the searches, but streamed: only the lines asked for are read.
		const big = await call("read_lines", { path: "huge.log", start: 1, end: 1 });
		assert.equal(big.text, "1: getUserById");
	});

	it("refuses a bad line range with a clear error naming the field", async () => {
		const past = await call("read_lines", { path: "lib/users.ts", start: 90, end: 95 });
		assert.equal(past.isError, true);
		assert.equal(past.text, "path 'lib/users.ts' has 3 lines, none from line 90");
		const reversed = await call("read_lines", { path: "lib/users.ts", start: 5, end: 2 });
		assert.equal(reversed.text, "end (2) is before start (5)");
		const long = await call("read_lines", { path: "lib/users.ts", start: 1, end: 5000 });
		assert.match(long.text, /^end: at most 2000 lines per call/);
		const folder = await call("read_lines", { path: "src", start: 1, end: 2 });
		assert.equal(folder.text, "path 'src' is a folder, not a file");
		const bin = await call("read_lines", { path: "logo.bin", start: 1, end: 2 });
		assert.equal(bin.text, "path 'logo.bin' is a binary file");
		const err = await callError(call("read_lines", { path: "lib/users.ts", start: 0, end: 2 }));
		assert.equal(err.code, 422);
		assert.match(err.message, /start/);
	});

	it("finds files by size, modification time and content", async () => {
		const big = await call("find_files", { min_bytes: 1024 * 1024 });
		assert.match(big.text, /^huge\.log \(1\.0 MB, modified \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/);
		assert.equal((big.structured as unknown as { files: { file: string; bytes: number }[] }).files[0].bytes, 1024 * 1024 + "getUserById\n\n".length);
		const recent = await call("find_files", { path: "deploy", modified_within_days: 7 });
		assert.deepEqual(
			recent.text.split("\n").map(l => l.split(" ")[0]),
			["deploy/api.yaml", "deploy/base/worker.yml"],
		);
		const mentions = await call("find_files", { glob: "**/*.{yaml,yml}", contains: "acme/api" });
		assert.deepEqual(
			mentions.text.split("\n").map(l => l.split(" ")[0]),
			["deploy/api.yaml"],
		);
		const none = await call("find_files", { path: "lib", min_bytes: 10_000_000 });
		assert.equal(none.text, "No files found.");
	});

	it("prints every matching file under a header, bounded", async () => {
		const res = await call("read_files", { path: "deploy", glob: "**/*.{yaml,yml}" });
		assert.equal(
			res.text,
			"==> deploy/api.yaml <==\nkind: Deployment\nimage: acme/api:2.3.4\n\n==> deploy/base/worker.yml <==\nkind: Deployment\nimage: acme/worker:2.4.0",
		);
		const one = await call("read_files", { path: "deploy", max_files: 1 });
		assert.match(one.text, /^==> deploy\/api\.yaml <==[^]*\(stopped after 1 files; narrow the glob or raise max_files\)$/);
		const file = await call("read_files", { path: "settings.py" });
		assert.equal(file.isError, true);
		assert.equal(file.text, "path 'settings.py' is a file; read_files reads a folder");
	});

	for (const [what, path] of [
		["a relative path climbing out", "../"],
		["an absolute path elsewhere", "/etc"],
		["a symlinked folder pointing out", "elsewhere"],
		["a symlinked file pointing out", "leak.txt"],
	]) {
		it(`refuses ${what} (${path})`, async () => {
			for (const [tool, args] of escapes(path)) {
				const err = await callError(call(tool, args));
				assert.equal(err.type, "PATH_OUTSIDE_ROOT", tool);
				assert.ok(!err.message.includes("TOP-SECRET"));
			}
		});
	}

	it("answers bad input with a clear error result or a validation error naming the field", async () => {
		const re = await call("search_text", { pattern: "(", regex: true });
		assert.equal(re.isError, true);
		assert.match(re.text, /pattern is not a valid regular expression/);
		const missing = await call("search_text", { pattern: "x", path: "no/such/dir" });
		assert.equal(missing.isError, true);
		assert.match(missing.text, /path '.*no\/such\/dir' does not exist/);
		const err = await callError(call("find_definition", { name: "two words" }));
		assert.equal(err.code, 422);
		assert.match(err.message, /name/);
	});

	it('answers "find all usages of getUserById" with search_text: route mcp, zero tokens, the matches as output', async () => {
		const res = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request: "find all usages of getUserById" });
		assert.deepEqual(res.route, { kind: "mcp", service: "mcp.search", tool: "search_text", arguments: { pattern: "getUserById", path: "." } });
		assert.equal(res.input_tokens, 0);
		assert.deepEqual(res.usage, { input_tokens: 0, output_tokens: 0 });
		assert.equal(res.cost_usd, 0);
		assert.equal(res.model, null);
		const output = res.output ?? "";
		assert.match(output, /^lib\/users\.ts:1: export function getUserById/m);
		assert.match(output, /^src\/api\/users\.ts:3: .*getUserById\(id\)/m);
		assert.ok(!output.includes("node_modules"));
	});

	it("answers a key's value, a line range and a version search with one tool call and zero tokens", async () => {
		const orchestrate = (request: string) => broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request });
		const value = await orchestrate("what is MAX_UPLOAD_SIZE set to in settings.py");
		assert.equal(value.route.tool, "search_text");
		assert.equal(value.output, "settings.py:2: MAX_UPLOAD_SIZE = 10 * 1024 * 1024\nsettings.py:3: DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_SIZE");
		assert.equal(value.input_tokens, 0);
		// A key whose value is a nested YAML block: the lines under it are the answer.
		const nested = await orchestrate("what's the value of resources in helm/values.yaml?");
		assert.equal(nested.route.tool, "search_text");
		assert.equal(
			nested.output,
			"helm/values.yaml:2: resources:\nhelm/values.yaml:3-   limits:\nhelm/values.yaml:4-     cpu: 500m\nhelm/values.yaml:6-     memory: 512Mi",
		);
		assert.equal(nested.input_tokens, 0);
		const lines = await orchestrate("lines 3-4 of src/jobs.py");
		assert.equal(lines.route.tool, "read_lines");
		assert.equal(lines.output, "3: def calculate_tax(amount):\n4:     return amount * 0.2");
		assert.equal(lines.input_tokens, 0);
		const tag = await orchestrate("which yaml files in deploy/ still point at image tag 2.3.x?");
		assert.equal(tag.route.tool, "search_text");
		assert.equal(tag.output, "deploy/api.yaml:2: image: acme/api:2.3.4");
		const set = await orchestrate("print every yaml file in deploy/base/ with the filename as a header");
		assert.equal(set.route.tool, "read_files");
		assert.equal(set.output, "==> deploy/base/worker.yml <==\nkind: Deployment\nimage: acme/worker:2.4.0");
		assert.equal(set.cost_usd, 0);
	});

	it('answers "where is calculate_tax defined?" with find_definition', async () => {
		const res = await broker.call<OrchestrateResult, unknown>("orchestrator.orchestrate", { request: "where is calculate_tax defined?" });
		assert.equal(res.route.tool, "find_definition");
		assert.deepEqual(res.route.arguments, { name: "calculate_tax", path: "." });
		assert.equal(res.output, "src/jobs.py:3: def calculate_tax(amount):");
		assert.equal(res.input_tokens, 0);
	});
});

describe("workspace-search server on its own (its own root check, without our client's guard)", function () {
	this.timeout(20_000);
	let workspace: string;
	let outside: string;
	let client: Client;
	const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
	const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;

	before(async () => {
		workspace = await realpath(await mkdtemp(join(tmpdir(), "orch-search-")));
		outside = await realpath(await mkdtemp(join(tmpdir(), "orch-outside-")));
		await makeWorkspace(workspace, outside);
		client = new Client({ name: "test-search", version: "0" });
		const env = { ...getDefaultEnvironment(), SEARCH_REGEX_TIMEOUT_MS: "500" };
		await client.connect(new StdioClientTransport({ command: process.execPath, args: [SERVER, workspace], env, stderr: "ignore" }));
	});

	after(async () => {
		await client?.close();
		await rm(workspace, { recursive: true, force: true });
		await rm(outside, { recursive: true, force: true });
	});

	it("declares read-only tools with input and output schemas", async () => {
		const { tools } = await client.listTools();
		const search = tools.find(t => t.name === "search_text");
		assert.equal(search?.annotations?.readOnlyHint, true);
		assert.deepEqual(search?.inputSchema.required, ["pattern"]);
		assert.ok(search?.outputSchema?.properties?.matches);
		for (const name of ["find_definition", "read_lines", "find_files", "read_files"]) {
			const tool = tools.find(t => t.name === name);
			assert.equal(tool?.annotations?.readOnlyHint, true, name);
			assert.ok(tool?.outputSchema, name);
		}
	});

	for (const path of ["../", "/etc", "elsewhere", "leak.txt"]) {
		it(`refuses ${path} with an error result`, async () => {
			for (const [tool, args] of escapes(path)) {
				const res = await call(tool, args);
				assert.equal(res.isError, true, tool);
				assert.match(text(res), /outside the allowed roots|through a symlink/, tool);
				assert.ok(!text(res).includes("TOP-SECRET"));
			}
		});
	}

	it("stops a catastrophically backtracking regex, says why, and keeps serving", async () => {
		await writeFile(join(workspace, "redos.txt"), `${"a".repeat(40)}!\n`);
		const slow = await call("search_text", { pattern: "^(a+)+$", regex: true });
		assert.equal(slow.isError, true);
		assert.match(text(slow), /^pattern: the regular expression ran over 500 ms and was stopped/);
		const fine = await call("search_text", { pattern: "a{40}!", regex: true });
		assert.equal(fine.isError, undefined, text(fine));
		assert.match(text(fine), /redos\.txt:1:/);
		const plain = await call("search_text", { pattern: "getUserById", path: "lib" });
		assert.match(text(plain), /lib\/users\.ts:1:/);
	});

	it("searches relative to its root and returns structured content", async () => {
		const res = await call("search_text", { pattern: "TODO cache" });
		assert.equal(text(res), "src/api/users.ts:3: export const show = (id: string) => getUserById(id); // TODO cache");
		assert.deepEqual((res.structuredContent as { matches: unknown[] }).matches, [
			{ file: "src/api/users.ts", line: 3, text: "export const show = (id: string) => getUserById(id); // TODO cache" },
		]);
	});
});
