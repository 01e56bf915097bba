/**
 * `npx tsx scripts/train-only-probe.ts <source> <weight>`: what intent says of the how-to phrasings in
 * docs/decisions.md "Known misses" once a train-only source (scripts/dataset.ts, TRAIN_ONLY_SOURCES)
 * joins the shipped training at `weight`, beside what the shipped model says. Exploratory: the
 * phrasings were written by the team, so this is indicative, never a result; the decision to train on
 * a source is its criterion's (`npm run eval:train-only`).
 */
import { INTENTS } from "../lib/nlp/features";
import { classifyIntent } from "../services/intent/classifier";
import { intentProbabilities, trainIntentModel } from "../services/intent/model";
import { INTENT_TRAIN_ONLY, loadAllLabeled, loadTrainOnly, TRAIN_ONLY_SOURCES, type TrainOnlySource } from "./dataset";

/** The known misses and their neighbours (docs/decisions.md), and two system acts that must stay MANAGE. */
const PROBES = [
	"How to delete a column in a pandas dataframe by name",
	"how do I make the header transparent when scrolling",
	"how to remove duplicates from a list in python",
	"how to rename a column in pandas",
	"how to delete a key from a dictionary in python",
	"how do i delete a file in node js",
	"how to kill a thread in java",
	"how to move a div to the center with css",
	"how to read a csv file in pandas",
	"how can I remove an element from an array in javascript",
	"how to restart nginx",
	"how to uninstall node on mac",
	"delete all files older than 7 days in /tmp",
	"rename every .txt file to .md in this folder",
];

const [source, weightArg] = process.argv.slice(2);
if (!TRAIN_ONLY_SOURCES.includes(source as TrainOnlySource) || !(Number(weightArg) > 0)) {
	console.error(`usage: npx tsx scripts/train-only-probe.ts <${TRAIN_ONLY_SOURCES.join("|")}> <weight > 0>`);
	process.exit(2);
}
const sourceWeights = { ...INTENT_TRAIN_ONLY, [source]: Number(weightArg) };
const both = [...loadAllLabeled(), ...loadTrainOnly(Object.keys(sourceWeights) as TrainOnlySource[])];
// Untempered: the temperature is fitted by `npm run train` only for a model that ships.
const model = trainIntentModel(both, { sourceWeights });
for (const probe of PROBES) {
	const p = intentProbabilities(model, probe);
	const k = p.indexOf(Math.max(...p));
	const shipped = classifyIntent(probe);
	console.log(
		`${probe.padEnd(60)} shipped ${shipped.intent} ${shipped.confidence.toFixed(2)} | with ${source} at ${weightArg}: ${INTENTS[k]} ${p[k].toFixed(2)}`,
	);
}
