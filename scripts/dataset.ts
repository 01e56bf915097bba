/**
 * Loading of the labeled request sets shipped in data/train/: the team's 200 dev requests and the
 * real requests labeled by hand (CodeChat prompts, NL2Bash lines; data/train/README.md says how).
 * Every row carries its `source`, so the evaluation can hold out one source at a time.
 */
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import type { Intent } from "../lib/nlp/features";
import type { ComplexityRow, Tier } from "../services/complexity/model";
import type { LabeledRequest } from "../services/intent/model";

export const TRAIN_DIR = join(__dirname, "..", "data", "train");
export const TRAIN_FILE = join(TRAIN_DIR, "requests-dev.jsonl");

/** The sources, in the order the evaluation reports them; `dev` is always there. */
export const SOURCES = ["dev", "codechat", "nl2bash"] as const;
export type Source = (typeof SOURCES)[number];

/**
 * Labeled sources that are trained on but never scored: off-domain rows (AlpacaEval's chat
 * instructions, data/train/alpacaeval.README.md; Stack Overflow question titles,
 * data/train/stackoverflow.README.md) join every training fold and no test fold, so the figures
 * stay on the sources the issue-11 check resembles (data/train/alpacaeval.CRITERION.md).
 */
export const TRAIN_ONLY_SOURCES = ["alpacaeval", "stackoverflow"] as const;
export type TrainOnlySource = (typeof TRAIN_ONLY_SOURCES)[number];

/**
 * The train-only rows the shipped intent model learns from, and their weight per row
 * (IntentTrainingOptions `sourceWeights`): AlpacaEval at 0.5, the largest weight that passed
 * data/train/alpacaeval-weighted.CRITERION.md on seeds 42 and 7 (alpacaeval.README.md). `npm run
 * train` fits on them and `npm run eval`'s intent cross-validation adds them to every training set.
 * Complexity trains on none (no weight passed).
 */
export const INTENT_TRAIN_ONLY: Readonly<Partial<Record<TrainOnlySource, number>>> = Object.freeze({ alpacaeval: 0.5 });

/**
 * Where a source's labels are: data/train/<source>.jsonl, or, while labels are still being
 * written outside the repository, LABELS_DIR/<source>.jsonl when that variable is set.
 */
export function sourceFile(source: Source | TrainOnlySource): string | undefined {
	if (source === "dev") return TRAIN_FILE;
	const inRepo = join(TRAIN_DIR, `${source}.jsonl`);
	if (existsSync(inRepo)) return inRepo;
	const outside = process.env.LABELS_DIR ? join(process.env.LABELS_DIR, `${source}.jsonl`) : undefined;
	return outside && existsSync(outside) ? outside : undefined;
}

/** The label files present, dev first. */
export function trainingFiles(): string[] {
	return SOURCES.map(sourceFile).filter((f): f is string => !!f);
}

export function loadLabeledRequests(path = TRAIN_FILE, source: Source | TrainOnlySource = "dev"): LabeledRequest[] {
	return readFileSync(path, "utf8")
		.split("\n")
		.filter(line => line.trim())
		.map(line => ({ ...(JSON.parse(line) as LabeledRequest), source }));
}

/**
 * A second annotator's intent for part of the real requests, labeled without seeing the first
 * labels (data/train/intent-second-annotator.README.md): where the two agree is what a hidden set
 * "labeled by two annotators who agreed" keeps.
 */
export const SECOND_ANNOTATION_FILE = join(TRAIN_DIR, "intent-second-annotator.jsonl");

/** `{"id", field}` lines of a second annotator's file as id -> label; empty when the file is absent. */
function loadSecondLabels<T>(path: string, field: "intent" | "complexity"): Map<string, T> {
	if (!existsSync(path)) return new Map();
	return new Map(
		readFileSync(path, "utf8")
			.split("\n")
			.filter(line => line.trim())
			.map(line => JSON.parse(line) as Record<string, T> & { id: string })
			.map(r => [r.id, r[field]]),
	);
}

export function loadSecondAnnotation(path = SECOND_ANNOTATION_FILE): Map<string, Intent> {
	return loadSecondLabels<Intent>(path, "intent");
}

/**
 * A second annotator's complexity tier for the CodeChat prompts, labeled without seeing the first
 * labels (data/train/complexity-second-annotator.README.md).
 */
export const SECOND_COMPLEXITY_FILE = join(TRAIN_DIR, "complexity-second-annotator.jsonl");

export function loadSecondComplexity(path = SECOND_COMPLEXITY_FILE): Map<string, Tier> {
	return loadSecondLabels<Tier>(path, "complexity");
}

/**
 * Every labeled row of every present source (dev first), each with its `source` and, where labeled
 * twice, `intent2` and `complexity2`.
 */
export function loadAllLabeled(): ComplexityRow[] {
	const second = loadSecondAnnotation();
	const secondTier = loadSecondComplexity();
	return SOURCES.flatMap(s => {
		const file = sourceFile(s);
		return file ? loadLabeledRequests(file, s) : [];
	})
		.map(r => (second.has(r.id) ? { ...r, intent2: second.get(r.id) } : r))
		.map(r => (secondTier.has(r.id) ? { ...r, complexity2: secondTier.get(r.id) } : r));
}

/** The rows of train-only sources, each with its `source`. */
export function loadTrainOnly(sources: readonly TrainOnlySource[]): ComplexityRow[] {
	return sources.flatMap(s => {
		const file = sourceFile(s);
		if (!file) throw new Error(`no labels for train-only source ${s} (data/train/${s}.jsonl)`);
		return loadLabeledRequests(file, s);
	});
}
