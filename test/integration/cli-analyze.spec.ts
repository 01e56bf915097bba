import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { resolve } from "node:path";

const BIN = resolve(__dirname, "../../bin/orchestrator.js");

/** `orchestrator analyze --jsonl` as a batch job runs it: lines in, one answer per line out, in order. */
describe("orchestrator analyze --jsonl", function () {
	// Each run starts the pipeline and waits for both MCP servers to connect (seconds on a loaded machine).
	this.timeout(60_000);

	it("answers every line in order; a line that is not an object is an error saying what was expected", async () => {
		const env = { ...process.env, TRANSPORTER: "", CACHER: "", SERVICES: "", NODE_ID: "", METRICS_PORT: "off" };
		const child = spawn("node", [BIN, "analyze", "--jsonl"], { env, stdio: ["pipe", "pipe", "pipe"] });
		let out = "";
		child.stdout.on("data", (c: Buffer) => (out += c));
		child.stdin.end(['{"request": "show README.md"}', "null", "[1, 2]", "not json", '{"request": "  "}', ""].join("\n"));
		const [code] = await once(child, "exit");
		const lines = out
			.trim()
			.split("\n")
			.map(l => JSON.parse(l));
		assert.equal(lines.length, 5);
		assert.equal(lines[0].intent, "READ");
		// The first line is analysed only once the MCP servers have connected: a tool route every run.
		assert.equal(lines[0].route.kind, "mcp", JSON.stringify(lines[0].route));
		assert.match(lines[1].error.message, /expected a JSON object/);
		assert.match(lines[2].error.message, /expected a JSON object/);
		assert.match(lines[3].error.message, /JSON/);
		assert.match(lines[4].error.message, /'request' field must not be blank/);
		assert.equal(code, 1, "a failed line makes the exit code 1");
	});

	it("runs from a directory without a config.yaml (as a desktop client launches it), on the project's own", async () => {
		const env = { ...process.env, CONFIG: "", TRANSPORTER: "", CACHER: "", SERVICES: "", NODE_ID: "", METRICS_PORT: "off" };
		const child = spawn("node", [BIN, "analyze", "deploy the billing service to staging"], { env, cwd: tmpdir(), stdio: ["ignore", "pipe", "pipe"] });
		let out = "";
		child.stdout.on("data", (c: Buffer) => (out += c));
		const [code] = await once(child, "exit");
		assert.equal(code, 0);
		assert.equal(JSON.parse(out).intent, "MANAGE");
	});
});
