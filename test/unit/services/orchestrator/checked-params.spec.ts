import { strict as assert } from "node:assert";
import type { ActionSchema, Context, Middleware, ServiceBroker } from "moleculer";
import type { z } from "zod";
import { brokerOptions } from "../../../../moleculer.config";
import { PARAMS_CHECKED } from "../../../../lib/validator";
import { standaloneEnv, testBroker } from "../../../helpers";

/** Where zodParams keeps an action's contract (lib/contracts/validator.ts). */
const ZOD = Symbol.for("dynamic-orchestrator.zod-params");

/**
 * The orchestrator's stage calls skip the stages' parse (checkedCall): whatever an edge-valid request makes of
 * them must still satisfy each stage's contract. Every call marked PARAMS_CHECKED is parsed here, beside the
 * handler, with the contract the validator skipped.
 */
describe("orchestrator: params of its checked calls satisfy the called actions' contracts", () => {
	let broker: ServiceBroker;
	const checked: string[] = [];
	const failures: string[] = [];
	const audit: Middleware = {
		name: "CheckedParamsAudit",
		localAction(handler: (ctx: Context) => Promise<unknown>, action: ActionSchema) {
			const schema = (action.params as { [ZOD]?: () => z.ZodType } | undefined)?.[ZOD]?.();
			if (!schema) return handler;
			return (ctx: Context) => {
				if ((ctx.options as Record<PropertyKey, unknown>)[PARAMS_CHECKED]) {
					const parsed = schema.safeParse(ctx.params);
					if (parsed.success) checked.push(String(action.name));
					else failures.push(`${action.name}: ${parsed.error.message} in ${JSON.stringify(ctx.params)}`);
				}
				return handler(ctx);
			};
		},
	} as unknown as Middleware;

	before(async () => {
		const env = standaloneEnv();
		broker = testBroker({ exclude: ["gateway", "llm-*", "mcp.*"], broker: { middlewares: [...(brokerOptions(env).middlewares ?? []), audit] } });
		await broker.start();
	});
	after(() => broker.stop());

	const requests: Record<string, unknown>[] = [
		{ request: "explain closures in JavaScript" },
		{ request: "why does this fail?", context: null, options: null },
		{
			request: "fix the bug in src/users.ts",
			context: {
				files: [{ path: "src/users.ts", content: "export const id = (u) => u.id;" }],
				error: "TypeError at getUser",
				logs: ["a", "b"],
				extra: 1,
			},
		},
		{ request: "summarize this", options: { prompt_strategy: "default", max_cost: "0.5", preferred_models: ["gpt-4.1-mini"], cache: "false" } },
		{ request: "design a zero-downtime migration of billing to its own service", options: { cache: false, prompt_strategy: "llm" } },
	];

	for (const [i, request] of requests.entries()) {
		for (const dry of [true, false]) {
			it(`request ${i + 1}${dry ? ", dry run" : ", executed (no provider: models.complete refuses)"}`, async () => {
				const before = checked.length;
				const failedBefore = failures.length;
				const options = { ...((request.options as Record<string, unknown> | null) ?? {}), dry_run: dry };
				// A text of its own per run: a cached analysis or stage answer would call no stage.
				const text = `${String(request.request)}${dry ? "" : " now"}`;
				await broker.call("orchestrator.orchestrate", { ...request, request: text, options }).catch((err: { type?: string }) => {
					// No provider is started: execution ends at models.complete, after its params were checked.
					if (dry || err.type !== "NO_PROVIDER") throw err;
				});
				assert.deepEqual(failures.slice(failedBefore), []);
				const seen = new Set(checked.slice(before));
				for (const action of ["intent.classify", "complexity.analyze", "router.route", "prompt.optimize", "models.select", "models.estimate"]) {
					assert.ok(seen.has(action), `${action} was called checked`);
				}
				assert.equal(seen.has("models.complete"), !dry);
			});
		}
	}
});
