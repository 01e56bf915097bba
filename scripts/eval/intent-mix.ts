/**
 * The realistic mix of intents (data/intent-mix/): the share of each intent among real IDE-assistant
 * messages by a published study's codebook, mapped onto our five intents. Used to re-weight figures
 * measured on our labeled requests; weighting only, nothing is trained or tuned on it.
 */
import { readFileSync } from "fs";
import { resolve } from "path";
import { INTENTS } from "../../lib/nlp/features";

export const INTENT_MIX_FILE = resolve(__dirname, "..", "..", "data", "intent-mix", "mix.json");

interface MixFile {
	source: { repo: string; commit: string; license: string };
	categories: { category: string; share: number; subcategories: { sub: string; share: number; intent: string | null }[] }[];
}

export interface IntentMix {
	/** Share of each intent after the dropped categories are removed; sums to 1. */
	shares: Record<string, number>;
	/** Share of the study's messages mapped to no intent (dropped before renormalising). */
	dropped: number;
	source: string;
}

/**
 * Each category's share goes to its sub-categories' intents in proportion to the sub-categories'
 * shares (a category whose sub-categories all map to one intent gives it the whole share).
 */
export function intentMix(file: MixFile): IntentMix {
	const raw: Record<string, number> = Object.fromEntries(INTENTS.map(i => [i, 0]));
	let dropped = 0;
	for (const c of file.categories) {
		const subTotal = c.subcategories.reduce((a, s) => a + s.share, 0);
		if (!subTotal) {
			dropped += c.share;
			continue;
		}
		for (const s of c.subcategories) {
			const part = (c.share * s.share) / subTotal;
			if (s.intent === null) dropped += part;
			else if (s.intent in raw) raw[s.intent] += part;
			else throw new Error(`intent mix: ${s.sub} maps to ${s.intent}, not one of ${INTENTS.join(", ")}`);
		}
	}
	const kept = Object.values(raw).reduce((a, b) => a + b, 0);
	const total = kept + dropped;
	return {
		shares: Object.fromEntries(Object.entries(raw).map(([i, v]) => [i, v / kept])),
		dropped: dropped / total,
		source: `${file.source.repo}@${file.source.commit.slice(0, 7)} (${file.source.license})`,
	};
}

export function loadIntentMix(path = INTENT_MIX_FILE): IntentMix {
	return intentMix(JSON.parse(readFileSync(path, "utf8")) as MixFile);
}

/**
 * Accuracy on a workload with the mix's intents: the sum over true intents of share x recall, from a
 * confusion matrix (rows = truth, in `classes` order). null when an intent with a share has no rows.
 */
export function mixWeightedAccuracy(confusion: number[][], classes: readonly string[], shares: Record<string, number>): number | null {
	let acc = 0;
	for (const [intent, share] of Object.entries(shares)) {
		if (!share) continue;
		const k = classes.indexOf(intent);
		const n = k < 0 ? 0 : confusion[k].reduce((a, b) => a + b, 0);
		if (!n) return null;
		acc += (share * confusion[k][k]) / n;
	}
	return acc;
}

/**
 * A ratio of sums (saved tokens over baseline tokens, say) on a workload re-weighted to the mix:
 * each intent's per-request totals count at its share, so the result is what the same requests
 * would give if they arrived in the mix's proportions. null when there is nothing to divide by or
 * an intent with a share has no requests.
 */
export function mixWeightedRatio<T extends { n: number }>(
	byIntent: Record<string, T>,
	shares: Record<string, number>,
	num: (t: T) => number,
	den: (t: T) => number,
): number | null {
	let top = 0;
	let bottom = 0;
	for (const [intent, share] of Object.entries(shares)) {
		if (!share) continue;
		const t = byIntent[intent];
		if (!t?.n) return null;
		top += (share * num(t)) / t.n;
		bottom += (share * den(t)) / t.n;
	}
	return bottom ? top / bottom : null;
}

export const mixLine = (m: IntentMix) =>
	`${Object.entries(m.shares)
		.map(([i, s]) => `${i} ${(s * 100).toFixed(1)}%`)
		.join(", ")} (${(m.dropped * 100).toFixed(1)}% of the study's messages map to no intent and are dropped; ${m.source}, data/intent-mix/)`;

const recalls = (confusion: number[][]) =>
	confusion.map(
		(row, k) =>
			row[k] /
			Math.max(
				1,
				row.reduce((a, b) => a + b, 0),
			),
	);

export interface MixedAccuracy {
	n: number;
	accuracy: number;
	/** Sum over true intents of the mix's share x that intent's recall. */
	mixWeighted: number | null;
	/** Recall per true intent, in INTENTS order. */
	recall: Record<string, number>;
}

/**
 * Intent accuracy re-weighted to the mix for the cross-validations `npm run eval` already ran
 * (out-of-fold predictions only), beside the unweighted accuracy of the same predictions.
 */
export function intentMixReport(sets: Record<string, { n: number; accuracy: number; confusion: number[][] }>, mix: IntentMix): Record<string, MixedAccuracy> {
	const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
	const out: Record<string, MixedAccuracy> = {};
	console.log(`\n== Intent accuracy re-weighted to a realistic mix of intents (weighting only) ==`);
	console.log(`mix: ${mixLine(mix)}`);
	console.log(
		`${"out-of-fold predictions".padEnd(40)}${"n".padStart(6)}${"accuracy".padStart(10)}${"mix-weighted".padStart(14)}   recall ${INTENTS.join(" / ")}`,
	);
	for (const [name, f] of Object.entries(sets)) {
		const mixWeighted = mixWeightedAccuracy(f.confusion, INTENTS, mix.shares);
		const rec = recalls(f.confusion);
		out[name] = {
			n: f.n,
			accuracy: r4(f.accuracy),
			mixWeighted: mixWeighted === null ? null : r4(mixWeighted),
			recall: Object.fromEntries(INTENTS.map((i, k) => [i, r4(rec[k])])),
		};
		console.log(
			`${name.padEnd(40)}${String(f.n).padStart(6)}${f.accuracy.toFixed(3).padStart(10)}${(mixWeighted === null ? "n/a" : mixWeighted.toFixed(3)).padStart(14)}   ${rec.map(x => x.toFixed(2)).join(" / ")}`,
		);
	}
	const none = INTENTS.filter(i => !mix.shares[i]);
	if (none.length)
		console.log(`${none.join(" and ")} have no share in this mix (no codebook category maps to them), so the weighted figure says nothing about them.`);
	return out;
}
