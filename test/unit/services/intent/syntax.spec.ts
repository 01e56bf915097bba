import { strict as assert } from "assert";
import { denseFeatures } from "../../../../services/intent/features";
import { INTENT_DENSE } from "../../../../services/intent/model";
import { askSyntax } from "../../../../services/intent/syntax";

describe("the ask's grammar (wink-nlp; not used by the shipped intent model)", () => {
	it("peels the how-to wrapper off the main verb and finds its object", () => {
		assert.deepEqual(askSyntax("How to delete a column in a pandas dataframe by name"), {
			mood: "question",
			modal: "how",
			verb: "delete",
			object: "noun",
			objectLemma: "column",
		});
	});

	it("reads a sentence-initial command as an imperative verb, which the lite tagger alone calls a noun", () => {
		const s = askSyntax("List all files in the current directory");
		assert.equal(s.mood, "imperative");
		assert.equal(s.verb, "list");
	});

	it("takes the verb a need / want wrapper introduces, and tells a statement from a command", () => {
		const s = askSyntax("I need to find all zip files and unzip them");
		assert.equal(s.mood, "statement");
		assert.equal(s.modal, "need");
		assert.equal(s.verb, "find");
	});

	it("marks a what-is question with no other verb, and a bare noun phrase as verbless", () => {
		const q = askSyntax("what is a closure in javascript?");
		assert.equal(q.mood, "question");
		assert.equal(q.copula, true);
		assert.equal(q.verb, undefined);
		assert.equal(askSyntax("python code for bubble sort").mood, "noverb");
	});

	it("adds grammar features only when the options ask for them", () => {
		const request = "How to delete a column in a pandas dataframe by name";
		const without = new Map<string, number>();
		denseFeatures(without, request, INTENT_DENSE, null);
		assert.ok(![...without.keys()].some(k => k.startsWith("syn:")));
		const withSyntax = new Map<string, number>();
		denseFeatures(withSyntax, request, { ...INTENT_DENSE, syntax: { weight: 0.25, lemmas: true, vectors: 0 } }, null);
		assert.equal(withSyntax.get("syn:mood:question"), 0.25);
		assert.equal(withSyntax.get("syn:modal:how"), 0.25);
		assert.equal(withSyntax.get("syn:verb:delete"), 0.25);
	});
});
