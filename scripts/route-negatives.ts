/**
 * Zero-token routes on prompts that no file tool answers: every AlpacaEval and distinct RouterBench
 * prompt of routing_train (questions, maths, multiple choice, "write a function") and the first user
 * message of each coding-agent run in agent_trajectories (an issue to fix). None of them is a plain
 * read, list or search, so every zero-token route printed here is a false route; tool-then-LLM chains
 * are counted apart (the LLM still answers). A precision check on text the route rules were never
 * written from; nothing here is trained or tuned on (the rules do not read these files).
 *   DATA_DIR=/work/shared/data npx tsx scripts/route-negatives.ts   (npm run eval:route-negatives)
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { classifyIntent } from "../services/intent/classifier";
import { scriptArgs } from "./cli-args";
import { gatedRoute } from "../services/router/gate";
import { defaultServices } from "./eval/tools";
import { DATA_DIR } from "./data-dir";

function jsonl(file: string): Record<string, unknown>[] {
	return readFileSync(join(DATA_DIR, file), "utf8")
		.split("\n")
		.filter(l => l.trim())
		.map(l => JSON.parse(l) as Record<string, unknown>);
}

/** [source, id, text] of every prompt, RouterBench's repeated prompts (one row per model) once. */
function prompts(): [string, string, string][] {
	const out: [string, string, string][] = [];
	for (const r of jsonl("routing_train/alpacaeval-gpt4-vs-mixtral.jsonl")) out.push(["alpacaeval", String(r.id), String(r.prompt)]);
	const seen = new Set<string>();
	for (const r of jsonl("routing_train/routerbench-subset.jsonl")) {
		if (seen.has(String(r.prompt))) continue;
		seen.add(String(r.prompt));
		out.push(["routerbench", String(r.id), String(r.prompt)]);
	}
	for (const r of jsonl("agent_trajectories/agent-trajectories.jsonl")) {
		const first = (r.messages as { role: string; content: string }[]).find(m => m.role === "user");
		if (first) out.push(["agent_trajectories", String(r.id), first.content]);
	}
	return out;
}

async function main() {
	if (!existsSync(join(DATA_DIR, "routing_train"))) {
		console.log(`data not found at ${DATA_DIR}: routing_train/ and agent_trajectories/ come from the project's shared data (set DATA_DIR)`);
		return;
	}
	const services = await defaultServices();
	const counts = new Map<string, { n: number; zero: number; chain: number }>();
	for (const [source, id, text] of prompts()) {
		const c = counts.get(source) ?? { n: 0, zero: 0, chain: 0 };
		counts.set(source, c);
		c.n++;
		const intent = classifyIntent(text);
		const route = gatedRoute({ request: text, intent: intent.intent, intent_confidence: intent.confidence }, services);
		if (route.kind !== "mcp") continue;
		if (route.then_llm) c.chain++;
		else {
			c.zero++;
			console.log(`  false route ${source} ${id}: ${JSON.stringify(route).slice(0, 160)} :: ${text.slice(0, 160).replace(/\s+/g, " ")}`);
		}
	}
	for (const [source, c] of counts) console.log(`${source}: ${c.n} prompts, zero-token routes ${c.zero} (all false), tool-then-LLM ${c.chain}`);
}

scriptArgs("npm run eval:route-negatives\n  Zero-token routes on prompts no file tool answers (DATA_DIR: routing_train/, agent_trajectories/).", {});
main().then(
	() => process.exit(0),
	err => {
		console.error(err);
		process.exit(1);
	},
);
