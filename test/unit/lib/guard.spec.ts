import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { guardPaths, hideRoots, parseAllowedDirectories, resolveInRoots, toolAllowed, toolKind } from "../../../lib/guard";

describe("mcp/guard", () => {
	it("says a tool error's paths relative to the roots, the longest root first", () => {
		assert.equal(
			hideRoots("ENOENT: no such file or directory, open '/srv/ws/docs/missing.md'", ["/srv/ws"]),
			"ENOENT: no such file or directory, open 'docs/missing.md'",
		);
		assert.equal(hideRoots("Access denied: /srv/ws is read-only", ["/srv/ws/"]), "Access denied: . is read-only");
		assert.equal(hideRoots("open '/srv/ws/sub/a.txt'", ["/srv/ws", "/srv/ws/sub"]), "open 'a.txt'");
		assert.equal(hideRoots("open '/etc/passwd'", ["/srv/ws"]), "open '/etc/passwd'");
	});

	it("tells reads, writes and manage tools apart by annotations, then by name", () => {
		assert.equal(toolKind({ name: "read_text_file", annotations: { readOnlyHint: true } }), "read");
		assert.equal(toolKind({ name: "write_file", annotations: { readOnlyHint: false } }), "write");
		assert.equal(toolKind({ name: "create_directory", annotations: { readOnlyHint: false } }), "write");
		assert.equal(toolKind({ name: "move_file", annotations: { readOnlyHint: false } }), "manage");
		assert.equal(toolKind({ name: "list_things" }), "read");
		assert.equal(toolKind({ name: "frobnicate" }), "write", "an unannotated, unknown tool is treated as a write");
		assert.equal(toolAllowed("write", { allow_write: false, allow_manage: true }), false);
		assert.equal(toolAllowed("manage", { allow_write: true, allow_manage: true }), true);
	});

	describe("resolveInRoots", () => {
		let root: string;
		let other: string;
		before(async () => {
			root = await realpath(await mkdtemp(join(tmpdir(), "guard-root-")));
			other = await realpath(await mkdtemp(join(tmpdir(), "guard-other-")));
			await symlink(other, join(root, "out"));
		});
		after(async () => {
			await rm(root, { recursive: true, force: true });
			await rm(other, { recursive: true, force: true });
		});

		it("resolves relative paths against the root and keeps paths inside it", async () => {
			assert.equal(await resolveInRoots("path", "a/b.txt", [root]), join(root, "a/b.txt"));
			assert.equal(await resolveInRoots("path", "a/../..foo", [root]), join(root, "..foo"));
			assert.equal(await resolveInRoots("path", join(root, "x"), [root]), join(root, "x"));
		});

		it("refuses climbing out, absolute paths elsewhere and symlinks out, even for files not yet written", async () => {
			await assert.rejects(resolveInRoots("path", "../x", [root]), /path '\.\.\/x' is outside the allowed roots/);
			await assert.rejects(resolveInRoots("path", other, [root]), /outside the allowed roots/);
			await assert.rejects(resolveInRoots("path", "out/new-file.txt", [root]), (err: Error) => {
				assert.match(err.message, /resolves through a symlink/);
				// Where the link points is outside the workspace: the caller is not told.
				assert.ok(!err.message.includes(other), err.message);
				return true;
			});
		});

		it("checks every path argument of a tool, arrays included, and names the bad one", async () => {
			const tool = { name: "read_multiple_files", inputSchema: { properties: { paths: {}, other: {} } } };
			await assert.rejects(
				guardPaths(tool, { paths: ["ok.txt", "../../etc/passwd"], other: "../x" }, [root]),
				/arguments\.paths\.1 '\.\.\/\.\.\/etc\/passwd'/,
			);
			assert.deepEqual(await guardPaths(tool, { paths: ["ok.txt"], other: "../x" }, [root]), { paths: [join(root, "ok.txt")], other: "../x" });
		});
	});

	it("refuses a named pipe to a reader but lets get_file_info stat it, and a whole read of a file over the limit but not its tail", async () => {
		const root = await realpath(await mkdtemp(join(tmpdir(), "guard-special-")));
		try {
			execFileSync("mkfifo", [join(root, "pipe")]);
			await writeFile(join(root, "big.txt"), "x".repeat(100));
			const read = { name: "read_text_file", inputSchema: { properties: { path: {}, tail: {} } } };
			await assert.rejects(guardPaths(read, { path: "pipe" }, [root]), { type: "NOT_A_REGULAR_FILE", message: /arguments\.path 'pipe' is a named pipe/ });
			const info = { name: "get_file_info", inputSchema: { properties: { path: {} } } };
			assert.deepEqual(await guardPaths(info, { path: "pipe" }, [root]), { path: join(root, "pipe") });
			await assert.rejects(guardPaths(read, { path: "big.txt" }, [root], { maxWholeReadBytes: 99 }), { type: "FILE_TOO_LARGE", code: 413 });
			assert.deepEqual(await guardPaths(read, { path: "big.txt", tail: 5 }, [root], { maxWholeReadBytes: 99 }), { path: join(root, "big.txt"), tail: 5 });
			assert.deepEqual(await guardPaths(read, { path: "big.txt" }, [root], { maxWholeReadBytes: 100 }), { path: join(root, "big.txt") });
		} finally {
			await rm(root, { recursive: true, force: true });
		}
	});

	it("reads the file-system server's allowed directories", () => {
		assert.deepEqual(parseAllowedDirectories("Allowed directories:\n/a/b\n/c"), ["/a/b", "/c"]);
	});
});
