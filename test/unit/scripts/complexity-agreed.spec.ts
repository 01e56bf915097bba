import { strict as assert } from "assert";
import type { ComplexityRow } from "../../../services/complexity/model";
import { agreedFigures, complexRecall, hiddenMixScore } from "../../../scripts/eval/complexity";

const row = (source: string, complexity: ComplexityRow["complexity"], complexity2?: ComplexityRow["complexity"]): ComplexityRow => ({
	id: `${source}-${complexity}-${complexity2 ?? ""}`,
	request: "r",
	intent: "WRITE",
	complexity,
	source,
	...(complexity2 ? { complexity2 } : {}),
});

describe("complexity figures on the rows both annotators agree on (agreedFigures)", () => {
	const rows = [
		row("codechat", "simple", "simple"),
		row("codechat", "moderate", "simple"), // disputed: left out
		row("codechat", "complex", "complex"),
		row("nl2bash", "simple"),
		row("dev", "complex"),
	];
	const preds = ["simple", "simple", "moderate", "moderate", "complex"].map(tier => ({ tier, confidence: 0.9 }));

	it("leaves out only the disputed rows and scores the same predictions on the rest", () => {
		const a = agreedFigures(rows, preds);
		assert.equal(a.all.n, 4);
		assert.equal(a.bySource.codechat.n, 2);
		assert.equal(a.bySource.codechat.accuracy, 0.5);
		assert.equal(a.bySource.nl2bash.accuracy, 0);
		assert.equal(a.bySource.dev.accuracy, 1);
		assert.equal(a.complexRecall, 0.5);
		assert.equal(a.hiddenMix, Math.round(((2 * 0.5 + 0) / 3) * 1e4) / 1e4);
	});

	it("weights CodeChat 2 : NL2Bash 1 in the hidden-check mix and reads complex recall from the confusion", () => {
		const f = (accuracy: number) => ({ n: 1, accuracy, macroF1: 0, ece: 0, alwaysSimple: 0, confusion: [] });
		assert.ok(Math.abs(hiddenMixScore({ codechat: f(0.6), nl2bash: f(0.9), dev: f(0) }) - 0.7) < 1e-12);
		assert.equal(
			complexRecall([
				[1, 0, 0],
				[0, 1, 0],
				[1, 1, 2],
			]),
			0.5,
		);
	});
});
