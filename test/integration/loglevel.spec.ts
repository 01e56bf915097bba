import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { standaloneEnv } from "../helpers";

const BIN = resolve(__dirname, "../../bin/orchestrator.js");

/**
 * LOGLEVEL as an operator may write it: Moleculer's console logger printed nothing, errors included, for a level it
 * does not know, and the node ran silent (audit D7). Upper case is the same level; an unknown one stops the start.
 */
describe("LOGLEVEL on `orchestrator start`", function () {
	this.timeout(60_000);
	const start = (LOGLEVEL: string) => {
		const proc = spawn(process.execPath, [BIN, "start"], { env: standaloneEnv({ LOGLEVEL, SERVICES: "intent" }) });
		let out = "";
		proc.stdout.on("data", (c: Buffer) => (out += c));
		proc.stderr.on("data", (c: Buffer) => (out += c));
		return { proc, out: () => out };
	};

	it("LOGLEVEL=DEBUG logs at debug level", async () => {
		const { proc, out } = start("DEBUG");
		const exited = once(proc, "exit");
		try {
			const deadline = Date.now() + 40_000;
			while (!/ServiceBroker .* started/.test(out()) && proc.exitCode === null && Date.now() < deadline) await new Promise(r => setTimeout(r, 100));
			assert.match(out(), /ServiceBroker .* started/, `the node's output:\n${out()}`);
			assert.match(out(), /\bDEBUG\b/, "debug lines are printed");
		} finally {
			proc.kill("SIGTERM");
			await exited;
		}
	});

	it("LOGLEVEL=verbose is a start-up error naming LOGLEVEL and the levels", async () => {
		const { proc, out } = start("verbose");
		const [code] = await once(proc, "exit");
		assert.equal(code, 1);
		assert.match(out(), /LOGLEVEL must be one of fatal, error, warn, info, debug, trace \(any case\), not 'verbose'/);
	});
});
