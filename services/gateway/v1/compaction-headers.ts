import { COMPACTION_LEVELS, type CompactionLevel, type CompactionOptions } from "../../../lib/compaction";
import type { Config } from "../../../lib/config";
import { ApiError } from "./api-error";

/**
 * The compaction a /v1 request asks for: `x-orchestrator-compaction: off | lossless | budget`
 * (config `compaction.default` otherwise) and `x-orchestrator-max-input-tokens: N` (the budget
 * level's target; `compaction.budget_fraction` of the tokens received otherwise). A bad value is
 * a 400 naming the header.
 */
export function compactionOptions(headers: Record<string, string | string[] | undefined>, config: Config): CompactionOptions {
	const raw = headers["x-orchestrator-compaction"];
	const value = (Array.isArray(raw) ? raw[0] : raw)?.trim().toLowerCase();
	if (value !== undefined && !(COMPACTION_LEVELS as readonly string[]).includes(value)) {
		throw new ApiError(
			400,
			`x-orchestrator-compaction must be one of ${COMPACTION_LEVELS.join(", ")} (got '${value}')`,
			"invalid_header",
			"x-orchestrator-compaction",
		);
	}
	const rawMax = headers["x-orchestrator-max-input-tokens"];
	const maxText = (Array.isArray(rawMax) ? rawMax[0] : rawMax)?.trim();
	let maxInputTokens: number | undefined;
	if (maxText !== undefined) {
		maxInputTokens = Number(maxText);
		if (!/^\d+$/.test(maxText) || !Number.isSafeInteger(maxInputTokens) || maxInputTokens < 1) {
			throw new ApiError(
				400,
				`x-orchestrator-max-input-tokens must be a positive integer (got '${maxText}')`,
				"invalid_header",
				"x-orchestrator-max-input-tokens",
			);
		}
	}
	return {
		level: (value as CompactionLevel | undefined) ?? config.compaction.default,
		maxInputTokens,
		budgetFraction: config.compaction.budget_fraction,
		keepLast: config.compaction.keep_last,
		step: config.compaction.step,
	};
}

/** The x-orchestrator-compaction answer header: what was done and what it saved. */
export function compactionHeader(r: { level: CompactionLevel; stage: number; received_tokens: number; forwarded_tokens: number }): string {
	return `${r.level}; stage=${r.stage}; received=${r.received_tokens}; forwarded=${r.forwarded_tokens}`;
}
