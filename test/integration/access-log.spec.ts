import { strict as assert } from "node:assert";
import { inspect } from "node:util";
import { Loggers } from "moleculer";
import { gatewayWithOpenAI, type GatewayUnderTest } from "../fixtures/gateway";

class CaptureLogger extends Loggers.Base {
	readonly lines: string[] = [];
	getLogHandler() {
		return (type: string, args: unknown[]) => this.lines.push(`${type} ${args.map(a => (typeof a === "string" ? a : inspect(a))).join(" ")}`);
	}
}

const KEY = "access-log-test-key-0123456789";
/** What a caller put in a query string by mistake: not an env secret, no vendor key shape; only its place says it is one. */
const IN_QUERY = "q-secret-7f3a9c2e5b";

/** moleculer-web's access lines printed the whole URL: a key a caller put in the query string was in every log line. */
describe("access log lines at LOGLEVEL=info", function () {
	this.timeout(30_000);
	let gw: GatewayUnderTest;
	const logger = new CaptureLogger();

	before(async () => {
		gw = await gatewayWithOpenAI({ API_KEYS: KEY, LOGLEVEL: "info" }, { logger: logger as any, logLevel: "info" });
	});
	after(async () => {
		await gw?.stop();
	});

	it("name the path and the query's parameter names, never the query's values", async () => {
		const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
		const health = await fetch(`${gw.base}/health?api_key=${IN_QUERY}&verbose`);
		assert.equal(health.status, 200);
		const analyze = await fetch(`${gw.base}/api/analyze?key=${IN_QUERY}`, {
			method: "POST",
			headers,
			body: JSON.stringify({ request: "list the files in src" }),
		});
		assert.equal(analyze.status, 200, await analyze.text());
		const missing = await fetch(`${gw.base}/api/nothing-here?token=${IN_QUERY}`, { headers });
		assert.equal(missing.status, 404);
		const lines = logger.lines.join("\n");
		assert.match(lines, /=> GET \/health\?api_key=…&verbose=…/, lines);
		assert.match(lines, /<= .*200.* POST \/api\/analyze\?key=… \[\+[\d.]+ ms\]/, lines);
		assert.ok(!lines.includes(IN_QUERY), `a query value in a log line:\n${lines}`);
		assert.ok(!lines.includes(KEY), "the API key in a log line");
	});
});
