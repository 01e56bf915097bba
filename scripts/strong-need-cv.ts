/**
 * Choice of the strong-need model by cross-validation on the routing training data only
 * (scripts/routing-train.ts); the evaluation sets (MT-Bench, GSM8K, MMLU) play no part.
 *
 * Criterion: the mean of two APGRs on RouterBench prompts, whose quality is on one scale
 * (0/1 correctness of the same two models): out-of-fold over all three RouterBench sets
 * together (stratified 5-fold: does it rank across kinds of task) and leave-one-set-out (train
 * without ARC, rank ARC, and so on: does it rank within a kind of task it never saw).
 * AlpacaEval's judge preference is on another scale (GPT-4 preferred on 77% of prompts against
 * an 11% correctness gap on RouterBench), so it is never pooled into one APGR with them;
 * as a training source its targets are shifted to RouterBench's mean gap first.
 */
import { difficultyPrior } from "../lib/nlp/difficulty";
import { trainDenseLogReg, type DenseLogReg } from "../lib/nlp/dense-logreg";
import { stratifiedFolds } from "../lib/nlp/evaluation";
import { strongNeedFeatures, strongNeedLogit, type StrongNeedModel } from "../services/complexity/strong-need";
import { routingMetrics } from "./eval/routing";
import type { RoutingExample } from "./routing-train";

export const SOURCE_CHOICES = ["routerbench", "routerbench+alpacaeval"] as const;
export const L2_CHOICES = [0.01, 0.1];
export const PRIOR_WEIGHTS = [0, 1, 2, 4];
const ITERATIONS = 300;
const LEARNING_RATE = 0.05;
const FOLDS = 5;
const SEED = 42;

export interface StrongNeedCandidate {
	sources: (typeof SOURCE_CHOICES)[number];
	l2: number;
	priorWeight: number;
	pooledApgr: number;
	leaveOneSetOut: Record<string, number>;
	criterion: number;
}

const isAlpaca = (e: RoutingExample) => e.group === "alpacaeval";

/** Targets: 1 where the strong model did better; AlpacaEval's preference shifted onto RouterBench's scale. */
export function targets(examples: RoutingExample[]): number[] {
	const rb = examples.filter(e => !isAlpaca(e));
	const al = examples.filter(isAlpaca);
	const gap = rb.filter(e => e.strong > e.weak).length / Math.max(1, rb.length);
	const alMean = al.reduce((s, e) => s + e.strong, 0) / Math.max(1, al.length);
	return examples.map(e => (isAlpaca(e) ? Math.min(1, Math.max(0, e.strong - alMean + gap)) : e.strong > e.weak ? 1 : 0));
}

export function selectStrongNeed(all: RoutingExample[]): { candidates: StrongNeedCandidate[]; chosen: StrongNeedCandidate; model: StrongNeedModel } {
	const y = targets(all);
	const feats = all.map(e => strongNeedFeatures(e.prompt));
	const priors = all.map(e => difficultyPrior(e.prompt));
	const rb = all.map((_, i) => i).filter(i => !isAlpaca(all[i]));
	const groups = [...new Set(rb.map(i => all[i].group))];
	const apgr = (idx: number[], score: (i: number) => number) =>
		routingMetrics(idx.map(i => ({ score: score(i), strong: all[i].strong, weak: all[i].weak }))).apgr;
	const trainOn = (idx: number[], l2: number): DenseLogReg =>
		trainDenseLogReg(
			idx.map(i => feats[i]),
			idx.map(i => y[i]),
			{ l2, iterations: ITERATIONS, learningRate: LEARNING_RATE },
		);
	const fitFeats = (idx: number[], l2: number) => ({ logreg: trainOn(idx, l2), priorWeight: 0 });
	const candidates: StrongNeedCandidate[] = [];
	for (const sources of SOURCE_CHOICES) {
		const extra = sources === "routerbench" ? [] : all.map((_, i) => i).filter(i => isAlpaca(all[i]));
		for (const l2 of L2_CHOICES) {
			const folds = stratifiedFolds(
				rb.map(i => all[i].group),
				FOLDS,
				SEED,
			);
			const oof = new Map<number, number>();
			for (let f = 0; f < FOLDS; f++) {
				const model = fitFeats([...rb.filter((_, k) => folds[k] !== f), ...extra], l2);
				rb.forEach((i, k) => folds[k] === f && oof.set(i, strongNeedLogit(model, feats[i], 0)));
			}
			const logo = new Map<number, number>();
			for (const g of groups) {
				const model = fitFeats([...rb.filter(i => all[i].group !== g), ...extra], l2);
				rb.forEach(i => all[i].group === g && logo.set(i, strongNeedLogit(model, feats[i], 0)));
			}
			for (const priorWeight of PRIOR_WEIGHTS) {
				const pooledApgr = apgr(rb, i => (oof.get(i) ?? 0) + priorWeight * priors[i]);
				const leaveOneSetOut = Object.fromEntries(
					groups.map(g => [
						g,
						apgr(
							rb.filter(i => all[i].group === g),
							i => (logo.get(i) ?? 0) + priorWeight * priors[i],
						),
					]),
				);
				const logoMean = Object.values(leaveOneSetOut).reduce((a, b) => a + b, 0) / groups.length;
				candidates.push({ sources, l2, priorWeight, pooledApgr, leaveOneSetOut, criterion: (pooledApgr + logoMean) / 2 });
			}
		}
	}
	const chosen = candidates.reduce((best, c) => (c.criterion > best.criterion ? c : best));
	const trainIdx = all.map((_, i) => i).filter(i => chosen.sources !== "routerbench" || !isAlpaca(all[i]));
	const model: StrongNeedModel = {
		kind: "strong-need-logreg",
		logreg: trainOn(trainIdx, chosen.l2),
		priorWeight: chosen.priorWeight,
		trainedOn: `${chosen.sources} (${trainIdx.length} prompts), L2 ${chosen.l2}, prior weight ${chosen.priorWeight}: best of ${candidates.length} candidates by RouterBench cross-validation (scripts/strong-need-cv.ts)`,
	};
	return { candidates, chosen, model };
}
