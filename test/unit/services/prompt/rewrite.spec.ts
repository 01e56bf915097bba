import { strict as assert } from "node:assert";
import { checkRewrite, rewriteCacheKey, rewriteMaxTokens } from "../../../../services/prompt/rewrite";

const REQUEST =
	"Hi, could you please, when you get a moment, take a look at src/net/fetchWithRetry.ts and make fetchWithRetry back off exponentially with jitter and a max of 5 attempts? Thanks a lot!";

describe("prompt/rewrite", () => {
	it("accepts a shorter rewrite that keeps every protected term", () => {
		const v = checkRewrite(REQUEST, "Make fetchWithRetry in src/net/fetchWithRetry.ts use exponential backoff with jitter, max 5 attempts.");
		assert.deepEqual(v, { ok: true, text: "Make fetchWithRetry in src/net/fetchWithRetry.ts use exponential backoff with jitter, max 5 attempts." });
	});

	it("refuses a rewrite that lost a term, naming it", () => {
		const v = checkRewrite(REQUEST, "Make the retry helper back off exponentially with jitter, max 5 attempts.");
		assert.equal(v.ok, false);
		assert.match((v as { reason: string }).reason, /lost "src\/net\/fetchWithRetry\.ts", "fetchWithRetry"/);
	});

	it("refuses an empty rewrite and one no shorter than the default compression", () => {
		assert.deepEqual(checkRewrite(REQUEST, "  "), { ok: false, reason: "empty rewrite" });
		assert.equal(checkRewrite(REQUEST, REQUEST).ok, false);
	});

	it("refuses a rewrite that re-indents pasted code, though every identifier is in it", () => {
		const request = `${REQUEST}\n\ndef fetch_with_retry(url):\n    for attempt in range(5):\n        return get(url)\n`;
		const v = checkRewrite(
			request,
			"src/net/fetchWithRetry.ts fetchWithRetry: exponential backoff + jitter, max 5 attempts.\ndef fetch_with_retry(url):\n for attempt in range(5):\n  return get(url)",
		);
		assert.deepEqual(v, { ok: false, reason: "rewrite changed pasted code (lines 3-5)" });
	});

	it("strips a code fence around the rewrite", () => {
		const v = checkRewrite(REQUEST, "```\nfetchWithRetry (src/net/fetchWithRetry.ts): exponential backoff + jitter, max 5 attempts\n```");
		assert.equal(v.ok, true);
	});

	it("keys the cache on a hash of the whole input and bounds the output", () => {
		const k = rewriteCacheKey(REQUEST, "WRITE", "moderate");
		assert.match(k, /^prompt\.rewrite:[0-9a-f]{64}$/);
		assert.notEqual(k, rewriteCacheKey(REQUEST, "WRITE", "complex"));
		assert.equal(k, rewriteCacheKey(REQUEST, "WRITE", "moderate"));
		assert.ok(rewriteMaxTokens(REQUEST) > 32 && rewriteMaxTokens("x".repeat(100000)) === 4096);
	});
});
