/**
 * Every decision the analysis makes on every labeled training row, for checking that a speed-up
 * changed none: the intent probabilities (unrounded), label and confidence; the complexity score,
 * tier, confidence and strong_need; the route; the optimized prompt, its system prompt and its
 * token counts. Writes one JSON line per row; `--compare a b` reads two such files and names every
 * row where a string differs or a number differs by more than 1e-9.
 *   npx tsx scripts/decision-snapshot.ts > /tmp/before.jsonl   (then again after the change)
 *   npx tsx scripts/decision-snapshot.ts --compare /tmp/before.jsonl /tmp/after.jsonl
 * Rows: data/train/*.jsonl that carry a request (the training labels; never an evaluation-only set).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { classifyIntent } from "../services/intent/classifier";
import { intentProbabilities, type IntentModel, type LabeledRequest } from "../services/intent/model";
import { loadModelFile } from "../lib/nlp/model-file";
import { scoreComplexity } from "../services/complexity/scorer";
import { gatedRoute } from "../services/router/gate";
import { optimizePrompt, outputBudget } from "../services/prompt/optimize";
import { loadConfig } from "../lib/config";
import { defaultServices } from "./eval/tools";

const ROOT = join(__dirname, "..");
const TOLERANCE = 1e-9;

/** Paths of the first difference between two JSON values (numbers within TOLERANCE are equal). */
function differences(a: unknown, b: unknown, path: string, out: string[]): void {
	if (typeof a === "number" && typeof b === "number") {
		if (!(Math.abs(a - b) <= TOLERANCE) && !(Number.isNaN(a) && Number.isNaN(b))) out.push(`${path}: ${a} vs ${b}`);
		return;
	}
	if (a && b && typeof a === "object" && typeof b === "object") {
		const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
		for (const k of keys) differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
		return;
	}
	if (a !== b) out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}

function compare(fileA: string, fileB: string): void {
	const read = (f: string) =>
		readFileSync(f, "utf8")
			.split("\n")
			.filter(l => l.trim())
			.map(l => JSON.parse(l) as { id: string });
	const a = read(fileA);
	const b = read(fileB);
	if (a.length !== b.length) {
		console.log(`row counts differ: ${a.length} vs ${b.length}`);
		process.exitCode = 1;
		return;
	}
	let differing = 0;
	a.forEach((row, i) => {
		const out: string[] = [];
		differences(row, b[i], row.id, out);
		if (out.length) {
			differing++;
			if (differing <= 20) console.log(out.slice(0, 5).join("\n"));
		}
	});
	console.log(`${a.length} rows compared, ${differing} differ (tolerance ${TOLERANCE})`);
	if (differing) process.exitCode = 1;
}

async function snapshot(): Promise<void> {
	const config = loadConfig();
	const model = loadModelFile<IntentModel>(join(ROOT, "services/intent/model.json"), "intent-logreg");
	const services = await defaultServices();
	const dir = join(ROOT, "data/train");
	for (const file of readdirSync(dir)
		.filter(f => f.endsWith(".jsonl"))
		.sort()) {
		const rows = readFileSync(join(dir, file), "utf8")
			.split("\n")
			.filter(l => l.trim())
			.map(l => JSON.parse(l) as LabeledRequest)
			.filter(r => typeof r.request === "string");
		for (const r of rows) {
			const context = r.context as Record<string, unknown> | undefined;
			const probabilities = intentProbabilities(model, r.request, context);
			const intent = classifyIntent(r.request, context);
			const complexity = scoreComplexity(r.request, context, config.routing.complexity_thresholds);
			const route = gatedRoute({ request: r.request, context, intent: intent.intent, intent_confidence: intent.confidence }, services);
			const prompt = optimizePrompt({
				request: r.request,
				context,
				intent: intent.intent,
				tier: complexity.complexity,
				max_tokens: outputBudget(config.output_budget, intent.intent, complexity.complexity),
			});
			console.log(JSON.stringify({ id: `${file}:${r.id}`, probabilities, intent, complexity, route, prompt }));
		}
	}
}

if (process.argv[2] === "--compare") compare(process.argv[3], process.argv[4]);
else
	snapshot().catch(err => {
		console.error(err instanceof Error ? err.message : err);
		process.exitCode = 1;
	});
