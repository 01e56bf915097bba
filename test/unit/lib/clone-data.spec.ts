import { strict as assert } from "node:assert";
import { createRequire } from "node:module";
import { cloneData } from "../../../lib/clone-data";

/** What Moleculer's memory cachers cloned with before (`clone: true`). */
const cloneDeep: <T>(v: T) => T = createRequire(require.resolve("moleculer"))("lodash").cloneDeep;

/** Every own key, symbol and prototype, recursively: deepStrictEqual alone does not tell `{}` from a null-prototype object's copy. */
function shape(v: unknown, seen = new Set<unknown>()): unknown {
	if (typeof v !== "object" || v === null || seen.has(v)) return v;
	seen.add(v);
	return {
		proto: Object.getPrototypeOf(v),
		keys: Reflect.ownKeys(v).map(k => [k, Object.getOwnPropertyDescriptor(v, k)?.enumerable, shape((v as Record<PropertyKey, unknown>)[k], seen)]),
	};
}

describe("cloneData", () => {
	const regexMatch = /b(c)/.exec("abc")!;
	const cyclic: Record<string, unknown> = { a: 1 };
	cyclic.self = cyclic;
	const withSymbol = { a: 1, [Symbol.for("s")]: 2 };
	const nullProto = Object.assign(Object.create(null), { a: [1, 2] });
	const protoKey = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
	const arrayWithExtra = Object.assign([1, 2], { extra: "x" });
	// eslint-disable-next-line no-sparse-arrays
	const sparse = [1, , 3];
	const analysis = {
		intent: "ANALYZE",
		intent_confidence: 0.71,
		route: { kind: "llm", provider: "openai", model: "gpt-4.1-mini" },
		model: "gpt-4.1-mini",
		fallbacks: ["gpt-4.1", "o4-mini"],
		system_prompt: "You are concise.",
		strong_need: undefined,
		token_accounting: { counted_with: "o200k_base", input_ratio: null, baseline_input_ratio: 1.02 },
		dropped: [],
		prompt_notes: ["strategy default"],
	};
	const cases: Record<string, unknown> = {
		"an analysis (plain JSON data, an undefined value)": analysis,
		"a completion": { text: "an answer", model: "m", provider: "p", finish_reason: "stop" },
		"nested arrays": [[1, [2, [3, { x: [4] }]]], "s", true, null],
		"a sparse array": sparse,
		"an array with another own key": arrayWithExtra,
		"a RegExp match": regexMatch,
		"a Date": { at: new Date(0) },
		"a Map and a Set": { m: new Map([["k", { v: 1 }]]), s: new Set([1]) },
		"a Buffer": { b: Buffer.from("abc") },
		"a nested function": { f: () => 1 },
		"a symbol key": withSymbol,
		"a null-prototype object": nullProto,
		"an own __proto__ key": protoKey,
		"a cycle": cyclic,
		"deep nesting": JSON.parse(`${"[".repeat(200)}1${"]".repeat(200)}`),
		"a class instance": { e: new Error("x") },
		"a primitive": "text",
		null: null,
		undefined,
	};
	for (const [name, value] of Object.entries(cases)) {
		it(`copies ${name} as lodash's cloneDeep does`, () => {
			const ours = cloneData(value);
			const theirs = cloneDeep(value);
			assert.deepStrictEqual(ours, theirs);
			assert.deepStrictEqual(shape(ours), shape(theirs));
		});
	}

	it("copies: changing the copy leaves the cached value as it was", () => {
		const copy = cloneData(analysis);
		assert.notEqual(copy, analysis);
		copy.route.model = "changed";
		copy.fallbacks.push("more");
		(copy.token_accounting as Record<string, unknown>).input_ratio = 2;
		assert.equal(analysis.route.model, "gpt-4.1-mini");
		assert.deepEqual(analysis.fallbacks, ["gpt-4.1", "o4-mini"]);
		assert.equal(analysis.token_accounting.input_ratio, null);
	});

	it("turns a top-level function into {} as cloneDeep does", () => {
		assert.deepStrictEqual(
			cloneData(() => 1),
			cloneDeep(() => 1),
		);
	});

	it("does not let an own __proto__ key reach the copy's prototype", () => {
		const copy = cloneData(protoKey) as Record<string, unknown>;
		assert.equal(Object.getPrototypeOf(copy), Object.prototype);
		assert.equal(({} as Record<string, unknown>).polluted, undefined);
	});
});
