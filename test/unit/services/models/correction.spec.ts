import { strict as assert } from "node:assert";
import { TokenCorrections, usableSample, type CorrectionSettings } from "../../../../services/models/correction";

const SETTINGS: CorrectionSettings = { decay: 0.9, min_samples: 5, min_ratio: 0.5, max_ratio: 2, step: 0.05 };
const report = (c: TokenCorrections, model: string, estimated: number, reported: number, times = 1) => {
	for (let i = 0; i < times; i++) c.observe({ model, estimated_input_tokens: estimated, reported_input_tokens: reported });
};

describe("services/models/correction", () => {
	it("keeps the ratio at 1 until min_samples reports, then applies reported / estimated", () => {
		const c = new TokenCorrections(SETTINGS);
		report(c, "claude-haiku-4-5", 100, 130, 4);
		assert.equal(c.ratio("claude-haiku-4-5"), 1, "4 reports are not enough");
		assert.equal(c.estimate("claude-haiku-4-5", 200), 200);
		report(c, "claude-haiku-4-5", 100, 130);
		assert.equal(c.ratio("claude-haiku-4-5"), 1.3);
		assert.equal(c.estimate("claude-haiku-4-5", 200), 260);
		assert.equal(c.ratio("gpt-4.1-nano"), 1, "a model without reports is not corrected");
	});

	it("weighs reports by size: a long prompt counts more than a short one whose count is mostly framing", () => {
		const c = new TokenCorrections({ ...SETTINGS, decay: 1 });
		report(c, "m", 10, 20, 4); // tiny prompts at 2x
		report(c, "m", 1000, 1100); // one long prompt at 1.1x
		// (4*20 + 1100) / (4*10 + 1000) = 1180 / 1040 = 1.1346 -> 1.15 at a 0.05 step
		assert.equal(c.snapshot()[0].observed_ratio, 1.1346);
		assert.equal(c.ratio("m"), 1.15);
	});

	it("follows a vendor that changes its count: old reports fade with the decay", () => {
		const c = new TokenCorrections(SETTINGS);
		report(c, "m", 100, 130, 20);
		assert.equal(c.ratio("m"), 1.3);
		report(c, "m", 100, 100, 30);
		// 0.9^30 = 4% weight left on the old reports
		assert.equal(c.ratio("m"), 1);
	});

	it("clamps to [min_ratio, max_ratio], so one odd vendor cannot make a model look free or unusable", () => {
		const c = new TokenCorrections(SETTINGS);
		report(c, "up", 100, 900, 5);
		report(c, "down", 100, 5, 5);
		assert.equal(c.ratio("up"), 2);
		assert.equal(c.ratio("down"), 0.5);
		const snap = Object.fromEntries(c.snapshot().map(s => [s.model, s]));
		assert.equal(snap.up.observed_ratio, 9, "the operator still sees what was observed");
	});

	it("rounds the applied ratio to the step, so small jitter does not change it", () => {
		const c = new TokenCorrections(SETTINGS);
		report(c, "m", 1000, 1290, 5);
		const before = c.applied();
		report(c, "m", 1000, 1310);
		assert.deepEqual(c.applied(), before);
		assert.deepEqual(before, { m: 1.3 });
	});

	it("ignores unusable reports: missing usage, zero, negative, non-numbers, no model", () => {
		const c = new TokenCorrections({ ...SETTINGS, min_samples: 1 });
		for (const bad of [
			{ model: "m", estimated_input_tokens: 100, reported_input_tokens: 0 },
			{ model: "m", estimated_input_tokens: 0, reported_input_tokens: 50 },
			{ model: "m", estimated_input_tokens: 100, reported_input_tokens: -3 },
			{ model: "m", estimated_input_tokens: 100, reported_input_tokens: Number.NaN },
			{ model: "m", estimated_input_tokens: "100" as unknown as number, reported_input_tokens: 120 },
			{ model: "", estimated_input_tokens: 100, reported_input_tokens: 120 },
			{ estimated_input_tokens: 100, reported_input_tokens: 120 },
		]) {
			assert.equal(usableSample(bad), false, JSON.stringify(bad));
			assert.equal(c.observe(bad), false);
		}
		assert.deepEqual(c.snapshot(), []);
	});

	it("snapshot shows every model with its applied and observed ratio; applied() only those past min_samples", () => {
		const c = new TokenCorrections(SETTINGS);
		report(c, "b-model", 100, 120, 5);
		report(c, "a-model", 100, 140, 2);
		assert.deepEqual(
			c.snapshot().map(s => [s.model, s.ratio, s.observed_ratio, s.samples]),
			[
				["a-model", 1, 1.4, 2],
				["b-model", 1.2, 1.2, 5],
			],
		);
		assert.deepEqual(c.applied(), { "b-model": 1.2 });
	});

	it("appliedRatio is a model's entry in applied(): undefined below min_samples (even where the ratio reads 1), then its ratio", () => {
		const c = new TokenCorrections(SETTINGS);
		for (let i = 1; i <= 7; i++) {
			report(c, "m", 100, i < 6 ? 100 : 140);
			assert.equal(c.appliedRatio("m"), c.applied().m, `after ${i} reports`);
		}
		assert.equal(c.appliedRatio("m"), 1.15);
		assert.equal(c.appliedRatio("never-seen"), undefined);
	});

	it("a joining node adopts a peer's state for models it has not seen, and keeps its own", () => {
		const peer = new TokenCorrections(SETTINGS);
		report(peer, "claude-haiku-4-5", 100, 130, 6);
		report(peer, "gpt-4.1-nano", 100, 100, 6);
		const fresh = new TokenCorrections(SETTINGS);
		report(fresh, "gpt-4.1-nano", 100, 110, 5);
		assert.deepEqual(fresh.adopt(peer.snapshot()), ["claude-haiku-4-5"]);
		assert.equal(fresh.ratio("claude-haiku-4-5"), 1.3);
		assert.equal(fresh.ratio("gpt-4.1-nano"), 1.1, "its own reports win");
		assert.deepEqual(
			fresh.adopt([{ model: "x", ratio: 1, observed_ratio: 1, samples: 3, estimated_sum: 0, reported_sum: 5 }]),
			[],
			"a malformed peer entry is skipped",
		);
	});

	it("refuses settings that make no sense, naming the setting", () => {
		assert.throws(() => new TokenCorrections({ ...SETTINGS, decay: 0 }), /decay/);
		assert.throws(() => new TokenCorrections({ ...SETTINGS, min_samples: 0 }), /min_samples/);
		assert.throws(() => new TokenCorrections({ ...SETTINGS, min_ratio: 1.5 }), /min_ratio/);
		assert.throws(() => new TokenCorrections({ ...SETTINGS, step: 0 }), /step/);
	});
});
