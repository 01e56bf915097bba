import { strict as assert } from "assert";
import { askStart, cueHits, nearestCue, outcomeIntent, prepareText } from "../../../../lib/nlp/cues";

describe("intent cues", () => {
	describe("nearestCue", () => {
		it("repairs swapped, dropped and extra letters", () => {
			assert.equal(nearestCue("restrat"), "restart");
			assert.equal(nearestCue("shwo"), "show");
			assert.equal(nearestCue("restar"), "restart");
			assert.equal(nearestCue("deployy"), "deploy");
		});

		it("leaves real words that are one substitution from a short cue alone", () => {
			for (const word of ["main", "state", "remote", "great", "parse", "point", "slow", "fine", "readme"]) {
				assert.equal(nearestCue(word), undefined, word);
			}
		});

		it("leaves a cue's own inflections alone", () => {
			for (const word of ["deploys", "merged", "scripts", "changes"]) assert.equal(nearestCue(word), undefined, word);
		});

		it("keeps the first version's any-single-edit repair in lexical mode (the complexity model's features)", () => {
			assert.equal(nearestCue("main", "lexical"), "mean");
			assert.equal(nearestCue("state", "lexical"), "start");
		});
	});

	describe("cueHits", () => {
		it("matches whole cue words and their inflections in clausal mode", () => {
			assert.ok(cueHits("deploying the api now", "clausal").has("MANAGE"));
			assert.ok(cueHits("the job got tagged yesterday", "clausal").has("MANAGE"));
			assert.ok(cueHits("merging the branch", "clausal").has("MANAGE"));
		});

		it("does not fire inside longer words, paths or hyphenated names in clausal mode", () => {
			assert.equal(cueHits("the search-api deployment has min 3 pods", "clausal").get("SEARCH"), undefined);
			assert.equal(cueHits("the search-api deployment has min 3 pods", "clausal").get("MANAGE"), undefined);
			assert.equal(cueHits("bodies of the slow /api/v2/search calls", "clausal").get("SEARCH"), undefined);
			// the first version matched all three
			assert.ok(cueHits("the search-api deployment", "lexical").has("SEARCH"));
			assert.ok(cueHits("the search-api deployment", "lexical").has("MANAGE"));
		});

		it("keeps stems and the nominalisations that name an analysis", () => {
			assert.ok(cueHits("an analysis of the query plan", "clausal").has("ANALYZE"));
			assert.ok(cueHits("security assessment of our auth flow", "clausal").has("ANALYZE"));
		});
	});

	describe("prepareText", () => {
		it("rewrites idioms whose verb is not the cue it looks like", () => {
			assert.equal(prepareText(".ds_store keeps showing up in git status", "clausal"), ".ds_store keeps appear in git status");
			assert.equal(prepareText("find out why the build is slow", "clausal"), "figure out why the build is slow");
			assert.equal(prepareText("rename the variable usr to user", "clausal"), "refactor the identifier usr to user");
		});

		it("does not rewrite idioms in lexical mode", () => {
			assert.equal(prepareText("find out why the build fails", "lexical"), "find out why the build fails");
		});

		it("mends a word the same way on every call, in each mode apart (the per-word memo)", () => {
			// A substituted letter in a six-letter word is a slip in lexical mode only: the two modes' answers differ.
			for (let i = 0; i < 3; i++) {
				assert.equal(prepareText("delite the logs", "clausal"), "delite the logs");
				assert.equal(prepareText("delite the logs", "lexical"), "delete the logs");
				assert.equal(prepareText("restrat the pods, then deployy it", "clausal"), "restart the pods, then deploy it");
			}
			// The memo answers as nearestCue does, word by word, on first and later calls.
			for (const word of ["restrat", "shwo", "deployy", "delite", "difference", "between", "sentences"])
				for (const mode of ["clausal", "lexical"] as const) {
					const mended = nearestCue(word, mode) ?? word;
					assert.equal(prepareText(word, mode), mended);
					assert.equal(prepareText(word, mode), mended);
				}
		});
	});

	describe("askStart", () => {
		it("finds the sentence that states the ask after background", () => {
			const text = "we have a scheduler module. the tests pass locally. could you look at the test and tell me why it is flaky?";
			assert.equal(text.slice(askStart(text)).slice(0, 9), "could you");
		});

		it("finds an imperative sentence", () => {
			const text = "our app sends the email synchronously and it's slow. move it into a celery task";
			assert.equal(text.slice(askStart(text)).slice(0, 4), "move");
		});

		it("is 0 for a one-sentence request", () => {
			assert.equal(askStart("deploy the api to staging"), 0);
		});
	});

	describe("outcomeIntent", () => {
		it("follows the label guide's examples of two-part requests", () => {
			assert.equal(outcomeIntent("find the bug in auth.ts and fix it"), "WRITE");
			assert.equal(outcomeIntent("find where the config is loaded"), "SEARCH");
			assert.equal(outcomeIntent(prepareText("find out why the build is slow", "clausal")), "ANALYZE");
		});

		it("skips negated actions", () => {
			assert.equal(outcomeIntent("please don't change anything, just explain the retry logic"), "ANALYZE");
		});

		it("ignores background before the ask", () => {
			const text = "we deployed the new version yesterday and rolled back twice. could you explain why the health check fails?";
			assert.equal(outcomeIntent(text), "ANALYZE");
		});

		it("does not chain list items separated by commas", () => {
			assert.equal(outcomeIntent("rotate it, update the secret in the namespace"), "MANAGE");
		});

		it("answers the same when told which intents cueHits found (it then scans only their action regexes)", () => {
			const texts = [
				"find the bug in auth.ts and fix it",
				"we deployed the new version yesterday and rolled back twice. could you explain why the health check fails?",
				"please don't change anything, just explain the retry logic",
				"rotate it, update the secret in the namespace",
				"the logs say nothing. then restart the api and tell me what changed",
				"hello there",
				"",
			];
			for (const text of texts) assert.equal(outcomeIntent(text, cueHits(text, "clausal")), outcomeIntent(text), text);
		});
	});
});
