import { strict as assert } from "node:assert";
import { loadConfig } from "../../../../lib/config";
import { breakerState, keyRows, modelRows, renderRows, resultRows, tiersOf } from "../../../../bin/repl/tables";

describe("REPL tables", () => {
	const config = loadConfig();

	it("places a model in every tier that names it", () => {
		const [tier, t] = Object.entries(config.tiers)[0];
		assert.equal(tiersOf(config, t.preferred), `${tier} (preferred)`);
		assert.equal(tiersOf(config, "not-a-model"), "-");
	});

	it("a provider's breaker is the worst of its endpoints; no metrics answer is said as such", () => {
		const c = (provider: string, state: "open" | "half-open") => ({
			provider,
			action: `llm-${provider}.complete`,
			node: "n1",
			state,
			seen_from: ["o1"],
			since: 0,
		});
		assert.equal(breakerState("openai", []), "closed");
		assert.equal(breakerState("openai", [c("openai", "half-open")]), "half-open");
		assert.equal(breakerState("openai", [c("openai", "half-open"), c("openai", "open")]), "open");
		assert.equal(breakerState("openai", [c("google", "open")]), "closed");
		assert.match(breakerState("openai", undefined), /unknown/);
	});

	it("lists live models only, cheapest first, with the nodes serving them", () => {
		const catalog = [
			{ id: "b", provider: "p", input_per_mtok: 2, output_per_mtok: 4, live: true },
			{ id: "a", provider: "p", input_per_mtok: 1, output_per_mtok: 3, live: true },
			{ id: "c", provider: "q", input_per_mtok: 0.5, output_per_mtok: 1, live: false },
		];
		const rows = modelRows(config, catalog, new Map([["p", [{ service: "llm-p", nodes: ["n1", "n2"] }]]]), []);
		assert.deepEqual(
			rows.slice(1).map(r => [r[0], r[2], r[3]]),
			[
				["a", "llm-p@n1+n2", "$1.00, $3.00"],
				["b", "llm-p@n1+n2", "$2.00, $4.00"],
			],
		);
	});

	it("keys: never a column whose name could hold the secret, the name first", () => {
		const rows = keyRows([
			{ budget_usd_per_day: 5, name: "team-a", key: "sk-live-1", secret_hash: "abc", token: "t", spent_usd_day: 1.25, input_tokens: 10 },
		]);
		assert.deepEqual(rows[0], ["name", "budget_usd_per_day", "spent_usd_day", "input_tokens"]);
		assert.deepEqual(rows[1], ["team-a", "5", "1.25", "10"]);
		assert.ok(!renderRows(rows).includes("sk-live-1"));
	});

	it("a dry run's figures are its estimates, said as such; a call's usage says where it comes from", () => {
		const base = {
			intent: "WRITE",
			intent_confidence: 0.9,
			complexity: "simple",
			complexity_score: 0.1,
			baseline_input_tokens: 40,
			baseline_cost_usd: 0.001,
		};
		const dry = new Map(
			resultRows({
				...base,
				dry_run: true,
				usage: { input_tokens: 0, output_tokens: 0 },
				token_accounting: { usage_source: "none" },
				estimated_input_tokens: 12,
				cost_usd: 0,
				estimated_cost_usd: 0.000155,
			}) as [string, string][],
		);
		assert.match(dry.get("dry run")!, /nothing was called/);
		assert.equal(dry.get("tokens"), "12 in (estimated)");
		assert.equal(dry.get("estimated cost USD"), "0.000155 (baseline 0.001)");
		const cached = new Map(
			resultRows({ ...base, usage: { input_tokens: 0, output_tokens: 0 }, token_accounting: { usage_source: "cache" }, cost_usd: 0 }) as [
				string,
				string,
			][],
		);
		assert.equal(cached.get("tokens"), "0 in, 0 out (from the cache: nothing spent)");
	});

	it("renders aligned columns", () => {
		assert.equal(
			renderRows([
				["a", "bb"],
				["ccc", "d"],
			]),
			"a    bb\n---  --\nccc  d",
		);
		assert.equal(
			renderRows(
				[
					["a", "bb"],
					["ccc", "d"],
				],
				false,
			),
			"a    bb\nccc  d",
		);
	});
});
