import { strict as assert } from "node:assert";
import { fewerLetterWords } from "../../../../lib/nlp/text";
import { pieceStrings } from "../../../helpers";

describe("lib/nlp/text", () => {
	describe("fewerLetterWords", () => {
		const byMatch = (line: string, n: number) => (line.match(/[A-Za-z]{2,}/g) ?? []).length < n;

		it("answers as counting every run of two or more ASCII letters would", () => {
			assert.equal(fewerLetterWords("x = 1;", 2), true);
			assert.equal(fewerLetterWords("fix this", 2), false);
			assert.equal(fewerLetterWords("fix this", 3), true);
			assert.equal(fewerLetterWords("", 1), true);
			assert.equal(fewerLetterWords("ab", 0), false);
			const pieces = ["a", "bc", "Déf", " ", "1", "_", "é", "XY", "\n", "z9z", "--"];
			for (const line of pieceStrings(pieces, 3000, 7, 11))
				for (const n of [1, 2, 3]) assert.equal(fewerLetterWords(line, n), byMatch(line, n), `${JSON.stringify(line)} ${n}`);
		});
	});
});
