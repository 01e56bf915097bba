import { strict as assert } from "node:assert";
import { gatewayWithOpenAI, type GatewayUnderTest } from "../fixtures/gateway";
import { probeHealthWhile } from "../helpers";

/** A source file of about `bytes`, every line different (no repeated slice for the token counter to reuse). */
function bigSource(bytes: number): string {
	const lines: string[] = [];
	let size = 0;
	for (let i = 0; size < bytes; i++) {
		const line = `export function handler${i}(req: Request): Response { const value = compute(req.body, ${i * 7919}); return respond(value); }`;
		lines.push(line);
		size += line.length + 1;
	}
	return lines.join("\n");
}

/**
 * Pruning and counting the tokens of a 2 MB context takes seconds of CPU; on the event loop it held
 * /health for as long. It runs on a worker thread: /health answers within a fraction of a second
 * while concurrent big contexts are being optimized, and their answers are the same as inline.
 */
describe("big contexts off the event loop", function () {
	this.timeout(60_000);
	let gw: GatewayUnderTest;

	before(async () => {
		gw = await gatewayWithOpenAI();
	});
	after(async () => {
		await gw?.stop();
	});

	it("/health stays responsive while 2 concurrent 2 MB contexts are analysed", async () => {
		const content = bigSource(2 * 1024 * 1024 - 4096);
		const analyses = [1, 2].map(i =>
			fetch(`${gw.base}/api/analyze`, {
				method: "POST",
				headers: { "content-type": "application/json" },
				body: JSON.stringify({
					request: `why does handler${i * 1000} fail?`,
					context: { files: [{ path: `src/big${i}.ts`, content }] },
					options: { cache: false },
				}),
			}).then(async res => ({ status: res.status, body: await res.json() })),
		);
		const { result: results, probes } = await probeHealthWhile(gw.base, Promise.all(analyses));
		for (const r of results) {
			assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));
			assert.ok(r.body.baseline_input_tokens > 100_000, "the whole context was counted");
			assert.ok(r.body.input_tokens < r.body.baseline_input_tokens / 10, "the context was pruned");
		}
		assert.ok(probes.length >= 5, `only ${probes.length} probes while the analyses ran`);
		const worst = Math.max(...probes);
		assert.ok(worst < 1_000, `/health took ${worst} ms at worst (probes: ${probes.join(", ")})`);
	});

	it("an analysis of a big context is not cached (an entry would hold it whole); a small one is", async () => {
		// Moleculer's in-process LRU cacher (CACHER unset), bounded by entries, not bytes.
		const lru = (gw.broker.cacher as unknown as { cache: { values(): unknown[] } }).cache;
		const cached = () => lru.values().map(v => JSON.stringify(v));
		const analyse = (content: string, i: number) =>
			fetch(`${gw.base}/api/analyze`, {
				method: "POST",
				headers: { "content-type": "application/json" },
				body: JSON.stringify({ request: `why does handler${i} fail?`, context: { files: [{ path: `src/c${i}.ts`, content }] } }),
			}).then(res => assert.equal(res.status, 200));
		await analyse(bigSource(600 * 1024), 1);
		await analyse(bigSource(600 * 1024), 2);
		assert.ok(!cached().some(v => /handler[12] fail/.test(v)), "a big context's analysis was cached");
		assert.ok(
			cached().every(v => v.length < 200 * 1024),
			`a cached entry holds ${Math.max(...cached().map(v => v.length))} characters`,
		);
		await analyse(bigSource(8 * 1024), 3);
		assert.ok(
			cached().some(v => v.includes("handler3 fail")),
			"a small context's analysis was not cached",
		);
	});
});
