/**
 * npx tsx scripts/bench/slow-vendor.ts [calls] [vendor ms]
 *
 * What a node does with many calls that wait on a slow vendor, which bench:overhead's instant stand-in never shows:
 * `calls` (default 128) concurrent /v1/chat/completions, then as many REST orchestrate calls, through one process
 * (`npm start`'s services but the MCP ones, default bulkheads) to a fake OpenAI answering after `vendor ms` (default
 * 1000). Prints the wall time of each burst and the most calls the vendor had open at once; the ideal is one vendor
 * time and every call open together. Set BULKHEAD_IO_CONCURRENCY to compare (32 was the default before 2026-12-02).
 */
import { gatewayWithOpenAI } from "../../test/fixtures/gateway";

async function main() {
	const calls = Number(process.argv[2] ?? 128);
	const vendorMs = Number(process.argv[3] ?? 1000);
	const gw = await gatewayWithOpenAI(process.env.BULKHEAD_IO_CONCURRENCY ? { BULKHEAD_IO_CONCURRENCY: process.env.BULKHEAD_IO_CONCURRENCY } : {});
	try {
		gw.vendor.always({ kind: "ok", text: "ok", delayMs: vendorMs });
		const post = (path: string, body: unknown) =>
			fetch(`${gw.base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then(r => r.status);
		const bursts: [string, (i: number) => Promise<number>][] = [
			[
				"/v1/chat/completions",
				i => post("/v1/chat/completions", { model: "gpt-4.1-mini", temperature: 1, messages: [{ role: "user", content: `hi ${i}` }] }),
			],
			["/api/orchestrate", i => post("/api/orchestrate", { request: `explain tcp ${i}`, options: { cache: false, preferred_models: ["gpt-4.1-mini"] } })],
		];
		for (const [path, one] of bursts) {
			await one(-1);
			gw.vendor.reset();
			gw.vendor.always({ kind: "ok", text: "ok", delayMs: vendorMs });
			const started = Date.now();
			const statuses = await Promise.all(Array.from({ length: calls }, (_, i) => one(i)));
			const ms = Date.now() - started;
			console.log(
				`${path}: ${calls} concurrent calls, vendor ${vendorMs} ms: ${ms} ms; at most ${gw.vendor.maxInFlight} at the vendor at once; statuses ${[...new Set(statuses)].join(",")}`,
			);
		}
	} finally {
		await gw.stop();
	}
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
