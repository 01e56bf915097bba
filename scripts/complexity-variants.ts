/**
 * `npm run eval:complexity-variants`: the complexity settings compared under the same outer
 * cross-validation as `npm run eval` (pooled 5-fold, seed 42, and grouped by source). Every
 * variant picks its own thresholds (and class weights, when it has several candidates) by the
 * inner cross-validation of trainComplexityModel on the outer training rows only; the outer
 * folds are reported, never used to choose. Labeled training sources only (no evaluation sets).
 */
import { COMPLEXITY_SETTINGS, type ComplexitySettings } from "../services/complexity/model";
import { loadAllLabeled } from "./dataset";
import { complexityCrossValidation, printComplexityCv } from "./eval/complexity";

const VARIANTS: [string, ComplexitySettings][] = [
	["version 8 as shipped before (no class weights, thresholds by inner accuracy)", { ...COMPLEXITY_SETTINGS, classBalance: [0], minAccuracy: 1 }],
	["thresholds only (no class weights, macro-F1 at inner accuracy >= 0.78)", { ...COMPLEXITY_SETTINGS, classBalance: [0] }],
	["sqrt-balanced classes, same threshold rule", { ...COMPLEXITY_SETTINGS, classBalance: [0.5] }],
	["balanced classes, same threshold rule", { ...COMPLEXITY_SETTINGS, classBalance: [1] }],
	["class weights chosen by inner CV from {0, 0.5, 1} (shipped)", COMPLEXITY_SETTINGS],
];

const only = process.argv.slice(2).map(Number).filter(Number.isInteger);
const rows = loadAllLabeled();
VARIANTS.forEach(([name, settings], i) => {
	if (only.length && !only.includes(i)) return;
	console.log(`\n######## variant ${i}: ${name}`);
	printComplexityCv(complexityCrossValidation(rows, settings));
});
