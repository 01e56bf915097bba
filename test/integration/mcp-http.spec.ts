import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { ToolListChangedNotificationSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { ServiceBroker } from "moleculer";
import { ConfigSchema, loadConfig, PROJECT_ROOT } from "../../lib/config";
import { liveServices, type McpMetadata } from "../../lib/registry";
import { createMcpServer } from "../../services/gateway/tools";
import { freePort, NATS_URL, testBroker, testNamespace } from "../helpers";
import { callError, untilConnected, untilRegistry } from "./mcp-support";

const EVERYTHING = join(PROJECT_ROOT, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");

/** The reference `everything` server from its npm package, over Streamable HTTP, resolved once it listens. */
async function startEverything(port: number): Promise<ChildProcess> {
	const child = spawn(process.execPath, [EVERYTHING, "streamableHttp"], { env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "ignore", "pipe"] });
	let seen = "";
	await new Promise<void>((resolve, reject) => {
		child.stderr!.on("data", (chunk: Buffer) => {
			seen += chunk.toString();
			if (seen.includes(`listening on port ${port}`)) resolve();
		});
		child.once("exit", code => reject(new Error(`everything server exited (${code}): ${seen}`)));
	});
	return child;
}

async function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals = "SIGTERM") {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	const exited = once(child, "exit");
	child.kill(signal);
	await exited;
}

function httpConfig(port: number) {
	return ConfigSchema.parse({
		...loadConfig(),
		mcp_services: {
			everything: {
				type: "http",
				url: `http://127.0.0.1:${port}/mcp`,
				capabilities: ["analyze"],
				reconnect: { initial_ms: 50, max_ms: 400 },
				ping_interval_ms: 200,
			},
		},
	});
}

describe("mcp.<name> over Streamable HTTP: the reference everything server", function () {
	this.timeout(30_000);
	let port: number;
	let server: ChildProcess | undefined;
	let host: ServiceBroker;
	let remote: ServiceBroker;

	before(async () => {
		port = await freePort();
		server = await startEverything(port);
		const namespace = testNamespace();
		const env = { TRANSPORTER: NATS_URL, NAMESPACE: namespace, BREAKER_HALF_OPEN_MS: "100" };
		// The MCP client lives on one node; the other only sees it through the registry over NATS.
		host = testBroker({ services: ["mcp.everything"], config: httpConfig(port), env: { ...env, NODE_ID: `${namespace}-host` } });
		remote = testBroker({ services: ["router"], config: httpConfig(port), env: { ...env, NODE_ID: `${namespace}-remote` } });
		await Promise.all([host.start(), remote.start()]);
		await untilConnected(host, "mcp.everything");
	});

	after(async () => {
		await Promise.all([host?.stop(), remote?.stop()]);
		await stopProcess(server);
	});

	const remoteMeta = () => liveServices<McpMetadata>(remote, "mcp").find(s => s.service === "mcp.everything")?.meta;

	it("lists the server's tools and publishes them to the other node", async () => {
		await untilRegistry(remote, () => !!remoteMeta()?.connected, "the remote node to see the tools");
		const names = remoteMeta()!.tools.map(t => t.name);
		for (const t of ["echo", "get-sum"]) assert.ok(names.includes(t), t);
		assert.deepEqual(remoteMeta()!.capabilities, ["analyze"]);
		// Tools that change state stay hidden: the entry allows no writes.
		assert.ok(!names.includes("toggle-simulated-logging"));
	});

	it("calls tools from the other node through the broker", async () => {
		const echo = await remote.call<{ text: string }, unknown>("mcp.everything.callTool", { tool: "echo", arguments: { message: "hi there" } });
		assert.equal(echo.text, "Echo: hi there");
		const sum = await remote.call<{ text: string }, unknown>("mcp.everything.callTool", { tool: "get-sum", arguments: { a: 2, b: 40 } });
		assert.match(sum.text, /\b42\b/);
	});

	it("refuses arguments that do not match the tool's schema, naming the field", async () => {
		const err = await callError(remote.call("mcp.everything.callTool", { tool: "get-sum", arguments: { a: "two", b: 40 } }));
		assert.equal(err.code, 422);
		assert.match(err.message, /\/a must be number/);
	});

	it("gives clear retryable errors while the server is down, then reconnects when it is back", async () => {
		await stopProcess(server, "SIGKILL");
		server = undefined;
		// The ping notices before any request fails, and every node learns it: the router stops choosing these tools.
		await untilRegistry(remote, () => remoteMeta()?.connected === false, "the remote node to see the disconnect");
		const down = await callError(remote.call("mcp.everything.callTool", { tool: "echo", arguments: { message: "anyone?" } }));
		assert.equal(down.type, "MCP_DISCONNECTED");
		assert.equal(down.code, 503);
		assert.equal(down.retryable, true);
		assert.match(down.message, /mcp\.everything is not connected to its MCP server \(reconnecting, attempt \d+: .+\)/);

		server = await startEverything(port);
		await untilConnected(host, "mcp.everything");
		await untilRegistry(remote, () => !!remoteMeta()?.connected, "the remote node to see the reconnect");
		const echo = await remote.call<{ text: string }, unknown>("mcp.everything.callTool", { tool: "echo", arguments: { message: "back" } });
		assert.equal(echo.text, "Echo: back");
	});
});

describe("mcp.<name> follows tools/list_changed", function () {
	this.timeout(20_000);
	let http: Server;
	let mcp: McpServer;
	let broker: ServiceBroker;

	before(async () => {
		// A small SDK server of our own: one stateful session, so it can push notifications on its SSE stream.
		mcp = new McpServer({ name: "growing", version: "1.0.0" });
		mcp.registerTool("first", { description: "the first tool", inputSchema: {}, annotations: { readOnlyHint: true } }, async () => ({
			content: [{ type: "text", text: "one" }],
		}));
		const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });
		await mcp.connect(transport);
		http = createServer((req, res) => void transport.handleRequest(req, res));
		const port = await freePort();
		await new Promise<void>(resolve => http.listen(port, "127.0.0.1", resolve));
		broker = testBroker({
			services: ["mcp.growing"],
			config: ConfigSchema.parse({ ...loadConfig(), mcp_services: { growing: { type: "http", url: `http://127.0.0.1:${port}/mcp` } } }),
		});
		await broker.start();
		await untilConnected(broker, "mcp.growing");
	});

	after(async () => {
		await broker?.stop();
		await mcp?.close();
		http?.closeAllConnections();
		await new Promise(resolve => http?.close(resolve));
	});

	it("republishes its tools when the server adds one, and a re-exporting gateway session hears of it", async () => {
		const names = () =>
			liveServices<McpMetadata>(broker, "mcp")
				.find(s => s.service === "mcp.growing")
				?.meta.tools.map(t => t.name) ?? [];
		assert.deepEqual(names(), ["first"]);
		// A long-lived session on our own MCP server, re-exporting the downstream tools.
		const config = ConfigSchema.parse({ ...loadConfig(), gateway: { reexport_tools: true } });
		const gateway = createMcpServer(broker, config);
		const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
		await gateway.connect(serverSide);
		const client = new Client({ name: "session", version: "0" });
		await client.connect(clientSide);
		const exported = async () => (await client.listTools()).tools.map(t => t.name);
		assert.ok((await exported()).includes("growing__first"));
		const heard = new Promise<void>(resolve => {
			client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
				if ((await exported()).includes("growing__second")) resolve();
			});
		});
		mcp.registerTool("second", { description: "added later", inputSchema: { x: z.string() }, annotations: { readOnlyHint: true } }, async ({ x }) => ({
			content: [{ type: "text", text: `two ${x}` }],
		}));
		await untilRegistry(broker, () => names().includes("second"), "the new tool to be published");
		assert.deepEqual(names(), ["first", "second"]);
		const res = await broker.call<{ text: string }, unknown>("mcp.growing.callTool", { tool: "second", arguments: { x: "ok" } });
		assert.equal(res.text, "two ok");
		await heard;
		const viaGateway = (await client.callTool({ name: "growing__second", arguments: { x: "via" } })) as CallToolResult;
		assert.equal((viaGateway.content[0] as { text: string }).text, "two via");
		await client.close();
	});
});
