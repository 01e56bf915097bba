import { strict as assert } from "node:assert";
import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { ServiceBroker } from "moleculer";
import { chromium, type Browser } from "playwright-core";
import type { MetricsSummary } from "../../services/metrics/summary";
import { startVendors, type Vendors } from "../fixtures/vendors";
import { freePort, testBroker, testNamespace } from "../helpers";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOT = resolve(__dirname, "../../test-results/status-page.png");

// The page's own formatting, restated: what a person must read for each figure of /api/metrics.
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const usd = (x: number) => `$${x.toFixed(x >= 1 ? 2 : x >= 0.01 ? 4 : 6)}`;
const ms = (x: number) => `${int(x)} ms`;
const EXPECTED: Record<string, (m: MetricsSummary) => string> = {
	"requests.total": m => int(m.requests.total),
	success_rate: m => pct(m.success_rate),
	"latency_ms.p50": m => ms(m.latency_ms.p50),
	"latency_ms.p95": m => ms(m.latency_ms.p95),
	"latency_ms.p99": m => ms(m.latency_ms.p99),
	"tokens.total": m => int(m.tokens.input + m.tokens.output),
	"tokens.input": m => int(m.tokens.input),
	"tokens.output": m => int(m.tokens.output),
	"tokens.saved": m => int(m.tokens.saved),
	cost_usd: m => usd(m.cost_usd),
	cost_saved_usd: m => usd(m.cost_saved_usd),
	cache_hit_rate: m => pct(m.cache_hit_rate),
	fallbacks: m => int(m.fallbacks),
	"open_circuits.length": m => int(m.open_circuits.length),
};

/** The status page at / in a real headless Chromium, against a gateway with real traffic behind it. */
describe("status page in headless Chromium", function () {
	this.timeout(60_000);
	let broker: ServiceBroker;
	let browser: Browser | undefined;
	let vendors: Vendors | undefined;
	let base: string;

	before(async function () {
		if (!existsSync(CHROMIUM)) {
			console.warn(`    status page test skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
			this.skip();
		}
		const port = await freePort();
		base = `http://127.0.0.1:${port}`;
		vendors = await startVendors();
		broker = testBroker({ env: { ...vendors.env, PORT: String(port), HOST: "127.0.0.1", NAMESPACE: testNamespace() } });
		await broker.start();
		const post = (request: string, options = {}) =>
			fetch(`${base}/api/orchestrate`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ request, options }) });
		await post("explain what a race condition is", { dry_run: true });
		await post("write a regex that matches ISO dates");
		await post("write a regex that matches ISO dates");
		vendors.always({ kind: "error", status: 400, message: "prompt rejected" });
		await post("design a lock-free queue in C with hazard pointers");
		vendors.always({ kind: "ok" });
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: [
				"--headless",
				"--no-sandbox",
				"--disable-gpu",
				"--disable-quic",
				"--no-first-run",
				"--disable-background-networking",
				"--disable-component-update",
				"--disable-sync",
			],
		});
	});

	after(async () => {
		await browser?.close();
		await broker?.stop();
		await vendors?.stop();
	});

	it("loads, shows the figures of /api/metrics, draws the charts, and is screenshotted", async () => {
		const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
		const failed: string[] = [];
		page.on("requestfailed", r => failed.push(r.url()));
		page.on("pageerror", e => failed.push(e.message));
		const res = await page.goto(`${base}/?period=5m`);
		assert.equal(res?.status(), 200);
		assert.match(res!.headers()["content-type"], /text\/html/);
		await page.waitForSelector('body[data-loaded-period="5m"]');

		const api: MetricsSummary = await (await fetch(`${base}/api/metrics?period=5m`)).json();
		assert.equal(api.requests.total, 4);
		const shown = await page.$$eval("[data-metric]", els => els.map(e => [(e as HTMLElement).dataset.metric!, e.textContent!.trim()]));
		assert.deepEqual(shown.map(([k]) => k).sort(), Object.keys(EXPECTED).sort(), "every figure is on the page");
		for (const [key, text] of shown) assert.equal(text, EXPECTED[key](api), key);

		// Breakdown tables and one bar per series point in the requests chart.
		const byStatus = await page.$$eval("#by_route td", tds => tds.map(td => td.textContent));
		assert.deepEqual(
			byStatus,
			Object.entries(api.requests.by_route).flatMap(([k, n]) => [k, String(n)]),
		);
		const bars = await page.$$eval("#chart-requests rect.bar:not(.err)", rs => rs.length);
		assert.equal(bars, api.series.points.length);
		// Which providers and tool servers are live, from the same answer.
		const live = api as MetricsSummary & { providers: { service: string }[]; tool_servers: { service: string }[] };
		const providerCells = await page.$$eval("#providers tr td:first-child", tds => tds.map(td => td.textContent));
		assert.deepEqual(
			providerCells,
			live.providers.map(p => p.service),
		);
		assert.deepEqual(providerCells, ["llm-anthropic", "llm-google", "llm-openai"]);
		const toolCells = await page.$$eval("#tool_servers tr td:first-child", tds => tds.map(td => td.textContent));
		assert.deepEqual(
			toolCells,
			live.tool_servers.map(t => t.service),
		);
		assert.equal(await page.isHidden("#no-providers"), true, "no 'no provider' warning while providers are live");
		assert.deepEqual(failed, [], "no failed request or script error (no external assets)");

		mkdirSync(resolve(SCREENSHOT, ".."), { recursive: true });
		await page.screenshot({ path: SCREENSHOT, fullPage: true });
		assert.ok(existsSync(SCREENSHOT));
	});

	it("switches the window with the period buttons", async () => {
		const page = await browser!.newPage();
		await page.goto(`${base}/?period=5m`);
		await page.waitForSelector('body[data-loaded-period="5m"]');
		await page.click('button[data-period="1h"]');
		await page.waitForSelector('body[data-loaded-period="1h"]');
		assert.equal(await page.getAttribute('button[data-period="1h"]', "aria-pressed"), "true");
	});

	it("keeps /health and /api working beside it", async () => {
		assert.equal((await fetch(`${base}/health`)).status, 200);
		assert.equal((await fetch(`${base}/api/metrics?period=1m`)).status, 200);
	});
});
