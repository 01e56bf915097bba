import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { pieceStrings } from "../../../helpers";
import {
	analysisCacheKey,
	completionCacheKey,
	contextDigest,
	normalizeLines,
	normalizeRequest,
	stableStringify,
	stageKeygen,
	type AnalysisKeyInput,
} from "../../../../services/orchestrator/cache-keys";

describe("cache keys", () => {
	describe("normalizeRequest", () => {
		it("trims, unifies line ends and collapses spaces between words", () => {
			assert.equal(normalizeRequest("  explain   the\tretry policy \r\n"), "explain the retry policy");
			assert.equal(normalizeRequest("a\r\nb\rc"), "a\nb\nc");
			assert.equal(normalizeRequest("first\n\n\n\nsecond"), "first\n\nsecond");
		});

		it("answers a one-line text as the line-by-line path does", () => {
			const pieces = [" ", "\t", "  ", "\u00a0", "\u2003", "\v", "\f", "a", "Bc", "x\t\ty", "é", "\r", "\n", "\r\n", ".", ""];
			for (const text of pieceStrings(pieces, 3000, 8)) assert.equal(normalizeRequest(text), normalizeLines(text), JSON.stringify(text));
		});

		it("keeps case and leading indentation, which carry meaning in code", () => {
			assert.equal(normalizeRequest("fix:\n    if x:\n        return  getUserById(x)  "), "fix:\n    if x:\n        return getUserById(x)");
			assert.notEqual(normalizeRequest("Find getUserById"), normalizeRequest("find getuserbyid"));
		});
	});

	describe("stageKeygen and the context digest", () => {
		/** A 2 MB context whose files are counted each time a key reads them. */
		function countedContext(content: string) {
			const files = [{ path: "src/big.ts", content }];
			const seen = { reads: 0 };
			const context = {};
			Object.defineProperty(context, "files", { enumerable: true, get: () => (seen.reads++, files) });
			return { context: context as { files: typeof files }, seen };
		}
		const big = "export const x = 1;\n".repeat(100_000);

		it("one request's context is serialised and hashed once for the analysis key and every cached stage's key", () => {
			const { context, seen } = countedContext(big);
			const request = "explain this code";
			const intent = stageKeygen("intent.classify", { request, context });
			const once = seen.reads;
			assert.ok(once > 0);
			const complexity = stageKeygen("complexity.analyze", { request, context });
			analysisCacheKey({ request, context, live_models: [], live_tools: [], config: "c" });
			assert.equal(seen.reads, once, `the context was serialised again (${seen.reads} reads, ${once} for one key)`);
			assert.notEqual(intent, complexity);
			assert.ok(intent.startsWith("intent.classify:") && intent.length < 100, intent);
		});

		it("keys by content: the same context in another object is the same key, another request or content another", () => {
			const request = "explain this code";
			const key = (r: string, content: string) => stageKeygen("intent.classify", { request: r, context: { files: [{ path: "a.ts", content }] } });
			assert.equal(key(request, big), key(request, big));
			assert.notEqual(key(request, big), key(request, `${big}x`));
			assert.notEqual(key(request, big), key("explain that code", big));
			assert.equal(stageKeygen("intent.classify", { request }), stageKeygen("intent.classify", { request, context: null }));
			// Params a validator has not seen yet (the cacher keys before it): still a key, never a throw.
			assert.ok(stageKeygen("intent.classify", undefined).startsWith("intent.classify:"));
			assert.ok(stageKeygen("intent.classify", { request: { toString: null }, context: "x" }).startsWith("intent.classify:"));
		});

		it("makes the keys it always made, whether or not the last key's digest is reused", () => {
			// The key as it was first written: the action and the digest of the request and the context's digest.
			const sha = (text: string) => createHash("sha256").update(text).digest("hex");
			const before = (action: string, p: { request?: unknown; context?: unknown } | undefined) =>
				`${action}:${sha(stableStringify({ request: p?.request ?? null, context: sha(stableStringify(p?.context ?? null)) }))}`;
			const context = { files: [{ path: "a.ts", content: "const a = 1;" }], language: "ts" };
			const calls: [string, { request?: unknown; context?: unknown } | undefined][] = [
				["intent.classify", { request: "fix the bug", context }],
				["complexity.analyze", { request: "fix the bug", context }],
				["intent.classify", { request: "fix the bug", context: { ...context } }],
				["intent.classify", { request: "fix the bug" }],
				["complexity.analyze", { request: "fix the bug", context: null }],
				["complexity.analyze", { request: "fix the other bug" }],
				["intent.classify", { request: "fix the bug", context: "text" }],
				["intent.classify", { request: 42, context: [1, { b: 2, a: 1 }] }],
				["intent.classify", { request: 'über "quoted" \u2028', context }],
				["intent.classify", undefined],
			];
			for (const [action, p] of calls) assert.equal(stageKeygen(action, p), before(action, p), `${action} ${JSON.stringify(p)}`);
			// The same text and context object right after one another (the orchestrator's two stages): the same digest.
			const p = { request: "fix the bug", context };
			assert.equal(stageKeygen("intent.classify", p).split(":")[1], stageKeygen("complexity.analyze", { ...p }).split(":")[1]);
		});
	});

	describe("analysisCacheKey", () => {
		const base: AnalysisKeyInput = { request: "explain closures", live_models: ["a", "b"], live_tools: [], config: "c1" };

		/** The key as it was defined before its cluster parts were kept between calls: the digest of the whole object. */
		const wholeKey = (input: AnalysisKeyInput) => {
			const options = Object.fromEntries(Object.entries(input.options ?? {}).filter(([k]) => k !== "dry_run" && k !== "cache"));
			const json = stableStringify({
				request: typeof input.request === "string" ? normalizeRequest(input.request) : (input.request ?? null),
				context: contextDigest(input.context),
				options,
				live_models: [...input.live_models].sort(),
				live_tools: [...input.live_tools].sort(),
				config: input.config,
				token_ratios: input.token_ratios && Object.keys(input.token_ratios).length ? input.token_ratios : undefined,
			});
			return createHash("sha256").update(json).digest("hex");
		};

		it("is the digest of the whole input's stable JSON, call after call, whatever changes between calls and in place", () => {
			const models = ["gpt-4.1-mini", "gpt-4.1"];
			const tools = ["mcp.fs", "mcp.fs.read_file"];
			const ratios: Record<string, number> = {};
			const inputs: AnalysisKeyInput[] = [];
			for (let i = 0; i < 6; i++) {
				inputs.push({ request: `explain closures (${i})`, live_models: models, live_tools: tools, config: "c1", token_ratios: ratios });
				inputs.push({
					request: 7,
					context: { b: [1, { y: null, x: "z" }], a: "\u2028" },
					options: { max_cost: 0.1, cache: false },
					live_models: models,
					live_tools: tools,
					config: "c1",
				});
			}
			let n = 0;
			for (const input of inputs) {
				assert.equal(analysisCacheKey(input), wholeKey(input));
				// Changed in place between calls, as the tests above do: the next key must follow.
				if (n === 2) models.push("o4-mini");
				if (n === 4) tools[0] = "mcp.git";
				if (n === 6) ratios["gpt-4.1"] = 1.25;
				if (n === 8) ratios["gpt-4.1"] = 1.5;
				n++;
			}
			assert.equal(analysisCacheKey({ ...base, config: "c2" }), wholeKey({ ...base, config: "c2" }));
			assert.equal(analysisCacheKey({ ...base, token_ratios: { a: 1 } }), wholeKey({ ...base, token_ratios: { a: 1 } }));
			assert.equal(analysisCacheKey(base), wholeKey(base));
		});

		it("is the same for the same normalized request, whatever the key order or option noise", () => {
			const k = analysisCacheKey({ ...base, context: { language: "ts", framework: "express" } });
			assert.equal(analysisCacheKey({ ...base, request: " explain   closures\n", context: { framework: "express", language: "ts" } }), k);
			assert.equal(analysisCacheKey({ ...base, context: { language: "ts", framework: "express" }, options: { dry_run: true, cache: true } }), k);
			assert.equal(analysisCacheKey({ ...base, live_models: ["b", "a"], context: { framework: "express", language: "ts" } }), k);
		});

		it("changes with the context, the options that steer the analysis, the live cluster and the config", () => {
			const k = analysisCacheKey(base);
			assert.notEqual(analysisCacheKey({ ...base, context: { language: "go" } }), k);
			assert.notEqual(analysisCacheKey({ ...base, options: { max_cost: 0.01 } }), k);
			assert.notEqual(analysisCacheKey({ ...base, options: { preferred_models: ["gpt-4.1"] } }), k);
			assert.notEqual(analysisCacheKey({ ...base, live_models: ["a"] }), k);
			assert.notEqual(analysisCacheKey({ ...base, live_tools: ["mcp.fs"] }), k);
			assert.notEqual(analysisCacheKey({ ...base, config: "c2" }), k);
		});

		it("follows a live list changed in place, whatever its order", () => {
			const models = ["b", "a"];
			const k = analysisCacheKey({ ...base, live_models: models });
			assert.equal(k, analysisCacheKey({ ...base, live_models: ["a", "b"] }));
			models.push("c");
			assert.notEqual(analysisCacheKey({ ...base, live_models: models }), k);
		});

		it("hashes megabyte contexts into a fixed-size key, and survives a malformed request", () => {
			const k = analysisCacheKey({ ...base, context: { files: [{ path: "big.ts", content: "x".repeat(2_000_000) }] } });
			assert.match(k, /^[0-9a-f]{64}$/);
			assert.match(analysisCacheKey({ ...base, request: 42 }), /^[0-9a-f]{64}$/);
		});
	});

	describe("completionCacheKey", () => {
		const input = { model: "gpt-4.1-mini", system: "s", prompt: "p", max_tokens: 512, temperature: 0 };

		it("keys a temperature-0 completion by model, system, prompt and max_tokens", () => {
			const k = completionCacheKey(input)!;
			assert.match(k, /^orchestrator\.completion:[0-9a-f]{64}$/);
			assert.equal(completionCacheKey({ ...input }), k);
			for (const change of [{ model: "gpt-4.1" }, { system: "t" }, { prompt: "q" }, { max_tokens: 1024 }]) {
				assert.notEqual(completionCacheKey({ ...input, ...change }), k, JSON.stringify(change));
			}
		});

		it("keys each caller's key name (tenant) apart; without one, as ever", () => {
			const k = completionCacheKey(input)!;
			assert.equal(completionCacheKey({ ...input, tenant: undefined }), k);
			const a = completionCacheKey({ ...input, tenant: "team-a" })!;
			assert.notEqual(a, k);
			assert.notEqual(completionCacheKey({ ...input, tenant: "team-b" }), a);
			assert.match(a, /^orchestrator\.completion:[0-9a-f]{64}$/);
		});

		it("refuses to key a sampled (temperature > 0) completion", () => {
			assert.equal(completionCacheKey({ ...input, temperature: 0.7 }), null);
		});
	});

	it("stableStringify sorts keys at every depth and drops undefined", () => {
		assert.equal(stableStringify({ b: 1, a: { d: [1, { f: 2, e: undefined }], c: null } }), '{"a":{"c":null,"d":[1,{"f":2}]},"b":1}');
	});
});
