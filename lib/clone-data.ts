import { createRequire } from "node:module";

/** lodash's cloneDeep as Moleculer loads it: what its memory cachers clone with when given `clone: true`. */
const moleculerCloneDeep: <T>(value: T) => T = createRequire(require.resolve("moleculer"))("lodash").cloneDeep;

/** Thrown by the fast path at anything it does not copy itself. */
const NOT_PLAIN = Symbol("not plain data");
/** Deeper than this the fast path gives up (a cycle, or data no answer here has). */
const MAX_DEPTH = 64;

/**
 * A deep copy of a cached value, equal to the one Moleculer's memory cachers make with `clone: true` (lodash's
 * cloneDeep), faster for plain data. Plain objects (Object.prototype, own enumerable string keys, no `__proto__`
 * key), arrays and primitives, which is all the JSON-shaped answers cached here hold, are copied by a plain
 * recursion: cloneDeep's generic path (tag checks, a stack for cycles, symbol lookups per object) was ~1.4 % of a
 * `/v1` `auto` request's CPU, on the analysis each one caches (README "Gateway overhead"). Anything else (a Date,
 * a Map, a Buffer, a class instance, a symbol key, a null-prototype object, a cycle) makes the whole value go to
 * cloneDeep itself, so every value is copied exactly as before.
 */
export function cloneData<T>(value: T): T {
	if (value === null || (typeof value !== "object" && typeof value !== "function")) return value;
	try {
		return copy(value, 0) as T;
	} catch (err) {
		if (err !== NOT_PLAIN) throw err;
		return moleculerCloneDeep(value);
	}
}

function copy(value: unknown, depth: number): unknown {
	if (typeof value !== "object" || value === null) {
		// A function, which cloneDeep keeps nested but turns into {} at the top: left to it.
		if (typeof value === "function") throw NOT_PLAIN;
		return value;
	}
	if (depth > MAX_DEPTH) throw NOT_PLAIN;
	if (Array.isArray(value)) {
		// cloneDeep copies `index` and `input` of a RegExp match's array: that one is left to it.
		if (Object.getPrototypeOf(value) !== Array.prototype || Object.hasOwn(value, "index")) throw NOT_PLAIN;
		const n = value.length;
		const out = new Array(n);
		// Holes become undefined and other own keys are left out, as cloneDeep does.
		for (let i = 0; i < n; i++) out[i] = copy(value[i], depth + 1);
		return out;
	}
	if (Object.getPrototypeOf(value) !== Object.prototype || Object.getOwnPropertySymbols(value).length) throw NOT_PLAIN;
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(value)) {
		if (key === "__proto__") throw NOT_PLAIN;
		out[key] = copy((value as Record<string, unknown>)[key], depth + 1);
	}
	return out;
}
