import { strict as assert } from "node:assert";
import type { ModelsCompleteResult } from "../../../../lib/contracts/complete";
import { answerCharges, chargedUsd, triesCharges } from "../../../../services/models/spend";

const hung = { model: "gpt-4.1", input_tokens: 100, output_tokens: 512, cost_usd: 0.0042 };
const answer: ModelsCompleteResult = {
	model: "gpt-4.1-mini",
	provider: "openai",
	service: "llm-openai",
	text: "ok",
	usage: { input_tokens: 100, output_tokens: 10 },
	usage_source: "vendor",
	cost_usd: 0.000056,
	tries: [
		{ provider: "openai", model: "gpt-4.1", ok: false, reason: "timeout", charged: hung },
		{ provider: "openai", model: "gpt-4.1-nano", ok: false, reason: "server_error" },
		{ provider: "openai", model: "gpt-4.1-mini", ok: true },
	],
};

describe("services/models/spend: what a request paid its vendors, call by call", () => {
	it("a walk's answer: the tries the vendor may have billed, then the answer; a cache hit paid for no answer", () => {
		assert.deepEqual(triesCharges(answer.tries), [hung]);
		assert.deepEqual(answerCharges(answer), [hung, { model: "gpt-4.1-mini", input_tokens: 100, output_tokens: 10, cost_usd: 0.000056 }]);
		assert.deepEqual(answerCharges(answer, true), [hung]);
		assert.deepEqual(triesCharges(undefined), []);
	});

	it("sums to the nano-dollar, without float noise", () => {
		assert.equal(chargedUsd(answerCharges(answer)), 0.004256);
		assert.equal(chargedUsd([0.1, 0.2].map(cost_usd => ({ ...hung, cost_usd }))), 0.3);
		assert.equal(chargedUsd([]), 0);
	});
});
