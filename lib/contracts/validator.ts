import { Validators, type ActionParams } from "moleculer";
import { z } from "zod";

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

/** One Moleculer validation detail per zod issue, naming the field as fastest-validator does. */
export function zodIssues(error: z.ZodError): { type: string; field: string; message: string }[] {
	return error.issues.map(issue => {
		const field = issue.path.map(String).join(".") || "params";
		return { type: issue.code, field, message: `The '${field}' field: ${issue.message}` };
	});
}

/** fastest-validator for plain schemas (as before), zod for contracts made with zodParams. */
export class ContractValidator extends Validators.Fastest {
	/** opts: fastest-validator's options, as Moleculer's Fastest validator takes them. */
	constructor(opts?: Record<string, unknown>) {
		// @ts-expect-error Moleculer's typings omit the options argument its Fastest validator takes.
		super(opts);
	}

	compile(schema: unknown): (params: unknown, opts?: { meta?: { params?: unknown } }) => unknown {
		const zod = (schema as ParamsHolder | undefined)?.[ZOD]?.();
		if (!zod) return super.compile(schema as Record<string, unknown>) as (params: unknown) => unknown;
		return (params: unknown, opts?: { meta?: { params?: unknown } }) => {
			const parsed = zod.safeParse(params);
			if (!parsed.success) return zodIssues(parsed.error);
			// The Validator middleware passes the context as `meta`: the handler reads the parsed params.
			if (opts?.meta) opts.meta.params = parsed.data;
			return true;
		};
	}
}
