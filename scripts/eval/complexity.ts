/**
 * Complexity tiers on labeled text, the way unseen text would meet them: cross-validation
 * grouped by source (train on the other sources, test on one: dev, codechat, nl2bash) beside
 * pooled stratified k-fold, with accuracy, macro-F1, confusion, expected calibration error and
 * the always-simple baseline on the same rows.
 */
import { accuracy, confusionMatrix, macroF1, stratifiedFolds } from "../../lib/nlp/evaluation";
import {
	COMPLEXITY_SETTINGS,
	complexityDisputed,
	HIDDEN_CHECK_MIX,
	scoreWithModel,
	trainComplexityModel,
	TIERS,
	type ComplexityRow,
	type ComplexitySettings,
} from "../../services/complexity/model";
import { scoreComplexity } from "../../services/complexity/scorer";
import type { LabeledRequest } from "../../services/intent/model";

export interface TierFigures {
	n: number;
	accuracy: number;
	macroF1: number;
	/** Top-label ECE over 10 equal-width confidence bins, confidence = the model's P(predicted tier). */
	ece: number;
	/** Accuracy of answering "simple" for every row of the same set. */
	alwaysSimple: number;
	confusion: number[][];
}

export interface ComplexityCv {
	classes: string[];
	/** Held-out source -> figures of the model trained on the other sources. */
	bySource: Record<string, TierFigures>;
	/** Every source's held-out predictions together ("unseen source" overall). */
	bySourceAll: TierFigures;
	pooled: TierFigures & { folds: number; seed: number };
	/** The pooled out-of-fold predictions split by source. */
	pooledBySource: Record<string, TierFigures>;
	/** Class-weight exponent the inner CV chose in each pooled outer fold (then each held-out source). */
	chosenClassBalance: { pooled: number[]; bySource: Record<string, number> };
	/**
	 * The same out-of-fold predictions on the rows not disputed (complexityDisputed: CodeChat rows
	 * whose two annotators differ are left out; rows labeled once stay): what a check "labeled by
	 * two annotators who agreed" keeps. Absent when no row was labeled twice.
	 */
	agreed?: { disputed: number; pooled: AgreedFigures; grouped: AgreedFigures };
}

export interface AgreedFigures {
	bySource: Record<string, TierFigures>;
	all: TierFigures;
	/** Recall of the complex tier over all agreed rows. */
	complexRecall: number;
	/** (2 x CodeChat + NL2Bash accuracy) / 3 (HIDDEN_CHECK_MIX): the issue-11 check's mix. */
	hiddenMix: number;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** Expected calibration error of top-label confidences (Guo et al. 2017), 10 bins. */
export function expectedCalibrationError(confidence: number[], correct: boolean[], bins = 10): number {
	let ece = 0;
	for (let b = 0; b < bins; b++) {
		const idx = confidence
			.map((c, i) => [c, i] as const)
			.filter(([c]) => (b === 0 ? c >= 0 : c > b / bins) && c <= (b + 1) / bins)
			.map(([, i]) => i);
		if (idx.length === 0) continue;
		const conf = idx.reduce((s, i) => s + confidence[i], 0) / idx.length;
		const acc = idx.filter(i => correct[i]).length / idx.length;
		ece += (idx.length / confidence.length) * Math.abs(acc - conf);
	}
	return ece;
}

export interface Prediction {
	tier: string;
	confidence: number;
}

function figures(rows: LabeledRequest[], preds: Prediction[]): TierFigures {
	const truth = rows.map(r => r.complexity as string);
	const tiers = preds.map(p => p.tier);
	return {
		n: rows.length,
		accuracy: round(accuracy(truth, tiers)),
		macroF1: round(macroF1(truth, tiers, TIERS)),
		ece: round(
			expectedCalibrationError(
				preds.map(p => p.confidence),
				tiers.map((t, i) => t === truth[i]),
			),
		),
		alwaysSimple: round(
			accuracy(
				truth,
				truth.map(() => "simple"),
			),
		),
		confusion: confusionMatrix(truth, tiers, TIERS),
	};
}

function predict(train: LabeledRequest[], test: LabeledRequest[], settings: ComplexitySettings, chosen: number[]): Prediction[] {
	const model = trainComplexityModel(train, settings);
	chosen.push(model.selection?.classBalance ?? 0);
	return test.map(r => {
		const { complexity, confidence } = scoreWithModel(model, r.request, r.context);
		return { tier: complexity, confidence };
	});
}

/** Complex-tier recall from a tier confusion matrix (rows = truth). */
export function complexRecall(confusion: number[][]): number {
	const row = confusion[2];
	return (
		row[2] /
		Math.max(
			1,
			row.reduce((a, b) => a + b, 0),
		)
	);
}

/** The issue-11 mix of per-source accuracies (CodeChat 2 : NL2Bash 1). */
export function hiddenMixScore(bySource: Record<string, TierFigures>): number {
	const mix = Object.entries(HIDDEN_CHECK_MIX);
	return mix.reduce((a, [s, w]) => a + w * (bySource[s]?.accuracy ?? NaN), 0) / mix.reduce((a, [, w]) => a + w, 0);
}

export function agreedFigures(rows: ComplexityRow[], preds: Prediction[]): AgreedFigures {
	const idx = rows.map((r, i) => (complexityDisputed(r) ? -1 : i)).filter(i => i >= 0);
	const pick = (ix: number[]) =>
		figures(
			ix.map(i => rows[i]),
			ix.map(i => preds[i]),
		);
	const sources = [...new Set(idx.map(i => rows[i].source ?? "dev"))];
	const bySource = Object.fromEntries(sources.map(s => [s, pick(idx.filter(i => (rows[i].source ?? "dev") === s))]));
	const all = pick(idx);
	return { bySource, all, complexRecall: round(complexRecall(all.confusion)), hiddenMix: round(hiddenMixScore(bySource)) };
}

/**
 * `trainOnly` rows join every training set and are never scored (as in intentCrossValidation).
 * `grouped` false skips the grouped-by-source folds (they do not depend on the seed, so a run
 * on another seed can leave them out); bySource is then empty.
 */
export function complexityCrossValidation(
	rows: ComplexityRow[],
	settings: ComplexitySettings = COMPLEXITY_SETTINGS,
	k = 5,
	seed = 42,
	trainOnly: ComplexityRow[] = [],
	grouped = true,
): ComplexityCv {
	const sources = [...new Set(rows.map(r => r.source ?? "dev"))];
	const bySource: Record<string, TierFigures> = {};
	const heldRows: ComplexityRow[] = [];
	const heldPreds: Prediction[] = [];
	const chosenBySource: number[] = [];
	const chosenPooled: number[] = [];
	if (grouped && sources.length > 1) {
		for (const s of sources) {
			const test = rows.filter(r => (r.source ?? "dev") === s);
			const preds = predict([...rows.filter(r => (r.source ?? "dev") !== s), ...trainOnly], test, settings, chosenBySource);
			bySource[s] = figures(test, preds);
			heldRows.push(...test);
			heldPreds.push(...preds);
		}
	}
	const folds = stratifiedFolds(
		rows.map(r => `${r.source ?? "dev"}/${r.complexity}`),
		k,
		seed,
	);
	const pooledPreds = new Array<Prediction>(rows.length);
	for (let f = 0; f < k; f++) {
		const test = rows.map((_, i) => i).filter(i => folds[i] === f);
		const preds = predict(
			[...rows.filter((_, i) => folds[i] !== f), ...trainOnly],
			test.map(i => rows[i]),
			settings,
			chosenPooled,
		);
		test.forEach((i, j) => (pooledPreds[i] = preds[j]));
	}
	return {
		classes: [...TIERS],
		bySource,
		bySourceAll: figures(heldRows, heldPreds),
		pooled: { ...figures(rows, pooledPreds), folds: k, seed },
		pooledBySource: Object.fromEntries(
			sources.map(s => {
				const idx = rows.map((_, i) => i).filter(i => (rows[i].source ?? "dev") === s);
				return [
					s,
					figures(
						idx.map(i => rows[i]),
						idx.map(i => pooledPreds[i]),
					),
				];
			}),
		),
		chosenClassBalance: { pooled: chosenPooled, bySource: Object.fromEntries(Object.keys(bySource).map((s, i) => [s, chosenBySource[i]])) },
		...(rows.some(r => r.complexity2 !== undefined)
			? {
					agreed: {
						disputed: rows.filter(complexityDisputed).length,
						pooled: agreedFigures(rows, pooledPreds),
						grouped: agreedFigures(heldRows, heldPreds),
					},
				}
			: {}),
	};
}

const f3 = (x: number) => x.toFixed(3);

export function printComplexityCv(cv: ComplexityCv): void {
	console.log(`\n== Complexity on labeled text: cross-validation grouped by source (train on the others, test on one) and pooled ${cv.pooled.folds}-fold ==`);
	console.log(
		`${"held out".padEnd(34)}${"n".padStart(6)}${"accuracy".padStart(10)}${"macro-F1".padStart(10)}${"ECE".padStart(8)}${"always-simple".padStart(15)}`,
	);
	const line = (name: string, f: TierFigures) =>
		console.log(
			`${name.padEnd(34)}${String(f.n).padStart(6)}${f3(f.accuracy).padStart(10)}${f3(f.macroF1).padStart(10)}${f3(f.ece).padStart(8)}${f3(f.alwaysSimple).padStart(15)}`,
		);
	for (const [s, f] of Object.entries(cv.bySource)) line(`source ${s}`, f);
	if (Object.keys(cv.bySource).length) line("all sources, held out", cv.bySourceAll);
	line(`pooled ${cv.pooled.folds}-fold (seed ${cv.pooled.seed})`, cv.pooled);
	for (const [s, f] of Object.entries(cv.pooledBySource)) line(`  pooled, rows of ${s}`, f);
	if (cv.agreed) {
		console.log(
			`rows both annotators agree on (${cv.agreed.disputed} disputed CodeChat rows left out; data/train/complexity-second-annotator.*), same out-of-fold predictions`,
		);
		for (const [title, a] of [
			[`pooled ${cv.pooled.folds}-fold`, cv.agreed.pooled],
			...(Object.keys(cv.bySource).length ? ([["grouped, held out", cv.agreed.grouped]] as const) : []),
		] as const) {
			for (const [s, f] of Object.entries(a.bySource)) line(`  ${title}: ${s}`, f);
			line(`  ${title}: all agreed`, a.all);
			console.log(`    complex recall ${f3(a.complexRecall)}; hidden-check mix (2 x CodeChat + NL2Bash) / 3 = ${f3(a.hiddenMix)}`);
		}
	}
	const held = Object.entries(cv.chosenClassBalance.bySource).map(([s, b]) => `without ${s} ${b}`);
	console.log(
		`class-weight exponent chosen by the inner CV of each training set: pooled folds ${cv.chosenClassBalance.pooled.join(", ")}${held.length ? `; ${held.join(", ")}` : ""}`,
	);
	for (const [title, f] of [...Object.entries(cv.bySource).map(([s, f]) => [`held-out ${s}`, f] as const), ["pooled", cv.pooled] as const]) {
		console.log(`\n${title} confusion (rows = truth, columns = predicted)`);
		console.log(["".padEnd(9), ...cv.classes.map(c => c.padStart(9))].join(""));
		f.confusion.forEach((row, i) => console.log([cv.classes[i].padEnd(9), ...row.map(v => String(v).padStart(9))].join("")));
	}
}

/** CPU and wall time of scoreComplexity alone (tier + strong_need) per request, after a warm-up pass. */
export function printComplexityLatency(rows: { request: string; context?: Record<string, unknown> }[]): {
	cpuMicrosPerRequest: number;
	wallP50Micros: number;
	n: number;
} {
	rows.forEach(r => scoreComplexity(r.request, r.context));
	const times: number[] = [];
	const cpu0 = process.cpuUsage();
	for (let rep = 0; rep < 3; rep++) {
		for (const r of rows) {
			const t0 = process.hrtime.bigint();
			scoreComplexity(r.request, r.context);
			times.push(Number(process.hrtime.bigint() - t0) / 1000);
		}
	}
	const cpu = process.cpuUsage(cpu0);
	times.sort((a, b) => a - b);
	const out = {
		cpuMicrosPerRequest: Math.round(((cpu.user + cpu.system) / times.length) * 10) / 10,
		wallP50Micros: Math.round(times[times.length >> 1] * 10) / 10,
		n: times.length,
	};
	console.log(
		`scoreComplexity alone (tier + strong_need): ${out.cpuMicrosPerRequest} µs CPU per request; wall p50 ${out.wallP50Micros} µs (${out.n} calls over every labeled request)`,
	);
	return out;
}
