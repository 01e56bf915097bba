/**
 * An existing OpenAI SDK client pointed at the orchestrator: model "auto" lets it pick the model per
 * request (POST /v1/chat/completions). Only the base URL changes in the client's code.
 *   OPENAI_API_KEY=sk-... npm start
 *   npx tsx examples/openai-sdk.ts
 */
import OpenAI from "openai";
import { BASE_URL, run } from "./report";

run(async () => {
	// The orchestrator holds the vendor keys; this client's key is the orchestrator's own (if it asks for one).
	const client = new OpenAI({ baseURL: `${BASE_URL}/v1`, apiKey: process.env.ORCHESTRATOR_API_KEY ?? "not-needed" });
	const { data: completion, response } = await client.chat.completions
		.create({ model: "auto", messages: [{ role: "user", content: "Explain the difference between TCP and UDP in three sentences" }] })
		.withResponse();
	// What the orchestrator decided, as it reports it beside the OpenAI-shaped answer.
	const extra = completion as unknown as Record<string, any>;
	const headers: [string, string][] = [];
	response.headers.forEach((v, k) => void (k.startsWith("x-orchestrator") && headers.push([k, v])));
	console.log('== OpenAI SDK on model "auto"');
	console.log(`model       ${completion.model}`);
	console.log(`tokens      ${completion.usage?.prompt_tokens} in, ${completion.usage?.completion_tokens} out`);
	for (const [k, v] of headers) console.log(`${k.padEnd(11)} ${v}`);
	for (const key of ["orchestrator", "x_orchestrator"]) if (extra[key]) console.log(`${key}: ${JSON.stringify(extra[key], null, 2)}`);
	console.log(`answer      ${completion.choices[0]?.message.content}`);
});
