import { strict as assert } from "node:assert";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { fakeOpenAI } from "../fakes/openai";
import type { FakeVendor } from "../fakes/vendor";
import { providerEnvFor } from "../fixtures/vendors";
import { NATS_URL, testNamespace } from "../helpers";

const ROOT = resolve(__dirname, "../..");
const BIN = resolve(ROOT, "bin/orchestrator.js");
const PROMPT = "orchestrator $ ";
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\r/g;

/**
 * `npm run repl` as an operator uses it: in a pseudo-terminal (util-linux `script` gives the REPL a
 * real tty, so Node's REPL runs in terminal mode with echo and line editing), joined over NATS to a
 * cluster node in another process that hosts the pipeline, the MCP servers and llm-openai (on a
 * fake of OpenAI's wire format).
 */
class PtySession {
	private out = "";
	private readonly proc: ChildProcessWithoutNullStreams;

	constructor(env: NodeJS.ProcessEnv) {
		this.proc = spawn("script", ["-qfec", "npm run --silent repl", "/dev/null"], { cwd: ROOT, env });
		this.proc.stdout.on("data", (c: Buffer) => (this.out += c.toString("utf8")));
		this.proc.stderr.on("data", (c: Buffer) => (this.out += c.toString("utf8")));
	}

	/** Output since `from`, ANSI codes and carriage returns removed. */
	text(from = 0): string {
		return this.out.slice(from).replace(ANSI, "");
	}

	async until(test: (text: string) => boolean, from: number, ms: number, what: string): Promise<string> {
		const deadline = Date.now() + ms;
		while (!test(this.text(from))) {
			if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms; the terminal showed:\n${this.text(from)}`);
			await new Promise(r => setTimeout(r, 50));
		}
		return this.text(from);
	}

	/** Types a line and returns what the REPL printed before its next prompt. */
	async run(line: string, ms = 15_000): Promise<string> {
		const from = this.out.length;
		this.proc.stdin.write(`${line}\r`);
		const shown = await this.until(t => t.indexOf(PROMPT, t.indexOf(line) + line.length) >= 0, from, ms, `prompt after '${line}'`);
		const start = shown.indexOf(line) + line.length;
		return shown.slice(start, shown.indexOf(PROMPT, start));
	}

	async quit(): Promise<number | null> {
		const exited = once(this.proc, "exit");
		this.proc.stdin.write("quit\r");
		const [code] = await exited;
		return code as number | null;
	}

	kill() {
		if (this.proc.exitCode === null) this.proc.kill("SIGKILL");
	}
}

describe("npm run repl in a pseudo-terminal, joined to a NATS cluster", function () {
	this.timeout(90_000);
	const namespace = testNamespace();
	let vendor: FakeVendor;
	let node: ChildProcessWithoutNullStreams;
	let repl: PtySession;

	before(async () => {
		vendor = await fakeOpenAI();
		const cluster = { ...process.env, TRANSPORTER: NATS_URL, NAMESPACE: namespace, CACHER: "", METRICS_PORT: "off", LOGLEVEL: "warn", WORKSPACE_DIR: ROOT };
		node = spawn(process.execPath, [BIN, "start"], {
			cwd: ROOT,
			env: {
				...cluster,
				...providerEnvFor({ openai: vendor }),
				NODE_ID: `${namespace}-pipeline`,
				SERVICES: "orchestrator,intent,complexity,router,prompt,models,metrics,mcp.*,llm-openai",
			},
		});
		let nodeLog = "";
		node.stderr.on("data", (c: Buffer) => (nodeLog += c));
		node.stdout.on("data", (c: Buffer) => (nodeLog += c));
		// The REPL node hosts nothing: every answer below crossed NATS.
		repl = new PtySession({ ...cluster, SERVICES: "", TERM: "dumb" });
		await repl
			.until(t => t.includes(PROMPT), 0, 30_000, "first prompt")
			.catch(err => {
				throw new Error(`${err.message}\ncluster node log:\n${nodeLog}`);
			});
		// Ready when the cluster node's providers, MCP servers and orchestrator are seen from the REPL node:
		// the orchestrator waits for its dependencies, so it can register after the others.
		const deadline = Date.now() + 45_000;
		for (;;) {
			const models = await repl.run("models");
			const tools = await repl.run("call mcp.filesystem.status");
			const services = await repl.run("services");
			if (models.includes("llm-openai") && /connected: true/.test(tools) && /\borchestrator\b/.test(services)) break;
			if (Date.now() > deadline) throw new Error(`cluster not ready:\n${models}\n${tools}\n${services}\n${nodeLog}`);
			await new Promise(r => setTimeout(r, 300));
		}
	});

	after(async () => {
		repl?.kill();
		node?.kill("SIGTERM");
		if (node && node.exitCode === null) await once(node, "exit");
		await vendor?.stop();
	});

	it("keeps Moleculer's own commands", async () => {
		const out = await repl.run("services");
		for (const name of ["orchestrator", "models", "mcp.filesystem", "llm-openai"]) assert.match(out, new RegExp(`\\b${name.replace(".", "\\.")}\\b`));
	});

	it("models: the live models with provider, serving node, price, tier and breaker state", async () => {
		const out = await repl.run("models");
		const row = out.split("\n").find(l => l.startsWith("gpt-4.1-nano "));
		assert.ok(row, out);
		assert.match(row!, /openai\s+llm-openai@\S+-pipeline\s+\$0\.10, \$0\.40\s+simple \(fallback 1\)\s+closed/);
		assert.ok(!/claude|gemini/.test(out), "models without a live provider are not listed");
	});

	it("analyze: a file request goes to the file-system tool at zero tokens", async () => {
		const out = await repl.run('analyze "Show me the contents of README.md"');
		assert.match(out, /intent\s+READ/);
		assert.match(out, /route\s+tool mcp\.filesystem\.\w+/);
		assert.match(out, /model\s+none \(answered by a tool\)/);
		assert.match(out, /tokens\s+0 in/);
	});

	it("orchestrate: an LLM answer with tier, model, vendor tokens and dollars against the baseline; cache clear reaches the cluster node", async () => {
		const request = 'orchestrate "Explain the difference between TCP and UDP"';
		const first = await repl.run(request);
		assert.match(first, /model\s+gpt-4\.1/);
		assert.match(first, /tokens\s+21 in, 9 out \(vendor-reported\)/);
		assert.match(first, /cost USD\s+[\d.e-]+ \(baseline [\d.e-]+\)/);
		assert.match(first, /cached\s+false/);
		const calls = vendor.completions.length;
		assert.match(await repl.run(request), /cached\s+true/);
		assert.equal(vendor.completions.length, calls, "the repeat was answered from the cluster node's cache");

		const cleared = await repl.run("cache clear");
		assert.match(cleared, new RegExp(`${namespace}-pipeline\\s+MemoryLRUCacher\\s+\\*\\*\\s+true`));
		assert.match(await repl.run(request), /cached\s+false/);
		assert.equal(vendor.completions.length, calls + 1, "after cache clear the vendor is asked again");
	});

	it("breakers and keys say what they see, and never a secret", async () => {
		assert.match(await repl.run("breakers"), /every circuit breaker is closed/);
		const keys = await repl.run("keys");
		assert.match(keys, /no keys configured/);
		assert.ok(!repl.text().includes(vendor.apiKey), "the provider key never reaches the terminal");
	});

	it("a request the pipeline refuses prints one error line, and the REPL goes on", async () => {
		const out = await repl.run('orchestrate "Explain TCP" --max_cost abc');
		assert.match(out, /^error: .*max_cost/m);
		assert.ok(!/\bat .*\.ts:\d+/.test(out), "no stack trace");
		assert.match(await repl.run("breakers"), /every circuit breaker is closed/);
	});

	it("quit leaves the REPL with exit code 0", async () => {
		assert.equal(await repl.quit(), 0);
	});
});
