import { strict as assert } from "assert";
import { calibrate } from "../../../../services/complexity/model";
import { DEFAULT_COMPLEXITY_THRESHOLDS, scoreComplexity } from "../../../../services/complexity/scorer";

describe("scoreComplexity", () => {
	const rename = "rename variable x to count in utils.js";
	const migration =
		"Design the migration of our monolith's billing and invoicing into separate services: define the APIs between them, " +
		"a zero-downtime data migration from the shared Postgres, a rollout plan across staging and prod, and how we roll back.";

	it("scores a cross-service design/migration above a variable rename", () => {
		assert.ok(scoreComplexity(migration).score > scoreComplexity(rename).score);
	});

	it("tiers the two ends as simple and complex", () => {
		assert.equal(scoreComplexity(rename).complexity, "simple");
		assert.equal(scoreComplexity(migration).complexity, "complex");
		assert.equal(scoreComplexity("show me README.md").complexity, "simple");
	});

	it("keeps the score in [0, 1] for any input", () => {
		for (const request of ["", "x", "why? ".repeat(2000), "1+1=".repeat(500), "\u0000\u{1F600}"]) {
			const { score } = scoreComplexity(request, { files: [{ path: "a", content: "b".repeat(100000) }] });
			assert.ok(score >= 0 && score <= 1, `${score}`);
		}
	});

	it("raises the score when a stack trace is attached", () => {
		const request = "the checkout page crashes, can you help?";
		const trace =
			"TypeError: Cannot read properties of undefined (reading 'total')\n    at computeCart (src/cart.ts:41:17)\n    at CheckoutPage (src/pages/checkout.tsx:88:5)\n    at renderWithHooks (node_modules/react-dom/cjs/react-dom.development.js:14985:18)";
		assert.ok(scoreComplexity(request, { error: trace }).score > scoreComplexity(request).score);
	});

	it("applies caller-supplied thresholds to the same score", () => {
		const base = scoreComplexity(migration);
		assert.equal(scoreComplexity(migration, undefined, { moderate: 0.99, complex: 1 }).complexity, "simple");
		assert.equal(scoreComplexity(migration, undefined, { moderate: 0, complex: 0 }).score, base.score);
		assert.equal(scoreComplexity(migration, undefined, { moderate: 0, complex: 0 }).complexity, "complex");
	});

	it("exports ordered default thresholds inside (0, 1)", () => {
		const { moderate, complex } = DEFAULT_COMPLEXITY_THRESHOLDS;
		assert.ok(moderate > 0 && moderate < complex && complex < 1);
	});

	it("scores multi-step maths above a one-line lookup", () => {
		const word =
			"A store sells pens at $3 each and notebooks at twice that price. If Ana buys 4 pens and 3 notebooks and pays with $50, how much change does she get, and what percent of her money did she spend?";
		assert.ok(scoreComplexity(word).score > scoreComplexity("what is the capital of France?").score);
	});

	it("calibrates monotonically, mapping the learned boundaries onto the defaults", () => {
		const raw = { moderate: 0.16, complex: 0.31 };
		let last = -1;
		for (let x = 0; x <= 1.0001; x += 0.01) {
			const y = calibrate(Math.min(1, x), raw);
			assert.ok(y >= last && y >= 0 && y <= 1);
			last = y;
		}
		assert.ok(Math.abs(calibrate(0.16, raw) - DEFAULT_COMPLEXITY_THRESHOLDS.moderate) < 1e-12);
		assert.ok(Math.abs(calibrate(0.31, raw) - DEFAULT_COMPLEXITY_THRESHOLDS.complex) < 1e-12);
	});

	it("stays fast on a 200 kB request with a megabyte of attachments (sanity bound)", () => {
		const request = "please refactor the payment module to add retries. ".repeat(4000);
		const context = { files: [{ path: "a.ts", content: "const x = 1;\n".repeat(80000) }], error: "Error: boom\n    at f (a.ts:1:1)\n".repeat(5000) };
		scoreComplexity(request, context);
		const t0 = Date.now();
		const { score } = scoreComplexity(request, context);
		assert.ok(Date.now() - t0 < 250 && score > 0);
	});
});
