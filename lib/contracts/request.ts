/**
 * The public request: what `analyze_request`, `orchestrate`, `POST /api/*`, the CLI and
 * `orchestrator.analyze|orchestrate` take. One declaration: the MCP tools' input schemas and the
 * Moleculer validator both use it.
 */
import { z } from "zod";

export const INTENTS = ["READ", "WRITE", "SEARCH", "ANALYZE", "MANAGE"] as const;
export const IntentSchema = z.enum(INTENTS);
export type Intent = z.infer<typeof IntentSchema>;

export const TIERS = ["simple", "moderate", "complex"] as const;
export const TierSchema = z.enum(TIERS);
export type Tier = z.infer<typeof TierSchema>;
/** The complexity of a request is the tier that serves it. */
export type Complexity = Tier;

export const AttachedFileSchema = z.object({ path: z.string(), content: z.string() });
export type AttachedFile = z.infer<typeof AttachedFileSchema>;

/**
 * Free JSON object; these keys carry meaning everywhere. Only `files` is checked: the other keys
 * are read as text when they are text, and a client's other shapes are pruned, never refused.
 */
export const RequestContextSchema = z
	.looseObject({
		files: z.array(AttachedFileSchema).optional().describe("Files the client attached"),
		error: z.unknown().optional().describe("Error text or stack trace"),
		logs: z.unknown().optional().describe("Log text, or lines"),
		framework: z.unknown().optional(),
		language: z.unknown().optional(),
		database: z.unknown().optional(),
	})
	.describe("Free JSON object; meaningful keys: files [{path, content}], error, logs, framework, language, database");
export type RequestContext = z.infer<typeof RequestContextSchema>;

export const PROMPT_STRATEGIES = ["default", "llm"] as const;

/** A flag; "true"/"false" in text too (a REST body built from a form or a query), as Moleculer's validator took them. */
const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform(v => v === "true")]);

export const RequestOptionsSchema = z
	.looseObject({
		preferred_models: z.array(z.string()).optional().describe("Model ids to try first; the first available wins"),
		max_cost: z.coerce.number().positive().optional().describe("Upper bound in USD on the estimated cost of the call"),
		dry_run: flag.optional().describe("Stop before execution and return the plan"),
		cache: flag.optional().describe("false bypasses the cache"),
		prompt_strategy: z.enum(PROMPT_STRATEGIES).optional().describe("llm: let the cheapest live model rewrite the prompt"),
	})
	.describe("Constraints on model choice and execution");
export type RequestOptions = z.infer<typeof RequestOptionsSchema>;

/** requestShape's fields per limit, built once: stateless /mcp registers its tools on a fresh server per request. */
const requestShapes = new Map<number, ReturnType<typeof buildRequestShape>>();

/** The request's fields, with the size limit from config.yaml (limits.max_request_chars) so errors name it. */
export function requestShape(limits: { max_request_chars: number }) {
	let shape = requestShapes.get(limits.max_request_chars);
	if (!shape) requestShapes.set(limits.max_request_chars, (shape = buildRequestShape(limits.max_request_chars)));
	return shape;
}

function buildRequestShape(maxChars: number) {
	return {
		// Blank text asks nothing, yet would be sent to (and paid to) a model.
		request: z
			.string()
			.min(1, "must not be empty")
			.max(maxChars, `must be at most ${maxChars} characters (limits.max_request_chars)`)
			.regex(/\S/, "must not be blank")
			.describe("What the user asked, verbatim"),
		// JSON null reads as "not given", as clients send it for an absent object.
		context: RequestContextSchema.nullish(),
	};
}

/**
 * An option given beside `request` instead of inside `options` is refused, not dropped: `{"request": ..., "max_cost":
 * 0.01}` read as no cap at all would spend what its caller meant to bound. Built once, as requestShape.
 */
const OPTION_KEYS = Object.keys(RequestOptionsSchema.shape);
const misplaced = (key: string) => `belongs inside options ({"options": {"${key}": ...}}); beside request it would be ignored`;
const MISPLACED_OPTIONS = Object.fromEntries(OPTION_KEYS.map(key => [key, z.never({ error: misplaced(key) }).optional()])) as {
	[K in keyof typeof RequestOptionsSchema.shape]: z.ZodOptional<z.ZodNever>;
};

/** `orchestrator.analyze` / `analyze_request` params. */
export function analyzeParamsSchema(limits: { max_request_chars: number }) {
	return z.object({ ...MISPLACED_OPTIONS, ...requestShape(limits), options: RequestOptionsSchema.nullish() });
}

/** `orchestrator.orchestrate` / `orchestrate` params (the same shape: analyze ignores what only execution reads). */
export const orchestrateParamsSchema = analyzeParamsSchema;

/** The MCP tools' input objects per limit, built once (see mcpToolInputs). */
const mcpToolInputSchemas = new Map<number, ReturnType<typeof buildMcpToolInputs>>();

/**
 * Input schemas of the `analyze_request` and `orchestrate` MCP tools, as zod objects built once per limit:
 * stateless /mcp registers the tools on a fresh server per request, and a raw shape handed to registerTool
 * became a new zod object there each time, compiling its own parser on its first parse (zod builds an
 * object's parser with `new Function`): about a tenth of an MCP request's CPU time.
 */
export function mcpToolInputs(limits: { max_request_chars: number }) {
	let inputs = mcpToolInputSchemas.get(limits.max_request_chars);
	if (!inputs) mcpToolInputSchemas.set(limits.max_request_chars, (inputs = buildMcpToolInputs(limits)));
	return inputs;
}

function buildMcpToolInputs(limits: { max_request_chars: number }) {
	return {
		analyze_request: z.object(requestShape(limits)),
		// The SDK strips keys a tool's object does not name, so a misplaced option would run as if absent (a cost cap read as
		// no cap). The object keeps unknown keys for this check alone, refusing the options as REST does; the tool schema
		// clients read stays request, context and options (the orchestrate tool passes on only those).
		orchestrate: z.looseObject({ ...requestShape(limits), options: RequestOptionsSchema.optional() }).superRefine((args, ctx) => {
			for (const key of OPTION_KEYS) if (key in args) ctx.addIssue({ code: "custom", path: [key], message: misplaced(key) });
		}),
	};
}
export type RequestParams = z.infer<ReturnType<typeof analyzeParamsSchema>>;

/**
 * Messages for fields whose zod issues would say less than one sentence about the whole field:
 * any issue inside it is reported once, at the field, with this text.
 */
export const FIELD_MESSAGES: Record<string, string> = {
	"context.files": "must be an array of {path: string, content: string}",
};

/** Byte sizes already measured, by context object (see contextBytes). */
const measured = new WeakMap<object, number>();

/**
 * Byte size of the context as JSON: what limits.max_context_bytes measures. Measured once per context object: the
 * orchestrator checks the limit and the prompt stage picks inline or worker by it, on the same object in one process,
 * and each serialising 2 MB again held the event loop. Params are not changed once an action has them.
 */
export function contextBytes(context: unknown): number {
	if (context === undefined) return 0;
	if (context === null || typeof context !== "object") return Buffer.byteLength(JSON.stringify(context), "utf8");
	let bytes = measured.get(context);
	if (bytes === undefined) measured.set(context, (bytes = Buffer.byteLength(JSON.stringify(context), "utf8")));
	return bytes;
}
