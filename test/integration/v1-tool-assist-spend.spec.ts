import assert from "node:assert/strict";
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServiceBroker } from "moleculer";
import OpenAI from "openai";
import type { RequestRecord } from "../../lib/contracts";
import { startVendors, type Vendors } from "../fixtures/vendors";
import { freePort, recordRequests, testBroker } from "../helpers";
import { untilConnected, workspaceConfig } from "./mcp-support";

/**
 * /v1 auto answered by a downstream tool (toolAnswer), with the intent assist asked while analysing:
 * x-orchestrator-cost-usd says the assist was paid; the request record the metrics count must say the same.
 */
describe("/v1 auto answered by a tool, with the intent assist asked: its charge in the header, the record and the metrics", function () {
	this.timeout(40_000);
	let workspace: string;
	let vendors: Vendors;
	let broker: ServiceBroker;
	let openai: OpenAI;
	const records: RequestRecord[] = [];
	const ask = "Show me the contents of src/server.ts";

	before(async () => {
		workspace = await realpath(await mkdtemp(join(tmpdir(), "orch-review-ws-")));
		await mkdir(join(workspace, "src"), { recursive: true });
		await writeFile(join(workspace, "src/server.ts"), "export const port = 3000;\n");
		vendors = await startVendors();
		const port = await freePort();
		const base = workspaceConfig(workspace);
		// The assist asked on every request (the local model is never fully sure).
		const config = { ...base, intent: { llm_assist: { enabled: true, below_confidence: 1, timeout_ms: 5000, max_tokens: 5 } } };
		broker = testBroker({ config, env: { ...vendors.env, PORT: String(port), HOST: "127.0.0.1" } });
		recordRequests(broker, records);
		await broker.start();
		await untilConnected(broker, "mcp.filesystem");
		openai = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "unused", maxRetries: 0 });
	});
	after(async () => {
		await broker?.stop();
		await vendors?.stop();
		await rm(workspace, { recursive: true, force: true });
	});

	it("the record counts what the header says was paid", async () => {
		const { data, response } = await openai.chat.completions.create({ model: "auto", messages: [{ role: "user", content: ask }] }).withResponse();
		assert.match(response.headers.get("x-orchestrator-route")!, /^mcp:mcp\.filesystem\./);
		assert.match(data.choices[0].message.content ?? "", /port = 3000/);
		assert.equal(vendors.completions(), 1, "one vendor call: the intent assist");
		const header = Number(response.headers.get("x-orchestrator-cost-usd"));
		assert.ok(header > 0, `header ${header}`);
		assert.equal(records.length, 1);
		assert.equal(records[0].cost_usd, header, "the record counts what the header says was paid");
		// One charge, the assist's, under the model that made it (what orchestrator_cost_usd_total counts).
		assert.deepEqual(
			records[0].spend.map(c => [c.model, c.cost_usd]),
			[["gpt-4.1-nano", header]],
		);
	});
});
