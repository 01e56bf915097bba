import { strict as assert } from "node:assert";
import { ServiceBroker } from "moleculer";
import type { RequestRecord } from "../../../../lib/contracts";
import MetricsService from "../../../../services/metrics.service";

// moleculer-repl's own `metrics` command, as `orchestrator repl` runs it.
const { handler: replMetrics } = require("moleculer-repl/src/commands/metrics.js") as { handler: (broker: ServiceBroker, args: unknown) => Promise<void> };

/** What the REPL prints for `metrics --filter <filter>`, colours stripped. */
async function printed(broker: ServiceBroker, filter: string): Promise<string> {
	const lines: string[] = [];
	const log = console.log;
	console.log = (...args: unknown[]) => void lines.push(args.join(" "));
	try {
		await replMetrics(broker, { options: { filter } });
	} finally {
		console.log = log;
	}
	// eslint-disable-next-line no-control-regex
	return lines.join("\n").replace(/\x1b\[[0-9;]*m/g, "");
}

describe("the REPL's metrics command on the metrics service's figures", () => {
	let broker: ServiceBroker;
	before(async () => {
		broker = new ServiceBroker({ logger: false, metrics: { enabled: true } });
		broker.createService(MetricsService);
		await broker.start();
	});
	after(() => broker.stop());

	it("prints the request duration's min/mean/max as numbers, never NaN", async () => {
		const record: RequestRecord = {
			ts: Date.now(),
			intent: "READ",
			complexity: "simple",
			route: "llm",
			model: "gpt-4.1-nano",
			status: "ok",
			llm: true,
			latency_ms: 120,
			stages_ms: { intent: 4, execute: 100 },
			input_tokens: 10,
			output_tokens: 5,
			baseline_input_tokens: 20,
			cost_usd: 0,
			spend: [{ model: "gpt-4.1-nano", input_tokens: 10, output_tokens: 5, cost_usd: 0 }],
			baseline_cost_usd: 0,
			cached: false,
			fallbacks: [],
		};
		// A local event: the metrics service's handler has run when the emit resolves.
		await broker.emit("orchestrator.request", record);
		const out = await printed(broker, "orchestrator_request_duration_seconds");
		assert.doesNotMatch(out, /NaN/);
		assert.match(out, /\{stage: total\}\s*│ min: 0\.12, mean: 0\.12, max: 0\.12/);
		assert.match(out, /\{stage: execute\}\s*│ min: 0\.10, mean: 0\.10, max: 0\.10/);
	});
});
