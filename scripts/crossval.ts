/**
 * Stratified k-fold cross-validation of the shipped training functions on the
 * labeled requests: every prediction is for a request its model never saw.
 */
import { INTENTS } from "../lib/nlp/features";
import { accuracy, confusionMatrix, macroF1, spearman, stratifiedFolds } from "../lib/nlp/evaluation";
import { scoreWithModel, trainComplexityModel, TIERS } from "../services/complexity/model";
import { predictIntent, trainIntentModel, type LabeledRequest } from "../services/intent/model";

export const CV_FOLDS = 5;
export const CV_SEED = 42;
/** Seeds of the repeated CV that shows how much the seed-42 split flatters or hurts. */
export const REPEAT_SEEDS = [1, 2, 3, 4, 5];

export interface CrossValidation {
	folds: number;
	seed: number;
	n: number;
	intent: { accuracy: number; macroF1: number; classes: string[]; confusion: number[][] };
	complexity: { accuracy: number; macroF1: number; spearman: number; classes: string[]; confusion: number[][] };
	errors: { id: string; request: string; truth: string; predicted: string; kind: "intent" | "complexity" }[];
}

export function crossValidate(rows: LabeledRequest[], k = CV_FOLDS, seed = CV_SEED): CrossValidation {
	// Stratify on the joint label so both tasks see balanced folds.
	const folds = stratifiedFolds(
		rows.map(r => `${r.intent}/${r.complexity}`),
		k,
		seed,
	);
	const intentPred = new Array<string>(rows.length);
	const tierPred = new Array<string>(rows.length);
	const scores = new Array<number>(rows.length);
	for (let f = 0; f < k; f++) {
		const train = rows.filter((_, i) => folds[i] !== f);
		const intentModel = trainIntentModel(train);
		const complexityModel = trainComplexityModel(train);
		rows.forEach((r, i) => {
			if (folds[i] !== f) return;
			intentPred[i] = predictIntent(intentModel, r.request, r.context).intent;
			const c = scoreWithModel(complexityModel, r.request, r.context);
			tierPred[i] = c.complexity;
			scores[i] = c.score;
		});
	}
	const intents = rows.map(r => r.intent as string);
	const tiers = rows.map(r => r.complexity as string);
	const errors: CrossValidation["errors"] = [];
	rows.forEach((r, i) => {
		if (intentPred[i] !== r.intent) errors.push({ id: r.id, request: r.request, truth: r.intent, predicted: intentPred[i], kind: "intent" });
		if (tierPred[i] !== r.complexity) errors.push({ id: r.id, request: r.request, truth: r.complexity, predicted: tierPred[i], kind: "complexity" });
	});
	return {
		folds: k,
		seed,
		n: rows.length,
		intent: {
			accuracy: accuracy(intents, intentPred),
			macroF1: macroF1(intents, intentPred, INTENTS),
			classes: [...INTENTS],
			confusion: confusionMatrix(intents, intentPred, INTENTS),
		},
		complexity: {
			accuracy: accuracy(tiers, tierPred),
			macroF1: macroF1(tiers, tierPred, TIERS),
			spearman: spearman(
				scores,
				tiers.map(t => TIERS.indexOf(t as (typeof TIERS)[number])),
			),
			classes: [...TIERS],
			confusion: confusionMatrix(tiers, tierPred, TIERS),
		},
		errors,
	};
}

export interface RepeatedCrossValidation {
	folds: number;
	seeds: number[];
	intent: { accuracy: number[]; meanAccuracy: number; meanMacroF1: number };
	complexity: { accuracy: number[]; meanAccuracy: number; meanMacroF1: number };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Repeated stratified k-fold: the same CV under other shuffles, averaged. */
export function repeatedCrossValidate(rows: LabeledRequest[], seeds = REPEAT_SEEDS, k = CV_FOLDS): RepeatedCrossValidation {
	const runs = seeds.map(seed => crossValidate(rows, k, seed));
	const summary = (task: "intent" | "complexity") => ({
		accuracy: runs.map(r => r[task].accuracy),
		meanAccuracy: mean(runs.map(r => r[task].accuracy)),
		meanMacroF1: mean(runs.map(r => r[task].macroF1)),
	});
	return { folds: k, seeds, intent: summary("intent"), complexity: summary("complexity") };
}
