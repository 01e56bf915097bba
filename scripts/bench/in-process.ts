/**
 * npx tsx scripts/bench/in-process.ts [action] [fresh]
 *
 * CPU per call of one pipeline action in this process, with no HTTP edge and no load process: a broker built as
 * production builds it (every service, moleculer.config.ts) in front of the instant vendor stand-in of bench:overhead,
 * 32 concurrent callers, six rounds of 3,200 calls (the first two warm up), CPU time of the whole process
 * (process.cpuUsage: the stand-in runs in its own) per call. `action`: orchestrator.orchestrate (default; the REST
 * request of threads.ts `rest`, `preferred_models: ["gpt-4.1-mini"]`, `cache: false`) or orchestrator.analyze (the
 * same params: the analysis alone); `fresh`: a new text per call. Less moved by the rest of the machine than a run over
 * HTTP, so the one to compare two builds of the pipeline (ROOT-style: run it from each checkout), and to profile with
 * `node --cpu-prof --import tsx scripts/bench/in-process.ts` (README "Gateway overhead").
 */
import { testBroker } from "../../test/helpers";
import { startStandin } from "./standin-process";

const action = process.argv[2] ?? "orchestrator.orchestrate";
const fresh = process.argv[3] === "fresh";

async function main() {
	const { baseUrl, apiKey, process: standin } = await startStandin();
	const broker = testBroker({
		env: {
			OPENAI_API_KEY: apiKey,
			OPENAI_BASE_URL: `${baseUrl}/v1`,
			WORKSPACE_DIR: "",
			ANTHROPIC_API_KEY: "",
			GOOGLE_API_KEY: "",
			GEMINI_API_KEY: "",
			OPENAI_COMPATIBLE_BASE_URL: "",
		},
	});
	try {
		await broker.start();
		const request = "Explain the difference between TCP and UDP in two sentences.";
		let seq = 0;
		for (let round = 1; round <= 6; round++) {
			const N = 3_200;
			const before = process.cpuUsage();
			let left = N;
			await Promise.all(
				Array.from({ length: 32 }, async () => {
					while (left-- > 0)
						await broker.call(action, {
							request: fresh ? `${request} (${++seq})` : request,
							options: { preferred_models: ["gpt-4.1-mini"], cache: false },
						});
				}),
			);
			const cpu = process.cpuUsage(before);
			console.log(`round ${round}: ${((cpu.user + cpu.system) / N).toFixed(1)} us CPU per ${action}${round <= 2 ? " (warm-up)" : ""}`);
		}
	} finally {
		await broker.stop();
		standin.kill("SIGTERM");
	}
}

main().catch(err => {
	console.error(err instanceof Error ? err.message : err);
	process.exitCode = 1;
});
