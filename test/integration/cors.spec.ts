import { strict as assert } from "node:assert";
import { gatewayWithOpenAI, type GatewayUnderTest } from "../fixtures/gateway";

/**
 * README: ALLOWED_ORIGINS lists the browser origins allowed on /mcp, /api and /v1 and "also turns on CORS for them".
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

	// What the browser builds of the openai and anthropic SDKs ask to send besides the JSON body and the key.
	const SDK_HEADERS = "content-type, authorization, anthropic-version, x-stainless-os, x-stainless-retry-count";
	const preflight = (path: string, origin: string) =>
		fetch(`${gw.base}${path}?request=${encodeURIComponent("Explain TCP vs UDP")}`, {
			method: "OPTIONS",
			headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": SDK_HEADERS },
		});

	// Every route a browser page may call: REST, MCP and both vendor APIs.
	const PATHS = ["/mcp", "/api/orchestrate", "/v1/chat/completions", "/v1/messages"];

	it("grants a listed origin's preflight with the methods and headers it may send, running nothing", async () => {
		const before = gw.vendor.completions.length;
		for (const path of PATHS) {
			const res = await preflight(path, "https://app.example");
			assert.equal(res.status, 204, path);
			assert.equal(res.headers.get("access-control-allow-origin"), "https://app.example", path);
			for (const h of SDK_HEADERS.split(", ")) assert.match(res.headers.get("access-control-allow-headers") ?? "", new RegExp(h), path);
			assert.match(res.headers.get("access-control-allow-methods") ?? "", /POST/, path);
		}
		assert.equal(gw.vendor.completions.length, before, "a preflight ran a vendor call");
	});

	it("grants no other origin, running nothing", async () => {
		const before = gw.vendor.completions.length;
		for (const path of PATHS) {
			const res = await preflight(path, "https://evil.example");
			// Answered like any preflight (204, nothing run) but without CORS headers: the browser refuses the call itself.
			assert.equal(res.status, 204, path);
			assert.equal(res.headers.get("access-control-allow-origin"), null, path);
			assert.equal(res.headers.get("access-control-allow-methods"), null, path);
		}
		assert.equal(gw.vendor.completions.length, before, "a preflight ran a vendor call");
	});

	it("answers the listed origin's call the preflight was for with its CORS header, on /mcp and /v1", async () => {
		const mcp = await fetch(`${gw.base}/mcp`, {
			method: "POST",
			headers: { "content-type": "application/json", accept: "application/json, text/event-stream", origin: "https://app.example" },
			body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
		});
		assert.equal(mcp.status, 200, await mcp.clone().text());
		assert.equal(mcp.headers.get("access-control-allow-origin"), "https://app.example");
		const v1 = await fetch(`${gw.base}/v1/chat/completions`, {
			method: "POST",
			headers: { origin: "https://app.example", "content-type": "application/json" },
			body: JSON.stringify({ model: "gpt-4.1-mini", messages: [{ role: "user", content: "Explain TCP vs UDP" }] }),
		});
		assert.equal(v1.status, 200);
		assert.equal(v1.headers.get("access-control-allow-origin"), "https://app.example");
		// A page reads the request id and the decision headers only when they are exposed.
		assert.match(v1.headers.get("access-control-expose-headers") ?? "", /x-request-id.*x-orchestrator-route/);
	});
});
