import { strict as assert } from "assert";
import {
	trainComplexityModel,
	scoreWithModel,
	complexityFeatures,
	probabilitiesOf,
	bestThresholds,
	bestWeightedThresholds,
	sourceRowWeights,
	tierOf,
	COMPLEXITY_SETTINGS,
	type Tier,
} from "../../../../services/complexity/model";
import type { LabeledRequest } from "../../../../services/intent/model";
import { requestStyle } from "../../../../services/complexity/representation";

/** A small ordered set: one-step asks, single-component work, system-level work. */
function rows(): LabeledRequest[] {
	const tiers: Record<Tier, string[]> = {
		simple: [
			"show the README",
			"list the pods",
			"rename x to count",
			"cat config.yaml",
			"open main.rs",
			"print the env",
			"show the log tail",
			"delete tmp.txt",
		],
		moderate: [
			"write unit tests for the parser module, covering empty input and unicode",
			"add a CRUD endpoint for notes with validation and a test",
			"explain how the retry function works and when it gives up",
			"write a Dockerfile for the api with a multi-stage build and a non-root user",
			"review the auth middleware for bugs and suggest fixes",
			"generate a GitHub Actions workflow that lints and tests on every PR",
			"refactor the date helpers into one module and update the imports",
			"add pagination to the users query and document the parameters",
		],
		complex: [
			"design the migration of billing out of the monolith into separate services with zero downtime, across staging and prod, and a rollback plan",
			"investigate why latency doubled across all services after the upgrade; the cause is unknown and it is intermittent",
			"plan the architecture trade-offs of sharding our database versus splitting it per service, with consistency and scaling concerns",
			"migrate the whole codebase from callbacks to async/await across every package, keeping the public API",
			"find the root cause of the memory leak that grows across the cluster and design a fix for every service",
			"design an event-sourced order system across services: schemas, rollout, consistency, failure handling and security",
			"investigate the intermittent race in the distributed scheduler across nodes and propose a design that scales",
			"migrate authentication across all services to OIDC with zero downtime, a rollout strategy and security review",
		],
	};
	return (Object.entries(tiers) as [Tier, string[]][]).flatMap(([complexity, requests]) =>
		requests.map((request, i) => ({ id: `${complexity}-${i}`, request, intent: "WRITE", complexity }) as LabeledRequest),
	);
}

describe("complexity model (dense ordinal learner)", () => {
	const model = trainComplexityModel(rows(), { ...COMPLEXITY_SETTINGS, training: { ...COMPLEXITY_SETTINGS.training, iterations: 150 } });

	it("ships one dense binary model per tier boundary over the same features", () => {
		assert.equal(model.kind, "complexity-dense-ordinal");
		assert.equal(model.boundaries.length, 2);
		const dims = complexityFeatures("show the README").length;
		for (const b of model.boundaries) assert.equal(b.weights.length, dims);
	});

	it("orders held-out requests by tier in its probabilities and its score", () => {
		const simple = "show the Makefile";
		const moderate = "write unit tests for the cache module covering expiry and eviction";
		const complex = "design the migration of search out of the monolith across all services with zero downtime and a rollout plan";
		const expected = [simple, moderate, complex].map(r => {
			const p = probabilitiesOf(model.boundaries, complexityFeatures(r));
			assert.ok(p.every(x => x >= 0 && x <= 1) && Math.abs(p[0] + p[1] + p[2] - 1) < 1e-9, `${p}`);
			return p[1] + 2 * p[2];
		});
		assert.ok(expected[0] < expected[1] && expected[1] < expected[2], `${expected}`);
		const scores = [simple, moderate, complex].map(r => scoreWithModel(model, r).score);
		assert.ok(scores[0] < scores[1] && scores[1] < scores[2], `${scores}`);
	});

	it("reports the confidence of the tier it returns", () => {
		const r = scoreWithModel(model, "list the pods");
		const p = probabilitiesOf(model.boundaries, complexityFeatures("list the pods"));
		assert.equal(r.confidence, Math.round(p[["simple", "moderate", "complex"].indexOf(r.complexity)] * 1e4) / 1e4);
	});
});

describe("complexity tier boundaries (bestThresholds)", () => {
	// Skewed like the labeled data: the few complex rows share their score with more moderate
	// rows, so the most accurate boundaries never say complex.
	const truth: Tier[] = [];
	const scores: number[] = [];
	const add = (tier: Tier, score: number, n: number) => {
		for (let i = 0; i < n; i++) {
			truth.push(tier);
			scores.push(score);
		}
	};
	add("simple", 0.1, 50);
	add("moderate", 0.5, 10);
	add("moderate", 0.9, 10);
	add("complex", 0.9, 4);
	const complexHits = (t: { moderate: number; complex: number }) => scores.filter((s, i) => truth[i] === "complex" && tierOf(s, t) === "complex").length;

	it("by accuracy alone (the default) never predicts the rare tier here", () => {
		const byAccuracy = bestThresholds(scores, truth);
		assert.equal(byAccuracy.accuracy, 70 / 74);
		assert.equal(complexHits(byAccuracy.thresholds), 0);
		assert.deepEqual(bestThresholds(scores, truth, 1.01), byAccuracy, "an unreachable floor falls back to accuracy");
	});

	it("with an accuracy floor, takes the best macro-F1 that keeps accuracy at or above it", () => {
		const byAccuracy = bestThresholds(scores, truth);
		const chosen = bestThresholds(scores, truth, 0.85);
		assert.ok(chosen.accuracy >= 0.85, `${chosen.accuracy}`);
		assert.ok(chosen.macroF1 > byAccuracy.macroF1, `${chosen.macroF1} <= ${byAccuracy.macroF1}`);
		assert.equal(complexHits(chosen.thresholds), 4);
	});
});

describe("complexity boundaries under a source-weighted objective (bestWeightedThresholds)", () => {
	it("weighs each named source by its share, split over its rows, and ignores unnamed sources", () => {
		const w = sourceRowWeights(["a", "a", "b", "dev"], { a: 2, b: 1 });
		assert.deepEqual(
			w.map(x => Math.round(x * 1e6) / 1e6),
			[0.333333, 0.333333, 0.333333, 0],
		);
	});

	// Two styles whose scores sit on different scales: a chat moderate row scores 0.3 while a
	// one-line simple row also scores 0.3, so no shared pair gets both right; per-style pairs do.
	const truth: Tier[] = [];
	const scores: number[] = [];
	const groups: number[] = [];
	const add = (tier: Tier, score: number, group: number, n: number) => {
		for (let i = 0; i < n; i++) {
			truth.push(tier);
			scores.push(score);
			groups.push(group);
		}
	};
	add("simple", 0.1, 0, 10);
	add("moderate", 0.3, 0, 10);
	add("complex", 0.8, 0, 4);
	add("simple", 0.3, 1, 20);
	add("moderate", 0.6, 1, 3);
	const uniform = scores.map(() => 1 / scores.length);

	it("one shared pair cannot separate the styles; a pair per style can", () => {
		const shared = bestWeightedThresholds(scores, truth, uniform, 0);
		assert.equal(shared.thresholds.length, 1);
		assert.ok(shared.accuracy < 0.99, `${shared.accuracy}`);
		const perStyle = bestWeightedThresholds(scores, truth, uniform, 0, groups);
		assert.equal(perStyle.thresholds.length, 2);
		assert.ok(Math.abs(perStyle.accuracy - 1) < 1e-9, `${perStyle.accuracy}`);
		scores.forEach((s, i) => assert.equal(tierOf(s, perStyle.thresholds[groups[i]]), truth[i]));
	});

	it("a complex-recall floor moves the boundaries until the complex rows are caught", () => {
		// Complex rows share 0.8 with nothing else here, but add moderate rows there so accuracy alone
		// would rather call 0.8 moderate.
		const t: Tier[] = [...truth, ...Array<Tier>(6).fill("moderate")];
		const sc = [...scores, ...Array<number>(6).fill(0.8)];
		const g = [...groups, ...Array<number>(6).fill(0)];
		const w = sc.map(() => 1 / sc.length);
		const free = bestWeightedThresholds(sc, t, w, 0, g);
		const floored = bestWeightedThresholds(sc, t, w, 0, g, 1);
		assert.ok(free.complexRecall < 1, `${free.complexRecall}`);
		assert.equal(floored.complexRecall, 1);
		assert.ok(floored.accuracy < free.accuracy);
	});

	it("a macro-F1 floor it cannot meet falls back to the best macro-F1", () => {
		const r = bestWeightedThresholds(scores, truth, uniform, 1.01);
		assert.ok(r.macroF1 > 0.5, `${r.macroF1}`);
	});
});

describe("request style (requestStyle)", () => {
	it("calls a short single line without code a one-line task, anything else chat", () => {
		assert.equal(requestStyle("find all .log files older than 7 days and delete them"), "one-line");
		assert.equal(requestStyle("why does this fail?\nconst x = f();"), "chat");
		assert.equal(requestStyle("import numpy as np"), "chat");
		assert.equal(requestStyle(Array(40).fill("word").join(" ")), "chat");
	});
});
