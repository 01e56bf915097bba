import { strict as assert } from "node:assert";
import { gatewayWithOpenAI, type GatewayUnderTest } from "../fixtures/gateway";

/**
 * README: ALLOWED_ORIGINS lists the browser origins allowed on /mcp and "also turns on CORS for them".
 * A browser sends a JSON POST only after a preflight that grants it, so the preflight must carry the
 * CORS headers for a listed origin, refuse any other, and run nothing either way.
 */
describe("CORS with ALLOWED_ORIGINS", function () {
	this.timeout(60_000);
	let gw: GatewayUnderTest;

	before(async () => {
		gw = await gatewayWithOpenAI({ ALLOWED_ORIGINS: "https://app.example" });
	});

	after(async () => {
		await gw?.stop();
	});

	const preflight = (path: string, origin: string) =>
		fetch(`${gw.base}${path}?request=${encodeURIComponent("Explain TCP vs UDP")}`, {
			method: "OPTIONS",
			headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
		});

	it("grants a listed origin's preflight on /mcp and /api, running nothing", async () => {
		const before = gw.vendor.completions.length;
		for (const path of ["/mcp", "/api/orchestrate"]) {
			const res = await preflight(path, "https://app.example");
			assert.equal(res.status, 204, path);
			assert.equal(res.headers.get("access-control-allow-origin"), "https://app.example", path);
			assert.match(res.headers.get("access-control-allow-headers") ?? "", /content-type/, path);
			assert.match(res.headers.get("access-control-allow-methods") ?? "", /POST/, path);
		}
		assert.equal(gw.vendor.completions.length, before, "a preflight ran a vendor call");
	});

	it("grants no other origin, running nothing", async () => {
		const before = gw.vendor.completions.length;
		for (const path of ["/mcp", "/api/orchestrate"]) {
			const res = await preflight(path, "https://evil.example");
			// Answered like any preflight (204, nothing run) but without CORS headers: the browser refuses the call itself.
			assert.equal(res.status, 204, path);
			assert.equal(res.headers.get("access-control-allow-origin"), null, path);
			assert.equal(res.headers.get("access-control-allow-methods"), null, path);
		}
		assert.equal(gw.vendor.completions.length, before, "a preflight ran a vendor call");
	});

	it("the listed origin's POST to /mcp is answered with its CORS header", async () => {
		const res = await fetch(`${gw.base}/mcp`, {
			method: "POST",
			headers: { "content-type": "application/json", accept: "application/json, text/event-stream", origin: "https://app.example" },
			body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
		});
		assert.equal(res.status, 200, await res.clone().text());
		assert.equal(res.headers.get("access-control-allow-origin"), "https://app.example");
	});
});
