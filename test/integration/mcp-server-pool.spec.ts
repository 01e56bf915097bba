import { strict as assert } from "node:assert";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { ServiceBroker } from "moleculer";
import type { McpServerPool } from "../../services/gateway/tools";
import { freePort, testBroker } from "../helpers";

/**
 * The /mcp endpoint leases its McpServers from a pool instead of building one per request
 * (services/gateway/tools McpServerPool): the same isolation as a fresh server per request, checked
 * through the official SDK client against a gateway with two keys.
 */
describe("MCP over Streamable HTTP: pooled servers", function () {
	this.timeout(30_000);
	let broker: ServiceBroker;
	let base: string;
	let pool: McpServerPool;
	/** Each metrics.get call the tools made, with the key it carried. */
	const calls: { period: string; key: string | undefined }[] = [];

	before(async () => {
		const port = await freePort();
		base = `http://127.0.0.1:${port}/mcp`;
		broker = testBroker({ services: ["gateway", "metrics"], env: { PORT: String(port), HOST: "127.0.0.1", API_KEYS: "secret-one,secret-two" } });
		const call = broker.call.bind(broker) as (...a: unknown[]) => Promise<unknown>;
		(broker as any).call = async (action: string, params: any, opts: any) => {
			if (action !== "metrics.get") return call(action, params, opts);
			const seen = { period: params.period, key: opts?.meta?.key?.name };
			// Slow enough that the concurrent requests below overlap, each on a server of its own, and that a client leaving
			// mid-call is seen before the answer even on a loaded machine (30 ms lost that race once at load 3).
			await new Promise(r => setTimeout(r, 200));
			calls.push(seen);
			return call(action, params, opts);
		};
		await broker.start();
		pool = (broker.getLocalService("gateway") as any).mcpServers;
	});
	after(() => broker?.stop());

	const client = async (secret: string) => {
		const c = new Client({ name: `pool-${secret}`, version: "1.0.0" });
		await c.connect(new StreamableHTTPClientTransport(new URL(base), { requestInit: { headers: { authorization: `Bearer ${secret}` } } }));
		return c;
	};

	it("concurrent calls of two keys each carry their own key; the servers are used again", async () => {
		const [one, two] = await Promise.all([client("secret-one"), client("secret-two")]);
		const builtBefore = pool.built;
		calls.length = 0;
		// api-key-1 asks for 1m, api-key-2 for 5m: a call carrying the other key's name would show here.
		const n = 60;
		const answers = await Promise.all(
			Array.from({ length: n }, (_, i) =>
				i % 2 ? two.callTool({ name: "get_metrics", arguments: { period: "5m" } }) : one.callTool({ name: "get_metrics", arguments: { period: "1m" } }),
			),
		);
		for (const a of answers as any[]) assert.equal(a.isError, undefined, JSON.stringify(a.content));
		assert.equal(calls.length, n);
		for (const c of calls) assert.equal(c.key, c.period === "1m" ? "api-key-1" : "api-key-2", JSON.stringify(c));
		// Overlapping requests each had a server of their own.
		assert.ok(pool.built - builtBefore > 1, `built ${pool.built - builtBefore} servers for ${n} overlapping requests`);
		// Then the idle ones serve: nothing more is built, and each call carries its own caller's key.
		const built = pool.built;
		for (let i = 0; i < 10; i++) await (i % 2 ? two : one).callTool({ name: "get_metrics", arguments: { period: i % 2 ? "5m" : "1m" } });
		await Promise.all(
			Array.from({ length: 10 }, (_, i) => (i % 2 ? two : one).callTool({ name: "get_metrics", arguments: { period: i % 2 ? "5m" : "1m" } })),
		);
		assert.equal(pool.built, built);
		assert.equal(calls.length, n + 20);
		for (const c of calls) assert.equal(c.key, c.period === "1m" ? "api-key-1" : "api-key-2", JSON.stringify(c));
		await Promise.all([one.close(), two.close()]);
	});

	it("a server that answered initialize or logging/setLevel never serves another request", async () => {
		const c = await client("secret-one");
		await c.setLoggingLevel("error");
		await Promise.all(Array.from({ length: 4 }, () => c.callTool({ name: "get_metrics", arguments: { period: "1h" } })));
		// Only servers of stateless requests are idle: none holds a client's capabilities or a log level.
		assert.ok(pool.idleServers.length > 0);
		for (const { server } of pool.idleServers) {
			assert.equal(server.server.getClientCapabilities(), undefined);
			assert.equal(server.server.getClientVersion(), undefined);
			assert.equal((server.server as any).isMessageIgnored("debug", undefined), false, "no log level left from another request");
		}
		await c.close();
	});

	it("every idle server is keyless, answering nothing and running no handler once the requests are answered", async () => {
		const c = await client("secret-two");
		await Promise.all(Array.from({ length: 8 }, () => c.callTool({ name: "get_metrics", arguments: { period: "1d" } })));
		await c.close();
		// The last releases run on the responses' close events.
		await new Promise(r => setTimeout(r, 50));
		assert.ok(pool.idleServers.length > 0);
		for (const s of pool.idleServers) {
			assert.deepEqual(s.caller.meta, {});
			assert.equal(s.transport.busy, false);
			assert.equal((s.server.server as any)._requestHandlerAbortControllers.size, 0, "a handler still running");
		}
		assert.ok(pool.idleServers.length <= 64);
	});

	it("a request the client leaves before its answer closes its server instead of pooling it", async () => {
		// The previous test left idle servers; acquire takes the last one.
		assert.ok(pool.idleServers.length > 0);
		const leased = pool.idleServers.at(-1)!;
		const controller = new AbortController();
		const body = { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "get_metrics", arguments: { period: "1m" } } };
		const sent = fetch(base, {
			method: "POST",
			headers: { authorization: "Bearer secret-one", "content-type": "application/json", accept: "application/json, text/event-stream" },
			body: JSON.stringify(body),
			signal: controller.signal,
		}).catch(() => undefined);
		// Once its server is leased the request is in its tool, which metrics.get holds 200 ms above: the client goes then.
		while (pool.idleServers.includes(leased)) await new Promise(r => setImmediate(r));
		controller.abort();
		await sent;
		await new Promise(r => setTimeout(r, 100));
		assert.ok(!pool.idleServers.includes(leased), "the server of an unanswered request went back to the pool");
		assert.equal(leased.server.isConnected(), false);
	});
});
