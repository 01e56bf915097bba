/**
 * `npx tsx scripts/intent-capacity.ts <variant> [--seeds=42,7] [--errors=codechat] [--cpu=<variant>]`: issue-11 intent candidates of session 6
 * (docs/decisions.md, "Intent version 8.5 trial"), under `npm run eval`'s cross-validation
 * (intentCrossValidation with the shipped train-only rows, INTENT_TRAIN_ONLY). Each run writes its
 * out-of-fold probabilities to `--cache=<dir>` (default /tmp/intent-capacity) so the post-hoc candidates
 * and the error listing read them without refitting. Labeled training sources only; no evaluation
 * set is read.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "fs";
import { join } from "path";
import { INTENTS } from "../lib/nlp/features";
import { loadModelFile } from "../lib/nlp/model-file";
import { INTENT_DENSE, predictIntent, trainIntentModel, type IntentModel, type LabeledRequest } from "../services/intent/model";
import type { DenseOptions } from "../services/intent/features";
import { INTENT_TRAIN_ONLY, loadAllLabeled, loadTrainOnly, type TrainOnlySource } from "./dataset";
import { applyStack, fitStack, stackFlags } from "../services/intent/stack";
import { agreedFigures, figures, intentCrossValidation, type OutOfFold } from "./eval/intent";

export const CAPACITY_VARIANTS: Record<string, DenseOptions> = {
	base: INTENT_DENSE,
	"form-ask": { ...INTENT_DENSE, formAsk: 1 },
	tail: { ...INTENT_DENSE, tail: 1 },
	"form-ask-tail": { ...INTENT_DENSE, formAsk: 1, tail: 1 },
};

const argv = process.argv.slice(2);
const seedArg = argv.find(a => a.startsWith("--seeds="));
const SEEDS = seedArg ? seedArg.slice(8).split(",").map(Number) : [42, 7];
const cacheArg = argv.find(a => a.startsWith("--cache="));
const CACHE = cacheArg ? cacheArg.slice("--cache=".length) : "/tmp/intent-capacity";
const f3 = (x: number) => x.toFixed(3);
const rows = loadAllLabeled();
const sourceWeights = { ...INTENT_TRAIN_ONLY };
const trainOnly = loadTrainOnly(Object.keys(sourceWeights) as TrainOnlySource[]);

interface Cached {
	pooled: OutOfFold;
	grouped: OutOfFold;
}

/** `<variant>+stack`: the stack (services/intent/stack.ts) over a variant's out-of-fold rows, cross-fitted. */
const STACKED = "+stack";

function run(name: string, seed: number): Cached {
	if (name.endsWith(STACKED)) {
		const c = run(name.slice(0, -STACKED.length), seed);
		return { pooled: stacked(c.pooled), grouped: stacked(c.grouped) };
	}
	const file = join(CACHE, `${name}-${seed}.json`);
	if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Cached;
	const dense = CAPACITY_VARIANTS[name];
	if (!dense) throw new Error(`no variant ${name}`);
	const t0 = process.cpuUsage();
	const cv = intentCrossValidation(rows, { dense, sourceWeights }, 5, seed, trainOnly);
	const c = process.cpuUsage(t0);
	console.log(`  ${name} seed ${seed}: ${Math.round((c.user + c.system) / 1e6)} s CPU`);
	const out = { pooled: cv.pooled.oof, grouped: cv.groupedOof };
	mkdirSync(CACHE, { recursive: true });
	writeFileSync(file, JSON.stringify(out));
	return out;
}

/** Each fold's rows scored by a stack fitted on the other folds' out-of-fold raw probabilities. */
function stacked(oof: OutOfFold): OutOfFold {
	const flags = rows.map(r => stackFlags(r.request));
	const truth = rows.map(r => INTENTS.indexOf(r.intent));
	const probs = new Array<number[]>(rows.length);
	for (const name of new Set(oof.fold)) {
		const train = rows.map((_, i) => i).filter(i => oof.fold[i] !== name);
		const stack = fitStack(
			train.map(i => oof.raw[i]),
			train.map(i => flags[i]),
			train.map(i => truth[i]),
		);
		if (seedLog) console.log(`  stack for fold ${name}: ${JSON.stringify(stack)}`);
		rows.forEach((_, i) => {
			if (oof.fold[i] === name) probs[i] = applyStack(stack, oof.raw[i], flags[i]);
		});
	}
	return { probs, raw: probs, fold: oof.fold };
}
const seedLog = argv.includes("--verbose");

export function summary(rs: LabeledRequest[], c: Cached): Record<string, number> {
	const src = (s: string) => rs.map((r, i) => ((r.source ?? "dev") === s ? i : -1)).filter(i => i >= 0);
	const acc = (oof: OutOfFold, idx: number[]) =>
		figures(
			idx.map(i => rs[i]),
			idx.map(i => oof.probs[i]),
			idx.map(i => oof.raw[i]),
		);
	const all = rs.map((_, i) => i);
	const a = agreedFigures(rs, c.pooled);
	return {
		pooled: acc(c.pooled, all).accuracy,
		ece: acc(c.pooled, all).ece,
		codechat: acc(c.pooled, src("codechat")).accuracy,
		nl2bash: acc(c.pooled, src("nl2bash")).accuracy,
		dev: acc(c.pooled, src("dev")).accuracy,
		agreedCodechat: a?.bySource.codechat.accuracy ?? NaN,
		agreedNl2bash: a?.bySource.nl2bash.accuracy ?? NaN,
		grouped: acc(c.grouped, all).accuracy,
		groupedEce: acc(c.grouped, all).ece,
	};
}

const print = (name: string, seed: number, s: Record<string, number>) =>
	console.log(
		`${name} seed ${seed}: ${Object.entries(s)
			.map(([k, v]) => `${k} ${f3(v)}`)
			.join(", ")}`,
	);

const argmax = (p: number[]) => p.reduce((b, x, k) => (x > p[b] ? k : b), 0);

/** Out-of-fold errors (truth -> predicted) with the whole request, on agreed rows of a source. */
function printErrors(c: Cached, source: string, limit: number): void {
	rows.forEach((r, i) => {
		if ((r.source ?? "dev") !== source || r.intent2 !== r.intent) return;
		const p = INTENTS[argmax(c.pooled.probs[i])];
		if (p === r.intent) return;
		console.log(`--- ${r.id} ${r.intent} -> ${p} (${f3(Math.max(...c.pooled.probs[i]))})\n${r.request.slice(0, limit)}`);
	});
}

/** `--cpu=<variant>`: CPU per request of predictIntent, the shipped model against one trained with the variant, interleaved. */
function timeVariant(name: string): void {
	const shipped = loadModelFile<IntentModel>(join(__dirname, "../services/intent/model.json"), "intent-logreg");
	const variant = { ...trainIntentModel([...rows, ...trainOnly], { dense: CAPACITY_VARIANTS[name], sourceWeights }), temperature: 1 };
	const times: [number[], number[]] = [[], []];
	for (let round = 0; round < 3; round++)
		for (const r of rows)
			[shipped, variant].forEach((m, j) => {
				const t = process.cpuUsage();
				predictIntent(m, r.request, r.context);
				const d = process.cpuUsage(t);
				times[j].push(d.user + d.system);
			});
	const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))];
	[`shipped 8.4`, name].forEach((n, j) => console.log(`${n}: intent CPU p50 ${q(times[j], 0.5)} µs, p90 ${q(times[j], 0.9)} µs (${times[j].length} calls)`));
}
const cpuArg = argv.find(a => a.startsWith("--cpu="));
if (cpuArg) timeVariant(cpuArg.slice(6));

const names = argv.filter(a => !a.startsWith("--"));
for (const name of names.length ? names : cpuArg ? [] : ["base"]) {
	for (const seed of SEEDS) {
		const c = run(name, seed);
		print(name, seed, summary(rows, c));
		const err = argv.find(a => a.startsWith("--errors="));
		if (err && seed === SEEDS[0]) printErrors(c, err.slice(9), 600);
	}
}
