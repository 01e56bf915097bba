import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { freePort } from "../helpers";

const BIN = resolve(__dirname, "../../bin/orchestrator.js");

/** A desktop client launching `orchestrator mcp` against a cluster that is not there. */
describe("orchestrator mcp with an unreachable transporter", function () {
	this.timeout(30_000);

	it("exits 1 with a reason on stderr (credentials redacted) instead of hanging, and writes nothing to stdout", async () => {
		const deadPort = await freePort();
		const env = {
			...process.env,
			TRANSPORTER: `nats://user:s3cretpass@127.0.0.1:${deadPort}`,
			WAIT_FOR_SERVICES_MS: "1500",
			CACHER: "",
			SERVICES: "",
			NODE_ID: "",
			LOGLEVEL: "warn",
		};
		const child = spawn("node", [BIN, "mcp"], { env, stdio: ["pipe", "pipe", "pipe"] });
		let out = "";
		let err = "";
		child.stdout.on("data", (c: Buffer) => (out += c));
		child.stderr.on("data", (c: Buffer) => (err += c));
		const [code] = await once(child, "exit");
		assert.equal(code, 1);
		assert.equal(out, "", "stdout belongs to JSON-RPC");
		assert.match(err, /did not offer the orchestrator and metrics services within 1500 ms \(WAIT_FOR_SERVICES_MS\)/);
		assert.ok(!err.includes("s3cretpass"), "the transporter password is not printed");
	});
});

/** A desktop client starts the server in a folder of its own choosing: the log says where the file tools look. */
describe("orchestrator mcp started from another folder", function () {
	this.timeout(30_000);

	it("says on stderr which directory the file tools are rooted at, and nothing on stdout", async () => {
		const cwd = realpathSync(tmpdir());
		const env = { ...process.env, TRANSPORTER: "", CACHER: "", SERVICES: "", NODE_ID: "", CONFIG: "", WORKSPACE_DIR: "", LOGLEVEL: "warn" };
		const child = spawn("node", [BIN, "mcp"], { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
		let out = "";
		let err = "";
		child.stdout.on("data", (c: Buffer) => (out += c));
		const said = new Promise<void>(resolve => child.stderr.on("data", (c: Buffer) => ((err += c), /rooted at/.test(err) && resolve())));
		const exited = once(child, "exit");
		await Promise.race([said, exited]);
		child.stdin.end();
		await exited;
		assert.match(
			err,
			new RegExp(
				`file tools \\(mcp\\.filesystem, mcp\\.search\\) are rooted at ${cwd.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(WORKSPACE_DIR unset: the directory this was started in\\)`,
			),
		);
		assert.equal(out, "", "stdout belongs to JSON-RPC");
	});
});

/** A desktop client starts the server in an application's folder: that folder's config.yaml and .env are not ours. */
describe("orchestrator mcp started in a folder with a config.yaml and .env of its own", function () {
	this.timeout(30_000);
	let dir: string;
	before(() => {
		dir = mkdtempSync(join(realpathSync(tmpdir()), "app-"));
		writeFileSync(join(dir, "config.yaml"), "server:\n  port: [not, ours\n");
		writeFileSync(join(dir, ".env"), "DATABASE_URL=postgres://app@127.0.0.1:1/app\nCONFIG=./config.yaml\n");
	});
	after(() => rmSync(dir, { recursive: true, force: true }));

	it("reads the project's own: initialize and tools/list answer, and neither file is named", async () => {
		const env = {
			...process.env,
			TRANSPORTER: "",
			CACHER: "",
			SERVICES: "",
			NODE_ID: "",
			CONFIG: "",
			DATABASE_URL: "",
			WORKSPACE_DIR: dir,
			LOGLEVEL: "warn",
		};
		let err = "";
		const transport = new StdioClientTransport({
			command: process.execPath,
			args: [BIN, "mcp"],
			cwd: dir,
			env: env as Record<string, string>,
			stderr: "pipe",
		});
		transport.stderr?.on("data", (c: Buffer) => (err += c));
		const client = new Client({ name: "desktop", version: "1.0.0" });
		try {
			await client.connect(transport);
			const tools = await client.listTools();
			assert.ok(
				tools.tools.some(t => t.name === "orchestrate"),
				JSON.stringify(tools.tools.map(t => t.name)),
			);
		} finally {
			await client.close();
		}
		assert.doesNotMatch(err, /config\.yaml|127\.0\.0\.1:1\b|app@/, err);
	});
});

/** A desktop client's settings name a WORKSPACE_DIR that does not exist (a typo): say so, and answer at once without file tools. */
describe("orchestrator mcp with a WORKSPACE_DIR that does not exist", function () {
	this.timeout(60_000);

	it("answers initialize promptly, names WORKSPACE_DIR on stderr, and serves its own tools without the file tools", async () => {
		const missing = join(realpathSync(tmpdir()), `no-such-workspace-${process.pid}`);
		const env = { ...process.env, TRANSPORTER: "", CACHER: "", SERVICES: "", NODE_ID: "", CONFIG: "", WORKSPACE_DIR: missing, LOGLEVEL: "warn" };
		let err = "";
		const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, "mcp"], env: env as Record<string, string>, stderr: "pipe" });
		transport.stderr?.on("data", (c: Buffer) => (err += c));
		const client = new Client({ name: "desktop", version: "1.0.0" });
		const started = Date.now();
		try {
			await client.connect(transport);
			const took = Date.now() - started;
			// It waited WAIT_FOR_SERVICES_MS (30 s) for file servers that could never start.
			assert.ok(took < 15_000, `initialize answered after ${took} ms`);
			const tools = await client.listTools();
			assert.ok(tools.tools.some(t => t.name === "orchestrate"));
		} finally {
			await client.close();
		}
		assert.ok(err.includes(`WORKSPACE_DIR=${missing} is not a directory (${missing}): the file tools (mcp.filesystem, mcp.search) are off`), err);
		assert.doesNotMatch(err, /not connected after \d+ ms/);
	});
});
