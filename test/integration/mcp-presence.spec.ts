import { strict as assert } from "node:assert";
import { Loggers, type ServiceBroker } from "moleculer";
import { testBroker } from "../helpers";

/** Moleculer logger keeping every warning, to read what an operator would see. */
class WarningLog extends Loggers.Base {
	readonly warnings: string[] = [];
	getLogHandler(bindings?: { mod?: string }) {
		return (type: string, args: unknown[]) => {
			if (type === "warn") this.warnings.push(`${bindings?.mod}: ${args.join(" ")}`);
		};
	}
}

const PIPELINE = ["orchestrator", "intent", "complexity", "router", "prompt", "models"];

/** The README's cluster recipe once had no node hosting mcp.*: tool answers were lost without a word. */
describe("orchestrator without any mcp.* service in the cluster", function () {
	this.timeout(30_000);
	let broker: ServiceBroker | undefined;
	afterEach(() => broker?.stop());

	async function warningsAfter(services: string[], ms: number): Promise<string[]> {
		const log = new WarningLog({ level: "warn" });
		broker = testBroker({ services, env: { WAIT_FOR_SERVICES_MS: "300" }, broker: { logger: log } });
		await broker.start();
		await new Promise(r => setTimeout(r, ms));
		return log.warnings.filter(w => /mcp\.\*/.test(w));
	}

	it("warns once, naming the configured services and what to start", async () => {
		const warnings = await warningsAfter(PIPELINE, 1_200);
		assert.equal(warnings.length, 1, warnings.join("\n"));
		assert.match(
			warnings[0],
			/^orchestrator: no mcp\.\* service is reachable in the cluster 300 ms after start \(config\.yaml lists mcp\.filesystem, mcp\.search\)/,
		);
		assert.match(warnings[0], /SERVICES including mcp\.\*/);
	});

	it("says nothing when a node hosts one", async () => {
		assert.deepEqual(await warningsAfter([...PIPELINE, "mcp.search"], 1_200), []);
	});
});
