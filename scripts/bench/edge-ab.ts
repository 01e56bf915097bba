/**
 * npx tsx scripts/bench/edge-ab.ts [requests] [rounds]
 *
 * What the /mcp edge costs beyond /api's for the same action, with nothing else in the process: a gateway
 * process (ROOT's `services/gateway.service.ts` and moleculer.config.ts, as production builds them) whose
 * `orchestrator.orchestrate` is a stand-in checking orchestrate's params contract and answering a fresh copy of
 * the recorded result (test/fixtures/orchestrate-result.json). This process loads it at 32 clients, keep-alive,
 * `POST /api/orchestrate` and `POST /mcp` `tools/call orchestrate` with threads.ts's arguments, alternated
 * (default 8 rounds of 4,000 each, after 3,000 of each to warm up), and reads the gateway process's CPU time
 * (user + system, /proc) over each round. The pipeline's own work is the same on both and absent here, so the
 * difference per request is the MCP edge's: JSON-RPC checks, the tool's input and output checks, the text
 * block and the answer's encoding, against moleculer-web's action call and its response. NODE_ARGS passes flags
 * to the gateway's node (`--cpu-prof`); PHASES=<file> writes each measured round's target and its start and
 * end on the monotonic clock in µs, to split such a profile by target (threads.ts).
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { Agent } from "node:http";
import { join } from "node:path";
import { freePort, standaloneEnv, testBroker } from "../../test/helpers";
import { post } from "./post";

const ROOT = process.env.ROOT || join(__dirname, "../..");

async function serve(port: number) {
	// ROOT's modules, so another checkout's edge can be measured from here.
	const helpers = require(join(ROOT, "test/helpers")) as { testBroker: typeof testBroker };
	const { zodParams } = require(join(ROOT, "lib/contracts/validator"));
	const { analyzeParamsSchema } = require(join(ROOT, "lib/contracts"));
	const { loadConfig } = require(join(ROOT, "lib/config"));
	const fixture = readFileSync(join(__dirname, "../../test/fixtures/orchestrate-result.json"), "utf8");
	const broker = helpers.testBroker({ services: ["gateway"], env: { PORT: String(port), HOST: "127.0.0.1" } });
	broker.createService({
		name: "orchestrator",
		actions: {
			orchestrate: { params: zodParams(analyzeParamsSchema(loadConfig().limits)), handler: () => JSON.parse(fixture) },
		},
	});
	await broker.start();
	// A normal exit, so that a --cpu-prof profile is written.
	process.once("SIGTERM", () => void broker.stop().finally(() => process.exit(0)));
	process.send?.("ready");
}

/** CPU ms so far of a process (every thread): utime + stime from /proc/<pid>/stat. */
function cpuMs(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
	const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function main() {
	const N = Number(process.argv[2] ?? 4_000);
	const ROUNDS = Number(process.argv[3] ?? 8);
	const port = await freePort();
	const nodeArgs = (process.env.NODE_ARGS ?? "").split(" ").filter(Boolean);
	const child = spawn(process.execPath, [...process.execArgv, ...nodeArgs, __filename, "--serve", String(port)], {
		env: standaloneEnv({ WORKSPACE_DIR: "" }),
		stdio: ["ignore", "inherit", "inherit", "ipc"],
	});
	await new Promise<void>((resolve, reject) => {
		child.once("message", () => resolve());
		child.once("exit", code => reject(new Error(`gateway exited ${code}`)));
	});
	const agent = new Agent({ keepAlive: true, maxSockets: 64 });
	const args = { request: "Explain the difference between TCP and UDP in two sentences.", options: { preferred_models: ["gpt-4.1-mini"], cache: false } };
	const targets: Record<string, () => Promise<void>> = {
		rest: () => post(agent, `http://127.0.0.1:${port}/api/orchestrate`, {}, JSON.stringify(args)),
		mcp: () =>
			post(
				agent,
				`http://127.0.0.1:${port}/mcp`,
				{ accept: "application/json, text/event-stream" },
				JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "orchestrate", arguments: args } }),
			),
	};
	const run = async (send: () => Promise<void>, n: number) => {
		let left = n;
		await Promise.all(
			Array.from({ length: 32 }, async () => {
				while (left-- > 0) await send();
			}),
		);
	};
	try {
		for (const send of Object.values(targets)) await run(send, 3_000);
		const us: Record<string, number[]> = { rest: [], mcp: [] };
		const now = () => Number(process.hrtime.bigint() / 1000n);
		const phases: { kind: string; start: number; end: number }[] = [];
		for (let r = 0; r < ROUNDS; r++)
			for (const [name, send] of Object.entries(targets)) {
				const before = cpuMs(child.pid!);
				const start = now();
				await run(send, N);
				phases.push({ kind: name, start, end: now() });
				us[name].push(((cpuMs(child.pid!) - before) * 1000) / N);
			}
		if (process.env.PHASES) writeFileSync(process.env.PHASES, JSON.stringify(phases));
		const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
		for (const [name, xs] of Object.entries(us))
			console.log(`${name}: ${xs.map(x => x.toFixed(0)).join(", ")} µs CPU per request (median ${median(xs).toFixed(0)})`);
		const diffs = us.mcp.map((m, i) => m - us.rest[i]);
		console.log(`mcp - rest by round: ${diffs.map(d => d.toFixed(0)).join(", ")} µs (median ${median(diffs).toFixed(0)})`);
	} finally {
		agent.destroy();
		child.kill("SIGTERM");
		// A --cpu-prof profile is written as the gateway exits.
		await new Promise(resolve => child.once("exit", resolve));
	}
}

if (process.argv[2] === "--serve") void serve(Number(process.argv[3]));
else
	main().catch(err => {
		console.error(err instanceof Error ? err.message : err);
		process.exitCode = 1;
	});
