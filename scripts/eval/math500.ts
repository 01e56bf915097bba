/**
 * Complexity agreement on MATH-500 (evaluation only; nothing is trained or tuned on it): how well
 * `complexity_score` and `strong_need` rank the problems by MATH's difficulty level 1-5 (Spearman),
 * with the mean score and the tier distribution per level, overall and per subject; prompt length
 * (in characters) is ranked the same way as the baseline RouteLLM's evaluations also use.
 */
import { spearman } from "../../lib/nlp/evaluation";
import { scoreComplexity, type ComplexityScore } from "../../services/complexity/scorer";
import type { MathProblem } from "./benchmarks";

const TIERS = ["simple", "moderate", "complex"] as const;

export interface LevelFigures {
	n: number;
	meanScore: number;
	meanStrongNeed: number;
	/** Share of the level's problems in each predicted tier. */
	tiers: Record<(typeof TIERS)[number], number>;
}

export interface Agreement {
	n: number;
	/** Spearman(complexity_score, level). */
	spearmanScore: number;
	/** Spearman(strong_need, level). */
	spearmanStrongNeed: number;
	/** Spearman(prompt length in characters, level): the baseline. */
	spearmanPromptLength: number;
}

export interface Math500Figures extends Agreement {
	byLevel: Record<string, LevelFigures>;
	bySubject: Record<string, Agreement>;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function agreement(levels: number[], scored: Pick<ComplexityScore, "score" | "strong_need">[], lengths: number[]): Agreement {
	return {
		n: levels.length,
		spearmanScore: round(
			spearman(
				scored.map(s => s.score),
				levels,
			),
		),
		spearmanStrongNeed: round(
			spearman(
				scored.map(s => s.strong_need),
				levels,
			),
		),
		spearmanPromptLength: round(spearman(lengths, levels)),
	};
}

/** `score` is injectable so the calculation can be checked without the shipped model. */
export function math500Agreement(
	problems: MathProblem[],
	score: (problem: string) => Pick<ComplexityScore, "score" | "strong_need" | "complexity"> = p => scoreComplexity(p),
): Math500Figures {
	const scored = problems.map(p => score(p.problem));
	const levels = problems.map(p => p.level);
	const pick = (keep: (p: MathProblem) => boolean) => problems.map((p, i) => (keep(p) ? i : -1)).filter(i => i >= 0);
	const byLevel: Record<string, LevelFigures> = {};
	for (const level of [...new Set(levels)].sort((a, b) => a - b)) {
		const idx = pick(p => p.level === level);
		const s = idx.map(i => scored[i]);
		byLevel[level] = {
			n: idx.length,
			meanScore: round(mean(s.map(x => x.score))),
			meanStrongNeed: round(mean(s.map(x => x.strong_need))),
			tiers: Object.fromEntries(TIERS.map(t => [t, round(s.filter(x => x.complexity === t).length / idx.length)])) as LevelFigures["tiers"],
		};
	}
	const bySubject: Record<string, Agreement> = {};
	for (const subject of [...new Set(problems.map(p => p.subject))].sort()) {
		const idx = pick(p => p.subject === subject);
		bySubject[subject] = agreement(
			idx.map(i => levels[i]),
			idx.map(i => scored[i]),
			idx.map(i => problems[i].problem.length),
		);
	}
	return {
		...agreement(
			levels,
			scored,
			problems.map(p => p.problem.length),
		),
		byLevel,
		bySubject,
	};
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "n/a");
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

export function printMath500(m: Math500Figures, path: string): void {
	console.log(
		`\n== MATH-500 difficulty level 1-5 (${path}; evaluation only): Spearman(complexity_score, level) = ${f3(m.spearmanScore)}, Spearman(strong_need, level) = ${f3(m.spearmanStrongNeed)}; prompt length (baseline) ${f3(m.spearmanPromptLength)}; over ${m.n} problems ==`,
	);
	console.log(
		`${"level".padEnd(8)}${"n".padStart(5)}${"mean score".padStart(12)}${"mean strong_need".padStart(18)}${"simple".padStart(8)}${"moderate".padStart(10)}${"complex".padStart(9)}`,
	);
	for (const [level, f] of Object.entries(m.byLevel))
		console.log(
			`${level.padEnd(8)}${String(f.n).padStart(5)}${f3(f.meanScore).padStart(12)}${f3(f.meanStrongNeed).padStart(18)}${pct(f.tiers.simple).padStart(8)}${pct(f.tiers.moderate).padStart(10)}${pct(f.tiers.complex).padStart(9)}`,
		);
	console.log(
		`${"subject".padEnd(26)}${"n".padStart(5)}${"Spearman score".padStart(16)}${"Spearman strong_need".padStart(22)}${"prompt length".padStart(15)}`,
	);
	for (const [s, a] of Object.entries(m.bySubject))
		console.log(
			`${s.padEnd(26)}${String(a.n).padStart(5)}${f3(a.spearmanScore).padStart(16)}${f3(a.spearmanStrongNeed).padStart(22)}${f3(a.spearmanPromptLength).padStart(15)}`,
		);
}
