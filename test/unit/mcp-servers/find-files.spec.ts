import { strict as assert } from "node:assert";
import { chmod, mkdir, mkdtemp, realpath, rm, utimes, writeFile } from "node:fs/promises";
import { userInfo, tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { createSearchServer } from "../../../mcp-servers/workspace-search";

/** find_files' find-like options, called in-process through the SDK client as a desktop client would. */
describe("workspace-search find_files: name, type, depth, exclusions, age, owner, emptiness", () => {
	let root: string;
	let client: Client;

	async function names(args: Record<string, unknown>): Promise<string[]> {
		const res = (await client.callTool({ name: "find_files", arguments: args })) as { content: { text: string }[]; isError?: boolean };
		assert.ok(!res.isError, res.content[0].text);
		return res.content[0].text.split("\n").map(l => l.split(" ")[0]);
	}

	before(async () => {
		root = await realpath(await mkdtemp(join(tmpdir(), "find-files-")));
		await mkdir(join(root, "src/api"), { recursive: true });
		await mkdir(join(root, "build-cache/empty"), { recursive: true });
		await mkdir(join(root, "old"), { recursive: true });
		await writeFile(join(root, "README.md"), "read me\n");
		await writeFile(join(root, "src/Report.TXT"), "q1\n");
		await writeFile(join(root, "src/api/report.txt"), "q2\n");
		await writeFile(join(root, "src/api/blank.txt"), "");
		await writeFile(join(root, "old/notes.txt"), "stale\n");
		const tenDaysAgo = new Date(Date.now() - 10 * 24 * 3600 * 1000);
		await utimes(join(root, "old/notes.txt"), tenDaysAgo, tenDaysAgo);
		const [server, transport] = [createSearchServer([root]), InMemoryTransport.createLinkedPair()];
		await server.connect(transport[1]);
		client = new Client({ name: "find-files-spec", version: "0" });
		await client.connect(transport[0]);
	});

	after(async () => {
		await client.close();
		await rm(root, { recursive: true, force: true });
	});

	it("matches the entry's own name (find -name), case-insensitively only when asked (-iname)", async () => {
		assert.deepEqual(await names({ name: "report.txt" }), ["src/api/report.txt"]);
		assert.deepEqual(await names({ name: "report.txt", ignore_case: true }), ["src/Report.TXT", "src/api/report.txt"]);
	});

	it("lists folders with type directory, both kinds with any, and stops at max_depth", async () => {
		// A folder's entries (files and folders, by name) come before what is inside its subfolders.
		assert.deepEqual(await names({ type: "directory" }), ["build-cache/", "old/", "src/", "build-cache/empty/", "src/api/"]);
		assert.deepEqual(await names({ type: "any", max_depth: 1 }), ["README.md", "build-cache/", "old/", "src/"]);
		assert.deepEqual(await names({ max_depth: 2, name: "*.txt", ignore_case: true }), ["old/notes.txt", "src/Report.TXT"]);
	});

	it("leaves out excluded subtrees (find -prune)", async () => {
		assert.deepEqual(await names({ name: "*.txt", exclude: ["src/api"] }), ["old/notes.txt"]);
	});

	it("finds empty files and empty folders", async () => {
		assert.deepEqual(await names({ type: "any", empty: true }), ["build-cache/empty/", "src/api/blank.txt"]);
	});

	it("separates files modified more than N days ago from recent ones", async () => {
		assert.deepEqual(await names({ modified_before_days: 5 }), ["old/notes.txt"]);
		assert.ok(!(await names({ modified_within_days: 5 })).includes("old/notes.txt"));
		assert.ok((await names({ accessed_within_days: 1 })).includes("README.md"));
		// utimes set notes.txt's access time ten days back as well.
		assert.deepEqual(await names({ accessed_before_days: 5 }), ["old/notes.txt"]);
	});

	it("filters by exact permission bits and by any of some bits (find -perm 644, -perm /6000)", async () => {
		await chmod(join(root, "README.md"), 0o644);
		await chmod(join(root, "old/notes.txt"), 0o4755);
		assert.deepEqual(await names({ name: "README.md", permissions: "644" }), ["README.md"]);
		assert.deepEqual(await names({ permissions: "4755" }), ["old/notes.txt"]);
		assert.deepEqual(await names({ permissions_any: "6000" }), ["old/notes.txt"]);
	});

	it("filters by owner name or uid, and says so when the user does not exist", async () => {
		const me = userInfo();
		assert.deepEqual(await names({ owner: String(me.uid), name: "README.md" }), ["README.md"]);
		const res = (await client.callTool({ name: "find_files", arguments: { owner: "no-such-user-xyz" } })) as {
			content: { text: string }[];
			isError?: boolean;
		};
		assert.equal(res.isError, true);
		assert.match(res.content[0].text, /no user named 'no-such-user-xyz'/);
	});
});
