/**
 * Loaders for the public evaluation sets under DATA_DIR (default
 * ../shared/data). They are used for evaluation only: nothing here feeds
 * training or model selection.
 */
import { existsSync, readdirSync, readFileSync } from "fs";
import { dirname, join } from "path";
import { parseCsv } from "./csv";

export const STRONG = "gpt-4-1106-preview";
export const WEAK = "mistralai/Mixtral-8x7B-Instruct-v0.1";

export interface BenchmarkPrompt {
	/** Text the router sees. */
	prompt: string;
	/** Quality when answered by the strong / weak model (mean over turns for MT-Bench). */
	strong: number;
	weak: number;
}

export class MissingData extends Error {
	constructor(
		readonly folder: string,
		readonly source: string,
	) {
		super(`missing ${folder}`);
	}

	/** Where the data was looked for and where it comes from: what a user without it reads. */
	get note(): string {
		return `data not found at ${this.folder}; it comes from: ${this.source} (set DATA_DIR to its parent folder)`;
	}
}

/** Where each folder comes from (its SOURCE.md says more when present). */
const ORIGIN: Record<string, string> = {
	mt_bench: "lm-sys/RouteLLM routellm/evals/mt_bench/judgements.jsonl joined with lm-sys/FastChat fastchat/llm_judge/data/mt_bench/question.jsonl",
	routellm_gsm8k: "lm-sys/RouteLLM routellm/evals/gsm8k/gsm8k_responses.csv",
	routellm_mmlu: "lm-sys/RouteLLM routellm/evals/mmlu/responses/mmlu_<subject>.csv",
	swebench_difficulty: "OpenAutoCoder/Agentless ensembled_annotations_public.csv and classification/swebench_lite_classifications.csv",
	math500_levels:
		"MATH-500 (openai/prm800k's 500-problem test subset of Hendrycks MATH, MIT), as test.jsonl with problem, subject and level 1-5 in jincan333/MAS-TTS data/math500/test.jsonl",
};

/**
 * Where a missing folder's files come from. Only a SOURCE.md that exists is pointed at; when DATA_DIR
 * itself is absent (a fresh clone without the team's shared/data beside it) that is said first.
 */
export function sourceNote(dir: string): string {
	const folder = dir.split(/[\\/]/).pop() ?? dir;
	const origin = ORIGIN[folder] ?? "unknown";
	const sourceMd = join(dir, "SOURCE.md");
	if (existsSync(sourceMd)) return `${origin} (see ${sourceMd})`;
	const dataDir = dirname(dir);
	const where = existsSync(dataDir) ? `${dataDir} has no ${folder}/` : `DATA_DIR ${dataDir} does not exist (default: ../shared/data beside the project)`;
	return `${origin}; ${where}: put those files under <DATA_DIR>/${folder}/ and set DATA_DIR`;
}

function need(dataDir: string, folder: string, file: string): string {
	const path = join(dataDir, folder, file);
	if (!existsSync(path)) throw new MissingData(join(dataDir, folder), sourceNote(join(dataDir, folder)));
	return path;
}

const truthy = (v: string) => v.trim().toLowerCase() === "true";

/**
 * MT-Bench as RouteLLM evaluates it: the router sees only the first turn, the
 * routed model answers both turns, and quality is the mean judge score over
 * the 160 (question, turn) pairs.
 */
export function loadMtBench(dataDir: string): BenchmarkPrompt[] {
	const rows = parseCsv(readFileSync(need(dataDir, "mt_bench", "scores_by_question_turn.csv"), "utf8"));
	const byQuestion = new Map<string, { prompt: string; strong: number[]; weak: number[] }>();
	for (const r of rows) {
		const q = byQuestion.get(r.question_id) ?? { prompt: "", strong: [], weak: [] };
		if (r.turn === "1") q.prompt = r.prompt;
		q.strong.push(Number(r["gpt-4-1106-preview"]));
		q.weak.push(Number(r["mixtral-8x7b-instruct-v0.1"]));
		byQuestion.set(r.question_id, q);
	}
	const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
	return [...byQuestion.values()].map(q => ({ prompt: q.prompt, strong: avg(q.strong), weak: avg(q.weak) }));
}

export function loadGsm8k(dataDir: string): BenchmarkPrompt[] {
	const rows = parseCsv(readFileSync(need(dataDir, "routellm_gsm8k", "gsm8k_responses.csv"), "utf8"));
	return rows.map(r => ({ prompt: r.prompt, strong: Number(truthy(r[STRONG])), weak: Number(truthy(r[WEAK])) }));
}

export function loadMmlu(dataDir: string): BenchmarkPrompt[] {
	const dir = join(dataDir, "routellm_mmlu", "responses");
	if (!existsSync(dir)) throw new MissingData(join(dataDir, "routellm_mmlu"), sourceNote(join(dataDir, "routellm_mmlu")));
	return readdirSync(dir)
		.filter(f => f.endsWith(".csv"))
		.sort()
		.flatMap(f => parseCsv(readFileSync(join(dir, f), "utf8")))
		.map(r => ({ prompt: r.prompt, strong: Number(truthy(r[STRONG])), weak: Number(truthy(r[WEAK])) }));
}

export interface SweIssue {
	instanceId: string;
	problem: string;
	/** 0: <15 min, 1: 15 min - 1 hour, 2: 1-4 hours, 3: >4 hours. */
	bucket: number;
}

const BUCKETS = ["<15 min fix", "15 min - 1 hour", "1-4 hours", ">4 hours"];

export function loadSweBench(dataDir: string): SweIssue[] {
	const labels = parseCsv(readFileSync(need(dataDir, "swebench_difficulty", "ensembled_annotations_public.csv"), "utf8"));
	const lite = parseCsv(readFileSync(need(dataDir, "swebench_difficulty", "swebench_lite_classifications.csv"), "utf8"));
	const bucketOf = new Map(labels.map(r => [r.instance_id, BUCKETS.indexOf(r.difficulty.trim())]));
	return lite
		.filter(r => (bucketOf.get(r.instance_id) ?? -1) >= 0)
		.map(r => ({ instanceId: r.instance_id, problem: r.problem_statement, bucket: bucketOf.get(r.instance_id) as number }));
}

export interface MathProblem {
	problem: string;
	subject: string;
	/** MATH's difficulty level, 1 (easiest) to 5. */
	level: number;
}

/** MATH-500 with its difficulty levels: complexity agreement only, never training or tuning. */
export function loadMath500(dataDir: string): MathProblem[] {
	const path = need(dataDir, "math500_levels", "test.jsonl");
	return readFileSync(path, "utf8")
		.split("\n")
		.filter(l => l.trim())
		.map((l, i) => {
			const r = JSON.parse(l) as { problem?: unknown; subject?: unknown; level?: unknown };
			const level = Number(r.level);
			if (typeof r.problem !== "string" || !Number.isInteger(level) || level < 1 || level > 5)
				throw new Error(`${path}:${i + 1}: needs a string problem and a level 1-5`);
			return { problem: r.problem, subject: String(r.subject ?? "unknown"), level };
		});
}
