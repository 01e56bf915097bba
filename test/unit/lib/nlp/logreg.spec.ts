import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import type { FeatureVector } from "../../../../lib/nlp/features";
import { predictProba, softmax, type DenseBlock, type LogRegModel } from "../../../../lib/nlp/logreg";
import { loadModelFile } from "../../../../lib/nlp/model-file";
import { intentFeatureParts, type IntentModel } from "../../../../services/intent/model";

/** The model as written: every feature's row looked up by name in model.weights, x's features first, then the blocks'. */
function plainProba(model: LogRegModel, x: FeatureVector, blocks: readonly DenseBlock[]): number[] {
	const logits = new Array<number>(model.classes.length).fill(0);
	const add = (name: string, value: number) => {
		const w = Object.hasOwn(model.weights, name) ? model.weights[name] : undefined;
		if (w) for (let k = 0; k < logits.length; k++) logits[k] += w[k] * value;
	};
	for (const [name, value] of x) add(name, value);
	for (const { prefix, vec, weight } of blocks) for (let d = 0; d < vec.length; d++) if (vec[d] !== 0) add(`${prefix}${d}`, vec[d] * weight);
	return softmax(logits);
}

describe("logistic regression inference (lib/nlp/logreg.ts)", () => {
	it("reads the rows packed once per model and gives the sums of the model as written, bit for bit (shipped intent model, the 200 dev training texts)", () => {
		const model = loadModelFile<IntentModel>(join(__dirname, "../../../../services/intent/model.json"), "intent-logreg");
		const texts = readFileSync(join(__dirname, "../../../../data/train/requests-dev.jsonl"), "utf8")
			.split("\n")
			.filter(Boolean)
			.map(line => (JSON.parse(line) as { request: string }).request);
		assert.equal(texts.length, 200);
		let blocksSeen = 0;
		for (const text of texts) {
			const { x, blocks } = intentFeatureParts(text, undefined, model.features, model.dense);
			blocksSeen += blocks.length;
			const packed = predictProba(model.logreg, x, blocks);
			const plain = plainProba(model.logreg, x, blocks);
			assert.ok(
				packed.every((p, k) => Object.is(p, plain[k])),
				`${text.slice(0, 60)}: ${packed} vs ${plain}`,
			);
		}
		assert.ok(blocksSeen > 0, "the shipped model's dense blocks were exercised");
	});

	it("skips names the model has no row for, a zero component, and a block longer than any row it has", () => {
		const model: LogRegModel = { classes: ["a", "b"], weights: { bias: [0.5, -0.5], f: [1, 2], "v:0": [3, 0], "v:2": [0, 4] } };
		const x: FeatureVector = new Map([
			["bias", 1],
			["f", 2],
			["unknown", 9],
			["constructor", 1],
		]);
		const blocks: DenseBlock[] = [{ prefix: "v:", vec: Float32Array.from([1, 5, 0, 7]), weight: 0.5 }];
		assert.deepEqual(predictProba(model, x, blocks), plainProba(model, x, blocks));
		assert.deepEqual(predictProba(model, x, blocks), softmax([0.5 + 2 + 1.5, -0.5 + 4 + 0]));
	});
});

describe("lib/nlp/logreg softmax", () => {
	// The earlier form, kept here as the reference the loops must match to the bit.
	const byArrays = (logits: number[]) => {
		const max = Math.max(...logits);
		const exps = logits.map(z => Math.exp(z - max));
		const sum = exps.reduce((a, b) => a + b, 0);
		return exps.map(e => e / sum);
	};

	it("gives what Math.max(...), map and reduce gave, bit for bit, signed zeros, infinities and NaN included", () => {
		let seed = 3;
		const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const special = [0, -0, Infinity, -Infinity, NaN, 1e-300, -750, 750];
		const cases: number[][] = [[], [0], [-0, 0], [NaN, 1], [Infinity, 1], [-Infinity, -Infinity]];
		for (let i = 0; i < 500; i++)
			cases.push(Array.from({ length: 1 + (i % 7) }, () => (rand() < 0.1 ? special[Math.floor(rand() * special.length)] : (rand() - 0.5) * 40)));
		for (const logits of cases) {
			const a = softmax(logits);
			const b = byArrays(logits);
			assert.equal(a.length, b.length);
			a.forEach((x, k) => assert.ok(Object.is(x, b[k]), `${JSON.stringify(logits)}: ${x} against ${b[k]}`));
		}
	});
});
