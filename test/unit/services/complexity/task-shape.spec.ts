import { strict as assert } from "assert";
import { questionLength, splitQuestion, taskShape, TASK_SHAPE_NAMES } from "../../../../services/complexity/task-shape";

describe("task shape", () => {
	it("splits a multiple-choice prompt into its question and options, in either lettering, without the Answer line", () => {
		assert.deepEqual(splitQuestion("Which is heavier?\nA) lead\nB) air"), { question: "Which is heavier?", options: ["lead", "air"] });
		assert.deepEqual(splitQuestion("What is 2 + 2?\nA. 3\nB. 4\nC. 5\nD. 22\nAnswer:"), { question: "What is 2 + 2?", options: ["3", "4", "5", "22"] });
		assert.deepEqual(splitQuestion("Pick one\n(a) red\n(b) blue"), { question: "Pick one", options: ["red", "blue"] });
	});

	it("takes no options from prose: a single lettered line, or a run that does not start at A", () => {
		assert.deepEqual(splitQuestion("Ask B. Smith about the report.\nThanks"), { question: "Ask B. Smith about the report.\nThanks", options: [] });
		assert.deepEqual(splitQuestion("A) only one option here"), { question: "A) only one option here", options: [] });
		assert.deepEqual(splitQuestion("Fix this\nb) second\nc) third"), { question: "Fix this\nb) second\nc) third", options: [] });
	});

	it("measures the question without its options: longer options do not make the question longer", () => {
		const short = taskShape("Which gas do plants absorb?\nA) oxygen\nB) carbon dioxide");
		const longOptions = taskShape("Which gas do plants absorb?\nA) oxygen, the gas animals breathe in\nB) carbon dioxide, the gas animals breathe out");
		assert.equal(short.questionWords, 5);
		assert.equal(longOptions.questionWords, 5);
		assert.ok(longOptions.values[2] > short.values[2], "mean option length grows");
		assert.equal(short.values[1], 2 / 8);
	});

	it("counts the quantities and sentences of a word problem and flags a fill-in-the-blank", () => {
		const problem = "Tom has 3 apples. He buys 12 more and gives 2.5 kg away. How many are left?";
		const plain = "Tom has some apples. How many are left?";
		const [, , , quantities, sentences] = taskShape(problem).values;
		assert.ok(quantities > taskShape(plain).values[3]);
		assert.ok(sentences > taskShape(plain).values[4]);
		assert.equal(taskShape("Sarah was a better surgeon than Maria so _ got the harder cases.").values[5], 1);
		assert.equal(taskShape(plain).values[5], 0);
	});

	it("returns one bounded value per name for any input, and a question length of log(1 + words)", () => {
		for (const text of ["", "x", "A) a\nB) b", "1 ".repeat(30000), "\u0000\u{1F600}"]) {
			const shape = taskShape(text);
			assert.equal(shape.values.length, TASK_SHAPE_NAMES.length);
			assert.ok(
				shape.values.every(v => v >= 0 && v <= 1),
				`${shape.values}`,
			);
		}
		assert.equal(questionLength(taskShape("three words here")), Math.log1p(3));
	});
});
