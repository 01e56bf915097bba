import { strict as assert } from "node:assert";
import { charClassCounts, countMatches, fewerLetterWords } from "../../../../lib/nlp/text";
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

	describe("countMatches", () => {
		const pieces = ["a", "bc", "Déf", " ", "1", "22", ".", "?", "and ", "\n", "- ", "z9z", "--", ";", ": ", "\u00a0", "\u2003", "x\u{1F600}"];
		const texts = ["", ...pieceStrings(pieces, 2000, 9, 13)];

		it("counts what String.match finds, for global regexes of every shape the models count with", () => {
			const regexes = [/\S+/g, /[.!?](\s|$)/g, /\b(and|then|plus|also)\b/g, /\d+(?:\.\d+)?/g, /(^|\n)\s*(\d+[.)]|[-*•])\s/g, /;\s*$/gm, /[a-z]/gi];
			for (const re of regexes)
				for (const text of texts) assert.equal(countMatches(text, re), (text.match(re) ?? []).length, `${re} ${JSON.stringify(text)}`);
		});

		it("starts from the text's start whatever a previous use left in lastIndex", () => {
			const re = /\d+/g;
			re.lastIndex = 3;
			assert.equal(countMatches("1 22 333", re), 3);
			assert.equal(re.lastIndex, 0);
		});
	});

	describe("charClassCounts", () => {
		it("counts what /[a-z]/gi, /[A-Z]/g, /\\d/g and /\\?/g match, on every UTF-16 code unit and on mixed text", () => {
			const all = Array.from({ length: 65536 }, (_, c) => String.fromCharCode(c)).join("");
			const texts = [all, "", ...pieceStrings(["a", "Z", "é", "É", "?", "¿", "1", "١", "K", "ſ", " ", "\u{1D400}"], 500, 12, 5)];
			for (const text of texts) {
				const n = (re: RegExp) => (text.match(re) ?? []).length;
				assert.deepEqual(charClassCounts(text), { letters: n(/[a-z]/gi), upper: n(/[A-Z]/g), digits: n(/\d/g), questions: n(/\?/g) });
			}
		});
	});
});
