import { strict as assert } from "node:assert";
import { chmod, link, mkdir, mkdtemp, readFile, realpath, rm, stat, symlink, utimes, writeFile } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { userInfo, tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { searchClient } from "./search-client";

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
		client = await searchClient([root], "find-files-spec");
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
		// find -mindepth 3: only what lies two folders down or deeper.
		assert.deepEqual(await names({ min_depth: 3, name: "*.txt" }), ["src/api/blank.txt", "src/api/report.txt"]);
	});

	it("walks several folders in the order given (find A B)", async () => {
		assert.deepEqual(await names({ path: "old", paths: ["src"], name: "*.txt" }), ["old/notes.txt", "src/api/blank.txt", "src/api/report.txt"]);
		const res = (await client.callTool({ name: "find_files", arguments: { path: "old", paths: ["no-such-dir"] } })) as { isError?: boolean };
		assert.equal(res.isError, true);
	});

	it("matches a regular expression against the whole name (find -regex on the name), case-insensitively when asked", async () => {
		assert.deepEqual(await names({ path: "src", name_regex: "[a-z]+\\.txt" }), ["src/api/blank.txt", "src/api/report.txt"]);
		assert.deepEqual(await names({ path: "src", name_regex: "rep.*", ignore_case: true }), ["src/Report.TXT", "src/api/report.txt"]);
		// The whole name: "report" alone does not match report.txt.
		assert.deepEqual(await names({ path: "src", name_regex: "report" }), ["No"]);
		const bad = (await client.callTool({ name: "find_files", arguments: { name_regex: "(unclosed" } })) as {
			content: { text: string }[];
			isError?: boolean;
		};
		assert.equal(bad.isError, true);
		assert.match(bad.content[0].text, /not a valid regular expression/);
	});

	it("matches a regular expression against the whole path as find prints it (find -regex, -iregex), with name_regex too", async () => {
		// The start as given, then the path below it: ./src/api/report.txt.
		assert.deepEqual(await names({ path_regex: "\\./src/.*\\.txt" }), ["src/api/blank.txt", "src/api/report.txt"]);
		assert.deepEqual(await names({ path_regex: "\\./src/.*\\.txt", ignore_case: true }), ["src/Report.TXT", "src/api/blank.txt", "src/api/report.txt"]);
		// The whole path: a regex for the name alone matches nothing, as find -regex 'report.txt' does not.
		assert.deepEqual(await names({ path_regex: "report\\.txt" }), ["No"]);
		// Another start is printed as given: find src -regex 'src/api/.*'.
		assert.deepEqual(await names({ path: "src", path_regex: "src/api/.*" }), ["src/api/blank.txt", "src/api/report.txt"]);
		assert.deepEqual(await names({ path: "src/", path_regex: "src/[^/]*" }), ["src/Report.TXT"]);
		// Folders too, with type any; and both regexes at once.
		assert.deepEqual(await names({ type: "directory", path_regex: ".*/(api|old)" }), ["old/", "src/api/"]);
		assert.deepEqual(await names({ path_regex: ".*/api/.*", name_regex: "r.*" }), ["src/api/report.txt"]);
		// Either one invalid, the other valid: the invalid one is named.
		for (const [field, args] of [
			["path_regex", { path_regex: "(unclosed", name_regex: "x" }],
			["name_regex", { name_regex: "(unclosed", path_regex: "x" }],
		] as const) {
			const bad = (await client.callTool({ name: "find_files", arguments: args })) as {
				content: { text: string }[];
				isError?: boolean;
			};
			assert.equal(bad.isError, true);
			assert.match(bad.content[0].text, new RegExp(`${field} is not a valid regular expression`));
		}
	});

	it("filters by status change time (find -ctime), not the modification time a touch can set back", async () => {
		// old/notes.txt was given a modification time 10 days back; setting it changed its status now.
		assert.deepEqual(await names({ path: "old", modified_within_days: 1 }), ["No"]);
		assert.deepEqual(await names({ path: "old", changed_within_days: 1 }), ["old/notes.txt"]);
		assert.deepEqual(await names({ path: "old", changed_before_days: 1 }), ["No"]);
		assert.deepEqual(await names({ path: "old", modified_before_days: 1 }), ["old/notes.txt"]);
	});

	it("filters by the number of hard links, one file's hard links and an inode (find -links N, -samefile F, -inum N)", async () => {
		const dir = join(root, "linked");
		await mkdir(dir);
		await writeFile(join(dir, "one.txt"), "1\n");
		await writeFile(join(dir, "two.txt"), "2\n");
		await link(join(dir, "two.txt"), join(dir, "two-again.txt"));
		try {
			assert.deepEqual(await names({ path: "linked", min_links: 2 }), ["linked/two-again.txt", "linked/two.txt"]);
			assert.deepEqual(await names({ path: "linked", min_links: 2, max_links: 2, name: "two.txt" }), ["linked/two.txt"]);
			assert.deepEqual(await names({ path: "linked", max_links: 1 }), ["linked/one.txt"]);
			assert.deepEqual(await names({ path: "linked", min_links: 3 }), ["No"]);
			// find -samefile: the file and its hard links, wherever they are named from; find -inum the same by number.
			assert.deepEqual(await names({ same_file: "linked/two.txt" }), ["linked/two-again.txt", "linked/two.txt"]);
			assert.deepEqual(await names({ same_file: "linked/one.txt" }), ["linked/one.txt"]);
			const { ino } = await stat(join(dir, "two.txt"));
			assert.deepEqual(await names({ path: "linked", inode: ino }), ["linked/two-again.txt", "linked/two.txt"]);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});

	it("leaves out excluded subtrees (find -prune)", async () => {
		assert.deepEqual(await names({ name: "*.txt", exclude: ["src/api"] }), ["old/notes.txt"]);
		// A name with no slash is left out wherever it lies ("excluding the files with the name blank.txt").
		assert.deepEqual(await names({ name: "*.txt", exclude: ["blank.txt"] }), ["old/notes.txt", "src/api/report.txt"]);
		// What services/router/find.ts sends for "except ./api": that folder at the top only (find -path ./api -prune), so
		// src/api stays; "except ./src" leaves out src and all below it.
		assert.deepEqual(await names({ name: "*.txt", exclude: ["api{,/**}"] }), ["old/notes.txt", "src/api/blank.txt", "src/api/report.txt"]);
		assert.deepEqual(await names({ name: "*.txt", exclude: ["src{,/**}"] }), ["old/notes.txt"]);
		assert.deepEqual(await names({ type: "directory", exclude: ["src{,/**}", "build-cache{,/**}"] }), ["old/"]);
	});

	it("leaves out one name, in any case when asked, with the router's negated name regex (find ! -iname report.txt)", async () => {
		// What services/router/find.ts sends for "whose filenames are not "report.txt", ignoring the case".
		const notReport = "(?!(?:report\\.txt)$).*";
		assert.deepEqual(await names({ path: "src", name_regex: notReport }), ["src/Report.TXT", "src/api/blank.txt"]);
		assert.deepEqual(await names({ path: "src", name_regex: notReport, ignore_case: true }), ["src/api/blank.txt"]);
		// A glob's regex ("not named '*.txt'") leaves out every name it matches, and only those: Report.TXT is not one.
		assert.deepEqual(await names({ name_regex: "(?!(?:.*\\.txt)$).*" }), ["README.md", "src/Report.TXT"]);
	});

	it("leaves out names matching not_names and still walks a folder so named (find ! -name '*.dll' ! -name '*.exe')", async () => {
		// Its own folder, removed after, so the other specs' listings of the workspace stay as they are.
		const libs = join(root, "libs");
		await mkdir(join(libs, "x.dll"), { recursive: true });
		await writeFile(join(libs, "x.dll/a.txt"), "a\n");
		await writeFile(join(libs, "x.dll/b.dll"), "b\n");
		await writeFile(join(libs, "c.EXE"), "c\n");
		await writeFile(join(libs, "d.txt"), "d\n");
		await writeFile(join(libs, "e.dll"), "e\n");
		try {
			// The folder x.dll is not listed (its name matches), but its files are, except b.dll; exclude would prune it whole.
			assert.deepEqual(await names({ path: "libs", type: "any", not_names: ["*.dll", "*.exe"] }), ["libs/c.EXE", "libs/d.txt", "libs/x.dll/a.txt"]);
			assert.deepEqual(await names({ path: "libs", not_names: ["*.dll", "*.exe"] }), ["libs/c.EXE", "libs/d.txt", "libs/x.dll/a.txt"]);
			assert.deepEqual(await names({ path: "libs", not_names: ["*.dll", "*.exe"], ignore_case: true }), ["libs/d.txt", "libs/x.dll/a.txt"]);
			assert.deepEqual(await names({ path: "libs", exclude: ["*.dll"] }), ["libs/c.EXE", "libs/d.txt"]);
			// With name, both hold: a .txt name that is not a.txt.
			assert.deepEqual(await names({ path: "libs", name: "*.txt", not_names: ["a.txt"] }), ["libs/d.txt"]);
			const empty = (await client.callTool({ name: "find_files", arguments: { path: "libs", not_names: [] } })) as { isError?: boolean };
			assert.equal(empty.isError, true);
		} finally {
			await rm(libs, { recursive: true, force: true });
		}
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
		// Both bounds at once, a window ("accessed during the last 11 days but not within the last 5"): find -atime -11 -atime +5.
		assert.deepEqual(await names({ accessed_within_days: 11, accessed_before_days: 5 }), ["old/notes.txt"]);
		assert.ok(!(await names({ accessed_within_days: 1, accessed_before_days: 1 / 24 })).includes("README.md"));
	});

	it("keeps entries passing any one of several alternatives, each alternative's conditions all holding (find \\( A -o B \\))", async () => {
		const me = userInfo();
		const other = me.uid === 0 ? "nobody" : "root";
		// notes.txt is ten days old; the others are new and owned by the caller.
		assert.deepEqual(await names({ path: "src", any_of: [{ modified_before_days: 5 }, { name: "report.*" }] }), ["src/api/report.txt"]);
		assert.deepEqual((await names({ any_of: [{ modified_before_days: 5 }, { name: "README*" }] })).sort(), ["README.md", "old/notes.txt"]);
		// Each alternative is all its own conditions: old and named blank.txt is none of them.
		assert.deepEqual(await names({ any_of: [{ modified_before_days: 5, name: "blank.txt" }, { owner: other }] }), ["No"]);
		assert.deepEqual(await names({ any_of: [{ modified_before_days: 5, name: "notes.txt" }, { owner: other }] }), ["old/notes.txt"]);
		// Top-level conditions still hold for every entry; a size alternative is never met by a folder.
		assert.deepEqual(await names({ name: "*.txt", any_of: [{ max_bytes: 0 }, { accessed_before_days: 5 }] }).then(n => n.sort()), [
			"old/notes.txt",
			"src/api/blank.txt",
		]);
		assert.ok(!(await names({ type: "any", any_of: [{ min_bytes: 0 }, { owner: other }] })).includes("src/"));
		const bad = (await client.callTool({ name: "find_files", arguments: { any_of: [{ owner: String(me.uid) }, {}] } })) as { isError?: boolean };
		assert.equal(bad.isError, true);
	});

	it("its input schema says each condition once: any_of's alternatives refer to the top-level fields' definitions", async () => {
		const tool = (await client.listTools()).tools.find(t => t.name === "find_files")!;
		type Node = { $ref?: string; properties?: Record<string, Node>; items?: Node; description?: string };
		const schema = tool.inputSchema as Node & { definitions?: Record<string, Node> };
		const alternative = schema.properties!.any_of.items!;
		const fields = Object.keys(alternative.properties!);
		assert.ok(fields.length >= 16, fields.join(", "));
		for (const field of fields) {
			const ref = alternative.properties![field].$ref;
			assert.ok(ref, `any_of's ${field} is defined again (${JSON.stringify(alternative.properties![field])})`);
			assert.deepEqual(schema.properties![field], { $ref: ref }, `the top-level ${field} is not the same definition`);
			assert.ok(schema.definitions?.[ref.replace("#/definitions/", "")]?.description, `${ref} has no definition with a description`);
		}
		// The SDK client's validator (the orchestrator's MCP client pool checks arguments with it) resolves the references.
		const validate = new AjvJsonSchemaValidator().getValidator(schema as never);
		assert.equal(validate({ name: "*.ts", any_of: [{ name: "a*" }, { min_bytes: 10 }] }).valid, true);
		assert.equal(validate({ any_of: [{ name: "" }, { min_bytes: 10 }] }).valid, false);
		assert.equal(validate({ any_of: [{ min_bytes: -1 }, { owner: "x" }] }).valid, false);
		assert.equal(validate({ min_bytes: "big" }).valid, false);
	});

	it("keeps entries on a file system of a type named (find -fstype), and none on a type that is not mounted", async function () {
		const table = await readFile("/proc/self/mountinfo", "utf8").catch(() => null);
		if (table === null) return this.skip();
		// The workspace's type, read another way: the mount point that is the longest prefix of its path.
		const mounts = table
			.split("\n")
			.map(l => [l.split(" ")[4], l.split(" - ")[1]?.split(" ")[0]])
			.filter(([at, type]) => at && type && (root === at || root.startsWith(at === "/" ? "/" : `${at}/`)))
			.sort((a, b) => b[0].length - a[0].length);
		const type = mounts[0][1];
		assert.ok((await names({ fs_types: [type] })).includes("README.md"));
		assert.deepEqual(await names({ fs_types: ["nosuchfs"] }), ["No"]);
	});

	it("compares access and status-change times with a file's modification (find -anewer, -cnewer) and shows them when asked", async () => {
		await mkdir(join(root, "seen"), { recursive: true });
		const at = (days: number) => new Date(Date.now() - days * 24 * 3600 * 1000);
		await writeFile(join(root, "seen/ref"), "r\n");
		await utimes(join(root, "seen/ref"), at(3), at(3));
		await writeFile(join(root, "seen/read-lately"), "a\n");
		await utimes(join(root, "seen/read-lately"), at(1), at(10));
		await writeFile(join(root, "seen/read-long-ago"), "b\n");
		await utimes(join(root, "seen/read-long-ago"), at(9), at(10));
		assert.deepEqual(await names({ path: "seen", accessed_after: "seen/ref" }), ["seen/read-lately"]);
		// Every file here changed status (was written) now, after ref's modification three days ago; none after a time to come.
		assert.equal((await names({ path: "seen", changed_after: "seen/ref" })).length, 3);
		await writeFile(join(root, "seen-future"), "f\n");
		await utimes(join(root, "seen-future"), new Date(Date.now() + 86_400_000), new Date(Date.now() + 86_400_000));
		assert.deepEqual(await names({ path: "seen", changed_after: "seen-future" }), ["No"]);
		const res = (await client.callTool({ name: "find_files", arguments: { path: "seen", name: "read-*", show_times: ["accessed"] } })) as unknown as {
			content: { text: string }[];
			structuredContent: { files: { file: string; accessed?: string; changed?: string }[] };
		};
		assert.equal(res.structuredContent.files[0].accessed?.slice(0, 13), at(1).toISOString().slice(0, 13));
		assert.equal(res.structuredContent.files[0].changed, undefined);
		assert.match(res.content[0].text, /^seen\/read-lately \(2 B, modified [-\d]+ [\d:]+ UTC, accessed [-\d]+ [\d:]+ UTC\)/);
		await rm(join(root, "seen-future"));
	});

	it("lists named pipes and sockets as their own kinds, never as files (find -type p, -type s)", async function () {
		await mkdir(join(root, "special"), { recursive: true });
		try {
			execFileSync("mkfifo", [join(root, "special/pipe")]);
		} catch {
			return this.skip();
		}
		const server = createServer();
		await new Promise<void>(done => server.listen(join(root, "special/sock"), done));
		try {
			assert.deepEqual(await names({ path: "special", type: "fifo" }), ["special/pipe"]);
			assert.deepEqual(await names({ path: "special", type: "socket" }), ["special/sock"]);
			assert.deepEqual(await names({ path: "special", type: "char_device" }), ["No"]);
			assert.deepEqual(await names({ path: "special" }), ["No"]);
			const res = (await client.callTool({ name: "find_files", arguments: { path: "special", type: "fifo", contains: "x" } })) as { isError?: boolean };
			assert.equal(res.isError, true);
		} finally {
			await new Promise(done => server.close(done));
			await rm(join(root, "special"), { recursive: true, force: true });
		}
	});

	it("bounds the access time by calendar days (find -newerat D ! -newerat D+1)", async () => {
		// notes.txt was last accessed ten days ago: that local day holds it, the day after does not.
		const day = (ms: number) => {
			const d = new Date(ms);
			return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
		};
		const then = (await stat(join(root, "old/notes.txt"))).atimeMs;
		assert.deepEqual(await names({ accessed_from_date: day(then), accessed_before_date: day(then + 86_400_000) }), ["old/notes.txt"]);
		assert.ok(!(await names({ accessed_from_date: day(then + 86_400_000) })).includes("old/notes.txt"));
		assert.ok((await names({ accessed_before_date: day(then + 86_400_000) })).includes("old/notes.txt"));
	});

	it("leaves out entries owned by one user (find ! -user), by name or uid", async () => {
		const me = userInfo();
		const other = me.uid === 0 ? "nobody" : "root";
		assert.deepEqual(await names({ not_owner: String(me.uid), name: "README.md" }), ["No"]);
		assert.deepEqual(await names({ not_owner: other, name: "README.md" }), ["README.md"]);
		const res = (await client.callTool({ name: "find_files", arguments: { not_owner: "no-such-user-xyz" } })) as { isError?: boolean };
		assert.equal(res.isError, true);
	});

	it("keeps entries owned by any one of several users (find \\( -user A -o -user B \\)), and says so when one does not exist", async () => {
		const me = userInfo();
		const other = me.uid === 0 ? "nobody" : "root";
		assert.deepEqual(await names({ owners: [other, String(me.uid)], name: "README.md" }), ["README.md"]);
		assert.deepEqual(await names({ owners: [other, "daemon"], name: "README.md" }), ["No"]);
		const res = (await client.callTool({ name: "find_files", arguments: { owners: [other, "no-such-user-xyz"] } })) as {
			content: { text: string }[];
			isError?: boolean;
		};
		assert.equal(res.isError, true);
		assert.match(res.content[0].text, /no user named 'no-such-user-xyz'/);
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

	it("filters by all, lacking, none and not-exactly of some permission bits (find -perm -111, ! -perm -444, ! -perm /111, ! -perm 644)", async () => {
		await mkdir(join(root, "perm"), { recursive: true });
		for (const [f, mode] of [
			["perm/all-x", 0o755],
			["perm/owner-x", 0o744],
			["perm/no-x", 0o644],
			["perm/private", 0o600],
		] as const) {
			await writeFile(join(root, f), "x\n");
			await chmod(join(root, f), mode);
		}
		assert.deepEqual(await names({ path: "perm", permissions_all: "111" }), ["perm/all-x"]);
		assert.deepEqual(await names({ path: "perm", permissions_any: "111" }), ["perm/all-x", "perm/owner-x"]);
		assert.deepEqual(await names({ path: "perm", permissions_none: "111" }), ["perm/no-x", "perm/private"]);
		assert.deepEqual(await names({ path: "perm", permissions_lacking: "444" }), ["perm/private"]);
		assert.deepEqual(await names({ path: "perm", permissions_not: "644" }), ["perm/all-x", "perm/owner-x", "perm/private"]);
	});

	it("lists symbolic links themselves with their targets, and only the broken ones when asked (find -type l, -xtype l)", async () => {
		await mkdir(join(root, "links"), { recursive: true });
		await symlink("../README.md", join(root, "links/good"));
		await symlink("missing.txt", join(root, "links/dangling"));
		await symlink("/etc/hostname", join(root, "links/outside"));
		const res = (await client.callTool({ name: "find_files", arguments: { path: "links", type: "symlink" } })) as unknown as {
			content: { text: string }[];
			structuredContent: { files: { file: string; target?: string }[] };
		};
		assert.deepEqual(
			res.structuredContent.files.map(f => [f.file, f.target]),
			[
				["links/dangling", "missing.txt"],
				["links/good", "../README.md"],
				["links/outside", "/etc/hostname"],
			],
		);
		assert.match(res.content[0].text, /^links\/dangling -> missing\.txt \(link/);
		assert.deepEqual(await names({ path: "links", type: "symlink", broken: true }), ["links/dangling"]);
		// Without type symlink a link is followed only to a file inside the roots, as before.
		assert.deepEqual(await names({ path: "links" }), ["links/good"]);
		// By target as written (find -lname): * crosses "/", ignore_case as -ilname; only with type symlink.
		assert.deepEqual(await names({ path: "links", type: "symlink", link_target: "/etc/*" }), ["links/outside"]);
		assert.deepEqual(await names({ path: "links", type: "symlink", link_target: "*readme*", ignore_case: true }), ["links/good"]);
		assert.deepEqual(await names({ path: "links", type: "symlink", link_target: "*readme*" }), ["No"]);
		assert.deepEqual(await names({ path: "links", type: "symlink", link_target: "*/host[!x]ame" }), ["links/outside"]);
		const res2 = (await client.callTool({ name: "find_files", arguments: { path: "links", link_target: "*" } })) as { isError?: boolean };
		assert.equal(res2.isError, true);
	});

	it("compares modification times with a reference file (find -newer, ! -newer) and counts calendar days with daystart", async () => {
		await mkdir(join(root, "times"), { recursive: true });
		const at = (days: number) => new Date(Date.now() - days * 24 * 3600 * 1000);
		const midnight = new Date();
		midnight.setHours(0, 0, 0, 0);
		const files: [string, Date][] = [
			["times/ref", at(3)],
			["times/fresh", at(1)],
			["times/stale", at(5)],
			// One minute after today's midnight: today; one minute before it: yesterday.
			["times/today", new Date(midnight.getTime() + 60_000)],
			["times/yesterday", new Date(midnight.getTime() - 60_000)],
		];
		for (const [f, t] of files) {
			await writeFile(join(root, f), "t\n");
			await utimes(join(root, f), t, t);
		}
		const newer = await names({ path: "times", newer_than: "times/ref" });
		assert.deepEqual(newer.sort(), ["times/fresh", "times/today", "times/yesterday"]);
		assert.deepEqual(await names({ path: "times", older_than: "times/ref" }), ["times/ref", "times/stale"]);
		assert.deepEqual(await names({ path: "times", name: "*day", daystart: true, modified_within_days: 1 }), ["times/today"]);
		assert.deepEqual(await names({ path: "times", name: "*day", daystart: true, modified_within_days: 2, modified_before_days: 1 }), ["times/yesterday"]);
		const res = (await client.callTool({ name: "find_files", arguments: { newer_than: "no/such/file" } })) as { isError?: boolean };
		assert.equal(res.isError, true);
	});

	it("stays on the file system the search starts on when asked (find -xdev): a mount point is listed, not entered", async function () {
		// /proc is a file system of its own wherever Linux mounts it; elsewhere there is no second file system to cross here.
		const [rootDev, procDev] = await Promise.all([
			stat("/").then(s => s.dev),
			stat("/proc/1").then(
				s => s.dev,
				() => undefined,
			),
		]);
		if (procDev === undefined || procDev === rootDev) this.skip();
		const whole = await searchClient(["/"], "find-files-xdev-spec");
		try {
			const dirs = async (args: Record<string, unknown>) => {
				const res = (await whole.callTool({ name: "find_files", arguments: { path: "/", type: "directory", ...args } })) as {
					content: { text: string }[];
				};
				return res.content[0].text.split("\n").map(l => l.split(" ")[0]);
			};
			// Paths are shown relative to the workspace root "/". Without it the walk goes into /proc (the folder of process 1);
			// with it, /proc itself is listed and nothing below it.
			assert.ok((await dirs({ max_depth: 2, name: "1" })).includes("proc/1/"));
			assert.ok(!(await dirs({ max_depth: 2, name: "1", one_file_system: true })).includes("proc/1/"));
			assert.deepEqual(await dirs({ max_depth: 1, name: "proc", one_file_system: true }), ["proc/"]);
		} finally {
			await whole.close();
		}
	});

	it("follows links to folders inside the workspace when asked (find -L), and walks a loop once", async () => {
		await mkdir(join(root, "follow/real/deep"), { recursive: true });
		await writeFile(join(root, "follow/real/deep/a.txt"), "a\n");
		await symlink(join(root, "follow/real"), join(root, "follow/via"));
		// A link back up the tree: listed as the folder it is, not entered again (find -L reports the loop).
		await symlink(join(root, "follow"), join(root, "follow/real/up"));
		assert.deepEqual(await names({ path: "follow", name: "*.txt" }), ["follow/real/deep/a.txt"]);
		assert.deepEqual(await names({ path: "follow", name: "*.txt", follow_links: true }), ["follow/real/deep/a.txt", "follow/via/deep/a.txt"]);
		assert.deepEqual(await names({ path: "follow", type: "directory", follow_links: true }), [
			"follow/real/",
			"follow/via/",
			"follow/real/deep/",
			"follow/real/up/",
			"follow/via/deep/",
			"follow/via/up/",
		]);
		const res = (await client.callTool({ name: "find_files", arguments: { path: "follow", type: "symlink", follow_links: true } })) as {
			isError?: boolean;
		};
		assert.equal(res.isError, true);
	});
});
