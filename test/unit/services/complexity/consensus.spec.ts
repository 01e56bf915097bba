import { strict as assert } from "assert";
import {
	complexityDisputed,
	complexityEntries,
	sourceRowWeights,
	trainComplexityModel,
	COMPLEXITY_SETTINGS,
	type ComplexityRow,
} from "../../../../services/complexity/model";
import { loadAllLabeled, loadSecondComplexity } from "../../../../scripts/dataset";

const row = (id: string, source: string, complexity: ComplexityRow["complexity"], complexity2?: ComplexityRow["complexity"]): ComplexityRow => ({
	id,
	request: `request ${id}`,
	intent: "WRITE",
	complexity,
	source,
	...(complexity2 ? { complexity2 } : {}),
});

describe("complexity training with two annotators' tiers", () => {
	const rows = [
		row("d", "dev", "complex"),
		row("same", "codechat", "moderate", "moderate"),
		row("disputed", "codechat", "simple", "moderate"),
		row("once", "nl2bash", "simple"),
	];

	it("calls a row disputed only when it has a second tier that differs", () => {
		assert.deepEqual(rows.map(complexityDisputed), [false, false, true, false]);
	});

	it("trains every row once at weight 1 by default and in mode `first`", () => {
		for (const consensus of [undefined, { mode: "first" as const, weight: 1 }]) {
			const e = complexityEntries(rows, consensus);
			assert.deepEqual(
				e.map(x => [x.i, x.tier, x.weight]),
				rows.map((r, i) => [i, r.complexity, 1]),
			);
		}
	});

	it("drops, weighs down or splits only the disputed row", () => {
		assert.deepEqual(
			complexityEntries(rows, { mode: "drop", weight: 0 }).map(x => x.i),
			[0, 1, 3],
		);
		const weighted = complexityEntries(rows, { mode: "weight", weight: 0.5 });
		assert.deepEqual(
			weighted.map(x => [x.i, x.tier, x.weight]),
			[
				[0, "complex", 1],
				[1, "moderate", 1],
				[2, "simple", 0.5],
				[3, "simple", 1],
			],
		);
		const split = complexityEntries(rows, { mode: "split", weight: 0.5 }).filter(x => x.i === 2);
		assert.deepEqual(
			split.map(x => [x.tier, x.weight]),
			[
				["simple", 0.5],
				["moderate", 0.5],
			],
		);
	});

	it("splits a source's objective weight over its rows in proportion to their own weights", () => {
		const w = sourceRowWeights(["a", "a", "b"], { a: 2, b: 1 }, [1, 0.5, 1]);
		assert.deepEqual(
			w.map(x => Math.round(x * 1e6) / 1e6),
			[0.444444, 0.222222, 0.333333],
		);
		assert.deepEqual(sourceRowWeights(["a", "b"], { a: 1, b: 1 }, [1, 1]), sourceRowWeights(["a", "b"], { a: 1, b: 1 }));
	});

	it("records a consensus other than `first` in the model's selection", () => {
		const many = [...Array(6)].flatMap((_, k) => rows.map(r => ({ ...r, id: `${r.id}-${k}`, request: `${r.request} ${k}` })));
		const settings = { ...COMPLEXITY_SETTINGS, training: { ...COMPLEXITY_SETTINGS.training, iterations: 20 } };
		assert.equal(trainComplexityModel(many, settings).selection?.consensus, undefined);
		assert.deepEqual(trainComplexityModel(many, { ...settings, consensus: { mode: "drop", weight: 0 } }).selection?.consensus, { mode: "drop", weight: 0 });
	});
});

describe("second complexity annotation (data/train/complexity-second-annotator.jsonl)", () => {
	it("labels every CodeChat row once, with a tier, and is attached to the loaded rows", () => {
		const second = loadSecondComplexity();
		const rows = loadAllLabeled();
		const codechat = rows.filter(r => r.source === "codechat");
		assert.equal(second.size, codechat.length);
		assert.ok(codechat.every(r => r.complexity2 !== undefined && r.complexity2 === second.get(r.id)));
		assert.ok(rows.filter(r => r.source !== "codechat").every(r => r.complexity2 === undefined));
		assert.ok([...second.values()].every(t => ["simple", "moderate", "complex"].includes(t)));
	});
});
