/**
 * The routing training data (DATA_DIR/routing_train, see its SOURCE.md): RouterBench's
 * ARC-Challenge, Winogrande and MBPP prompts with 0/1 correctness of gpt-4-1106-preview and
 * mixtral-8x7b-chat, and AlpacaEval prompts with a GPT-4 Turbo judge's preference between
 * the same pair. For training and tuning `strong_need` only.
 */
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { MissingData } from "./eval/benchmarks";

export const ROUTERBENCH_STRONG = "gpt-4-1106-preview";
export const ROUTERBENCH_WEAK = "mistralai/mixtral-8x7b-chat";

export interface RoutingExample {
	/** "arc-challenge", "winogrande", "mbpp" or "alpacaeval". */
	group: string;
	prompt: string;
	/** Quality routed strong / weak: 0/1 correctness, or the judge's preference share. */
	strong: number;
	weak: number;
	/** RouterBench only: 0/1 correctness of each of its 11 models (a denser signal of how hard the prompt is). */
	correct?: Record<string, number>;
}

/**
 * RouterBench prompts carry few-shot examples and an answer-format line; a router sees one
 * question as a user asks it, so only the last question block is kept, without those lines.
 */
export function lastQuestion(prompt: string): string {
	const blocks = prompt.split(/\n\s*\n/).filter(b => b.trim() && !/^Please answer with the letter/i.test(b.trim()));
	const last = blocks[blocks.length - 1] ?? prompt;
	return last
		.replace(/Print only a single choice[^\n]*?without explanation\.?/gi, "")
		.replace(/\s*Answer:\s*$/i, "")
		.trim();
}

const jsonl = (path: string) =>
	readFileSync(path, "utf8")
		.split("\n")
		.filter(l => l.trim())
		.map(l => JSON.parse(l) as Record<string, unknown>);

export function loadRoutingTrain(dataDir: string): RoutingExample[] {
	const dir = join(dataDir, "routing_train");
	const rb = join(dir, "routerbench-subset.jsonl");
	const alpaca = join(dir, "alpacaeval-gpt4-vs-mixtral.jsonl");
	if (!existsSync(rb) || !existsSync(alpaca))
		throw new MissingData(dir, `RouterBench via shuhao02/RouterDC and tatsu-lab/alpaca_eval (see ${join(dir, "SOURCE.md")})`);
	const out: RoutingExample[] = jsonl(rb).map(r => {
		const correct = r.correct as Record<string, number>;
		return { group: String(r.eval), prompt: lastQuestion(String(r.prompt)), strong: correct[ROUTERBENCH_STRONG], weak: correct[ROUTERBENCH_WEAK], correct };
	});
	for (const r of jsonl(alpaca)) {
		const weakPreferred = Number(r.weak_preferred);
		out.push({ group: "alpacaeval", prompt: String(r.prompt), strong: 1 - weakPreferred, weak: weakPreferred });
	}
	return out;
}
