/**
 * npx tsx scripts/bench/vendor-fetch.ts [calls]
 *
 * CPU per vendor call of the OpenAI SDK in this process (the SDK's `chat.completions.create` against the instant
 * stand-in of bench:overhead, in its own process), with lib/vendor-fetch.ts's `vendorFetch` (Node's http) and with
 * Node's global fetch as the SDKs used it before (`redirect: "error"`, no clone of the body). Rounds alternate the
 * two, `calls` each (default 2,000) at 16 at once after a warm-up; CPU is process.cpuUsage(), the client side only.
 */
import OpenAI from "openai";
import { vendorFetch } from "../../lib/vendor-fetch";
import { startStandin } from "./standin-process";

const globalFetch: typeof fetch = (input, init) => fetch(input, { ...init, redirect: "error" });

async function main() {
	const N = Number(process.argv[2] ?? 2_000);
	const { baseUrl, apiKey, process: standin } = await startStandin();
	try {
		const client = (f: typeof fetch) => new OpenAI({ apiKey, baseURL: `${baseUrl}/v1`, maxRetries: 0, timeout: 30_000, fetch: f });
		const clients = { vendorFetch: client(vendorFetch), "global fetch": client(globalFetch) };
		const call = (c: OpenAI) =>
			c.chat.completions.create({
				model: "gpt-4.1-mini",
				messages: [{ role: "user", content: "Explain TCP and UDP." }],
				max_completion_tokens: 64,
				temperature: 0,
			});
		const run = async (c: OpenAI, n: number) => {
			let left = n;
			await Promise.all(
				Array.from({ length: 16 }, async () => {
					while (left-- > 0) await call(c);
				}),
			);
		};
		for (const c of Object.values(clients)) await run(c, 500);
		for (let round = 1; round <= 4; round++)
			for (const [name, c] of Object.entries(clients)) {
				const before = process.cpuUsage();
				await run(c, N);
				const used = process.cpuUsage(before);
				console.log(`round ${round} ${name}: ${((used.user + used.system) / N).toFixed(1)} µs CPU per call`);
			}
	} finally {
		standin.kill("SIGTERM");
	}
}

main().catch(err => {
	console.error(err instanceof Error ? err.message : err);
	process.exitCode = 1;
});
