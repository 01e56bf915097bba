/**
 * Shared by the examples: where the orchestrator listens, one POST to its REST API, and the figures
 * every example prints (intent, tier, model, tokens, dollars against the baseline).
 */
export const BASE_URL = (process.env.ORCHESTRATOR_URL ?? "http://localhost:3000").replace(/\/$/, "");

export async function orchestrate(body: unknown): Promise<Record<string, any>> {
	// The key a gateway started with API_KEYS asks for (the same ORCHESTRATOR_API_KEY examples/openai-sdk.ts presents).
	const key = process.env.ORCHESTRATOR_API_KEY;
	const headers = { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) };
	const res = await fetch(`${BASE_URL}/api/orchestrate`, { method: "POST", headers, body: JSON.stringify(body) });
	const answer = (await res.json()) as Record<string, any>;
	if (!res.ok) throw new Error(`${res.status} ${answer.error?.type}: ${answer.error?.message}`);
	return answer;
}

export function report(title: string, r: Record<string, any>) {
	const route = r.route?.kind === "mcp" ? `tool ${r.route.service}.${r.route.tool}` : `llm ${r.model}`;
	const saved = r.baseline_cost_usd > 0 ? ` (${(100 * (1 - r.cost_usd / r.baseline_cost_usd)).toFixed(1)}% less)` : "";
	console.log(`== ${title}`);
	console.log(`intent      ${r.intent} (confidence ${r.intent_confidence})`);
	console.log(`tier        ${r.complexity} (score ${r.complexity_score})`);
	console.log(`route       ${route}`);
	console.log(`model       ${r.model ?? "none: answered by a tool"}`);
	console.log(`tokens      ${r.usage.input_tokens} in, ${r.usage.output_tokens} out; baseline ${r.baseline_input_tokens} in`);
	console.log(`dollars     ${r.cost_usd} against the baseline's ${r.baseline_cost_usd}${saved}${r.cached ? " (from the cache)" : ""}`);
	console.log(`answer      ${String(r.output).slice(0, 300).replace(/\n/g, "\n            ")}`);
}

/** Runs an example's main, printing what went wrong (the server not running, no provider) instead of a stack. */
export function run(main: () => Promise<void>) {
	main().catch((err: Error & { cause?: { code?: string } }) => {
		const hint = err.cause?.code === "ECONNREFUSED" ? ` (is the orchestrator running? npm start, or set ORCHESTRATOR_URL)` : "";
		console.error(`${err.message}${hint}`);
		process.exitCode = 1;
	});
}
