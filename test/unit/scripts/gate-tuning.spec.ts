import { strict as assert } from "assert";
import { chooseThresholds, crossFittedGate, scoreAt, type GateRow } from "../../../scripts/eval/gate-tuning";

// Requests the rules would answer, with out-of-fold P(answerable) and intent confidence: true labels
// above 0.6 answerable, two false ones at 0.55 and 0.3, and one false at high P but unsure intent.
function rows(): GateRow[] {
	const out: GateRow[] = [];
	for (let i = 0; i < 40; i++) out.push({ candidate: true, answerable: 0.6 + (i % 4) * 0.1, confidence: 0.8, label: true, fold: i % 4 });
	for (let f = 0; f < 4; f++) {
		out.push({ candidate: true, answerable: 0.55, confidence: 0.9, label: false, fold: f });
		out.push({ candidate: true, answerable: 0.3, confidence: 0.9, label: false, fold: f });
		out.push({ candidate: true, answerable: 0.95, confidence: 0.35, label: false, fold: f });
		// Not a rules candidate: never routed, whatever the thresholds.
		out.push({ candidate: false, answerable: 0.99, confidence: 0.99, label: true, fold: f });
	}
	return out;
}

describe("scripts/eval/gate-tuning", () => {
	it("picks the thresholds with the most recall at the precision target", () => {
		const t = chooseThresholds(rows(), 0.97);
		const s = scoreAt(rows(), t);
		assert.ok(t.minAnswerable > 0.55 && t.minAnswerable <= 0.6, JSON.stringify(t));
		assert.ok(t.minIntentConfidence > 0.35 && t.minIntentConfidence <= 0.8, JSON.stringify(t));
		assert.deepEqual({ tp: s.tp, fp: s.fp, fn: s.fn }, { tp: 40, fp: 0, fn: 4 });
	});

	it("falls back to the most precise pair when no pair reaches the target", () => {
		// A sure-looking wrong row in every fold: no pair reaches 0.97; the best keeps every true row at 0.8 and up.
		const noisy = [
			...rows().map(r => (r.label && r.answerable < 0.75 ? { ...r, label: false } : r)),
			...[0, 1, 2, 3].map(fold => ({ candidate: true, answerable: 0.99, confidence: 0.99, label: false, fold })),
		];
		const t = chooseThresholds(noisy, 0.97);
		const s = scoreAt(noisy, t);
		assert.deepEqual({ tp: s.tp, fp: s.fp }, { tp: 20, fp: 4 });
		assert.ok(t.minAnswerable > 0.7 && t.minAnswerable <= 0.8, JSON.stringify(t));
	});

	it("scores each fold with thresholds chosen without it", () => {
		const { score, chosen } = crossFittedGate(rows(), 0.97);
		assert.deepEqual(Object.keys(chosen).sort(), ["0", "1", "2", "3"]);
		assert.equal(score.fp, 0);
		assert.equal(score.tp, 40);
	});
});
