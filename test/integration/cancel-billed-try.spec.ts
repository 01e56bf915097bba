import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import OpenAI from "openai";
import type { RequestRecord } from "../../lib/contracts";
import { startVendors, type Vendors } from "../fixtures/vendors";
import { freePort, recordRequests, testBroker } from "../helpers";

/**
 * A /v1 call whose first try timed out at its vendor (charged at its worst case: the budget keeps it, Attempt.charged)
 * and whose fallback was then cancelled by the client hanging up: the record must count both charges.
 */
describe("/v1: a call cancelled after an earlier try that may be billed (it timed out): the record counts both", function () {
	this.timeout(30_000);
	let vendors: Vendors;
	let broker: ServiceBroker;
	let openai: OpenAI;
	const records: RequestRecord[] = [];

	before(async () => {
		vendors = await startVendors();
		const port = await freePort();
		broker = testBroker({
			services: ["gateway", "orchestrator", "intent", "complexity", "router", "prompt", "models", "llm-*"],
			env: { ...vendors.env, PORT: String(port), HOST: "127.0.0.1", LLM_TIMEOUT_MS: "1000" },
		});
		recordRequests(broker, records);
		await broker.start();
		openai = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "unused", maxRetries: 0 });
	});
	after(async () => {
		await broker?.stop();
		await vendors?.stop();
	});

	it("counts the timed-out try and the cancelled one", async () => {
		vendors.openai.always({ kind: "hang" });
		vendors.gemini.always({ kind: "hang" });
		const abort = new AbortController();
		const fallbackArrived = vendors.gemini.nextCompletion();
		const call = openai.chat.completions.create(
			{ model: "gpt-4.1-mini", max_tokens: 500, messages: [{ role: "user", content: "hello there" }] },
			{ signal: abort.signal },
		);
		// openai's try times out at 1 s (PROVIDER_TIMEOUT, charged); gemini's is in flight when the client hangs up.
		await fallbackArrived;
		abort.abort();
		await call.catch(() => undefined);
		const deadline = Date.now() + 5000;
		while (!records.length && Date.now() < deadline) await new Promise(r => setTimeout(r, 50));
		assert.equal(vendors.openai.completions.length, 1);
		assert.equal(vendors.gemini.completions.length, 1);
		const r = records[0];
		assert.equal(r.status, "cancelled");
		assert.deepEqual(
			r.spend.map(c => c.model).sort(),
			["gemini-2.5-flash", "gpt-4.1-mini"],
			"the timed-out gpt-4.1-mini try (worst case in the ledger) is missing from the record",
		);
		const timedOut = r.spend.find(c => c.model === "gpt-4.1-mini")!;
		assert.equal(timedOut.output_tokens, 500, "charged at its worst case, all of max_tokens");
		assert.equal(r.cost_usd, Math.round(r.spend.reduce((sum, c) => sum + c.cost_usd, 0) * 1e9) / 1e9);
	});
});
