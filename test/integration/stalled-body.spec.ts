import { strict as assert } from "node:assert";
import { connect } from "node:net";
import type { ServiceBroker } from "moleculer";
import { loadConfig } from "../../lib/config";
import { freePort, testBroker } from "../helpers";

/**
 * A client that sends its headers and then stalls its body (slowloris) holds a connection until
 * limits.request_timeout_ms, then gets a 408 and a closed connection, not after Node's 300 s.
 * Node checks for expired requests every connectionsCheckingInterval; the gateway sets it to a
 * quarter of the limit, at least 1 s (services/gateway/server-timeouts.ts), so a 1 s limit answers
 * within ~2 s, not the ~31 s of Node's default 30 s interval.
 */
describe("a request whose body stalls", function () {
	this.timeout(30_000);
	let broker: ServiceBroker;
	let port: number;

	before(async () => {
		port = await freePort();
		const config = loadConfig();
		broker = testBroker({
			config: { ...config, limits: { ...config.limits, request_timeout_ms: 1000 } },
			env: { PORT: String(port), HOST: "127.0.0.1", WORKSPACE_DIR: "" },
			exclude: ["mcp.*"],
		});
		await broker.start();
		await broker.waitForServices(["gateway"], 20_000);
	});

	after(async () => {
		await broker?.stop();
	});

	it("is answered 408 after limits.request_timeout_ms and its connection closed; the gateway serves on", async () => {
		const started = Date.now();
		const answer = await new Promise<string>((resolve, reject) => {
			const socket = connect(port, "127.0.0.1", () => {
				socket.write('POST /api/orchestrate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"request":');
			});
			let data = "";
			socket.on("data", d => (data += d.toString()));
			socket.on("close", () => resolve(data));
			socket.on("error", reject);
		});
		const waited = Date.now() - started;
		assert.match(answer, /^HTTP\/1\.1 408/, answer);
		assert.ok(waited >= 1000 && waited < 5_000, `answered after ${waited} ms (Node's default check interval would take up to 31 s)`);
		const health = await fetch(`http://127.0.0.1:${port}/health`);
		assert.ok(health.status === 200 || health.status === 503, `health ${health.status}`);
	});
});
