import { strict as assert } from "node:assert";
import { parseConfig } from "../../../../../lib/config";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ApiError, errorBody, modelNotFound, unsupportedParameter } from "../../../../../services/gateway/v1/api-error";
import { compactionHeader, compactionOptions } from "../../../../../services/gateway/v1/compaction-headers";
import { toAnthropicStopReason, toOpenAIFinishReason } from "../../../../../services/gateway/v1/stop-reason";

const config = parseConfig(readFileSync(join(__dirname, "../../../../../config.yaml"), "utf8"));

describe("gateway/v1 helpers", () => {
	it("an unknown model is a 404 model_not_found in OpenAI's and Anthropic's error shapes", () => {
		const err = modelNotFound("gpt-9");
		assert.equal(err.status, 404);
		assert.deepEqual(errorBody("openai", err), { error: { message: err.message, type: "invalid_request_error", param: "model", code: "model_not_found" } });
		assert.deepEqual(errorBody("anthropic", err), { type: "error", error: { type: "not_found_error", message: err.message } });
		assert.match(err.message, /'gpt-9'/);
	});

	it("an unsupported parameter is a 400 naming it", () => {
		const err = unsupportedParameter("logprobs", "claude-haiku-4-5");
		assert.equal(err.status, 400);
		assert.equal((errorBody("openai", err) as any).error.param, "logprobs");
		assert.match((errorBody("anthropic", err) as any).error.message, /'logprobs'.*claude-haiku-4-5/);
	});

	it("reads the compaction headers, defaulting to config, and refuses bad values by header name", () => {
		assert.equal(config.compaction.default, "lossless");
		assert.equal(config.compaction.budget_fraction, 0.5);
		assert.equal(config.models["gpt-4.1"].cached_input_per_mtok, 0.5);
		assert.equal(compactionOptions({}, config).level, "lossless");
		const o = compactionOptions({ "x-orchestrator-compaction": "Budget", "x-orchestrator-max-input-tokens": "4000" }, config);
		assert.equal(o.level, "budget");
		assert.equal(o.maxInputTokens, 4000);
		assert.throws(
			() => compactionOptions({ "x-orchestrator-compaction": "aggressive" }, config),
			(e: ApiError) => e.status === 400 && e.param === "x-orchestrator-compaction",
		);
		assert.throws(
			() => compactionOptions({ "x-orchestrator-max-input-tokens": "-3" }, config),
			(e: ApiError) => e.status === 400 && e.param === "x-orchestrator-max-input-tokens",
		);
		assert.equal(
			compactionHeader({ level: "budget", stage: 2, received_tokens: 100, forwarded_tokens: 48 }),
			"budget; stage=2; received=100; forwarded=48",
		);
	});

	it("maps stop reasons between the formats", () => {
		assert.equal(toOpenAIFinishReason("tool_calls"), "tool_calls");
		assert.equal(toOpenAIFinishReason("other"), "stop");
		assert.equal(toAnthropicStopReason("length"), "max_tokens");
		assert.equal(toAnthropicStopReason("tool_calls"), "tool_use");
		assert.equal(toAnthropicStopReason("stop", "END"), "stop_sequence");
		assert.equal(toAnthropicStopReason("stop"), "end_turn");
	});
});
