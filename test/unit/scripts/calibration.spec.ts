import { strict as assert } from "assert";
import { expectedCalibrationError, fitTemperature } from "../../../scripts/eval/calibration";
import { temper } from "../../../lib/nlp/logreg";

describe("calibration (ECE and temperature scaling)", () => {
	it("gives ECE 0 when each bin's accuracy equals its confidence", () => {
		// 4 at 0.75 with 3 right; 20 at 0.95 with 19 right.
		const conf = [...Array(4).fill(0.75), ...Array(20).fill(0.95)];
		const correct = [true, true, true, false, ...Array.from({ length: 20 }, (_, i) => i > 0)];
		assert.ok(expectedCalibrationError(conf, correct).ece < 1e-9);
	});

	it("measures the gap of an overconfident model", () => {
		const { ece, table } = expectedCalibrationError([0.99, 0.99, 0.99, 0.99], [true, false, true, false]);
		assert.ok(Math.abs(ece - 0.49) < 1e-9, String(ece));
		assert.equal(table[9].n, 4);
	});

	it("fits a temperature above 1 for an overconfident model and about 1 for a calibrated one", () => {
		// Always 0.8 on the predicted class, right 60% of the time.
		const probs = Array.from({ length: 100 }, () => [0.8, 0.2]);
		const truth = Array.from({ length: 100 }, (_, i) => (i < 60 ? 0 : 1));
		const t = fitTemperature(probs, truth);
		assert.ok(t > 2, String(t));
		assert.ok(Math.abs(temper([0.8, 0.2], t)[0] - 0.6) < 0.05);
		const calibrated = Array.from({ length: 100 }, () => [0.6, 0.4]);
		assert.ok(Math.abs(fitTemperature(calibrated, truth) - 1) < 0.05);
	});

	it("leaves probabilities untouched at temperature 1", () => {
		assert.deepEqual(temper([0.7, 0.2, 0.1], 1), [0.7, 0.2, 0.1]);
	});
});
