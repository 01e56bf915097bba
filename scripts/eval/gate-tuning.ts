/**
 * The zero-token gate's two thresholds (P(tool answerable), intent confidence) chosen by data, not
 * by hand: on out-of-fold predictions, the pair with the highest recall whose precision reaches the
 * target (else the most precise pair). Cross-fitted for the figure: the pair applied to a fold is
 * chosen on the other folds only, so no request's label sets the thresholds that score it.
 */
import { routeScore, type RouteScore } from "./tools";

export interface GateRow {
	/** The rules (with the act guard) would answer it zero-token if the gate let them. */
	candidate: boolean;
	/** Out-of-fold P(tool answerable). */
	answerable: number;
	/** Out-of-fold confidence of the predicted intent. */
	confidence: number;
	label: boolean;
	fold: string | number;
}

export interface GateThresholds {
	minAnswerable: number;
	minIntentConfidence: number;
}

export const GRID = Array.from({ length: 19 }, (_, i) => Math.round((0.05 + i * 0.05) * 100) / 100);

const passes = (r: GateRow, t: GateThresholds) => r.candidate && r.answerable >= t.minAnswerable && r.confidence >= t.minIntentConfidence;

export function scoreAt(rows: GateRow[], t: GateThresholds): RouteScore {
	return routeScore(rows.map(r => ({ label: r.label, predicted: passes(r, t) })));
}

/** Highest recall at precision >= target; ties to the stricter pair. No pair reaching it: the most precise. */
export function chooseThresholds(rows: GateRow[], precisionTarget: number, grid = GRID): GateThresholds {
	let best: { t: GateThresholds; s: RouteScore } | null = null;
	const better = (s: RouteScore, b: RouteScore) => {
		const ok = s.precision >= precisionTarget && s.routed > 0;
		const bOk = b.precision >= precisionTarget && b.routed > 0;
		if (ok !== bOk) return ok;
		return ok ? s.recall > b.recall : s.precision > b.precision || (s.precision === b.precision && s.recall > b.recall);
	};
	for (const a of grid) {
		for (const c of grid) {
			const t = { minAnswerable: a, minIntentConfidence: c };
			const s = scoreAt(rows, t);
			if (!best || better(s, best.s)) best = { t, s };
		}
	}
	return best!.t;
}

/** Each fold decided with the thresholds chosen on the other folds; also what each fold got. */
export function crossFittedGate(rows: GateRow[], precisionTarget: number): { score: RouteScore; chosen: Record<string, GateThresholds> } {
	const chosen: Record<string, GateThresholds> = {};
	const predicted = new Array<boolean>(rows.length);
	for (const f of [...new Set(rows.map(r => r.fold))]) {
		const t = chooseThresholds(
			rows.filter(r => r.fold !== f),
			precisionTarget,
		);
		chosen[String(f)] = t;
		rows.forEach((r, i) => {
			if (r.fold === f) predicted[i] = passes(r, t);
		});
	}
	return { score: routeScore(rows.map((r, i) => ({ label: r.label, predicted: predicted[i] }))), chosen };
}
