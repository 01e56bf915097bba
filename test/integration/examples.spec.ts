import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import type { ServiceBroker } from "moleculer";
import { startVendors, type Vendors } from "../fixtures/vendors";
import { freePort, testBroker } from "../helpers";

const ROOT = resolve(__dirname, "../..");
const TSX = resolve(ROOT, "node_modules/.bin/tsx");

/** The gateway below runs with a key, as a shared one should: the examples present it (ORCHESTRATOR_API_KEY). */
const KEY = "example-key-0123456789";

function example(file: string, url: string, args: string[] = [], key: string | null = KEY): Promise<{ code: number; out: string; err: string }> {
	const env = { ...process.env, ORCHESTRATOR_URL: url, ...(key ? { ORCHESTRATOR_API_KEY: key } : {}) };
	if (!key) delete env.ORCHESTRATOR_API_KEY;
	return new Promise(done => {
		execFile(TSX, [`examples/${file}`, ...args], { cwd: ROOT, env }, (e, out, err) => done({ code: e ? Number(e.code) : 0, out, err }));
	});
}

/** The examples/ scripts a new user runs in the first hour, against the real gateway and the vendors' fakes. */
describe("examples/", function () {
	this.timeout(60_000);
	let vendors: Vendors;
	let broker: ServiceBroker;
	let url: string;

	before(async () => {
		vendors = await startVendors();
		const port = await freePort();
		url = `http://127.0.0.1:${port}`;
		broker = testBroker({ env: { ...vendors.env, PORT: String(port), HOST: "127.0.0.1", WORKSPACE_DIR: ROOT, API_KEYS: KEY } });
		await broker.start();
		await broker.waitForServices(["mcp.filesystem"]);
		for (
			let i = 0;
			i < 100 &&
			!(await fetch(`${url}/health`).then(
				r => r.ok,
				() => false,
			));
			i++
		)
			await new Promise(r => setTimeout(r, 100));
	});
	after(async () => {
		await broker?.stop();
		await vendors?.stop();
	});

	it("read-file: a tool answer at zero tokens and zero dollars", async () => {
		const { code, out } = await example("read-file.ts", url);
		assert.equal(code, 0, out);
		assert.match(out, /route\s+tool mcp\.filesystem\.\w+/);
		assert.match(out, /tokens\s+0 in, 0 out; baseline \d+ in/);
		assert.match(out, /dollars\s+0 against the baseline's [\d.]+ \(100\.0% less\)/);
		assert.match(out, /# Dynamic Orchestrator/);
		assert.equal(vendors.completions(), 0);
	});

	it("fastapi-endpoint and complex-refactor: a model's answer, its tokens and dollars against the baseline", async () => {
		const fastapi = await example("fastapi-endpoint.ts", url);
		assert.equal(fastapi.code, 0, fastapi.err);
		assert.match(fastapi.out, /intent\s+WRITE/);
		assert.match(fastapi.out, /model\s+[\w.-]+/);
		assert.match(fastapi.out, /dollars\s+[\d.e-]+ against the baseline's [\d.e-]+/);
		const refactor = await example("complex-refactor.ts", url, ["0.5"]);
		assert.equal(refactor.code, 0, refactor.err);
		assert.match(refactor.out, /complex refactor under max_cost 0\.5 USD/);
		assert.match(refactor.out, /attempts\s+\S+@\S+ ok/);
	});

	it("without the key the gateway asks for, its 401 is said in one line, exit 1", async () => {
		const { code, err } = await example("read-file.ts", url, [], null);
		assert.equal(code, 1);
		assert.match(err, /401 unauthorized/);
	});

	it("an unreachable server is said in one line, exit 1", async () => {
		const { code, err } = await example("read-file.ts", `http://127.0.0.1:${await freePort()}`);
		assert.equal(code, 1);
		assert.match(err, /is the orchestrator running\?/);
	});
});
