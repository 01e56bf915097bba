/**
 * RouteLLM's published figures, for comparison only. Source: Ong et al.,
 * "RouteLLM: Learning to Route LLMs with Preference Data", arXiv:2406.18665
 * (v4), Section 5.1: Table 1 (MT Bench), Table 2 (5-shot MMLU), Table 3
 * (8-shot GSM8K); strong gpt-4-1106-preview, weak Mixtral 8x7B. Their
 * evaluation drops prompts found in their training data ("decontamination");
 * ours uses every prompt, since nothing here was trained on Arena data.
 * CPT values are fractions of calls to the strong model.
 */
export interface PublishedRow {
	router: string;
	apgr: number;
	cpt50: number;
	cpt80: number;
}

export const PUBLISHED: Record<"mt_bench" | "gsm8k" | "mmlu", PublishedRow[]> = {
	mt_bench: [
		{ router: "random (paper)", cpt50: 0.4903, cpt80: 0.7808, apgr: 0.5 },
		{ router: "matrix factorization, Arena data (paper)", cpt50: 0.2532, cpt80: 0.7426, apgr: 0.58 },
		{ router: "matrix factorization, Arena + GPT-4-judge data (paper best)", cpt50: 0.134, cpt80: 0.3131, apgr: 0.802 },
	],
	mmlu: [
		{ router: "random (paper)", cpt50: 0.5007, cpt80: 0.7993, apgr: 0.5 },
		{ router: "matrix factorization, Arena data (paper)", cpt50: 0.45, cpt80: 0.7686, apgr: 0.524 },
		{ router: "SW ranking, Arena + MMLU golden labels (paper best)", cpt50: 0.354, cpt80: 0.7155, apgr: 0.603 },
	],
	gsm8k: [
		{ router: "random (paper)", cpt50: 0.5, cpt80: 0.8008, apgr: 0.497 },
		{ router: "SW ranking, Arena data (paper)", cpt50: 0.5443, cpt80: 0.8211, apgr: 0.4753 },
		{ router: "causal LLM, Arena + GPT-4-judge data (paper best)", cpt50: 0.3364, cpt80: 0.6326, apgr: 0.622 },
	],
};

/** Targets set by the project issue. */
export const TARGETS = { intentAccuracy: 0.92, complexityAccuracy: 0.8, apgr: { mt_bench: 0.75, gsm8k: 0.65, mmlu: 0.62 } };
