/**
 * `npm run eval:train-only [-- --seeds=42,7] [-- --skip-complexity] [-- --confusion]`: does training on a train-only
 * source (scripts/dataset.ts, TRAIN_ONLY_SOURCES: rows off the checked domain, e.g. AlpacaEval's chat
 * instructions) help on the sources the issue-11 check resembles? The shipped intent and complexity
 * settings under `npm run eval`'s cross-validation (intentCrossValidation, complexityCrossValidation),
 * once without the source and once with its rows added to every training set and never scored; the
 * folds of the scored rows are the same in both. Prints pooled 5-fold figures per source (and on the
 * rows both annotators agree on) and the grouped-by-source figures beside, then the verdict of the
 * criterion fixed in data/train/alpacaeval.CRITERION.md before the rows were labeled.
 * Labeled training sources only; no evaluation set is read.
 */
import { INTENTS } from "../lib/nlp/features";
import { loadAllLabeled, loadTrainOnly, TRAIN_ONLY_SOURCES, type TrainOnlySource } from "./dataset";
import { complexityCrossValidation, complexRecall, type ComplexityCv } from "./eval/complexity";
import { agreedFigures, intentCrossValidation, type IntentCv } from "./eval/intent";

const argv = process.argv.slice(2);
const seedArg = argv.find(a => a.startsWith("--seeds="));
const SEEDS = seedArg ? seedArg.slice("--seeds=".length).split(",").map(Number) : [42, 7];
const source = (argv.find(a => !a.startsWith("--")) ?? "alpacaeval") as TrainOnlySource;
if (!TRAIN_ONLY_SOURCES.includes(source)) throw new Error(`${source} is not a train-only source (${TRAIN_ONLY_SOURCES.join(", ")})`);

/** The criterion's thresholds (data/train/alpacaeval.CRITERION.md). */
export const CRITERION = { minCodechatGain: 0.01, maxPooledLoss: 0.005, maxMacroF1Loss: 0.005, complexRecallFloor: 0.05 };

const f3 = (x: number) => x.toFixed(3);
const sgn = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(3)}`;
const rows = loadAllLabeled();
const extra = loadTrainOnly([source]);
console.log(`${rows.length} scored rows; train-only ${source}: ${extra.length} rows; fold seeds ${SEEDS.join(", ")}`);

function intentLine(name: string, cv: IntentCv): Record<string, number> {
	const agreed = agreedFigures(rows, cv.pooled.oof);
	const bySrc = Object.entries(cv.pooled.bySource).map(([s, f]) => `${s} ${f3(f.accuracy)} (F1 ${f3(f.macroF1)})`);
	const grouped = Object.entries(cv.grouped.bySource).map(([s, f]) => `${s} ${f3(f.accuracy)}`);
	const agreedBy = agreed ? Object.entries(agreed.bySource).map(([s, f]) => `${s} ${f3(f.accuracy)}`) : [];
	console.log(`  ${name}`);
	console.log(`    pooled: all ${f3(cv.pooled.all.accuracy)} (F1 ${f3(cv.pooled.all.macroF1)}, ECE ${f3(cv.pooled.all.ece)}); ${bySrc.join(", ")}`);
	if (agreed) console.log(`    pooled, agreed rows: all ${f3(agreed.all.accuracy)}; ${agreedBy.join(", ")}`);
	console.log(`    grouped by source (held out): all ${f3(cv.grouped.all.accuracy)}; ${grouped.join(", ")}`);
	if (argv.includes("--confusion")) {
		const m = cv.pooled.bySource.codechat.confusion;
		const cells = INTENTS.flatMap((t, i) => INTENTS.map((p, j) => (i !== j && m[i][j] ? `${t}->${p} ${m[i][j]}` : ""))).filter(Boolean);
		console.log(`    pooled codechat errors (truth->predicted): ${cells.join(", ")}`);
	}
	return { codechat: cv.pooled.bySource.codechat.accuracy, pooled: cv.pooled.all.accuracy };
}

function complexityLine(name: string, cv: ComplexityCv): Record<string, number> {
	const bySrc = Object.entries(cv.pooledBySource).map(([s, f]) => `${s} ${f3(f.accuracy)} (F1 ${f3(f.macroF1)})`);
	const grouped = Object.entries(cv.bySource).map(([s, f]) => `${s} ${f3(f.accuracy)} (F1 ${f3(f.macroF1)})`);
	const recall = complexRecall(cv.pooled.confusion);
	console.log(`  ${name}`);
	console.log(`    pooled: all ${f3(cv.pooled.accuracy)} (F1 ${f3(cv.pooled.macroF1)}, complex recall ${f3(recall)}); ${bySrc.join(", ")}`);
	if (cv.agreed) console.log(`    pooled, agreed rows: all ${f3(cv.agreed.pooled.all.accuracy)}; hidden-check mix ${f3(cv.agreed.pooled.hiddenMix)}`);
	console.log(`    grouped by source (held out): all ${f3(cv.bySourceAll.accuracy)}; ${grouped.join(", ")}`);
	return {
		codechat: cv.pooledBySource.codechat.accuracy,
		codechatF1: cv.pooledBySource.codechat.macroF1,
		pooled: cv.pooled.accuracy,
		recall,
	};
}

const verdicts: Record<string, boolean[]> = { intent: [], complexity: [] };
for (const seed of SEEDS) {
	let t0 = Date.now();
	console.log(`\n== intent, fold seed ${seed}`);
	const ib = intentLine("without", intentCrossValidation(rows, {}, 5, seed));
	const iw = intentLine(`with ${source}`, intentCrossValidation(rows, {}, 5, seed, extra));
	const ipass = iw.codechat - ib.codechat >= CRITERION.minCodechatGain - 1e-9 && ib.pooled - iw.pooled <= CRITERION.maxPooledLoss + 1e-9;
	console.log(
		`  codechat ${sgn(iw.codechat - ib.codechat)} (need >= +${CRITERION.minCodechatGain}), pooled ${sgn(iw.pooled - ib.pooled)} (need >= -${CRITERION.maxPooledLoss}): ${ipass ? "pass" : "FAIL"}  (${Math.round((Date.now() - t0) / 1000)} s)`,
	);
	verdicts.intent.push(ipass);
	if (argv.includes("--skip-complexity")) continue;
	t0 = Date.now();
	console.log(`\n== complexity, fold seed ${seed}`);
	const cb = complexityLine("without", complexityCrossValidation(rows, undefined, 5, seed));
	const cw = complexityLine(`with ${source}`, complexityCrossValidation(rows, undefined, 5, seed, extra));
	const cpass =
		cw.codechat - cb.codechat >= CRITERION.minCodechatGain - 1e-9 &&
		cb.codechatF1 - cw.codechatF1 <= CRITERION.maxMacroF1Loss + 1e-9 &&
		cb.pooled - cw.pooled <= CRITERION.maxPooledLoss + 1e-9 &&
		cw.recall >= cb.recall - CRITERION.complexRecallFloor - 1e-9;
	console.log(
		`  codechat ${sgn(cw.codechat - cb.codechat)} (need >= +${CRITERION.minCodechatGain}), codechat F1 ${sgn(cw.codechatF1 - cb.codechatF1)} (need >= -${CRITERION.maxMacroF1Loss}), pooled ${sgn(cw.pooled - cb.pooled)} (need >= -${CRITERION.maxPooledLoss}), complex recall ${sgn(cw.recall - cb.recall)} (need >= -${CRITERION.complexRecallFloor}): ${cpass ? "pass" : "FAIL"}  (${Math.round((Date.now() - t0) / 1000)} s)`,
	);
	verdicts.complexity.push(cpass);
}
for (const [task, v] of Object.entries(verdicts))
	if (v.length)
		console.log(
			`\n${task}: ${v.length === SEEDS.length && v.every(Boolean) ? "SHIPS" : "does not ship"} (${v.map((p, i) => `seed ${SEEDS[i]} ${p ? "pass" : "fail"}`).join(", ")})`,
		);
