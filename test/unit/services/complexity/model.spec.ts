import { strict as assert } from "assert";
import { learnedScore, trainComplexityModel, scoreWithModel, COMPLEXITY_SETTINGS, type Tier } from "../../../../services/complexity/model";
import type { LabeledRequest } from "../../../../services/intent/model";

/** A small ordered set: one-step asks, single-component work, system-level work. */
function rows(): LabeledRequest[] {
	const tiers: Record<Tier, string[]> = {
		simple: ["show the README", "list the pods", "rename x to count", "cat config.yaml", "open main.rs", "print the env", "show the log tail", "delete tmp.txt"],
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

describe("complexity model (ordinal learner)", () => {
	const model = trainComplexityModel(rows(), { ...COMPLEXITY_SETTINGS, training: { ...COMPLEXITY_SETTINGS.training, iterations: 100 } });

	it("ships one binary model per tier boundary", () => {
		assert.equal(model.kind, "complexity-ordinal-blend");
		assert.ok(Array.isArray(model.logreg));
		assert.deepEqual(
			(model.logreg as { classes: string[] }[]).map((m) => m.classes),
			[["below:moderate", "atleast:moderate"], ["below:complex", "atleast:complex"]],
		);
	});

	it("orders held-out requests by tier in its learned score and in the blended score", () => {
		const simple = "show the Makefile";
		const moderate = "write unit tests for the cache module covering expiry and eviction";
		const complex = "design the migration of search out of the monolith across all services with zero downtime and a rollout plan";
		const learned = [simple, moderate, complex].map((r) => learnedScore(model.logreg, r, undefined, model.features));
		assert.ok(learned[0] < learned[1] && learned[1] < learned[2], `${learned}`);
		assert.ok(learned.every((x) => x >= 0 && x <= 1));
		const scores = [simple, moderate, complex].map((r) => scoreWithModel(model, r).score);
		assert.ok(scores[0] < scores[1] && scores[1] < scores[2], `${scores}`);
	});
});
