import { strict as assert } from "node:assert";
import { concatValues, denseLogit, denseLogitOfParts, type DenseLogReg } from "../../../../lib/nlp/dense-logreg";

describe("lib/nlp/dense-logreg", () => {
	describe("denseLogitOfParts", () => {
		let seed = 11;
		const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
		const model = (dims: number): DenseLogReg => ({
			mean: Array.from({ length: dims }, rand),
			scale: Array.from({ length: dims }, () => 0.01 + Math.abs(rand())),
			weights: Array.from({ length: dims }, rand),
			bias: rand(),
		});

		it("is denseLogit of the parts joined, to the bit: a mean vector, plain and boxed numbers, short and long", () => {
			for (let trial = 0; trial < 200; trial++) {
				const vec = Float32Array.from({ length: 20 }, rand);
				const shape = Array.from({ length: 5 }, rand);
				const boxed = Object.values({ a: rand(), b: 0, c: 1, d: rand() });
				const flags = [0, 1, trial % 2];
				const parts = [vec, shape, boxed, flags, []];
				// Fewer weights than values (the rest ignored), as many, and more (the missing values read as 0).
				for (const dims of [10, 32, 40]) {
					const m = model(dims);
					assert.equal(Object.is(denseLogitOfParts(m, parts), denseLogit(m, concatValues(...parts))), true, `trial ${trial}, ${dims} dims`);
				}
			}
		});
	});
});
