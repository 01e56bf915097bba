/**
 * `npm run eval:domain-howto [-- <fold seed>] [-- --grouped]`: the harness of
 * data/train/domain-howto.CRITERION.md. A programming-domain score (Stack Overflow titles vs NL2Bash
 * lines, no intent labels; cross-fitted per fold) crossed with the how-to form, against the shipped
 * intent training, pooled stratified 5-fold at the seed (as `npm run eval` draws folds) or grouped by
 * source; argmax accuracy per source and on CodeChat's how-tos. It failed (seed 7) and did not ship.
 */
import { INTENT_DENSE, INTENT_TRAINING } from "../services/intent/model";
import { loadAllLabeled, loadTrainOnly, INTENT_TRAIN_ONLY, SOURCES, type Source, type TrainOnlySource } from "./dataset";
import { extractAll, fitOn, pooledFolds } from "./eval/intent";
import { predictProba, trainLogReg } from "../lib/nlp/logreg";
import { INTENTS } from "../lib/nlp/features";
import { askForm, askOf } from "../services/intent/features";
import { embeddingTokens, meanVector, shippedEmbeddings } from "../lib/nlp/embeddings";
import { cueHits } from "../lib/nlp/cues";
import { normalize } from "../lib/nlp/text";
import { numberList, scriptArgs } from "./cli-args";

/** The domain features are scaled like the other shape features. */
const SHAPE = INTENT_DENSE.shapeWeight;
const emb = shippedEmbeddings()!;
const rows = loadAllLabeled();
const extra = loadTrainOnly(Object.keys(INTENT_TRAIN_ONLY) as TrainOnlySource[]);
const both = [...rows, ...extra];
const so = loadTrainOnly(["stackoverflow"]);
const base = extractAll(both);
const askVec = (ask: string) => {
	const v = new Float32Array(emb.dims);
	meanVector(emb, embeddingTokens(ask, 60), v);
	return new Map([...v].map((x, i) => [`g:${i}`, x] as [string, number]));
};
const shapes = both.map(r => askOf(r.request));
const bothVec = shapes.map(a => askVec(a.ask));
const soVec = so.map(r => askVec(askOf(r.request).ask));
const howto = shapes.map(a => askForm(a) === "howto");
const cues = shapes.map((a, i) => (howto[i] ? [...cueHits(normalize(a.ask), "clausal")].map(([intent]) => intent) : []));

function domainScores(nlTrain: number[]): number[] {
	const xs = [...soVec, ...nlTrain.map(i => bothVec[i])];
	const ys = [...soVec.map(() => 1), ...nlTrain.map(() => 0)];
	const m = trainLogReg(xs, ys, ["shell", "code"], INTENT_TRAINING);
	return bothVec.map(v => predictProba(m, v)[1]);
}

function withDomain(i: number, d: number): Map<string, number> {
	const m = new Map(base[i]);
	const c = (d - 0.5) * SHAPE;
	m.set("dom", c);
	if (howto[i]) {
		m.set("dom:howto", c);
		for (const intent of cues[i]) m.set(`dom:howto:cue:${intent}`, c);
	}
	return m;
}

function run(folds: number[], nFolds: number) {
	const out: Record<string, number[]> = { base: new Array(rows.length), domain: new Array(rows.length) };
	const extraIdx = extra.map((_, j) => rows.length + j);
	for (let f = 0; f < nFolds; f++) {
		const train = [...rows.map((_, i) => i).filter(i => folds[i] !== f), ...extraIdx];
		const nl = train.filter(i => (both[i].source ?? "dev") === "nl2bash");
		const d = domainScores(nl);
		for (const [name, fx] of [
			["base", (i: number) => base[i]],
			["domain", (i: number) => withDomain(i, d[i])],
		] as const) {
			const xs = both.map((_, i) => fx(i));
			const m = fitOn(xs, both, train, { sourceWeights: { ...INTENT_TRAIN_ONLY } });
			rows.forEach((_, i) => {
				if (folds[i] !== f) return;
				const p = predictProba(m.logreg, xs[i]);
				out[name][i] = p.indexOf(Math.max(...p));
			});
		}
	}
	return out;
}
const acc = (pred: number[], src?: string, filt?: (i: number) => boolean) => {
	const idx = rows.map((_, i) => i).filter(i => (!src || (rows[i].source ?? "dev") === src) && (!filt || filt(i)));
	return idx.filter(i => INTENTS[pred[i]] === rows[i].intent).length / idx.length;
};
const line = (label: string, o: Record<string, number[]>) => {
	for (const k of ["base", "domain"]) {
		const p = o[k];
		console.log(
			`${label.padEnd(18)} ${k.padEnd(7)} all ${acc(p).toFixed(3)} dev ${acc(p, "dev").toFixed(3)} codechat ${acc(p, "codechat").toFixed(3)} nl2bash ${acc(p, "nl2bash").toFixed(3)}  codechat how-tos ${acc(p, "codechat", i => howto[i]).toFixed(3)} (n ${rows.filter((r, i) => r.source === "codechat" && howto[i]).length})`,
		);
	}
	console.log(
		`${label.padEnd(18)} diff    all ${(acc(o.domain) - acc(o.base)).toFixed(4)} codechat ${(acc(o.domain, "codechat") - acc(o.base, "codechat")).toFixed(4)}`,
	);
};
const USAGE = "npm run eval:domain-howto [-- <fold seed>] [-- --grouped]\n  The domain-howto criterion's harness (data/train/domain-howto.CRITERION.md).";
const { values: ARGS, positionals } = scriptArgs(USAGE, { grouped: { type: "boolean" } }, { positionals: true });
const seed = positionals[0] !== undefined ? numberList(positionals[0], "seed", USAGE, Number.isInteger)[0] : 42;
if (ARGS.grouped)
	line(
		"grouped",
		run(
			rows.map(r => SOURCES.indexOf((r.source ?? "dev") as Source)),
			SOURCES.length,
		),
	);
else line(`pooled seed ${seed}`, run(pooledFolds(rows, 5, seed), 5));
