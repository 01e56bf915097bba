/** Loading of the JSON weight files that ship beside the classifier modules. */
import { readFileSync } from "fs";

/**
 * Reads a model once, at import time. Read with fs rather than `import` so the
 * TypeScript compiler does not type-infer a megabyte of weights.
 */
export function loadModelFile<T extends { kind: string }>(path: string, kind: T["kind"]): T {
	let parsed: T;
	try {
		parsed = JSON.parse(readFileSync(path, "utf8")) as T;
	} catch (err) {
		throw new Error(`cannot load model ${path} (run \`npm run train\`): ${(err as Error).message}`);
	}
	if (parsed.kind !== kind) throw new Error(`${path} holds a "${parsed.kind}" model, expected "${kind}"`);
	return parsed;
}
