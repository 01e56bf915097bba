import { statSync } from "node:fs";
import { hostname } from "node:os";
import { createInterface } from "node:readline";
import { resolve as resolvePath } from "node:path";
import { parseArgs } from "node:util";
import type { ServiceBroker } from "moleculer";
import { createMcpServer } from "../services/gateway/tools";
import { StdioJsonRpcTransport } from "../services/gateway/mcp-stdio";
import { configPath, loadConfig } from "../lib/config";
import { errorMessage, redact } from "../lib/errors";
import { waitForMcpServices, waitForServicesMs } from "../lib/mcp-ready";
import { replCommands, useClusterCacheClear } from "./repl/commands";
import { createBroker, matchesServiceList, parseServiceList } from "../lib/runner";
import { busOf } from "../lib/bus";

const USAGE = `usage:
  orchestrator start                       start the services (all, or SERVICES=a,b) with the HTTP gateway
  orchestrator mcp                         MCP server over stdio (logs on stderr)
  orchestrator repl                        Moleculer REPL on a node of its own (TRANSPORTER joins the cluster),
                                           plus orchestrate, analyze, models, breakers, keys, cache clear
  orchestrator analyze "<request>" [--context '<json>']
  orchestrator analyze --jsonl             one {"request", "context"} per stdin line -> one result per line
  orchestrator --help                      this text

Environment: .env in the current directory is read when present (.env.example lists every variable).`;

/** stdout belongs to JSON-RPC (mcp) or to results (analyze): send every log line to stderr. */
function logsToStderr() {
	for (const method of ["log", "info", "debug", "trace"] as const) console[method] = console.error;
}

/**
 * Stops the broker once, however many triggers fire (SIGTERM, SIGINT, stdin closing, the MCP transport
 * closing, the bus closed for good), then exits with the first trigger's code. Two overlapping broker.stop() runs let
 * the quicker one exit the process while the other still waited for the MCP server children to close; Moleculer's own
 * signal handlers are off (skipProcessEventRegistration in moleculer.config.ts) so this is the only one.
 */
function shutdownOnce(broker: ServiceBroker): (code?: number) => Promise<void> {
	let stopping: Promise<void> | undefined;
	return (code = 0) => (stopping ??= broker.stop().then(() => process.exit(code)));
}

/**
 * The NATS client closed for good (nats-server back with another token: middlewares/bus-closed.middleware.ts said why):
 * this node would never rejoin the bus. It stops as on SIGTERM (local calls in flight finish) and exits 1, as Moleculer
 * did with the NATS v1 client (`broker.fatal`) and as this project ends on any fatal condition (a PORT or METRICS_PORT in
 * use): whatever runs it restarts it with the Secret's current token (k8s restarts the container, compose's `restart:
 * unless-stopped` too), and `orchestrator start` run by hand does not sit dead. A restart that still cannot join fails its
 * start naming NATS_TOKEN (middlewares/bus-auth.middleware.ts). /live answers 503 meanwhile, so a stop that hangs is
 * still restarted by the kubelet. A transient outage never comes here: the client reconnects by itself.
 */
function exitWhenBusClosed(broker: ServiceBroker, stop: (code?: number) => Promise<void>) {
	const watch = busOf(broker);
	const exit = () => {
		broker.logger.fatal("this node left the bus for good: it stops and exits with code 1, to be restarted");
		void stop(1);
	};
	if (watch?.closed) exit();
	else watch?.once("closed", exit);
}

function stopOnSignals(stop: () => Promise<void>) {
	process.once("SIGINT", () => void stop());
	process.once("SIGTERM", () => void stop());
}

/**
 * `npx orchestrator start` runs this under npm's `sh -c`, and a SIGTERM or SIGINT sent to npx reaches
 * that shell, which dies without passing it on: this process would live on, orphaned, holding its
 * port. Launched by npm (npm_command is set), it stops when its launching process is gone.
 */
function stopWithNpmLauncher(stop: () => Promise<void>) {
	if (!process.env.npm_command) return;
	const launcher = process.ppid;
	const timer = setInterval(() => {
		if (process.ppid === launcher) return;
		clearInterval(timer);
		void stop();
	}, 250);
	timer.unref();
}

async function start() {
	const broker = createBroker();
	const stop = shutdownOnce(broker);
	stopOnSignals(stop);
	stopWithNpmLauncher(stop);
	exitWhenBusClosed(broker, stop);
	await broker.start();
}

/**
 * The REPL's own node settings, whatever the environment says: an operator runs it with `kubectl exec` in a pod, whose
 * environment holds the pod's METRICS_PORT (already bound by the pod's node: the REPL exited) and NODE_ID (the pod's
 * name: the running node saw a nodeID conflict and stopped). No Prometheus port, and a node id of its own.
 */
export function replEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	return { ...env, METRICS_PORT: "off", NODE_ID: `repl-${hostname()}-${process.pid}`, LOGLEVEL: env.LOGLEVEL ?? "warn" };
}

/** An operator's console: alone it hosts the pipeline; with TRANSPORTER it joins the cluster hosting nothing. */
async function repl() {
	const env = process.env;
	const config = loadConfig(configPath(env));
	useClusterCacheClear();
	const broker = createBroker({
		config,
		services: env.TRANSPORTER ? [] : undefined,
		exclude: ["gateway"],
		// Broker chatter would bury the answers at the prompt (LOGLEVEL=info brings it back); see replEnv.
		env: replEnv(env),
		broker: { replCommands: replCommands(config), replDelimiter: "orchestrator $" },
	});
	await broker.start();
	broker.repl();
}

function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(message)), ms);
	});
	return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * A desktop client starts `orchestrator mcp` in a folder of its choosing (often the home directory):
 * say on stderr where the local file tools are rooted, so a user sees why README.md is not found.
 */
function logWorkspace(env: NodeJS.ProcessEnv, config: ReturnType<typeof loadConfig>) {
	const local = Object.entries(config.mcp_services).filter(
		([name, e]) => e.enabled && (!env.TRANSPORTER || !!env.SERVICES) && matchesServiceList(`mcp.${name}`, parseServiceList(env.SERVICES)),
	);
	if (!local.length) return;
	const root = resolvePath(env.WORKSPACE_DIR || ".");
	const how = env.WORKSPACE_DIR ? `WORKSPACE_DIR=${env.WORKSPACE_DIR}` : "WORKSPACE_DIR unset: the directory this was started in";
	console.error(`orchestrator mcp: file tools (${local.map(([n]) => `mcp.${n}`).join(", ")}) are rooted at ${root} (${how})`);
}

/**
 * The mcp_services entries rooted at a WORKSPACE_DIR that is not a directory (a typo in a desktop client's settings):
 * their servers fail to start, over and over, and `initialize` waited WAIT_FOR_SERVICES_MS (~34 s) for them while stderr
 * only said "Connection closed". Said once, naming WORKSPACE_DIR, and those entries are left out: the server answers at
 * once, without file tools (requests for files go to an LLM, as when no file server is connected).
 */
function missingWorkspace(env: NodeJS.ProcessEnv, config: ReturnType<typeof loadConfig>): string[] {
	const dir = env.WORKSPACE_DIR;
	if (!dir) return [];
	const root = resolvePath(dir);
	try {
		if (statSync(root).isDirectory()) return [];
	} catch {
		// missing or unreadable: the same for the servers rooted there
	}
	const rooted = Object.entries(config.mcp_services)
		.filter(([, e]) => e.enabled && [...(e.type === "stdio" ? [...e.args, e.cwd ?? ""] : []), ...(e.roots ?? [])].some(a => a && resolvePath(a) === root))
		.map(([name]) => `mcp.${name}`);
	if (rooted.length)
		console.error(
			`orchestrator mcp: WORKSPACE_DIR=${dir} is not a directory (${root}): the file tools (${rooted.join(", ")}) are off; set WORKSPACE_DIR to your project's folder`,
		);
	return rooted;
}

async function mcp() {
	logsToStderr();
	const env = process.env;
	const config = loadConfig(configPath(env));
	const noWorkspace = env.TRANSPORTER && !env.SERVICES ? [] : missingWorkspace(env, config);
	// Clustered: a gateway-only node whose calls go over the transporter; alone: host the pipeline here.
	// The HTTP gateway and the Prometheus port stay off unless asked for: a desktop client may start several of these.
	const broker = createBroker({
		config,
		services: env.TRANSPORTER ? (env.SERVICES ? undefined : []) : undefined,
		exclude: ["gateway", ...noWorkspace],
		env: { ...env, METRICS_PORT: env.METRICS_PORT ?? "off" },
	});
	// A desktop client shows a server that never answers as a hang: fail with a reason instead.
	const waitMs = waitForServicesMs(env);
	const where = env.TRANSPORTER ? `the cluster at ${redact(env.TRANSPORTER)}` : "this process";
	await withDeadline(
		broker.start().then(() => broker.waitForServices(["orchestrator", "metrics"], waitMs)),
		waitMs,
		`orchestrator mcp: ${where} did not offer the orchestrator and metrics services within ${waitMs} ms (WAIT_FOR_SERVICES_MS)`,
	);
	if (!noWorkspace.length) logWorkspace(env, config);
	// The first tools/call must route as every later one does: a file request sent right after initialize went to an LLM
	// while the file server was still connecting.
	await awaitToolServers(broker, env, waitMs, "mcp");
	const server = createMcpServer(broker, config);
	// One message is held to the /mcp body's limit: a bigger one is refused (its caller answered, stderr told) and the
	// session goes on (services/gateway/mcp-stdio.ts).
	const say = (line: string) => console.error(line);
	const transport = new StdioJsonRpcTransport(config.limits.max_body_bytes, "limits.max_body_bytes in config.yaml", say);
	const stop = shutdownOnce(broker);
	// A desktop client sees the server end (stderr says why) rather than one that answers nothing for ever.
	exitWhenBusClosed(broker, stop);
	transport.onclose = () => void stop();
	// What the SDK's Protocol cannot handle (an answer to no request, a handler's failure) is said, not dropped.
	server.server.onerror = err => say(`orchestrator mcp: ${errorMessage(err)}`);
	// The client closed its end: the server's close aborts every call in flight (the SDK's Protocol aborts their signals,
	// which cancel their vendor calls, lib/cancel.ts) before the broker stops; the stdio transport does not close itself on EOF.
	process.stdin.on("end", () => void server.close().catch(() => stop()));
	stopOnSignals(stop);
	await server.connect(transport);
}

async function analyze(args: string[]) {
	logsToStderr();
	const { values, positionals } = parseArgs({
		args,
		allowPositionals: true,
		options: { context: { type: "string" }, jsonl: { type: "boolean" } },
	});
	const env = process.env;
	const broker = createBroker({
		services: env.TRANSPORTER ? [] : undefined,
		exclude: ["gateway"],
		env: { ...env, METRICS_PORT: "off", LOGLEVEL: env.LOGLEVEL ?? "warn" },
	});
	await broker.start();
	await broker.waitForServices(["orchestrator"], 30_000);
	await awaitToolServers(broker, env, waitForServicesMs(env), "analyze");
	const run = (request: unknown, context: unknown) => broker.call("orchestrator.analyze", { request, context });
	let failed = false;
	try {
		if (values.jsonl) {
			const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
			for await (const line of lines) {
				if (!line.trim()) continue;
				try {
					const item = JSON.parse(line) as { request?: unknown; context?: unknown } | null;
					if (!item || typeof item !== "object" || Array.isArray(item))
						throw new Error(`expected a JSON object {"request", "context"}, got ${line.trim().slice(0, 40)}`);
					process.stdout.write(JSON.stringify(await run(item.request, item.context)) + "\n");
				} catch (err) {
					// One bad line answers with an error object and the stream goes on, in order.
					failed = true;
					process.stdout.write(JSON.stringify({ error: { message: errorMessage(err) } }) + "\n");
				}
			}
		} else {
			const request = positionals.join(" ");
			if (!request) throw new Error(`missing request text\n${USAGE}`);
			let context: unknown;
			if (values.context) {
				try {
					context = JSON.parse(values.context);
				} catch (err) {
					throw new Error(`--context is not valid JSON: ${(err as Error).message}`);
				}
			}
			process.stdout.write(JSON.stringify(await run(request, context), null, 2) + "\n");
		}
	} catch (err) {
		failed = true;
		console.error(errorMessage(err));
	} finally {
		await broker.stop();
	}
	process.exitCode = failed ? 1 : 0;
}

/**
 * Tool routes need connected MCP servers: waits for them (at most `waitMs`) so the same input routes the same way every
 * run, and says on stderr which never connected. Alone, the servers this process hosts; in a cluster, any mcp.* service.
 */
async function awaitToolServers(broker: ServiceBroker, env: NodeJS.ProcessEnv, waitMs: number, command: string): Promise<void> {
	const expected = env.TRANSPORTER ? undefined : hostedMcpServices(broker);
	const { waiting } = await waitForMcpServices(broker, waitMs, expected);
	if (waiting.length)
		console.error(
			`orchestrator ${command}: ${waiting.join(", ")} not connected after ${waitMs} ms (WAIT_FOR_SERVICES_MS); requests a tool could answer go to an LLM`,
		);
}

/** The mcp.* services this process hosts (their servers are started by this process). */
function hostedMcpServices(broker: ServiceBroker): string[] {
	return broker.services.map(s => s.fullName).filter(n => n.startsWith("mcp."));
}

export async function main(argv: string[]) {
	const [command, ...rest] = argv;
	switch (command) {
		case "start":
			return start();
		case "mcp":
			return mcp();
		case "analyze":
			return analyze(rest);
		case "repl":
			return repl();
		case "help":
		case "--help":
		case "-h":
			console.log(USAGE);
			return;
		default:
			console.error(command ? `unknown command '${command}'\n${USAGE}` : USAGE);
			process.exitCode = command ? 2 : 0;
	}
}
