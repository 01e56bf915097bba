import { strict as assert } from "assert";
import { ASK_SHAPE_NAMES, askShape, askVector, splitAsk } from "../../../../services/complexity/ask";
import { COMPLEXITY_SETTINGS, complexityFeatures, scoreWithModel, trainComplexityModel, type Tier } from "../../../../services/complexity/model";
import type { LabeledRequest } from "../../../../services/intent/model";

const value = (text: string, name: (typeof ASK_SHAPE_NAMES)[number]) => askShape(splitAsk(text))[ASK_SHAPE_NAMES.indexOf(name)];

describe("complexity: the ask apart from the paste (ask.ts)", () => {
	const paste = ["def area(r):", "    return 3.14 * r * r", "", "print(area(2))", "x = area(3);"].join("\n");

	it("takes the prose after a pasted block as the ask", () => {
		const s = splitAsk(`${paste}\nwhy does this print the wrong value?`);
		assert.equal(s.ask, "why does this print the wrong value?");
		assert.equal(s.askAfterPaste, true);
		assert.equal(s.pasteLines, 4);
		assert.equal(s.proseLines, 1);
	});

	it("keeps all the prose as the ask when nothing follows the paste", () => {
		const s = splitAsk(`please fix the function below\n${paste}`);
		assert.equal(s.ask, "please fix the function below");
		assert.equal(s.askAfterPaste, false);
	});

	it("reads the prose length apart from the paste's", () => {
		// (a line of fewer than three words reads as pasted: "fix this" alone is not prose here)
		const short = "please fix this function";
		assert.equal(value(`${short}\n${paste}\n${paste}`, "ask_log_words"), value(short, "ask_log_words"));
		assert.ok(value(`${short}\n${paste}`, "ask_log_paste_lines") > 0);
		assert.equal(value(short, "ask_log_paste_lines"), 0);
	});

	it("tells a how-to, another question and a request to build apart", () => {
		assert.equal(value("how to delete a column in pandas", "ask_howto"), 1);
		assert.equal(value("how to delete a column in pandas", "ask_wh"), 0);
		assert.equal(value("what is a page in a DBMS", "ask_wh"), 1);
		assert.equal(value("write me tetris in python", "ask_build"), 1);
		assert.equal(value("what is a page in a DBMS", "ask_build"), 0);
	});

	it("counts more deliverables in a multi-part ask than in a one-step one", () => {
		const one = value("write a function that reverses a string", "ask_log_deliverables");
		const many = value("write a login page, then add a signup form and also create the API:\n- store users\n- send a welcome mail", "ask_log_deliverables");
		assert.ok(many > one, `${many} > ${one}`);
	});

	it("gives every value in [0, 1] and a vector of the embedding's size", () => {
		for (const t of ["", "hi", `${paste}\nwhat does it do?`, "a ".repeat(5000)]) {
			const v = askShape(splitAsk(t));
			assert.equal(v.length, ASK_SHAPE_NAMES.length);
			assert.ok(
				v.every(x => x >= 0 && x <= 1),
				`${t.slice(0, 20)}: ${v}`,
			);
		}
		const base = complexityFeatures("write me tetris in python");
		assert.equal(complexityFeatures("write me tetris in python", undefined, false, "shape").length, base.length + ASK_SHAPE_NAMES.length);
		const vec = askVector(splitAsk("write me tetris in python"));
		assert.equal(complexityFeatures("x", undefined, false, "vector").length, base.length + ASK_SHAPE_NAMES.length + vec.length);
	});

	it("a model trained with ask features records them and scores with them", () => {
		const rows = (["simple", "moderate"] as Tier[]).flatMap((complexity, k) =>
			Array.from(
				{ length: 6 },
				(_, i) =>
					({
						id: `${complexity}-${i}`,
						request: k ? `write a program that parses file ${i} and also add tests, then plot it` : `what is flag ${i}?`,
						intent: "WRITE",
						complexity,
					}) as LabeledRequest,
			),
		);
		const model = trainComplexityModel(rows, {
			...COMPLEXITY_SETTINGS,
			askFeatures: "shape",
			training: { ...COMPLEXITY_SETTINGS.training, iterations: 50 },
		});
		assert.equal(model.askFeatures, "shape");
		assert.equal(model.boundaries[0].weights.length, complexityFeatures("x", undefined, false, "shape").length);
		assert.ok(["simple", "moderate", "complex"].includes(scoreWithModel(model, "what is flag 9?").complexity));
	});
});
