import { Validators, type ActionHandler, type ActionSchema, type ActionParams, type Context, type ServiceBroker } from "moleculer";
import { checkBeforeCache, validatingAction, type ParamsCheck } from "../validator";
import { z } from "zod";
import { FIELD_MESSAGES } from "./request";

/** Where an action's `params` keeps its zod schema: a symbol key, so it never travels in INFO packets. */
const ZOD = Symbol.for("dynamic-orchestrator.zod-params");

type ParamsHolder = Record<string, unknown> & { [ZOD]?: () => z.ZodType };

/**
 * An action's `params` from a contract: Moleculer's validator (ContractValidator, moleculer.config.ts)
 * checks calls against the zod schema and hands the handler the parsed value (defaults applied);
 * other nodes and the REPL see its JSON Schema.
 */
export function zodParams(schema: z.ZodType): ActionParams {
	// A symbol key survives Moleculer's mixin merge (lodash clones own enumerable symbols) and no serializer
	// writes it; a function, because lodash keeps nested functions as they are but would clone the schema apart.
	const holder: ParamsHolder = { $$contract: z.toJSONSchema(schema, { unrepresentable: "any", io: "input" }), [ZOD]: () => schema };
	return holder as ActionParams;
}

/** A sentence about one issue, in fastest-validator's words ("must be one of a, b, not 'c'"). */
function describeIssue(issue: z.core.$ZodIssue): string {
	const input = (issue as { input?: unknown }).input;
	// Our own messages (.min(1, "must not be empty")) start lower-case and read after "The 'x' field".
	if (/^[a-z]/.test(issue.message)) return issue.message;
	switch (issue.code) {
		case "invalid_type":
			return input === undefined ? "is required" : `must be ${/^[aeiou]/.test(issue.expected) ? "an" : "a"} ${issue.expected}`;
		case "invalid_value":
			return `must be one of ${issue.values.map(String).join(", ")}, not '${String(input).slice(0, 60)}'`;
		case "unrecognized_keys":
			return `has unknown keys: ${issue.keys.join(", ")}`;
		default:
			return `is invalid: ${issue.message}`;
	}
}

/**
 * One Moleculer validation detail per zod issue, naming the field as fastest-validator does
 * ("The 'options.max_cost' field must be a number."). An issue inside a field that has its own
 * message (FIELD_MESSAGES) is reported once, at that field.
 */
export function zodIssues(error: z.ZodError): { type: string; field: string; message: string }[] {
	const out = new Map<string, { type: string; field: string; message: string }>();
	for (const issue of error.issues) {
		const path = issue.path.map(String).join(".");
		const owner = Object.keys(FIELD_MESSAGES).find(f => path === f || path.startsWith(`${f}.`));
		const field = owner ?? (path || "params");
		if (out.has(field)) continue;
		out.set(field, { type: issue.code, field, message: `The '${field}' field ${owner ? FIELD_MESSAGES[owner] : describeIssue(issue)}.` });
	}
	return [...out.values()];
}

interface ValidatorMiddleware {
	name: string;
	localAction: (this: ServiceBroker, handler: ActionHandler, action: ActionSchema) => ActionHandler;
	localEvent: unknown;
}

/** fastest-validator for plain schemas (as before), zod for contracts made with zodParams. */
export class ContractValidator extends Validators.Fastest {
	/** opts: fastest-validator's options, as Moleculer's Fastest validator takes them. */
	constructor(opts?: Record<string, unknown>) {
		// @ts-expect-error Moleculer's typings omit the options argument its Fastest validator takes.
		super(opts);
		// Moleculer's typings give `middleware` the wrong signature: replaced here rather than overridden.
		const base = (this.middleware as unknown as (broker: ServiceBroker) => ValidatorMiddleware).bind(this);
		const compile = (schema: unknown) => this.compile(schema) as ParamsCheck;
		// Events keep Moleculer's check; actions get validatingAction (lib/validator.ts): a check that throws is a 422, never a
		// bulkhead slot held for good, the fields' sentences are in the message, and a PARAMS_CHECKED call is not parsed again.
		const middleware = (broker: ServiceBroker): ValidatorMiddleware => ({
			...base(broker),
			localAction(handler: ActionHandler, action: ActionSchema) {
				const schema = action.params;
				if (!schema || typeof schema !== "object") return handler;
				const check = compile(schema);
				// A cached action looks up only params that pass (lib/validator.ts checkBeforeCache): the cacher runs first.
				checkBeforeCache(action as Parameters<typeof checkBeforeCache>[0], check);
				return validatingAction(handler as (ctx: Context) => Promise<unknown>, action, check) as unknown as ActionHandler;
			},
		});
		Object.assign(this, { middleware });
	}

	compile(schema: unknown): (params: unknown, opts?: { meta?: { params?: unknown } }) => unknown {
		const zod = (schema as ParamsHolder | undefined)?.[ZOD]?.();
		if (!zod) return super.compile(schema as Record<string, unknown>) as (params: unknown) => unknown;
		return (params: unknown, opts?: { meta?: { params?: unknown } }) => {
			const parsed = zod.safeParse(params, { reportInput: true });
			if (!parsed.success) return zodIssues(parsed.error);
			// The Validator middleware passes the context as `meta`: the handler reads the parsed params.
			if (opts?.meta) opts.meta.params = parsed.data;
			return true;
		};
	}
}
