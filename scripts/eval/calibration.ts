/**
 * Calibration of a classifier's confidence: expected calibration error (ECE, equal-width bins of
 * the top probability, weighted by bin size) and the softmax temperature that minimizes the
 * log-loss of out-of-fold predictions (temperature scaling, Guo et al. 2017).
 */
import { temper } from "../../lib/nlp/logreg";

export interface CalibrationBin {
	lo: number;
	hi: number;
	n: number;
	confidence: number;
	accuracy: number;
}

/** ECE over `bins` equal-width bins of the confidence; also the reliability table. */
export function expectedCalibrationError(confidence: number[], correct: boolean[], bins = 10): { ece: number; table: CalibrationBin[] } {
	const table: CalibrationBin[] = Array.from({ length: bins }, (_, b) => ({ lo: b / bins, hi: (b + 1) / bins, n: 0, confidence: 0, accuracy: 0 }));
	confidence.forEach((c, i) => {
		const bin = table[Math.min(bins - 1, Math.floor(c * bins))];
		bin.n++;
		bin.confidence += c;
		bin.accuracy += correct[i] ? 1 : 0;
	});
	let ece = 0;
	for (const bin of table) {
		if (!bin.n) continue;
		bin.confidence /= bin.n;
		bin.accuracy /= bin.n;
		ece += (bin.n / confidence.length) * Math.abs(bin.accuracy - bin.confidence);
	}
	return { ece, table };
}

/** The temperature in [0.25, 4] (log grid) with the lowest mean log-loss of the true classes. */
export function fitTemperature(probs: number[][], truth: number[]): number {
	let best = 1;
	let bestLoss = Infinity;
	for (let i = -40; i <= 40; i++) {
		const t = Math.exp((i / 40) * Math.log(4));
		const loss = probs.reduce((s, p, j) => s - Math.log(Math.max(temper(p, t)[truth[j]], 1e-12)), 0) / probs.length;
		if (loss < bestLoss) [best, bestLoss] = [t, loss];
	}
	return Math.round(best * 1e4) / 1e4;
}
