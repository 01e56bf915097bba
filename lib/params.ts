import type { Config } from "./config";

/** fastest-validator schemas of the public request shape, with the size limits from config.yaml. */
export function requestParams(config: Config) {
	return {
		// Blank text asks nothing, yet would be sent to (and paid to) a model.
		request: {
			type: "string",
			min: 1,
			max: config.limits.max_request_chars,
			trim: false,
			pattern: /\S/,
			messages: { stringPattern: "The 'request' field must not be blank." },
		},
		context: { type: "object", optional: true },
		options: {
			type: "object",
			optional: true,
			strict: false,
			props: {
				preferred_models: { type: "array", items: "string", optional: true },
				max_cost: { type: "number", positive: true, optional: true, convert: true },
				dry_run: { type: "boolean", optional: true, convert: true },
				cache: { type: "boolean", optional: true, convert: true },
				prompt_strategy: { type: "enum", values: ["default", "llm"], optional: true },
			},
		},
	};
}

/** Byte size of the context as JSON: what the limit in config.yaml measures. */
export function contextBytes(context: unknown): number {
	return context === undefined ? 0 : Buffer.byteLength(JSON.stringify(context), "utf8");
}
