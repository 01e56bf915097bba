import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:net";
import { resolve } from "node:path";
import type { ServiceBroker } from "moleculer";
import { freePort, testBroker } from "../helpers";

const CHECK = resolve(__dirname, "../../bin/healthcheck.js");

/** bin/healthcheck.js as the container's HEALTHCHECK runs it: exit code and stderr. */
function check(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
	return new Promise(done => {
		execFile(process.execPath, [CHECK], { env: { PATH: process.env.PATH ?? "", ...env } }, (err, _out, stderr) =>
			done({ code: err ? Number(err.code) : 0, stderr }),
		);
	});
}

describe("container HEALTHCHECK (bin/healthcheck.js)", function () {
	this.timeout(30_000);
	let broker: ServiceBroker | undefined;
	let server: Server | undefined;
	after(async () => {
		await broker?.stop();
		server?.close();
	});

	it("a gateway container: healthy once /health answers 200, unhealthy with the reason while nothing listens", async () => {
		const port = await freePort();
		const down = await check({ PORT: String(port), SERVICES: "" });
		assert.equal(down.code, 1);
		assert.match(down.stderr, /GET \/health: .*ECONNREFUSED/);

		broker = testBroker({
			services: ["gateway", "orchestrator", "intent", "complexity", "router", "prompt", "models", "metrics"],
			env: { PORT: String(port), HOST: "127.0.0.1" },
		});
		await broker.start();
		assert.deepEqual(await check({ PORT: String(port), SERVICES: "gateway" }), { code: 0, stderr: "" });
	});

	it("a container without the gateway: healthy while its Prometheus port accepts connections", async () => {
		const port = await freePort();
		assert.equal((await check({ SERVICES: "llm-*", METRICS_PORT: String(port) })).code, 1);
		server = createServer(s => s.end());
		await new Promise<void>(r => server!.listen(port, "127.0.0.1", r));
		assert.equal((await check({ SERVICES: "llm-*", METRICS_PORT: String(port) })).code, 0);
	});
});
