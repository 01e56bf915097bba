/**
 * npx tsx scripts/bench/hop.ts [calls] [variant...]
 *
 * CPU per local broker.call of a pipeline stage (a hop), with the project's broker options: one action
 * calls a synchronous stage action with the stage contract's params, `calls` times sequentially, after a
 * warm-up; the CPU time of the process (user + system) divided by the calls. Variants switch off one
 * feature at a time so each one's share of a hop shows (name some to run those only: "project options").
 * REMOTE=1: the stage on another broker over Moleculer's in-process Fake transporter, both sides' CPU in the figure.
 */
import { ServiceBroker, type BrokerOptions } from "moleculer";
import { brokerOptions } from "../../moleculer.config";
import { SYNC_STAGE_ACTION } from "../../lib/action-options";
import { StageParamsSchema } from "../../lib/contracts";
import { zodParams } from "../../lib/contracts/validator";

const N = Number(process.argv[2] ?? 50_000);
const only = process.argv.slice(3);
const REMOTE = !!process.env.REMOTE;

async function hopCost(
	label: string,
	tweak: (o: BrokerOptions) => BrokerOptions,
	action: Record<string, unknown> = {},
	callOptions: Record<string, unknown> = {},
): Promise<void> {
	if (only.length && !only.includes(label)) return;
	const options = tweak({ ...brokerOptions({ ...process.env, METRICS_PORT: "off", LOGLEVEL: "warn" }) });
	// REMOTE: the stage on a second broker, reached through Moleculer's in-process Fake transporter (the project's
	// serializer, transit and its metrics, but no socket): what a hop across nodes costs in JavaScript.
	const remote = (nodeID: string) => (REMOTE ? { transporter: "Fake", namespace: `hop-${process.pid}-${label.replace(/\W/g, "")}`, nodeID } : {});
	const broker = new ServiceBroker({ ...options, ...remote("caller") });
	const stageBroker = REMOTE ? new ServiceBroker({ ...options, ...remote("stage") }) : broker;
	stageBroker.createService({
		name: "stage",
		actions: { run: { ...SYNC_STAGE_ACTION, params: zodParams(StageParamsSchema), ...action, handler: () => ({ ok: true }) } },
	});
	broker.createService({
		name: "caller",
		actions: {
			loop: {
				async handler(ctx) {
					const n = ctx.params.n as number;
					for (let i = 0; i < n; i++) await ctx.call("stage.run", { request: `text ${i}`, context: {} }, callOptions);
					return n;
				},
			},
		},
	});
	if (stageBroker !== broker) await stageBroker.start();
	await broker.start();
	await broker.waitForServices(["stage"]);
	await broker.call("caller.loop", { n: 20_000 });
	const before = process.cpuUsage();
	await broker.call("caller.loop", { n: N });
	const used = process.cpuUsage(before);
	await broker.stop();
	if (stageBroker !== broker) await stageBroker.stop();
	console.log(`${label.padEnd(40)} ${((used.user + used.system) / N).toFixed(2).padStart(6)} µs CPU per hop`);
}

async function main() {
	const same = (o: BrokerOptions) => o;
	await hopCost("project options", same);
	await hopCost("no metrics", o => ({ ...o, metrics: { enabled: false } }));
	await hopCost("no validator", o => ({ ...o, validator: false }));
	await hopCost("no circuit breaker", o => ({ ...o, circuitBreaker: { enabled: false } }));
	await hopCost("no retry", o => ({ ...o, retryPolicy: { enabled: false } }));
	await hopCost("no bulkhead", o => ({ ...o, bulkhead: { enabled: false } }));
	await hopCost("no tracking", o => ({ ...o, tracking: { enabled: false } }));
	await hopCost("call untracked", same, {}, { tracking: false });
	await hopCost("no request timeout", o => ({ ...o, requestTimeout: 0 }));
	await hopCost("no cacher", o => ({ ...o, cacher: undefined }));
	await hopCost("no user middlewares", o => ({ ...o, middlewares: [] }));
	await hopCost("no params on the stage", same, { params: undefined });
	await hopCost("bare broker", () => ({ logger: false }), { params: undefined });
}

main().catch(err => {
	console.error(err);
	process.exitCode = 1;
});
