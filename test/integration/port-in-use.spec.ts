import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { freePort, standaloneEnv } from "../helpers";

/** `orchestrator start` run to its end (killed after 45 s: it kept running), with its exit code and all it printed. */
async function start(env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
	const child = spawn(process.execPath, [join(__dirname, "../../bin/orchestrator.js"), "start"], { env, stdio: ["ignore", "pipe", "pipe"] });
	let out = "";
	child.stdout.on("data", (c: Buffer) => (out += c));
	child.stderr.on("data", (c: Buffer) => (out += c));
	const timer = setTimeout(() => child.kill("SIGKILL"), 45_000);
	const [code] = (await once(child, "exit")) as [number | null];
	clearTimeout(timer);
	return { code, out };
}

/** `orchestrator start` on a taken PORT, or with a setting it cannot read, must stop with a non-zero code saying why, not run on without a listener or never ready. */
describe("orchestrator start with a setting it cannot use (a PORT in use, a number that is not one)", function () {
	this.timeout(60_000);
	let squatter: Server;
	let port: number;

	before(async () => {
		port = await freePort();
		squatter = createServer();
		await new Promise<void>(resolve => squatter.listen(port, "127.0.0.1", resolve));
	});
	after(() => squatter?.close());

	it("exits non-zero and names the address and the variable to change", async () => {
		const env = standaloneEnv({ PORT: String(port), HOST: "127.0.0.1", LOGLEVEL: "info", WORKSPACE_DIR: "" });
		const { code, out } = await start(env);
		assert.notEqual(code, 0, out.slice(-2000));
		assert.notEqual(code, null, "killed: it kept running");
		assert.match(out, new RegExp(`127\\.0\\.0\\.1:${port} is already in use; set PORT`));
	});

	it("a setting that is not a number ends the start with its name, exit 1 and no stack trace", async () => {
		const env = standaloneEnv({ PORT: String(await freePort()), HOST: "127.0.0.1", BULKHEAD_CONCURRENCY: "abc", WORKSPACE_DIR: "" });
		const { code, out } = await start(env);
		assert.equal(code, 1, out.slice(-2000));
		assert.match(out, /BULKHEAD_CONCURRENCY must be a positive integer, not 'abc'/);
		assert.doesNotMatch(out, /\n\s+at /, "no stack trace");
	});

	it("a METRICS_PORT in use ends the start naming it, exit 1 and no stack trace", async () => {
		const env = standaloneEnv({ PORT: String(await freePort()), HOST: "127.0.0.1", METRICS_PORT: String(port), LOGLEVEL: "info", WORKSPACE_DIR: "" });
		const { code, out } = await start(env);
		assert.equal(code, 1, out.slice(-2000));
		assert.match(out, new RegExp(`127\\.0\\.0\\.1:${port} is already in use; set METRICS_PORT`));
		assert.doesNotMatch(out, /\n\s+at /, "no stack trace");
	});
});
