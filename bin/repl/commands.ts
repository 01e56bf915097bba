/**
 * The project's REPL commands, beside Moleculer's own (`services`, `actions`, `call`, `metrics`...):
 * `orchestrate`, `analyze`, `models`, `breakers`, `keys` and a cluster-wide `cache clear`.
 * Every figure comes from the cluster (the REPL node hosts nothing when TRANSPORTER is set).
 */
import type { ServiceBroker } from "moleculer";
import type { Config } from "../../lib/config";
import { errorMessage } from "../../lib/errors";
import { actionAvailable, liveNodeIds, liveServices, type ProviderMetadata } from "../../lib/registry";
import type { CacheClearAnswer } from "../../lib/cache-control";
import type { OpenCircuit } from "../../services/metrics/circuits";
import { breakerRows, keyRows, modelRows, resultRows, type CatalogEntry, type LiveProviders, renderRows, type Rows } from "./tables";

/** moleculer-repl 0.7's custom command shape (its typedef `CustomCommand`). */
export interface ReplCommand {
	command: string;
	description: string;
	alias?: string[];
	allowUnknownOptions?: boolean;
	options?: { option: string; description: string }[];
	parse?: (this: (argv: string[]) => Record<string, unknown>, cmd: any) => void;
	action: (broker: ServiceBroker, args: Record<string, any>) => Promise<void>;
}

/** Everything after the command name is the request: quotes are optional, `--max_cost 0.01` style options allowed. */
function requestParse(this: (argv: string[]) => Record<string, unknown>, cmd: any) {
	const parsed = cmd.parseOptions(cmd.args);
	cmd.params = { request: parsed.operands.join(" "), options: this(parsed.unknown) };
}

const print = (text: string) => console.log(text);

/** A command's action that prints a failure as one line instead of letting the REPL show a stack. */
function guarded(action: ReplCommand["action"]): ReplCommand["action"] {
	return (broker, args) =>
		action(broker, args).catch(err => {
			print(`error: ${errorMessage(err)}`);
		});
}

/** The cluster's breakers as the metrics service merges them; undefined when no metrics node answers. */
async function openCircuits(broker: ServiceBroker): Promise<OpenCircuit[] | undefined> {
	if (!actionAvailable(broker, "metrics.get")) return undefined;
	const summary = await broker.call<{ open_circuits: OpenCircuit[] }, { period: string }>("metrics.get", { period: "1m" });
	return summary.open_circuits;
}

function liveProviders(broker: ServiceBroker): LiveProviders {
	const byProvider: LiveProviders = new Map();
	for (const p of liveServices<ProviderMetadata>(broker, "provider")) {
		const list = byProvider.get(p.meta.name) ?? [];
		list.push({ service: p.service, nodes: p.nodes });
		byProvider.set(p.meta.name, list);
	}
	return byProvider;
}

/** Options typed in the REPL (`--max_cost 0.01 --dry_run`) as the pipeline's `options`. */
function pipelineOptions(opts: Record<string, unknown>) {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(opts)) out[k.replace(/-/g, "_")] = k === "preferred_models" || k === "preferred-models" ? String(v).split(",") : v;
	return out;
}

export function replCommands(config: Config): ReplCommand[] {
	return [
		{
			command: "orchestrate",
			description: 'Run a request through the whole pipeline: orchestrate "<request>" [--max_cost 0.01] [--dry_run] [--cache false]',
			allowUnknownOptions: true,
			parse: requestParse,
			action: guarded(async (broker, args) => {
				if (!args.request) return print('usage: orchestrate "<request>" [--max_cost <usd>] [--dry_run] [--preferred_models a,b]');
				const options = pipelineOptions(args.options ?? {});
				const r = await broker.call<Record<string, any>, object>("orchestrator.orchestrate", { request: args.request, options });
				print(renderRows(resultRows(r), false));
				if (typeof r.output === "string") print(r.output);
			}),
		},
		{
			command: "analyze",
			description: 'Analyse a request without calling a model: analyze "<request>"',
			allowUnknownOptions: true,
			parse: requestParse,
			action: guarded(async (broker, args) => {
				if (!args.request) return print('usage: analyze "<request>"');
				const r = await broker.call<Record<string, any>, object>("orchestrator.analyze", { request: args.request });
				print(renderRows(resultRows(r), false));
				print(`optimized prompt: ${r.optimized_prompt}`);
			}),
		},
		{
			command: "models",
			description: "Live models: provider, serving nodes, price, tier and breaker state",
			action: guarded(async broker => {
				if (!actionAvailable(broker, "models.catalog")) return print("the models service is not running in this cluster");
				const catalog = await broker.call<CatalogEntry[]>("models.catalog");
				const circuits = await openCircuits(broker).catch(() => undefined);
				const rows = modelRows(config, catalog, liveProviders(broker), circuits);
				if (rows.length === 1) {
					const vars = [...new Set(Object.values(config.providers).flatMap(p => p.env))];
					return print(`no live model: no provider service runs in this cluster (set ${vars.join(", ")} on a node hosting llm-*)`);
				}
				print(renderRows(rows));
			}),
		},
		{
			command: "breakers",
			description: "Circuit breakers that are open or half-open anywhere in the cluster",
			action: guarded(async broker => {
				const circuits = await openCircuits(broker);
				if (!circuits) return print("no metrics service in this cluster: breaker states are not collected");
				if (!circuits.length) return print("every circuit breaker is closed");
				print(renderRows(breakerRows(circuits)));
			}),
		},
		{
			command: "keys",
			description: "API keys: names, budgets and spend (never the secrets)",
			action: guarded(async broker => {
				if (!actionAvailable(broker, "budget.keys")) return print("no keys configured / budget service not running");
				const keys = await broker.call<Record<string, unknown>[]>("budget.keys");
				if (!keys.length) return print("no keys configured");
				print(renderRows(keyRows(keys)));
			}),
		},
	];
}

/** Every node's cacher, cleaned through `$node.clearCache` (lib/cache-control.ts), one call per node. */
export async function clearClusterCache(
	broker: ServiceBroker,
	pattern?: string,
): Promise<{ answers: CacheClearAnswer[]; failed: { nodeID: string; error: string }[] }> {
	const nodes = liveNodeIds(broker);
	const answers: CacheClearAnswer[] = [];
	const failed: { nodeID: string; error: string }[] = [];
	await Promise.all(
		nodes.map(nodeID =>
			broker
				.call<CacheClearAnswer, object>("$node.clearCache", pattern ? { pattern } : {}, { nodeID, retries: 0 })
				.then(a => void answers.push(a))
				.catch(err => void failed.push({ nodeID, error: errorMessage(err) })),
		),
	);
	answers.sort((a, b) => a.nodeID.localeCompare(b.nodeID));
	return { answers, failed };
}

/**
 * Moleculer's REPL already has `cache clear`, which cleans the REPL node's own cacher only: with
 * memory cachers that is an empty cache of its own. moleculer-repl exports the command's
 * `declaration` for reuse: the same `cache keys`, and a `cache clear` that reaches every node.
 */
export function useClusterCacheClear() {
	const cacheCommand = require("moleculer-repl/src/commands/cache.js");
	cacheCommand.register = (program: unknown, broker: ServiceBroker) =>
		cacheCommand.declaration(program, broker, cacheCommand.cacheKeysHandler, async (b: ServiceBroker, args: { pattern?: string }) => {
			const { answers, failed } = await clearClusterCache(b, args.pattern);
			const rows: Rows = [["node", "cacher", "pattern", "cleared"], ...answers.map(a => [a.nodeID, a.cacher ?? "none", a.pattern, String(a.cleared)])];
			print(renderRows(rows));
			for (const f of failed) print(`${f.nodeID}: ${f.error}`);
		});
}
