import type { McpServer, RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import { getParseErrorMessage, normalizeObjectSchema, safeParse, safeParseAsync, type AnySchema } from "@modelcontextprotocol/sdk/server/zod-compat.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
	CallToolResultSchema,
	ErrorCode,
	McpError,
	type CallToolResult,
	type JSONRPCMessage,
	type JSONRPCRequest,
	type MessageExtraInfo,
	type RequestId,
	type ServerNotification,
	type ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import { $ZodAsyncError } from "zod/v4/core";

/** Answers a request without the SDK's Protocol, or returns undefined to leave it to the Protocol. */
export type DirectCall = (request: JSONRPCRequest, info: MessageExtraInfo) => Promise<JSONRPCMessage> | undefined;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/**
 * A JSON-RPC request the SDK's JSONRPCMessageSchema certainly accepts, as that schema's parse would leave
 * it: only the envelope's four keys, `jsonrpc` "2.0", a string or safe-integer id, a string method and
 * params, if any, a plain object without `_meta`. Anything else is parsed by the schema as before; this
 * saves the parse and its copy of the body for what every client sends.
 */
export function plainRequest(m: unknown): m is JSONRPCRequest {
	if (!isPlainObject(m)) return false;
	for (const key in m) if (key !== "jsonrpc" && key !== "id" && key !== "method" && key !== "params") return false;
	const { id, params } = m;
	return (
		m.jsonrpc === "2.0" &&
		(typeof id === "string" || Number.isSafeInteger(id)) &&
		typeof m.method === "string" &&
		(params === undefined || (isPlainObject(params) && !("_meta" in params)))
	);
}

/** Zod's synchronous parse (its compiled fast path: the async one, which the SDK uses, never takes it), async only for a schema that needs it. */
async function parse(schema: AnySchema, data: unknown): Promise<ReturnType<typeof safeParse>> {
	try {
		return safeParse(schema, data);
	} catch (err) {
		if (!(err instanceof $ZodAsyncError)) throw err;
		return safeParseAsync(schema, data);
	}
}

const toolError = (text: string): CallToolResult => ({ content: [{ type: "text", text }], isError: true });

/**
 * What the SDK's CallToolResultSchema parse (Server's check of every tools/call result) returns for a
 * result it accepts, when the result is one whose parse is known without running it: text blocks only,
 * structured content a plain object, isError a boolean. The keys come in the schema's order, as the
 * parse's copy has them, so the JSON written is the same byte for byte. Undefined for any other result.
 */
function plainResult(result: CallToolResult): CallToolResult | undefined {
	if (!isPlainObject(result)) return undefined;
	for (const key in result) if (key !== "content" && key !== "structuredContent" && key !== "isError") return undefined;
	const { content, structuredContent, isError } = result;
	if (!Array.isArray(content)) return undefined;
	for (const block of content) {
		if (!isPlainObject(block) || block.type !== "text" || typeof block.text !== "string") return undefined;
		for (const key in block) if (key !== "type" && key !== "text") return undefined;
	}
	if (structuredContent !== undefined && !isPlainObject(structuredContent)) return undefined;
	if (isError !== undefined && typeof isError !== "boolean") return undefined;
	return {
		content,
		...(structuredContent !== undefined && { structuredContent }),
		...(isError !== undefined && { isError }),
	};
}

/**
 * `tools/call` of the server's own tools answered here, with what McpServer, Server and Protocol do for
 * it (SDK 1.32) and in the same order: the input checked against the tool's schema (an invalid one is a
 * tool error, "Input validation error: ..."), the handler run (a throw is a tool error with its message),
 * structured content checked against the output schema ("Output validation error: ..."), the result
 * checked as a CallToolResult (a JSON-RPC -32602 error if not) and answered as `{ result, jsonrpc, id }`.
 *
 * Why: the SDK's round cost ~0.3 ms of CPU per request over REST's for the same pipeline (README
 * "Gateway overhead"): the request parsed by CallToolRequestSchema twice, an AbortController and a
 * dozen closures per request, both schema checks through zod's async parse (which skips zod's compiled
 * fast path) and the result copied by CallToolResultSchema's parse, whose copy of the structured content
 * (keys added one by one) is an object V8 keeps in dictionary mode and JSON.stringify then serialises slowly.
 *
 * Left to the SDK (undefined): bodies of more than one message (NodeJsonTransport asks only for a body of one), params other than
 * `name` and `arguments` (`_meta`, progress tokens, `task`), a tool not in `tools` (not found, or a
 * downstream one) or disabled, and task tools. `tools` are tools this server registered and never
 * removes or renames; the server has no maxToolInputElements (createMcpServer sets none).
 */
export function directToolCall(server: McpServer, tools: Record<string, RegisteredTool>): DirectCall {
	// Aborted when the server closes, as the SDK aborts every running handler's signal then.
	const closed = new AbortController();
	const onclose = server.server.onclose;
	server.server.onclose = () => {
		closed.abort();
		onclose?.();
	};
	return (request, info) => {
		if (request.method !== "tools/call") return undefined;
		const params = request.params as { name?: unknown; arguments?: unknown } | undefined;
		if (!params || typeof params.name !== "string") return undefined;
		for (const key in params) if (key !== "name" && key !== "arguments") return undefined;
		if (params.arguments !== undefined && !isPlainObject(params.arguments)) return undefined;
		const tool = Object.hasOwn(tools, params.name) ? tools[params.name] : undefined;
		if (!tool?.enabled || !tool.inputSchema || tool.execution?.taskSupport === "required" || tool.execution?.taskSupport === "optional") return undefined;
		if (typeof tool.handler !== "function") return undefined;
		return call({ server, tool, name: params.name, args: params.arguments, id: request.id, info, signal: closed.signal });
	};
}

/** One call of a tool: the request's tool, arguments, id and extra info, and the signal of the server's close. */
interface ToolCall {
	server: McpServer;
	tool: RegisteredTool;
	name: string;
	args: Record<string, unknown> | undefined;
	id: RequestId;
	info: MessageExtraInfo;
	signal: AbortSignal;
}

async function call(c: ToolCall): Promise<JSONRPCMessage> {
	const { id } = c;
	try {
		const result = await run(c);
		const plain = plainResult(result);
		if (plain) return { result: plain, jsonrpc: "2.0", id };
		const checked = safeParse(CallToolResultSchema, result);
		if (!checked.success) {
			const message = checked.error instanceof Error ? checked.error.message : String(checked.error);
			throw new McpError(ErrorCode.InvalidParams, `Invalid tools/call result: ${message}`);
		}
		return { result: checked.data as CallToolResult, jsonrpc: "2.0", id };
	} catch (err) {
		// As Protocol answers a handler's throw: McpServer lets only a URL elicitation through, Server its result check.
		const error = err as McpError;
		return {
			jsonrpc: "2.0",
			id,
			error: {
				code: Number.isSafeInteger(error.code) ? error.code : ErrorCode.InternalError,
				message: error.message ?? "Internal error",
				...(error.data !== undefined && { data: error.data }),
			},
		};
	}
}

/**
 * The handler's `extra`, what Protocol builds per request: the request's own signal made only if read (as the SDK
 * gives each request one, a tool may add listeners to it), and the notification and request senders tied to the
 * request's id. A class, not an object literal: a literal's getter (`get signal()`) gives every object its own
 * accessor pair, which V8 allocates in the old generation, so the getter's closure and all it reached outlived
 * every scavenge until the next full GC (docs/overhead.md, "s13-mcp").
 */
class ToolCallExtra implements RequestHandlerExtra<ServerRequest, ServerNotification> {
	private own: AbortSignal | undefined;
	readonly authInfo: MessageExtraInfo["authInfo"];
	readonly requestInfo: MessageExtraInfo["requestInfo"];
	readonly sendNotification: RequestHandlerExtra<ServerRequest, ServerNotification>["sendNotification"];
	readonly sendRequest: RequestHandlerExtra<ServerRequest, ServerNotification>["sendRequest"];

	constructor(
		server: McpServer,
		readonly requestId: RequestId,
		info: MessageExtraInfo,
		private readonly closed: AbortSignal,
	) {
		this.authInfo = info.authInfo;
		this.requestInfo = info.requestInfo;
		// Own properties, as the SDK's are: a tool may take them off the object.
		this.sendNotification = async notification => {
			if (!closed.aborted) await server.server.notification(notification, { relatedRequestId: requestId });
		};
		this.sendRequest = async (r, resultSchema, options) => {
			if (closed.aborted) throw new McpError(ErrorCode.ConnectionClosed, "Request was cancelled");
			return server.server.request(r, resultSchema, { ...options, relatedRequestId: requestId });
		};
	}

	get signal(): AbortSignal {
		return (this.own ??= AbortSignal.any([this.closed]));
	}
}

/** McpServer's tools/call handler for a plain tool: every failure but a URL elicitation is a tool error. */
async function run({ server, tool, name, args, id, info, signal: closed }: ToolCall): Promise<CallToolResult> {
	try {
		const input = await parse(normalizeObjectSchema(tool.inputSchema) ?? tool.inputSchema!, args ?? {});
		if (!input.success)
			throw new McpError(ErrorCode.InvalidParams, `Input validation error: Invalid arguments for tool ${name}: ${getParseErrorMessage(input.error)}`);
		const extra = new ToolCallExtra(server, id, info, closed);
		const result = (await (tool.handler as (args: unknown, extra: unknown) => CallToolResult | Promise<CallToolResult>)(
			input.data,
			extra,
		)) as CallToolResult;
		if (tool.outputSchema && "content" in result && !result.isError) {
			if (!result.structuredContent)
				throw new McpError(
					ErrorCode.InvalidParams,
					`Output validation error: Tool ${name} has an output schema but no structured content was provided`,
				);
			const output = await parse(normalizeObjectSchema(tool.outputSchema)!, result.structuredContent);
			if (!output.success)
				throw new McpError(
					ErrorCode.InvalidParams,
					`Output validation error: Invalid structured content for tool ${name}: ${getParseErrorMessage(output.error)}`,
				);
		}
		return result;
	} catch (err) {
		if (err instanceof McpError && err.code === ErrorCode.UrlElicitationRequired) throw err;
		return toolError(err instanceof Error ? err.message : String(err));
	}
}
