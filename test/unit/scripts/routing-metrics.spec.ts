import { strict as assert } from "assert";
import { callPerformanceThreshold, quantile, routingMetrics, type RoutedItem } from "../../../scripts/eval/routing";
import { spearman, stratifiedFolds } from "../../../lib/nlp/evaluation";

/** 100 prompts; only the first 20 gain from the strong model. */
function items(score: (i: number) => number): RoutedItem[] {
	return Array.from({ length: 100 }, (_, i) => ({ score: score(i), strong: 1, weak: i < 20 ? 0 : 1 }));
}

describe("RouteLLM routing metrics", () => {
	it("gives APGR 0.5 to a router that cannot tell prompts apart", () => {
		const m = routingMetrics(items(() => 0.3));
		assert.ok(Math.abs(m.apgr - 0.5) < 1e-9, String(m.apgr));
	});

	it("rewards a router that ranks the prompts needing the strong model first", () => {
		const oracle = routingMetrics(items(i => 100 - i));
		assert.ok(oracle.apgr > 0.85, String(oracle.apgr));
		assert.ok(Math.abs(oracle.cpt50 - 0.1) < 1e-9 && Math.abs(oracle.cpt80 - 0.16) < 1e-9, `${oracle.cpt50} ${oracle.cpt80}`);
		const reversed = routingMetrics(items(i => i));
		assert.ok(reversed.apgr < 0.2, String(reversed.apgr));
	});

	it("uses pandas' linear-interpolation quantiles", () => {
		assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
		assert.equal(quantile([0, 10], 0.25), 2.5);
	});

	it("interpolates CPT between the two curve points around the target", () => {
		const curve = [
			{ strongShare: 0, quality: 0, pgr: 0 },
			{ strongShare: 0.5, quality: 0, pgr: 0.4 },
			{ strongShare: 1, quality: 0, pgr: 1 },
		];
		assert.ok(Math.abs(callPerformanceThreshold(curve, 0.5) - (0.5 + 0.5 / 6)) < 1e-9);
	});
});

describe("evaluation helpers", () => {
	it("computes Spearman with tied ranks", () => {
		assert.ok(Math.abs(spearman([1, 2, 3, 4], [10, 20, 30, 40]) - 1) < 1e-12);
		assert.ok(Math.abs(spearman([1, 2, 3, 4], [4, 3, 2, 1]) + 1) < 1e-12);
		assert.ok(spearman([1, 1, 2, 2], [1, 2, 3, 4]) > 0.8);
	});

	it("spreads every label evenly over the folds, reproducibly", () => {
		const labels = Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? "a" : "b"));
		const folds = stratifiedFolds(labels, 5, 1);
		assert.deepEqual(folds, stratifiedFolds(labels, 5, 1));
		for (let f = 0; f < 5; f++) assert.equal(labels.filter((l, i) => l === "a" && folds[i] === f).length, 2);
	});
});
