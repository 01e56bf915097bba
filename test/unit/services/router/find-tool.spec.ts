import { strict as assert } from "node:assert";
import { chown, mkdir, mkdtemp, realpath, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { searchClient } from "../../mcp-servers/search-client";
import { findRequest } from "../../../../services/router/find";

/** The request parsed and sent as the tool call the router would make; the paths (or file:line) it returns. */
async function answerWith(client: Client, request: string): Promise<string[]> {
	const found = findRequest(request);
	assert.ok(found, request);
	const { op, ...args } = found as { op: string } & Record<string, unknown>;
	const tool = op === "grep" ? "search_text" : op;
	const res = (await client.callTool({ name: tool, arguments: args })) as { content: { text: string }[]; isError?: boolean };
	assert.ok(!res.isError, res.content[0].text);
	const text = res.content[0].text.trim();
	// One entry per line (its path first, a match as path:line:); a note in brackets says where a listing stopped.
	return text
		.split("\n")
		.filter(l => l && !l.startsWith("("))
		.map(l => l.split(" ")[0].replace(/:$/, ""));
}

/**
 * The cover's readings run against a real folder: what a request is parsed into must be what the tool answers
 * (an exact depth, kinds of file left out, a name ending with a character class, a line anchor, one result).
 */
describe("router/find readings answered by workspace-search on a real folder", () => {
	let root: string;
	let client: Client;

	const answer = (request: string) => answerWith(client, request);

	before(async () => {
		root = await realpath(await mkdtemp(join(tmpdir(), "find-readings-")));
		await mkdir(join(root, "a/b/c"), { recursive: true });
		await mkdir(join(root, "media"), { recursive: true });
		await mkdir(join(root, "test"), { recursive: true });
		await writeFile(join(root, "a/x.py"), "print(1)\n");
		await writeFile(join(root, "a/b/run.sh"), "echo\n");
		await writeFile(join(root, "a/b/c/tool.pl"), "1;\n");
		await writeFile(join(root, "a/notes.txt"), "PyErr_Clear here\nnot PyErr at start\n");
		await writeFile(join(root, "log.myfile12"), "x\n");
		await writeFile(join(root, "log.myfile1"), "x\n");
		await writeFile(join(root, "media/m.txt"), "PyErr_Print\n");
		client = await searchClient([root], "find-readings-spec");
	});

	after(async () => {
		await client.close();
		await rm(root, { recursive: true, force: true });
	});

	it("answers an exact depth, a list of kinds left out, a name ending in digits and a quoted folder name", async () => {
		assert.deepEqual(await answer("Find all directories in 1 level down the current directory"), ["a/", "media/", "test/"]);
		assert.deepEqual((await answer("display all the files in the current folder expect perl shell and python fiels")).sort(), [
			"a/notes.txt",
			"log.myfile1",
			"log.myfile12",
			"media/m.txt",
		]);
		assert.deepEqual(await answer('display all files in the current folder which end with extension "myfile" followed by two digits'), ["log.myfile12"]);
		assert.deepEqual(await answer("Find all 'test' directories in the current directory tree"), ["test/"]);
		assert.deepEqual(await answer("Find the first file/directory under current directory and quit"), ["a/"]);
	});

	it("answers lines beginning with a string, and folders left out by a list of paths", async () => {
		// Only lines that start with it: "not PyErr at start" does not.
		assert.deepEqual(await answer('Search the .txt files residing in the current directory tree for lines beginning with "PyErr"'), [
			"a/notes.txt:1",
			"media/m.txt:1",
		]);
		assert.deepEqual(await answer("show all directories in the current folder excluding those that are present only in the paths ./media and ./test"), [
			"a/",
			"a/b/",
			"a/b/c/",
		]);
	});
	it("answers files of no user, no group, either or both (find -nouser, -nogroup) in a folder of its own", async () => {
		// Owned by ids no /etc/passwd or /etc/group line names: only root can give a file away, so elsewhere only the
		// files of known owners are checked to be left out.
		const own = join(root, "orphans");
		await mkdir(own);
		try {
			await writeFile(join(own, "known.txt"), "k\n");
			await writeFile(join(own, "no-user.txt"), "u\n");
			await writeFile(join(own, "no-both.txt"), "b\n");
			const root_ = process.getuid?.() === 0;
			if (root_) {
				await chown(join(own, "no-user.txt"), 54321, 0);
				await chown(join(own, "no-both.txt"), 54321, 54321);
			}
			const names = async (r: string) => (await answer(r)).map(p => p.replace(/^orphans\//, "")).sort();
			assert.deepEqual(await names("find all the files in ./orphans which belong to no user"), root_ ? ["no-both.txt", "no-user.txt"] : []);
			assert.deepEqual(await names("find all the files in ./orphans which do not belong to any group"), root_ ? ["no-both.txt"] : []);
			assert.deepEqual(await names("find all files in ./orphans which have no user and no group"), root_ ? ["no-both.txt"] : []);
			assert.deepEqual(await names("find all the files in ./orphans which have nogroup or noname"), root_ ? ["no-both.txt", "no-user.txt"] : []);
			assert.deepEqual(await names("find all the files in ./orphans"), ["known.txt", "no-both.txt", "no-user.txt"]);
		} finally {
			await rm(own, { recursive: true, force: true });
		}
	});
	it("answers a file modified on a calendar day, and not the ones before or after it", async () => {
		const days = join(root, "days");
		await mkdir(days);
		try {
			for (const [f, when] of [
				["before.txt", "2008-09-28T12:00:00"],
				["on.txt", "2008-09-29T12:00:00"],
				["after.txt", "2008-09-30T12:00:00"],
			]) {
				await writeFile(join(days, f), "d\n");
				await utimes(join(days, f), new Date(when), new Date(when));
			}
			assert.deepEqual(await answer("Find all files in ./days changed on the 29th of September, 2008"), ["days/on.txt"]);
			assert.deepEqual(await answer("Find all files in ./days modified after September 28, 2008"), ["days/after.txt", "days/on.txt"]);
			assert.deepEqual(await answer("Find all files in ./days modified before Sep 29 2008"), ["days/before.txt"]);
		} finally {
			await rm(days, { recursive: true, force: true });
		}
	});
});

/** Round 12's readings against a real folder: the exclusions, non-empty files and a time range as the tool answers them. */
describe("router/find round 12 readings answered by workspace-search on a real folder", () => {
	let root: string;
	let client: Client;

	const answer = async (request: string) => (await answerWith(client, request)).sort();

	before(async () => {
		root = await realpath(await mkdtemp(join(tmpdir(), "find-round12-")));
		for (const d of ["es1", "en", "keep/es2", "work", "keep/work"]) await mkdir(join(root, d), { recursive: true });
		for (const f of ["es1/a.txt", "en/b.txt", "keep/es2/c.txt", "work/d.txt", "keep/work/e.txt", "top.txt"]) await writeFile(join(root, f), "x\n");
		await writeFile(join(root, "empty.txt"), "");
		const now = Date.now() / 1000;
		// Modified 3 hours ago, 30 minutes ago and 2 days ago.
		await utimes(join(root, "es1/a.txt"), now, now - 3 * 3600);
		await utimes(join(root, "en/b.txt"), now, now - 1800);
		await utimes(join(root, "top.txt"), now, now - 2 * 86400);
		client = await searchClient([root], "find-round12-spec");
	});

	after(async () => {
		await client.close();
		await rm(root, { recursive: true, force: true });
	});

	it("leaves out './es*' at the top only, as find -path './es*' -prune does", async () => {
		assert.deepEqual(await answer("Search the current directory recursively for files ignoring paths ./es* and ./en*"), [
			"empty.txt",
			"keep/es2/c.txt",
			"keep/work/e.txt",
			"top.txt",
			"work/d.txt",
		]);
	});

	it("leaves out a path below the root searched, and only that one", async () => {
		assert.deepEqual(await answer(`Search the ${root} directory recursively for the regular files named "*.txt" ignoring ${root}/work/`), [
			"empty.txt",
			"en/b.txt",
			"es1/a.txt",
			"keep/es2/c.txt",
			"keep/work/e.txt",
			"top.txt",
		]);
	});

	it("lists non-empty files and a time range", async () => {
		assert.ok(!(await answer("List all non-empty files under current directory")).includes("empty.txt"));
		assert.deepEqual(await answer("find all files in the current directory modified in the last 1 to 4 hours"), ["es1/a.txt"]);
	});
});

describe("router/find round 46: two conditions joined by or, answered by workspace-search (find_files' any_of)", () => {
	let root: string;
	let client: Client;

	before(async () => {
		root = await realpath(await mkdtemp(join(tmpdir(), "find-either-")));
		await mkdir(join(root, "pool"), { recursive: true });
		await writeFile(join(root, "pool/old.txt"), "old\n");
		await writeFile(join(root, "pool/big.bin"), Buffer.alloc(30 * 1024));
		await writeFile(join(root, "pool/new.txt"), "new\n");
		const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
		await utimes(join(root, "pool/old.txt"), tenDaysAgo, tenDaysAgo);
		client = await searchClient([root], "find-either-spec");
	});

	after(async () => {
		await client.close();
		await rm(root, { recursive: true, force: true });
	});

	it("lists the entries passing either condition, and none passing neither", async () => {
		const found = await answerWith(client, "find all files in the folder pool which were modified more than 5 days ago or which are bigger than 20KB");
		assert.deepEqual(found, ["pool/big.bin", "pool/old.txt"]);
	});
});
