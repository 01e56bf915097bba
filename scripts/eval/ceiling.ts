import type { ModelInfo } from "../../lib/config";
import { countMessageTokens } from "../../lib/tokens";
import type { RequestContext } from "../../lib/contracts";
import { priceUsd } from "../../services/models/pricing";
import { pruneContext } from "../../services/prompt/prune";

/**
 * The best any prompt optimizer could reach on a labeled request under the fixed baseline, to
 * read the measured reductions against. It uses the labels, which no real optimizer has:
 *
 * - input: a request labeled tool_answerable costs 0 tokens (a tool answers every one). Any other
 *   request is sent as its key_terms alone, joined by spaces, with no system prompt, as one user
 *   message, followed by the context pruned as the pipeline prunes it today (`pruned`) or with no
 *   context at all (`bare`). Dropping everything but the key terms throws away the meaning of the
 *   request, so no real optimizer can go this far;
 * - cost: a request labeled complex runs on the complex tier's preferred model (the baseline model)
 *   at the baseline's own max_tokens, with only its input shrunk to `pruned`. Every other request
 *   costs nothing, as if a free model answered it as well as the baseline model would.
 */
export interface CeilingRow {
	request: string;
	context?: RequestContext;
	complexity: string;
	tool_answerable?: boolean;
	key_terms?: string[];
}

export interface CeilingFigures {
	/** Input tokens with the pruned context, and with none. */
	pruned_input_tokens: number;
	bare_input_tokens: number;
	/** USD on the baseline model for labeled-complex requests, 0 for the others. */
	cost_usd: number;
}

export function ceilingOf(row: CeilingRow, baselineModel: ModelInfo, maxTokens: number): CeilingFigures {
	if (row.tool_answerable) return { pruned_input_tokens: 0, bare_input_tokens: 0, cost_usd: 0 };
	const terms = (row.key_terms ?? []).join(" ");
	const context = pruneContext(row.context, row.request).text;
	const pruned = countMessageTokens([{ role: "user", content: context ? `${terms}\n\n${context}` : terms }]);
	const bare = countMessageTokens([{ role: "user", content: terms }]);
	return {
		pruned_input_tokens: pruned,
		bare_input_tokens: bare,
		cost_usd: row.complexity === "complex" ? priceUsd(baselineModel, pruned, maxTokens) : 0,
	};
}
