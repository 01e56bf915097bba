/**
 * `npm run eval [-- --json] [-- --errors]`: cross-validated intent and complexity figures on
 * data/train/, routing quality (APGR, CPT) of `complexity_score` on RouteLLM's
 * evaluation data, Spearman against SWE-bench time-to-fix and MATH-500's difficulty level,
 * intent accuracy re-weighted to a realistic mix of intents (data/intent-mix/), and per-request
 * latency. With --json the last stdout line is one JSON object; --errors
 * lists the out-of-fold misclassified requests of the seed-42 CV.
 * Public data is read from DATA_DIR (default ../shared/data) and only for
 * evaluation; when a folder is missing that part is skipped with a note.
 */
import { existsSync, readFileSync } from "fs";
import { resolve } from "path";
import { spearman } from "../lib/nlp/evaluation";
import { scoreComplexity, DEFAULT_COMPLEXITY_THRESHOLDS } from "../services/complexity/scorer";
import { classifyIntent } from "../services/intent/classifier";
import { crossValidate, repeatedCrossValidate, type CrossValidation, type RepeatedCrossValidation } from "./crossval";
import { loadAllLabeled, loadLabeledRequests } from "./dataset";
import { complexityCrossValidation, printComplexityCv, printComplexityLatency } from "./eval/complexity";
import { RANKINGS } from "./eval/ranking";
import { intentReport, routeReport } from "./eval/intent-report";
import { defaultServices } from "./eval/tools";
import { loadGsm8k, loadMath500, loadMmlu, loadMtBench, loadSweBench, MissingData, type BenchmarkPrompt } from "./eval/benchmarks";
import { agreedFigures } from "./eval/intent";
import { intentMixReport, loadIntentMix } from "./eval/intent-mix";
import { math500Agreement, printMath500, type Math500Figures } from "./eval/math500";
import { PUBLISHED, TARGETS, type PublishedRow } from "./eval/published";
import { routingMetrics, type RoutingMetrics } from "./eval/routing";
import { DATA_DIR } from "./data-dir";
import { scriptArgs } from "./cli-args";

const USAGE = `npm run eval [-- --json] [-- --errors]
  --json    the last stdout line is one JSON object of every figure
  --errors  list the out-of-fold misclassified requests of the seed-42 cross-validation
Public data is read from DATA_DIR (default ../shared/data); a missing folder's part is skipped with a note.`;
const ARGS = scriptArgs(USAGE, { json: { type: "boolean" }, errors: { type: "boolean" } }).values;

const BENCHMARKS = { mt_bench: loadMtBench, gsm8k: loadGsm8k, mmlu: loadMmlu } as const;
type BenchmarkName = keyof typeof BENCHMARKS;

interface RoutingResult {
	name: BenchmarkName;
	n: number;
	ours: Omit<RoutingMetrics, "curve" | "n"> & { curve: { strongShare: number; pgr: number }[] };
	/** Rankings by one ingredient, to show what each contributes. */
	ablations: Record<string, { apgr: number; cpt50: number; cpt80: number }>;
	target: number;
	published: PublishedRow[];
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

/** Other rankings beside strong_need: baselines and ingredients (scripts/eval/ranking.ts). */
const ABLATIONS = RANKINGS;

function summary(m: RoutingMetrics): { apgr: number; cpt50: number; cpt80: number } {
	return { apgr: round(m.apgr), cpt50: round(m.cpt50), cpt80: round(m.cpt80) };
}

function routeBenchmark(name: BenchmarkName, prompts: BenchmarkPrompt[]): RoutingResult {
	const ranked = (score: (p: string) => number) => routingMetrics(prompts.map(p => ({ score: score(p.prompt), strong: p.strong, weak: p.weak })));
	const ours = ranked(p => scoreComplexity(p).strong_need);
	return {
		name,
		n: prompts.length,
		ours: {
			strongQuality: round(ours.strongQuality),
			weakQuality: round(ours.weakQuality),
			...summary(ours),
			curve: ours.curve.map(p => ({ strongShare: round(p.strongShare), pgr: round(p.pgr) })),
		},
		ablations: Object.fromEntries(Object.entries(ABLATIONS).map(([label, score]) => [label, summary(ranked(score))])),
		target: TARGETS.apgr[name],
		published: PUBLISHED[name],
	};
}

function skipped(err: unknown): { skipped: string } {
	if (err instanceof MissingData) {
		return { skipped: err.note };
	}
	throw err;
}

interface Latency {
	/** CPU time (user + system) per request, averaged over all timed calls. */
	cpuMicrosPerRequest: number;
	/** Median CPU time of one call (process.cpuUsage around each call, µs resolution). */
	cpuP50Micros: number;
	/** Wall-clock percentiles per request; inflated when the machine is busy. */
	wallP50Micros: number;
	wallP99Micros: number;
	n: number;
}

/** Cost of classifyIntent + scoreComplexity per request, after a warm-up pass. */
function latency(requests: { request: string; context?: Record<string, unknown> }[]): Latency {
	const both = (r: { request: string; context?: Record<string, unknown> }) => {
		classifyIntent(r.request, r.context);
		scoreComplexity(r.request, r.context);
	};
	requests.forEach(both);
	const times: number[] = [];
	const cpuTimes: number[] = [];
	const cpu0 = process.cpuUsage();
	for (let rep = 0; rep < 5; rep++) {
		for (const r of requests) {
			const c0 = process.cpuUsage();
			const t0 = process.hrtime.bigint();
			both(r);
			times.push(Number(process.hrtime.bigint() - t0) / 1000);
			const c = process.cpuUsage(c0);
			cpuTimes.push(c.user + c.system);
		}
	}
	const cpu = process.cpuUsage(cpu0);
	times.sort((a, b) => a - b);
	cpuTimes.sort((a, b) => a - b);
	return {
		cpuMicrosPerRequest: round((cpu.user + cpu.system) / times.length, 1),
		cpuP50Micros: cpuTimes[Math.floor(cpuTimes.length * 0.5)],
		wallP50Micros: round(times[Math.floor(times.length * 0.5)], 1),
		wallP99Micros: round(times[Math.floor(times.length * 0.99)], 1),
		n: times.length,
	};
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const f3 = (x: number) => x.toFixed(3);

function printCv(cv: CrossValidation): void {
	console.log(
		`\n== Complexity (and intent trained on dev alone): cross-validation on data/train/requests-dev.jsonl (${cv.n} requests, stratified ${cv.folds}-fold, seed ${cv.seed}) ==`,
	);
	console.log(`intent      accuracy ${f3(cv.intent.accuracy)}  macro-F1 ${f3(cv.intent.macroF1)}   (target accuracy >= ${TARGETS.intentAccuracy})`);
	console.log(
		`complexity  accuracy ${f3(cv.complexity.accuracy)}  macro-F1 ${f3(cv.complexity.macroF1)}  Spearman(score, tier) ${f3(cv.complexity.spearman)}   (target accuracy >= ${TARGETS.complexityAccuracy})`,
	);
	for (const [title, block] of [
		["intent", cv.intent],
		["complexity", cv.complexity],
	] as const) {
		console.log(`\n${title} confusion (rows = truth, columns = predicted)`);
		console.log(["".padEnd(9), ...block.classes.map(c => c.padStart(9))].join(""));
		block.confusion.forEach((row, i) => console.log([block.classes[i].padEnd(9), ...row.map(v => String(v).padStart(9))].join("")));
	}
}

function printErrors(cv: CrossValidation): void {
	console.log(`\nout-of-fold errors (${cv.errors.length}; truth -> predicted)`);
	for (const e of cv.errors) console.log(`${e.kind.padEnd(11)}${e.id}  ${e.truth} -> ${e.predicted}  ${e.request.replace(/\s+/g, " ").slice(0, 160)}`);
}

const PROBE_FILE = resolve(__dirname, "..", "data", "probe", "intent-probe.jsonl");

/** The shipped classifier on the hand-written probe requests (data/probe/README.md). */
function intentProbe(): { n: number; correct: number } | undefined {
	if (!existsSync(PROBE_FILE)) return undefined;
	const rows = readFileSync(PROBE_FILE, "utf8")
		.split("\n")
		.filter(l => l.trim())
		.map(l => JSON.parse(l) as { request: string; intent: string });
	return { n: rows.length, correct: rows.filter(r => classifyIntent(r.request).intent === r.intent).length };
}

function printRepeated(rep: RepeatedCrossValidation): void {
	console.log(`\nrepeated stratified ${rep.folds}-fold CV, seeds ${rep.seeds.join(", ")} (mean; per seed)`);
	for (const task of ["intent", "complexity"] as const) {
		const r = rep[task];
		console.log(`${task.padEnd(11)} accuracy ${f3(r.meanAccuracy)}  macro-F1 ${f3(r.meanMacroF1)}   (${r.accuracy.map(f3).join(" ")})`);
	}
}

function printRouting(r: RoutingResult): void {
	console.log(`\n-- ${r.name} (${r.n} prompts; strong quality ${f3(r.ours.strongQuality)}, weak ${f3(r.ours.weakQuality)}) --`);
	console.log(`${"router".padEnd(64)}${"APGR".padStart(8)}${"CPT(50%)".padStart(10)}${"CPT(80%)".padStart(10)}`);
	const line = (name: string, m: { apgr: number; cpt50: number; cpt80: number }) =>
		console.log(`${name.padEnd(64)}${f3(m.apgr).padStart(8)}${pct(m.cpt50).padStart(10)}${pct(m.cpt80).padStart(10)}`);
	line(`strong_need (ours; target APGR >= ${r.target})`, r.ours);
	for (const [label, m] of Object.entries(r.ablations)) line(label, m);
	for (const p of r.published) line(p.router, p);
}

function roundRepeated(rep: RepeatedCrossValidation): RepeatedCrossValidation {
	const r = (t: RepeatedCrossValidation["intent"]) => ({
		accuracy: t.accuracy.map(a => round(a)),
		meanAccuracy: round(t.meanAccuracy),
		meanMacroF1: round(t.meanMacroF1),
	});
	return { ...rep, intent: r(rep.intent), complexity: r(rep.complexity) };
}

async function main(): Promise<void> {
	const json = !!ARGS.json;
	const labeled = loadAllLabeled();
	// 1. Intent (scripts/eval/intent-report.ts): grouped-by-source and pooled CV, calibration.
	const intent = intentReport(labeled, !!ARGS.errors);
	// 2. Zero-token tool routes on the labeled real text (scripts/eval/routes.ts).
	const routes = routeReport(labeled, await defaultServices(), intent.cv);
	// The same out-of-fold intent predictions, re-weighted to a realistic mix (scripts/eval/intent-mix.ts).
	const agreedPooled = agreedFigures(labeled, intent.cv.pooled.oof);
	const agreedGrouped = agreedFigures(labeled, intent.cv.groupedOof);
	const intentMix = intentMixReport(
		{
			"grouped by source, all held out": intent.cv.grouped.all,
			[`pooled ${intent.cv.pooled.folds}-fold, all`]: intent.cv.pooled.all,
			...(agreedPooled && agreedGrouped
				? { "agreed rows, grouped held out": agreedGrouped.all, [`agreed rows, pooled ${intent.cv.pooled.folds}-fold`]: agreedPooled.all }
				: {}),
		},
		loadIntentMix(),
	);

	// 3. Complexity. The dev-only CV below covers both tasks as before; complexity figures on the
	// real labels (grouped by source) and the RouteLLM ranking belong to scripts/eval/ modules of
	// their own, added here beside this one.
	const rows = loadLabeledRequests();
	const cv = crossValidate(rows);
	printCv(cv);
	if (ARGS.errors) printErrors(cv);
	const repeated = repeatedCrossValidate(rows);
	printRepeated(repeated);
	const complexityCv = complexityCrossValidation(loadAllLabeled());
	printComplexityCv(complexityCv);
	const probe = intentProbe();
	if (probe)
		console.log(
			`\nshipped intent model on the hand-written probe (data/probe/, not dev data): ${probe.correct}/${probe.n} = ${f3(probe.correct / probe.n)}`,
		);

	const routing: Record<string, RoutingResult | { skipped: string }> = {};
	console.log(`\n== Routing on RouteLLM evaluation data (DATA_DIR=${DATA_DIR}); top-scored share goes to the strong model ==`);
	for (const name of Object.keys(BENCHMARKS) as BenchmarkName[]) {
		try {
			const r = routeBenchmark(name, BENCHMARKS[name](DATA_DIR));
			routing[name] = r;
			printRouting(r);
		} catch (err) {
			routing[name] = skipped(err);
			console.log(`\n-- ${name}: skipped, ${(routing[name] as { skipped: string }).skipped}`);
		}
	}

	let swebench: { n: number; spearman: number } | { skipped: string };
	try {
		const issues = loadSweBench(DATA_DIR);
		swebench = {
			n: issues.length,
			spearman: round(
				spearman(
					issues.map(i => scoreComplexity(i.problem).score),
					issues.map(i => i.bucket),
				),
			),
		};
		console.log(`\n== SWE-bench time-to-fix: Spearman(complexity_score, bucket) = ${f3(swebench.spearman)} over ${swebench.n} issues ==`);
	} catch (err) {
		swebench = skipped(err);
		console.log(`\n== SWE-bench: skipped, ${swebench.skipped} ==`);
	}

	let math500: Math500Figures | { skipped: string };
	try {
		math500 = math500Agreement(loadMath500(DATA_DIR));
		printMath500(math500, resolve(DATA_DIR, "math500_levels"));
	} catch (err) {
		math500 = skipped(err);
		console.log(`\n== MATH-500: skipped, ${math500.skipped} ==`);
	}

	const complexityLatency = printComplexityLatency(loadAllLabeled());
	const timing = latency(labeled);
	console.log(
		`\n== Latency of classifyIntent + scoreComplexity per request (${timing.n} calls over every labeled request): CPU p50 ${timing.cpuP50Micros} µs (target <= 1000), mean ${timing.cpuMicrosPerRequest} µs; wall p50 ${timing.wallP50Micros} µs, p99 ${timing.wallP99Micros} µs ==`,
	);
	console.log(`thresholds: ${JSON.stringify(DEFAULT_COMPLEXITY_THRESHOLDS)}`);

	if (json) {
		const { errors, ...cvFigures } = cv;
		console.log(
			JSON.stringify({
				intent: intent.json,
				toolRoutes: routes,
				crossValidation: {
					...cvFigures,
					intent: { ...cv.intent, accuracy: round(cv.intent.accuracy), macroF1: round(cv.intent.macroF1) },
					complexity: {
						...cv.complexity,
						accuracy: round(cv.complexity.accuracy),
						macroF1: round(cv.complexity.macroF1),
						spearman: round(cv.complexity.spearman),
					},
					misclassified: errors.length,
				},
				repeatedCrossValidation: roundRepeated(repeated),
				complexityCv,
				intentProbe: probe,
				routing,
				swebench,
				math500,
				intentMix,
				latency: timing,
				complexityLatency,
				thresholds: DEFAULT_COMPLEXITY_THRESHOLDS,
			}),
		);
	}
}

main().catch(err => {
	console.error(err instanceof Error ? err.message : err);
	process.exit(1);
});
