import { strict as assert } from "assert";
import { INTENTS } from "../../../../lib/nlp/features";
import { trainLogReg } from "../../../../lib/nlp/logreg";
import { DEV_REPEAT, intentTrainingSet, weightedRows, type LabeledRequest } from "../../../../services/intent/model";
import { loadAllLabeled, loadSecondAnnotation } from "../../../../scripts/dataset";
import { agreed } from "../../../../scripts/eval/intent";

const row = (id: string, source: string, intent: LabeledRequest["intent"], intent2?: LabeledRequest["intent"]): LabeledRequest => ({
	id,
	request: id,
	intent,
	complexity: "simple",
	source,
	...(intent2 ? { intent2 } : {}),
});

describe("intent training with two annotators' labels", () => {
	const rows = [
		row("d", "dev", "READ"),
		row("same", "codechat", "WRITE", "WRITE"),
		row("disputed", "codechat", "ANALYZE", "WRITE"),
		row("once", "nl2bash", "SEARCH"),
	];
	const all = rows.map((_, i) => i);

	it("keeps the first label at full weight in mode `first`, exactly as weightedRows repeats rows", () => {
		const set = intentTrainingSet(rows, all, { mode: "first", weight: 1 });
		assert.deepEqual(set.idx, weightedRows(rows, all));
		assert.deepEqual(
			set.intents,
			set.idx.map(i => rows[i].intent),
		);
		assert.equal(set.weights, undefined);
	});

	it("drops only the rows the annotators labeled differently", () => {
		const set = intentTrainingSet(rows, all, { mode: "drop", weight: 0 });
		assert.ok(!set.idx.includes(2));
		assert.equal(set.idx.length, DEV_REPEAT + 2);
	});

	it("weighs down only the disputed row, keeping the first label", () => {
		const set = intentTrainingSet(rows, all, { mode: "weight", weight: 0.5 });
		const at = set.idx.indexOf(2);
		assert.equal(set.intents[at], "ANALYZE");
		assert.deepEqual(
			set.weights,
			set.idx.map(i => (i === 2 ? 0.5 : 1)),
		);
	});

	it("trains on both labels of a disputed row in mode `split`", () => {
		const set = intentTrainingSet(rows, all, { mode: "split", weight: 0.5 });
		const entries = set.idx.map((i, j) => [i, set.intents[j], set.weights?.[j]]).filter(([i]) => i === 2);
		assert.deepEqual(entries, [
			[2, "ANALYZE", 0.5],
			[2, "WRITE", 0.5],
		]);
	});

	it("multiplies a source's rows by its sourceWeights entry, consensus weight included", () => {
		const more = [...rows, row("alpaca", "alpacaeval", "ANALYZE"), row("alpaca-disputed", "alpacaeval", "WRITE", "ANALYZE")];
		const set = intentTrainingSet(
			more,
			more.map((_, i) => i),
			{ mode: "weight", weight: 0.5 },
			{ alpacaeval: 0.25 },
		);
		assert.deepEqual(
			set.idx,
			weightedRows(
				more,
				more.map((_, i) => i),
			),
		);
		assert.deepEqual(
			set.weights,
			set.idx.map(i => [1, 1, 0.5, 1, 0.25, 0.125][i]),
		);
		assert.equal(intentTrainingSet(rows, all, { mode: "first", weight: 1 }, { alpacaeval: 0.25 }).weights, undefined);
	});

	it("counts as agreed only rows labeled twice alike", () => {
		assert.deepEqual(rows.map(agreed), [false, true, false, false]);
	});
});

describe("trainLogReg sample weights", () => {
	const f = (...names: string[]) => new Map<string, number>([["bias", 1], ...names.map(n => [n, 1] as [string, number])]);
	const xs = [f("a"), f("a", "b"), f("b"), f("c"), f("c", "a")];
	const ys = [0, 0, 1, 2, 2];
	const opts = { l2: 1e-3, iterations: 60, learningRate: 0.1, minDocFreq: 1 };
	const classes = ["x", "y", "z"];

	it("gives the same model with no weights and with every weight 1", () => {
		assert.deepEqual(trainLogReg(xs, ys, classes, opts, [1, 1, 1, 1, 1]), trainLogReg(xs, ys, classes, opts));
	});

	it("weight 2 on a row fits the same model as that row twice", () => {
		const weighted = trainLogReg(xs, ys, classes, opts, [1, 1, 1, 1, 2]);
		const doubled = trainLogReg([...xs, xs[4]], [...ys, ys[4]], classes, opts);
		for (const [name, w] of Object.entries(doubled.weights))
			w.forEach((v, k) => assert.ok(Math.abs(v - weighted.weights[name][k]) < 2e-3, `${name}[${k}]`));
	});
});

describe("the second annotation file", () => {
	it("labels 743 CodeChat and 400 NL2Bash rows of the training files, with valid intents", () => {
		const second = loadSecondAnnotation();
		assert.equal([...second.keys()].filter(id => id.startsWith("codechat-")).length, 743);
		assert.equal([...second.keys()].filter(id => id.startsWith("nl2bash-")).length, 400);
		for (const intent of second.values()) assert.ok(INTENTS.includes(intent));
		const labeled = loadAllLabeled().filter(r => r.intent2 !== undefined);
		assert.equal(labeled.length, second.size);
	});
});
