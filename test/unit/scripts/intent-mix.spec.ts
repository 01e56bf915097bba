import { strict as assert } from "node:assert";
import { INTENTS } from "../../../lib/nlp/features";
import { intentMix, loadIntentMix, mixWeightedAccuracy, mixWeightedRatio } from "../../../scripts/eval/intent-mix";

const SOURCE = { repo: "owner/study", commit: "0123456789abcdef", license: "MIT" };

describe("realistic intent mix (scripts/eval/intent-mix.ts)", () => {
	it("splits a category by its sub-categories' shares, drops what maps to nothing and renormalises", () => {
		const mix = intentMix({
			source: SOURCE,
			categories: [
				{ category: "A", share: 0.5, subcategories: [{ sub: "A.1", share: 0.5, intent: "WRITE" }] },
				{
					category: "B",
					share: 0.3,
					subcategories: [
						{ sub: "B.1", share: 0.1, intent: "WRITE" },
						{ sub: "B.2", share: 0.2, intent: "MANAGE" },
					],
				},
				{ category: "C", share: 0.2, subcategories: [{ sub: "C.1", share: 0.2, intent: null }] },
				{ category: "D", share: 0, subcategories: [] },
			],
		});
		assert.ok(Math.abs(mix.dropped - 0.2) < 1e-12);
		assert.ok(Math.abs(mix.shares.WRITE - 0.6 / 0.8) < 1e-12);
		assert.ok(Math.abs(mix.shares.MANAGE - 0.2 / 0.8) < 1e-12);
		assert.equal(mix.shares.READ, 0);
		assert.equal(mix.source, "owner/study@0123456 (MIT)");
	});

	it("refuses a sub-category mapped to something that is not one of the five intents", () => {
		assert.throws(
			() => intentMix({ source: SOURCE, categories: [{ category: "A", share: 1, subcategories: [{ sub: "A.1", share: 1, intent: "CHAT" }] }] }),
			/A\.1 maps to CHAT/,
		);
	});

	it("the committed mix (data/intent-mix/mix.json) covers the five intents and sums to 1", () => {
		const mix = loadIntentMix();
		assert.deepEqual(Object.keys(mix.shares), [...INTENTS]);
		assert.ok(Math.abs(Object.values(mix.shares).reduce((a, b) => a + b, 0) - 1) < 1e-9);
		assert.ok(mix.dropped > 0 && mix.dropped < 1);
	});

	it("mix-weighted accuracy is the sum of share x recall over the true intents", () => {
		const classes = ["X", "Y", "Z"];
		// recall X 8/10, Y 1/2, Z 0/5
		const confusion = [
			[8, 2, 0],
			[1, 1, 0],
			[0, 5, 0],
		];
		assert.equal(mixWeightedAccuracy(confusion, classes, { X: 0.5, Y: 0.5, Z: 0 }), 0.4 + 0.25);
		assert.equal(mixWeightedAccuracy(confusion, classes, { X: 0.25, Y: 0.25, Z: 0.5 }), 0.2 + 0.125);
		assert.equal(
			mixWeightedAccuracy(
				[
					[1, 0, 0],
					[0, 1, 0],
					[0, 0, 0],
				],
				classes,
				{ X: 0.5, Z: 0.5 },
			),
			null,
			"an intent with a share and no rows",
		);
	});

	it("mix-weighted ratio counts each intent's per-request totals at its share", () => {
		const byIntent = { X: { n: 10, saved: 10, base: 100 }, Y: { n: 20, saved: 160, base: 200 } };
		const r = (shares: Record<string, number>) =>
			mixWeightedRatio(
				byIntent,
				shares,
				t => t.saved,
				t => t.base,
			);
		// per request: X saves 1 of 10, Y saves 8 of 10
		assert.equal(r({ X: 0.5, Y: 0.5 }), 0.45);
		assert.equal(r({ X: 1, Y: 0 }), 0.1);
		assert.equal(r({ X: 0.5, Z: 0.5 }), null, "an intent with a share and no requests");
	});
});
