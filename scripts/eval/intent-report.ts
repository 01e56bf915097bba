/**
 * The intent and tool-route sections of `npm run eval`: tables on stdout and a JSON-ready summary.
 * Out-of-sample figures (grouped-by-source and pooled cross-validation) are printed beside the
 * in-sample figures of the shipped models, which were trained on every one of these labels.
 */
import { INTENTS } from "../../lib/nlp/features";
import { classifyIntent } from "../../services/intent/classifier";
import type { LabeledRequest } from "../../services/intent/model";
import type { LiveMcpService } from "../../services/router/route";
import { ZERO_TOKEN_GATE } from "../../services/router/route";
import { INTENT_TRAIN_ONLY, loadTrainOnly, type TrainOnlySource } from "../dataset";
import { agreedFigures, intentCrossValidation, type ClassFigures, type IntentCv } from "./intent";
import { holdoutEvaluation, routeEvaluation, type RouteFigures } from "./routes";

export const INTENT_TARGET = 0.9;
export const ROUTE_TARGETS = { precision: 0.97, recall: 0.6 };

const f3 = (x: number) => x.toFixed(3);
const round = (x: number) => Math.round(x * 1e4) / 1e4;

function row(name: string, f: ClassFigures): string {
	return `${name.padEnd(44)}${String(f.n).padStart(6)}${f3(f.accuracy).padStart(10)}${f3(f.macroF1).padStart(10)}${f3(f.ece).padStart(8)}${f3(f.eceRaw).padStart(10)}`;
}

function confusion(title: string, m: number[][]): void {
	console.log(`\n${title} (rows = truth, columns = predicted)`);
	console.log(["".padEnd(9), ...INTENTS.map(c => c.padStart(9))].join(""));
	m.forEach((r, i) => console.log([INTENTS[i].padEnd(9), ...r.map(v => String(v).padStart(9))].join("")));
}

const brief = (f: ClassFigures) => ({
	n: f.n,
	accuracy: round(f.accuracy),
	macroF1: round(f.macroF1),
	ece: round(f.ece),
	eceRaw: round(f.eceRaw),
	confusion: f.confusion,
});

export function intentReport(rows: LabeledRequest[], errors: boolean): { cv: IntentCv; json: Record<string, unknown> } {
	const sources = [...new Set(rows.map(r => r.source ?? "dev"))];
	console.log(
		`\n== Intent on every labeled request (${rows.length}: ${sources.map(s => `${s} ${rows.filter(r => (r.source ?? "dev") === s).length}`).join(", ")}) ==`,
	);
	// The shipped training: the train-only rows (INTENT_TRAIN_ONLY) join every training set at their weight, never scored.
	const sourceWeights = { ...INTENT_TRAIN_ONLY };
	const trainOnly = loadTrainOnly(Object.keys(sourceWeights) as TrainOnlySource[]);
	const cv = intentCrossValidation(rows, { sourceWeights }, 5, 42, trainOnly);
	if (trainOnly.length)
		console.log(
			`every training set also holds ${trainOnly.length} train-only rows, never scored (${Object.entries(sourceWeights)
				.map(([s, w]) => `${s} at weight ${w}`)
				.join(", ")}; data/train/alpacaeval.README.md)`,
		);
	const inSample = rows.filter(r => classifyIntent(r.request, r.context).intent === r.intent).length / rows.length;
	console.log(`${"figure".padEnd(44)}${"n".padStart(6)}${"accuracy".padStart(10)}${"macro-F1".padStart(10)}${"ECE".padStart(8)}${"ECE raw".padStart(10)}`);
	console.log("grouped by source: train on the others, test on one (out-of-sample, unseen wording)");
	for (const [s, f] of Object.entries(cv.grouped.bySource)) console.log(row(`  held out: ${s}`, f));
	console.log(row("  all held-out predictions", cv.grouped.all));
	console.log(`pooled stratified ${cv.pooled.folds}-fold, seed ${cv.pooled.seed} (out-of-sample, every source in training)`);
	for (const [s, f] of Object.entries(cv.pooled.bySource)) console.log(row(`  ${s}`, f));
	console.log(row("  all", cv.pooled.all));
	// The hidden check keeps rows two annotators agreed on: the same out-of-fold predictions, scored there.
	const agreePooled = agreedFigures(rows, cv.pooled.oof);
	const agreeGrouped = agreedFigures(rows, cv.groupedOof);
	if (agreePooled && agreeGrouped) {
		console.log("rows both annotators agree on (data/train/intent-second-annotator.*), same out-of-fold predictions");
		for (const [s, f] of Object.entries(agreePooled.bySource)) console.log(row(`  pooled ${cv.pooled.folds}-fold: ${s}`, f));
		console.log(row(`  pooled ${cv.pooled.folds}-fold: all agreed rows`, agreePooled.all));
		for (const [s, f] of Object.entries(agreeGrouped.bySource)) console.log(row(`  grouped, held out: ${s}`, f));
		console.log(row("  grouped: all agreed rows", agreeGrouped.all));
	}
	console.log(`shipped model on its own training data (IN-SAMPLE, not a result): accuracy ${f3(inSample)}`);
	console.log(
		`target: accuracy >= ${INTENT_TARGET} on unseen real text. ECE: 10 bins of the top probability, temperature cross-fitted on the other folds; "ECE raw" before temperature scaling`,
	);
	confusion("intent confusion, grouped by source", cv.grouped.all.confusion);
	confusion(`intent confusion, pooled ${cv.pooled.folds}-fold`, cv.pooled.all.confusion);
	if (errors) {
		console.log("\nout-of-fold intent errors (pooled CV; truth -> predicted)");
		rows.forEach((r, i) => {
			const p = cv.pooled.oof.probs[i];
			const pred = INTENTS[p.indexOf(Math.max(...p))];
			if (pred !== r.intent) console.log(`${r.id}  ${r.intent} -> ${pred} (${f3(Math.max(...p))})  ${r.request.replace(/\s+/g, " ").slice(0, 140)}`);
		});
	}
	return {
		cv,
		json: {
			n: rows.length,
			grouped: { bySource: Object.fromEntries(Object.entries(cv.grouped.bySource).map(([s, f]) => [s, brief(f)])), all: brief(cv.grouped.all) },
			pooled: {
				folds: cv.pooled.folds,
				seed: cv.pooled.seed,
				bySource: Object.fromEntries(Object.entries(cv.pooled.bySource).map(([s, f]) => [s, brief(f)])),
				all: brief(cv.pooled.all),
			},
			...(agreePooled && agreeGrouped
				? {
						agreed: {
							pooled: {
								bySource: Object.fromEntries(Object.entries(agreePooled.bySource).map(([s, f]) => [s, brief(f)])),
								all: brief(agreePooled.all),
							},
							grouped: {
								bySource: Object.fromEntries(Object.entries(agreeGrouped.bySource).map(([s, f]) => [s, brief(f)])),
								all: brief(agreeGrouped.all),
							},
						},
					}
				: {}),
			inSampleAccuracy: round(inSample),
			target: INTENT_TARGET,
		},
	};
}

export function routeReport(rows: LabeledRequest[], services: LiveMcpService[], cv: IntentCv): RouteFigures[] {
	const labeled = rows.filter(r => typeof r.tool_answerable === "boolean");
	console.log(
		`\n== Zero-token tool routes on labeled requests (${labeled.length}, ${labeled.filter(r => r.tool_answerable).length} labeled tool_answerable): router decision vs label ==`,
	);
	console.log(
		`gate: no act asked (services/router/acts.ts), P(tool answerable) >= ${ZERO_TOKEN_GATE.minAnswerable}, intent confidence >= ${ZERO_TOKEN_GATE.minIntentConfidence}; targets precision >= ${ROUTE_TARGETS.precision}, recall >= ${ROUTE_TARGETS.recall}`,
	);
	const figures = [...routeEvaluation(rows, services, { grouped: cv.groupedOof, pooled: cv.pooled.oof }), ...holdoutEvaluation(services, rows)];
	for (const f of figures) {
		const by = Object.entries(f.bySource)
			.map(([s, r]) => `${s} ${r.routed}: P ${f3(r.precision)} R ${f3(r.recall)}`)
			.join("; ");
		console.log(
			`${f.setting}\n    all: ${f.all.routed} routed, precision ${f3(f.all.precision)}, recall ${f3(f.all.recall)} (tp ${f.all.tp}, fp ${f.all.fp}, fn ${f.all.fn})   [${by}]`,
		);
	}
	const wrong = figures[0].wrong;
	if (wrong.length)
		console.log(`in-sample wrong zero-token routes: ${wrong.map(w => `${w.id} (${w.tool}) ${JSON.stringify(w.request.slice(0, 70))}`).join("; ")}`);
	return figures;
}
