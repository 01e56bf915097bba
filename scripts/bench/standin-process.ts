import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

/** The instant vendor stand-in (scripts/bench/standin.ts) in a process of its own, once it has printed its address. */
export async function startStandin(): Promise<{ baseUrl: string; apiKey: string; process: ChildProcess }> {
	const standin = spawn(process.execPath, ["--import", "tsx", "scripts/bench/standin.ts"], {
		cwd: join(__dirname, "../.."),
		stdio: ["ignore", "pipe", "inherit"],
	});
	try {
		const line = await new Promise<string>(resolve => standin.stdout!.once("data", d => resolve(String(d))));
		const { baseUrl, apiKey } = JSON.parse(line) as { baseUrl: string; apiKey: string };
		return { baseUrl, apiKey, process: standin };
	} catch (err) {
		// A stand-in that printed no address is of no use and must not outlive the bench.
		standin.kill("SIGTERM");
		throw err;
	}
}
