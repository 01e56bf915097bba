import { strict as assert } from "assert";
import { trainDenseLogReg } from "../../../../lib/nlp/dense-logreg";
import { scoreComplexity } from "../../../../services/complexity/scorer";
import { difficultyPrior } from "../../../../lib/nlp/difficulty";
import { strongNeed, strongNeedFeatures, strongNeedInputs, strongNeedLogitOf, type StrongNeedModel } from "../../../../services/complexity/strong-need";
import { lastQuestion } from "../../../../scripts/routing-train";
import { modelPairs, othersFail, targets } from "../../../../scripts/strong-need-cv";

describe("strong_need", () => {
	it("learns from outcomes: prompts like the ones the strong model alone solved rank above the others", () => {
		const hard = [
			"prove that the sum of two odd integers is even",
			"solve the equation 3x + 7 = 22 and explain each step",
			"how many ways can 5 people sit around a round table",
			"compute the probability of two sixes in three dice rolls",
		];
		const easy = ["what is the capital of France", "name a fruit that is yellow", "say hello to my friend", "which animal says moo"];
		const xs = [...hard, ...easy].map(p => strongNeedFeatures(p, "task"));
		const model: StrongNeedModel = {
			kind: "strong-need-logreg",
			features: "task",
			logreg: trainDenseLogReg(xs, [1, 1, 1, 1, 0, 0, 0, 0], { l2: 0.01, iterations: 200, learningRate: 0.05 }),
			priorWeight: 0,
			trainedOn: "test",
		};
		const held = [strongNeed(model, "solve for x: 2x - 5 = 11, and prove your answer"), strongNeed(model, "what colour is the sky")];
		assert.ok(held[0] > held[1], `${held}`);
		assert.ok(held.every(x => x >= 0 && x <= 1));
	});

	it("is exposed by the shipped scorer in [0, 1] for any input", () => {
		for (const request of ["", "x", "why? ".repeat(2000), "\u0000\u{1F600}"]) {
			const { strong_need } = scoreComplexity(request);
			assert.ok(strong_need >= 0 && strong_need <= 1, `${strong_need}`);
		}
	});

	it("trains on the question a user would send: RouterBench few-shot blocks and format lines are dropped", () => {
		const prompt = [
			'Q1?\nA) a\nB) b\nPrint only a single choice  from "A" or "B" without explanation.\nAnswer:\nA',
			"Please answer with the letter of the correct answer.",
			'Which is heavier?\nA) lead\nB) air\nPrint only a single choice  from "A" or "B" without explanation. Answer:',
		].join("\n\n");
		assert.equal(lastQuestion(prompt), "Which is heavier?\nA) lead\nB) air");
	});

	it("labels RouterBench by strong-right-weak-wrong and moves AlpacaEval preferences onto that scale", () => {
		const ex = [
			{ group: "arc", prompt: "a", strong: 1, weak: 0 },
			{ group: "arc", prompt: "b", strong: 1, weak: 1 },
			{ group: "arc", prompt: "c", strong: 0, weak: 1 },
			{ group: "arc", prompt: "d", strong: 0, weak: 0 },
			{ group: "alpacaeval", prompt: "e", strong: 1, weak: 0 },
			{ group: "alpacaeval", prompt: "f", strong: 0.5, weak: 0.5 },
		];
		const y = targets(ex);
		assert.deepEqual(y.slice(0, 4), [1, 0, 0, 0]);
		// AlpacaEval mean 0.75 shifted to RouterBench's gap rate 0.25.
		assert.deepEqual(y.slice(4), [0.5, 0]);
	});

	it("can target how many of RouterBench's other models fail a prompt, and shifts AlpacaEval onto that mean", () => {
		const correct = (others: number[]) => ({
			"gpt-4-1106-preview": 1,
			"mistralai/mixtral-8x7b-chat": 0,
			...Object.fromEntries(others.map((v, k) => [`m${k}`, v])),
		});
		assert.equal(othersFail(correct([1, 1, 0, 0])), 0.5, "the routed pair itself is left out");
		const ex = [
			{ group: "arc", prompt: "a", strong: 1, weak: 0, correct: correct([0, 0, 0, 0]) },
			{ group: "arc", prompt: "b", strong: 1, weak: 1, correct: correct([1, 1, 1, 1]) },
			{ group: "alpacaeval", prompt: "c", strong: 1, weak: 0 },
			{ group: "alpacaeval", prompt: "d", strong: 0, weak: 1 },
		];
		// RouterBench targets 1 and 0 (mean 0.5); AlpacaEval mean 0.5 already, so unchanged.
		assert.deepEqual(targets(ex, "others-fail"), [1, 0, 1, 0]);
	});

	it("compares a ranking over every pair of models whose accuracy differs enough, stronger first", () => {
		const ex = [
			{ group: "arc", prompt: "a", strong: 1, weak: 0, correct: { big: 1, mid: 1, small: 0, twin: 1 } },
			{ group: "arc", prompt: "b", strong: 1, weak: 1, correct: { big: 1, mid: 0, small: 0, twin: 1 } },
		];
		// Accuracies: big 1, twin 1, mid 0.5, small 0; big and twin tie, so neither pair is kept.
		assert.deepEqual(
			modelPairs(ex, 0.05).map(p => p.join(">")),
			["big>mid", "big>small", "mid>small", "twin>mid", "twin>small"],
		);
	});

	it("blends the learned log-odds with the prior and the question's length; a file without a feature set reads the version-8 shape features", () => {
		const zeros = (n: number) => ({
			mean: new Array<number>(n).fill(0),
			scale: new Array<number>(n).fill(1),
			weights: new Array<number>(n).fill(0),
			bias: 0.25,
		});
		const prompt = "Tom has 3 apples and buys 4 more. How many now?\nA) 5\nB) 7";
		const inputs = strongNeedInputs(prompt);
		const shapeDims = strongNeedFeatures(prompt, "shape").length;
		const taskDims = strongNeedFeatures(prompt, "task").length;
		assert.ok(taskDims > shapeDims);
		const version8: StrongNeedModel = { kind: "strong-need-logreg", logreg: zeros(shapeDims), priorWeight: 4, trainedOn: "test" };
		assert.ok(Math.abs(strongNeedLogitOf(version8, inputs) - (0.25 + 4 * difficultyPrior(prompt))) < 1e-12);
		const version2: StrongNeedModel = {
			kind: "strong-need-logreg",
			features: "task",
			logreg: zeros(taskDims),
			priorWeight: 1,
			lengthWeight: 0.5,
			trainedOn: "test",
		};
		// The question without its options has 11 words.
		assert.ok(Math.abs(strongNeedLogitOf(version2, inputs) - (0.25 + difficultyPrior(prompt) + 0.5 * Math.log1p(11))) < 1e-12);
	});
});
